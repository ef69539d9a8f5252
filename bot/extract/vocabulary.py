"""The metric vocabulary (config/metrics.toml) as frozen, compiled values.

`load_vocabulary(path)` is the only I/O of the extractor; `build_vocabulary(data)` turns an
already parsed mapping into a `Vocabulary`, raising ConfigError on anything malformed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from bot.errors import ConfigError
from bot.extract.attribution_words import AttributionWords, build_attribution_words
from bot.extract.dates import DATE_WORDS
from bot.extract.figures import SIDES
from bot.extract.naming import Naming, build_naming
from bot.extract.part_words import PartWords, build_part_words
from bot.extract.phrases import PhraseIndex, compile_phrases

_CONTEXT_KINDS = frozenset({"req", "block", "side", "breakdown", "other_event", "time", "part"})
QUALIFIER_NAMES = ("at_least", "more_than", "about", "nearly", "up_to")
SCOPES = ("clause", "sentence", "before", "after", "between")
SIDE_NAMES = ("both", "ukraine", "russia")


@dataclass(frozen=True)
class Blocker:
    """A phrase list that rules a number out where it stands in `scope` (see metrics.toml);
    its phrases are in the vocabulary's context index under the label "block:<name>"."""

    name: str
    scope: str
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", f"block:{self.name}")


@dataclass(frozen=True)
class MetricRule:
    """How one metric is recognised: what it counts, its cues, requirements and blockers."""

    id: str
    topic: str
    counts: frozenset[str]
    cue_phrases: frozenset[str]
    requires: bool
    blockers: tuple[Blocker, ...]
    toll: bool = False
    dated: bool = True
    elliptic: bool = True
    split_of: str | None = None
    split_with: frozenset[str] = frozenset()
    # From its topic's [sides] table: the side when no cue says one, and whether a night event
    # takes the date of the morning it ended.
    side_default: str | None = None
    overnight: bool = False
    # Set from the above, for reading sentences without rebuilding them: the context labels of
    # its requirement phrases and of its blockers, and (context label, side) of each side of its
    # topic, in the order of figures.SIDES, with those labels as a set.
    requires_label: str = ""
    blocker_labels: frozenset[str] = frozenset()
    side_labels: tuple[tuple[str, str], ...] = ()
    side_label_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        side_labels = tuple((f"side:{self.topic}:{side}", side) for side in SIDES)
        object.__setattr__(self, "requires_label", f"req:{self.id}")
        object.__setattr__(self, "blocker_labels", frozenset(b.label for b in self.blockers))
        object.__setattr__(self, "side_labels", side_labels)
        object.__setattr__(self, "side_label_set", frozenset(label for label, _ in side_labels))


class Family(NamedTuple):
    """A phrase of the merged index (as it is configured) and its labels by use: metrics it
    cues, context labels, date labels. A NamedTuple, so that the sentence scan unpacks it in
    one step."""

    phrase: str
    cues: frozenset[str]
    context: frozenset[str]
    dates: frozenset[str]


@dataclass(frozen=True)
class WordTables:
    """Single words looked up without a pattern (the noun reader's fast path): `nouns` maps a
    one-word noun to its class; `noun_heads` holds first words of longer nouns, `cue_heads` of
    longer cues (those still go through the patterns); `cues` holds one-word cues and
    `cue_prefixes` the stems of one-word cues with "*"."""

    nouns: Mapping[str, str]
    noun_heads: frozenset[str]
    cues: frozenset[str]
    cue_heads: frozenset[str]
    cue_prefixes: tuple[str, ...]
    plain_nouns: Mapping[str, str]  # the `nouns` a word of text is as it stands (no "-", "/", ".")


@dataclass(frozen=True)
class Vocabulary:
    """Everything the extractor knows about words, compiled once from metrics.toml.

    - `metrics`: each metric's rule, by id; `counting`: noun class -> the metrics that count
      it; `choosable`: the metrics an elliptic number ("128 were shot down") may report.
    - `nouns` (labelled by noun class) and `cues` (by metric id), to match at a position, with
      `words` for the common one-word case.
    - `index`: the cues, context phrases and date words (dates.DATE_WORDS) for one scan of a
      sentence; `families[hit.number]` sorts a hit's labels by use. Context labels:
      "req:<metric>" (a requirement), "block:<name>" (a blocker list), "side:<topic>:<side>",
      "breakdown:before|always|after", "other_event", "time:<kind>" (the [time] cues that
      say when a clause is, read by anchors) and "part:<name>" ([parts]).
    - `qualifiers`: hedge phrase ("more than") -> qualifier ("more_than"); `qualifier_ends`
      their last words; `particles`: words that make "over" part of a verb ("handed over").
    - `side_defaults` and `overnight_topics`: per topic, the side when no cue says one, and
      whether a night event takes the date of the morning it ended.
    - `labels`: words that make the number after them a label ("Day 2").
    - `counted`, `requiring` and `splits`: tables derived from the above once, so that
      reading a sentence does not rebuild them (see their comments).
    - `naming`: how replies say each metric and how questions name it (not the extractor's).
    - `attribution`: the claimants, places and receivers of [claimants], [places], [receivers].

    Patterns expect folded (lower-case) text.
    """

    metrics: Mapping[str, MetricRule]
    nouns: PhraseIndex
    cues: PhraseIndex
    index: PhraseIndex
    families: tuple[Family, ...]
    qualifiers: Mapping[str, str]
    qualifier_ends: frozenset[str]
    side_defaults: Mapping[str, str | None]
    overnight_topics: frozenset[str]
    labels: frozenset[str]
    particles: frozenset[str]
    counting: Mapping[str, frozenset[str]]
    choosable: frozenset[str]  # what an elliptic number ("128 were shot down") may report
    words: WordTables
    counted: Mapping[str, frozenset[str]]  # metric id -> the classes it counts (rule.counts)
    requiring: Mapping[str, str]  # metric id -> its requirement label, for those with `requires`
    splits: tuple[MetricRule, ...]  # the metrics that are parts of another, in config order
    naming: Naming
    attribution: AttributionWords  # claimants, places and receivers (attribution)
    parts: PartWords  # [parts] words looked up, not scanned (part_words)

    @property
    def tolls(self) -> frozenset[str]:
        """The metrics whose counts grow over time as reports come in."""
        return frozenset(rule.id for rule in self.metrics.values() if rule.toll)


def load_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary in the TOML file at `path`.

    Raises ConfigError, naming the file, if it cannot be read or is malformed.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return build_vocabulary(data, str(path))


def build_vocabulary(data: Mapping[str, Any], origin: str = "metrics.toml") -> Vocabulary:
    """A vocabulary from a parsed metrics.toml mapping; raises ConfigError if malformed."""
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: {exc}") from exc


def _build(data: Mapping[str, Any]) -> Vocabulary:
    nouns = _table(data, "nouns")
    noun_lists = {name: _strings(nouns, name) for name in nouns}
    context: dict[str, list[str]] = {}
    blockers = {}
    for name, spec in _table(data, "blockers").items():
        blockers[name] = _blocker(name, spec)
        context[blockers[name].label] = _strings(spec, "phrases")
    side_defaults = {}
    overnight = set()
    for topic, spec in _table(data, "sides").items():
        side_defaults[topic] = _side_default(topic, spec)
        if spec.get("overnight", False):
            overnight.add(topic)
        for side in SIDE_NAMES:
            context[f"side:{topic}:{side}"] = _strings(spec, side)
    metrics: dict[str, MetricRule] = {}
    cue_lists: dict[str, list[str]] = {}
    for metric_id, spec in _table(data, "metrics").items():
        rule = _metric(metric_id, spec, set(noun_lists), blockers, side_defaults, overnight)
        metrics[metric_id] = rule
        cue_lists[metric_id] = _strings(spec, "cues")
        context[f"req:{metric_id}"] = _strings(spec, "requires")
        for ref in _strings(spec, "blockers"):
            if not ref.startswith("@"):
                context.setdefault(f"block:{metric_id}:{ref}", []).append(ref)
    _check_splits(metrics)
    grammar = _table(data, "not_figures")
    for part in ("before", "always", "after"):
        context[f"breakdown:{part}"] = _strings(grammar, f"breakdown_{part}")
    context["other_event"] = _strings(grammar, "other_event")
    for kind, phrases in data.get("time", {}).items():
        context[f"time:{kind}"] = [str(phrase) for phrase in phrases]
    parts = build_part_words(data, metrics.keys(), context)
    index, families = _merged(cue_lists, context)
    qualifiers = _qualifiers(_table(data, "qualifiers"))
    return Vocabulary(
        metrics=MappingProxyType(metrics),
        nouns=compile_phrases(noun_lists),
        cues=compile_phrases(cue_lists),
        index=index,
        families=families,
        qualifiers=MappingProxyType(qualifiers),
        qualifier_ends=frozenset(phrase.split()[-1] for phrase in qualifiers),
        side_defaults=MappingProxyType(side_defaults),
        overnight_topics=frozenset(overnight),
        labels=frozenset(label.lower() for label in _strings(grammar, "labels")),
        particles=frozenset(word.lower() for word in _strings(grammar, "particles")),
        counting=MappingProxyType(_counting(metrics)),
        choosable=frozenset(r.id for r in metrics.values() if not r.split_of and r.elliptic),
        words=_word_tables(noun_lists, cue_lists),
        counted=MappingProxyType({metric_id: rule.counts for metric_id, rule in metrics.items()}),
        requiring=MappingProxyType(
            {metric_id: rule.requires_label for metric_id, rule in metrics.items() if rule.requires}
        ),
        splits=tuple(rule for rule in metrics.values() if rule.split_of is not None),
        naming=build_naming(data),
        attribution=build_attribution_words(data),
        parts=parts,
    )


def _word_tables(nouns: Mapping[str, list[str]], cues: Mapping[str, list[str]]) -> WordTables:
    single: dict[str, str] = {}
    heads: set[str] = set()
    for noun_class, phrases in sorted(nouns.items()):
        for phrase in phrases:
            words = phrase.lower().split()
            if len(words) == 1 and "*" not in words[0]:
                single.setdefault(words[0], noun_class)
            else:
                heads.add(words[0].rstrip("*"))
    cue_words = [p.lower().split() for phrases in cues.values() for p in phrases]
    return WordTables(
        nouns=MappingProxyType({w: c for w, c in single.items() if w not in heads}),
        noun_heads=frozenset(heads),
        cues=frozenset(w[0] for w in cue_words if len(w) == 1 and "*" not in w[0]),
        cue_heads=frozenset(w[0] for w in cue_words if len(w) > 1),
        cue_prefixes=tuple(
            sorted({w[0].rstrip("*") for w in cue_words if len(w) == 1 and w[0].endswith("*")})
        ),
        plain_nouns=MappingProxyType(
            {
                w: c
                for w, c in single.items()
                if w not in heads and "-" not in w and "/" not in w and w == w.rstrip(".'’")
            }
        ),
    )


def _counting(metrics: Mapping[str, MetricRule]) -> dict[str, frozenset[str]]:
    """Noun class -> the metrics (other than split parts) that count it."""
    out: dict[str, set[str]] = {}
    for rule in metrics.values():
        if not rule.split_of:
            for noun_class in rule.counts:
                out.setdefault(noun_class, set()).add(rule.id)
    return {name: frozenset(ids) for name, ids in out.items()}


def _merged(
    cues: Mapping[str, list[str]], context: Mapping[str, list[str]]
) -> tuple[PhraseIndex, tuple[Family, ...]]:
    labelled: dict[str, list[str]] = {}
    for prefix, table in (("cue:", cues), ("", context), ("", DATE_WORDS)):
        for label, phrases in table.items():
            labelled.setdefault(prefix + label, []).extend(phrases)
    index = compile_phrases(labelled)
    families = []
    for phrase, labels in zip(index.phrases, index.labels, strict=True):
        families.append(
            Family(
                phrase=phrase,
                cues=frozenset(x[4:] for x in labels if x.startswith("cue:")),
                context=frozenset(x for x in labels if x.split(":")[0] in _CONTEXT_KINDS),
                dates=frozenset(
                    x for x in labels if x.split(":")[0] in ("month", "weekday", "rel")
                ),
            )
        )
    return index, tuple(families)


def _metric(
    metric_id: str,
    spec: Mapping[str, Any],
    classes: set[str],
    blockers: Mapping[str, Blocker],
    sides: Mapping[str, str | None],
    overnight: set[str],
) -> MetricRule:
    if not isinstance(spec, Mapping):
        raise TypeError(f"metric {metric_id} must be a table")
    counts = frozenset(_strings(spec, "counts"))
    for name in counts:
        if any(part not in classes for part in name.split("+")):
            raise ValueError(f"metric {metric_id} counts {name!r}, which [nouns] does not define")
    topic = str(spec.get("topic", ""))
    if topic not in sides:
        raise ValueError(f"metric {metric_id} has topic {topic!r}, which [sides] does not define")
    return MetricRule(
        id=metric_id,
        topic=topic,
        counts=counts,
        cue_phrases=frozenset(" ".join(p.lower().split()) for p in _strings(spec, "cues")),
        requires=bool(_strings(spec, "requires")),
        blockers=tuple(
            _metric_blocker(metric_id, ref, blockers) for ref in _strings(spec, "blockers")
        ),
        toll=bool(spec.get("toll", False)),
        dated=bool(spec.get("dated", True)),
        elliptic=bool(spec.get("elliptic", True)),
        split_of=str(spec["split_of"]) if spec.get("split_of") else None,
        split_with=frozenset(_strings(spec, "split_with")),
        side_default=sides[topic],
        overnight=topic in overnight,
    )


def _metric_blocker(metric_id: str, ref: str, blockers: Mapping[str, Blocker]) -> Blocker:
    """A blocker of a metric: "@name" (a [blockers] list), "@name:scope" (that list in another
    scope), or a phrase of its own (scope clause)."""
    if ref.startswith("@"):
        name, _, scope = ref[1:].partition(":")
        if name not in blockers:
            raise ValueError(f"metric {metric_id} names blocker list @{name}, which is not defined")
        if scope and scope not in SCOPES:
            raise ValueError(f"metric {metric_id}: {ref}: scope must be one of {', '.join(SCOPES)}")
        return Blocker(name, scope or blockers[name].scope)
    return Blocker(f"{metric_id}:{ref}", "clause")


def _check_splits(metrics: Mapping[str, MetricRule]) -> None:
    for rule in metrics.values():
        named = ([rule.split_of] if rule.split_of else []) + sorted(rule.split_with)
        for other in named:
            if other not in metrics:
                raise ValueError(f"metric {rule.id} splits with {other!r}, which is not defined")


def _blocker(name: str, spec: Any) -> Blocker:
    if not isinstance(spec, Mapping):
        raise TypeError(f"blockers.{name} must be a table with scope and phrases")
    scope = str(spec.get("scope", "clause"))
    if scope not in SCOPES:
        raise ValueError(f"blockers.{name}: scope must be one of {', '.join(SCOPES)}")
    _strings(spec, "phrases")
    return Blocker(name, scope)


def _side_default(topic: str, spec: Any) -> str | None:
    if not isinstance(spec, Mapping):
        raise TypeError(f"sides.{topic} must be a table")
    default = str(spec.get("default", "")) or None
    if default is not None and default not in SIDE_NAMES:
        raise ValueError(f"sides.{topic}: default must be one of {', '.join(SIDE_NAMES)} or ''")
    return default


def _qualifiers(spec: Mapping[str, Any]) -> dict[str, str]:
    """Hedge phrase (words joined by one space, lower case) -> qualifier."""
    for name in spec:
        if name not in QUALIFIER_NAMES:
            raise ValueError(f"[qualifiers] {name}: must be one of {', '.join(QUALIFIER_NAMES)}")
    return {
        " ".join(p.lower().split()): name for name in QUALIFIER_NAMES for p in _strings(spec, name)
    }


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise TypeError(f"[{key}] must be a table")
    return value


def _strings(spec: Mapping[str, Any], key: str) -> list[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{key} must be a list of strings")
    return value
