"""How replies say each metric and how questions name it: each metric's `reply` and `asked` in
config/metrics.toml, with the [question_words] lists its `asked` phrases use.

`build_naming(data)` turns an already parsed metrics.toml mapping into a `Naming` (it is part of
the `Vocabulary` that `load_vocabulary` reads, so `Rulebook.naming` is the one the service and
the command line pass to every sentence builder). Everything here is pure.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.extract.phrases import compile_phrases

REPLY_WORDS = ("heading", "many", "one", "unit", "unit_one")
_REQUIRED = REPLY_WORDS[:3]


@dataclass(frozen=True)
class Wording:
    """How a reply says a metric: `heading` starts a summary line ("Killed: at least 12"),
    `many`/`one` follow a count ("at least 12 people killed") and name what is not known, and
    `unit`/`unit_one` follow a count in a summary line ("Air-raid alert: 8 hours")."""

    heading: str
    many: str
    one: str
    unit: str = ""
    unit_one: str = ""


def wording_from_id(metric: str) -> Wording:
    """The wording of a metric configured without `reply`: "attack.power_outages" is "power
    outages" (heading "Power outages")."""
    name = metric.split(".", 1)[-1].replace("_", " ")
    return Wording(name.capitalize(), name, name)


@dataclass(frozen=True)
class Naming:
    """The words of the metrics, as metrics.toml gives them.

    - `wordings`: every configured metric's `Wording`, in the order of the file (the order in
      which replies list metrics); `wording(metric)` also names a metric the file lacks.
    - `asking`: (pattern, metrics) pairs, one per set of metrics that list the same question
      phrases, in the order questions name them (see `named`). Patterns expect a question
      lower-cased with single spaces (`bot.commands.normalise`).
    """

    wordings: Mapping[str, Wording]
    asking: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = ()

    @property
    def order(self) -> tuple[str, ...]:
        """The configured metrics, in the order of the file."""
        return tuple(self.wordings)

    def wording(self, metric: str) -> Wording:
        """The metric's wording; one the file does not have is named from its id."""
        return self.wordings.get(metric) or wording_from_id(metric)

    def named(self, words: str) -> tuple[str, ...]:
        """The metrics a normalised question names with their `asked` phrases, in order: each
        phrase stands at the place in the file of the last metric that lists it, and phrases
        that fewer metrics share come first there. So "how many killed or injured?" names
        killed then injured, and "how many casualties were wounded?" names injured (its own
        word) then killed (by "casualties", which killed and injured share)."""
        found = (metrics for pattern, metrics in self.asking if pattern.search(words))
        return tuple(dict.fromkeys(itertools.chain.from_iterable(found)))


def build_naming(data: Mapping[str, Any]) -> Naming:
    """The naming of a parsed metrics.toml: its [metrics] tables' `reply` and `asked`, and its
    [question_words]. Raises ValueError or TypeError, naming the metric, on a malformed one;
    `build_vocabulary` turns those into ConfigError."""
    metrics = data.get("metrics", {})
    if not isinstance(metrics, Mapping):
        raise TypeError("[metrics] must be a table")
    lists = _question_words(data.get("question_words", {}))
    wordings: dict[str, Wording] = {}
    phrases: dict[str, list[str]] = {}
    for metric_id, spec in metrics.items():
        if not isinstance(spec, Mapping):
            raise TypeError(f"metric {metric_id} must be a table")
        wordings[metric_id] = _wording(metric_id, spec.get("reply"))
        phrases[metric_id] = _asked(metric_id, spec.get("asked", []), lists)
    return Naming(MappingProxyType(wordings), _asking(phrases, list(wordings)))


def _wording(metric_id: str, spec: Any) -> Wording:
    if spec is None:
        return wording_from_id(metric_id)
    if not isinstance(spec, Mapping):
        raise TypeError(f"metric {metric_id}: reply must be a table ({', '.join(REPLY_WORDS)})")
    for key, value in spec.items():
        if key not in REPLY_WORDS:
            raise ValueError(
                f"metric {metric_id}: reply.{key} is not one of {', '.join(REPLY_WORDS)}"
            )
        if not isinstance(value, str):
            raise TypeError(f"metric {metric_id}: reply.{key} must be a string")
        if key in _REQUIRED and not value.strip():
            raise ValueError(f"metric {metric_id}: reply.{key} must not be empty")
    missing = [key for key in _REQUIRED if key not in spec]
    if missing:
        raise ValueError(f"metric {metric_id}: reply needs {', '.join(missing)}")
    if ("unit" in spec) != ("unit_one" in spec):
        raise ValueError(f"metric {metric_id}: reply needs both unit and unit_one, or neither")
    return Wording(**spec)


def _question_words(spec: Any) -> Mapping[str, list[str]]:
    if not isinstance(spec, Mapping):
        raise TypeError("[question_words] must be a table of phrase lists")
    for name, phrases in spec.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise TypeError(f"question_words.{name} must be a list of strings")
        if any("@" in p for p in phrases):
            raise ValueError(f"question_words.{name}: a list cannot name another (@)")
    return spec


def _asked(metric_id: str, spec: Any, lists: Mapping[str, list[str]]) -> list[str]:
    """The metric's `asked` phrases with each "@name" word replaced by every phrase of that
    [question_words] list ("how many @place" -> "how many districts", ...)."""
    if not isinstance(spec, list) or not all(isinstance(p, str) for p in spec):
        raise TypeError(f"metric {metric_id}: asked must be a list of strings")
    expanded: list[str] = []
    for phrase in spec:
        words = phrase.split()
        if not words:
            raise ValueError(f"metric {metric_id}: asked has an empty phrase")
        if "*" in (words[0], words[-1]):
            raise ValueError(
                f"metric {metric_id}: asked phrase {phrase!r}: a lone * (any one word) must"
                " stand between two words"
            )
        choices: list[Sequence[str]] = []
        for word in words:
            name = word[1:]
            if word.startswith("@") and name not in lists:
                raise ValueError(
                    f"metric {metric_id}: asked phrase {phrase!r} names @{name},"
                    " which [question_words] does not define"
                )
            choices.append(lists[name] if word.startswith("@") else [word])
        expanded += [" ".join(chosen) for chosen in itertools.product(*choices)]
    return expanded


def _asking(
    phrases: Mapping[str, list[str]], order: list[str]
) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """One pattern per set of metrics that list the same phrases, in the order `named` reads
    them: by the place of the set's last metric in the file, smaller sets first."""
    by_phrase: dict[str, set[str]] = {}
    for metric_id, listed in phrases.items():
        for phrase in listed:
            by_phrase.setdefault(" ".join(phrase.lower().split()), set()).add(metric_id)
    groups: dict[tuple[str, ...], list[str]] = {}
    for phrase, owners in by_phrase.items():
        groups.setdefault(tuple(sorted(owners, key=order.index)), []).append(phrase)
    ranked = sorted(groups, key=lambda ms: (order.index(ms[-1]), len(ms), [*map(order.index, ms)]))
    return tuple((compile_phrases({"asked": groups[ms]}).pattern, ms) for ms in ranked)
