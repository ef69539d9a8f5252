"""What a slack_sdk failure means for delivery. Pure.

429 -> RetryableDelivery after Retry-After; a channel the app cannot post to any more
(not_in_channel, channel_not_found, account_inactive, is_archived, ...) -> DestinationGone, so its
subscription is disabled; 5xx and Slack's own "try again" errors -> RetryableDelivery; any other
API error (invalid_blocks, msg_too_long, invalid_auth) -> permanent DeliveryError. A connection
that was refused never sent anything -> RetryableDelivery; a timeout or a broken connection after
the request went out -> UncertainDelivery: Slack may have posted it, and it takes no
idempotency key.
"""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery

GONE = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "account_inactive",
        "is_archived",
        "team_access_not_granted",
        "restricted_action",
    }
)
AGAIN = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable"})
DEFAULT_RETRY_AFTER = 1.0


def error_code(error: SlackApiError) -> str:
    """Slack's error code ("not_in_channel"), or "" when the response has none."""
    data = error.response.data if error.response is not None else None
    return str(data.get("error", "")) if isinstance(data, dict) else ""


def retry_after(error: SlackApiError) -> float:
    """The Retry-After of a 429, in seconds (1 when missing or unreadable)."""
    headers = error.response.headers if error.response is not None else {}
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER


def api_error(error: SlackApiError) -> DeliveryError:
    """The DeliveryError an error answer of the Web API amounts to."""
    status = error.response.status_code if error.response is not None else 0
    code = error_code(error)
    what = f"Slack: {code or status}"
    if status == 429 or code == "ratelimited":
        return RetryableDelivery(what, retry_after(error))
    if code in GONE:
        return DestinationGone(what)
    if status >= 500 or code in AGAIN:
        return RetryableDelivery(what)
    return DeliveryError(what)


def transport_error(error: BaseException) -> DeliveryError:
    """The DeliveryError of a failure to talk to Slack at all."""
    what = f"Slack: {type(error).__name__}"
    if isinstance(error, aiohttp.ClientConnectorError):
        return RetryableDelivery(what)  # refused or unreachable: nothing was sent
    if isinstance(error, asyncio.TimeoutError | aiohttp.ClientError):
        return UncertainDelivery(what)  # sent, maybe posted, no answer
    if isinstance(error, SlackClientError):
        return RetryableDelivery(what)
    return UncertainDelivery(what)
