"""The SSRF guard for feeds added from chat: they may only reach the public internet.

An operator typing `/addfeed URL` must not be able to make Tallywire talk to this machine, its
network or its cloud's metadata service. Two checks, built on one rule:

- `check_url`, at add time, refuses a URL in plain words: not http(s), credentials before the
  host, a backslash, an internal address in any spelling (`127.1`, `0x7f000001`,
  `[::ffff:127.0.0.1]`...), `localhost`, a name with ANY non-public DNS answer, or an odd port.
- `guarded_transport`, at connect time, applies the same rule to every connection, so every
  redirect hop is checked; it resolves the name once and connects to the checked address
  itself (the address is pinned), so a second DNS answer cannot differ (rebinding). The URL's
  name stays in the Host header and in TLS (SNI and certificate check).

An address is public when `ipaddress` calls it global and it is not multicast, reserved or
IPv6 site-local (`is_global` lets those through). IPv6 forms that carry an IPv4 address
(IPv4-mapped, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address too.
Ports: 80, 443 and 1024-65535. Below 1024 nearly everything else (SMTP, SSH...) is not a web
server, while alternative web servers (8080, 8443, 8000...) live above it. An allowlisted name
or network (`TALLYWIRE_FEED_ALLOW`) is trusted wholesale: address and port rules are waived.
Feeds configured in files or the environment are trusted and do not use this module.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

import httpcore
import httpx

from bot.errors import FeedAddressRefused
from bot.settings import HOST_NAME, NUMERIC_LABEL, AllowList, IPAddress

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""(host, port) -> the host's addresses as strings; raises OSError when it cannot resolve."""

PUBLIC_ONLY = "feeds added from chat must be on the public internet"
_TRICK = "which parsers read differently: a trick that hides where a URL points"
WEB_PORTS = frozenset({80, 443})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CGNAT = IPv4Network("100.64.0.0/10")
_NAT64 = IPv6Network("64:ff9b::/96")
_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order, without repeats."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def why_not_public(address: IPAddress) -> str | None:
    """None if `address` is on the public internet, else what it is ("a loopback address")."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        name, ipv4 = inner
        reason = why_not_public(ipv4)
        # Traffic to these forms ends at the IPv4 address (a public 6to4 one is public anyway).
        return f"{name} form of {ipv4}, {reason}" if reason else None
    if address.is_loopback:
        return "a loopback address"
    if address.is_unspecified:
        return "the unspecified address, which reaches this machine"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services live)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, IPv6Address) and address.is_site_local:
        return "a site-local address"
    if address in _CGNAT:
        return "a carrier-grade NAT (shared) address"
    if any(address in network for network in _PRIVATE):
        return "a private address"
    if address.is_private or address.is_reserved or not address.is_global:
        return "a reserved or special-purpose address"
    return None


def _embedded_ipv4(address: IPAddress) -> tuple[str, IPv4Address] | None:
    if not isinstance(address, IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped", address.ipv4_mapped
    if address in _NAT64:
        return "a NAT64", IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "a 6to4", address.sixtofour
    return None


def _ip_literal(host: str) -> IPAddress | None:
    """The address `host` spells, in any form a resolver would take; None for a name.

    IPv4 is read as browsers and `inet_aton` read it: one to four parts, each decimal, octal
    (leading 0) or hex (0x), the last filling the remaining bytes (`127.1`, `2130706433`).
    Raises FeedAddressRefused for a host that looks numeric but is not a valid address.
    """
    if ":" in host:
        try:
            return ipaddress.ip_address(host)
        except ValueError:
            raise FeedAddressRefused(f"{host!r} is not a valid IPv6 address") from None
    labels = host.lower().split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    numbers = [_ipv4_part(label) for label in labels]
    *head, last = numbers
    if (
        len(numbers) > 4
        or last is None
        or any(n is None or n > 255 for n in head)
        or last >= 256 ** (5 - len(numbers))
    ):
        raise FeedAddressRefused(f"{host!r} looks like an IP address but is not a valid one")
    value = last
    for index, number in enumerate(head):
        value += (number or 0) << (8 * (3 - index))
    return IPv4Address(value)


def _ipv4_part(label: str) -> int | None:
    if not NUMERIC_LABEL.fullmatch(label):
        return None
    if label.startswith("0x"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8) if set(label) <= set("01234567") else None
    return int(label)


def _spelled(host: str, address: IPAddress) -> str:
    """`host` as the operator wrote it, with the address it means when it is an odd spelling."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"{host} ({address})"
    return host


@dataclass(frozen=True)
class _Guard:
    """The one rule, for add time and connect time alike."""

    resolver: Resolver
    allow: AllowList
    treat_as_public: frozenset[IPAddress]

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The addresses `host:port` may be reached at, all checked, in the resolver's order.

        Raises FeedAddressRefused if the host, ANY of its addresses or the port is refused, and
        OSError (from the resolver) if the name cannot be resolved.
        """
        name = host.lower()
        literal = _ip_literal(name)
        if literal is not None:
            answers = [literal]
        elif self.allow.permits_host(name):
            return await self._resolve(name, port)
        elif not HOST_NAME.fullmatch(name):
            raise FeedAddressRefused(f"{host!r} is not a valid host name")
        elif name.rstrip(".") == "localhost" or name.rstrip(".").endswith(".localhost"):
            raise FeedAddressRefused(f"{host} is this machine: {PUBLIC_ONLY}")
        else:
            answers = await self._resolve(name, port)
        allowed = [self.allow.permits_address(a) for a in answers]
        for address, ok in zip(answers, allowed, strict=True):
            public = ok or address in self.treat_as_public
            reason = None if public else why_not_public(address)
            if reason is not None and literal is not None:
                raise FeedAddressRefused(f"{_spelled(host, address)} is {reason}: {PUBLIC_ONLY}")
            if reason is not None:
                raise FeedAddressRefused(f"{host} resolves to {address}, {reason}: {PUBLIC_ONLY}")
        if not all(allowed) and not (port in WEB_PORTS or 1024 <= port <= 65535):
            raise FeedAddressRefused(f"port {port} is not a web port: use 80, 443 or 1024-65535")
        return answers

    async def _resolve(self, name: str, port: int) -> list[IPAddress]:
        try:
            answers = [ipaddress.ip_address(text) for text in await self.resolver(name, port)]
        except ValueError:
            raise FeedAddressRefused(f"the resolver gave {name} a non-address") from None
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, f"{name} has no addresses")
        return answers


def _public_set(addresses: Iterable[str]) -> frozenset[IPAddress]:
    return frozenset(ipaddress.ip_address(a) for a in addresses)


async def check_url(
    url: str,
    resolver: Resolver,
    allow: AllowList,
    *,
    treat_as_public: frozenset[str] = frozenset(),
) -> None:
    """Refuse `url` as a feed added from chat unless it is an http(s) URL on the public internet.

    Resolves the host with `resolver`. Returns None when the URL may be added; raises
    FeedAddressRefused saying why otherwise, including when the host cannot be resolved.
    `treat_as_public` lists addresses to treat as public (a test hook).
    """
    if "\\" in url:
        raise FeedAddressRefused(f"the URL contains a backslash, {_TRICK}")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise FeedAddressRefused("the URL contains spaces or control characters")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise FeedAddressRefused(_unparsable(url)) from None
    if parsed.scheme not in _DEFAULT_PORTS:
        raise FeedAddressRefused(
            f"only http and https feeds can be added from chat, not {parsed.scheme or 'this'!r}"
        )
    if parsed.userinfo or "@" in re.split(r"[/?#]", url.split("://", 1)[-1], maxsplit=1)[0]:
        raise FeedAddressRefused(f"the URL has a user name or password ('user@'), {_TRICK}")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise FeedAddressRefused("the URL has no host")
    guard = _Guard(resolver, allow, _public_set(treat_as_public))
    try:
        port = _DEFAULT_PORTS[parsed.scheme] if parsed.port is None else parsed.port
        await guard.addresses(host, port)
    except OSError:
        raise FeedAddressRefused(f"{host} could not be resolved, so it cannot be checked") from None


def _unparsable(url: str) -> str:
    """Why httpx cannot read `url`: an internal address in a spelling it rejects (`0177.0.0.1`)
    is still named as such, so the operator hears the real reason."""
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return "not a valid URL"
    address = _ip_literal(host) if host else None
    reason = why_not_public(address) if address else None
    if address is None or reason is None:
        return "not a valid URL"
    return f"{_spelled(host, address)} is {reason}: {PUBLIC_ONLY}"


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the guard has checked, by address, never by name.

    A refusal is raised as FeedAddressRefused, which httpx and httpcore let through unchanged,
    so `fetch_feed` surfaces it with its message. Resolver failures become httpcore's
    ConnectError (caused by the OSError), as an unguarded connection would raise.
    """

    def __init__(self, guard: _Guard, inner: httpcore.AsyncNetworkBackend) -> None:
        self._guard = guard
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._guard.addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"could not resolve {host}") from exc
        failure = httpcore.ConnectError(f"no address of {host} could be reached")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    resolver: Resolver,
    allow: AllowList,
    treat_as_public: frozenset[str] = frozenset(),
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncBaseTransport:
    """An httpx transport that connects only where feeds added from chat may go.

    Every connection (so every redirect hop) resolves its host once with `resolver`, is refused
    with FeedAddressRefused if any answer or the port is refused (see the module docstring),
    and connects to a checked address. No proxy is used. TLS is verified against `ssl_context`
    (httpx's default CAs if None) for the URL's host name. `treat_as_public` is a test hook.
    Raises ValueError if `treat_as_public` holds something that is not an address.
    """
    guard = _Guard(resolver, allow, _public_set(treat_as_public))
    context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=context, trust_env=False)
    # httpx 0.28 has no public way to give its pool a network backend, so the pool it built is
    # replaced by one with the same settings plus ours (httpcore's documented argument). The
    # integration tests fail, with requests reaching the private servers, if this stops working.
    limits = httpx.Limits()
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_GuardedBackend(guard, httpcore.AnyIOBackend()),
    )
    return transport
