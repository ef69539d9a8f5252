"""A figure needs words around it: code and markup yield none, prose around them still does.

Issue 12: a hostile feed title `alert(1)` was read as "1 drones launched" and shown in a
summary. The hostile titles below are written for these tests.
"""

from __future__ import annotations

import pytest

from bot.extract.markup import glued_to_code, is_code_or_markup
from tests.extract.common import keys

BODY = "Russia launched 40 drones overnight, the air force said. Air defences shot down 36."
BODY_FIGURES = {
    ("attack.drones_launched", 40, "exact", "ukraine"),
    ("attack.drones_downed", 36, "exact", "ukraine"),
}

HOSTILE_TITLES = [
    "alert(1)",
    "<script>alert(1)</script>",
    "<script>x=5</script>",
    '{"drones": 40}',
    '{"launched": 40, "drones": 12}',
    "${7*7}",
    "{{7*7}} drones launched",
    "launched ${7*7} drones",
    "launched(40, drones)",
    "drones.launch(40)",
    "f(40) drones launched",
    "Russia launched drones alert(1)",
    "launched alert(1)",
    "<img src=x onerror=alert(1)> 40 drones launched",
    "<b>40</b> drones launched",
    "drones = 40; killed = 3;",
    "`launched 40 drones`",
    "killed=3&injured=12",
    "40 | 36 | 12 | 7 <> ; ; ;",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_title_that_is_code_or_markup_yields_no_figure(title: str) -> None:
    assert keys(title) == set()


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_title_takes_nothing_from_the_article_around_it(title: str) -> None:
    # As a feed entry is read: the title, then the body; or glued to the end of a sentence.
    assert keys(f"{title}\n\n{BODY}") == BODY_FIGURES
    assert keys(f"{BODY}\n\n{title}") == BODY_FIGURES


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # The same counts in prose, with the brackets, quotes and marks that news does use.
        ("Russia launched 40 drones overnight.", {("attack.drones_launched", 40, "exact")}),
        (
            "Russia launched drones (40 in all) overnight.",
            {("attack.drones_launched", 40, "exact")},
        ),
        ("Russia launched “40” drones overnight.", {("attack.drones_launched", 40, "exact")}),
        ("Russia launched [40] drones overnight.", {("attack.drones_launched", 40, "exact")}),
        (
            "Air defences shot down 36 drones; 4 were lost.",
            {("attack.drones_shot_down", 36, "exact"), ("attack.drones_jammed", 4, "exact")},
        ),
        ("At least 3 people were killed.", {("attack.killed", 3, "at_least")}),
        (
            "Russia launched 40 drones, see https://news.example/a?id=7&page=2 for more.",
            {("attack.drones_launched", 40, "exact")},
        ),
        (
            "Drone attack: 40 launched, 36 shot down",
            {("attack.drones_launched", 40, "exact"), ("attack.drones_downed", 36, "exact")},
        ),
    ],
)
def test_prose_keeps_its_figures(text: str, figures: set[tuple[str, int, str]]) -> None:
    assert {key[:3] for key in keys(text)} == figures


@pytest.mark.parametrize(
    ("text", "number", "glued"),
    [
        ("alert(1)", "1", True),
        ("x=5</script>", "5", True),
        ("${7*7}", "7", True),
        ('{"drones": 40}', "40", True),
        ("drones(40)", "40", True),
        ("a;40", "40", True),
        ("40 drones", "40", False),
        ("(40)", "40", False),
        ("(40).", "40", False),
        ("[40]", "40", False),
        ("“40”,", "40", False),
        ("drones: 40.", "40", False),
        ("1) first", "1", False),
    ],
)
def test_glued_to_code(text: str, number: str, glued: bool) -> None:
    start = text.index(number)
    assert glued_to_code(text, start, start + len(number)) is glued


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("<p>Russia launched 40 drones</p>", True),
        ("Russia launched 40 drones {overnight}", True),
        ("Russia launched `40` drones", True),
        ("drones = 40", True),
        ("${7*7} - 4 * 5", True),
        ("Russia launched 40 drones, see https://news.example/?id=7", False),
        ("Casualties: 5 < 10, the mayor said.", False),
        (
            "Russia launched 40 drones and 9 missiles (Kh-101/Kh-555) at 01:00, 02:30 and 4:00.",
            False,
        ),
    ],
)
def test_is_code_or_markup(sentence: str, code: bool) -> None:
    assert is_code_or_markup(sentence) is code
