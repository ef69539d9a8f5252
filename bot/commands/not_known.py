"""What an answer says when the store does not know what is asked: a metric on a day, a place
below a country, or a thing no figure counts. Each says so, with what is known instead, and
never gives another event's figure as the one asked for.

Pure: views and words in, a `Message` out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot.commands import answers
from bot.commands.cues import CUES, NOT_A_THING, PEOPLE, SIDE_WORDS
from bot.commands.views import EventView
from bot.compose import Message, attack_name, days_text, span_text, trusted
from bot.extract import Naming

MAX_WHOLE = 3  # events named for their whole instead of a place's figure


_HOW_MANY = re.compile(rf"\bhow (?:many|much) (?:(?:{SIDE_WORDS}) )?([a-z]+)\b")
_KNOWN_THING = re.compile(rf"^(?:{NOT_A_THING}|{PEOPLE}|{'|'.join(CUES.values())})$")


def uncounted_in(words: str) -> str | None:
    """The thing a normalised "how many" question asks of when no cue names it and it is no
    word for people ("how many tanks were destroyed?" -> "tanks"); else None. Only for a
    question that names no metric by its own words."""
    found = _HOW_MANY.search(words)
    if found is None or _KNOWN_THING.match(found.group(1)):
        return None
    return found.group(1)


def not_known(
    days: Sequence[date], views: Sequence[EventView], metrics: Sequence[str], names: Naming
) -> Message:
    """The asked metrics not known on the days asked: says so, with the nearest days whose
    attacks have those figures, and the nearest days with attacks."""
    name = names.wording(metrics[0]).many
    when = f" on {days_text(days)}" if days else ""
    have = [
        v.event.last_date
        for v in answers.attack_views(views)
        if v.event.last_date and any(trusted(v.state, m) for m in metrics)
    ]
    lines = [answers.known_days_line(f"Figures for {name} are", have, days)] if have else []
    attacks = answers.attack_days(views)
    known = answers.known_days_line("Air attacks are", attacks, days)
    lines.append(known if attacks else "No attack is known.")
    return Message(f"Nothing is known about {name}{when}.", tuple(lines))


def place_not_known(
    place: str,
    days: Sequence[date],
    whole: Sequence[EventView],
    metrics: Sequence[str],
    names: Naming,
) -> Message:
    """A place's figure not known: says so, and names the events whose figures are known for
    the country as a whole, without giving them as the place's."""
    name = names.wording(metrics[0]).many
    when = f" on {days_text(days)}" if days else ""
    known = [v for v in whole if any(trusted(v.state, m) for m in metrics)]
    lines = tuple(
        f"Known for the whole {_lowered(attack_name(v.event))}, {span_text(v.event)}: ask "
        "without the place (a place's count is only a part of it)."
        for v in known[:MAX_WHOLE]
    )
    return Message(f"Nothing is known about {name} in {place}{when}.", lines)


def _lowered(name: str) -> str:
    return name[:1].lower() + name[1:]
