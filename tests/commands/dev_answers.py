"""Answers measured on the dev set: its documents replayed into a fresh store, and for each true
event tally (`tallies.jsonl`) the standard question a reader would ask of its day and metric,
judged by the figure the answer leads with.

Run `python -m tests.commands.dev_answers` (with TALLYWIRE_SHARED naming the shared folder
when it is not beside the project) to print the counts and each wrong answer;
`test_dev_answers.py` runs the same. Nothing of the dev set is kept in the project: its files
are read when this runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.cli.tally_eval import read_paths
from bot.commands import ask, event_views, news_today
from bot.compose import Message
from bot.extract import load_json_lines
from bot.pipeline import Pipeline
from bot.reconcile import Rulebook
from bot.settings import Settings
from bot.store import Store
from tests.devset import DEV, MISSING, REPO, dev_documents, dev_present

# The question a reader asks of each metric; {where} is " over Russia" for an attack on Russia.
QUESTIONS = {
    "swap.released": "how many prisoners did {side} get back{when}?",
    "swap.released_total": "how many prisoners has {side} got back in all{when}?",
    "swap.agreed": "how many prisoners were agreed in the deal{when}?",
    "attack.launched": "how many drones and missiles were launched{where}{when}?",
    "attack.missiles_launched": "how many missiles{where}{when}?",
    "attack.drones_launched": "how many drones were launched{where}{when}?",
    "attack.missiles_downed": "how many missiles were shot down{where}{when}?",
    "attack.drones_downed": "how many drones were shot down{where}{when}?",
    "attack.drones_shot_down": "how many drones were shot down{where}{when}?",
    "attack.drones_jammed": "how many drones were jammed{where}{when}?",
    "attack.killed": "how many people were killed{where}{when}?",
    "attack.injured": "how many people were injured{where}{when}?",
    "attack.places_hit": "how many places were hit{where}{when}?",
    "attack.fires": "how many fires were there{where}{when}?",
    "attack.alert_hours": "how long was the air alert{where}{when}?",
}
SIDE_WORDS = {"ukraine": "Ukraine", "russia": "Russia"}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATES = re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?(?: to \d{{1,2}}(?:, \d{{4}})?)?")
_NUMBER = re.compile(r"\d[\d,]*")


def question_of(row: dict[str, Any]) -> str:
    """The standard question of a true tally: its metric, side or country, and day."""
    day = date.fromisoformat(row["event_date"]) if row.get("event_date") else None
    when = f" on {day:%B} {day.day}, {day.year}" if day else ""
    weapons = "drone" in row["metric"] or "missile" in row["metric"]
    where = ""
    if row.get("country") == "russia":
        where = " over Russia" if weapons else " in Russia"
    side = SIDE_WORDS.get(row.get("side") or "", "each side")
    return QUESTIONS[row["metric"]].format(side=side, when=when, where=where)


def lead_number(message: Message) -> int | None:
    """The first count an answer gives, past its title (days and the sources in brackets
    are not counts); None when it gives none or says nothing is known."""
    if message.title.startswith(("Nothing is known", "No ")):
        return None
    for line in message.lines:
        text = _DATES.sub(" ", re.sub(r"\([^)]*\)", " ", line))
        found = _NUMBER.search(text)
        if found:
            return int(found.group().replace(",", ""))
    return None


def numbers_of(message: Message) -> set[int]:
    """Every count an answer's lines give (days and sources aside)."""
    text = _DATES.sub(" ", re.sub(r"\([^)]*\)", " ", " ".join(message.lines)))
    return {int(n.replace(",", "")) for n in _NUMBER.findall(text)}


def is_right(row: dict[str, Any], message: Message) -> bool:
    """Whether the answer leads with a count inside the true tally's range; for a disputed
    tally, also gives every claim."""
    lead = lead_number(message)
    if lead is None:
        return False
    low = row.get("low") if row.get("low") is not None else row["value"]
    high = row.get("high") if row.get("low") is not None else row["value"]
    if not (low <= lead and (high is None or lead <= high)):
        return False
    claims = {c["value"] for c in row.get("claims") or []}
    return claims <= numbers_of(message)


def is_right_for(row: dict[str, Any], message: Message) -> bool:
    """`is_right`; for a swap count of both sides together (side null), which an answer gives
    after the count per side, that count anywhere in the answer."""
    if row["topic"] == "swap" and row.get("side") is None and row.get("value") is not None:
        return lead_number(message) is not None and row["value"] in numbers_of(message)
    return is_right(row, message)


@dataclass(frozen=True)
class Asked:
    """One question, its answer, and whether it was right."""

    question: str
    answer: Message
    right: bool
    event: str


def ask_dev(rows: Sequence[dict[str, Any]], database_url: str) -> list[Asked]:
    """Replay the dev documents into the store at `database_url` and ask each row's question."""
    settings = Settings.from_env({"TALLYWIRE_SEEDS": "off"}, REPO / "config")
    settings = settings.with_database(database_url)
    rulebook = Rulebook.from_settings(settings)
    store = Store.open(settings.database_url)
    try:
        documents = read_paths(dev_documents(), None)
        Pipeline(store, settings, lambda: datetime.now(UTC), rulebook).ingest(documents)
        views = event_views(store, rulebook)
        today = news_today(store, datetime.now(UTC).date())
    finally:
        store.close()
    asked = []
    for row in rows:
        question = question_of(row)
        answer = ask(question, views, today, rulebook.naming)
        asked.append(Asked(question, answer, is_right_for(row, answer), row.get("event_label", "")))
    return asked


def leads(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first true tally of each event (its lead figure), in file order."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row.get("event_label") or json.dumps(row), row)
    return list(seen.values())


def main() -> None:
    if not dev_present():
        print(MISSING)
        return
    import tempfile
    from pathlib import Path

    rows = load_json_lines(DEV / "tallies.jsonl")
    with tempfile.TemporaryDirectory() as folder:
        asked = ask_dev(rows, f"sqlite:///{Path(folder) / 'dev.db'}")
    by_event = {a.event: a for a in reversed(asked)}  # the first question of each event
    for a in asked:
        if not a.right:
            print(f"WRONG {a.question}\n  {a.answer.title} | {' | '.join(a.answer.lines[:2])}")
    print(
        f"answers: events {sum(a.right for a in by_event.values())}/{len(by_event)}, "
        f"tallies {sum(a.right for a in asked)}/{len(asked)}"
    )


if __name__ == "__main__":
    main()
