"""The figure extractor: document text plus its publication day in, figures out (figures.md).

    vocabulary = load_vocabulary(settings.config_file("metrics.toml"))
    figures = extract(text, published, source, vocabulary)

The metric vocabulary lives in config/metrics.toml; everything here but `load_vocabulary` is
pure (no I/O, no clock, no network). The modules, one job each:

- phrases: phrase lists compiled into one labelled pattern each;
- vocabulary: config/metrics.toml as frozen, compiled values;
- naming: how replies say each metric and how questions name it (metrics.toml too);
- sentences: sentences (the evidence) and clauses;
- numbers: digits, number words, hedges, and numbers that are no count;
- markup: code and markup, which are no prose and hold no count;
- nounphrase: what a number counts;
- cues: which metric a number reports, and what rules it out;
- reading: one sentence into candidate figures (hedges, then the rules below);
- parts: breakdowns of a group already counted ("including four children");
- contexts: counts of something else a sentence tells of (the swap's wounded, bodies);
- splits: fractions ("27 of 35 drones"), participles, split totals;
- inside: counts inside another count of the document (impacts, hospital, types, units);
- sides, dates: the side and the event day of a figure;
- attribution: one pass over a document's figures for their claimant (claimants), their
  receiver where the words say it (receivers) and their place (places), with the word lists
  of attribution_words;
- document: a whole document, with the day it is talking about carried along;
- figures: the Figure value; evaluation: scoring figures against gold ones.
"""

from bot.extract.document import extract
from bot.extract.evaluation import format_score, load_gold, load_json_lines, score
from bot.extract.figures import Figure
from bot.extract.naming import Naming, Wording
from bot.extract.vocabulary import Vocabulary, build_vocabulary, load_vocabulary

__all__ = [
    "Figure",
    "Naming",
    "Vocabulary",
    "Wording",
    "build_vocabulary",
    "extract",
    "format_score",
    "load_gold",
    "load_json_lines",
    "load_vocabulary",
    "score",
]
