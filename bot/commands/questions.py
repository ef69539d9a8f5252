"""Questions in plain words: "how many drones were shot down on May 24?", "any disagreements?".

`ask(question, views, today, names)` reads the question with word lists and regular expressions
(a metric's own words from metrics.toml, through `names`; the words that name several metrics,
topics, totals and conflicts in `bot.commands.cues.CUES`; days in `bot.commands.days`; sides
here) and answers from the tallies with the sentences of `bot.commands.answers` and
`bot.compose`.

Contract: pure (`today` is passed in), never raises for any text, and never gives a count that
is not a tally's (or the running total the engine adds up). A question it cannot answer gets a
reply saying which events and figures are known, with example questions. Every pattern is
linear in the text's length, and only the first MAX_QUESTION characters are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.commands import answers, not_known, swap_replies
from bot.commands.claims import claims_of
from bot.commands.cues import CUES
from bot.commands.days import days_in
from bot.commands.places import PLACES, of_place, place_in
from bot.commands.views import EventView
from bot.compose import (
    SIDE_NAMES,
    Message,
    Quote,
    attack_name,
    day_text,
    days_text,
    doubt_quotes,
    event_name,
    evidence,
    figure_lines,
    span_text,
    trusted,
)
from bot.extract import Naming
from bot.reconcile import Tally

MAX_QUESTION = 1_000
MAX_EVENTS = 3

_CUE_PATTERNS = {cue: re.compile(rf"\b(?:{words})\b") for cue, words in CUES.items()}

JAMMED = "attack.drones_jammed"
WEAPONS = frozenset({"drone", "missile"})
METRIC_CUES = frozenset({*WEAPONS, "launch", "down", "shot", "jam"})
ATTACK_CUES = METRIC_CUES | {"attack"}


@dataclass(frozen=True)
class Question:
    """What a question asks: its cues (keys of CUES), the days it names, its side (for an attack
    the country attacked, for a swap whose people were returned; "both" for each side), and the
    metrics it names by their own words (`Naming.named`), in order."""

    cues: frozenset[str]
    days: tuple[date, ...]
    side: str | None
    named: tuple[str, ...] = ()
    place: tuple[str, str] | None = None  # (name, country) of a place below a country
    uncounted: str | None = None  # a thing asked "how many" of that no figure counts

    @property
    def kind(self) -> str:
        """ "uncounted", "conflicts", "swap", "attack", "day" or "help"."""
        if self.uncounted:
            return "uncounted"
        names_attack = bool(self.attack_named or self.cues & METRIC_CUES)
        if "conflict" in self.cues and not names_attack:
            return "conflicts"  # a figure asked for comes with its doubts; "the conflict" is war
        strong_attack = self.attack_named or self.cues & (ATTACK_CUES - {"launch", "down"})
        if "swap" in self.cues or (self.swap_named and not strong_attack):
            return "swap"
        if names_attack or self.cues & ATTACK_CUES:
            return "attack"
        return "day" if self.days else "help"

    @property
    def swap_named(self) -> tuple[str, ...]:
        """The exchange's metrics the question names ("released", "agreed")."""
        return tuple(m for m in self.named if m.startswith("swap."))

    @property
    def attack_named(self) -> tuple[str, ...]:
        """The other metrics the question names ("killed", "fires")."""
        return tuple(m for m in self.named if not m.startswith("swap."))

    @property
    def metrics(self) -> tuple[str, ...]:
        """The attack metrics asked for, the one asked most directly first."""
        found = list(self.attack_named)
        weapons = self.cues & WEAPONS or WEAPONS
        actions = self.cues & {"launch", "down", "shot", "jam"}
        # A weapon named with no action ("how many drones?") asks what was launched and downed.
        bare = bool(self.cues & WEAPONS) and not found and not actions
        if "launch" in actions or bare:
            found += _launched(weapons)
        if actions - {"launch"} or bare:
            found += _downed(self.cues, weapons)
        return tuple(dict.fromkeys(found))


def _launched(weapons: frozenset[str]) -> list[str]:
    if weapons == WEAPONS:
        return ["attack.launched", "attack.missiles_launched", "attack.drones_launched"]
    return ["attack.missiles_launched" if "missile" in weapons else "attack.drones_launched"]


def _downed(cues: frozenset[str], weapons: frozenset[str]) -> list[str]:
    found = ["attack.missiles_downed"] if "missile" in weapons and "jam" not in cues else []
    if "drone" in weapons:
        drones = ["attack.drones_downed", "attack.drones_shot_down", "attack.drones_jammed"]
        lead = "attack.drones_jammed" if "jam" in cues else "attack.drones_shot_down"
        if cues & {"jam", "shot"} and "total" not in cues:
            drones.remove(lead)
            drones.insert(0, lead)
        found += drones
    return found


def normalise(text: str) -> str:
    """The question lower-cased, apostrophes unified, possessive "'s" dropped, spaces single."""
    text = text[:MAX_QUESTION].casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    return " ".join(text.split())


def read_question(text: str, today: date, names: Naming) -> Question:
    """What `text` asks, with its days read against `today` and the metrics it names by the
    words of `names` (metrics.toml's `asked`, the rulebook's)."""
    words = normalise(text)
    named = names.named(words)
    cues = frozenset(cue for cue, pattern in _CUE_PATTERNS.items() if pattern.search(words))
    topic = "swap" if Question(cues, (), None, named).kind == "swap" else "attack"
    place = place_in(words) if topic == "attack" else None
    uncounted = None if named else not_known.uncounted_in(words)
    return Question(cues, days_in(words, today), side_in(words, topic), named, place, uncounted)


_UA, _RU = r"ukrain\w*", r"russia\w*"
_UA_PLACES = "|".join((_UA, *(pattern for pattern, _ in PLACES["ukraine"])))
_RU_PLACES = "|".join((_RU, *(pattern for pattern, _ in PLACES["russia"])))
_DOWN = r"shot|shoot\w*|downed|intercept\w*|destroy\w*|jammed|neutrali\w*"
_LAUNCH = r"launch\w*|fired|fire|attack\w*|struck|strike|sent|send|used|use"
_HOME = r"prisoners?|pows?|soldiers?|captives?|servicem[ae]n|civilians|people|defenders|troops"
_GIVE = r"releas\w*|freed|free|handed over|hand over|returned|return|gave back|give back"
_GET = r"get|got|gets|receiv\w*|recover\w*|bring|brought|brings|welcom\w*"
_BOTH = r"\b(?:each side|both sides|each country|both countries|per side)\b"
# (pattern with {X} for a country, whether the answer is that country or the other one)
_ATTACK_SIDES = (
    (r"\b(?:{X})n? (?:drones?|missiles?|uavs?|shaheds?)\b", False),
    (r"\b(?:{X})n?(?: air (?:defen[cs]es?|forces?))? (?:" + _DOWN + r")\b", True),
    (r"\b(?:" + _DOWN + r") (?:\w+ ){0,4}?by (?:the )?(?:{X})", True),
    (r"\b(?:on|over|in|against|across|into|at) (?:the )?(?:{P})\b", True),
    (r"\b(?:{X}) (?:" + _LAUNCH + r")\b", False),
    (r"\b(?:" + _LAUNCH + r") (?:\w+ ){0,4}?by (?:the )?(?:{X})", False),
)
_SWAP_SIDES = (
    (r"\b(?:{X})n?s? (?:" + _HOME + r")\b", True),
    (r"\b(?:to|home to|back to) (?:{X})\b", True),
    (r"\b(?:{X}) (?:" + _GET + r")\b", True),
    (r"\b(?:" + _GIVE + r") (?:\w+ ){0,4}?by (?:{X})", False),
    (r"\b(?:{X}) (?:" + _GIVE + r")\b", False),
)


def _compile_sides(rules: Iterable[tuple[str, bool]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for rule, same in rules:
        for side, other, country, places in (
            ("ukraine", "russia", _UA, _UA_PLACES),
            ("russia", "ukraine", _RU, _RU_PLACES),
        ):
            pattern = rule.replace("{X}", country).replace("{P}", places)
            compiled.append((re.compile(pattern), side if same else other))
    return tuple(compiled)


_SIDE_RULES = {"attack": _compile_sides(_ATTACK_SIDES), "swap": _compile_sides(_SWAP_SIDES)}


def side_in(words: str, topic: str) -> str | None:
    """The side a normalised question names: for an attack the country attacked ("Ukrainian
    drones", "shot down by Russia" -> "russia"), for a swap whose people were returned ("released
    by Russia" -> "ukraine"); "both" for "each side"; None when it names none."""
    if re.search(_BOTH, words):
        return "both"
    for pattern, side in _SIDE_RULES.get(topic, ()):
        if pattern.search(words):
            return side
    return None


def ask(question: str, views: Sequence[EventView], today: date, names: Naming) -> Message:
    """The reply to a question in plain words, from the tallies of `views`, in the words of
    `names` (the rulebook's).

    Takes any text (empty, junk, another language) and returns a Message; never raises. Days
    without a year and words like "yesterday" are read against `today`.
    """
    asked = read_question(question, today, names)
    return _ANSWERS[asked.kind](asked, views, names)


def attack_answer(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """The asked metrics of the attacks on the asked days (else the most recent attacks that
    have them), per event, with sources, quotes and doubts; or what is known instead."""
    metrics = asked.metrics
    if not metrics:
        days = asked.days[:MAX_EVENTS] or [None]
        messages = [answers.attacks(views, day, names=names) for day in days]
        return _combined(f"Air attacks of {days_text(asked.days)}", messages)
    pool = [v for v in answers.attack_views(views) if _on_side(v, asked.side)]
    if asked.days:
        pool = [v for v in pool if any(answers.covers(v.event, d) for d in asked.days)]
    else:  # the latest attacks with the figure asked first, else with any asked
        core = {metrics[0], *(["attack.drones_downed"] if "shot" in asked.cues else [])}
        pool = [v for v in pool if any(trusted(v.state, m) for m in core)] or pool
    whole = pool
    if asked.place is not None:  # a place's figures only: an event's whole is not a place's
        pool = [_at_place(v, asked.place[0]) for v in pool]
    blocks = [(v, found) for v in pool if (found := figure_lines(v.state, metrics, names=names))]
    blocks = blocks if asked.days else blocks[:MAX_EVENTS]
    if not blocks and asked.place is not None:
        return not_known.place_not_known(asked.place[0], asked.days, whole, metrics, names)
    if not blocks:
        return not_known.not_known(asked.days, views, metrics, names)
    name = names.wording(metrics[0]).many.capitalize()
    when = f"on {days_text(asked.days)}" if asked.days else "in the most recent attacks"
    lines: list[str] = []
    quotes: list[Quote] = []
    for view, found in blocks:
        lead = next((t for m in metrics if (t := trusted(view.state, m))), None)
        first = _lead_text(asked, lead, found[0], names)
        lines += [f"{attack_name(view.event)}, {span_text(view.event)}: {first}"]
        lines += [f"  {line}" for line in found[1:]]
        quotes += [evidence(lead)] if lead and lead.backing else []
        quotes += doubt_quotes(view.state, metrics)
    return Message(f"{name} {when}", tuple(lines), tuple(dict.fromkeys(quotes)))


def _lead_text(asked: Question, lead: Tally | None, line: str, names: Naming) -> str:
    """The answer's first figure: `line` (figure_lines' phrase), each claim when the lead
    tally is disputed, and first a word that the jammed drones asked for are not reported when
    only another count is."""
    if lead is not None and claims_of(lead):
        line = f"{names.wording(lead.metric).many}, {answers.tally_text(lead, names)}."
    if "jam" in asked.cues and lead is not None and lead.metric != JAMMED:
        line = f"{names.wording(JAMMED).many} not reported; {line}"
    return line


def _at_place(view: EventView, place: str) -> EventView:
    state = view.state
    kept = replace(state, tallies=tuple(of_place(state.tallies, place)), breaches=())
    return EventView(view.event, kept)


def _on_side(view: EventView, side: str | None) -> bool:
    return side not in SIDE_NAMES or view.event.side == side


def swap_answer(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """The exchange's phases on the asked days, its agreed total ("deal"), its running total
    ("in all", "so far"), or its summary; for the side asked when one is. A deal asked of a
    day is that day's exchange's; with no exchange on that day, the days known."""
    found = answers.swap_views(views)
    if not found:
        return answers.swaps(views, names)
    if answers.AGREED in asked.named:
        # The deal of the exchange of the asked day, never another exchange's.
        dated = [v for v in found if any(answers.covers(v.event, d) for d in asked.days)]
        if dated or not asked.days:
            return swap_replies.swap_deal((dated or found)[0], asked.side, names=names)
    if asked.days:
        return swap_replies.swap_days(found, asked.days, asked.side)
    if "total" in asked.cues:
        return swap_replies.swap_total(found[0], asked.side, names=names)
    return swap_replies.swap_summary(found[0], asked.side, names=names)


def day_answer(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """What is known of the asked days: the air attacks and the exchange phases."""
    messages = []
    for day in asked.days[:MAX_EVENTS]:
        message = answers.attacks(views, day, names=names)
        swaps = [
            f"Prisoner exchange, {line}"
            for view in answers.swap_views(views)
            for line in answers.phase_lines(view.state, [day])
        ]
        if swaps:
            lines = (*swaps, f"{message.title}:", *(f"  {x}" for x in message.lines))
            message = Message(day_text(day), lines, message.quotes)
        messages.append(message)
    return _combined(days_text(asked.days), messages)


def _combined(title: str, messages: Sequence[Message]) -> Message:
    if len(messages) == 1:
        return messages[0]
    lines = [line for m in messages for line in (f"{m.title}:", *(f"  {x}" for x in m.lines))]
    quotes = tuple(dict.fromkeys(q for m in messages for q in m.quotes))
    return Message(title, tuple(lines), quotes)


def conflicts(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """The doubts of the events of the asked topic and days (all events when none is asked)."""
    attack = asked.attack_named or asked.cues & ATTACK_CUES
    topic = "swap" if "swap" in asked.cues else "attack" if attack else None
    chosen = [
        v
        for v in views
        if topic in (None, v.event.topic)
        and (not asked.days or any(answers.covers(v.event, d) for d in asked.days))
    ]
    return answers.doubts(chosen, names)


def guide(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """What can be asked: the events known, the figures counted, example questions."""
    title = (
        "Ask me about the figures in the news."
        if "help" in asked.cues
        else "I can't answer that from the figures I know."
    )
    known_events = [event_name(v.event) for v in answers.newest_first(views)][:8]
    days = answers.attack_days(views)
    day = day_text(days[-1], year=False) if days else "May 24"
    return Message(
        title,
        (
            f"Known: {'; '.join(known_events)}." if known_events else "No figures are known yet.",
            f"I count: {', '.join(w.many for w in names.wordings.values())}.",
            f'Ask in English, like: "how many drones were shot down on {day}?", "how many '
            f'people were killed on {day}?", "how many prisoners have been exchanged in all?", '
            '"do any reports conflict?"',
        ),
    )


def uncounted(asked: Question, views: Sequence[EventView], names: Naming) -> Message:
    """A thing no figure counts: says so, then what is counted and known, as `guide` does."""
    known = guide(asked, views, names)
    return Message(f"Nothing is known about {asked.uncounted}: no figure counts them.", known.lines)


_ANSWERS: dict[str, Callable[[Question, Sequence[EventView], Naming], Message]] = {
    "uncounted": uncounted,
    "conflicts": conflicts,
    "swap": swap_answer,
    "attack": attack_answer,
    "day": day_answer,
    "help": guide,
}
