"""Synthetic multi-species UTR alignments for TargetScan-stage tests and benchmarks.

Not a model of evolution: a seeded generator that plants seed sites of every
type at every distance from both UTR ends and then makes the alignment hard
(substitutions, gap runs inside sites, leading and trailing gaps, insertion
columns, lowercase ORF-overlap stretches, ``N``, DNA rows, missing species,
species absent from every family list, genes out of text order).

Examples
--------
>>> import numpy as np
>>> fams, utrs = synthetic_targetscan_input(np.random.default_rng(1), n_genes=2, length=60, n_families=3)
>>> len(fams), len({u.gene for u in utrs}) == 2
(3, True)
"""

from __future__ import annotations

import numpy as np

from mirscope.sites.io import MirnaFamily, UtrAlignment
from mirscope.sites.seeds import reverse_complement

__all__ = ["SPECIES", "synthetic_targetscan_input", "write_targetscan_input"]

#: Taxonomy ids of different lengths, so that text order and numeric order differ.
SPECIES = ("9606", "10090", "10116", "9615", "9031", "13616", "9544", "28377")
_BASES = np.frombuffer(b"ACGU", dtype=np.uint8)
_P = np.array([0.3, 0.2, 0.2, 0.3])


def _seq(rng: np.random.Generator, n: int) -> list[str]:
    return [chr(c) for c in _BASES[rng.choice(4, size=n, p=_P)]]


def _families(
    rng: np.random.Generator, n: int, species: tuple[str, ...], seeds: tuple[str, ...] | None
) -> list[MirnaFamily]:
    out = []
    seen = set()
    stems = ("miR-", "let-", "fam_", "Fam-", "mir-")
    for i in range(n):
        while True:
            seed = "".join(_seq(rng, 7)) if seeds is None else seeds[int(rng.integers(len(seeds)))]
            if seed not in seen and seed != "UUUUUUU":
                break
        seen.add(seed)
        kind = rng.integers(4)
        if kind == 0:
            sp = species
        elif kind == 1:
            sp = (species[0],)
        else:
            k = int(rng.integers(1, len(species) + 1))
            sp = tuple(str(s) for s in rng.choice(species, size=k, replace=False))
        if rng.random() < 0.1:
            sp = (*sp, "7227")  # listed but absent from the alignment
        out.append(MirnaFamily(f"{stems[i % len(stems)]}{int(rng.integers(1, 300))}/{i}", seed, sp))
    return out


def _plant(rng: np.random.Generator, anc: list[str], fams: list[MirnaFamily], n: int) -> None:
    L = len(anc)
    for _ in range(n):
        fam = fams[int(rng.integers(len(fams)))]
        m8 = reverse_complement(fam.seed)
        site = [m8 + "A", m8, m8[1:] + "A", m8[1:]][int(rng.integers(4))]
        if len(site) > L:
            continue
        where = rng.random()
        if where < 0.35:  # near the start, across the masked 14 nt
            pos = int(rng.integers(0, min(24, L - len(site) + 1)))
        elif where < 0.6:  # near the end
            pos = L - len(site) - int(rng.integers(0, min(12, L - len(site) + 1)))
        else:
            pos = int(rng.integers(0, L - len(site) + 1))
        anc[pos : pos + len(site)] = list(site)


def synthetic_targetscan_input(
    rng: np.random.Generator,
    *,
    n_genes: int = 20,
    length: int = 300,
    n_families: int = 20,
    species: tuple[str, ...] = SPECIES[:5],
    sites_per_gene: int = 12,
    hard: bool = True,
    seeds: tuple[str, ...] | None = None,
) -> tuple[list[MirnaFamily], list[UtrAlignment]]:
    """A random TargetScan 7 input: families and an aligned UTR file (rows in file order).

    Parameters
    ----------
    rng
        Random generator (the output is a function of its state).
    n_genes, length, n_families, species, sites_per_gene
        Size: genes, ancestral UTR length (varied +-50%), families, species, planted sites.
    seeds
        Draw family seeds from these (e.g. seeds with P_CT parameters) instead of at random;
        needs at least ``n_families`` distinct seeds.
    hard
        Add the edge cases (gaps in sites, lowercase, ``N``, DNA rows, missing
        and unlisted species, all-gap rows); ``False`` gives plain uppercase
        alignments with substitutions and short gaps only (benchmarks).
    """
    fams = _families(rng, n_families, species, seeds)
    utrs: list[UtrAlignment] = []
    gene_ids = [f"G{int(i):05d}" for i in rng.permutation(n_genes * 3)[:n_genes]] if hard else [
        f"G{i:05d}" for i in range(n_genes)
    ]
    for gene in gene_ids:
        L = max(8, int(length * (0.5 + rng.random()))) if hard else length
        anc = _seq(rng, L)
        _plant(rng, anc, fams, sites_per_gene)
        present = list(species)
        if hard and rng.random() < 0.3 and len(present) > 1:
            present.remove(present[int(rng.integers(1, len(present)))])
        if hard and rng.random() < 0.2:
            present.append("7955")  # in no family's list
        columns: list[list[str]] = []
        for i in range(L):
            col = []
            for _sp in present:
                r = rng.random()
                if r < (0.04 if hard else 0.01):
                    col.append("-")
                elif r < 0.09:
                    col.append(chr(_BASES[int(rng.integers(4))]))
                else:
                    col.append(anc[i])
            columns.append(col)
            if rng.random() < (0.03 if hard else 0.005):  # an insertion in some species
                columns.append([chr(_BASES[int(rng.integers(4))]) if rng.random() < 0.4 else "-" for _ in present])
        rows = ["".join(col[j] for col in columns) for j in range(len(present))]
        W = len(rows[0])
        for j, sp in enumerate(present):
            row = list(rows[j])
            if hard:
                if rng.random() < 0.25:  # leading gaps: this species' UTR starts later
                    k = int(rng.integers(1, max(2, W // 5)))
                    row[:k] = "-" * k
                if rng.random() < 0.2:  # trailing gaps
                    k = int(rng.integers(1, max(2, W // 5)))
                    row[W - k :] = "-" * k
                if rng.random() < 0.15:
                    for _ in range(int(rng.integers(1, 4))):
                        row[int(rng.integers(W))] = "N"
                if rng.random() < 0.35:  # lowercase (ORF-overlapping) stretch
                    a = 0 if rng.random() < 0.4 else int(rng.integers(W))
                    b = min(W, a + int(rng.integers(1, 40)))
                    row[a:b] = [c.lower() for c in row[a:b]]
                if j > 0 and rng.random() < 0.05:  # a species row of only gaps
                    row = ["-"] * W
            text = "".join(row)
            if hard and rng.random() < 0.2:
                text = text.replace("U", "T").replace("u", "t")
            utrs.append(UtrAlignment(gene, sp, text))
        if hard:  # species order inside a gene does not matter to TargetScan
            block = utrs[-len(present) :]
            del utrs[-len(present) :]
            utrs.extend(block[i] for i in rng.permutation(len(block)))
    return fams, utrs


def write_targetscan_input(
    families: list[MirnaFamily], utrs: list[UtrAlignment], family_path: object, utr_path: object
) -> None:
    """Write families and UTRs in TargetScan 7's input formats."""
    from pathlib import Path

    Path(str(family_path)).write_text("".join(f"{f.family}\t{f.seed}\t{';'.join(f.species)}\n" for f in families))
    Path(str(utr_path)).write_text("".join(f"{u.gene}\t{u.species}\t{u.aligned}\n" for u in utrs))
