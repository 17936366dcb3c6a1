"""Can a sponge plausibly derepress a miRNA's targets? (Denzler et al. 2014 threshold)

Denzler, Agarwal, Stefano, Bartel and Stoffel (2014, Mol Cell 54:766) added miR-122
sites to hepatocytes and saw target derepression only above about 1.5e5 added sites
per cell, a threshold insensitive to the miRNA level. This module compares a sponge's
added sites (copies per cell x miR-124 sites per copy) with that threshold and computes
the derepression of the targets from an equilibrium titration model:

* total miRNA ``M_T``, endogenous target-site pool ``S_T``, added sites ``S_A``, one
  dissociation constant ``K`` (copies per cell);
* free miRNA ``m`` solves ``M_T = m + m (S_T + S_A) / (K + m)``;
* a site is occupied with probability ``theta = m / (K + m)``, so target expression is
  proportional to ``1 - theta`` and the derepression is
  ``log2((1 - theta(S_A)) / (1 - theta(0)))``.

Verdicts: ``plausible`` when the added sites reach the threshold and the predicted
derepression is detectable (>= 0.1 log2); ``implausible`` below a tenth of the
threshold; ``borderline`` in between. Copy numbers assumed for the review's sponges are
in ``data/sponge_copy_numbers.yaml`` (sources in docs/simulate.md).

Examples
--------
>>> a = assess_sponge("NEAT1")
>>> a.verdict, a.added_sites < a.threshold
('implausible', True)
>>> round(derepression(1.5e5, mirna_copies=1e5), 2) > 0.5
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from mirscope.errors import InputError, UnknownNameError

__all__ = [
    "SpongeAssessment",
    "assess_review_sponges",
    "assess_sponge",
    "derepression",
    "free_mirna",
    "review_sponges",
    "sponge_copy_numbers",
]

Verdict = Literal["plausible", "borderline", "implausible"]


@cache
def _table() -> dict[str, Any]:
    text = (
        resources.files("mirscope.simulate")
        .joinpath("data/sponge_copy_numbers.yaml")
        .read_text(encoding="utf-8")
    )
    return dict(yaml.safe_load(text))


def sponge_copy_numbers() -> pd.DataFrame:
    """The shipped copy-number assumptions: sponge, type, copies, sites, nuclear, source."""
    rows = [{"sponge": k, **v} for k, v in _table()["sponges"].items()]
    return pd.DataFrame(rows)


def _defaults() -> dict[str, float]:
    return {k: float(v) for k, v in _table()["defaults"].items()}


def free_mirna(mirna_copies: float, sites: float, kd: float) -> float:
    """Free miRNA at equilibrium with ``sites`` identical binding sites (copies per cell).

    Examples
    --------
    >>> round(free_mirna(100.0, 0.0, 25.0), 6)
    100.0
    """
    b = kd + sites - mirna_copies
    # stable root of m^2 + b m - M_T K = 0
    disc = math.sqrt(b * b + 4.0 * mirna_copies * kd)
    return (2.0 * mirna_copies * kd) / (b + disc) if b > 0 else (disc - b) / 2.0


def derepression(
    added_sites: float | np.ndarray,
    *,
    mirna_copies: float | None = None,
    target_sites: float | None = None,
    kd: float | None = None,
) -> float | np.ndarray:
    """log2 fold derepression of targets after adding ``added_sites`` sites per cell."""
    d = _defaults()
    mt = d["mirna_copies"] if mirna_copies is None else float(mirna_copies)
    st = d["target_sites"] if target_sites is None else float(target_sites)
    k = d["kd_copies"] if kd is None else float(kd)
    for name, v in (("mirna_copies", mt), ("target_sites", st), ("kd", k)):
        if not math.isfinite(v) or v < 0 or (name == "kd" and v == 0):
            raise InputError(f"{name}={v!r} must be a positive number of copies per cell.")
    m0 = free_mirna(mt, st, k)
    theta0 = m0 / (k + m0)

    def one(sa: float) -> float:
        if sa < 0:
            raise InputError(f"added sites {sa!r} must be >= 0.")
        m = free_mirna(mt, st + sa, k)
        theta = m / (k + m)
        return math.log2((1.0 - theta) / (1.0 - theta0))

    if np.ndim(added_sites) == 0:
        return one(float(added_sites))
    return np.array([one(float(x)) for x in np.asarray(added_sites).ravel()]).reshape(
        np.shape(added_sites)
    )


@dataclass(frozen=True)
class SpongeAssessment:
    """Plausibility of one sponge derepressing the miRNA's targets.

    Attributes
    ----------
    sponge, copies, sites, added_sites
        The sponge, copies per cell, miR-124 sites per copy and their product.
    threshold
        Added sites needed for derepression (Denzler et al. 2014: 1.5e5).
    ratio
        ``added_sites / threshold``.
    derepression_log2
        Predicted target derepression from the equilibrium titration model.
    verdict
        ``plausible``, ``borderline`` or ``implausible``.
    reason, source, sites_source
        Why; where the copy number and the site count come from.
    """

    sponge: str
    copies: float
    sites: float
    added_sites: float
    threshold: float
    ratio: float
    derepression_log2: float
    verdict: Verdict
    reason: str
    source: str
    sites_source: str
    nuclear: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As a plain dict."""
        return dict(self.__dict__)


def _count_sites(sequence: str, mirna: str, *, circular: bool) -> int:
    from mirscope.simulate.model import EFFECTIVE_SITE_TYPES
    from mirscope.sites import scan

    hits = scan({"sponge": sequence}, mirna, circular=circular, energies=False)
    return int(hits["site_type"].isin(EFFECTIVE_SITE_TYPES).sum())


def assess_sponge(
    sponge: str,
    *,
    copies: float | None = None,
    sites: float | None = None,
    sequence: str | None = None,
    mirna: str = "miR-124-3p",
    mirna_copies: float | None = None,
    target_sites: float | None = None,
    threshold: float | None = None,
    kd: float | None = None,
) -> SpongeAssessment:
    """Judge whether ``sponge`` can plausibly derepress the miRNA's targets.

    Parameters
    ----------
    sponge
        Sponge name; copies and sites default to the shipped assumptions when known.
    copies
        Sponge copies per cell (required for sponges without a shipped assumption).
    sites
        miR-124 sites per sponge copy; counted with :func:`mirscope.sites.scan`
        (7-8mer sites) when ``sequence`` is given, else the shipped/default value.
    sequence
        Sponge sequence for the site engine.
    mirna
        The sponged miRNA (for the site scan).
    mirna_copies, target_sites, threshold, kd
        Equilibrium-model inputs (defaults in ``data/sponge_copy_numbers.yaml``).
    """
    table = _table()
    d = _defaults()
    known = {k.lower(): k for k in table["sponges"]}
    entry = table["sponges"].get(known.get(sponge.lower(), ""), None)
    if entry is None:
        kb_type = _review_sponge_types().get(sponge)
        if kb_type is not None:  # a review sponge without a specific assumption
            entry = {
                "type": kb_type,
                "copies": d["circrna_copies" if kb_type == "circrna" else "lncrna_copies"],
                "sites": None,
                "nuclear": False,
                "source": "default typical abundance for its RNA type (Cabili et al. 2011)",
            }
    if entry is None and copies is None:
        raise UnknownNameError(
            "sponge with a copy-number assumption", sponge, sorted(table["sponges"])
        )
    entry = dict(
        entry
        or {
            "type": "lncrna",
            "copies": None,
            "sites": None,
            "nuclear": False,
            "source": "copies given by the user",
        }
    )
    name = known.get(sponge.lower(), sponge)
    n_copies = float(copies) if copies is not None else float(entry["copies"])
    source = entry["source"] if copies is None else "copies given by the user"
    circular = entry.get("type") == "circrna"
    if sites is not None:
        n_sites, sites_source = float(sites), "given by the user"
    elif sequence is not None:
        n_sites = float(_count_sites(sequence, mirna, circular=circular))
        sites_source = f"counted by mirscope.sites.scan (7-8mer {mirna} sites)"
    elif entry.get("sites") is not None:
        n_sites, sites_source = float(entry["sites"]), "shipped assumption"
    else:
        n_sites = d["circrna_sites"] if circular else d["lncrna_sites"]
        sites_source = f"default for a {'circRNA' if circular else 'lncRNA'}"
    for label, v in (("copies", n_copies), ("sites", n_sites)):
        if not math.isfinite(v) or v < 0:
            raise InputError(f"{label}={v!r} for {sponge!r} must be a non-negative number.")
    thr = d["threshold_sites"] if threshold is None else float(threshold)
    if not thr > 0:
        raise InputError(f"threshold={threshold!r} must be a positive number of sites.")
    added = n_copies * n_sites
    ratio = added / thr
    l2 = float(derepression(added, mirna_copies=mirna_copies, target_sites=target_sites, kd=kd))
    if ratio >= 1 and l2 >= 0.1:
        verdict: Verdict = "plausible"
        reason = (
            f"{added:,.0f} added sites reach the ~{thr:,.0f} needed; predicted "
            f"derepression {l2:.2f} log2"
        )
    elif ratio < 0.1:
        verdict = "implausible"
        reason = (
            f"{added:,.0f} added sites are {ratio:.1%} of the ~{thr:,.0f} needed "
            f"(Denzler et al. 2014); predicted derepression {l2:.3f} log2"
        )
    else:
        verdict = "borderline"
        reason = (
            f"{added:,.0f} added sites are {ratio:.0%} of the ~{thr:,.0f} needed; "
            f"predicted derepression {l2:.3f} log2"
        )
    if entry.get("nuclear"):
        reason += "; mostly nuclear, so fewer sites meet cytoplasmic miR-124"
    return SpongeAssessment(
        sponge=name,
        copies=n_copies,
        sites=n_sites,
        added_sites=added,
        threshold=thr,
        ratio=ratio,
        derepression_log2=l2,
        verdict=verdict,
        reason=reason,
        source=source,
        sites_source=sites_source,
        nuclear=bool(entry.get("nuclear", False)),
    )


@cache
def _review_sponge_types() -> dict[str, str]:
    """Sponges of miR-124 in the curated review, with their RNA type."""
    try:
        from mirscope.kb import load_review_relations

        rels = load_review_relations()
    except Exception:  # the knowledge base is optional for this check
        return {}
    return {
        r.subject: r.subject_type
        for r in rels
        if r.relation == "sponges" and r.object == "hsa-miR-124-3p"
    }


def review_sponges() -> list[str]:
    """Every sponge of miR-124: the review's plus those with a shipped assumption."""
    names = list(_table()["sponges"])
    names += sorted(n for n in _review_sponge_types() if n not in names)
    return names


def assess_review_sponges(
    sponges: Sequence[str] | None = None,
    *,
    sequences: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Assess every review sponge of miR-124 and every shipped assumption (or ``sponges``).

    Returns
    -------
    pandas.DataFrame
        One row per sponge: the fields of :class:`SpongeAssessment`.
    """
    names = review_sponges() if sponges is None else list(sponges)
    seqs = dict(sequences or {})
    rows = [assess_sponge(n, sequence=seqs.get(n), **kwargs).to_dict() for n in names]
    return pd.DataFrame(rows)
