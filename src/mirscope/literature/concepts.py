"""Mentions of phenotypes, pathways, therapies and promoter methylation in abstracts.

Dictionary lookup over the vocabularies of :mod:`mirscope.names` (phenotype, pathway and
therapy synonyms), so the names found are the knowledge base's canonical names. Names that
are also gene symbols (``AKT``, ``ERK``, ``STAT3``, ``mTOR``) count as pathways only with a
pathway word ("signalling", "pathway", "activation", "phosphorylation") or as a phospho-form
of AKT/ERK (``p-AKT``). Extra spellings live in ``rules/concepts.yaml``.

Examples
--------
>>> [(m.kind, m.name) for m in find_concepts(
...     "miR-21 promoted cell proliferation and invasion via the PI3K/AKT pathway.")]
[('phenotype', 'proliferation'), ('phenotype', 'invasion'), ('pathway', 'PI3K/Akt')]
>>> [(m.kind, m.name) for m in find_concepts("It sensitized cells to cisplatin (DDP).")]
[('therapy', 'cisplatin'), ('therapy', 'cisplatin')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

from mirscope import names
from mirscope.errors import UnknownNameError
from mirscope.literature.mentions import Mention, normalize_text

__all__ = ["ConceptKind", "find_concepts"]

ConceptKind = Literal["phenotype", "pathway", "therapy", "other"]

_PATHWAY_TAIL = (
    r"(?:[\s-]+(?:signal(?:l)?ing|pathways?|cascades?|axis|activation|activity|"
    r"phosphorylation))+"
)


@lru_cache(maxsize=1)
def _table() -> dict[str, object]:
    text = resources.files("mirscope.literature").joinpath("rules/concepts.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _alt(words: list[str]) -> str:
    uniq = sorted({normalize_text(w) for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?") for w in uniq)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[ConceptKind, re.Pattern[str], bool]]:
    """(kind, pattern, needs_tail) in priority order."""
    from mirscope._names_data import PATHWAY_SYNONYMS, PHENOTYPE_SYNONYMS, THERAPY_SYNONYMS

    t = _table()
    skip = {s.lower() for s in t["skip"]}  # type: ignore[union-attr]
    out: list[tuple[ConceptKind, re.Pattern[str], bool]] = []
    # pathways: names that are genes need a pathway word; others may stand alone
    pw_words: list[str] = []
    for canon, syns in PATHWAY_SYNONYMS.items():
        pw_words += [canon, *syns]
    pw_words += list(t["pathway_extra"])  # type: ignore[arg-type]
    gene_like = [
        w for w in pw_words if names.try_normalize_gene(w) is not None and w.lower() not in skip
    ]
    free = [w for w in pw_words if w not in gene_like and w.lower() not in skip]
    bound = r"(?<![\w-])"
    end = r"(?![\w-])"
    out.append(
        (
            "pathway",
            re.compile(rf"{bound}(?:p-|phospho-?|phosphorylated\s+)(?:AKT|Akt|ERK1/2|ERK)(?![\w])"),
            False,
        )
    )
    out.append(
        (
            "pathway",
            re.compile(
                rf"{bound}(?:constitutive\s+)?(?:phosphorylation|activation)\s+of\s+(?:AKT|Akt|ERK1/2|ERK)(?![\w])"
            ),
            False,
        )
    )
    out.append(
        (
            "pathway",
            re.compile(rf"{bound}(?:{_alt(gene_like + free)}){_PATHWAY_TAIL}{end}", re.I),
            True,
        )
    )
    out.append(("pathway", re.compile(rf"{bound}(?:{_alt(free)}){end}", re.I), False))
    ph_words: list[str] = []
    for canon, syns in PHENOTYPE_SYNONYMS.items():
        ph_words += [canon, *syns]
    ph_words += list(t["phenotype_extra"])  # type: ignore[arg-type]
    ph_words = [w for w in ph_words if w.lower() not in skip]
    out.append(
        (
            "phenotype",
            re.compile(rf"{bound}(?:(?:cell(?:ular)?)\s+)?(?:{_alt(ph_words)}){end}", re.I),
            False,
        )
    )
    th_words: list[str] = []
    for canon, syns in THERAPY_SYNONYMS.items():
        th_words += [canon, *syns]
    th_words += list(t["therapy_extra"])  # type: ignore[arg-type]
    th_words = [w for w in th_words if w.lower() not in skip]
    caps = [w for w in th_words if w.isupper() or re.fullmatch(r"[A-Z0-9-]+", w)]
    lower = [w for w in th_words if w not in caps]
    out.append(("therapy", re.compile(rf"{bound}(?:{_alt(caps)}){end}"), False))
    out.append(("therapy", re.compile(rf"{bound}(?:{_alt(lower)}){end}", re.I), False))
    out.append(
        (
            "other",
            re.compile(
                rf"{bound}(?:(?:CpG\s+island\s+|promoter\s+|aberrant\s+)?(?:hyper-?)?methylation(?:\s+of\s+(?:the\s+|its\s+)?promoter)?){end}",
                re.I,
            ),
            False,
        )
    )
    return out


def _name(kind: ConceptKind, text: str) -> str | None:
    t = re.sub(r"\s+", " ", text.strip())
    if kind == "pathway":
        if re.match(
            r"(?:p-|phospho|phosphorylat|constitutive|activation\s+of)", t, re.I
        ) or re.match(r"(?:AKT|Akt)\s+(?:activation|phosphorylation|activity)", t):
            return "MAPK/ERK" if "ERK" in t else "PI3K/Akt"
        base = re.sub(_PATHWAY_TAIL + "$", "", t, flags=re.I) or t
        extra = _table()["pathway_map"]  # type: ignore[index]
        for cand in (t, base):
            hit = extra.get(cand) or extra.get(cand.upper())  # type: ignore[union-attr]
            if hit:
                return str(hit)
            try:
                return names.normalize_pathway(cand)
            except UnknownNameError:
                continue
        return base
    if kind == "phenotype":
        extra = _table()["phenotype_map"]  # type: ignore[index]
        low = re.sub(r"^(?:cell(?:ular)?|cancer cell|tumou?r cell)\s+", "", t.lower())
        if low in extra:  # type: ignore[operator]
            return str(extra[low])  # type: ignore[index]
        try:
            return names.normalize_phenotype(t)
        except UnknownNameError:
            return low
    if kind == "therapy":
        try:
            return names.normalize_therapy(t)
        except UnknownNameError:
            return t.lower()
    return "promoter methylation"


def find_concepts(text: str) -> list[Mention]:
    """Phenotype, pathway, therapy and promoter-methylation mentions, sorted, without overlaps.

    ``Mention.kind`` is ``"phenotype"``, ``"pathway"``, ``"therapy"`` or ``"other"``
    (promoter methylation); ``Mention.name`` the canonical name.
    """
    text = normalize_text(text)
    found: list[Mention] = []
    for kind, pat, _ in _patterns():
        for m in pat.finditer(text):
            if any(not (m.end() <= f.start or m.start() >= f.end) for f in found):
                continue
            nm = _name(kind, m.group(0))
            if nm:
                found.append(Mention(m.start(), m.end(), m.group(0), kind, nm))  # type: ignore[arg-type]
    return sorted(found, key=lambda x: x.start)
