"""How one article is recognised again."""

from __future__ import annotations

import pytest

from bot.sources.documents import Document, entry_document_id, normalize_link, normalize_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.news.example/a/1/", "http://news.example/a/1"),
        ("https://news.example/a/1?utm_source=tg&id=7", "https://news.example/a/1?id=7"),
        ("https://news.example/a/1#comments", "https://NEWS.example/a/1"),
    ],
)
def test_links_that_differ_only_in_sharing_noise_are_equal(a: str, b: str) -> None:
    assert normalize_link(a) == normalize_link(b)


def test_different_articles_have_different_links() -> None:
    assert normalize_link("https://news.example/a/1") != normalize_link("https://news.example/a/2")
    assert normalize_link("https://news.example/a?id=1") != normalize_link(
        "https://news.example/a?id=2"
    )


def test_text_normalisation_ignores_case_spacing_and_punctuation() -> None:
    assert normalize_text("Kyiv:  15 people  INJURED!") == normalize_text("kyiv 15 people injured")
    assert normalize_text("15 injured") != normalize_text("16 injured")


def test_entry_ids_are_stable_and_prefer_the_guid() -> None:
    assert entry_document_id("urn:1", "https://x/1", "t") == entry_document_id(
        "urn:1", "https://x/2", "u"
    )
    assert entry_document_id(None, "https://x/1", "t") == entry_document_id(
        " ", "https://www.x/1/", "u"
    )
    assert entry_document_id(None, None, "Some text.") == entry_document_id(None, None, "some TEXT")


def test_identity_keys_are_strongest_first() -> None:
    doc = Document(id="d", source="s", text="Body", guid="g", link="https://x/1")
    kinds = [key.split(":")[0] for key in doc.identity_keys()]
    assert kinds == ["guid", "link", "text"]
    assert [k.split(":")[0] for k in Document(id="d", source="s", text="Body").identity_keys()] == [
        "text"
    ]
