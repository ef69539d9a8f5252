"""Code and markup: text that is no news prose, where a number is no count.

A figure needs words around it. News writes a count as a word among words: "Russia launched
40 drones", "(40 in all)", "[40] were freed". Code and markup glue numbers to identifiers and
symbols: `alert(1)`, `x=5</script>`, `${7*7}`, `{"drones": 40}`. Read as news, such a number
would take its metric from whatever cue stands near it, or from the class the sentence before
named (a hostile feed title `alert(1)` was once read as "1 drones launched", issue 12). Two
tests, both from how news is written and not from any one string:

- `glued_to_code`: the number is part of a run of characters, with no space, that holds a mark
  of code or markup (a bracket, brace or angle bracket inside the run, `=`, `*`, `$`, `;`,
  `|`, `\\`, `^` or a backtick) once the quotes and brackets that open or close a word in prose
  are set aside: "(40)" and "40," are prose, "alert(1)" and "40}" are not;
- `is_code_or_markup`: the sentence holds a tag (`<b>`, `</p>`), a brace, a backtick or an
  `=` outside a web address, or is mostly symbols: more than half of its characters, space
  aside, are no letter, digit or underscore (in the seeds and the dev set, a sentence with a
  figure has at most one such character in twelve).

Pure: strings in, booleans out.
"""

from __future__ import annotations

import re

# Characters that news prose does not glue to a number.
_CODE_MARKS = frozenset("(){}[]<>=*$;|\\^`")
# What may open or close a word of prose: set aside before looking for code marks.
_OPENERS = "(\"“‘'["
_CLOSERS = ")\"”’'].,;:!?…"
# How far a glued run is followed, each way: a longer run is a dump, not a word.
_REACH = 40

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# Anchored at the start of a run, so that a long run without "://" is passed over in one go.
_WEB_ADDRESS = re.compile(r"(?<![\w+.-])[A-Za-z][\w+.-]*://\S*|(?<!\S)www\.\S+")
_MARKS = re.compile(r"[{}`=]")
_MARK_SET = frozenset("<{}`=")
_SYMBOL = re.compile(r"[^\w\s]")


def glued_to_code(text: str, start: int, end: int) -> bool:
    """True when the number at text[start:end] is glued, with no space, to a mark of code or
    markup (see the module docstring)."""
    before = text[start - 1 : start]
    if not before or before.isspace():
        # The common cases: a number between spaces, or before a comma or a full stop.
        after = text[end : end + 2]
        if not after or after[0].isspace() or (after[0] in ",.;:" and after[1:].isspace()):
            return False
    head = text[max(0, start - _REACH) : start]
    head = head.rsplit(None, 1)[-1] if head and not head[-1].isspace() else ""
    tail = text[end : end + _REACH]
    tail = tail.split(None, 1)[0] if tail and not tail[0].isspace() else ""
    glued = head.lstrip(_OPENERS) + tail.rstrip(_CLOSERS)
    return not _CODE_MARKS.isdisjoint(glued)


def is_code_or_markup(sentence: str) -> bool:
    """True when `sentence` is code or markup rather than prose (see the module docstring)."""
    symbols = _SYMBOL.findall(sentence)  # one pass; prose has few
    # A sentence lies within one line: its space is nearly all " ".
    if len(symbols) * 2 > len(sentence) - sentence.count(" "):
        return True
    marks = _MARK_SET.intersection(symbols)
    if not marks:
        return False
    if "<" in marks and _TAG.search(sentence):
        return True
    return marks != {"<"} and _MARKS.search(_WEB_ADDRESS.sub(" ", sentence)) is not None
