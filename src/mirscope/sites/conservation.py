"""Branch-length scores and P_CT of TargetScan 7 sites (Friedman et al. 2009).

Definitions used (checked against TargetScan 7.0's ``targetscan_70_output.BL_PCT.txt``):

* **branch length (BL)**: total length of the smallest subtree of the UTR's
  phylogenetic tree that connects the species counted for a site, where the
  tree is the one of the UTR's conservation bin (``Tree.bin_NN.txt``; bins
  come from the ``UTRs_median_BLs_bins`` table). The species counted are the
  group's species having this site type or a site containing it
  (``Species_in_this_group_with_this_site_type``), or all species of the
  group when it has one site type. One species gives ``0``.
* **P_CT** = ``B0 + B1 / (1 + exp(-(B2 * BL - B3)))`` with the family seed's
  parameters for the site type (8mer, 7mer-m8, 7mer-1a); printed with 4
  decimals, and ``0.0`` when that printed value is below zero (so a tiny
  negative value prints as ``-0.0000``, as TargetScan prints it). 6mers and
  sites counted in one species only get ``0.0``; families whose seed has no
  P_CT parameters get ``NA``, and so do sites that overlap an ORF (``ORF_overlap`` 1).
* The branch length is rounded to 4 decimals before P_CT and the conservation
  call; ``Conserved`` is ``x`` when it reaches the TargetScanHuman 7 threshold of
  the site type (8mer-1a 1.8, 7mer-m8 2.8, 7mer-1a 3.6; never for 6mers).

Parameters and trees ship in ``mirscope/data/targetscan/PCT_parameters``
(TargetScan 7.0, Whitehead Institute; see the SOURCE.md there).

Examples
--------
>>> tree = parse_newick("((A:1,B:2):0.5,C:3);")
>>> branch_length(tree, ["A", "B"]), branch_length(tree, ["A", "C"]), branch_length(tree, ["A"])
(3.0, 4.5, 0.0)
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from mirscope.errors import FileFormatError, InputError
from mirscope.sites.io import MirnaFamily, atomic_write, read_targetscan_families
from mirscope.sites.targetscan import TARGETSCAN_COLUMNS

__all__ = [
    "BL_PCT_COLUMNS",
    "branch_length",
    "parse_newick",
    "pct",
    "read_bins",
    "run_bl_pct",
]

#: Header of TargetScan 7's ``targetscan_70_output.BL_PCT.txt``.
BL_PCT_COLUMNS: tuple[str, ...] = (
    "Gene_ID",
    *TARGETSCAN_COLUMNS[1:11],
    "Branch length score",
    "Pct",
    "Conserved",
)

_PCT_FILES = {"8mer-1a": "8mer", "7mer-m8": "7mer_m8", "7mer-1a": "7mer_1a"}

#: A parsed tree: node id -> (parent id or None, branch length); leaves are species ids.
Tree = dict[str, tuple[str | None, float]]


def parse_newick(text: str) -> Tree:
    """Parse a Newick tree with branch lengths into ``{node: (parent, length)}``.

    Leaves keep their names (species taxonomy ids); internal nodes get ``"#k"`` ids.
    """
    s = "".join(text.split())
    if not s.endswith(";"):
        raise InputError("Newick tree must end with ';'")
    nodes: Tree = {}
    counter = 0
    pos = 0

    def parse(parent: str | None) -> str:
        nonlocal pos, counter
        if s[pos] == "(":
            counter += 1
            name = f"#{counter}"
            pos += 1
            children = []
            while True:
                children.append(parse(name))
                if s[pos] == ",":
                    pos += 1
                    continue
                if s[pos] == ")":
                    pos += 1
                    break
                raise InputError(f"bad Newick at character {pos}: {s[pos]!r}")
            while pos < len(s) and s[pos] not in ":,);":  # optional internal label
                pos += 1
        else:
            start = pos
            while s[pos] not in ":,);":
                pos += 1
            name = s[start:pos]
        length = 0.0
        if s[pos] == ":":
            pos += 1
            start = pos
            while s[pos] not in ",);":
                pos += 1
            length = float(s[start:pos])
        nodes[name] = (parent, length)
        return name

    parse(None)
    return nodes


def branch_length(tree: Tree, species: Iterable[str]) -> float:
    """Total branch length of the smallest subtree connecting ``species`` (0 for < 2 in the tree)."""
    present = [sp for sp in dict.fromkeys(species) if sp in tree]
    if len(present) < 2:
        return 0.0
    count: dict[str, int] = {}
    for sp in present:
        node: str | None = sp
        while node is not None:
            count[node] = count.get(node, 0) + 1
            node = tree[node][0]
    k = len(present)
    return sum(tree[n][1] for n, c in count.items() if 0 < c < k)


@functools.lru_cache(maxsize=16)
def _tree(name: str) -> Tree:
    ref = resources.files("mirscope.data") / "targetscan" / "PCT_parameters" / name
    return parse_newick(ref.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _pct_params(site_type: str) -> dict[str, tuple[float, float, float, float]]:
    ref = resources.files("mirscope.data") / "targetscan" / "PCT_parameters" / f"{_PCT_FILES[site_type]}_PCT_parameters.txt"
    out: dict[str, tuple[float, float, float, float]] = {}
    for line in ref.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 5:
            out[cols[0]] = (float(cols[1]), float(cols[2]), float(cols[3]), float(cols[4]))
    return out


#: Branch length from which a site counts as conserved (TargetScanHuman 7 thresholds; 6mers never).
CONSERVED_BRANCH_LENGTH: dict[str, float] = {"8mer-1a": 1.8, "7mer-m8": 2.8, "7mer-1a": 3.6}


def pct(seed: str, site_type: str, bl: float) -> float | None:
    """P_CT of a site from its branch length; None when the seed has no parameters.

    Examples
    --------
    >>> round(pct("AAGGUGC", "7mer-m8", 1.6379), 4)
    0.0547
    """
    if site_type == "6mer":
        return 0.0
    params = _pct_params(site_type).get(seed)
    if params is None:
        return None
    b0, b1, b2, b3 = params
    z = b3 - b2 * bl
    if z > 700.0:  # exp overflows: the logistic term is 0 (TargetScan's perl gives the same)
        return b0
    return b0 + b1 / (1.0 + math.exp(z))


def read_bins(path: str | os.PathLike[str]) -> dict[str, int]:
    """Read a UTR conservation-bin table (gene, median BL, bin 1-10)."""
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "file not found; check the path")
    out: dict[str, int] = {}
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 3 or not cols[2].strip().isdigit() or not 1 <= int(cols[2]) <= 10:
            raise FileFormatError(p, "expected gene, median branch length, bin (1-10)", line=lineno)
        out[cols[0]] = int(cols[2])
    if not out:
        raise FileFormatError(p, "no UTR bins found (empty file?)")
    return out


def _read_site_table(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileFormatError(path, "file not found; check the path")
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        raise FileFormatError(path, "empty site table")
    header = lines[0].split("\t")
    if tuple(header) != TARGETSCAN_COLUMNS:
        raise FileFormatError(
            path, "not a TargetScan 7 site table (header differs); make it with `mirscope sites targetscan`", line=1
        )
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != len(header):
            raise FileFormatError(path, f"expected {len(header)} columns, found {len(cols)}", line=lineno)
        rows.append(dict(zip(header, cols, strict=True)))
    return rows


def bl_pct_rows(
    families: Sequence[MirnaFamily], sites: Sequence[dict[str, str]], bins: dict[str, int]
) -> list[dict[str, str]]:
    """Add branch length, P_CT and Conserved to TargetScan site rows."""
    seeds = {f.family: f.seed for f in families}
    out = []
    for r in sites:
        gene = r["a_Gene_ID"]
        if gene not in bins:
            raise InputError(f"gene {gene!r} has no conservation bin; add it to the bins table")
        fam = r["miRNA_family_ID"]
        if fam not in seeds:
            raise InputError(f"miRNA family {fam!r} of the site table is not in the family file")
        species = (r["Species_in_this_group_with_this_site_type"] or r["Species_in_this_group"]).split()
        tree = _tree(f"Tree.bin_{bins[gene]:02d}.txt")
        # TargetScan rounds the branch length to 4 decimals before P_CT and the conservation call
        bl = float(f"{branch_length(tree, species):.4f}") if len(species) > 1 else 0.0
        p = pct(seeds[fam], r["Site_type"], bl)
        threshold = CONSERVED_BRANCH_LENGTH.get(r["Site_type"])
        if seeds[fam] not in _pct_params("8mer-1a") or r["ORF_overlap"] == "1":
            p_text = "NA"  # no P_CT model for this seed, or the site overlaps an ORF (lowercase)
        elif p is None or r["Site_type"] == "6mer" or len(species) < 2:
            p_text = "0.0"
        else:
            p_text = f"{p:.4f}"
            if float(p_text) < 0:
                p_text = "0.0"
        row = {c: r[c] for c in TARGETSCAN_COLUMNS[1:10]}
        out.append(
            {
                "Gene_ID": gene,
                **row,
                "Group_type": r["Site_type"],
                "Branch length score": f"{bl:.4f}" if len(species) > 1 else "0",
                "Pct": p_text,
                "Conserved": "x" if threshold is not None and bl >= threshold else "",
            }
        )
    return out


def run_bl_pct(
    mir_family_file: str | os.PathLike[str],
    site_table: str | os.PathLike[str],
    bins_file: str | os.PathLike[str],
    output: str | os.PathLike[str],
) -> int:
    """Read a family file, a TargetScan 7 site table and UTR bins; write the BL/PCT table.

    Returns the number of rows written.
    """
    rows = bl_pct_rows(
        read_targetscan_families(mir_family_file), _read_site_table(Path(site_table)), read_bins(bins_file)
    )
    with atomic_write(output) as fh:
        fh.write("\t".join(BL_PCT_COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(r[c] for c in BL_PCT_COLUMNS) + "\n")
    return len(rows)
