"""Slow, rule-by-rule reference of TargetScan 7's site stage (``targetscan_70.pl``).

Kept beside the fast implementation in :mod:`mirscope.sites.targetscan` and used
only by the tests and the benchmark. Every rule is written out as directly as
possible, one step per rule of ``docs/sites.md`` ("TargetScan 7 edge rules"):

1. a gene is one block of adjacent rows with the same gene id, in file order;
2. in every row the first 14 nucleotides (A/C/G/U, either case; not ``N``,
   IUPAC codes or gaps) are masked to ``N`` (the ribosome shadow next to the
   stop codon), so no site can contain them;
3. a family is searched only in the rows of species in its species list;
4. a site is one of the four patterns (8mer-1a, 7mer-m8, 7mer-1a, 6mer; built
   from the seed) read as letters of the row with any number of gaps between
   them but not before the first or after the last; every start column is tried;
5. a site whose letters are the 7mer/6mer part of a longer site of the same
   species is dropped (8mer drops its 7mer-m8, 7mer-1a and 6mer; a 7mer drops
   its 6mer);
6. sites of one gene and family are ordered by the text ``species::MSA_start::MSA_end``;
   two sites of different species are linked when their alignment columns
   overlap by at least 2; visiting all ordered pairs in that order, a linked
   pair opens a new group when neither site has one, joins the group of the one
   that has one, and does nothing when both have one; then every site still
   without a group gets its own, in the same order; group numbers count up over
   the whole output;
7. ``Group_type`` lists the site types of the group in TargetScan's site-id
   order (7mer-1a, 7mer-m8, 8mer-1a, 6mer); the species lists are sorted as
   numbers; the "with this site type" list is filled only when the group type
   differs from the site's type, and counts a species whose site contains the
   type (an 8mer contains both 7mers and the 6mer, a 7mer the 6mer);
8. ``ORF_overlap`` is 1 when a lowercase letter lies in the columns from
   ``MSA_start + 1`` to ``MSA_end + 1`` (TargetScan reads the site one column
   to the right when it checks case); masked letters are uppercase ``N``.

Examples
--------
>>> from mirscope.sites.io import MirnaFamily, UtrAlignment
>>> fams = [MirnaFamily("f", "AAGGCAC", ("9606",))]
>>> utr = UtrAlignment("G", "9606", "A" * 14 + "GUG-CCUUA")
>>> [(r["MSA_start"], r["Site_type"]) for r in targetscan_sites_reference(fams, [utr])]
[(15, '8mer-1a')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mirscope.sites.io import MirnaFamily, UtrAlignment
from mirscope.sites.seeds import reverse_complement

__all__ = ["targetscan_sites_reference"]

MASK_NUCLEOTIDES = 14
MIN_OVERLAP = 2
#: TargetScan's site ids (used for the Group_type order) and widths.
SITE_ID = {"7mer-1a": 1, "7mer-m8": 2, "8mer-1a": 3, "6mer": 6}
CONTAINS = {
    "8mer-1a": ("8mer-1a", "7mer-1a", "7mer-m8", "6mer"),
    "7mer-m8": ("7mer-m8", "6mer"),
    "7mer-1a": ("7mer-1a", "6mer"),
    "6mer": ("6mer",),
}


def _mask(row: str) -> str:
    out = list(row)
    done = 0
    for i, c in enumerate(out):
        if done == MASK_NUCLEOTIDES:
            break
        if c.upper() in "ACGU":
            out[i] = "N"
            done += 1
    return "".join(out)


def _patterns(seed: str) -> dict[str, str]:
    m8 = reverse_complement(seed)  # match to miRNA 2-8
    return {"8mer-1a": m8 + "A", "7mer-m8": m8, "7mer-1a": m8[1:] + "A", "6mer": m8[1:]}


def _matches(row: str, pattern: str) -> list[list[int]]:
    """0-based columns of the letters of every match (gaps allowed between letters)."""
    regex = re.compile("(?=(" + "-*".join(pattern) + "))")
    out = []
    upper = row.upper()
    for m in regex.finditer(upper):
        cols = [i for i in range(m.start(1), m.end(1)) if upper[i] != "-"]
        out.append(cols)
    return out


def _species_sort_key(s: str) -> tuple[int, str]:
    return (int(s), s)


def targetscan_sites_reference(
    families: Sequence[MirnaFamily], utrs: Sequence[UtrAlignment]
) -> list[dict[str, object]]:
    """TargetScan 7 site rows, in TargetScan's output order (slow reference)."""
    blocks: list[tuple[str, list[UtrAlignment]]] = []
    for u in utrs:
        if blocks and blocks[-1][0] == u.gene:
            blocks[-1][1].append(u)
        else:
            blocks.append((u.gene, [u]))
    rows: list[dict[str, object]] = []
    group_num = 0
    for gene, block in blocks:
        # T is read as U in either case (a lowercase t becomes an uppercase U)
        masked = {u.species: _mask(u.aligned.replace("T", "U").replace("t", "U")) for u in block}
        for fam in sorted(families, key=lambda f: f.family):
            present = set(fam.species)
            # rule 4: all matches; rule 5: drop the parts of longer sites
            sites: dict[tuple[str, int, int], tuple[str, list[int]]] = {}
            for sp, row in masked.items():
                if sp not in present:
                    continue
                found = []
                for stype, pattern in _patterns(fam.seed).items():
                    found += [(stype, cols) for cols in _matches(row, pattern)]
                dropped = set()
                for stype, c in found:
                    if stype == "8mer-1a":
                        dropped |= {(c[0], c[6]), (c[1], c[7]), (c[1], c[6])}
                    elif stype == "7mer-m8":
                        dropped.add((c[1], c[6]))
                    elif stype == "7mer-1a":
                        dropped.add((c[0], c[5]))
                for stype, c in found:
                    if (c[0], c[-1]) not in dropped:
                        sites[(sp, c[0] + 1, c[-1] + 1)] = (stype, c)
            if not sites:
                continue
            # rule 6: greedy grouping in text order of species::start::end
            keys = sorted(sites, key=lambda k: f"{k[0]}::{k[1]}::{k[2]}")
            group: dict[tuple[str, int, int], int] = {}
            for a in keys:
                for b in keys:
                    if a[0] == b[0]:
                        continue
                    overlap = min(a[2], b[2]) - max(a[1], b[1]) + 1
                    if overlap < MIN_OVERLAP:
                        continue
                    if a in group and b in group:
                        continue
                    if a in group:
                        group[b] = group[a]
                    elif b in group:
                        group[a] = group[b]
                    else:
                        group_num += 1
                        group[a] = group[b] = group_num
            for k in keys:
                if k not in group:
                    group_num += 1
                    group[k] = group_num
            # rule 7: group descriptions
            members: dict[int, list[tuple[str, int, int]]] = {}
            for k in keys:
                members.setdefault(group[k], []).append(k)
            for g in sorted(members):
                ks = members[g]
                types = {sites[k][0] for k in ks}
                gtype = "+".join(sorted(types, key=SITE_ID.__getitem__))
                species = " ".join(sorted({k[0] for k in ks}, key=_species_sort_key))
                for k in ks:
                    stype, cols = sites[k]
                    with_type = ""
                    if gtype != stype:
                        with_type = " ".join(
                            sorted(
                                {o[0] for o in ks if stype in CONTAINS[sites[o][0]]},
                                key=_species_sort_key,
                            )
                        )
                    row = masked[k[0]]
                    utr_start = len(row[: k[1]].replace("-", ""))
                    window = row[k[1] : k[2] + 1]  # rule 8: one column to the right
                    rows.append(
                        {
                            "a_Gene_ID": gene,
                            "miRNA_family_ID": fam.family,
                            "species_ID": k[0],
                            "MSA_start": k[1],
                            "MSA_end": k[2],
                            "UTR_start": utr_start,
                            "UTR_end": utr_start + len(cols) - 1,
                            "Group_num": g,
                            "Site_type": stype,
                            "miRNA in this species": "x",
                            "Group_type": gtype,
                            "Species_in_this_group": species,
                            "Species_in_this_group_with_this_site_type": with_type,
                            "ORF_overlap": int(window != window.upper()),
                        }
                    )
    return rows
