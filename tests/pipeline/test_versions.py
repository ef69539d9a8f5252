"""An article corrected under the same guid: its new figures replace the old, with a reply
(reliability.md: "Feed republishes an edited item ... never a silent duplicate alert")."""

from __future__ import annotations

from datetime import date

from bot.commands.views import event_views
from bot.pipeline.flow import Pipeline
from bot.reconcile.intervals import Interval
from bot.reconcile.rulebook import Rulebook
from bot.settings import Settings
from bot.sources.documents import Document
from bot.store import Store
from bot.store import outbox as outbox_sql
from tests.conftest import utc_clock

V1 = "Russia struck Odesa overnight. At least 12 people were killed, the governor said."
V2 = "Russia struck Odesa overnight. At least 14 people were killed, the governor said."


def article(text: str) -> Document:
    return Document(
        id="d-odesa",
        source="wire",
        text=text,
        title=text[:30],
        guid="urn:odesa",
        published=date(2025, 6, 3),
    )


def test_a_corrected_article_revises_the_toll_in_one_reply(database_url: str) -> None:
    settings = Settings.from_env({})
    pipeline = Pipeline(
        Store.open(database_url), settings, utc_clock, Rulebook.from_settings(settings)
    )
    first = pipeline.ingest_one(article(V1))
    again = pipeline.ingest_one(article(V1))
    corrected = pipeline.ingest_one(article(V2))

    assert (first.stored.kind, again.stored.kind, corrected.stored.kind) == (
        "new",
        "duplicate",
        "version",
    )
    [update] = corrected.updates
    assert [(c.kind, c.interval, alerts) for c, alerts in update.changes] == [
        ("revised", Interval(14, None), True)
    ]
    [view] = event_views(pipeline.store, pipeline.rulebook)
    killed = view.state.tally("attack.killed", "ukraine")
    assert killed is not None and killed.interval == Interval(14, None)
    assert [r.value for r in killed.backing] == [14]  # the first version's 12 no longer counts
    with pipeline.store.transaction() as conn:
        assert outbox_sql.counts(conn) == {
            ("root", "pending"): 1,
            ("reply", "pending"): 1,
            ("edit", "pending"): 1,
        }
    pipeline.store.close()
