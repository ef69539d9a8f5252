"""Which feeds to poll: `config/feeds.toml` plus the URLs in `TALLYWIRE_FEEDS`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.settings import Settings
from bot.sources.documents import digest

FEEDS_FILE = "feeds.toml"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class FeedSpec:
    """A feed to poll. `origin` is "config" or "env" (trusted as given) or "chat"."""

    id: str
    url: str
    label: str
    interval_seconds: int | None = None
    origin: str = "config"


def load_feeds(settings: Settings) -> list[FeedSpec]:
    """The configured feeds, file first, then TALLYWIRE_FEEDS; a URL listed twice counts once.

    Raises ConfigError naming the file and entry on a malformed feed.
    """
    path = settings.config_file(FEEDS_FILE)
    specs: list[FeedSpec] = []
    if path is not None:
        try:
            rows = tomllib.loads(path.read_text(encoding="utf-8")).get("feeds", [])
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        specs = [_from_row(row, f"{path} feed #{n}") for n, row in enumerate(rows, 1)]
    for url in settings.feed_urls:
        check_feed_url(url, "TALLYWIRE_FEEDS")
        specs.append(FeedSpec(feed_id_for(url), url, urlsplit(url).netloc, None, "env"))
    return _unique(specs)


def feed_id_for(url: str) -> str:
    """A readable, stable id for a feed known only by its URL: its host and a short digest."""
    host = _SLUG.sub("-", (urlsplit(url).hostname or "feed").lower()).strip("-")
    return f"{host[:40]}-{digest(url)[:6]}"


def check_feed_url(url: str, where: str) -> None:
    """Raise ConfigError unless `url` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL")


def _from_row(row: object, where: str) -> FeedSpec:
    if not isinstance(row, dict):
        raise ConfigError(f"{where}: expected a table with id and url")
    feed_id, url = row.get("id"), row.get("url")
    if not isinstance(feed_id, str) or not _ID.match(feed_id):
        raise ConfigError(f"{where}: id must be letters, digits, '-', '_' or '.', not {feed_id!r}")
    if not isinstance(url, str):
        raise ConfigError(f"{where}: url is missing")
    check_feed_url(url, where)
    interval = row.get("interval")
    if interval is not None and (not isinstance(interval, int) or interval < 1):
        raise ConfigError(f"{where}: interval must be a whole number of seconds, not {interval!r}")
    return FeedSpec(feed_id, url, str(row.get("label") or feed_id), interval, "config")


def _unique(specs: list[FeedSpec]) -> list[FeedSpec]:
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    unique = []
    for spec in specs:
        if spec.id in seen_ids:
            raise ConfigError(f"feed id {spec.id!r} is used twice")
        if spec.url not in seen_urls:
            unique.append(spec)
            seen_ids.add(spec.id)
            seen_urls.add(spec.url)
    return unique
