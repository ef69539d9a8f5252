"""Times the figure extractor per article: over the seeds, and over a larger corpus.

    python bench/bench_extract.py [--articles 300] [--passes 5] [--seed 7]

The larger corpus is made here, reproducibly: articles of about 5 KB built from the seeds'
paragraphs (shuffled) and from synthetic news-like paragraphs in the styles of wire reports,
air-force tallies and ministry statements, mixed with paragraphs that hold no figure (quotes,
background, captions), as real articles are, at about the seeds' density of figures. Each
article is timed on every pass and keeps its fastest time (other processes on the machine only
ever add time); the printout gives articles per second, and milliseconds per article (median
and p95), for each corpus.

Target (issue 3): <= 1 ms per seed-sized article (about 5 KB) on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.extract import Vocabulary, extract, load_vocabulary  # noqa: E402
from bot.sources.seeds import publication_date, read_document  # noqa: E402

SHARED_SEEDS = REPO.parent / "shared" / "seeds"
TARGET_BYTES = 5000
# Shares of paragraphs: from the seeds, synthetic figure paragraphs, and filler. The mix gives
# about as many figures per kilobyte as the seeds themselves have (about 14 per 5 KB); every
# synthetic paragraph holds two to five figures, so more of them would make a denser corpus
# than news is.
SEED_SHARE = 0.45
SYNTHETIC_SHARE = 0.12

CITIES = [
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Dnipro",
    "Zaporizhzhia",
    "Sumy",
    "Lviv",
    "Chernihiv",
    "Poltava",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIGURE_TEMPLATES = [
    "Russia attacked Ukraine overnight with {m} missiles and {d} drones, the air force said, "
    "adding that air defences shot down {md} missiles and {dd} drones.",
    "Air defence neutralised {dd} drones: {ds} were shot down and {dj} were lost to electronic "
    "warfare, the Ukrainian Air Force said on Telegram on {wd}.",
    "At least {k} people were killed and {i} injured in a Russian missile strike on {city}, "
    "regional governor said early {wd}.",
    "Ukraine and Russia exchanged {s} prisoners each on {wd}, the latest swap brokered by the "
    "United Arab Emirates, officials in Kyiv and Moscow said.",
    "Zelensky said {s} Ukrainian defenders had returned home, bringing the total released so far "
    "this month to {t}.",
    "Russia's Defence Ministry said its air defence systems had intercepted and destroyed {rd} "
    "Ukrainian drones over several regions overnight.",
    "Debris from downed drones fell in {p} districts of {city}, sparking {f} fires, the city's "
    "military administration said. The air raid alert lasted {h} hours.",
    "The death toll from the strike on {city} rose to {k}, with {i} people wounded, including "
    "{c} children, emergency services said on {wd}.",
]
FILLER = [
    '"We will not give up, and we will rebuild everything they destroy," the mayor told '
    "reporters outside the damaged building, where volunteers cleared glass from the pavement.",
    "The talks in Istanbul were the first direct negotiations between the two sides in more than "
    "three years, and diplomats said a ceasefire remained out of reach for now.",
    "Residents of the city spent much of the night in metro stations and basements as explosions "
    "echoed across the river, witnesses told Reuters.",
    "Kyiv's Western allies have pledged more air defence systems, but officials say deliveries "
    "have been slow and stocks of interceptor missiles are running low.",
    "The Kremlin did not immediately comment. Moscow denies targeting civilians, despite "
    "evidence collected by United Nations monitors.",
    "Photo: Firefighters work at the site of a Russian strike in the city on May 24, 2025. "
    "Photographer / Agency",
    "Analysts at the Institute for the Study of War said the strikes were part of a wider "
    "campaign against Ukraine's energy grid ahead of the winter.",
    "A 62-year-old woman said she had lived in the five-story building for 30 years and had never "
    "seen anything like it.",
]


def synthetic_paragraph(rng: random.Random) -> str:
    """One figure-bearing paragraph with random counts, places and days."""
    template = rng.choice(FIGURE_TEMPLATES)
    dd = rng.randint(40, 450)
    ds = rng.randint(1, dd)
    values = {
        "m": rng.randint(1, 60),
        "d": rng.randint(50, 500),
        "md": rng.randint(1, 40),
        "dd": dd,
        "ds": ds,
        "dj": dd - ds,
        "k": rng.randint(1, 40),
        "i": rng.randint(1, 120),
        "s": rng.randint(50, 400),
        "t": rng.randint(400, 1200),
        "rd": rng.randint(10, 300),
        "p": rng.choice(["three", "four", "six", "seven", "12"]),
        "f": rng.choice(["two", "five", "9"]),
        "h": rng.randint(2, 9),
        "c": rng.choice(["two", "three", "four"]),
        "city": rng.choice(CITIES),
        "wd": rng.choice(WEEKDAYS),
    }
    return template.format(**values)


def seed_articles(folder: Path) -> list[tuple[str, str, date | None]]:
    """(id, text, publication date) of each seed."""
    manifest_folder = REPO / "seeds"
    articles = []
    for path in sorted(folder.glob("*.txt")):
        published = publication_date(path, manifest_folder, None)
        document = read_document(path, published)
        articles.append((path.stem, document.text, document.published))
    return articles


def large_corpus(
    seeds: list[tuple[str, str, date | None]], count: int, rng: random.Random
) -> list[tuple[str, str, date | None]]:
    """`count` articles of about 5 KB: seed paragraphs, synthetic figures and filler, shuffled."""
    seed_paragraphs = [p for _, text, _ in seeds for p in text.split("\n") if len(p.strip()) > 40]
    articles = []
    for number in range(count):
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < TARGET_BYTES:
            roll = rng.random()
            if roll < SEED_SHARE:
                parts.append(rng.choice(seed_paragraphs))
            elif roll < SEED_SHARE + SYNTHETIC_SHARE:
                parts.append(synthetic_paragraph(rng))
            else:
                parts.append(rng.choice(FILLER))
        published = date(2025, 5, 1) + timedelta(days=rng.randint(0, 60))
        articles.append((f"synthetic-{number:04d}", "\n\n".join(parts), published))
    return articles


def time_corpus(
    articles: list[tuple[str, str, date | None]], vocabulary: Vocabulary, passes: int
) -> tuple[list[float], float, int]:
    """(fastest seconds per article, fastest whole pass in seconds, figures found)."""
    best = [float("inf")] * len(articles)
    best_pass = float("inf")
    figures = 0
    for _ in range(passes):
        pass_start = time.perf_counter()
        figures = 0
        for index, (source, text, published) in enumerate(articles):
            start = time.perf_counter()
            figures += len(extract(text, published, source, vocabulary))
            best[index] = min(best[index], time.perf_counter() - start)
        best_pass = min(best_pass, time.perf_counter() - pass_start)
    return best, best_pass, figures


def report(
    name: str, articles: list[tuple[str, str, date | None]], vocabulary: Vocabulary, passes: int
) -> None:
    times, whole, figures = time_corpus(articles, vocabulary, passes)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    size = statistics.mean(len(text.encode("utf-8")) for _, text, _ in articles) / 1000
    print(
        f"{name:8} {len(articles):4} articles, {size:4.1f} KB each on average, "
        f"{figures} figures a pass\n"
        f"         {len(articles) / whole:8.0f} articles/s   "
        f"median {statistics.median(ms):.3f} ms/article   p95 {p95:.3f} ms/article   "
        f"(median {statistics.median(ms) / size * 5:.3f} ms per 5 KB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="size of the larger corpus")
    parser.add_argument("--passes", type=int, default=5, help="timed passes over each corpus")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the larger corpus")
    args = parser.parse_args()
    folder = SHARED_SEEDS if SHARED_SEEDS.is_dir() else REPO / "seeds"
    vocabulary = load_vocabulary(REPO / "config" / "metrics.toml")
    seeds = seed_articles(folder)
    corpus = large_corpus(seeds, args.articles, random.Random(args.seed))
    for _, text, published in seeds + corpus[:20]:  # warm up
        extract(text, published, "warm-up", vocabulary)
    print(f"figure extraction, {args.passes} passes, fastest time per article kept")
    report("seeds", seeds, vocabulary, max(args.passes, 20))
    report("corpus", corpus, vocabulary, args.passes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
