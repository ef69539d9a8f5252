"""bot.cleaning: what text from outside keeps, loses and becomes (issue 12)."""

from __future__ import annotations

import pytest

from bot.sources.cleaning import (
    COMMAND_NAME_CHARS,
    COMMAND_TEXT_CHARS,
    GUID_CHARS,
    LINK_CHARS,
    OUTLET_CHARS,
    PROBLEM_CHARS,
    TEXT_CHARS,
    TITLE_CHARS,
    clean_line,
    clean_text,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        ("Russia launched 40 drones.", "Russia launched 40 drones."),
        ("40\x00 drones", "40 drones"),
        ("\x00\x00\x00", ""),
        ("4\x000", "40"),
        # Tab and newline stay; every other C0 control, DEL and the C1 controls go.
        ("a\tb\nc", "a\tb\nc"),
        ("a\x01b\x08c\x0bd\x0ce\x1bf\x1fg\x7fh", "abcdefgh"),
        ("a\x80b\x85c\x9fd", "abcd"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        # Carriage returns, alone or before a newline, become one newline each.
        ("one\r\ntwo\rthree\n\rfour", "one\ntwo\nthree\n\nfour"),
        ("\r\x00\n", "\n\n"),
        # Lone surrogates become U+FFFD, as undecodable bytes do.
        ("a\ud800b\udfffc", "a\ufffdb\ufffdc"),
        # What is text stays: U+FFFD itself, non-ASCII letters, typographic marks, emoji.
        ("Zelenskyy\u2019s \u201c1,000-for-1,000\u201d \ufffd \u041a\u0438\u0457\u0432 🛡", None),
        ("\u00a0non-breaking\u2028separator", None),
    ],
)
def test_clean_text(raw: str, clean: str | None) -> None:
    expected = raw if clean is None else clean
    assert clean_text(raw) == expected
    assert clean_text(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("raw", "limit", "clean"),
    [
        ("abcdef", 3, "abc"),
        ("abc", 3, "abc"),
        ("a\x00bcdef", 3, "abc"),  # cut after cleaning, so the bound counts kept characters
        ("abc", 0, ""),
    ],
)
def test_clean_text_is_cut_to_its_limit(raw: str, limit: int, clean: str) -> None:
    assert clean_text(raw, limit) == clean


@pytest.mark.parametrize(
    ("raw", "limit", "clean"),
    [
        ("  Night \x00Wire  ", None, "Night Wire"),
        ("entry 3 (urn:a\nb\r\nc)", None, "entry 3 (urn:a b c)"),
        ("fake\nINFO forged log line", None, "fake INFO forged log line"),
        ("a\tb\u2028c", None, "a b c"),
        ("\x00\n\r\t ", None, ""),
        ("one two three", 4, "one"),  # no space left dangling where it was cut
    ],
)
def test_clean_line(raw: str, limit: int | None, clean: str) -> None:
    assert clean_line(raw, limit) == clean
    assert clean_line(clean, limit) == clean


def test_the_bounds_are_as_documented() -> None:
    assert (TEXT_CHARS, TITLE_CHARS, GUID_CHARS, LINK_CHARS) == (200_000, 1_000, 2_048, 2_048)
    assert (OUTLET_CHARS, PROBLEM_CHARS) == (200, 500)
    assert (COMMAND_NAME_CHARS, COMMAND_TEXT_CHARS) == (100, 4_096)


def test_a_megabyte_is_cleaned_then_cut_to_the_text_bound() -> None:
    raw = ("Russia launched 40 drones\x00 overnight.\r\n" * 30_000)[:1_000_000]
    clean = clean_text(raw, TEXT_CHARS)
    assert len(clean) == TEXT_CHARS
    assert "\x00" not in clean and "\r" not in clean
    assert clean.startswith("Russia launched 40 drones overnight.\nRussia launched")
