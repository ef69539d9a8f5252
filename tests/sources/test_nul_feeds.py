"""NUL from a feed, end to end on SQLite and PostgreSQL: `tallywire run --once` against a real
feed server on loopback (issue 12).

Before text was cleaned where it enters, one NUL made psycopg raise `DataError: PostgreSQL text
fields cannot contain NUL characters`: the run exited 1, the feed's poll was never recorded and
no feed delivered anything; SQLite stored the NUL. Now both engines store the same text: the
feed's minus its NULs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.main import main
from bot.sources.feeds import feed_id_for
from bot.store import Store
from bot.store import outbox as outbox_sql
from bot.store.documents import latest_text
from bot.store.schema import documents, figures, outbox
from tests.fakes.feed_server import (
    NUL_FEED_TITLE,
    NUL_FEEDS,
    NUL_ITEM_GUID,
    NUL_ITEM_LINK,
    NUL_ITEM_TEXT,
    NUL_ITEM_TITLE,
    FeedItem,
    FeedServer,
)

SWAP = FeedItem(
    "Each side releases 307 prisoners",
    "urn:wire:swap",
    "https://wire.example/swap",
    "<p>Each side brought home 307 soldiers on Saturday.</p>",
)
SWAP_EVIDENCE = "Each side brought home 307 soldiers on Saturday."


@pytest.mark.parametrize("spelling", sorted(NUL_FEEDS))
def test_a_nul_feed_is_stored_clean_and_the_other_feeds_still_deliver(
    spelling: str,
    database_url: str,
    server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.serve("/nul.xml", NUL_FEEDS[spelling])
    server.set_feed("/good.xml", [SWAP])
    nul_url, good_url = server.url("/nul.xml"), server.url("/good.xml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TALLYWIRE_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TALLYWIRE_SEEDS", "off")
    monkeypatch.setenv("TALLYWIRE_FETCH_TIMEOUT", "5")
    monkeypatch.setenv("TALLYWIRE_FEEDS", f"{nul_url},{good_url}")

    assert main(["run", "--once"]) == 0
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err

    store = Store.open(database_url)
    try:
        polls = {s.id: (s.last_status, s.last_error) for s in store.sources()}
        assert polls == {feed_id_for(nul_url): ("ok", None), feed_id_for(good_url): ("ok", None)}
        with store.transaction() as conn:
            rows = conn.execute(
                select(documents.c.id, documents.c.source_id, documents.c.title,
                       documents.c.guid, documents.c.link, documents.c.outlet)
            ).all()  # fmt: skip
            stored = {
                row.source_id: (
                    row.title,
                    latest_text(conn, row.id),
                    row.guid,
                    row.link,
                    row.outlet,
                )
                for row in rows
            }
            evidence = set(conn.scalars(select(figures.c.evidence)))
            sent = {
                line
                for payload in conn.scalars(select(outbox.c.payload))
                for line in outbox_sql.decode(payload).lines
            }
    finally:
        store.close()

    # The same on both engines: the feed's text with its NULs, and nothing else, removed.
    assert stored[feed_id_for(nul_url)] == (
        NUL_ITEM_TITLE,
        NUL_ITEM_TEXT,
        NUL_ITEM_GUID,
        NUL_ITEM_LINK,
        NUL_FEED_TITLE,
    )
    assert stored[feed_id_for(good_url)][1] == f"{SWAP.title}\n\n{SWAP_EVIDENCE}"
    # Both feeds' figures were read and reached the outbox (the summaries of two events).
    assert {NUL_ITEM_TITLE, SWAP_EVIDENCE} <= evidence
    assert {"40 drones launched (Night Wire)", "36 drones downed (Night Wire)"} <= sent
    assert any(line.startswith("Each side: 307") for line in sent)
