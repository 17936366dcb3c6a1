"""TargetScan 7 site finding on aligned multi-species UTRs.

Reimplemented from the published definitions (Agarwal et al. 2015; TargetScan 7
documentation) and checked row for row against the ``targetscan_70_output.txt``
that TargetScan 7.0 prints for its sample input.

Definitions used:

* a family's seed is miRNA 2-8; sites are searched, per species in which the
  family is present, in the UTR with its alignment gaps removed; site types
  are TargetScan's ``8mer-1a``, ``7mer-m8``, ``7mer-1a`` and ``6mer`` (see
  :mod:`mirscope.sites.seeds`); every 6-nt match to miRNA 2-7 is one site;
* ``UTR_start``/``UTR_end`` are 1-based positions in the ungapped UTR,
  ``MSA_start``/``MSA_end`` the alignment columns of the site's first and last
  base;
* sites of one gene and family in *different* species whose alignment spans
  overlap are linked; a group is a connected set of linked sites (overlapping
  sites of one species are not linked to each other directly);
* groups are numbered from 1 over the whole output, ordered by gene and family
  (string order), then multi-species groups before single-species ones, then by
  the (species, MSA_start) string of the group's first site;
* ``Group_type`` joins the site types present in the group in TargetScan's
  order (7mer-m8, 7mer-1a, 8mer-1a, 6mer); ``Species_in_this_group`` lists the
  species (numeric order); ``Species_in_this_group_with_this_site_type`` is
  empty for groups of one site type, otherwise the species whose site in the
  group contains this site type (an 8mer contains both 7mers and the 6mer, a
  7mer the 6mer);
* ``ORF_overlap`` is 1 when the site contains lowercase (ORF) sequence.

Examples
--------
>>> from mirscope.sites.io import MirnaFamily, UtrAlignment
>>> fams = [MirnaFamily("miR-124", "AAGGCAC", ("9606", "10090"))]
>>> utrs = [UtrAlignment("G", "9606", "AAGUGCCUUAA"), UtrAlignment("G", "10090", "AAGUGCC-UUC")]
>>> [r["Site_type"] for r in targetscan_sites(fams, utrs)]
['7mer-m8', '8mer-1a']
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from mirscope.schema import TARGETSCAN_SITE_NAMES
from mirscope.sites.io import (
    MirnaFamily,
    UtrAlignment,
    atomic_write,
    read_targetscan_families,
    read_targetscan_utrs,
)
from mirscope.sites.seeds import classify_hits, encode, kmer6_codes, seed_codes

__all__ = [
    "TARGETSCAN_COLUMNS",
    "orf_lengths_and_8mers",
    "run_orf",
    "run_targetscan",
    "targetscan_sites",
    "write_targetscan",
]

#: Header of TargetScan 7's ``targetscan_70_output.txt`` (verbatim, incl. ``a_Gene_ID``).
TARGETSCAN_COLUMNS: tuple[str, ...] = (
    "a_Gene_ID",
    "miRNA_family_ID",
    "species_ID",
    "MSA_start",
    "MSA_end",
    "UTR_start",
    "UTR_end",
    "Group_num",
    "Site_type",
    "miRNA in this species",
    "Group_type",
    "Species_in_this_group",
    "Species_in_this_group_with_this_site_type",
    "ORF_overlap",
)

_TS_NAME = TARGETSCAN_SITE_NAMES
_GROUP_TYPE_ORDER = ("7mer-m8", "7mer-1a", "8mer-1a", "6mer")
#: Site types each type contains (a species with an 8mer also "has" a 7mer-m8 site...).
_CONTAINS = {
    "8mer-1a": {"8mer-1a", "7mer-m8", "7mer-1a", "6mer"},
    "7mer-m8": {"7mer-m8", "6mer"},
    "7mer-1a": {"7mer-1a", "6mer"},
    "6mer": {"6mer"},
}
_SITE_TYPE_NAMES = ("8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer")


def _species_key(s: str) -> tuple[int, str]:
    return (int(s), s) if s.isdigit() else (1 << 62, s)


def _sites_in_utr(utr: UtrAlignment, fam: MirnaFamily) -> list[dict[str, object]]:
    aligned = utr.aligned
    cols = np.flatnonzero(np.frombuffer(aligned.encode("ascii"), dtype=np.uint8) != ord("-"))
    seq = "".join(aligned[i] for i in cols)
    codes = encode(seq)
    # the family seed is miRNA 2-8; position 1 does not matter for site finding
    core, _off, c8, c2 = seed_codes("A" + fam.seed)
    starts, ends, types = classify_hits(
        codes, np.flatnonzero(kmer6_codes(codes) == core), np.zeros(0, np.int64), c8, c2
    )
    out = []
    for s, e, t in zip(starts.tolist(), ends.tolist(), types.tolist(), strict=True):
        out.append(
            {
                "a_Gene_ID": utr.gene,
                "miRNA_family_ID": fam.family,
                "species_ID": utr.species,
                "MSA_start": int(cols[s]) + 1,
                "MSA_end": int(cols[e - 1]) + 1,
                "UTR_start": s + 1,
                "UTR_end": e,
                "Site_type": _TS_NAME[_SITE_TYPE_NAMES[t]],
                "miRNA in this species": "x",
                "ORF_overlap": int(any(c.islower() for c in seq[s:e])),
            }
        )
    return out


def _groups(sites: list[dict[str, object]]) -> list[list[int]]:
    """Connected components of sites linked by cross-species alignment overlap."""
    parent = list(range(len(sites)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, a in enumerate(sites):
        for j in range(i + 1, len(sites)):
            b = sites[j]
            if (
                a["species_ID"] != b["species_ID"]
                and a["MSA_start"] <= b["MSA_end"]  # type: ignore[operator]
                and b["MSA_start"] <= a["MSA_end"]  # type: ignore[operator]
            ):
                parent[find(i)] = find(j)
    comps: dict[int, list[int]] = {}
    for i in range(len(sites)):
        comps.setdefault(find(i), []).append(i)
    return list(comps.values())


def targetscan_sites(
    families: Sequence[MirnaFamily], utrs: Sequence[UtrAlignment]
) -> list[dict[str, object]]:
    """TargetScan 7 site table rows (dicts keyed by :data:`TARGETSCAN_COLUMNS`).

    Rows come in TargetScan's order: gene, family, group number, species, MSA start.
    """
    by_gene: dict[str, list[UtrAlignment]] = {}
    for u in utrs:
        by_gene.setdefault(u.gene, []).append(u)
    rows: list[dict[str, object]] = []
    group_num = 0
    for gene in sorted(by_gene):
        for fam in sorted(families, key=lambda f: f.family):
            present = set(fam.species)
            sites = [s for u in by_gene[gene] if u.species in present for s in _sites_in_utr(u, fam)]
            if not sites:
                continue
            groups = []
            for comp in _groups(sites):
                members = sorted(
                    (sites[i] for i in comp),
                    key=lambda r: (str(r["species_ID"]), str(r["MSA_start"])),
                )
                species = {str(r["species_ID"]) for r in members}
                first = members[0]
                groups.append(
                    ((len(species) == 1, str(first["species_ID"]), str(first["MSA_start"])), members)
                )
            for _key, members in sorted(groups, key=lambda g: g[0]):
                group_num += 1
                types = {str(r["Site_type"]) for r in members}
                species_sorted = sorted({str(r["species_ID"]) for r in members}, key=_species_key)
                gtype = "+".join(t for t in _GROUP_TYPE_ORDER if t in types)
                for r in members:
                    with_type = ""
                    if len(types) > 1:
                        with_type = " ".join(
                            sp
                            for sp in species_sorted
                            if any(
                                str(o["species_ID"]) == sp and r["Site_type"] in _CONTAINS[str(o["Site_type"])]
                                for o in members
                            )
                        )
                    rows.append(
                        {
                            **r,
                            "Group_num": group_num,
                            "Group_type": gtype,
                            "Species_in_this_group": " ".join(species_sorted),
                            "Species_in_this_group_with_this_site_type": with_type,
                        }
                    )
    return rows


def write_targetscan(rows: Sequence[dict[str, object]], path: str | os.PathLike[str]) -> None:
    """Write rows as TargetScan's tab-separated table (atomically)."""
    with atomic_write(path) as fh:
        fh.write("\t".join(TARGETSCAN_COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(str(r[c]) for c in TARGETSCAN_COLUMNS) + "\n")


def run_targetscan(
    mir_family_file: str | os.PathLike[str],
    utr_file: str | os.PathLike[str],
    output: str | os.PathLike[str],
) -> int:
    """Read TargetScan 7 inputs, find and group sites, write the table; return the row count.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "f.txt").write_text("miR-124\\tAAGGCAC\\t9606\\n")
    >>> _ = (d / "u.txt").write_text("G\\t9606\\tAAGUGCCUUAA\\n")
    >>> run_targetscan(d / "f.txt", d / "u.txt", d / "out.txt")
    1
    """
    rows = targetscan_sites(read_targetscan_families(mir_family_file), read_targetscan_utrs(utr_file))
    write_targetscan(rows, output)
    return len(rows)


def orf_lengths_and_8mers(
    families: Sequence[MirnaFamily], orfs: Sequence[UtrAlignment]
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, str, int]]]:
    """ORF lengths and 8mer site counts per ORF, as TargetScan 7's context++ inputs.

    Lengths are of the ORF with alignment gaps removed; 8mer sites (match to
    miRNA 2-8 followed by ``A``) are counted for every family seed in every
    species' ORF (case-insensitive), and only non-zero counts are listed.

    Returns
    -------
    lengths : list of (gene, species, length)
    counts : list of (gene, species, seed, number of 8mer sites)

    Examples
    --------
    >>> fams = [MirnaFamily("miR-124", "AAGGCAC", ("9606",))]
    >>> orf_lengths_and_8mers(fams, [UtrAlignment("G", "9606", "aug-GUGCCUUAaa")])
    ([('G', '9606', 13)], [('G', '9606', 'AAGGCAC', 1)])
    """
    lengths: list[tuple[str, str, int]] = []
    counts: list[tuple[str, str, str, int]] = []
    for orf in orfs:
        seq = orf.aligned.replace("-", "")
        lengths.append((orf.gene, orf.species, len(seq)))
        codes = encode(seq)
        kmers = kmer6_codes(codes)
        for fam in families:
            core, _off, c8, c2 = seed_codes("A" + fam.seed)
            _s, _e, types = classify_hits(
                codes, np.flatnonzero(kmers == core), np.zeros(0, np.int64), c8, c2
            )
            n = int(np.count_nonzero(types == 0))  # SITE_TYPES[0] == "8mer"
            if n:
                counts.append((orf.gene, orf.species, fam.seed, n))
    return lengths, counts


def run_orf(
    mir_family_file: str | os.PathLike[str],
    orf_file: str | os.PathLike[str],
    *,
    lengths_output: str | os.PathLike[str],
    counts_output: str | os.PathLike[str],
) -> tuple[int, int]:
    """Write TargetScan 7's ``ORF_Sequences.lengths.txt`` and ``ORF_8mer_counts.txt``.

    Returns the number of ORFs and of non-zero 8mer counts written.
    """
    lengths, counts = orf_lengths_and_8mers(read_targetscan_families(mir_family_file), read_targetscan_utrs(orf_file))
    with atomic_write(lengths_output) as fh:
        fh.writelines(f"{g}\t{s}\t{n}\n" for g, s, n in lengths)
    with atomic_write(counts_output) as fh:
        fh.writelines(f"{g}\t{s}\t{seed}\t{n}\n" for g, s, seed, n in counts)
    return len(lengths), len(counts)
