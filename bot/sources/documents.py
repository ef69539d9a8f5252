"""Documents: the articles Tallywire reads, and how one article is recognised when seen again."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """One article as a source gave it.

    `id` is stable: a seed's file stem, or a digest of a feed entry's guid (else its link, else
    its text). `text` is the whole readable text, headline first; `published` is the local day of
    publication where known.
    """

    id: str
    source: str
    text: str
    title: str = ""
    guid: str | None = None
    link: str | None = None
    published: date | None = None
    outlet: str | None = None

    @cached_property
    def content_hash(self) -> str:
        """A digest of the normalised text: equal for the same article under another URL."""
        return digest(normalize_text(self.text))

    def identity_keys(self) -> tuple[str, ...]:
        """The keys under which this document is recognised again, strongest first."""
        keys = []
        if self.guid:
            keys.append("guid:" + digest(self.guid.strip()))
        if self.link:
            keys.append("link:" + digest(normalize_link(self.link)))
        keys.append("text:" + self.content_hash)
        return tuple(keys)


def entry_document_id(guid: str | None, link: str | None, text: str) -> str:
    """The stable id of a feed entry: from its guid, else its link, else its text."""
    if guid and guid.strip():
        return "d" + digest(guid.strip())[:16]
    if link and link.strip():
        return "d" + digest(normalize_link(link))[:16]
    return "d" + digest(normalize_text(text))[:16]


def normalize_text(text: str) -> str:
    """Text reduced to its words: case, punctuation and spacing do not tell two copies apart."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def normalize_link(link: str) -> str:
    """A link without what varies between shares of one article: scheme, `www.`, tracking
    parameters, fragment and a trailing slash."""
    parts = urlsplit(link.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING_PARAMS.match(p))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))


def digest(value: str) -> str:
    """Hex SHA-256 of `value`."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
