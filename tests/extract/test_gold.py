"""The extractor scored on the seeds' gold figures (figures.md, "How extraction is scored"):
the issue's bar is loose F1 >= 0.95 and strict F1 >= 0.90."""

from __future__ import annotations

import pytest

from bot.extract import extract
from bot.extract.evaluation import format_score, load_gold, score
from bot.sources.seeds import publication_date, read_document
from tests.extract.common import REPO, SHARED, VOCABULARY

GOLD = SHARED / "gold" / "seeds.jsonl"
SEEDS = SHARED / "seeds"


@pytest.mark.skipif(
    not GOLD.is_file() or not SEEDS.is_dir(), reason="shared/ is not beside the repo"
)
def test_seed_gold_is_met() -> None:
    figures = []
    for path in sorted(SEEDS.glob("*.txt")):
        document = read_document(path, publication_date(path, REPO / "seeds", None))
        figures += extract(document.text, document.published, path.stem, VOCABULARY)
    result = score(load_gold(GOLD), figures)
    report = format_score(result)
    assert result.overall_loose.f1 >= 0.95, report
    assert result.overall_strict.f1 >= 0.90, report
