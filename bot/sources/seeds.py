"""The seeds source: the dated documents shipped in `seeds/`, in manifest order."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.errors import ConfigError
from bot.sources.cleaning import OUTLET_CHARS, TEXT_CHARS, clean_line, clean_text
from bot.sources.documents import Document

SEEDS_SOURCE = "seeds"
MANIFEST = "manifest.toml"
_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")


@dataclass(frozen=True)
class SeedEntry:
    """One line of the manifest: a seed file with its publication day and outlet."""

    id: str
    path: Path
    published: date | None
    outlet: str | None


def load_manifest(folder: Path) -> list[SeedEntry]:
    """The manifest's entries in order; without a manifest, every `*.txt` by name.

    Raises ConfigError if the manifest is malformed or names a missing file.
    """
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return [SeedEntry(p.stem, p, None, None) for p in sorted(folder.glob("*.txt"))]
    try:
        rows = tomllib.loads(manifest.read_text(encoding="utf-8")).get("documents", [])
        entries = [_entry(folder, row) for row in rows]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{manifest}: {exc}") from exc
    for entry in entries:
        if not entry.path.is_file():
            raise ConfigError(f"{manifest}: {entry.id} has no file {entry.path.name}")
    return entries


def _entry(folder: Path, row: dict[str, object]) -> SeedEntry:
    seed_id = str(row["id"])
    published = row.get("published")
    if published is not None and not isinstance(published, date):
        raise ValueError(f"{seed_id}: published must be a date, not {published!r}")
    outlet = row.get("outlet")
    return SeedEntry(
        id=seed_id,
        path=folder / str(row.get("file", f"{seed_id}.txt")),
        published=published,
        outlet=str(outlet) if outlet else None,
    )


def seed_documents(folder: Path) -> Iterator[Document]:
    """The seeds of `folder` as documents, in manifest order."""
    for entry in load_manifest(folder):
        yield read_document(entry.path, entry.published, outlet=entry.outlet, source=SEEDS_SOURCE)


def read_document(
    path: Path,
    fallback_date: date | None = None,
    *,
    outlet: str | None = None,
    source: str = "file",
) -> Document:
    """A text file as a document whose id is the file stem.

    The publication day is the file's leading `date YYYY-MM-DD` (metadata, not body text), else
    `fallback_date`. The file is where its text enters: undecodable bytes become U+FFFD, never
    an error, and the text is cleaned and bounded (bot.cleaning.clean_text, TEXT_CHARS); the
    title is its first line, at most 200 characters, and `outlet` is cleaned onto one line.
    """
    raw = clean_text(path.read_text(encoding="utf-8", errors="replace"), TEXT_CHARS)
    published, text = split_date_line(raw)
    first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
    return Document(
        id=path.stem,
        source=source,
        text=text,
        title=first_line[:200],
        published=published or fallback_date,
        outlet=clean_line(outlet or "", OUTLET_CHARS) or None,
    )


def split_date_line(raw: str) -> tuple[date | None, str]:
    """(the date of a leading `date YYYY-MM-DD`, the text after it); (None, raw) without one."""
    match = _DATE_LINE.match(raw)
    if not match:
        return None, raw
    try:
        return date.fromisoformat(match.group(1)), raw[match.end() :]
    except ValueError:
        return None, raw


def publication_date(path: Path, seeds_folder: Path | None, fallback: date | None) -> date | None:
    """A document file's publication day: its date line, else the seeds manifest when the file
    is a shipped seed (matched by stem), else `fallback`."""
    head = path.read_text(encoding="utf-8", errors="replace")[:64]
    own, _ = split_date_line(head)
    if own:
        return own
    if seeds_folder is not None and (seeds_folder / MANIFEST).is_file():
        for entry in load_manifest(seeds_folder):
            if entry.id == path.stem and entry.published:
                return entry.published
    return fallback
