"""Which seed sites a sequence change makes, breaks or retypes: fast path and slow reference.

Everything here works on one RNA/DNA sequence in transcript orientation (5'->3') and
one change ``seq[start:start + len(ref)] -> alt`` (0-based ``start``). The change is
first trimmed of the bases its alleles share at either end (VCF indels carry a padding
base), so only bases that really differ count as changed.

Site identity
-------------
Every canonical site of a miRNA has one *anchor*: the target base facing miRNA
nucleotide 8 (``start`` of an 8mer, 7mer-m8 or offset-6mer; one base 5' of a 7mer-A1 or
6mer, which may be ``-1`` at the 5' end of the sequence). Two alleles' sites are the same
site when they belong to the same seed (miRNA nucleotides 2-8) and their anchors map onto
each other across the change (positions 5' of the change are equal, positions 3' of it
shift by ``len(alt) - len(ref)``, positions inside a changed stretch of different length
have no counterpart). A site is *lost* when its anchor has no site in the other allele,
*gained* in the reverse case, and *changed* when both alleles have a site there but of
different types (8mer -> 6mer, 7mer-m8 -> offset-6mer...).

Fast path
---------
A site depends on the bases ``anchor .. anchor + 7`` only (its 6-mer core and the two
flanking bases that decide m8 and A1), so only anchors in ``[start - 7, start + len - 1]``
can differ between the alleles. :func:`site_changes` looks the 6-mers of that window up in
a :class:`SeedTable` (target 6-mer -> seeds, built once for all miRNAs), which is
``O(window)`` per change and independent of the number of miRNAs except for the hits.

Reference
---------
:func:`site_changes_reference` applies the change to the whole sequence, scans both
alleles completely with :func:`mirscope.sites.find_sites_naive` for every seed and
compares the site sets: slow and obviously correct, kept to check the fast path.

Examples
--------
>>> table = SeedTable.from_mirnas({"miR-x": "UAAGGCACGCGGUGAAUGCC"})
>>> seq = "CCCCGUGCCUUACCCC"  # an 8mer at 4..11
>>> [(c.effect, c.ref_type, c.alt_type) for c in site_changes(seq, 11, "A", "C", table)]
[('changed', '8mer', '7mer-m8')]
>>> [(c.effect, c.ref_type, c.alt_type) for c in site_changes(seq, 6, "G", "A", table)]
[('lost', '8mer', None)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from mirscope.errors import InputError
from mirscope.sites.seeds import find_sites_naive, seed_of, target_pattern

__all__ = [
    "EFFECTS",
    "Effect",
    "SeedTable",
    "SiteChange",
    "anchor_of",
    "map_position",
    "normalize_change",
    "site_changes",
    "site_changes_reference",
]

Effect = Literal["gained", "lost", "changed"]
#: The three effects a change can have on a site.
EFFECTS: tuple[str, ...] = ("gained", "lost", "changed")

_DNA = str.maketrans("Uu", "TT")
#: Bases 5' of the core 6-mer start that belong to the anchor-to-anchor+7 footprint.
_FOOTPRINT = 8


def _dna(seq: str) -> str:
    return seq.upper().translate(_DNA)


@dataclass(frozen=True)
class SeedTable:
    """Target 6-mer lookup over the seeds of a set of miRNAs.

    Attributes
    ----------
    seeds
        Seed (miRNA nucleotides 2-8, RNA) of each group, sorted.
    members
        miRNA names of each group (miRNAs sharing nucleotides 2-8 share every site).
    sequences
        Mature sequence of each miRNA (name -> RNA).
    core
        Target 6-mer (DNA) pairing miRNA 2-7 -> ((group, base pairing miRNA 8), ...).
    offset
        Target 6-mer (DNA) pairing miRNA 3-8 -> ((group, base pairing miRNA 2), ...).
    """

    seeds: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]
    sequences: Mapping[str, str]
    core: Mapping[str, tuple[tuple[int, str], ...]]
    offset: Mapping[str, tuple[tuple[int, str], ...]]

    @classmethod
    def from_mirnas(cls, mirnas: Mapping[str, str]) -> SeedTable:
        """Build the table from miRNA name -> mature sequence.

        Examples
        --------
        >>> t = SeedTable.from_mirnas({"a": "UAAGGCACGCGG", "b": "AAAGGCACGUUU"})
        >>> t.seeds, t.members, t.core["TGCCTT"]
        (('AAGGCAC',), (('a', 'b'),), ((0, 'G'),))
        """
        if not mirnas:
            raise InputError("no miRNAs given; pass at least one name -> mature sequence")
        groups: dict[str, list[str]] = {}
        seqs: dict[str, str] = {}
        for name, seq in mirnas.items():
            rna = seq.upper().replace("T", "U")
            groups.setdefault(seed_of(rna), []).append(name)
            seqs[name] = rna
        seeds = tuple(sorted(groups))
        core: dict[str, list[tuple[int, str]]] = {}
        offset: dict[str, list[tuple[int, str]]] = {}
        for g, seed in enumerate(seeds):
            m = "U" + seed  # nucleotide 1 never pairs in a seed site
            pair8 = _dna(target_pattern(m, "7mer-m8")[0])
            pair2 = _dna(target_pattern(m, "7mer-m8")[-1])
            core.setdefault(_dna(target_pattern(m, "6mer")), []).append((g, pair8))
            offset.setdefault(_dna(target_pattern(m, "offset-6mer")), []).append((g, pair2))
        return cls(
            seeds=seeds,
            members=tuple(tuple(groups[s]) for s in seeds),
            sequences=seqs,
            core={k: tuple(v) for k, v in core.items()},
            offset={k: tuple(v) for k, v in offset.items()},
        )


@dataclass(frozen=True, slots=True)
class SiteChange:
    """One site of one seed group that a change gains, loses or retypes.

    Coordinates are 0-based, end exclusive, in the sequence of the allele named: ``ref_*``
    in the reference sequence (``None`` for a gained site), ``alt_*`` in the alternative
    sequence (``None`` for a lost site).
    """

    group: int
    effect: Effect
    ref_type: str | None
    alt_type: str | None
    ref_start: int | None
    ref_end: int | None
    alt_start: int | None
    alt_end: int | None


def normalize_change(start: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Trim the bases both alleles share at their start, then at their end.

    Examples
    --------
    >>> normalize_change(10, "CAT", "C")
    (11, 'AT', '')
    >>> normalize_change(10, "A", "G")
    (10, 'A', 'G')
    """
    r, a = _dna(ref), _dna(alt)
    i = 0
    while i < len(r) and i < len(a) and r[i] == a[i]:
        i += 1
    r, a, start = r[i:], a[i:], start + i
    j = 0
    while j < len(r) and j < len(a) and r[-1 - j] == a[-1 - j]:
        j += 1
    if j:
        r, a = r[: len(r) - j], a[: len(a) - j]
    return start, r, a


def map_position(x: int, start: int, len_from: int, len_to: int) -> int | None:
    """Map position ``x`` of one allele to the other across a trimmed change.

    ``start`` is where the change begins, ``len_from``/``len_to`` the lengths of the
    changed stretch in the source and target allele. Positions inside a stretch that
    changes length have no counterpart (``None``).

    Examples
    --------
    >>> [map_position(x, 5, 2, 0) for x in (4, 5, 6, 7)]
    [4, None, None, 5]
    >>> map_position(5, 5, 1, 1)
    5
    """
    if x < start:
        return x
    if x >= start + len_from:
        return x + len_to - len_from
    return x if len_from == len_to else None


def anchor_of(start: int, site_type: str) -> int:
    """Anchor (base facing miRNA nucleotide 8) of a site from its 0-based start.

    Examples
    --------
    >>> anchor_of(4, "8mer"), anchor_of(5, "6mer")
    (4, 4)
    """
    return start - 1 if site_type in ("7mer-A1", "6mer") else start


def _sites_at(seq: str, lo: int, hi: int, table: SeedTable) -> dict[tuple[int, int], tuple[str, int, int]]:
    """Sites with anchors in ``[lo, hi]``: (group, anchor) -> (type, start, end)."""
    n = len(seq)
    out: dict[tuple[int, int], tuple[str, int, int]] = {}
    core = table.core
    offset = table.offset
    for a in range(max(lo, -1), min(hi, n - 6) + 1):
        c = a + 1
        if c + 6 <= n:
            hits = core.get(seq[c : c + 6])
            if hits:
                a1 = c + 6 < n and seq[c + 6] == "A"
                for g, pair8 in hits:
                    m8 = a >= 0 and seq[a] == pair8
                    if m8:
                        out[(g, a)] = ("8mer" if a1 else "7mer-m8", a, c + 6 + a1)
                    else:
                        out[(g, a)] = ("7mer-A1" if a1 else "6mer", c, c + 6 + a1)
        if a >= 0:
            hits = offset.get(seq[a : a + 6])
            if hits:
                nxt = seq[a + 6] if a + 6 < n else ""
                for g, pair2 in hits:
                    if nxt != pair2:
                        out[(g, a)] = ("offset-6mer", a, a + 6)
    return out


def _compare(
    ref_sites: Mapping[tuple[int, int], tuple[str, int, int]],
    alt_sites: Mapping[tuple[int, int], tuple[str, int, int]],
    t0: int,
    lr: int,
    la: int,
) -> list[SiteChange]:
    out: list[SiteChange] = []
    matched: set[tuple[int, int]] = set()
    for (g, a), (rt, rs, re) in ref_sites.items():
        a_alt = map_position(a, t0, lr, la)
        alt = alt_sites.get((g, a_alt)) if a_alt is not None else None
        if alt is None:
            out.append(SiteChange(g, "lost", rt, None, rs, re, None, None))
            continue
        matched.add((g, a_alt))  # type: ignore[arg-type]
        if alt[0] != rt:
            out.append(SiteChange(g, "changed", rt, alt[0], rs, re, alt[1], alt[2]))
    for key, (at, as_, ae) in alt_sites.items():
        if key not in matched:
            out.append(SiteChange(key[0], "gained", None, at, None, None, as_, ae))
    out.sort(key=lambda c: (c.group, c.ref_start if c.ref_start is not None else c.alt_start or 0, c.effect))
    return out


def _check_change(seq: str, start: int, ref: str) -> None:
    if start < 0 or start + len(ref) > len(seq):
        raise InputError(
            f"change at {start} of length {len(ref)} lies outside the sequence of {len(seq)} nt"
        )
    if _dna(seq[start : start + len(ref)]) != _dna(ref):
        raise InputError(
            f"reference allele {ref!r} does not match the sequence at {start} "
            f"({seq[start : start + len(ref)]!r})"
        )


def site_changes(seq: str, start: int, ref: str, alt: str, table: SeedTable) -> list[SiteChange]:
    """Sites gained, lost or retyped by ``seq[start:start+len(ref)] -> alt`` (fast path).

    Parameters
    ----------
    seq
        Reference sequence in transcript orientation (DNA or RNA, any case). It may be a
        window of a longer transcript: the result is exact as long as the window keeps
        8 nt on each side of the change or ends where the transcript ends.
    start, ref, alt
        0-based start of the reference allele in ``seq`` and the two alleles (both in
        transcript orientation; ``ref`` must match ``seq``).
    table
        Seeds to look for (:meth:`SeedTable.from_mirnas`).

    Returns
    -------
    list of SiteChange
        Sorted by seed group, then position; coordinates in ``seq`` (reference) and in
        the alternative sequence.

    Examples
    --------
    >>> t = SeedTable.from_mirnas({"m": "UAAGGCACGCGGUGAAUGCC"})
    >>> [(c.effect, c.alt_type, c.alt_start) for c in site_changes("CCGCGCCUUACC", 3, "C", "U", t)]
    [('gained', '8mer', 2)]
    """
    _check_change(seq, start, ref)
    s = _dna(seq)
    t0, r, a = normalize_change(start, ref, alt)
    alt_seq = s[:t0] + a + s[t0 + len(r) :]
    ref_sites = _sites_at(s, t0 - _FOOTPRINT + 1, t0 + len(r) - 1, table)
    alt_sites = _sites_at(alt_seq, t0 - _FOOTPRINT + 1, t0 + len(a) - 1, table)
    return _compare(ref_sites, alt_sites, t0, len(r), len(a))


def site_changes_reference(
    seq: str, start: int, ref: str, alt: str, table: SeedTable
) -> list[SiteChange]:
    """Slow reference for :func:`site_changes`: scan both whole alleles for every seed.

    Uses :func:`mirscope.sites.find_sites_naive` on the complete reference and
    alternative sequences and compares all sites; no window, no lookup table.

    Examples
    --------
    >>> t = SeedTable.from_mirnas({"m": "UAAGGCACGCGGUGAAUGCC"})
    >>> [(c.effect, c.alt_type, c.alt_start) for c in site_changes_reference("CCGCGCCUUACC", 3, "C", "U", t)]
    [('gained', '8mer', 2)]
    """
    _check_change(seq, start, ref)
    s = _dna(seq)
    t0, r, a = normalize_change(start, ref, alt)
    alt_seq = s[:t0] + a + s[t0 + len(r) :]
    ref_sites: dict[tuple[int, int], tuple[str, int, int]] = {}
    alt_sites: dict[tuple[int, int], tuple[str, int, int]] = {}
    for g, seed in enumerate(table.seeds):
        m = "U" + seed
        for sites, sq in ((ref_sites, s), (alt_sites, alt_seq)):
            for st, en, typ in find_sites_naive(sq, m):
                sites[(g, anchor_of(st, typ))] = (typ, st, en)
    # sites away from the change are found in both alleles at mapped anchors with the
    # same type, so the comparison of all sites reports only those the change affects
    return _compare(ref_sites, alt_sites, t0, len(r), len(a))
