"""Telegram destinations and their limits. Pure.

A destination is "telegram:<chat_id>", or "telegram:<chat_id>/<message_thread_id>" for a topic
of a forum supergroup (the topic /subscribe was typed in). Private chats have positive ids;
groups, supergroups and channels negative ones.
"""

from __future__ import annotations

PRIVATE_SPACING = 1.0  # at most one message a second to one chat
GROUP_SPACING = 3.1  # at most 20 a minute to a group or channel, edits included (3 s + margin)


def parse_address(address: str) -> tuple[int, int | None]:
    """(chat id, topic id or None) of an address: "-100123/7" is (-100123, 7). ValueError when
    it is not one."""
    chat, _, topic = address.partition("/")
    return int(chat), int(topic) if topic else None


def address_for(chat_id: int, topic_id: int | None = None) -> str:
    """The address of a chat, or of a forum topic in it."""
    return f"{chat_id}/{topic_id}" if topic_id else str(chat_id)


def destination_for(chat_id: int, topic_id: int | None = None) -> str:
    """The destination ("telegram:…") of a chat or forum topic."""
    return f"telegram:{address_for(chat_id, topic_id)}"


def spacing_for(chat_id: int) -> float:
    """Seconds between two messages to this chat: 1 for a private chat, 3.1 for a group or
    channel (20 a minute, edits included)."""
    return PRIVATE_SPACING if chat_id > 0 else GROUP_SPACING
