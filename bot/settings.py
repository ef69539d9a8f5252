"""Settings, read once from an explicit environment mapping.

Nothing here reads `os.environ` by itself: the composition root passes the mapping in, so tests
and the CLI decide what the environment is. Secrets are kept out of `repr`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.resources import shipped_dir

DEFAULT_DATABASE_URL = "sqlite:///tallywire.db"
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")  # LOG_LEVEL, in any case
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_SLACK_PER_SECOND = 10.0
MIN_LEASE_SECONDS = 2.0
MAX_PORT = 65535
IPAddress = IPv4Address | IPv6Address
_T = TypeVar("_T")
IPNetwork = IPv4Network | IPv6Network
# A host name as the feed guard and the allowlist accept it, and a label that is a number
# (a host name ending in one is an address in disguise).
HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
USER_AGENT = "Tallywire/0.1 (news-figure alerting bot; +https://github.com/tallywire/tallywire)"


@dataclass(frozen=True)
class AllowList:
    """Host names and networks an operator permits despite being internal."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    def permits_host(self, host: str) -> bool:
        """True if `host` (any case, trailing dot or not) is a listed name."""
        return host.lower().rstrip(".") in self.hosts

    def permits_address(self, address: IPAddress) -> bool:
        """True if `address` lies inside a listed network."""
        return any(address in network for network in self.networks)


def parse_allowlist(value: str | None) -> AllowList:
    """The AllowList of a comma-separated `TALLYWIRE_FEED_ALLOW` value; empty for None or "".

    Entries are addresses (`127.0.0.1`, `[::1]`), networks (`10.0.0.0/8`) or exact ASCII host
    names (`intranet.example`; no wildcards). Raises ConfigError naming a malformed entry.
    """
    hosts: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in (value or "").split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry.removeprefix("[").removesuffix("]")))
            continue
        except ValueError:
            pass
        if not HOST_NAME.fullmatch(entry) or NUMERIC_LABEL.fullmatch(
            entry.rstrip(".").split(".")[-1]
        ):
            raise ConfigError(
                f"TALLYWIRE_FEED_ALLOW: {raw.strip()!r} is not a host name, an address or a"
                " network such as 10.0.0.0/8 (host bits must be zero)"
            )
        hosts.add(entry.rstrip("."))
    return AllowList(frozenset(hosts), tuple(networks))


@dataclass(frozen=True)
class FetchLimits:
    """How far one feed fetch may go before it is cut off."""

    timeout_seconds: float = 20.0
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class PollLimits:
    """How much work one poll of one feed may do, so that no feed holds up the others.

    `max_items`: the feed's newest items ingested a poll, the older ones dropped;
    `extract_max_chars`: the characters of one document's text read for figures;
    `budget_seconds`: time a poll may spend storing documents before the rest waits for the next
    round; `lease_seconds`: how long a feed's claim lasts without being renewed (a live poll
    renews it).
    """

    max_items: int = 200
    extract_max_chars: int = 100_000
    budget_seconds: float = 30.0
    lease_seconds: float = 120.0


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to build Tallywire."""

    database_url: str = DEFAULT_DATABASE_URL
    config_dirs: tuple[Path, ...] = ()
    seeds_dir: Path | None = None
    # TALLYWIRE_SEEDS named (`on` or a folder): the seeds are replayed even beside real feeds;
    # unset, they are only while no feed is configured (`seeds_beside`).
    seeds_asked: bool = False
    feed_urls: tuple[str, ...] = ()
    poll_seconds: int = 600
    fetch: FetchLimits = field(default_factory=FetchLimits)
    poll: PollLimits = field(default_factory=PollLimits)
    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = field(default=None, repr=False)
    telegram_polling: bool = True  # TALLYWIRE_TELEGRAM_POLLING=off: only one worker may poll
    # False in a `run --worker` process: the chat platforms' HTTP modes (the Telegram webhook,
    # Slack's events URL) are served by the web process, and this one only sends there.
    chat_http: bool = True
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    # Slack's messages a second overall (TALLYWIRE_SLACK_PER_SECOND): its workspace-wide limit
    # is unstated ("several hundred messages per minute"), so 10 unless the operator knows more.
    slack_per_second: float = DEFAULT_SLACK_PER_SECOND
    webhook_url: str | None = None
    webhook_spacing: float = 1.0
    admins: frozenset[str] = frozenset()
    port: int | None = None
    log_level: str = "INFO"
    log_format: str = "text"
    feed_allow: AllowList = field(default_factory=AllowList)
    # The whole mapping the settings were read from, for the settings that have no field here:
    # a chat platform installed from elsewhere reads its own variables in it (issue 13).
    env: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str], config_dir: Path | None = None) -> Settings:
        """Build settings from `env`; `config_dir` is the shipped config folder (found if None).

        Raises ConfigError naming every malformed variable, not only the first (`; ` between
        them), so that `tallywire check` names each problem at once.
        """
        problems: list[str] = []

        def read(value: Callable[[], _T], fallback: _T) -> _T:
            try:
                return value()
            except ConfigError as exc:
                problems.append(str(exc))
                return fallback

        shipped_config = config_dir or shipped_dir("config")
        no_config: tuple[Path, ...] = ()
        settings = cls(
            database_url=read(
                lambda: database_url_of(
                    _get(env, "DATABASE_URL") or DEFAULT_DATABASE_URL, "DATABASE_URL"
                ),
                DEFAULT_DATABASE_URL,
            ),
            config_dirs=(*read(lambda: _user_config(env), no_config), shipped_config),
            seeds_dir=read(lambda: _seeds_dir(_get(env, "TALLYWIRE_SEEDS")), None),
            seeds_asked=(_get(env, "TALLYWIRE_SEEDS") or "off").lower() != "off",
            feed_urls=_split(_get(env, "TALLYWIRE_FEEDS")),
            poll_seconds=read(lambda: _int(env, "TALLYWIRE_POLL_SECONDS", 600, minimum=1), None)
            or 600,
            fetch=FetchLimits(
                timeout_seconds=read(lambda: _float(env, "TALLYWIRE_FETCH_TIMEOUT", 20.0), 20.0),
                max_bytes=read(
                    lambda: _int(env, "TALLYWIRE_FETCH_MAX_BYTES", None, minimum=1024), None
                )
                or FetchLimits.max_bytes,
            ),
            poll=read(lambda: _poll_limits(env), PollLimits()),
            telegram_token=_get(env, "TELEGRAM_BOT_TOKEN"),
            telegram_api_url=_get(env, "TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL,
            telegram_webhook_url=read(lambda: _url(env, "TELEGRAM_WEBHOOK_URL"), None),
            telegram_webhook_secret=_get(env, "TELEGRAM_WEBHOOK_SECRET"),
            telegram_polling=read(
                lambda: _choice(env, "TALLYWIRE_TELEGRAM_POLLING", ("on", "off"), "on"), "on"
            )
            == "on",
            slack_bot_token=_get(env, "SLACK_BOT_TOKEN"),
            slack_app_token=_get(env, "SLACK_APP_TOKEN"),
            slack_signing_secret=_get(env, "SLACK_SIGNING_SECRET"),
            slack_api_url=_get(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL,
            slack_per_second=read(
                lambda: _float(env, "TALLYWIRE_SLACK_PER_SECOND", DEFAULT_SLACK_PER_SECOND),
                DEFAULT_SLACK_PER_SECOND,
            ),
            webhook_url=read(lambda: _url(env, "TALLYWIRE_WEBHOOK_URL"), None),
            webhook_spacing=read(
                lambda: _float(env, "TALLYWIRE_WEBHOOK_SPACING", 1.0, allow_zero=True), 1.0
            ),
            admins=frozenset(_split(_get(env, "TALLYWIRE_ADMINS"))),
            port=read(lambda: _int(env, "PORT", None, minimum=1, maximum=MAX_PORT), None),
            log_level=read(lambda: _choice(env, "LOG_LEVEL", LOG_LEVELS, "info"), "info").upper(),
            log_format=read(lambda: _choice(env, "LOG_FORMAT", ("text", "json"), "text"), "text"),
            feed_allow=read(
                lambda: parse_allowlist(_get(env, "TALLYWIRE_FEED_ALLOW")), AllowList()
            ),
            env=MappingProxyType(dict(env)),
        )
        if problems:
            raise ConfigError("; ".join(problems))
        return settings

    def with_database(self, url: str | None) -> Settings:
        """These settings with the store at `url` (as `--db` gives it: a URL or a SQLite file's
        path), or unchanged if None. Raises ConfigError on a store Tallywire cannot use."""
        if not url:
            return self
        return dataclasses.replace(self, database_url=database_url_of(url, "--db"))

    def seeds_beside(self, feed_count: int) -> Settings:
        """These settings with the seeds off when `feed_count` real feeds are configured and
        TALLYWIRE_SEEDS did not ask for them: a deployment's news are its feeds, and the seeds'
        dated articles would reach its chats as news (issue 16)."""
        if feed_count == 0 or self.seeds_asked or self.seeds_dir is None:
            return self
        return dataclasses.replace(self, seeds_dir=None)

    def config_file(self, name: str) -> Path | None:
        """The user's `name` if TALLYWIRE_CONFIG has it, else the shipped one, else None."""
        for folder in self.config_dirs:
            path = folder / name
            if path.is_file():
                return path
        return None


def database_url_of(value: str, where: str) -> str:
    """The SQLAlchemy URL of `value`, a database URL or a SQLite file's path (`/srv/x.db`,
    `x.db`); `where` names the setting in the error. Raises ConfigError for a store Tallywire
    does not run on, naming the forms it takes."""
    if "://" not in value:
        return f"sqlite:///{value}"
    scheme = value.split("://", 1)[0].lower()
    if scheme.split("+", 1)[0] not in DATABASE_SCHEMES:
        raise ConfigError(
            f"{where}: {scheme}:// is not a store Tallywire runs on; give a SQLite file's path"
            " (/srv/tallywire.db or sqlite:////srv/tallywire.db) or a PostgreSQL URL"
            " (postgresql://user:password@host/database)"
        )
    return normalize_database_url(value)


def normalize_database_url(url: str) -> str:
    """SQLAlchemy's spelling of `url`: `postgres://` (PaaS style) becomes psycopg 3's."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _poll_limits(env: Mapping[str, str]) -> PollLimits:
    default = PollLimits()
    lease = _float(env, "TALLYWIRE_POLL_LEASE", default.lease_seconds)
    if lease < MIN_LEASE_SECONDS:
        # A live poll renews its lease every third of it: shorter would be mostly renewing.
        raise ConfigError(f"TALLYWIRE_POLL_LEASE={lease:g} must be at least {MIN_LEASE_SECONDS:g}")
    return PollLimits(
        max_items=_int(env, "TALLYWIRE_POLL_MAX_ITEMS", default.max_items, minimum=1)
        or default.max_items,
        extract_max_chars=_int(
            env, "TALLYWIRE_EXTRACT_MAX_CHARS", default.extract_max_chars, minimum=1000
        )
        or default.extract_max_chars,
        budget_seconds=_float(env, "TALLYWIRE_POLL_BUDGET", default.budget_seconds),
        lease_seconds=lease,
    )


def _user_config(env: Mapping[str, str]) -> tuple[Path, ...]:
    user_config = _get(env, "TALLYWIRE_CONFIG")
    if not user_config:
        return ()
    if not Path(user_config).is_dir():
        raise ConfigError(f"TALLYWIRE_CONFIG={user_config!r} is not a folder")
    return (Path(user_config),)


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _seeds_dir(value: str | None) -> Path | None:
    if value is None or value.lower() == "on":
        return shipped_dir("seeds")
    if value.lower() == "off":
        return None
    path = Path(value)
    if not path.is_dir():
        raise ConfigError(f"TALLYWIRE_SEEDS={value!r} is not a folder, 'on' or 'off'")
    return path


def _int(
    env: Mapping[str, str],
    name: str,
    default: int | None,
    minimum: int,
    maximum: int | None = None,
) -> int | None:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} must be at most {maximum}")
    return value


def _url(env: Mapping[str, str], name: str) -> str | None:
    """The http(s) URL in `name`, or None when unset. Raises ConfigError unless it has an http
    or https scheme and a host: a URL that cannot be sent to would fail every message."""
    raw = _get(env, name)
    if raw is None:
        return None
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{name} is not an http(s) URL with a host (such as https://hooks.example.com/tally)"
        )
    return raw


def _float(env: Mapping[str, str], name: str, default: float, allow_zero: bool = False) -> float:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(f"{name}={raw!r} must be positive")
    return value


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = (_get(env, name) or default).lower()
    if raw not in allowed:
        raise ConfigError(f"{name}={raw!r} must be one of {', '.join(allowed)}")
    return raw
