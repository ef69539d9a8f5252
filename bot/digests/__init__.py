"""Chats' quiet hours and digests (issue 17): when a chat's alerts are held and its digest is
due (`schedules`, pure), and writing the digests that fall due (`Digests`)."""

from bot.digests import schedules
from bot.digests.writer import Digests, digest_key

__all__ = ["Digests", "digest_key", "schedules"]
