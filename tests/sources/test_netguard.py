"""bot.netguard: feeds added from chat reach only the public internet (reliability.md item 21).

Unit tables run `check_url` with an injected resolver. Integration tests point the real feed
client (`make_client` + `fetch_feed`) through `guarded_transport` at real HTTP servers on
loopback, each recording every request it receives, and assert that the private ones receive
none: directly, after a redirect, and when DNS answers change between check and connect.
"127.0.0.2" plays a public host (the guard is told to treat it as public); "127.0.0.1" plays
the private target. Fetches are bounded by `LIMITS.timeout_seconds`; servers stop on exit.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.errors import ConfigError, FeedAddressRefused, FetchError
from bot.settings import AllowList, FetchLimits, parse_allowlist
from bot.sources.fetch import Validators, fetch_feed, make_client
from bot.sources.netguard import (
    PUBLIC_ONLY,
    Resolver,
    check_url,
    guarded_transport,
    system_resolver,
    why_not_public,
)

LIMITS = FetchLimits(timeout_seconds=2.0)
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>\n'
PUBLIC = "93.184.216.34"  # example.com's long-standing address; never contacted by these tests
NOTHING = AllowList()


class FakeResolver:
    """Answers from `table`, or from `then` once a host has been asked before (a rebinding
    DNS server). Unknown hosts do not resolve. Records every (host, port) asked."""

    def __init__(
        self, table: Mapping[str, list[str]], then: Mapping[str, list[str]] | None = None
    ) -> None:
        self._first = table
        self._then = {**table, **(then or {})}
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        name = host.rstrip(".")  # as DNS does: "a.test." is "a.test"
        asked_before = any(h.rstrip(".") == name for h, _ in self.calls)
        self.calls.append((host, port))
        answers = (self._then if asked_before else self._first).get(name)
        if answers is None:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: unknown")
        return list(answers)


TABLE = {
    "example.test": [PUBLIC],
    "v6.example.test": ["2606:4700::1111"],
    "internal.test": ["10.0.0.5"],
    "mixed.test": [PUBLIC, "127.0.0.1"],
    "v6loop.test": [PUBLIC, "::1"],
    "metadata.test": ["169.254.169.254"],
}


# --- Unit: check_url -------------------------------------------------------------------------


async def test_refusal_message_says_why_in_plain_words() -> None:
    with pytest.raises(FeedAddressRefused) as refused:
        await check_url("http://127.0.0.1:8080/feed.xml", FakeResolver(TABLE), NOTHING)
    assert str(refused.value) == (
        "127.0.0.1 is a loopback address: feeds added from chat must be on the public internet"
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT (shared) address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved or special-purpose address"),
        ("http://255.255.255.255/", "255.255.255.255 is a reserved or special-purpose address"),
        ("http://192.0.2.1/", "192.0.2.1 is a reserved or special-purpose address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::]/", ":: is the unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fc00::1]/", "fc00::1 is a private address"),
        ("http://[fec0::1]/", "fec0::1 is a site-local address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[::ffff:127.0.0.1]/", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
        ("http://[::ffff:169.254.169.254]/", "form of 169.254.169.254, a link-local address"),
        ("http://[64:ff9b::7f00:1]/", "a NAT64 form of 127.0.0.1, a loopback address"),
        ("http://[2002:7f00:1::]/", "a 6to4 form of 127.0.0.1, a loopback address"),
        # Spellings that inet_aton, glibc's getaddrinfo and browsers all read as 127.0.0.1.
        ("http://0x7f000001/", "0x7f000001 (127.0.0.1) is a loopback address"),
        ("http://2130706433/", "2130706433 (127.0.0.1) is a loopback address"),
        ("http://0177.0.0.1/", "0177.0.0.1 (127.0.0.1) is a loopback address"),
        ("http://127.1/", "127.1 (127.0.0.1) is a loopback address"),
        ("http://0x7f.0.0.1/", "0x7f.0.0.1 (127.0.0.1) is a loopback address"),
        ("http://127.0.0.1./", "127.0.0.1. (127.0.0.1) is a loopback address"),
        ("http://127。0。0。1/", "127.0.0.1 is a loopback address"),  # ideographic full stops
        ("http://0/", "0 (0.0.0.0) is the unspecified address"),
        ("http://localhost/", "localhost is this machine"),
        ("http://LocalHost./feed", "localhost. is this machine"),
        ("http://feeds.localhost/", "feeds.localhost is this machine"),
        ("http://internal.test/", "internal.test resolves to 10.0.0.5, a private address"),
        ("http://mixed.test/", "mixed.test resolves to 127.0.0.1, a loopback address"),
        ("http://v6loop.test/", "v6loop.test resolves to ::1, a loopback address"),
        ("https://metadata.test/", "metadata.test resolves to 169.254.169.254, a link-local"),
    ],
)
async def test_internal_addresses_are_refused(url: str, says: str) -> None:
    with pytest.raises(FeedAddressRefused) as refused:
        await check_url(url, FakeResolver(TABLE), NOTHING)
    message = str(refused.value)
    assert says in message
    assert message.endswith(PUBLIC_ONLY) or "this machine" in message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        # The classic parser confusion: urllib sees host PUBLIC, WHATWG sees INTERNAL.
        ("http://INTERNAL:8888\\@example.test/", "backslash"),
        ("http://a@b/", "user name or password"),
        ("http://user:secret@example.test/feed", "user name or password"),
        ("http://@example.test/", "user name or password"),
        ("ftp://example.test/feed.xml", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.test:70/", "only http and https"),
        ("example.test/feed.xml", "only http and https"),
        ("http:///feed.xml", "no host"),
        ("http://example.test/a b", "spaces or control characters"),
        ("http://1.2.3.4.5/", "looks like an IP address but is not a valid one"),
        ("http://0x100.0.0.1/", "looks like an IP address but is not a valid one"),
        ("http://%31%32%37.0.0.1/", "looks like an IP address but is not a valid one"),
        ("http://[::1/", "not a valid URL"),
        ("http://example.test:22/", "port 22 is not a web port"),
        ("http://example.test:25/", "port 25 is not a web port"),
        ("http://example.test:0/", "port 0 is not a web port"),
        ("http://example.test:65536/", "port 65536 is not a web port"),
        ("http://nowhere.test/", "nowhere.test could not be resolved"),
    ],
)
async def test_tricks_odd_schemes_and_ports_are_refused(url: str, says: str) -> None:
    with pytest.raises(FeedAddressRefused) as refused:
        await check_url(url, FakeResolver(TABLE), NOTHING)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.test/feed.xml",
        "https://example.test/feed.xml",
        "HTTPS://Example.TEST./rss",
        "http://example.test:8080/rss",
        "https://example.test:8443/rss",
        "http://example.test:443/rss",
        "https://v6.example.test/atom",
        "https://example.test/@newsroom/feed",  # '@' in the path is not userinfo
        "https://example.test/feed?by=a@b#x@y",
        "http://8.8.8.8/feed",
        "http://[2606:4700::1111]/feed",
        "http://[::ffff:8.8.8.8]/feed",  # IPv4-mapped, judged by the IPv4 address
    ],
)
async def test_public_feeds_are_accepted(url: str) -> None:
    await check_url(url, FakeResolver(TABLE), NOTHING)


async def test_address_literals_are_not_sent_to_the_resolver() -> None:
    resolver = FakeResolver({})
    for url in ("http://8.8.8.8/", "http://[2606:4700::1111]/"):
        await check_url(url, resolver, NOTHING)
    with pytest.raises(FeedAddressRefused):
        await check_url("http://0x7f000001/", resolver, NOTHING)
    assert resolver.calls == []


async def test_the_resolver_is_asked_for_the_urls_port() -> None:
    resolver = FakeResolver({"example.test": [PUBLIC]})
    await check_url("https://example.test/", resolver, NOTHING)
    await check_url("http://example.test:8080/", resolver, NOTHING)
    assert resolver.calls == [("example.test", 443), ("example.test", 8080)]


async def test_allowlisted_hosts_and_networks_are_accepted_whatever_the_port() -> None:
    allow = parse_allowlist("127.0.0.1, 10.0.0.0/8, intranet.example")
    await check_url("http://127.0.0.1:631/feed", FakeResolver(TABLE), allow)
    await check_url("http://internal.test/feed", FakeResolver(TABLE), allow)  # resolves to 10.0.0.5
    await check_url("http://10.200.0.1:22/feed", FakeResolver(TABLE), allow)
    intranet = FakeResolver({"intranet.example": ["192.168.7.7"]})
    await check_url("http://Intranet.Example./feed", intranet, allow)
    with pytest.raises(FeedAddressRefused, match=re.escape("127.0.0.2 is a loopback")):
        await check_url("http://127.0.0.2/", FakeResolver(TABLE), allow)
    with pytest.raises(FeedAddressRefused, match=re.escape("127.0.0.1, a loopback")):
        await check_url("http://mixed.test/", FakeResolver(TABLE), parse_allowlist("10.0.0.0/8"))


async def test_treat_as_public_is_a_test_hook_for_loopback_stand_ins() -> None:
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})
    await check_url(
        "http://public.test/", resolver, NOTHING, treat_as_public=frozenset({"127.0.0.2"})
    )
    with pytest.raises(FeedAddressRefused):
        await check_url("http://public.test/", resolver, NOTHING)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, AllowList()),
        ("", AllowList()),
        (" , ", AllowList()),
        (
            " 127.0.0.1, 10.0.0.0/8 ,[::1], Intranet.Example., fd00::/8",
            AllowList(
                frozenset({"intranet.example"}),
                tuple(
                    ipaddress.ip_network(n)
                    for n in ("127.0.0.1/32", "10.0.0.0/8", "::1/128", "fd00::/8")
                ),
            ),
        ),
    ],
)
def test_parse_allowlist(value: str | None, expected: AllowList) -> None:
    assert parse_allowlist(value) == expected


@pytest.mark.parametrize(
    "value", ["10.0.0.5/8", "feeds intranet", "*.example", "1.2.3", "ex/ample"]
)
def test_parse_allowlist_names_the_bad_entry(value: str) -> None:
    with pytest.raises(ConfigError, match="TALLYWIRE_FEED_ALLOW") as error:
        parse_allowlist(f"10.0.0.0/8, {value}")
    assert repr(value) in str(error.value)


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::", "64:ff9b::808:808"],
)
def test_public_addresses_have_no_reason(address: str) -> None:
    assert why_not_public(ipaddress.ip_address(address)) is None


async def test_system_resolver_answers_literals_without_dns() -> None:
    assert await system_resolver("127.0.0.1", 80) == ["127.0.0.1"]
    assert await system_resolver("::1", 80) == ["::1"]


# --- Integration: real servers on loopback ---------------------------------------------------

GUARD_PUBLIC = frozenset({"127.0.0.2", "127.0.0.3"})  # loopback stand-ins for public hosts


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class Server:
    """A real HTTP(S) server on `host`: `routes` maps a path to (status, headers, body), other
    paths get a feed. Records every request and every TLS server name (SNI) it receives."""

    host: str
    port: int = 0
    scheme: str = "http"
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)

    def url(self, path: str = "/feed.xml", host: str | None = None) -> str:
        host = host or self.host
        return f"{self.scheme}://{f'[{host}]' if ':' in host else host}:{self.port}{path}"

    def redirect(self, path: str, location: str) -> None:
        self.routes[path] = (302, {"Location": location}, b"")


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@contextmanager
def serving(host: str, port: int = 0, tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    """Run a Server on `host:port` (HTTPS with `tls`) in a thread until the block ends."""
    state = Server(host, scheme="https" if tls else "http")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, headers, body = state.routes.get(self.path, (200, {}, FEED))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = (_IPv6Server if ":" in host else ThreadingHTTPServer)((host, port), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        tls.sni_callback = lambda _sock, name, _ctx: state.server_names.append(name)
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def private() -> Iterator[Server]:
    with serving("127.0.0.1") as running:
        yield running


@pytest.fixture
def public() -> Iterator[Server]:
    with serving("127.0.0.2") as running:
        yield running


@pytest.fixture
def private_ipv6() -> Iterator[Server]:
    with ExitStack() as stack:
        try:
            server = stack.enter_context(serving("::1"))
        except OSError:
            pytest.skip("no IPv6 loopback here")
        yield server


@pytest.fixture
def same_port() -> Iterator[tuple[Server, Server]]:
    """A "public" server on 127.0.0.2 and a private one on 127.0.0.1 on the SAME port, so a
    connection that went to the wrong address would reach the private one and be counted."""
    for _ in range(20):
        with ExitStack() as stack:
            public = stack.enter_context(serving("127.0.0.2"))
            try:
                private = stack.enter_context(serving("127.0.0.1", public.port))
            except OSError:
                continue  # that port is taken on 127.0.0.1; try another
            yield public, private
            return
    pytest.fail("no port free on both 127.0.0.1 and 127.0.0.2")


async def fetch(
    resolver: Resolver,
    url: str,
    allow: AllowList = NOTHING,
    ssl_context: ssl.SSLContext | None = None,
) -> bytes | None:
    """The body of `url` fetched by the feed client through the guard."""
    transport = guarded_transport(resolver, allow, GUARD_PUBLIC, ssl_context=ssl_context)
    async with make_client(LIMITS, transport=transport) as client:
        return (await fetch_feed(client, url, Validators(), LIMITS)).body


async def test_a_loopback_feed_is_refused_before_any_request(private: Server) -> None:
    with pytest.raises(FetchError) as refused:
        await fetch(FakeResolver({}), private.url())
    assert isinstance(refused.value, FeedAddressRefused)
    assert str(refused.value) == f"127.0.0.1 is a loopback address: {PUBLIC_ONLY}"
    assert private.seen == []


async def test_a_name_that_resolves_to_loopback_is_refused(private: Server) -> None:
    resolver = FakeResolver({"feeds.test": ["127.0.0.1"]})
    with pytest.raises(
        FeedAddressRefused, match=re.escape("feeds.test resolves to 127.0.0.1, a loopback")
    ):
        await fetch(resolver, private.url(host="feeds.test"))
    assert private.seen == []


async def test_ipv6_loopback_and_its_ipv4_mapped_form_are_refused(
    private_ipv6: Server, private: Server
) -> None:
    with pytest.raises(FeedAddressRefused, match=re.escape("::1 is a loopback address")):
        await fetch(FakeResolver({}), private_ipv6.url())
    with pytest.raises(FeedAddressRefused, match=re.escape("IPv4-mapped form of 127.0.0.1")):
        await fetch(FakeResolver({}), private.url(host="::ffff:127.0.0.1"))
    assert (private_ipv6.seen, private.seen) == ([], [])


@pytest.mark.parametrize("spelling", ["0x7f000001", "2130706433", "127.1", "0x7f.0.0.1"])
async def test_odd_spellings_of_loopback_are_refused(private: Server, spelling: str) -> None:
    with pytest.raises(FeedAddressRefused, match=re.escape("(127.0.0.1) is a loopback address")):
        await fetch(system_resolver, private.url(host=spelling))
    assert private.seen == []


async def test_a_public_host_is_fetched_at_its_checked_address_with_its_own_name(
    public: Server,
) -> None:
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})

    body = await fetch(resolver, public.url(host="public.test"))

    assert body == FEED
    [request] = public.seen
    assert request.headers["host"] == f"public.test:{public.port}"
    assert resolver.calls == [("public.test", public.port)]


async def test_redirect_to_loopback_is_refused_at_that_hop(public: Server, private: Server) -> None:
    public.redirect("/feed.xml", private.url("/secret"))
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})

    with pytest.raises(FeedAddressRefused, match=re.escape("127.0.0.1 is a loopback address")):
        await fetch(resolver, public.url(host="public.test"))

    assert [r.path for r in public.seen] == ["/feed.xml"]
    assert private.seen == []


async def test_redirect_to_a_name_that_resolves_private_is_refused(
    public: Server, private: Server
) -> None:
    public.redirect("/feed.xml", private.url("/secret", host="internal.test"))
    resolver = FakeResolver({"public.test": ["127.0.0.2"], "internal.test": ["127.0.0.1"]})

    with pytest.raises(FeedAddressRefused, match=re.escape("internal.test resolves to 127.0.0.1")):
        await fetch(resolver, public.url(host="public.test"))

    assert len(public.seen) == 1
    assert private.seen == []


async def test_redirect_to_a_non_web_port_is_refused(public: Server) -> None:
    public.redirect("/feed.xml", "http://public.test:25/")
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})

    with pytest.raises(FeedAddressRefused, match="port 25 is not a web port"):
        await fetch(resolver, public.url(host="public.test"))


async def test_redirects_between_public_hosts_still_work(public: Server) -> None:
    public.redirect("/old", public.url("/feed.xml", host="moved.test"))
    resolver = FakeResolver({"public.test": ["127.0.0.2"], "moved.test": ["127.0.0.2"]})

    assert await fetch(resolver, public.url("/old", host="public.test")) == FEED
    assert [r.headers["host"].split(":")[0] for r in public.seen] == ["public.test", "moved.test"]


async def test_rebinding_after_the_add_time_check_is_refused_at_connect(
    same_port: tuple[Server, Server],
) -> None:
    public, private = same_port
    rebinding = FakeResolver({"public.test": ["127.0.0.2"]}, then={"public.test": ["127.0.0.1"]})
    url = public.url(host="public.test")

    await check_url(url, rebinding, NOTHING, treat_as_public=GUARD_PUBLIC)  # first answer
    with pytest.raises(FeedAddressRefused, match=re.escape("resolves to 127.0.0.1, a loopback")):
        await fetch(rebinding, url)  # second answer

    assert public.seen == []
    assert private.seen == []


async def test_the_checked_answer_is_pinned_for_the_connection(
    same_port: tuple[Server, Server],
) -> None:
    public, private = same_port
    rebinding = FakeResolver({"public.test": ["127.0.0.2"]}, then={"public.test": ["127.0.0.1"]})

    assert await fetch(rebinding, public.url(host="public.test")) == FEED

    # The system resolver cannot resolve "public.test": this worked by the checked address.
    assert len(public.seen) == 1
    assert private.seen == []
    assert len(rebinding.calls) == 1  # resolved once; nothing asked DNS again behind the guard


async def test_one_private_answer_among_public_ones_refuses_the_host(
    same_port: tuple[Server, Server],
) -> None:
    public, private = same_port
    resolver = FakeResolver({"public.test": ["127.0.0.2", "127.0.0.1"]})

    with pytest.raises(FeedAddressRefused, match=re.escape("resolves to 127.0.0.1")):
        await fetch(resolver, public.url(host="public.test"))

    assert (public.seen, private.seen) == ([], [])


async def test_the_next_checked_answer_is_tried_when_one_refuses_the_connection(
    public: Server,
) -> None:
    resolver = FakeResolver({"public.test": ["127.0.0.3", "127.0.0.2"]})  # nothing on .3

    assert await fetch(resolver, public.url(host="public.test")) == FEED
    assert len(public.seen) == 1


async def test_an_unresolvable_host_is_an_ordinary_fetch_error() -> None:
    with pytest.raises(FetchError, match=r"^the host name could not be resolved$") as failed:
        await fetch(FakeResolver({}), "http://nowhere.test/feed.xml")
    assert not isinstance(failed.value, FeedAddressRefused)


async def test_an_allowlisted_loopback_feed_is_fetched(private: Server) -> None:
    assert await fetch(FakeResolver({}), private.url(), parse_allowlist("127.0.0.1")) == FEED
    assert len(private.seen) == 1


async def test_an_allowlisted_name_is_fetched(private: Server) -> None:
    resolver = FakeResolver({"intranet.example": ["127.0.0.1"]})
    allow = parse_allowlist("intranet.example")
    assert await fetch(resolver, private.url(host="intranet.example"), allow) == FEED
    assert private.seen[0].headers["host"] == f"intranet.example:{private.port}"


# --- TLS: pinned address, original name -------------------------------------------------------


MakeTLS = Callable[[str], tuple[ssl.SSLContext, ssl.SSLContext]]
"""name -> (server context with a certificate for name, client context trusting only it)."""


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` and its key, made with the openssl CLI."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_for(tmp_path: Path) -> Iterator[MakeTLS]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")

    def make(name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
        cert, key = _certificate(tmp_path, name)
        server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(cert, key)
        return server, ssl.create_default_context(cafile=str(cert))

    yield make


async def test_tls_is_verified_for_the_urls_name_not_the_pinned_address(tls_for: MakeTLS) -> None:
    server_context, client_context = tls_for("public.test")
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})
    with serving("127.0.0.2", tls=server_context) as public:
        body = await fetch(resolver, public.url(host="public.test"), ssl_context=client_context)
    assert body == FEED
    assert public.server_names == ["public.test"]
    assert public.seen[0].headers["host"] == f"public.test:{public.port}"


async def test_tls_for_another_name_fails(tls_for: MakeTLS) -> None:
    server_context, client_context = tls_for("other.test")
    resolver = FakeResolver({"public.test": ["127.0.0.2"]})
    with serving("127.0.0.2", tls=server_context) as public:
        with pytest.raises(FetchError, match="TLS handshake failed"):
            await fetch(resolver, public.url(host="public.test"), ssl_context=client_context)
        assert public.seen == []
