"""The previous ``sites targetscan`` implementation, kept as the speed baseline of bench_targetscan.

This is mirscope's own site stage as it was before it moved onto the seed index
(per-site generator rebuilding ungapped strings, union-find grouping; it also
lacked TargetScan's masked UTR start and exact greedy grouping, so its output
differs). It is run only by the benchmark, as a whole process:
``python -m benchmarks._targetscan_v0 FAMILIES UTRS OUTPUT``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

from mirscope.schema import TARGETSCAN_SITE_NAMES
from mirscope.sites.io import (
    MirnaFamily,
    UtrAlignment,
    read_targetscan_families,
    read_targetscan_utrs,
)
from mirscope.sites.seeds import classify_hits, encode, kmer6_codes, seed_codes
from mirscope.sites.targetscan import write_targetscan

_GROUP_TYPE_ORDER = ("7mer-m8", "7mer-1a", "8mer-1a", "6mer")

_TS_NAME = TARGETSCAN_SITE_NAMES
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


def main(argv: list[str]) -> None:
    fams, utrs, out = argv
    write_targetscan(targetscan_sites(read_targetscan_families(fams), read_targetscan_utrs(utrs)), out)


if __name__ == "__main__":
    main(sys.argv[1:])
