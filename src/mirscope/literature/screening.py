"""Screening of PubMed records with transparent rules, and a PRISMA-style flow.

Every record goes through the same rules, each giving a named reason:

1. duplicates (same PMID, or same normalised title) are removed;
2. *screening* (title/abstract): the record must mention the miRNA family (any spelling)
   and cancer (a cancer type, a cancer word or a ``Neoplasms`` MeSH heading);
3. *eligibility*: primary studies only: reviews, meta-analyses, editorials, comments,
   letters, errata and retracted publications are excluded by publication type or title
   wording, and records without an abstract are excluded;
4. *inclusion*: the relevance score (0-1, a weighted sum of the rule results) must reach
   ``min_score``.

Included records are categorised by cancer type (:func:`mirscope.names.normalize_cancer`)
and mechanism (target, sponge/ceRNA, methylation, therapy, biomarker).

Examples
--------
>>> from mirscope.literature.pubmed import PubMedRecord
>>> r = PubMedRecord("1", "miR-124 targets STAT3 in glioma", "Luciferase assays show...",
...                  publication_types=("Journal Article",))
>>> d = screen_record(r)
>>> d.included, d.cancers, d.mechanisms
(True, ('glioma',), ('target',))
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from mirscope import names
from mirscope.errors import InputError
from mirscope.literature.mentions import find_mentions, normalize_text
from mirscope.literature.pubmed import PubMedRecord

__all__ = [
    "MECHANISMS",
    "ScreeningDecision",
    "ScreeningResult",
    "plot_prisma",
    "screen",
    "screen_record",
]

Stage = Literal["duplicate", "screened_out", "ineligible", "below_score", "included"]
Mechanism = Literal["target", "sponge", "methylation", "therapy", "biomarker"]
MECHANISMS: tuple[str, ...] = ("target", "sponge", "methylation", "therapy", "biomarker")

_MECH_RULES: dict[str, re.Pattern[str]] = {
    "target": re.compile(
        r"\btarget(?:s|ed|ing)?\b|3'\s*-?\s*UTR|3'\s*-?\s*untranslated|luciferase|binding\s+sites?",
        re.I,
    ),
    "sponge": re.compile(
        r"\bspong\w*|ceRNA|competing\s+endogenous|competitively\s+bind\w*|lncRNA|circRNA|"
        r"long\s+non-?coding|circular\s+RNA|LINC\d+",
        re.I,
    ),
    "methylation": re.compile(r"methylat\w*|CpG|epigenetic\w*|DNMT\d|5-aza|demethylat\w*", re.I),
    "therapy": re.compile(
        r"chemo\w*|radio\w*|resistan\w*|sensitiv\w*|cisplatin|doxorubicin|paclitaxel|gemcitabine|"
        r"temozolomide|5-fluorouracil|5-FU|sorafenib|imatinib|tamoxifen|drug|therap\w*",
        re.I,
    ),
    "biomarker": re.compile(
        r"biomarker\w*|prognos\w*|diagnos\w*|survival|serum|plasma|circulating|exosom\w*|"
        r"ROC\b|area\s+under|AUC\b|hazard\s+ratio",
        re.I,
    ),
}
_CANCER_WORDS = re.compile(
    r"\b(?:cancers?|tumou?r\w*|carcinoma\w*|neoplas\w*|malignan\w*|oncogen\w*|metasta\w*|"
    r"leuka?emia\w*|lymphoma\w*|glioma\w*|glioblastoma\w*|sarcoma\w*|melanoma\w*|\w+blastoma\w*|"
    r"myeloma\w*)\b",
    re.I,
)
_NON_PRIMARY_TYPES = {
    "review": "review",
    "systematic review": "systematic review",
    "meta-analysis": "meta-analysis",
    "editorial": "editorial",
    "comment": "comment",
    "letter": "letter",
    "published erratum": "erratum",
    "retracted publication": "retracted publication",
    "retraction of publication": "retraction notice",
    "news": "news",
    "practice guideline": "guideline",
    "guideline": "guideline",
}
_NON_PRIMARY_TITLE = re.compile(
    r"\b(?:a\s+(?:systematic\s+|narrative\s+|comprehensive\s+|mini-?\s*)?review|review\s+of|"
    r"meta-?analysis|systematic\s+review|an\s+overview|state\s+of\s+the\s+art|perspectives?\s+on|"
    r"erratum|corrigendum|retraction)\b",
    re.I,
)


@dataclass(frozen=True)
class ScreeningDecision:
    """The outcome for one record: stage reached, reasons, score and categories."""

    pmid: str
    title: str
    stage: Stage
    reasons: tuple[str, ...]
    score: float
    about_mirna: bool
    about_cancer: bool
    primary: bool
    cancers: tuple[str, ...] = ()
    mechanisms: tuple[str, ...] = ()

    @property
    def included(self) -> bool:
        """True when the record passed every rule."""
        return self.stage == "included"


def _title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def screen_record(
    record: PubMedRecord, *, mirna: str = "miR-124", min_score: float = 0.5
) -> ScreeningDecision:
    """Apply the screening rules to one record (see the module docstring).

    The score adds 0.35 for the miRNA (0.1 more if it is in the title), 0.25 for cancer,
    0.2 for a primary study and 0.1 for at least one mechanism category; it is capped at 1.

    Raises
    ------
    UnknownNameError
        ``mirna`` is not a known miRNA.
    """
    family = names.normalize_mirna(mirna).family
    title = normalize_text(record.title)
    text = title + " " + normalize_text(record.abstract)
    title_mentions = find_mentions(title)
    mentions = title_mentions + find_mentions(normalize_text(record.abstract))
    fam_of = {}
    for m in mentions:
        if m.kind == "mirna" and m.name not in fam_of:
            fam_of[m.name] = names.normalize_mirna(m.name).family
    about_mirna = family in fam_of.values()
    in_title = any(m.kind == "mirna" and fam_of.get(m.name) == family for m in title_mentions)
    cancers = tuple(
        n
        for n, _ in Counter(m.name for m in mentions if m.kind == "cancer").most_common()
        if n != "cancer"
    )
    mesh_cancer = any(
        re.search(r"neoplasm|carcinoma|tumor|cancer|leukemia|lymphoma|glioma", h, re.I)
        for h in record.mesh
    )
    about_cancer = bool(cancers) or bool(_CANCER_WORDS.search(text)) or mesh_cancer
    ptypes = {p.lower() for p in record.publication_types}
    bad_types = sorted({v for k, v in _NON_PRIMARY_TYPES.items() if k in ptypes})
    title_hit = _NON_PRIMARY_TITLE.search(title)
    primary = not bad_types and title_hit is None
    mechanisms = tuple(k for k, pat in _MECH_RULES.items() if pat.search(text))
    score = min(
        1.0,
        0.35 * about_mirna
        + 0.1 * in_title
        + 0.25 * about_cancer
        + 0.2 * primary
        + 0.1 * bool(mechanisms),
    )
    reasons: list[str] = []
    if not about_mirna:
        reasons.append(f"does not mention {family}")
    if not about_cancer:
        reasons.append("not about cancer")
    if reasons:
        stage: Stage = "screened_out"
    else:
        if bad_types:
            reasons.append(f"not a primary study (publication type: {', '.join(bad_types)})")
        elif title_hit is not None:
            reasons.append(f"not a primary study (title says {title_hit.group(0)!r})")
        if not record.abstract.strip():
            reasons.append("no abstract")
        if reasons:
            stage = "ineligible"
        elif score < min_score:
            reasons.append(f"score {score:.2f} < {min_score}")
            stage = "below_score"
        else:
            stage = "included"
    return ScreeningDecision(
        pmid=record.pmid,
        title=record.title,
        stage=stage,
        reasons=tuple(reasons),
        score=round(score, 3),
        about_mirna=about_mirna,
        about_cancer=about_cancer,
        primary=primary,
        cancers=cancers,
        mechanisms=mechanisms,
    )


@dataclass
class ScreeningResult:
    """Decisions for all records and the PRISMA-style flow."""

    decisions: list[ScreeningDecision]
    n_identified: int
    mirna: str = "miR-124"
    duplicates: list[str] = field(default_factory=list)

    @property
    def included(self) -> list[ScreeningDecision]:
        """The included records."""
        return [d for d in self.decisions if d.included]

    @property
    def flow(self) -> pd.DataFrame:
        """PRISMA-style table: step, n, detail (exclusion reasons with counts)."""
        screened = [d for d in self.decisions if d.stage != "duplicate"]
        out1 = [d for d in screened if d.stage == "screened_out"]
        eligible_assessed = [d for d in screened if d.stage != "screened_out"]
        out2 = [d for d in eligible_assessed if d.stage in ("ineligible", "below_score")]
        included = self.included

        def reasons(ds: Sequence[ScreeningDecision]) -> str:
            c = Counter(r.split(" (")[0] for d in ds for r in d.reasons)
            return "; ".join(f"{k}: {v}" for k, v in c.most_common())

        rows = [
            ("identified", self.n_identified, "records from the search / input"),
            ("duplicates removed", len(self.duplicates), "same PMID or same title"),
            ("screened", len(screened), "titles and abstracts"),
            ("excluded at screening", len(out1), reasons(out1)),
            ("assessed for eligibility", len(eligible_assessed), "publication type, abstract"),
            ("excluded at eligibility", len(out2), reasons(out2)),
            ("eligible", len(eligible_assessed) - len(out2), ""),
            ("included", len(included), f"primary {self.mirna} cancer studies"),
        ]
        return pd.DataFrame(rows, columns=["step", "n", "detail"])

    @property
    def categories(self) -> pd.DataFrame:
        """Included records counted by cancer type x mechanism (``none`` when no category)."""
        rows = []
        for d in self.included:
            for c in d.cancers or ("unspecified",):
                for m in d.mechanisms or ("none",):
                    rows.append((c, m))
        if not rows:
            return pd.DataFrame(columns=list(MECHANISMS))
        df = pd.DataFrame(rows, columns=["cancer", "mechanism"])
        return pd.crosstab(df["cancer"], df["mechanism"])

    def to_frame(self) -> pd.DataFrame:
        """One row per record: pmid, stage, score, reasons, cancers, mechanisms, title."""
        return pd.DataFrame(
            [
                {
                    "pmid": d.pmid,
                    "stage": d.stage,
                    "score": d.score,
                    "reasons": "; ".join(d.reasons),
                    "cancers": ", ".join(d.cancers),
                    "mechanisms": ", ".join(d.mechanisms),
                    "title": d.title,
                }
                for d in self.decisions
            ]
        )


def screen(
    records: Iterable[PubMedRecord], *, mirna: str = "miR-124", min_score: float = 0.5
) -> ScreeningResult:
    """Screen records (duplicates first, then :func:`screen_record` for each).

    Raises
    ------
    InputError
        ``min_score`` outside [0, 1].
    EmptyResultError
        No record was given.
    """
    from mirscope.errors import EmptyResultError

    if not 0.0 <= min_score <= 1.0:
        raise InputError(f"min_score must be within [0, 1], got {min_score}")
    recs = list(records)
    if not recs:
        raise EmptyResultError(
            "no records to screen; run `mirscope literature search` first or give --input FILE"
        )
    seen_pmid: set[str] = set()
    seen_title: set[str] = set()
    decisions: list[ScreeningDecision] = []
    dups: list[str] = []
    for r in recs:
        tk = _title_key(r.title)
        if r.pmid in seen_pmid or (tk and tk in seen_title):
            dups.append(r.pmid)
            decisions.append(
                ScreeningDecision(
                    r.pmid, r.title, "duplicate", ("duplicate",), 0.0, False, False, False
                )
            )
            continue
        seen_pmid.add(r.pmid)
        if tk:
            seen_title.add(tk)
        decisions.append(screen_record(r, mirna=mirna, min_score=min_score))
    return ScreeningResult(decisions, len(recs), mirna, dups)


def plot_prisma(result: ScreeningResult, path: str | Path | None = None):  # type: ignore[no-untyped-def]
    """Draw the PRISMA-style flow diagram; save it to ``path`` if given; return the Figure.

    Examples
    --------
    >>> from mirscope.literature.pubmed import PubMedRecord
    >>> fig = plot_prisma(screen([PubMedRecord("1", "miR-124 in glioma", "x")]))
    >>> len(fig.axes)
    1
    """
    from matplotlib.figure import Figure

    flow = result.flow.set_index("step")
    n = flow["n"]
    main = [
        ("Records identified", n["identified"]),
        ("Records screened\n(after removing duplicates)", n["screened"]),
        ("Records assessed for eligibility", n["assessed for eligibility"]),
        ("Studies included", n["included"]),
    ]
    side = [
        (f"Duplicates removed\nn = {n['duplicates removed']}", 0),
        (
            "Excluded at screening\nn = {}\n{}".format(
                n["excluded at screening"],
                flow.loc["excluded at screening", "detail"].replace("; ", "\n"),
            ),
            1,
        ),
        (
            "Excluded at eligibility\nn = {}\n{}".format(
                n["excluded at eligibility"],
                flow.loc["excluded at eligibility", "detail"].replace("; ", "\n"),
            ),
            2,
        ),
    ]
    fig = Figure(figsize=(9, 7))
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    ys = [9, 6.5, 4, 1.5]
    box = {"boxstyle": "round,pad=0.5", "facecolor": "#eef3fb", "edgecolor": "#34495e"}
    for (label, count), y in zip(main, ys, strict=True):
        ax.text(2.8, y, f"{label}\nn = {count}", ha="center", va="center", fontsize=10, bbox=box)
    for a, b in itertools.pairwise(ys):
        ax.annotate("", xy=(2.8, b + 0.7), xytext=(2.8, a - 0.7), arrowprops={"arrowstyle": "->"})
    for label, i in side:
        y = (ys[i] + ys[i + 1]) / 2
        ax.text(
            7.2,
            y,
            label,
            ha="center",
            va="center",
            fontsize=8,
            bbox={**box, "facecolor": "#fbeeee"},
        )
        ax.annotate("", xy=(5.7, y), xytext=(2.8, y), arrowprops={"arrowstyle": "->"})
    ax.set_title(f"PRISMA-style flow: {result.mirna} and cancer", fontsize=12)
    if path is not None:
        p = Path(path)
        tmp = p.with_name(p.stem + ".tmp" + p.suffix)
        fig.savefig(tmp, dpi=150, bbox_inches="tight")
        tmp.replace(p)
    return fig
