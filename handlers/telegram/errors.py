"""What a python-telegram-bot error means for delivery. Pure.

RetryAfter (429) -> RetryableDelivery after retry_after; a timeout or network error before the
request went out (connect, pool) -> RetryableDelivery; a read or write timeout, or a broken
connection after sending -> UncertainDelivery (Telegram may have posted it); Forbidden (403:
blocked, removed) -> DestinationGone; BadRequest (400) and an invalid token -> permanent
DeliveryError; any other Telegram error (5xx) -> RetryableDelivery. ChatMigrated is handled by
the channel, which moves the destination first.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import httpx
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
NOT_MODIFIED = "message is not modified"


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whichever type this PTB version gives it as."""
    with warnings.catch_warnings():  # PTB 22 warns that the type will become timedelta
        warnings.simplefilter("ignore")
        value: int | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def not_modified(error: TelegramError) -> bool:
    """Whether an edit failed only because the text is already what it would become."""
    return isinstance(error, BadRequest) and NOT_MODIFIED in error.message.lower()


def delivery_error(error: TelegramError) -> DeliveryError:
    """The DeliveryError that `error` (raised by a send or an edit) amounts to."""
    what = f"Telegram: {type(error).__name__}: {error.message}"
    if isinstance(error, RetryAfter):
        return RetryableDelivery(what, retry_seconds(error))
    if isinstance(error, Forbidden):
        return DestinationGone(what)
    if isinstance(error, BadRequest | InvalidToken):
        return DeliveryError(what)
    if isinstance(error, TimedOut):
        if error.__cause__ is None or isinstance(error.__cause__, NOT_SENT):
            return RetryableDelivery(what)
        return UncertainDelivery(what)
    if isinstance(error, NetworkError) and isinstance(error.__cause__, httpx.TransportError):
        if isinstance(error.__cause__, NOT_SENT):
            return RetryableDelivery(what)
        return UncertainDelivery(what)
    return RetryableDelivery(what)  # 5xx, 502 Bad Gateway: certainly not posted
