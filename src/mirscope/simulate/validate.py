"""Check the model against every perturbation outcome the review reports.

:func:`review_claims` turns knowledge-base relations into perturbation outcomes
(perturbation, cancer, readout, reported direction, references); :func:`validate_against_review`
runs the model of each claim's cancer (the pan-cancer model for claims without one)
and compares the predicted direction with the reported one. No parameter is fitted:
every model uses the documented defaults.

Rules (docs/simulate.md, "Validation"):

===================  =====================================  =========================
relation             perturbation                           readout, reported direction
===================  =====================================  =========================
targets              miRNA overexpress (mimic)              target down
sponges              sponge knockdown                       miRNA up
silences             methylation (type other): demethylate  miRNA up
                     the miRNA; a molecule: knockdown it
activates/inhibits,  miRNA subject: overexpress (inhibit    object in the direction
affects_phenotype,   if the assays are loss-of-function     of the sign (opposite for
regulates_pathway,   only); a therapy: activate (given);    knockdown/inhibit)
sensitizes_to        other subjects: knockdown
                     (overexpress if gain-of-function)
===================  =====================================  =========================

Relations without a sign, clinical findings (expression_change, prognostic,
diagnostic), pathway membership and non-cancer findings are not perturbation outcomes
and are left out (counted in :attr:`ValidationResult.skipped`). Identical outcomes
(same perturbation, cancer, readout and direction) are merged, their references joined.

Examples
--------
>>> from mirscope.kb import Relation
>>> r = Relation(id="x", subject="hsa-miR-124-3p", subject_type="mirna", relation="targets",
...              object="STAT3", object_type="gene", direction="down", sign=-1,
...              cancer="breast cancer", refs=(64,))
>>> review_claims([r]).loc[0, ["perturbation", "readout", "reported"]].tolist()
['hsa-miR-124-3p=overexpress', 'STAT3', 'down']
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from mirscope.errors import MirscopeError
from mirscope.simulate.model import Model
from mirscope.simulate.perturb import Perturbation, log2_fold_changes, perturbation_parameters

__all__ = ["VALIDATION_COLUMNS", "ValidationResult", "review_claims", "validate_against_review"]

log = logging.getLogger(__name__)

#: Columns of :attr:`ValidationResult.table`.
VALIDATION_COLUMNS: tuple[str, ...] = (
    "perturbation",
    "cancer",
    "readout",
    "reported",
    "predicted",
    "log2fc",
    "agree",
    "relation",
    "refs",
    "ids",
    "flags",
    "reason",
)

_SKIP = frozenset({"expression_change", "prognostic", "diagnostic", "member_of_pathway"})
_FLIP = {"up": "down", "down": "up"}


def _plan(rel: Any) -> tuple[str, str, str, str] | None:
    """(perturbed node, verb, readout, reported direction) for one relation, or None."""
    if rel.relation in _SKIP or rel.context == "non_cancer" or rel.object_type == "cancer":
        return None
    if rel.relation == "sponges":
        return rel.subject, "knockdown", rel.object, "up"
    if rel.relation == "targets":
        if rel.subject_type != "mirna":
            return None
        if "loss of function" in rel.assays and "gain of function" not in rel.assays:
            return rel.subject, "inhibit", rel.object, "up"
        return rel.subject, "overexpress", rel.object, "down"
    if rel.relation == "silences":
        if rel.subject_type == "other":
            return rel.object, "demethylate", rel.object, "up"
        return rel.subject, "knockdown", rel.object, "up"
    sign = int(rel.sign)
    if sign == 0:
        return None
    effect = "up" if sign > 0 else "down"
    gain = "gain of function" in rel.assays
    lof = "loss of function" in rel.assays and not gain
    if rel.subject_type == "therapy":  # a drug is given, not knocked down
        return rel.subject, "activate", rel.object, effect
    if rel.subject_type == "mirna":
        if lof:
            return rel.subject, "inhibit", rel.object, _FLIP[effect]
        return rel.subject, "overexpress", rel.object, effect
    if gain:
        return rel.subject, "overexpress", rel.object, effect
    return rel.subject, "knockdown", rel.object, _FLIP[effect]


def review_claims(relations: Iterable[Any] | None = None) -> pd.DataFrame:
    """The review's perturbation outcomes as a table.

    Returns
    -------
    pandas.DataFrame
        ``node``, ``verb``, ``perturbation``, ``cancer``, ``readout``, ``reported``,
        ``relation``, ``refs`` (sorted), ``ids``, ``flags`` (union), one row per distinct
        outcome. ``DataFrame.attrs["skipped"]`` counts relations that are no outcome.
    """
    if relations is None:
        from mirscope.kb import load_review_relations

        relations = load_review_relations()
    merged: dict[tuple[str, str, str | None, str, str], dict[str, Any]] = {}
    skipped = 0
    for rel in relations:
        plan = _plan(rel)
        if plan is None:
            skipped += 1
            continue
        node, verb, readout, reported = plan
        key = (node, verb, rel.cancer, readout, reported)
        row = merged.setdefault(
            key,
            {
                "node": node,
                "verb": verb,
                "perturbation": f"{node}={verb}",
                "cancer": rel.cancer,
                "readout": readout,
                "reported": reported,
                "relation": set(),
                "refs": set(),
                "ids": [],
                "flags": set(),
            },
        )
        row["relation"].add(rel.relation)
        row["refs"].update(int(x) for x in rel.refs)
        row["ids"].append(rel.id)
        row["flags"].update(rel.flags)
    rows = []
    for row in merged.values():
        row = dict(row)
        row["relation"] = ",".join(sorted(row["relation"]))
        row["refs"] = sorted(row["refs"])
        row["flags"] = sorted(row["flags"])
        rows.append(row)
    df = pd.DataFrame(
        rows,
        columns=[
            "node",
            "verb",
            "perturbation",
            "cancer",
            "readout",
            "reported",
            "relation",
            "refs",
            "ids",
            "flags",
        ],
    )
    df = df.sort_values(["cancer", "perturbation", "readout"], na_position="first", kind="stable")
    df = df.reset_index(drop=True)
    df.attrs["skipped"] = skipped
    return df


def _excluded(flags: Sequence[str]) -> list[str]:
    from mirscope.simulate.graph import EXCLUDED_FLAGS

    return [f for f in flags if f in EXCLUDED_FLAGS]


def _signed_graph(model: Model) -> nx.MultiDiGraph:
    """The model's influence structure: regulatory inputs plus binding (sign -1)."""
    h = nx.MultiDiGraph()
    h.add_nodes_from(model.nodes)
    for name, spec in model.nodes.items():
        for e in spec.inputs:
            h.add_edge(e.source, name, sign=e.sign, rel=e.relation)
        for mir in spec.binds:
            if spec.is_protein:
                h.add_edge(mir, name, sign=-1, rel="targets")
            else:
                h.add_edge(name, mir, sign=-1, rel="sponges")
    return h


def _bound_share(model: Model, node: str, mirna: str) -> float | None:
    """Share of the miRNA bound to ``node`` at baseline (None if it does not bind it)."""
    spec = model.nodes.get(node)
    if spec is None or mirna not in spec.binds:
        return None
    amounts = model.baseline_amounts()
    ms = model.nodes[mirna].sid
    total = sum(v for k, v in amounts.items() if k.startswith("C_") and k.endswith(f"__{ms}"))
    own = amounts.get(f"C_{spec.sid}__{ms}", 0.0)
    return own / total if total > 0 else None


def explain(
    model: Model,
    node: str,
    verb: str,
    readout: str,
    predicted: str,
    reported: str,
    log2fc: float,
    *,
    without_direct: bool = False,
) -> str:
    """A one-line reason for a disagreement, from the signed paths node -> readout.

    ``without_direct`` drops the direct links between the two (hold-out validation).
    """
    h = _signed_graph(model)
    if without_direct:
        for a, b in ((node, readout), (readout, node)):
            while h.has_edge(a, b):
                h.remove_edge(a, b)
    perturb_sign = 1 if verb in ("overexpress", "activate", "demethylate") else -1
    if node == readout:
        return (
            f"the readout is the perturbed node itself; ceRNA feedback sets it "
            f"(log2fc {log2fc:+.3f})"
        )
    paths: list[tuple[int, str]] = []
    try:
        for nodes in itertools.islice(nx.all_simple_paths(h, node, readout, cutoff=5), 200):
            for combo in itertools.product(
                *[list(h.get_edge_data(u, v).values()) for u, v in itertools.pairwise(nodes)]
            ):
                s = 1
                text = nodes[0]
                for d, n in zip(combo, nodes[1:], strict=True):
                    s *= d["sign"]
                    text += f" {'->' if d['sign'] > 0 else '-|'} {n}"
                paths.append((s, text))
    except nx.NodeNotFound:
        pass
    if not paths:
        extra = " once the direct link is removed" if without_direct else ""
        return f"no directed path from {node} to {readout} in the model network{extra}"
    want = 1 if reported == "up" else -1
    agreeing = [t for s, t in paths if s * perturb_sign == want]
    opposing = [t for s, t in paths if s * perturb_sign != want]
    if predicted == "none":
        base = f"|log2fc| = {abs(log2fc):.3f} below the threshold"
        share = _bound_share(model, node, readout)
        if share is not None:
            n_binders = sum(1 for s in model.nodes.values() if readout in s.binds)
            return (
                f"{base}: ceRNA titration is weak here, {node} holds {share:.1%} of the "
                f"bound {readout} among {n_binders} binding RNAs of this network, so its "
                f"loss frees little miRNA"
            )
        if agreeing and opposing:
            return f"{base}: paths of opposite sign cancel (e.g. {opposing[0]})"
        return f"{base}: the effect is diluted along {len(paths)} path(s) (e.g. {paths[0][1]})"
    if opposing and not agreeing:
        return f"every path has the opposite sign, e.g. {min(opposing, key=len)}"
    if opposing:
        return (
            f"{len(opposing)} opposing path(s) outweigh {len(agreeing)} agreeing one(s); "
            f"strongest opposing e.g. {min(opposing, key=len)}"
        )
    return "paths agree in sign but ceRNA feedback reverses the net effect"


@dataclass
class ValidationResult:
    """Agreement of the model with the review's perturbation outcomes.

    Attributes
    ----------
    table
        One row per outcome (columns :data:`VALIDATION_COLUMNS`).
    n_total, n_agree, agreement
        Outcomes compared, outcomes the model reproduces, and their fraction.
    skipped
        Relations that are no perturbation outcome (see the module docstring).
    untestable
        Hold-out only: outcomes left out of the score because no other path leads from the
        perturbed node to the readout once their direct link is removed (the model cannot
        predict them from the rest of the network).
    """

    table: pd.DataFrame
    skipped: int = 0
    threshold: float = 0.05
    holdout: bool = False
    models: dict[str | None, str] = field(default_factory=dict, repr=False)
    untestable: int = 0

    @property
    def n_total(self) -> int:
        return len(self.table)

    @property
    def n_agree(self) -> int:
        return int(self.table["agree"].sum()) if len(self.table) else 0

    @property
    def agreement(self) -> float:
        return self.n_agree / self.n_total if self.n_total else float("nan")

    @property
    def disagreements(self) -> pd.DataFrame:
        """Rows the model does not reproduce, with their reason."""
        return self.table[~self.table["agree"]].reset_index(drop=True)

    def unflagged_agreement(self) -> tuple[int, int]:
        """(agree, total) over outcomes without a curation flag."""
        t = self.table[self.table["flags"].map(len) == 0]
        return int(t["agree"].sum()), len(t)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary with every row."""
        ok, tot = self.unflagged_agreement()
        return {
            "n_total": self.n_total,
            "n_agree": self.n_agree,
            "agreement": self.agreement,
            "holdout": self.holdout,
            "untestable": self.untestable,
            "unflagged": {"n_total": tot, "n_agree": ok},
            "skipped_relations": self.skipped,
            "direction_threshold": self.threshold,
            "rows": [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
                for row in self.table.to_dict(orient="records")
            ],
        }


def validate_against_review(
    relations: Iterable[Any] | None = None,
    *,
    model_factory: Callable[[str | None], Model] | None = None,
    cancers: Sequence[str | None] | None = None,
    holdout: bool = False,
) -> ValidationResult:
    """Run the model on every perturbation outcome the review reports.

    Parameters
    ----------
    relations
        Knowledge-base relations (default: the curated review).
    model_factory
        ``cancer -> Model`` (default: :func:`~mirscope.simulate.build_model` with the
        defaults, one model per cancer, the pan-cancer model for claims without one).
    cancers
        Only check claims of these cancers (None in the list: pan-cancer claims).
    holdout
        Remove every direct link between the perturbed node and the readout (regulatory
        edges and miRNA binding, both directions) before predicting, so the outcome must
        follow from the rest of the network (its reference state is recomputed without
        the link). Outcomes whose readout is the perturbed node are not applicable.

    Returns
    -------
    ValidationResult
    """
    if relations is None:
        from mirscope.kb import load_review_relations

        relations = load_review_relations()
    relations = list(relations)
    claims = review_claims(relations)
    if cancers is not None:
        from mirscope.simulate.model import _normalize_cancer

        cancers = [None if c is None else _normalize_cancer(c) for c in cancers]
        claims = claims[
            claims["cancer"].isin(list(cancers)) | (claims["cancer"].isna() & (None in cancers))
        ].reset_index(drop=True)
    if model_factory is None:
        from mirscope.simulate.model import build_model

        def model_factory(cancer: str | None) -> Model:
            return build_model(cancer, relations=relations)

    models: dict[str | None, Model | MirscopeError] = {}
    paths: dict[int, nx.MultiDiGraph] = {}
    rows = []
    cache: dict[tuple[str | None, str, str], tuple[dict[str, float], str]] = {}
    threshold = 0.05
    for claim in claims.to_dict(orient="records"):
        cancer = claim["cancer"] if isinstance(claim["cancer"], str) else None
        if cancer not in models:
            try:
                models[cancer] = model_factory(cancer)
            except MirscopeError as err:
                models[cancer] = err
        model = models[cancer]
        row = {
            k: claim[k]
            for k in ("perturbation", "readout", "reported", "relation", "refs", "ids", "flags")
        }
        row["cancer"] = cancer
        if isinstance(model, MirscopeError):
            why = f"model could not be built: {model}"
            if _excluded(claim["flags"]):
                why = (
                    f"every relation of this cancer is flagged "
                    f"{'/'.join(_excluded(claim['flags']))} and left out of the model; {why}"
                )
            row.update(predicted="error", log2fc=float("nan"), agree=False, reason=why)
            rows.append(row)
            continue
        threshold = model.params.direction_threshold
        missing = [n for n in (claim["node"], claim["readout"]) if n not in model.nodes]
        if missing:
            why = f"{', '.join(missing)} not in the model network"
            if _excluded(claim["flags"]):
                why += (
                    f" (it is named only by relations flagged "
                    f"{'/'.join(_excluded(claim['flags']))}, which the model leaves out)"
                )
            row.update(predicted="absent", log2fc=float("nan"), agree=False, reason=why)
            rows.append(row)
            continue
        if holdout and claim["node"] == claim["readout"]:
            row.update(
                predicted="n/a",
                log2fc=float("nan"),
                agree=False,
                reason="hold-out not applicable: the readout is the perturbed node",
            )
            rows.append(row)
            continue
        if holdout and not _other_path(model, claim["node"], claim["readout"], paths):
            row.update(
                predicted="untestable",
                log2fc=float("nan"),
                agree=False,
                reason="hold-out: no other path from the perturbed node to the readout once "
                "their direct link is removed",
            )
            rows.append(row)
            continue
        cut = model.edge_parameters(claim["node"], claim["readout"]) if holdout else {}
        key = (cancer, claim["node"], claim["verb"], tuple(sorted(cut)))
        if key not in cache:
            pert = Perturbation(claim["node"], claim["verb"], 1.0)
            try:
                values = model.steady_state_values(
                    {**cut, **perturbation_parameters(model, pert)}, what=str(pert)
                )
                if cut:
                    ref = model.steady_state_values(cut, what="the network without the edge")
                    eps = model.params.epsilon
                    l2 = {n: math.log2((values[n] + eps) / (ref[n] + eps)) for n in ref}
                else:
                    l2 = log2_fold_changes(model, values)
                cache[key] = (l2, "")
            except MirscopeError as err:
                cache[key] = ({}, str(err))
        l2map, err = cache[key]
        if err:
            row.update(predicted="error", log2fc=float("nan"), agree=False, reason=err)
            rows.append(row)
            continue
        l2 = l2map[claim["readout"]]
        predicted = "up" if l2 >= threshold else "down" if l2 <= -threshold else "none"
        agree = predicted == claim["reported"]
        reason = ""
        if not agree:
            reason = explain(
                model,
                claim["node"],
                claim["verb"],
                claim["readout"],
                predicted,
                claim["reported"],
                l2,
                without_direct=holdout,
            )
            if "contradictory" in claim["flags"]:
                reason = (
                    "the review reports contradictory findings for this relation "
                    "(curation flag 'contradictory'; left out of the model); " + reason
                )
            elif "garbled" in claim["flags"]:
                reason = (
                    "the review's sentence is garbled (curation flag 'garbled'; left "
                    "out of the model); " + reason
                )
        row.update(predicted=predicted, log2fc=round(l2, 4), agree=agree, reason=reason)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))
    untestable = int((table["predicted"] == "untestable").sum())
    if holdout:
        table = table[~table["predicted"].isin(["n/a", "untestable"])].reset_index(drop=True)
    return ValidationResult(
        table=table,
        skipped=int(claims.attrs.get("skipped", 0)),
        threshold=threshold,
        holdout=holdout,
        models={c: repr(m) for c, m in models.items()},
        untestable=untestable,
    )


def _other_path(model: Model, node: str, readout: str, cache: dict[int, nx.MultiDiGraph]) -> bool:
    """A directed influence path from ``node`` to ``readout`` without their direct links."""
    h = cache.get(id(model))
    if h is None:
        h = cache[id(model)] = _signed_graph(model)
    g = nx.DiGraph(h)
    for u, v in ((node, readout), (readout, node)):
        if g.has_edge(u, v):
            g.remove_edge(u, v)
    return nx.has_path(g, node, readout)


def validation_summary(
    relations: Iterable[Any] | None = None,
    *,
    cancers: Sequence[str | None] | None = None,
    model_factory: Callable[[str | None], Model] | None = None,
) -> dict[str, Any]:
    """Headline (leave-one-edge-out) and in-sample agreement with the review, side by side.

    The headline is the hold-out agreement (:func:`validate_against_review` with
    ``holdout=True``) on the outcomes that have another path once the direct link is
    removed; the untestable outcomes are counted. The in-sample agreement (the model
    contains the very edges it is checked against) is reported beside it, labelled so.

    Returns
    -------
    dict
        ``holdout`` and ``in_sample`` (each ``n_agree``, ``n_total``, ``agreement``),
        ``untestable`` and ``text`` (one line for CLI, README and report).
    """
    rels = None if relations is None else list(relations)
    held = validate_against_review(
        rels, cancers=cancers, model_factory=model_factory, holdout=True
    )
    ins = validate_against_review(rels, cancers=cancers, model_factory=model_factory)

    def pct(r: ValidationResult) -> str:
        return f"{r.n_agree}/{r.n_total} = {r.agreement:.0%}" if r.n_total else "0/0"

    text = (
        f"Leave-one-edge-out agreement: {pct(held)} of the review's reported perturbation "
        f"outcomes that have another path ({held.untestable} untestable: no other path once "
        f"the direct link is removed). In-sample (the model contains the edges it is checked "
        f"against): {pct(ins)}."
    )
    return {
        "holdout": {"n_agree": held.n_agree, "n_total": held.n_total, "agreement": held.agreement},
        "in_sample": {"n_agree": ins.n_agree, "n_total": ins.n_total, "agreement": ins.agreement},
        "untestable": held.untestable,
        "text": text,
        "holdout_result": held,
        "in_sample_result": ins,
    }
