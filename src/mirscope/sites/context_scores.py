"""TargetScan 7 context++ scores (Agarwal, Bell, Nam & Bartel 2015, eLife 4:e05005).

Reimplemented from the published model and checked row by row against the
``Targets.BL_PCT.context_scores.txt`` that TargetScan 7.0 prints for its sample
input (``docs/sites-context.md`` lists what matches and what does not).

The context++ score of a site for one mature miRNA is the sum of the site-type
intercept and 14 feature contributions. Each feature ``x`` contributes
``coefficient * (x - min) / (max - min)`` with the site type's coefficient and
scaling bounds (Agarwal et al. 2015, Figure 4 source data 1 and Table 3, shipped in
``mirscope/data/targetscan/context``); counts (ORF 8mers, offset 6mers) and the
nucleotide identities (sRNA1, sRNA8, site8) enter unscaled. The total is capped at
-0.03 (8mer), -0.02 (7mer-m8), -0.01 (7mer-1a) and 0 (6mer).

Features and how each is computed here:

* **3P_score**: 3'-supplementary pairing (Grimson et al. 2007);
  :func:`mirscope.sites._context_features.three_prime_score`.
* **Local_AU**: inverse-distance-weighted AU content of 30 nt on either side.
* **Min_dist**, **Len_3UTR**: log10 distance to the nearer UTR end and log10 UTR
  length, averaged over the 3'UTR tandem isoforms that contain the site (AIR data).
* **sRNA1A/C/G**, **sRNA8A/C/G**: miRNA nucleotide 1 and 8; **site8A/C/G**: the
  UTR base opposite miRNA nucleotide 8 (7mer-1a and 6mer sites only).
* **SA**: log10 probability that 14 nt centred on the match to miRNA 7-8 are
  unpaired, from RNAplfold ``-L 40 -W 80 -u 20`` (read ``_lunp`` files, or
  computed with ViennaRNA, ``accessibility="vienna"``).
* **Len_ORF** (log10), **ORF8m** (number of 8mer sites in the ORF).
* **Off6m**: see ``offset6mer`` in :func:`context_scores`.
* **TA**, **SPS**: target-site abundance and seed-pairing stability of the seed
  (``TA_SPS_by_seed_region.txt``).
* **PCT**: the site's P_CT from the BL/PCT table.

Examples
--------
>>> params = load_context_parameters()
>>> params.coefficient("Intercept", "8mer-1a")
-0.589
"""

from __future__ import annotations

import functools
import gzip
import logging
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from mirscope.errors import FileFormatError, InputError, MissingDependencyError
from mirscope.sites import _context_features as cf
from mirscope.sites._context_display import draw_site
from mirscope.sites.io import (
    MirnaFamily,
    UtrAlignment,
    atomic_write,
    read_targetscan_utrs,
)
from mirscope.sites.targetscan import orf_lengths_and_8mers

__all__ = [
    "CONTEXT_COLUMNS",
    "NOT_COMPUTED_COLUMNS",
    "OUTPUT_COLUMNS",
    "SCORE_COLUMNS",
    "ContextMirna",
    "ContextParameters",
    "compute_accessibility",
    "context_scores",
    "load_context_parameters",
    "read_airs",
    "read_bl_pct",
    "read_context_mirnas",
    "read_rnaplfold_lunp",
    "run_context_scores",
]

logger = logging.getLogger(__name__)

#: Header of TargetScan 7's ``Targets.BL_PCT.context_scores.txt`` (verbatim).
CONTEXT_COLUMNS: tuple[str, ...] = (
    "Gene ID",
    "Species ID",
    "Mirbase ID",
    "Site Type",
    "UTR start",
    "UTR end",
    "Site type contribution",
    "3' pairing contribution",
    "local AU contribution",
    "Min_dist contribution",
    "sRNA1A contribution",
    "sRNA1C contribution",
    "sRNA1G contribution",
    "sRNA8A contribution",
    "sRNA8C contribution",
    "sRNA8G contribution",
    "site8A contribution",
    "site8C contribution",
    "site8G contribution",
    "3'UTR length contribution",
    "SA contribution",
    "ORF length contribution",
    "ORF 8mer contribution",
    "Offset 6mer contribution",
    "TA contribution",
    "SPS contribution",
    "PCT contribution",
    "context++ score",
    "context++ score percentile",
    "AIR",
    "weighted context++ score",
    "weighted context++ score percentile",
    "UTR region",
    "UTR-miRNA pairing",
    "mature miRNA sequence",
    "miRNA family",
    "Group #",
)

#: Columns of TargetScan's table that are not reproduced: the percentiles rank a
#: score against TargetScan's genome-wide score distributions, which are not part
#: of the inputs.
NOT_COMPUTED_COLUMNS: tuple[str, ...] = (
    "context++ score percentile",
    "weighted context++ score percentile",
)
#: Columns written by :func:`run_context_scores` (TargetScan's, in its order, minus
#: :data:`NOT_COMPUTED_COLUMNS`).
OUTPUT_COLUMNS: tuple[str, ...] = tuple(c for c in CONTEXT_COLUMNS if c not in NOT_COMPUTED_COLUMNS)

#: Numeric score columns (contributions, context++ score, AIR, weighted score).
SCORE_COLUMNS: tuple[str, ...] = (*CONTEXT_COLUMNS[6:28], "AIR", "weighted context++ score")

#: Feature name in the parameter table for each contribution column.
_FEATURE_OF = {
    "3' pairing contribution": "3P_score",
    "local AU contribution": "Local_AU",
    "Min_dist contribution": "Min_dist",
    "3'UTR length contribution": "Len_3UTR",
    "SA contribution": "SA",
    "ORF length contribution": "Len_ORF",
    "TA contribution": "TA_3UTR",
    "SPS contribution": "SPS",
    "PCT contribution": "PCT",
}
_PARAM_TYPE = {"8mer-1a": "8mer", "7mer-m8": "7mer-m8", "7mer-1a": "7mer-A1", "6mer": "6mer"}
#: Upper bound of the context++ score per site type (Agarwal et al. 2015).
SCORE_CAP = {"8mer-1a": -0.03, "7mer-m8": -0.02, "7mer-1a": -0.01, "6mer": 0.0}

AccessibilitySource = Literal["rnaplfold", "vienna"]
Offset6merMode = Literal["targetscan", "count"]


@dataclass(frozen=True)
class ContextMirna:
    """One mature miRNA of a TargetScan context-score miRNA file.

    Attributes
    ----------
    family, species, mirna_id, sequence
        Family id, NCBI taxonomy id, miRBase id and mature RNA sequence.
    """

    family: str
    species: str
    mirna_id: str
    sequence: str


@dataclass(frozen=True)
class ContextParameters:
    """Context++ model coefficients and scaling bounds, and the TA/SPS table."""

    coefficients: Mapping[tuple[str, str], float]
    bounds: Mapping[tuple[str, str], tuple[float, float]]
    ta_sps: Mapping[str, tuple[float, float, float]]

    def coefficient(self, feature: str, site_type: str) -> float:
        """Coefficient of ``feature`` for a TargetScan site type (0 when absent)."""
        return self.coefficients.get((feature, _PARAM_TYPE[site_type]), 0.0)

    def has(self, feature: str, site_type: str) -> bool:
        """Whether the model has a coefficient for ``feature`` at this site type."""
        return (feature, _PARAM_TYPE[site_type]) in self.coefficients

    def contribution(self, feature: str, site_type: str, value: float) -> float:
        """``coefficient * (value - min) / (max - min)``; unscaled when no bounds."""
        co = self.coefficient(feature, site_type)
        lo_hi = self.bounds.get((feature, _PARAM_TYPE[site_type]))
        if lo_hi is None:
            return co * value
        lo, hi = lo_hi
        return co * (value - lo) / (hi - lo)


def _data_file(name: str) -> str:
    ref = resources.files("mirscope.data") / "targetscan" / "context" / name
    return ref.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_context_parameters() -> ContextParameters:
    """Read the shipped Agarwal 2015 parameters and TA/SPS table (cached)."""
    lines = _data_file("Agarwal_2015_parameters.txt").splitlines()
    header = lines[0].split("\t")
    types = ("8mer", "7mer-m8", "7mer-A1", "6mer")
    coefs: dict[tuple[str, str], float] = {}
    bounds: dict[tuple[str, str], tuple[float, float]] = {}
    for line in lines[1:]:
        cols = line.split("\t")
        cols += [""] * (len(header) - len(cols))
        feat = cols[0]
        for t in types:
            co = cols[header.index(f"{t} coeff")].strip()
            lo = cols[header.index(f"{t} min")].strip()
            hi = cols[header.index(f"{t} max")].strip()
            if co:
                coefs[(feat, t)] = float(co)
            if lo and hi:
                bounds[(feat, t)] = (float(lo), float(hi))
    ta_sps: dict[str, tuple[float, float, float]] = {}
    for line in _data_file("TA_SPS_by_seed_region.txt").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 4:
            ta_sps[cols[0]] = (float(cols[1]), float(cols[2]), float(cols[3]))
    return ContextParameters(coefs, bounds, ta_sps)


# --------------------------------------------------------------------------- readers


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    if not path.exists():
        raise FileFormatError(path, "file not found; check the path")
    if path.is_dir():
        raise FileFormatError(path, "is a directory, expected a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise FileFormatError(path, "not a text file (cannot decode as UTF-8)") from err
    return [(i, ln.rstrip("\r").split("\t")) for i, ln in enumerate(text.split("\n"), 1) if ln.strip()]


def read_context_mirnas(path: str | os.PathLike[str]) -> list[ContextMirna]:
    """Read a TargetScan context-score miRNA file (family, species, miRBase id, sequence).

    Raises
    ------
    FileFormatError
        Wrong column count, non-numeric species, sequence not 15-35 nt of ACGU/T,
        duplicate (species, miRNA), empty file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.txt"
    >>> _ = p.write_text("miR-124\\t9606\\thsa-miR-124-3p\\tUAAGGCACGCGGUGAAUGCC\\n")
    >>> read_context_mirnas(p)[0].sequence
    'UAAGGCACGCGGUGAAUGCC'
    """
    p = Path(path)
    out: list[ContextMirna] = []
    seen: set[tuple[str, str]] = set()
    for lineno, cols in _lines(p):
        if len(cols) != 4:
            raise FileFormatError(
                p,
                f"expected 4 tab-separated columns (miRNA family, species id, miRBase id, mature "
                f"sequence), found {len(cols)}",
                line=lineno,
            )
        fam, species, mid, raw = (c.strip() for c in cols)
        if not species.isdigit():
            raise FileFormatError(p, f"species id {species!r} must be a numeric taxonomy id", line=lineno)
        seq = raw.upper().replace("T", "U")
        bad = sorted(set(seq) - set("ACGU"))
        if bad or not 15 <= len(seq) <= 35:
            raise FileFormatError(
                p,
                f"miRNA {mid!r}: mature sequence {raw!r} must be 15-35 nt of A/C/G/U(T)"
                + (f"; invalid characters {''.join(bad)!r}" if bad else ""),
                line=lineno,
            )
        if (species, mid) in seen:
            raise FileFormatError(p, f"duplicate miRNA {mid!r} for species {species}", line=lineno)
        seen.add((species, mid))
        out.append(ContextMirna(fam, species, mid, seq))
    if not out:
        raise FileFormatError(p, "no miRNAs found (empty file?)")
    return out


def read_airs(path: str | os.PathLike[str]) -> dict[str, list[tuple[int, int, float]]]:
    """Read a 3'UTR isoform-ratio (AIR) file: gene, start, end, AIR in percent.

    Regions of a gene must be contiguous from position 1 with non-increasing AIR.

    Raises
    ------
    FileFormatError
        Wrong column count, bad numbers, gaps/overlaps, AIR outside 0-100.
    """
    p = Path(path)
    out: dict[str, list[tuple[int, int, float]]] = {}
    for lineno, cols in _lines(p):
        if len(cols) != 4:
            raise FileFormatError(p, f"expected 4 tab-separated columns (gene, start, end, AIR %), found {len(cols)}", line=lineno)
        gene = cols[0].strip()
        try:
            start, end, air = int(cols[1]), int(cols[2]), float(cols[3])
        except ValueError as err:
            raise FileFormatError(p, f"start/end must be integers and AIR a number, got {cols[1:]!r}", line=lineno) from err
        regs = out.setdefault(gene, [])
        expected_start = regs[-1][1] + 1 if regs else 1
        if start != expected_start or end < start:
            raise FileFormatError(
                p, f"gene {gene!r}: region {start}-{end} should start at {expected_start} and end after it starts", line=lineno
            )
        if not 0 <= air <= 100 or (regs and air > regs[-1][2]):
            raise FileFormatError(p, f"gene {gene!r}: AIR {air} must be 0-100 and not above the previous region's", line=lineno)
        regs.append((start, end, air))
    if not out:
        raise FileFormatError(p, "no AIR rows found (empty file?)")
    return out


def read_bl_pct(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TargetScan 7 BL/PCT site table (``targetscan_70_output.BL_PCT.txt``)."""
    from mirscope.sites.conservation import BL_PCT_COLUMNS

    p = Path(path)
    rows = _lines(p)
    if not rows or tuple(rows[0][1]) != BL_PCT_COLUMNS:
        raise FileFormatError(
            p, "not a TargetScan 7 BL/PCT table (header differs); make it with the branch-length/PCT stage", line=1
        )
    width = len(BL_PCT_COLUMNS)
    recs = []
    for lineno, cols in rows[1:]:
        cols = cols + [""] * (width - len(cols)) if len(cols) == width - 1 else cols
        if len(cols) != width:
            raise FileFormatError(p, f"expected {width} columns, found {len(cols)}", line=lineno)
        recs.append(cols)
    df = pd.DataFrame(recs, columns=list(BL_PCT_COLUMNS))
    for col in ("UTR_start", "UTR_end"):
        if not df[col].str.isdigit().all():
            bad = df.loc[~df[col].str.isdigit(), col].iloc[0]
            raise FileFormatError(p, f"{col} must be a positive integer, found {bad!r}")
    df[["UTR_start", "UTR_end"]] = df[["UTR_start", "UTR_end"]].astype(int)
    return df


def read_rnaplfold_lunp(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an RNAplfold ``_lunp`` file (optionally gzipped) as an (n, u) array.

    Row ``i`` (0-based) holds the probabilities that the 1..u bases ending at base
    ``i+1`` are unpaired; ``NA`` becomes ``nan``.
    """
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "file not found; check the path")
    opener = gzip.open if p.suffix == ".gz" else open
    rows: list[list[float]] = []
    with opener(p, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.lstrip().startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n\t ").split("\t")
            try:
                if int(cols[0]) != len(rows) + 1:
                    raise FileFormatError(p, f"position {cols[0]} out of order, expected {len(rows) + 1}", line=lineno)
                rows.append([math.nan if c == "NA" else float(c) for c in cols[1:]])
            except ValueError as err:
                raise FileFormatError(p, f"not an RNAplfold unpaired-probability row: {line[:40]!r}", line=lineno) from err
    if not rows:
        raise FileFormatError(p, "no unpaired probabilities found (empty file?)")
    width = max(len(r) for r in rows)
    return np.array([r + [math.nan] * (width - len(r)) for r in rows], dtype=float)


def compute_accessibility(seq: str, *, ulength: int = 20, winsize: int = 80, span: int = 40) -> np.ndarray:
    """Unpaired probabilities with ViennaRNA, as ``RNAplfold -L 40 -W 80 -u 20``.

    Uses ``RNA.pfl_fold_up(seq, ulength, winsize, span)``; returns the same
    layout as :func:`read_rnaplfold_lunp`.

    Examples
    --------
    >>> compute_accessibility("GGGGAAAACCCCAUAUAUAUAUAUAUAU", ulength=4).shape
    (28, 4)
    """
    try:
        import RNA
    except ImportError as err:  # pragma: no cover - ViennaRNA is a declared dependency
        raise MissingDependencyError("ViennaRNA is needed for accessibility='vienna'; pip install viennarna") from err
    up = RNA.pfl_fold_up(seq, ulength, winsize, span)
    arr = np.array([[math.nan if v is None else float(v) for v in row[1 : ulength + 1]] for row in up[1:]])
    # ViennaRNA leaves the impossible entries (window longer than the prefix) at 0
    for i in range(min(ulength, arr.shape[0])):
        arr[i, i + 1 :] = math.nan
    return arr


# --------------------------------------------------------------------------- scores


def _fmt3(x: float) -> str:
    return f"{x:.3f}"


def _fmt_cap(x: float) -> str:
    """Print a cap the way Perl prints a number: ``-0.03``, ``0``."""
    return "0" if x == 0 else f"{x:g}"


def _nt_onehot(params: ContextParameters, prefix: str, site_type: str, base: str) -> list[str]:
    if base not in "ACG" or not all(params.has(f"{prefix}{b}", site_type) for b in "ACG"):
        return ["0", "0", "0"]
    out = []
    for b in "ACG":
        out.append(_fmt3(params.coefficient(f"{prefix}{b}", site_type) * (1.0 if base == b else 0.0)))
    return out


def context_scores(
    mirnas: Sequence[ContextMirna],
    utrs: Sequence[UtrAlignment],
    sites: pd.DataFrame,
    *,
    orfs: Sequence[UtrAlignment],
    airs: Mapping[str, Sequence[tuple[int, int, float]]] | None = None,
    accessibility: Mapping[tuple[str, str], np.ndarray] | None = None,
    reference_species: str = "9606",
    offset6mer: Offset6merMode = "targetscan",
) -> pd.DataFrame:
    """Context++ scores of every site for every mature miRNA of its family and species.

    Parameters
    ----------
    mirnas
        Mature miRNAs (:func:`read_context_mirnas`).
    utrs
        Aligned UTRs (:func:`mirscope.sites.read_targetscan_utrs`).
    sites
        BL/PCT site table (:func:`read_bl_pct`).
    orfs
        Aligned ORFs, same format as the UTRs (for ORF length and 8mer counts).
    airs
        AIR regions per gene (:func:`read_airs`), in the coordinates of the
        ``reference_species`` UTR; genes without AIR data count as one isoform.
    accessibility
        Unpaired-probability matrix per (gene, species); missing entries are
        computed with ViennaRNA (:func:`compute_accessibility`).
    reference_species
        Species whose UTR coordinates the AIR file uses (human in TargetScan 7).
    offset6mer
        ``"targetscan"`` (default) reproduces TargetScan 7.0's output, where every
        site gets the Off6m coefficient times 1; ``"count"`` uses the published
        definition, the AIR-weighted number of offset-6mer sites in the UTR.

    Returns
    -------
    pandas.DataFrame
        One row per site and miRNA with :data:`OUTPUT_COLUMNS` (strings formatted
        as TargetScan prints them) plus float columns ``score`` (context++ score),
        ``weighted_score`` and ``air``. Sites whose family has no mature miRNA in
        the site's species are skipped, as TargetScan does.

    Raises
    ------
    InputError
        A site's gene/species has no UTR, ORF or accessibility of the right length.
    """
    params = load_context_parameters()
    useq: dict[tuple[str, str], str] = {
        (u.gene, u.species): u.aligned.replace("-", "").upper() for u in utrs
    }
    by_fam: dict[tuple[str, str], list[ContextMirna]] = {}
    for m in mirnas:
        by_fam.setdefault((m.family, m.species), []).append(m)
    seeds = sorted({m.sequence[1:8] for m in mirnas})
    lengths, counts = orf_lengths_and_8mers([MirnaFamily(s, s, ("0",)) for s in seeds], orfs)
    orf_len = {(g, s): n for g, s, n in lengths}
    orf8 = {(g, s, seed): n for g, s, seed, n in counts}
    airs = airs or {}
    acc: dict[tuple[str, str], np.ndarray] = dict(accessibility or {})

    rows: list[dict[str, object]] = []
    for site in sites.itertuples(index=False):
        gene, fam, species = site.Gene_ID, site.miRNA_family_ID, site.species_ID
        st = site.Site_type
        start, end = int(site.UTR_start), int(site.UTR_end)
        if st not in cf.SITE_TYPES_TS:
            raise InputError(
                f"site type {st!r} of {gene}/{species} {start}-{end} is not one of "
                f"{', '.join(cf.SITE_TYPES_TS)}; pass the BL/PCT table of TargetScan 7 sites"
            )
        pct_text = str(site.Pct)
        try:
            has_pct = pct_text not in ("NA", "")
            pct_value = float(pct_text) if has_pct else 0.0
        except ValueError as err:
            raise InputError(f"Pct {pct_text!r} of {gene}/{species} {start}-{end} is not a number or NA") from err
        family_mirnas = by_fam.get((fam, species), [])
        if not family_mirnas:
            logger.debug("no mature miRNA of %s in species %s; site %s %s-%s skipped", fam, species, gene, start, end)
            continue
        key = (gene, species)
        if key not in useq:
            raise InputError(f"site of {gene}/{species} but the UTR file has no such UTR; use the UTR file the sites came from")
        if key not in orf_len:
            raise InputError(f"no ORF for {gene}/{species} in the ORF file; add it (ORF length is a context++ feature)")
        seq = useq[key]
        if end > len(seq):
            raise InputError(f"site {gene}/{species} {start}-{end} lies beyond the UTR ({len(seq)} nt)")
        if key not in acc:
            logger.info("computing accessibility of %s/%s with ViennaRNA", gene, species)
            acc[key] = compute_accessibility(seq)
        if acc[key].shape[0] != len(seq):
            raise InputError(
                f"accessibility of {gene}/{species} covers {acc[key].shape[0]} nt but the UTR has {len(seq)}; "
                "use the RNAplfold output of this UTR"
            )
        ref_seq = useq.get((gene, reference_species))
        regions = airs.get(gene)
        ref_len = len(ref_seq) if ref_seq else (regions[-1][1] if regions else None)
        iso = cf.isoform_weights(regions, len(seq), ref_len, end)
        air = iso[0][1] / 100.0
        for m in family_mirnas:
            c: dict[str, object] = {}
            c["Site type contribution"] = params.coefficient("Intercept", st)
            c["3' pairing contribution"] = params.contribution(
                "3P_score", st, cf.three_prime_score(seq, start, st, m.sequence)
            )
            # TargetScan 7.0 rounds the local AU score to 3 decimals before scaling
            c["local AU contribution"] = params.contribution("Local_AU", st, round(cf.local_au(seq, start, end, st), 3))
            c["Min_dist contribution"] = params.contribution("Min_dist", st, cf.weighted_min_dist(iso, start, end))
            c["3'UTR length contribution"] = params.contribution("Len_3UTR", st, cf.weighted_utr_length(iso))
            sa = cf.sa_from_unpaired(acc[key], start, st)
            # no accessibility value (window past the UTR start, or 0): TargetScan adds nothing
            c["SA contribution"] = 0.0 if sa is None else params.contribution("SA", st, sa)
            c["ORF length contribution"] = params.contribution("Len_ORF", st, math.log10(orf_len[key]))
            c["ORF 8mer contribution"] = params.contribution("ORF8m", st, orf8.get((gene, species, m.sequence[1:8]), 0))
            # TargetScan 7.0's output has Off6m = 1 for every site (see docs/sites-context.md)
            off = 1.0 if offset6mer == "targetscan" else cf.offset6mer_count(seq, m.sequence, iso)
            c["Offset 6mer contribution"] = params.contribution("Off6m", st, off)
            ta_sps = params.ta_sps.get(m.sequence[1:8])
            if ta_sps is None:
                raise InputError(f"seed {m.sequence[1:8]!r} of {m.mirna_id} is not in the TA/SPS table")
            sps = ta_sps[0] if st in ("8mer-1a", "7mer-m8") else ta_sps[1]
            c["TA contribution"] = params.contribution("TA_3UTR", st, ta_sps[2])
            c["SPS contribution"] = params.contribution("SPS", st, sps)
            c["PCT contribution"] = params.contribution("PCT", st, pct_value)
            s1 = _nt_onehot(params, "sRNA1", st, m.sequence[0])
            s8 = _nt_onehot(params, "sRNA8", st, m.sequence[7])
            site8_base = cf.site8_base(seq, start, st)
            t8 = _nt_onehot(params, "Site8", st, site8_base)
            printed = [_fmt3(float(v)) for v in c.values()] + [*s1, *s8, *t8]  # type: ignore[arg-type]
            # TargetScan 7.0 sums the printed (3-decimal) contributions
            score = min(sum(float(x) for x in printed), SCORE_CAP[st])
            row: dict[str, object] = {
                "Gene ID": gene,
                "Species ID": species,
                "Mirbase ID": m.mirna_id,
                "Site Type": st,
                "UTR start": start,
                "UTR end": end,
            }
            for col in CONTEXT_COLUMNS[6:27]:
                if col in c:
                    row[col] = _fmt3(float(c[col]))  # type: ignore[arg-type]
            for col, v in zip(CONTEXT_COLUMNS[10:19], (*s1, *s8, *t8), strict=True):
                row[col] = v
            if not has_pct:
                row["PCT contribution"] = "0"
            # a capped score prints as the bare cap ("-0.03", "0"), others with 3 decimals
            row["context++ score"] = _fmt_cap(score) if score == SCORE_CAP[st] else _fmt3(score)
            row["AIR"] = f"{air:.15g}"
            weighted = cf.air_weighted_score(score, air)
            row["weighted context++ score"] = f"{weighted:.4f}"
            row["UTR region"], row["UTR-miRNA pairing"], row["mature miRNA sequence"] = draw_site(
                seq, start, end, st, m.sequence
            )
            row["miRNA family"] = fam
            row["Group #"] = site.Group_num
            row["score"] = score
            row["weighted_score"] = weighted
            row["air"] = air
            rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        raise InputError("no site has a mature miRNA of its family and species; check the miRNA file's families and species")
    return df


def run_context_scores(
    mirna_file: str | os.PathLike[str],
    utr_file: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    bl_pct_file: str | os.PathLike[str],
    orf_file: str | os.PathLike[str],
    air_file: str | os.PathLike[str] | None = None,
    rnaplfold_dir: str | os.PathLike[str] | None = None,
    accessibility: AccessibilitySource = "rnaplfold",
    offset6mer: Offset6merMode = "targetscan",
) -> int:
    """Compute context++ scores from TargetScan-format files and write the table atomically.

    Parameters
    ----------
    mirna_file, utr_file
        Mature miRNAs (family, species, id, sequence) and aligned UTRs.
    output
        Tab-separated table with :data:`OUTPUT_COLUMNS`; written to a temporary file
        and renamed, so nothing is left behind on error.
    bl_pct_file
        BL/PCT site table (``targetscan_70_output.BL_PCT.txt`` format).
    orf_file
        Aligned ORFs (gene, species, sequence).
    air_file
        3'UTR isoform ratios; without it every UTR is one isoform (AIR 1).
    rnaplfold_dir
        Directory of ``GENE.SPECIES_lunp`` (or ``_lunp.gz``) files; needed when
        ``accessibility="rnaplfold"``.
    accessibility
        ``"rnaplfold"`` reads the files (exact TargetScan reproduction);
        ``"vienna"`` computes them with ViennaRNA.
    offset6mer
        See :func:`context_scores`.

    Returns
    -------
    int
        Number of rows written.
    """
    if accessibility not in ("rnaplfold", "vienna"):
        raise InputError(f"accessibility must be 'rnaplfold' or 'vienna', got {accessibility!r}")
    if offset6mer not in ("targetscan", "count"):
        raise InputError(f"offset6mer must be 'targetscan' or 'count', got {offset6mer!r}")
    mirnas = read_context_mirnas(mirna_file)
    utrs = read_targetscan_utrs(utr_file)
    orfs = read_targetscan_utrs(orf_file)
    sites = read_bl_pct(bl_pct_file)
    airs = read_airs(air_file) if air_file is not None else None
    acc: dict[tuple[str, str], np.ndarray] = {}
    if accessibility == "rnaplfold":
        if rnaplfold_dir is None:
            raise InputError("accessibility='rnaplfold' needs rnaplfold_dir (the GENE.SPECIES_lunp files); or use 'vienna'")
        d = Path(rnaplfold_dir)
        if not d.is_dir():
            raise InputError(f"RNAplfold directory {str(d)!r} does not exist")
        needed = {(g, s) for g, s in zip(sites["Gene_ID"], sites["species_ID"], strict=True)}
        for g, s in sorted(needed):
            for name in (f"{g}.{s}_lunp", f"{g}.{s}_lunp.gz"):
                if (d / name).exists():
                    acc[(g, s)] = read_rnaplfold_lunp(d / name)
                    break
            else:
                raise InputError(f"no RNAplfold file {g}.{s}_lunp(.gz) in {str(d)!r}; run RNAplfold -L 40 -W 80 -u 20 or use accessibility='vienna'")
        # only sites whose family has a miRNA need accessibility; others are skipped later
    df = context_scores(mirnas, utrs, sites, orfs=orfs, airs=airs, accessibility=acc or None, offset6mer=offset6mer)
    cols = list(OUTPUT_COLUMNS)
    with atomic_write(output) as fh:
        fh.write("\t".join(cols) + "\n")
        for rec in df[cols].itertuples(index=False):
            fh.write("\t".join(str(v) for v in rec) + "\n")
    return len(df)
