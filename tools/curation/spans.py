"""Find the exact span of an approximate quote in the miR-124 review.

The review text has hard line breaks, words hyphenated across lines and U+2011
non-breaking hyphens. :func:`find_span` compares a quote with the text after
removing whitespace and every kind of hyphen and folding case and quote marks,
so a quote typed with ASCII hyphens on one line still finds its span. A quote may
contain `` ... `` to skip text it does not repeat (e.g. a figure legend that
interrupts a sentence); the span then runs from the first piece to the last.

Command line::

    python tools/curation/spans.py "miR-124 regulated BIRC3 expression"

prints ``start end`` and the exact evidence text.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REVIEW = REPO / "src" / "mirscope" / "kb" / "data" / "mir124-cancer-review.txt"

_IGNORED = set("-\u2010\u2011\u2012\u2013\u2014\u2212\u00ad")
_FOLD = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"}
#: Largest gap (characters of the review) allowed between two pieces of a quote.
MAX_GAP = 2500


class SpanError(ValueError):
    """The quote is not found, or found more than once."""


@dataclass(frozen=True)
class Skeleton:
    """Text reduced to its significant characters, with their positions in the original."""

    chars: str
    positions: tuple[int, ...]


def skeleton(text: str) -> Skeleton:
    """Drop whitespace and hyphens, casefold, fold quote marks, keep original offsets."""
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch in _IGNORED:
            continue
        folded = _FOLD.get(ch, ch).casefold()  # may be several characters (ß -> ss)
        chars.append(folded)
        pos.extend([i] * len(folded))
    return Skeleton("".join(chars), tuple(pos))


@lru_cache(maxsize=4)
def _review_skeleton(path: str) -> tuple[str, Skeleton]:
    text = Path(path).read_text(encoding="utf-8")
    return text, skeleton(text)


def read_review(path: Path = REVIEW) -> str:
    """Return the review text exactly as shipped (a Python ``str``)."""
    return _review_skeleton(str(path))[0]


def _all_hits(hay: str, needle: str) -> list[int]:
    hits, i = [], hay.find(needle)
    while i >= 0:
        hits.append(i)
        i = hay.find(needle, i + 1)
    return hits


def find_spans(quote: str, *, path: Path = REVIEW) -> list[tuple[int, int]]:
    """Every ``(start, end)`` span of the review that matches ``quote`` (see :func:`find_span`).

    Raises
    ------
    SpanError
        When the quote is empty.
    """
    _text, skel = _review_skeleton(str(path))
    pieces = [skeleton(p).chars for p in quote.split("...")]
    pieces = [p for p in pieces if p]
    if not pieces:
        raise SpanError(f"empty quote {quote!r}")
    spans: list[tuple[int, int]] = []
    for h in _all_hits(skel.chars, pieces[0]):
        end = h + len(pieces[0])
        ok = True
        for p in pieces[1:]:
            j = skel.chars.find(p, end)
            if j < 0 or skel.positions[j] - skel.positions[end - 1] > MAX_GAP:
                ok = False
                break
            end = j + len(p)
        if ok:
            spans.append((skel.positions[h], skel.positions[end - 1] + 1))
    return spans


def find_span(quote: str, *, path: Path = REVIEW, occurrence: int | None = None) -> tuple[int, int]:
    """Return ``(start, end)`` so that ``text[start:end]`` is the quoted passage.

    Parameters
    ----------
    quote
        Approximate quote; whitespace, hyphens, case and quote marks may differ.
        ``" ... "`` separates pieces that must occur in order, less than
        :data:`MAX_GAP` characters apart.
    path
        The review file.
    occurrence
        0-based index of the match to use when the quote occurs several times.

    Raises
    ------
    SpanError
        When the quote is not found, or is ambiguous and ``occurrence`` is None.
    """
    spans = find_spans(quote, path=path)
    if not spans:
        first = skeleton(quote.split("...")[0]).chars
        best = _longest_prefix(_review_skeleton(str(path))[1].chars, first)
        raise SpanError(
            f"quote not found: {quote[:80]!r}...; its longest matching prefix is "
            f"{best!r}; fix the quote from there"
        )
    if occurrence is not None:
        return spans[occurrence]
    if len(spans) > 1:
        raise SpanError(
            f"quote occurs {len(spans)} times (at {[s for s, _ in spans]}): {quote[:80]!r}; "
            "lengthen it or pass occurrence"
        )
    return spans[0]


def _longest_prefix(hay: str, needle: str) -> str:
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if needle[:mid] in hay:
            lo = mid
        else:
            hi = mid - 1
    return needle[:lo]


def main(argv: list[str] | None = None) -> int:
    """Print the span and exact text of each quote given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quotes", nargs="+")
    args = parser.parse_args(argv)
    text = read_review()
    for q in args.quotes:
        try:
            s, e = find_span(q)
        except SpanError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        sys.stdout.write(f"{s} {e}\n{text[s:e]!r}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
