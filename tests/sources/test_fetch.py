"""bot.fetch against the fake feed server on loopback: conditional GET, deadlines, caps, errors."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable
from datetime import date

import httpx
import pytest

from bot.errors import FeedTooLarge, FetchError, FetchTimeout
from bot.settings import FetchLimits
from bot.sources.fetch import Fetched, Validators, fetch_feed, make_client
from tests.fakes.feed_server import MIB, FeedItem, FeedServer

LIMITS = FetchLimits(timeout_seconds=1.0)
ITEMS = [
    FeedItem("Swap: 95 for 95", "urn:swap:1", "https://wire.test/1", "<p>Ninety-five.</p>"),
    FeedItem("Drones: 40 shot down", "urn:drones:1", "https://wire.test/2", "<p>Forty.</p>"),
]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(LIMITS) as made:
        yield made


async def fetch(client: httpx.AsyncClient, url: str, limits: FetchLimits = LIMITS) -> Fetched:
    return await fetch_feed(client, url, Validators(), limits)


async def test_200_returns_body_and_the_servers_validators(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    served = server.set_feed("/feed.xml", ITEMS)

    fetched = await fetch(client, server.url("/feed.xml"))

    assert fetched == Fetched(
        url=server.url("/feed.xml"),
        status=200,
        body=served.body,
        validators=Validators(served.etag, server.last_modified("/feed.xml")),
    )
    [request] = server.requests("/feed.xml")
    assert request.headers["user-agent"] == LIMITS.user_agent
    assert "application/rss+xml" in request.headers["accept"]
    assert "if-none-match" not in request.headers


async def test_second_fetch_is_conditional_and_gets_304_without_body(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.set_feed("/feed.xml", ITEMS)
    first = await fetch(client, server.url("/feed.xml"))

    second = await fetch_feed(client, server.url("/feed.xml"), first.validators, LIMITS)

    assert (second.status, second.body, second.validators) == (304, None, first.validators)
    sent = server.requests("/feed.xml")[1].headers
    assert sent["if-none-match"] == first.validators.etag
    assert sent["if-modified-since"] == first.validators.last_modified


async def test_publishing_changes_the_validators_and_the_body(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.set_feed("/feed.xml", ITEMS[:1])
    first = await fetch(client, server.url("/feed.xml"))
    server.publish("/feed.xml", ITEMS[1])

    second = await fetch_feed(client, server.url("/feed.xml"), first.validators, LIMITS)

    assert second.status == 200
    assert second.body is not None and b"urn:drones:1" in second.body
    assert second.validators.etag != first.validators.etag


async def test_304_without_validators_keeps_the_ones_sent(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.serve("/bare304.xml", b"", status=304)
    sent = Validators(etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")

    fetched = await fetch_feed(client, server.url("/bare304.xml"), sent, LIMITS)

    assert (fetched.status, fetched.body, fetched.validators) == (304, None, sent)


async def test_200_with_empty_body_means_no_change(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.serve("/empty.xml", b"", headers={"ETag": '"e"'})

    fetched = await fetch(client, server.url("/empty.xml"))

    assert (fetched.status, fetched.body, fetched.validators.etag) == (200, None, '"e"')


@pytest.mark.parametrize("route", ["hang", "trickle"])
async def test_a_stalling_server_ends_as_timeout_by_the_deadline(
    server: FeedServer, client: httpx.AsyncClient, route: str
) -> None:
    if route == "hang":
        server.hang("/slow.xml")
    else:
        # Faster than the 1 s per-read timeout: only the total deadline can stop this one.
        server.trickle("/slow.xml", interval=0.2)
    started = time.monotonic()

    with pytest.raises(FetchTimeout, match=r"timed out after 1 s"):
        await fetch(client, server.url("/slow.xml"))

    assert time.monotonic() - started < 5
    assert len(server.requests("/slow.xml")) == 1


async def test_endless_body_stops_at_the_cap_with_bounded_memory(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.huge("/huge.xml", 50 * MIB)
    limits = FetchLimits(timeout_seconds=10.0)

    tracemalloc.start()
    try:
        with pytest.raises(FeedTooLarge, match="larger than 5 MiB"):
            await fetch(client, server.url("/huge.xml"), limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    [request] = server.requests("/huge.xml")
    assert request.finished.wait(timeout=5)
    assert request.bytes_sent < 20 * MIB
    assert peak < 3 * limits.max_bytes


async def test_announced_oversize_is_refused_before_reading(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.huge("/huge.xml", 50 * MIB, declare_length=True)

    with pytest.raises(FeedTooLarge, match=r"announced 52428800 bytes, larger than 5 MiB"):
        await fetch(client, server.url("/huge.xml"), FetchLimits(timeout_seconds=10.0))


async def test_gzip_bomb_is_inflated_only_up_to_the_cap(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.serve("/bomb.xml.gz", b"\0" * (50 * MIB), gzip_body=True)
    limits = FetchLimits(timeout_seconds=10.0)

    tracemalloc.start()
    try:
        with pytest.raises(FeedTooLarge, match="larger than 5 MiB"):
            await fetch(client, server.url("/bomb.xml.gz"), limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 3 * limits.max_bytes


async def test_gzip_body_is_decoded(server: FeedServer, client: httpx.AsyncClient) -> None:
    served = server.set_feed("/feed.xml", ITEMS, gzip_body=True)

    fetched = await fetch(client, server.url("/feed.xml"))

    assert fetched.body == served.body
    assert "gzip" in server.requests("/feed.xml")[0].headers["accept-encoding"]


async def test_corrupt_gzip_is_a_fetch_error(server: FeedServer, client: httpx.AsyncClient) -> None:
    truncated = gzip.compress(b"<rss>" + b"x" * 10_000)[:-20]
    server.serve("/bad.xml", truncated, headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError, match="gzip body"):
        await fetch(client, server.url("/bad.xml"))


def raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib wrapper: what some servers send as `deflate`."""
    squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return squeeze.compress(data) + squeeze.flush()


@pytest.mark.parametrize("wrap", [zlib.compress, raw_deflate], ids=["zlib", "raw"])
async def test_deflate_body_is_decoded(
    server: FeedServer, client: httpx.AsyncClient, wrap: Callable[[bytes], bytes]
) -> None:
    body = b"<rss>" + b"drones " * 1000 + b"</rss>"
    server.serve("/feed.xml", wrap(body), headers={"Content-Encoding": "deflate"})

    fetched = await fetch(client, server.url("/feed.xml"))

    assert fetched.body == body


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("deflate", "the deflate body could not be decompressed"),
        ("gzip", "the gzip body could not be decompressed"),
        ("br", "unsupported Content-Encoding 'br'"),
    ],
)
async def test_undecodable_body_is_a_fetch_error(
    server: FeedServer, client: httpx.AsyncClient, encoding: str, message: str
) -> None:
    server.serve(
        "/feed.xml", b"\xff\xfe not compressed at all", headers={"Content-Encoding": encoding}
    )

    with pytest.raises(FetchError) as caught:
        await fetch(client, server.url("/feed.xml"))

    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("status", "message"), [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found")]
)
async def test_error_status_is_a_fetch_error_naming_it(
    server: FeedServer, client: httpx.AsyncClient, status: int, message: str
) -> None:
    server.fail("/feed.xml", status)

    with pytest.raises(FetchError) as caught:
        await fetch(client, server.url("/feed.xml?token=s3cret"))

    assert (type(caught.value), str(caught.value)) == (FetchError, message)


async def test_redirects_are_followed_up_to_the_cap(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.set_feed("/final.xml", ITEMS)
    server.redirect_chain("/moved", hops=5, final_path="/final.xml")

    fetched = await fetch(client, server.url("/moved"))

    assert (fetched.url, fetched.status) == (server.url("/final.xml"), 200)


async def test_one_redirect_too_many_is_a_fetch_error(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.set_feed("/final.xml", ITEMS)
    hops = server.redirect_chain("/moved", hops=6, final_path="/final.xml")

    with pytest.raises(FetchError, match=r"^more than 5 redirects$"):
        await fetch(client, server.url("/moved"))

    assert server.requests("/final.xml") == []
    assert [r.path for r in server.requests()] == hops


async def test_connection_refused_is_a_fetch_error(client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    with pytest.raises(FetchError, match=r"^connection refused$"):
        await fetch(client, f"http://127.0.0.1:{closed_port}/feed.xml")


async def test_not_a_url_is_a_fetch_error(client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match="not an http or https URL"):
        await fetch(client, "file:///etc/hostname")


def test_make_client_carries_the_limits() -> None:
    limits = FetchLimits(timeout_seconds=3.0, max_redirects=2, user_agent="Probe/1")

    made = make_client(limits)

    assert made.headers["user-agent"] == "Probe/1"
    assert made.headers["accept-encoding"] == "gzip, deflate"
    assert (made.follow_redirects, made.max_redirects) == (True, 2)
    assert made.timeout.read == 3.0


async def test_feed_items_survive_the_round_trip(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    item = FeedItem("Dated", "urn:dated", "https://wire.test/d", "<p>x</p>", date(2024, 5, 24))
    server.set_feed("/atom.xml", [item], kind="atom")

    fetched = await fetch(client, server.url("/atom.xml"))

    assert fetched.body is not None
    assert b"<published>2024-05-24T12:00:00+00:00</published>" in fetched.body
