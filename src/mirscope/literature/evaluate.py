"""Evaluation of the relation extractor: the SCAI miRNA corpus and annotated dev sets.

Two measurements:

- :func:`evaluate_scai`: the SCAI miRNA corpus (training part, shipped in
  ``mirscope/data/scai``). Gold = document-level (PMID, miRNA, gene) triples from
  ``Specific_miRNAs-Genes/Proteins`` pairs labelled ``interaction="True"``, names
  normalised with :mod:`mirscope.names` (names that do not normalise stay as their lowercased
  text, so they count as misses). Predicted = the extractor's ``targets`` relations
  (the corpus labels any miRNA-gene association, so recall is bounded by what is typed).
- :func:`evaluate_devset`: a JSONL file of abstracts with a ``relations`` list of
  ``{"mirna", "partner", "relation"}``; typed ``targets``/``sponges`` of one miRNA family.

Examples
--------
>>> r = EvaluationResult(tp=8, fp=2, fn=2)
>>> round(r.precision, 2), round(r.recall, 2), round(r.f1, 2)
(0.8, 0.8, 0.8)
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from mirscope import names
from mirscope.errors import FileFormatError, InputError, UnknownNameError
from mirscope.literature.extract import extract_relations

__all__ = [
    "EvaluationResult",
    "ScaiDocument",
    "evaluate_devset",
    "evaluate_review",
    "evaluate_scai",
    "load_scai",
]

_SCAI_FILE = "scai-miRNA-Train-Corpus.xml.gz"


@dataclass
class EvaluationResult:
    """Counts and metrics of one evaluation, with the disagreements for inspection."""

    tp: int
    fp: int
    fn: int
    n_documents: int = 0
    name: str = ""
    false_positives: list[tuple[str, ...]] = field(default_factory=list)
    false_negatives: list[tuple[str, ...]] = field(default_factory=list)
    by_relation: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0 when there is no gold relation."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def summary(self) -> pd.DataFrame:
        """One row per relation type (plus ``all``): tp, fp, fn, precision, recall, f1."""
        rows = []
        for rel, (tp, fp, fn) in {**self.by_relation, "all": (self.tp, self.fp, self.fn)}.items():
            sub = EvaluationResult(tp, fp, fn)
            rows.append(
                {
                    "relation": rel,
                    "tp": tp,
                    "fp": fp,
                    "fn": fn,
                    "precision": round(sub.precision, 3),
                    "recall": round(sub.recall, 3),
                    "f1": round(sub.f1, 3),
                }
            )
        return pd.DataFrame(rows).set_index("relation")


# ---------------------------------------------------------------------------
# SCAI corpus
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ScaiDocument:
    """One SCAI abstract: PMID, sentences in original order and gold miRNA-gene pairs."""

    pmid: str
    sentences: tuple[str, ...]
    gold_pairs: tuple[tuple[str, str], ...]  # (miRNA text, gene text) labelled True
    negative_pairs: tuple[tuple[str, str], ...] = ()


def _read_scai_bytes(path: str | Path | None) -> tuple[bytes, str]:
    if path is None:
        ref = resources.files("mirscope.data.scai").joinpath(_SCAI_FILE)
        return gzip.decompress(ref.read_bytes()), f"mirscope/data/scai/{_SCAI_FILE}"
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"corpus file {str(p)!r} does not exist; omit --corpus to use the shipped SCAI corpus"
        )
    raw = p.read_bytes()
    return (gzip.decompress(raw) if p.suffix == ".gz" else raw), str(p)


def load_scai(path: str | Path | None = None) -> list[ScaiDocument]:
    """Parse the SCAI miRNA corpus XML (default: the shipped training part).

    Raises
    ------
    FileFormatError
        The file is not well-formed XML or not a SCAI ``<corpus>`` of ``<document>`` s.
    """
    data, source = _read_scai_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise FileFormatError(source, f"malformed corpus XML: {err}", line=err.position[0]) from err
    if root.tag != "corpus" or root.find("document") is None:
        raise FileFormatError(
            source, f"expected a SCAI <corpus> with <document> elements, got <{root.tag}>"
        )
    docs = []
    for d in root.findall("document"):
        sents = []
        gold: list[tuple[str, str]] = []
        neg: list[tuple[str, str]] = []
        for s in d.findall("sentence"):
            orig = s.get("origId", "")
            m = re.search(r"\.s(\d+)$", orig)
            sents.append((int(m.group(1)) if m else len(sents), s.get("text", "")))
            ents = {e.get("id"): e for e in s.findall("entity")}
            for p in s.findall("pair"):
                if p.get("type") != "Specific_miRNAs-Genes/Proteins":
                    continue
                e1, e2 = ents.get(p.get("e1")), ents.get(p.get("e2"))
                if e1 is None or e2 is None:
                    continue
                if e1.get("type") != "Specific_miRNAs":
                    e1, e2 = e2, e1
                pair = (e1.get("text", ""), e2.get("text", ""))
                (gold if p.get("interaction") == "True" else neg).append(pair)
        sents.sort()
        docs.append(
            ScaiDocument(
                pmid=d.get("origId") or d.get("id", ""),
                sentences=tuple(t.strip() for _, t in sents),
                gold_pairs=tuple(gold),
                negative_pairs=tuple(neg),
            )
        )
    return docs


def _norm_mirna(text: str) -> str:
    from mirscope.literature.mentions import find_mentions

    ms = [m for m in find_mentions(text) if m.kind == "mirna"]
    return ms[0].name if ms else "raw:" + text.lower()


def _norm_gene(text: str) -> str:
    t = re.sub(r"\s+(?:mRNA|protein|gene)s?$", "", text.strip())
    try:
        return names.normalize_gene(t)
    except UnknownNameError:
        return "raw:" + text.lower()


def evaluate_scai(
    path: str | Path | None = None,
    *,
    min_confidence: float = 0.5,
    relations: Sequence[str] = ("targets",),
) -> EvaluationResult:
    """Precision/recall of miRNA-gene relations on the SCAI corpus (document level).

    Predicted = the extractor's miRNA-gene relations of the types in ``relations``
    (default typed ``targets``; SCAI also links indirect regulation, so
    ``("targets", "inhibits", "activates")`` is the closer match to its labels).

    Examples
    --------
    >>> r = evaluate_scai()  # doctest: +SKIP
    >>> r.summary  # doctest: +SKIP
    """
    docs = load_scai(path)
    tp = fp = fn = 0
    fps: list[tuple[str, ...]] = []
    fns: list[tuple[str, ...]] = []
    for d in docs:
        gold = {(_norm_mirna(a), _norm_gene(b)) for a, b in d.gold_pairs}
        title = d.sentences[0] if d.sentences else ""
        rels = extract_relations(
            {"pmid": d.pmid, "title": title, "abstract": " ".join(d.sentences[1:])},
            min_confidence=min_confidence,
        )
        pred = {
            (r.mirna, r.partner)
            for r in rels
            if r.relation in relations and r.partner_type == "gene"
        }
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        fps += [(d.pmid, *x) for x in sorted(pred - gold)]
        fns += [(d.pmid, *x) for x in sorted(gold - pred)]
    return EvaluationResult(
        tp,
        fp,
        fn,
        len(docs),
        f"SCAI miRNA corpus (train), miRNA-gene ({', '.join(relations)})",
        fps,
        fns,
        {"miRNA-gene": (tp, fp, fn)},
    )


# ---------------------------------------------------------------------------
# Annotated dev set (JSONL with gold relations)
# ---------------------------------------------------------------------------
def _family(mirna: str) -> str:
    try:
        return names.normalize_mirna(mirna).family
    except UnknownNameError:
        return mirna


def _load_devset(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"dev set {str(p)!r} does not exist; give a JSONL file with 'relations'")
    out = []
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            if (
                not isinstance(d, dict)
                or "pmid" not in d
                or not isinstance(d.get("relations"), list)
            ):
                raise ValueError(
                    'each line needs "pmid", "title", "abstract" and a "relations" list'
                )
            for r in d["relations"]:
                if not {"mirna", "partner", "relation"} <= set(r):
                    raise ValueError('each relation needs "mirna", "partner" and "relation"')
        except ValueError as exc:
            raise FileFormatError(p, f"bad annotated line: {exc}", line=lineno) from exc
        out.append(d)
    return out


def evaluate_devset(
    path: str | Path,
    *,
    family: str = "miR-124",
    relations: Sequence[str] = ("targets", "sponges"),
    min_confidence: float = 0.5,
) -> EvaluationResult:
    """Typed precision/recall on an annotated JSONL dev set for one miRNA family.

    Gold and predicted items are (pmid, miRNA, partner, relation) with the miRNA in
    ``family`` and the relation in ``relations``.

    Raises
    ------
    FileFormatError
        A line is not valid JSON or lacks ``relations`` (the message gives the line).
    """
    docs = _load_devset(path)
    fam = _family(family)
    gold: set[tuple[str, ...]] = set()
    pred: set[tuple[str, ...]] = set()
    for d in docs:
        pmid = str(d["pmid"])
        for r in d["relations"]:
            if r["relation"] in relations and _family(r["mirna"]) == fam:
                gold.add((pmid, r["mirna"], r["partner"], r["relation"]))
        for r in extract_relations(d, min_confidence=min_confidence):
            if r.relation in relations and _family(r.mirna) == fam:
                pred.add((pmid, r.mirna, r.partner, r.relation))
    by_rel = {}
    for rel in relations:
        g = {x for x in gold if x[3] == rel}
        p = {x for x in pred if x[3] == rel}
        by_rel[rel] = (len(g & p), len(p - g), len(g - p))
    return EvaluationResult(
        len(gold & pred),
        len(pred - gold),
        len(gold - pred),
        len(docs),
        f"{Path(path).name}: typed {', '.join(relations)} of {fam}",
        sorted(pred - gold),
        sorted(gold - pred),
        by_rel,
    )


# ---------------------------------------------------------------------------
# The shipped review against its own curated relations
# ---------------------------------------------------------------------------
def evaluate_review(
    *, family: str = "miR-124", min_confidence: float = 0.5, kb_url: str = "sqlite://"
) -> EvaluationResult:
    """Typed ``targets``/``sponges`` read from the shipped miR-124 review text, scored
    against the relations curated by hand from the same review (``source="review"`` in a
    freshly built knowledge base). Real prose, written by others; set-level comparison.
    """
    from mirscope.kb import open_store, review_text

    fam = _family(family)
    text = review_text().replace("\n", " ")
    pred: set[tuple[str, ...]] = set()
    for r in extract_relations({"pmid": "review", "abstract": text}, min_confidence=min_confidence):
        if r.relation in ("targets", "sponges") and _family(r.mirna) == fam:
            pred.add((r.relation, r.partner))
    gold: set[tuple[str, ...]] = set()
    with open_store(kb_url) as kb:
        for r in kb.query(mirna=family, source="review"):
            if r.relation == "targets" and r.object_type == "gene":
                gold.add(("targets", r.object))
            elif r.relation == "sponges" and r.subject_type in ("lncrna", "circrna"):
                gold.add(("sponges", r.subject))
    by_rel = {}
    for rel in ("targets", "sponges"):
        g = {x for x in gold if x[0] == rel}
        p = {x for x in pred if x[0] == rel}
        by_rel[rel] = (len(g & p), len(p - g), len(g - p))
    return EvaluationResult(
        len(gold & pred),
        len(pred - gold),
        len(gold - pred),
        1,
        f"shipped review vs its curated {fam} targets/sponges",
        sorted(pred - gold),
        sorted(gold - pred),
        by_rel,
    )


# ---------------------------------------------------------------------------
# Real-text corpus (tests/data/literature/realtext, labelled by GUIDELINES.md)
# ---------------------------------------------------------------------------
#: Relation types scored on the real-text corpus (all with a miRNA end).
REALTEXT_RELATIONS: tuple[str, ...] = (
    "targets",
    "sponges",
    "silences",
    "activates",
    "inhibits",
    "regulates_pathway",
    "affects_phenotype",
    "sensitizes_to",
    "expression_change",
    "prognostic",
    "diagnostic",
)
REALTEXT_SPLITS: tuple[str, ...] = ("dev", "test")


def realtext_path(split: str) -> Path:
    """The JSONL file of a split of the real-text corpus in a source checkout.

    Raises
    ------
    InputError
        Unknown split, or the corpus is not there (an installed package does not ship it).
    """
    if split not in REALTEXT_SPLITS:
        raise InputError(f"unknown real-text split {split!r}; use one of {list(REALTEXT_SPLITS)}")
    rel = Path("tests") / "data" / "literature" / "realtext" / f"{split}.jsonl"
    for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
        if (root / rel).exists():
            return root / rel
    raise InputError(
        f"real-text corpus {str(rel)!r} not found; run from a mirscope source checkout "
        "or pass the file with --corpus"
    )


def evaluate_realtext(
    path: str | Path,
    *,
    min_confidence: float = 0.5,
    relations: Sequence[str] = REALTEXT_RELATIONS,
) -> EvaluationResult:
    """Typed precision/recall of every relation type on an annotated real-text JSONL file.

    Gold = the file's relations that are neither negated nor hedged, as (pmid, miRNA,
    partner, relation); predicted = the extractor's relations at ``min_confidence`` (hedged
    ones fall below it at the default). A prediction matching a negated or hedged gold
    record counts as a false positive: it states as fact what the abstract does not.
    ``by_relation`` holds every type plus ``targets+sponges miR-124`` and
    ``targets+sponges other miRNAs``; the totals are over all types.

    Raises
    ------
    FileFormatError
        A line is not valid JSON or lacks ``relations`` (the message gives the line).
    """
    docs = _load_devset(path)
    fam124 = _family("miR-124")
    gold: set[tuple[str, ...]] = set()
    pred: set[tuple[str, ...]] = set()
    for d in docs:
        pmid = str(d["pmid"])
        for r in d["relations"]:
            if r["relation"] in relations and not r.get("negated") and not r.get("hedged"):
                gold.add((pmid, r["mirna"], r["partner"], r["relation"]))
        for x in extract_relations(d, min_confidence=min_confidence):
            if x.relation in relations:
                pred.add((pmid, x.mirna, x.partner, x.relation))

    def counts(keep: Any) -> tuple[int, int, int]:
        g = {x for x in gold if keep(x)}
        p = {x for x in pred if keep(x)}
        return len(g & p), len(p - g), len(g - p)

    by_rel: dict[str, tuple[int, int, int]] = {}
    for rel in relations:
        by_rel[rel] = counts(lambda x, rel=rel: x[3] == rel)
    ts = ("targets", "sponges")
    by_rel["targets+sponges miR-124"] = counts(lambda x: x[3] in ts and _family(x[1]) == fam124)
    by_rel["targets+sponges other miRNAs"] = counts(
        lambda x: x[3] in ts and _family(x[1]) != fam124
    )
    return EvaluationResult(
        len(gold & pred),
        len(pred - gold),
        len(gold - pred),
        len(docs),
        f"{Path(path).name}: every relation type with a miRNA end",
        sorted(pred - gold),
        sorted(gold - pred),
        by_rel,
    )
