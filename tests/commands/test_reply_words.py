"""A user's reply words reach every reply (issue 13): chat /swaps once answered in the shipped
words, and split lines ("245 = 128 shot down + 117 jammed") said their parts in the shipped
units whatever the rulebook's metrics.toml said. Here a TALLYWIRE_CONFIG metrics.toml, the
shipped one with other words for `swap.agreed` and `attack.drones_shot_down`, answers the seeds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.commands import Caller, CommandContext, dispatch
from bot.pipeline import Pipeline
from bot.reconcile import Rulebook
from bot.resources import shipped_dir
from bot.settings import Settings
from bot.sources import seed_documents
from bot.store import Store

MEMBER = Caller("u2", "telegram:-100", private=False, chat_admin=False)
# (shipped words, the user's) in config/metrics.toml
USER_WORDS = (
    ('reply.heading = "Agreed"', 'reply.heading = "Agreed in the deal"'),
    ('reply.unit = "shot down"', 'reply.unit = "downed by air defence"'),
    ('reply.unit_one = "shot down"', 'reply.unit_one = "downed by air defence"'),
)


def user_config(folder: Path) -> Path:
    """A TALLYWIRE_CONFIG folder: the shipped metrics.toml with the user's words."""
    text = (shipped_dir("config") / "metrics.toml").read_text(encoding="utf-8")
    for shipped, user in USER_WORDS:
        assert text.count(shipped) == 1, shipped
        text = text.replace(shipped, user)
    folder.mkdir()
    (folder / "metrics.toml").write_text(text, encoding="utf-8")
    return folder


async def no_lookups(host: str, port: int) -> list[str]:
    raise AssertionError(f"no command here resolves a host ({host}:{port})")


async def test_the_users_reply_words_reach_swaps_and_split_lines(
    store: Store, now: datetime, tmp_path: Path
) -> None:
    settings = Settings.from_env({"TALLYWIRE_CONFIG": str(user_config(tmp_path / "config"))})
    rulebook = Rulebook.from_settings(settings)
    Pipeline(store, settings, lambda: now, rulebook).ingest(seed_documents(shipped_dir("seeds")))
    ctx = CommandContext(store, rulebook, settings, lambda: now, no_lookups)

    swaps = await dispatch(ctx, MEMBER, "swaps", "")
    assert [line for line in swaps.lines if line.startswith("Agreed")] == [
        "Agreed in the deal: 1,000 each side (ICARO Media Group, RFE/RL, seed 000, seed 001)."
    ]

    attacks = await dispatch(ctx, MEMBER, "attacks", "2025-05-24")
    downed = [line for line in attacks.lines if "Drones downed: 245" in line]
    assert downed == [
        "  Drones downed: 245 (RFE/RL, seed 000, seed 001) = 128 downed by air defence (seed 001)"
        " + 117 jammed (seed 000, seed 001)."
    ]
