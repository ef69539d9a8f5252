"""The webhook channel: each message POSTed as JSON to an HTTP endpoint of the user's.

Wire format: POST {base}/messages with {"destination", "key", "reply_to", "title", "lines",
"quotes", "note", "text"} answers {"id": "..."}; an edit is PUT {base}/messages/{id} with the
same body. `key` is the outbox's idempotency key, so a receiver can drop the rare duplicate.
429 (with Retry-After), 5xx and a
request never sent (NOT_SENT) are retried; 404 and 410 mean the destination is gone.
"""

from __future__ import annotations

import httpx

from bot.compose import Message
from bot.errors import DeliveryError, DestinationGone, RetryableDelivery, UncertainDelivery

GONE = (404, 410)
# Failures before a byte of the request left (a refused connection, a failed DNS lookup, a
# URL httpx cannot send to): certainly not delivered, so retried, never "uncertain" (issue 16).
NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.InvalidURL,
)


class WebhookChannel:
    """Sends messages to a webhook endpoint with httpx."""

    def __init__(
        self,
        base_url: str,
        client: httpx.AsyncClient,
        *,
        spacing_seconds: float = 1.0,
        per_second: float = 25.0,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._client = client
        self._spacing = spacing_seconds
        self.per_second = per_second

    def spacing(self, address: str) -> float:
        return self._spacing

    async def send(
        self, address: str, message: Message, reply_to: str | None, key: str = ""
    ) -> str:
        body = _body(address, message, reply_to, key)
        answer = await self._call("POST", f"{self._base}/messages", body)
        try:
            return str(answer.json()["id"])
        except (ValueError, KeyError, TypeError):
            raise UncertainDelivery("the webhook accepted the message but gave no id") from None

    async def edit(self, address: str, platform_id: str, message: Message) -> None:
        await self._call(
            "PUT", f"{self._base}/messages/{platform_id}", _body(address, message, None, "")
        )

    async def _call(self, method: str, url: str, body: dict[str, object]) -> httpx.Response:
        try:
            answer = await self._client.request(method, url, json=body)
        except NOT_SENT as exc:
            raise RetryableDelivery(
                f"the request to the webhook was never sent: {type(exc).__name__}"
            ) from None
        except httpx.TransportError as exc:
            # Sent, but no answer came back: it may have been posted.
            raise UncertainDelivery(f"no answer from the webhook: {type(exc).__name__}") from None
        if answer.status_code == 429:
            raise RetryableDelivery("rate limited (429)", _retry_after(answer))
        if answer.status_code >= 500:
            raise RetryableDelivery(f"the webhook answered {answer.status_code}")
        if answer.status_code in GONE:
            raise DestinationGone(f"the webhook answered {answer.status_code}")
        if answer.status_code >= 400:
            raise DeliveryError(f"the webhook refused the message ({answer.status_code})")
        return answer


def _body(address: str, message: Message, reply_to: str | None, key: str) -> dict[str, object]:
    return {
        "destination": address,
        "key": key,
        "reply_to": reply_to,
        "title": message.title,
        "lines": list(message.lines),
        "quotes": [{"text": q.text, "source": q.source} for q in message.quotes],
        "note": message.note,
        "text": message.plain(),
    }


def _retry_after(answer: httpx.Response) -> float | None:
    try:
        return max(0.0, float(answer.headers.get("retry-after", "")))
    except ValueError:
        return None
