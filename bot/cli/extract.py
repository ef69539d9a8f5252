"""`tallywire extract` and `tallywire eval`: the extractor on the command line.

`register(subparsers)` adds both commands to the main parser (bot/cli.py). Each command's
function takes the parsed arguments and the settings and returns the exit code: 0, or 2 with a
one-line error on stderr when a file cannot be read or the config is malformed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError, TallywireError
from bot.settings import Settings

if TYPE_CHECKING:  # the extractor and its vocabulary load in the commands that use them
    from bot.extract import Figure, Vocabulary

VOCABULARY_FILE = "metrics.toml"
_TABLE_EVIDENCE = 70


def register(subparsers: Any) -> None:
    """Add `extract` and `eval` to `subparsers` (what `add_subparsers()` returned)."""
    extract_parser = subparsers.add_parser(
        "extract",
        help="print the figures of each document",
        description="Read each text file into figures (shared/figures.md): a table, or with "
        "--json one figure a line with source = the file stem. A file's publication date is its "
        "`date YYYY-MM-DD` line, else the seeds manifest (by file stem), else --date.",
    )
    extract_parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="text files")
    extract_parser.add_argument("--json", action="store_true", help="one JSON figure a line")
    _add_date(extract_parser)
    extract_parser.set_defaults(func=extract_command)

    eval_parser = subparsers.add_parser(
        "eval",
        help="score extraction against a gold file",
        description="Extract each PATH and score the figures against GOLD.jsonl: precision, "
        "recall and F1 per metric and overall, loose (metric, value, qualifier) and strict "
        "(with the event date where the gold gives one), then the misses and false figures.",
    )
    eval_parser.add_argument(
        "gold", type=Path, metavar="GOLD.jsonl", help="gold figures, JSON lines"
    )
    eval_parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="text files")
    eval_parser.add_argument(
        "--tallies",
        type=Path,
        metavar="GOLD",
        help="true event tallies, JSON lines: also replay the files into a fresh store (seeds "
        "off) and score its tallies as ../shared/tools/score_tallies.py does",
    )
    eval_parser.add_argument(
        "--not",
        dest="nots",
        type=Path,
        metavar="NOT",
        help="with --tallies: the figures no tally may show, JSON lines",
    )
    _add_date(eval_parser)
    eval_parser.set_defaults(func=eval_command)


def _add_date(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="publication date of files that have neither a date line nor a manifest entry",
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def extract_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire extract PATH ... [--json] [--date YYYY-MM-DD]`."""
    try:
        vocabulary = _vocabulary(settings)
        figures = [
            f for path in args.paths for f in figures_of(path, settings, args.date, vocabulary)
        ]
    except TallywireError as exc:
        return _fail(exc)
    if args.json:
        for figure in figures:
            print(json.dumps(figure.as_json(), ensure_ascii=False))
    else:
        print(format_table(figures))
    return 0


def eval_command(args: argparse.Namespace, settings: Settings) -> int:
    """`tallywire eval GOLD.jsonl PATH ... [--date YYYY-MM-DD] [--tallies GOLD --not NOT]`."""
    from bot.cli.tally_eval import replayed_tallies
    from bot.cli.tally_scoring import format_tally_score, score_tallies
    from bot.extract import format_score, load_gold, load_json_lines, score

    try:
        gold = load_gold(args.gold)
        vocabulary = _vocabulary(settings)
        figures = [
            f for path in args.paths for f in figures_of(path, settings, args.date, vocabulary)
        ]
    except TallywireError as exc:
        return _fail(exc)
    documents = {path.stem for path in args.paths}
    print(format_score(score(gold, figures, documents)))
    if args.tallies is None:
        return 0
    try:
        true_rows = load_json_lines(args.tallies)
        not_rows = load_json_lines(args.nots) if args.nots else []
        shown_rows = replayed_tallies(args.paths, settings, utc_now)
    except TallywireError as exc:
        return _fail(exc)
    print()
    print(format_tally_score(score_tallies(true_rows, not_rows, shown_rows)))
    return 0


def utc_now() -> datetime:
    """The wall clock, in UTC, for the replay's store."""
    return datetime.now(UTC)


def figures_of(
    path: Path, settings: Settings, fallback: date | None, vocabulary: Vocabulary
) -> list[Figure]:
    """The figures of one file; raises TallywireError if it cannot be read."""
    from bot.extract import extract
    from bot.sources import publication_date, read_document

    try:
        published = publication_date(path, settings.seeds_dir, fallback)
        document = read_document(path, published)
    except OSError as exc:
        raise TallywireError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return extract(document.text, document.published, path.stem, vocabulary)


def format_table(figures: list[Figure]) -> str:
    """The figures as a table a person reads: one line each, evidence clipped."""
    if not figures:
        return "no figures"
    header = (
        f"{'source':22} {'metric':26} {'value':>7} {'qualifier':9} {'event_date':10} {'side':7} "
        "evidence"
    )
    lines = [header]
    for f in figures:
        day = f.event_date.isoformat() if f.event_date else "-"
        evidence = " ".join(f.evidence.split())
        if len(evidence) > _TABLE_EVIDENCE:
            evidence = evidence[: _TABLE_EVIDENCE - 1] + "…"
        lines.append(
            f"{f.source[:22]:22} {f.metric:26} {f.value:7} {f.qualifier:9} {day:10} "
            f"{f.side or '-':7} {evidence}"
        )
    return "\n".join(lines)


def _vocabulary(settings: Settings) -> Vocabulary:
    from bot.extract import load_vocabulary

    path = settings.config_file(VOCABULARY_FILE)
    if path is None:
        raise ConfigError(f"no {VOCABULARY_FILE} in {', '.join(map(str, settings.config_dirs))}")
    return load_vocabulary(path)


def _fail(error: TallywireError) -> int:
    print(f"tallywire: error: {error}", file=sys.stderr)
    return 2
