"""The one tree of Tallywire's errors: catch `TallywireError` to catch them all."""


class TallywireError(Exception):
    """Base of every error Tallywire raises on purpose."""


class ConfigError(TallywireError):
    """A setting or a config file is missing or malformed."""


class StoreError(TallywireError):
    """The store cannot be opened or migrated."""


class FetchError(TallywireError):
    """A feed could not be fetched: network, timeout, HTTP status or size."""


class FetchTimeout(FetchError):
    """The fetch did not finish within its total deadline."""


class FeedTooLarge(FetchError):
    """The body exceeded the byte cap; reading stopped there."""


class FeedRejected(TallywireError):
    """The feed's bytes were refused before parsing (an XML entity declaration, say)."""


class FeedUnreadable(TallywireError):
    """The bytes are not a feed that anything can be kept from."""


class LeaseLost(TallywireError):
    """This worker's claim on a feed has passed to another worker (or been released): the poll
    in hand must stop storing, since the feed is now someone else's to poll."""


class DeliveryError(TallywireError):
    """A message could not be delivered; the outbox keeps it."""


class FeedAddressRefused(FetchError):
    """A feed added from chat points, directly or by redirect or DNS, outside the public internet.

    The message says why in plain words, for the operator who typed the URL.
    """


class RetryableDelivery(DeliveryError):
    """The message certainly did not get through (connection refused, 429, 5xx): send it again,
    not before `retry_after` seconds when the platform said so."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UncertainDelivery(DeliveryError):
    """The platform may have accepted the message (a read timeout after sending): not resent,
    since neither Telegram nor Slack takes an idempotency key."""


class DestinationGone(DeliveryError):
    """The platform says the chat or channel is gone, or the bot was removed from it."""
