"""The seeds source: manifest order, publication dates, and the date line as metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.resources import shipped_dir
from bot.sources.cleaning import TEXT_CHARS
from bot.sources.seeds import (
    load_manifest,
    publication_date,
    read_document,
    seed_documents,
    split_date_line,
)

# Dates read from the seed texts (issue 2): 000 and 002 have date lines, the rest are read.
EXPECTED = [
    ("000_8dfec28dc3bfd21b", date(2025, 5, 23), None),
    ("001_a7d84d6c96b867b6", date(2025, 5, 24), None),
    ("002_7ad8b783db777a5c", date(2025, 5, 24), "RFE/RL"),
    ("003_c2b0b36c3a6ebb50", date(2025, 5, 24), "ICARO Media Group"),
    ("004_500f9249dbe210ff", date(2025, 5, 25), None),
]


def test_the_seeds_come_in_manifest_order_with_dates_and_outlets() -> None:
    docs = list(seed_documents(shipped_dir("seeds")))
    assert [(d.id, d.published, d.outlet) for d in docs] == EXPECTED
    assert all(d.source == "seeds" and d.text.strip() for d in docs)


def test_the_date_line_is_metadata_not_body_text() -> None:
    first = next(seed_documents(shipped_dir("seeds")))
    assert first.text.startswith("Russia and Ukraine swapped hundreds more prisoners on Saturday")
    assert "date 2025" not in first.text[:40]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" date 2025-05-23 Russia and", (date(2025, 5, 23), "Russia and")),
        ("date 2025-05-24\nBody", (date(2025, 5, 24), "Body")),
        ("A date 2025-05-24 later", (None, "A date 2025-05-24 later")),
        ("date 2025-13-40 bad", (None, "date 2025-13-40 bad")),
        ("", (None, "")),
    ],
)
def test_split_date_line(raw: str, expected: tuple[date | None, str]) -> None:
    assert split_date_line(raw) == expected


def test_publication_date_prefers_the_date_line_then_manifest_then_fallback(tmp_path: Path) -> None:
    seeds = shipped_dir("seeds")
    fallback = date(2020, 1, 1)
    assert publication_date(seeds / "002_7ad8b783db777a5c.txt", seeds, fallback) == date(
        2025, 5, 24
    )
    assert publication_date(seeds / "004_500f9249dbe210ff.txt", seeds, fallback) == date(
        2025, 5, 25
    )
    other = tmp_path / "article.txt"
    other.write_text("Russia launched 50 drones overnight.")
    assert publication_date(other, seeds, fallback) == fallback
    assert publication_date(other, seeds, None) is None


def test_without_a_manifest_every_text_file_is_a_seed_by_name(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("date 2025-01-02 Second.")
    (tmp_path / "a.txt").write_text("First.")
    assert [(d.id, d.published) for d in seed_documents(tmp_path)] == [
        ("a", None),
        ("b", date(2025, 1, 2)),
    ]


def test_a_manifest_naming_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('[[documents]]\nid = "gone"\n')
    with pytest.raises(ConfigError, match="gone"):
        load_manifest(tmp_path)


def test_a_document_file_is_cleaned_where_it_is_read(tmp_path: Path) -> None:
    # Issue 12: what a file holds enters as a feed's text does, NULs and invalid UTF-8 included.
    path = tmp_path / "hostile.txt"
    path.write_bytes(
        b"date 2025-05-24 Air defences\x00 shot down 36 drones\x1b[0m overnight.\r\n"
        b"Russia launched 40 drones, \xc0\x80 the air force said.\rEnd."
    )

    document = read_document(path, outlet="Night\x00\nWire")

    assert document.text == (
        "Air defences shot down 36 drones[0m overnight.\n"
        "Russia launched 40 drones, \ufffd\ufffd the air force said.\nEnd."
    )
    assert document.title == "Air defences shot down 36 drones[0m overnight."
    assert (document.published, document.outlet) == (date(2025, 5, 24), "Night Wire")


def test_a_huge_document_file_is_cut_to_the_text_bound(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Russia launched 40 drones overnight. " * 10_000)

    assert len(read_document(path).text) == TEXT_CHARS
