"""Rule-based relation extraction from titles and abstracts.

Each sentence is *masked*: entity mentions (:mod:`mirscope.literature.mentions`) become
placeholders such as ``⟨M0⟩`` (miRNA), ``⟨G1⟩`` (gene), ``⟨N2⟩`` (lncRNA/circRNA) and
``⟨C3⟩`` (cancer); aliases in brackets, parenthetical remarks and words like
"mRNA"/"expression" after a name are dropped, and coordinated lists
(``⟨G1⟩, ⟨G2⟩ and ⟨G3⟩``) become one group placeholder. The patterns are rows of a
data table (``rules/relations.yaml``: named regex fragments, one row per phrasing, each with
an example sentence and its expected output, loaded by :func:`load_rules`); one engine
(:func:`extract_sentence`) applies them to the masked sentence:

- ``targets`` (miRNA -> gene): "directly targets", "was identified as a direct target
  of", "binding sites of miR-124 in the 3'UTR of X", "X was a downstream target of",
  "negatively regulated", "by targeting", "miR-124/X axis";
- ``sponges`` (lncRNA/circRNA -> miRNA): "acts as a sponge of/for", "sponging",
  "competitively binds", "ceRNA", "competing endogenous RNA", "X/miR-124/Y axis"
  (also giving miR-124 ``targets`` Y) and "X acted as a ceRNA of miR-124 to upregulate Y";
- ``expression_change`` (miRNA in a cancer, with direction), ``prognostic``, ``diagnostic``;
- effect statements (:mod:`mirscope.literature.effects`, lexicon ``rules/effects.yaml``):
  ``affects_phenotype``, ``regulates_pathway``, ``sensitizes_to``, ``inhibits``/``activates``
  (miRNA -> gene, not claimed as a target) and ``silences``/``activates`` of the miRNA.

A ceRNA's downstream gene ("X sponges miR-124 to upregulate Y", "the miR-124/Y axis") or a
verb-only read-out ("miR-124 decreased vimentin") is ``targets`` only when the abstract calls
it a target somewhere; otherwise it is ``inhibits`` (the real-text curation guidelines).

Negated statements ("did not", "no significant", "but not X") are dropped; hedged ones
("may", "predicted", "potential") get a lower confidence unless the sentence also reports
an experimental confirmation (luciferase, validated, confirmed...).

Examples
--------
>>> rels = extract_relations({"pmid": "1", "title": "",
...     "abstract": "LINC00673 acts as a sponge for miR\u2011124 to upregulate SOX9 in gastric cancer."})
>>> sorted((r.relation, r.mirna, r.partner) for r in rels)
[('inhibits', 'hsa-miR-124-3p', 'SOX9'), ('sponges', 'hsa-miR-124-3p', 'LINC00673')]
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from mirscope.errors import FileFormatError, InputError, UnknownNameError
from mirscope.literature.effects import read_effects
from mirscope.literature.mentions import Mention, find_mentions, normalize_text, split_sentences

__all__ = [
    "MAX_RECORD_CHARS",
    "ExtractedRelation",
    "LiteratureRelation",
    "SentenceRelation",
    "extract_file",
    "extract_relations",
    "extract_sentence",
    "find_assays",
    "load_rules",
    "read_documents",
]

logger = logging.getLogger(__name__)

#: Largest title + abstract read (characters); longer records are refused (a real abstract
#: is a few thousand characters; a 50 MB "abstract" is a broken record, not text).
MAX_RECORD_CHARS = 100_000

LiteratureRelation = Literal[
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
]
PartnerType = Literal[
    "gene", "lncrna", "circrna", "cancer", "phenotype", "pathway", "therapy", "other"
]


@dataclass(frozen=True)
class ExtractedRelation:
    """One relation read from a sentence (the output line of ``literature extract``)."""

    pmid: str
    mirna: str
    partner: str
    partner_type: PartnerType
    relation: LiteratureRelation
    cancer: str | None
    sentence: str
    confidence: float
    direction: Literal["up", "down", "unknown"] = "unknown"
    sign: int = 0
    subject: str = ""
    subject_type: str = ""
    object: str = ""
    object_type: str = ""
    context: Literal["cancer", "non_cancer"] = "cancer"
    assays: tuple[str, ...] = ()
    evidence_start: int | None = None
    evidence_end: int | None = None
    in_title: bool = False
    hedged: bool = False

    def __post_init__(self) -> None:
        # knowledge-base orientation (subject -> object) when not given
        if not self.subject:
            mir_is_object = self.relation in ("sponges", "silences")
            a, at = (self.partner, self.partner_type), (self.mirna, "mirna")
            s, o = (a, at) if mir_is_object else (at, a)
            object.__setattr__(self, "subject", s[0])
            object.__setattr__(self, "subject_type", s[1])
            object.__setattr__(self, "object", o[0])
            object.__setattr__(self, "object_type", o[1])
        if self.sign == 0 and self.relation in ("targets", "sponges", "silences", "inhibits"):
            object.__setattr__(self, "sign", -1)
        elif self.sign == 0 and self.relation == "activates":
            object.__setattr__(self, "sign", 1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict in output-column order."""
        d = asdict(self)
        d["assays"] = list(self.assays)
        return d


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------
_LETTER = {"mirna": "M", "gene": "G", "lncrna": "N", "circrna": "N", "cancer": "C"}
_PH = r"⟨[MGNC][\d+]+⟩"


def _mask(sentence: str, mentions: list[Mention]) -> tuple[str, list[Mention]]:
    out, pos = [], 0
    for i, m in enumerate(mentions):
        out.append(sentence[pos : m.start])
        out.append(f"⟨{_LETTER[m.kind]}{i}⟩")
        pos = m.end
    out.append(sentence[pos:])
    return "".join(out), mentions


_FILLER = re.compile(
    r"(⟨[MGN]\d+⟩)(?:\s*-?\s*(?:mRNAs?|proteins?|genes?|transcripts?|expression|levels?|translation|"
    r"3'-?\s?UTRs?|3'\s*untranslated\s+regions?|mimics?|overexpression|upregulation|"
    r"agomirs?|transfection|restoration|promoter)\b)+"
)
_NEG_MEMBER = re.compile(r",?\s*(?:but\s+not|rather\s+than|not)\s+(?:the\s+)?(⟨[GN]\d+⟩)")
# a coordinated list of miRNAs, or of genes and ncRNAs ("bind with SNHG14 and SOCS1")
_LIST = re.compile(
    r"⟨(?:(M)|([GN]))(\d+)⟩(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|and/or|plus)\s+|"
    r"\s*/\s*)(?:the\s+|also\s+|both\s+)?(?(1)⟨M\d+⟩|⟨[GN]\d+⟩))+"
)


_DEF = re.compile(
    r"((?:(?:[A-Za-z0-9'/,-]+|⟨[GN]\d+⟩(?:-[A-Za-z0-9'/,-]+)?)\s+){1,10})"
    r"\(\s*(⟨[GNM](\d+)⟩(?:\s*(?:,|and|,\s*and)\s*⟨[GNM]\d+⟩)*)\s*\)"
)
_DEF_SKIP = {
    "the",
    "of",
    "and",
    "a",
    "an",
    "in",
    "that",
    "to",
    "by",
    "with",
    "was",
    "is",
    "were",
    "such",
    "as",
    "like",
    "including",
    "namely",
    "called",
    "named",
    "termed",
    "gene",
    "protein",
}


def _unwrap_definitions(s: str, mentions: list[Mention]) -> str:
    """Replace "long form (⟨G1⟩)" by "⟨G1⟩" when the long form starts with the symbol's letter."""

    def repl(m: re.Match[str]) -> str:
        words = m.group(1).split()
        first = mentions[int(m.group(3))].text[:1].lower()
        for k, w in enumerate(words):
            if w.startswith("⟨"):  # a mention, alone or as a modifier ("Rho-associated")
                w = mentions[int(w[2 : w.index("⟩")])].text
            if w.lower() not in _DEF_SKIP and w[:1].lower() == first:
                return " ".join(words[:k]) + (" " if k else "") + m.group(2)
        return m.group(0)

    return _DEF.sub(repl, s)


def _preprocess(masked: str, mentions: list[Mention]) -> tuple[str, set[int]]:
    s = masked
    # "microRNA-124 (miR-124)", "STAT3 (signal transducer ...)": keep the first name
    s = re.sub(r"⟨G\d+⟩\s*\(\s*(⟨G\d+⟩)\s*\)", r"\1", s)  # "EPH receptor A2 (EphA2)": the symbol
    s = re.sub(r"(⟨([MGNC])\d+⟩)\s*\(\s*(?:⟨\2\d+⟩|[^()⟨⟩]*)\s*\)", r"\1", s)
    s = re.sub(r"(⟨[MGN]\d+⟩)\s*\((?:[^()⟨⟩]|⟨[GNC]\d+⟩){0,80}\)", r"\1", s)
    s = _unwrap_definitions(s, mentions)
    s = re.sub(r"\s*\((?:[^()⟨⟩]|⟨C\d+⟩)*\)", "", s)
    s = re.sub(r"\s*\[[^\[\]⟨⟩]*\]", "", s)
    s = _FILLER.sub(r"\1", s)
    s = re.sub(r"\b(?:both|either)\s+(?=⟨)", "", s)
    negated: set[int] = set()
    for m in _NEG_MEMBER.finditer(s):
        negated.add(int(m.group(1)[2:-1]))
    s = _NEG_MEMBER.sub("", s)
    return s, negated


def _collapse_lists(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ids = re.findall(r"⟨[MGN](\d+)⟩", m.group(0))
        if len(ids) == 2 and re.search(r",\s*(?:and|or)\s", m.group(0)):
            return m.group(0)  # "X is a target of miR-101, and miR-124 ...": two clauses
        return f"⟨{m.group(1) or m.group(2)}{'+'.join(ids)}⟩"

    return _LIST.sub(repl, s)


def _ids(ph: str) -> list[int]:
    return [int(x) for x in ph[2:-1].split("+")]


def _kind(ph: str) -> str:
    return ph[1]


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------
def _A(name: str) -> str:
    return rf"(?P<{name}>⟨[MGN][\d+]+⟩)"


@dataclass(frozen=True)
class PatternRule:
    """One row of the relation-pattern table (``rules/relations.yaml``).

    ``family`` says how the regulator slot ``a`` and the regulated slot ``b`` map to a
    typed relation (see :func:`_roles`); ``example`` is a sentence the row must read and
    ``expect`` the (relation, miRNA, partner) triples it yields there.
    """

    id: str
    family: str
    confidence: float
    pattern: re.Pattern[str]
    example: str
    expect: tuple[tuple[str, str, str], ...]


_FAMILIES = frozenset(
    {"target", "target_passive", "bind", "sponge", "sponge_passive", "sponge_gap", "downstream"}
)
_SLOT = re.compile(r"\{([A-Z_]+)(?::(\w+))?\}")


def _expand(pieces: list[str], fragments: Mapping[str, str], where: str) -> str:
    def repl(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2)
        if name == "A" and arg:
            return _A(arg)
        if name not in fragments:
            raise FileFormatError(
                where, f"unknown fragment {{{name}}}; defined fragments: {sorted(fragments)}"
            )
        return fragments[name]

    return _SLOT.sub(repl, "".join(pieces))


def load_rules(path: str | Path | None = None) -> tuple[dict[str, str], list[PatternRule]]:
    """The fragments and pattern rows of a relation-pattern table (default: the shipped one).

    Raises
    ------
    FileFormatError
        The file is not YAML, a row lacks a field, names an unknown family or fragment, or
        its regex does not compile (the message names the row).

    Examples
    --------
    >>> fragments, rules = load_rules()
    >>> rules[0].family, rules[0].pattern.search("⟨N0⟩ acts as a sponge of ⟨M1⟩") is not None
    ('sponge', True)
    """
    if path is None:
        text = resources.files("mirscope.literature").joinpath(_RULES_FILE).read_text("utf-8")
        where = f"mirscope/literature/{_RULES_FILE}"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"rule file {str(p)!r} does not exist; omit it to use the shipped rules")
        text, where = p.read_text(encoding="utf-8"), str(p)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise FileFormatError(where, f"not valid YAML: {err}") from err
    if not isinstance(doc, dict) or not isinstance(doc.get("patterns"), list):
        raise FileFormatError(where, "expected a mapping with 'fragments' and a 'patterns' list")
    fragments = {str(k): str(v) for k, v in (doc.get("fragments") or {}).items()}
    rules: list[PatternRule] = []
    seen: set[str] = set()
    for i, row in enumerate(doc["patterns"]):
        rid = str(row.get("id", f"#{i}")) if isinstance(row, dict) else f"#{i}"
        try:
            if not isinstance(row, dict):
                raise ValueError("a row must be a mapping")
            missing = {"id", "family", "confidence", "regex", "example"} - set(row)
            if missing:
                raise ValueError(f"missing field(s) {sorted(missing)}")
            if rid in seen:
                raise ValueError("duplicate id")
            if row["family"] not in _FAMILIES:
                raise ValueError(f"unknown family {row['family']!r}; use one of {sorted(_FAMILIES)}")
            pieces = row["regex"] if isinstance(row["regex"], list) else [row["regex"]]
            pattern = re.compile(_expand([str(x) for x in pieces], fragments, where), re.I)
            expect = tuple(tuple(str(x) for x in e) for e in row.get("expect") or ())
        except (ValueError, TypeError, re.error) as err:
            raise FileFormatError(where, f"bad pattern row {rid}: {err}") from err
        seen.add(rid)
        rules.append(
            PatternRule(
                rid, row["family"], float(row["confidence"]), pattern, str(row["example"]), expect  # type: ignore[arg-type]
            )
        )
    return fragments, rules


_RULES_FILE = "rules/relations.yaml"
_FRAGMENTS, _RULES = load_rules()
_ADV = _FRAGMENTS["ADV"]
_BE = _FRAGMENTS["BE"]
_ADJ = _FRAGMENTS["ADJ"]
_FOUND = _FRAGMENTS["FOUND"]
_UP = _FRAGMENTS["UP"]

_FRONT_SPONGE = re.compile(
    r"\b(?:by|through|via)\s+(?:directly\s+)?(?:sponging|sequestering|competitively\s+binding(?:\s+to)?|"
    r"acting\s+as\s+(?:a|an)\s+(?:\w+\s+)?(?:sponge|ceRNA)\s+(?:of|for|to))\s+(?:the\s+)?(?P<m>⟨M\d+⟩)\s*,\s*"
    r"(?:the\s+)?(?:lncRNA\s+|circRNA\s+)?(?P<x>⟨N\d+⟩)(?:\s+(?:\w+\s+){0,2}?"
    r"(?:up-?regulat\w*|increas\w*|elevat\w*|enhanc\w*|promot\w*|releas\w*|restor\w*)\s+(?:the\s+)?"
    r"(?:(?:expression|levels?)\s+of\s+)?(?P<y>⟨G[\d+]+⟩))?",
    re.I,
)
_AXIS3 = re.compile(
    r"(?P<x>⟨[MGN]\d+⟩)\s*[/-]\s*(?P<m>⟨M\d+⟩)\s*[/-]\s*(?P<y>⟨[GN][\d+]+⟩)"
    r"(?:\s*[/-]\s*⟨[GN][\d+]+⟩)*\s+(?:\w+\s+){0,2}?"
    r"(?:axis|axes|pathway|signal\w*|network|loop|cascade|circuit|regulatory)"
)
_VIA_AXIS = re.compile(
    r"(?P<x>⟨N\d+⟩)(?:[^;⟨]|⟨[GC][\d+]+⟩){0,200}?\b(?:via|through|by|regulating|modulating|targeting|"
    r"mediating|on|and)\s+(?:\w+\s+){0,2}?(?P<m>⟨M\d+⟩)\s*[/-]\s*(?P<y>⟨[GN]\d+⟩)"
    r"(?:\s*[/-]\s*⟨[GN]\d+⟩)*\s+(?:\w+\s+){0,2}?(?:axis|axes|pathway|signal\w*|network|loop|cascade|circuit)",
    re.I,
)
_AXIS2 = re.compile(
    r"(?P<x>⟨[MGN]\d+⟩)\s*[/-]\s*(?P<y>⟨[MGN]\d+⟩)(?:\s*[/-]\s*⟨[GN]\d+⟩)*\s+(?:\w+\s+){0,2}?"
    r"(?:axis|axes|pathway|signal\w*|network|loop|cascade|circuit|regulatory)"
)

_PATHWAY_AFTER = re.compile(
    r"\s*-?\s*(?:signal\w*|pathways?|cascades?|activity|activation|phosphorylation|axis|network|"
    r"induced|mediated|dependent|driven|stimulated|triggered|activated|treated|positive|negative)\b",
    re.I,
)
_VIA_UTR = re.compile(
    r"[^.;⟨]{0,40}?\b(?:by|through|via)\s+(?:directly\s+)?(?:binding|targeting)\s+(?:directly\s+)?(?:to\s+)?"
    r"(?:\w+\s+){0,3}?(?:(?:its|the)\s+)?3'",
    re.I,
)
_NEG = re.compile(
    r"\b(?:not(?!\s+only)|no|never|neither|nor|without|fail(?:ed|s)?\s+to|unable\s+to|cannot|"
    r"lack(?:ed|s|ing)?|absence|absent|abolished|none)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:may|might|possibly|possible|potential(?:ly)?|putative(?:ly)?|predicted|"
    r"predict(?:s|ing|ion)?|suggest\w*|presum\w*|hypothes\w*|likely|perhaps|speculat\w*|"
    r"bioinformatic\w*|in\s+silico|computational\w*|algorithms?|TargetScan|miRanda|miRDB|"
    r"starBase|proposed|candidate|whether|unclear|unknown|remains?\s+to\s+be|requires?\s+further|"
    r"needs?\s+further|further\s+(?:studies|investigation)|to\s+be\s+(?:determined|elucidated|"
    r"clarified|investigated|explored))\b",
    re.I,
)
_CONFIRM = re.compile(
    r"\b(?:confirm\w*|validat\w*|verif\w*|demonstrat\w*|luciferase|prov(?:ed|en)|showed|shown|"
    r"revealed|RIP|pull-?down|immunoprecipitation|experimentally)\b",
    re.I,
)


def _window_before(s: str, start: int, n: int = 30) -> str:
    pre = s[max(0, start - n) : start]
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"))
    return pre[cut + 1 :] if cut >= 0 else pre


_WT_NOT_MUT = re.compile(
    r"\b(?:but|and)\s+not\s+(?:with\s+|to\s+)?(?:the\s+|its\s+|a\s+)?(?:mutant|mutated|MUT)\b", re.I
)


def _negated(s: str, start: int, end: int) -> bool:
    # "bound to the wild-type but not the mutant 3'UTR": a control, not a negation
    return bool(_NEG.search(_WT_NOT_MUT.sub(" ", _window_before(s, start) + " " + s[start:end])))


def _hedged(s: str, start: int, end: int, sentence: str) -> bool:
    if not _HEDGE.search(_window_before(s, start, 60) + " " + s[start:end]):
        return False
    return not _CONFIRM.search(sentence)


# expression change and prognosis -------------------------------------------------------
_DOWN_WORDS = r"(?:down-?regulated|decreased|reduced|lower|low|down-?expressed|under-?expressed|silenced|lost|suppressed|diminished|attenuated|absent|deleted)"
_UP_WORDS = (
    r"(?:up-?regulated|increased|elevated|higher|high|over-?expressed|enriched|induced|amplified)"
)
_EXPR_ADV = r"(?:(?:\w+ly|frequently|often|also|was|were|is|are|found|to\s+be|be|been|shown|reported)\s+)*"
_EXPR1 = re.compile(
    r"(?P<m>⟨M[\d+]+⟩)(?:\s*,(?:[^,;⟨]|⟨G\d+⟩){0,80},)?\s+(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|remained|appeared)\s+"
    + _EXPR_ADV
    + r"(?P<d>"
    + _DOWN_WORDS
    + "|"
    + _UP_WORDS
    + r")\b(?!\s+(?:by|the|⟨))"
)
_EXPR2 = re.compile(
    r"(?P<d>"
    + _DOWN_WORDS
    + "|"
    + _UP_WORDS
    + r"|loss\s+of|reduction\s+of|down-?regulation\s+of|up-?regulation\s+of|over-?expression\s+of)\s+"
    r"(?:(?:expression|levels?|abundance)\s+(?:of\s+)?)?(?P<m>⟨M[\d+]+⟩)\s+(?:\w+\s+){0,2}?(?:in|among|of)\b"
)
_EXPR3 = re.compile(
    r"(?P<m>⟨M[\d+]+⟩)\s+(?:is\s+|was\s+)?"
    + _EXPR_ADV
    + r"(?P<d>"
    + _DOWN_WORDS
    + "|"
    + _UP_WORDS
    + r")\s+in\b"
)
_MODEL_CMP = re.compile(
    r"\b(?:resistant|resistance|hypoxi\w*|normoxi\w*|treated|treatment\s+with|stimulat\w*)\b", re.I
)
_MANIPULATION = re.compile(r"(?:over-?expression|up-?regulation|down-?regulation|loss|reduction)", re.I)
_EFFECT_AFTER = re.compile(
    r"\b(?:promot\w*|inhibit\w*|suppress\w*|induc\w*|enhanc\w*|increas\w*|decreas\w*|reduc\w*|"
    r"lead\w*\s+to|led\s+to|result\w*\s+in|revers\w*|attenuat\w*|block\w*|abolish\w*|impair\w*)\b",
    re.I,
)
_CANCER_CTX = re.compile(r"⟨C\d+⟩|\b(?:tumou?rs?|cancers?|carcinomas?|malignan\w*)\b", re.I)
_CLIN_CTX = re.compile(
    r"\b(?:tissues?|patients?|specimens?|samples?|serum|plasma|sera|biopsies|cohort|cases?|cell\s+lines?)\b",
    re.I,
)
_PROG = re.compile(
    r"\b(?:prognos\w*|survival|recurrence|relapse|outcomes?|OS|DFS|RFS|PFS|hazard\s+ratio|"
    r"death|mortality|metastasis-free)\b",
    re.I,
)
#: clinicopathological features that make an association prognostic (with a link word)
_CLINICAL_FEATURE = re.compile(
    r"\b(?:clinical\s+stages?|TNM|(?:advanced|higher|late|clinical|tumou?r)\s+(?:\w+\s+)?stages?|"
    r"grades?|lymph\s+node\s+metasta\w*|node\s+metasta\w*|distant\s+metasta\w*|"
    r"clinicopathological|clinico-pathological|tumou?r\s+(?:size|thickness)|thickness|"
    r"malignancy\s+stages?|differentiation\s+(?:grade|degree))\b",
    re.I,
)
_PROG_LINK = re.compile(
    r"\b(?:associated|correlated|correlat\w*|predict\w*|related|linked|independent|prognostic|"
    r"biomarker|marker|indicator|shorter|poorer|worse|longer|better|favou?rable|unfavou?rable|"
    r"stratif\w*|factor|lower|higher)\b",
    re.I,
)


def _direction(word: str) -> Literal["up", "down"]:
    return (
        "down"
        if re.fullmatch(_DOWN_WORDS, word, flags=re.I)
        or re.match(r"(?:loss|reduction|down)", word, flags=re.I)
        else "up"
    )


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SentenceRelation:
    """A relation read from one sentence by :func:`extract_sentence` (no PMID yet)."""

    mirna: str
    partner: str
    partner_type: PartnerType
    relation: LiteratureRelation
    confidence: float
    direction: Literal["up", "down", "unknown"] = "unknown"
    cancer: str | None = None
    sign: int = 0
    hedged: bool = False
    partner_is_subject: bool = False
    called_target: bool = False
    axis_only: bool = False


def _is_pseudogene(symbol: str) -> bool:
    from mirscope import names

    try:
        return "pseudogene" in names.gene_info(symbol).locus_type
    except UnknownNameError:
        return False


def _roles(
    family: str, a: Mention, b: Mention
) -> tuple[LiteratureRelation, Mention, Mention, float] | None:
    """Map (pattern family, regulator kind, regulated kind) to a typed relation.

    Returns (relation, mirna mention, partner mention, confidence factor) or None.
    """
    ka, kb = a.kind, b.kind
    nc = ("lncrna", "circrna")
    if ka == "mirna" and kb == "gene" and _is_pseudogene(b.name):
        kb = "lncrna"  # PTENP1, a pseudogene transcript, sponges the miRNA
    if kb == "mirna" and ka == "gene" and _is_pseudogene(a.name):
        ka = "lncrna"
    if family in ("target", "target_passive", "downstream"):
        if ka == "mirna" and kb == "gene":
            return "targets", a, b, 1.0
        if family == "downstream":
            return None
        if ka in nc and kb == "mirna":
            return "sponges", b, a, 1.0
        if ka == "mirna" and kb in nc:
            return "sponges", a, b, 0.75
        return None
    if family == "bind":
        if ka == "mirna" and kb == "gene":
            return "targets", a, b, 1.0
        if ka in nc and kb == "mirna":
            return "sponges", b, a, 1.0
        if ka == "mirna" and kb in nc:
            return "sponges", a, b, 1.0
        return None
    if family in ("sponge", "sponge_passive", "sponge_gap"):
        if ka in nc and kb == "mirna":
            return "sponges", b, a, 1.0
        if ka == "gene" and kb == "mirna" and family != "sponge_gap":
            return "sponges", b, a, 0.8  # an mRNA/pseudogene acting as ceRNA
        if ka == "mirna" and kb in nc and family == "sponge":
            return "sponges", a, b, 0.6
    return None


def _apply_rules(
    c: str,
    rules: Sequence[PatternRule],
    mentions: list[Mention],
    negated_ids: set[int],
    confirm_text: str,
    add: Callable[..., None],
) -> None:
    """Apply the pattern rows to a masked, list-collapsed sentence ``c``."""
    for rule in rules:
        family, conf = rule.family, rule.confidence
        for m in rule.pattern.finditer(c):
            if _negated(c, m.start(), m.end()):
                continue
            if _PATHWAY_AFTER.match(c, m.end()) or (
                m.group("b").count("+") >= 2 and "/" in m.group(0)
            ):
                continue  # "inhibited the Rac1/MKK4/JNK pathway", "NF-kB activity": not a target
            factor = 0.5 if _hedged(c, m.start(), m.end(), confirm_text) else 1.0
            base = conf
            if conf < 0.8 and (
                re.search(r"\bdirect(?:ly)?\b", m.group(0)) or _VIA_UTR.match(c, m.end())
            ):
                factor *= 0.85 / conf
                base = 0.85
            ids_a, ids_b = _ids(m.group("a")), _ids(m.group("b"))
            if len(ids_a) == len(ids_b) > 1 and re.search(r"\brespectively\b", c[m.end() :]):
                pairs = list(
                    zip(ids_a, ids_b, strict=True)
                )  # "A and B target X and Y, respectively"
            else:
                pairs = [(ia, ib) for ia in ids_a for ib in ids_b]
            for ia, ib in pairs:
                if ib in negated_ids or ia in negated_ids:
                    continue
                roles = _roles(family, mentions[ia], mentions[ib])
                if roles is None:
                    continue
                rel, mir, partner, f = roles
                if conf < 0.8 and re.match(r"(?:p|phospho)-", partner.text, re.I):
                    continue  # "reduced p-STAT3": signalling, not targeting
                add(
                    rel,
                    mir,
                    partner,
                    conf * f * factor,
                    hedged=factor < 1.0,
                    base=base,
                    axis=family == "downstream",
                )


def extract_sentence(
    sentence: str,
    *,
    mentions: list[Mention] | None = None,
    default_mirna: str | None = None,
    confirmation: str = "",
    rules: Sequence[PatternRule] | None = None,
) -> list[SentenceRelation]:
    """Typed relations in one sentence (without PMID or document-level cancer).

    ``confirmation`` is text that may confirm a hedged statement (the next sentence when it
    reports e.g. a luciferase assay about the same gene). ``rules`` applies only those rows
    of the pattern table (and none of the axis, expression or prognosis readers); the
    default is the whole shipped table and every reader.

    Examples
    --------
    >>> _, rules = load_rules()
    >>> [(h.relation, h.partner) for h in extract_sentence(rules[0].example, rules=rules[:1])]
    [('sponges', 'XIST')]
    """
    sentence = normalize_text(sentence)
    mentions = find_mentions(sentence) if mentions is None else mentions
    if not any(m.kind == "mirna" for m in mentions) and default_mirna is None:
        return []
    masked, _ = _mask(sentence, mentions)
    s, negated_ids = _preprocess(masked, mentions)
    confirm_text = sentence + " " + confirmation
    cancers = [m.name for m in mentions if m.kind == "cancer"]
    cancer = next((c for c in cancers if c != "cancer"), cancers[0] if cancers else None)
    hits: list[SentenceRelation] = []

    def add(
        rel: LiteratureRelation,
        mir: Mention,
        partner: Mention,
        conf: float,
        *,
        hedged: bool = False,
        base: float = 1.0,
        axis: bool = False,
    ) -> None:
        if mir.kind != "mirna":
            return
        ptype = partner.kind if partner.kind in ("gene", "lncrna", "circrna") else "gene"
        hits.append(
            SentenceRelation(
                mir.name,
                partner.name,
                ptype,  # type: ignore[arg-type]
                rel,
                round(conf, 3),
                "down",
                sign=-1,
                hedged=hedged,
                partner_is_subject=rel == "sponges",
                called_target=base >= 0.6 and not axis,
                axis_only=axis,
            )
        )

    if rules is not None:
        _apply_rules(_collapse_lists(s), rules, mentions, negated_ids, confirm_text, add)
        return hits
    # axes first (they use "/" which list collapsing would read as coordination)
    for m in _AXIS3.finditer(s):
        if _negated(s, m.start(), m.end()):
            continue
        x, mir = mentions[_ids(m.group("x"))[0]], mentions[_ids(m.group("m"))[0]]
        if x.kind in ("lncrna", "circrna", "gene") and x.kind != "mirna":
            add("sponges", mir, x, 0.8 if x.kind != "gene" else 0.65)
        for i in _ids(m.group("y")):
            y = mentions[i]
            if y.kind == "gene":
                add("targets", mir, y, 0.8, axis=True)
    for m in _VIA_AXIS.finditer(s):
        if _negated(s, m.start("m") - 1, m.end()):
            continue
        x, mir = mentions[_ids(m.group("x"))[0]], mentions[_ids(m.group("m"))[0]]
        add("sponges", mir, x, 0.75)
    for m in _FRONT_SPONGE.finditer(_collapse_lists(s)):
        if _negated(s, m.start(), m.end()):
            continue
        x, mir = mentions[_ids(m.group("x"))[0]], mentions[_ids(m.group("m"))[0]]
        add("sponges", mir, x, 0.85)
        if m.group("y"):
            for i in _ids(m.group("y")):
                add("targets", mir, mentions[i], 0.75, axis=True)
    s_noaxis = _AXIS3.sub(lambda m: " ", s)
    for m in _AXIS2.finditer(s_noaxis):
        if _negated(s_noaxis, m.start(), m.end()):
            continue
        x, y = mentions[_ids(m.group("x"))[0]], mentions[_ids(m.group("y"))[0]]
        if x.kind == "mirna" and y.kind == "gene":
            add("targets", x, y, 0.75, axis=True)
        elif x.kind in ("lncrna", "circrna") and y.kind == "mirna":
            add("sponges", y, x, 0.8)
        elif x.kind == "mirna" and y.kind in ("lncrna", "circrna"):
            add("sponges", x, y, 0.7)

    c = _collapse_lists(s)
    _apply_rules(c, _RULES, mentions, negated_ids, confirm_text, add)

    # "STAT3 was identified as a direct target." -- the abstract's only miRNA
    if default_mirna is not None:
        pat = re.compile(
            _A("b")
            + r"\s*,?\s*(?:which\s+)?(?:"
            + _BE
            + r"\s+)?"
            + _FOUND
            + r"(?:to\s+be\s+|as\s+)?(?:a|an|the|one)\s+"
            + _ADJ
            + r"targets?(?:\s+genes?)?(?!\s+(?:of|for)\b)"
        )
        for m in pat.finditer(c):
            if _negated(c, m.start(), m.end()):
                continue
            factor = 0.5 if _hedged(c, m.start(), m.end(), confirm_text) else 1.0
            for ib in _ids(m.group("b")):
                b = mentions[ib]
                if b.kind == "gene" and ib not in negated_ids:
                    hits.append(
                        SentenceRelation(
                            default_mirna,
                            b.name,
                            "gene",
                            "targets",
                            round(0.75 * factor, 3),
                            "down",
                            sign=-1,
                            hedged=factor < 1.0,
                            called_target=True,
                        )
                    )

    # sponge fallback: ceRNA language, one ncRNA and one miRNA, nothing typed yet
    if not any(h.relation == "sponges" for h in hits) and re.search(
        r"ceRNA|competing\s+endogenous|sponge|sponging", sentence, re.I
    ):
        ncs = [m for m in mentions if m.kind in ("lncrna", "circrna")]
        mirs = {m.name: m for m in mentions if m.kind == "mirna"}
        if len({n.name for n in ncs}) == 1 and len(mirs) == 1 and not _NEG.search(sentence):
            factor = 0.5 if _hedged(sentence, 0, len(sentence), confirm_text) else 1.0
            add("sponges", next(iter(mirs.values())), ncs[0], 0.65 * factor)

    # expression change of a miRNA in cancer
    if _CANCER_CTX.search(s) or _CLIN_CTX.search(s):
        for pat in (_EXPR1, _EXPR2, _EXPR3):
            for m in pat.finditer(c):
                if _negated(c, m.start(), m.end()) or _PROG.search(c[m.end() : m.end() + 60]):
                    continue
                if _MODEL_CMP.search(c):
                    continue  # resistant vs sensitive cells, hypoxia: not tumour vs normal
                if pat is _EXPR2 and _MANIPULATION.match(m.group("d")) and _EFFECT_AFTER.search(
                    c, m.end()
                ):
                    continue  # "overexpression of miR-21 in MCF-7 cells promoted ...": a manipulation
                factor = 0.5 if _hedged(c, m.start(), m.end(), confirm_text) else 1.0
                d = _direction(m.group("d"))
                for i in _ids(m.group("m")):
                    mm = mentions[i]
                    if mm.kind == "mirna":
                        hits.append(
                            SentenceRelation(
                                mm.name,
                                "",
                                "cancer",
                                "expression_change",
                                round(0.75 * factor, 3),
                                d,
                                cancer,
                                hedged=factor < 1.0,
                            )
                        )
    # prognosis
    if (
        (_PROG.search(s) or _CLINICAL_FEATURE.search(s))
        and _PROG_LINK.search(s)
        and not re.search(
            r"\bnot\s+(?:significantly\s+)?(?:associated|correlated|related|linked)|\bno\s+(?:significant\s+)?"
            r"(?:association|correlation|relationship|difference)",
            s,
            re.I,
        )
    ):
        for i, mm in enumerate(mentions):
            if mm.kind != "mirna" or f"⟨M{i}⟩" not in s:
                continue
            pos = s.index(f"⟨M{i}⟩")
            before = s[max(0, pos - 40) : pos]
            after = s[pos : pos + 40]
            d: Literal["up", "down", "unknown"] = "unknown"
            if re.search(
                r"\b(?:low|lower|reduced|decreased|loss|down-?regulat\w*|absent)\b",
                before + after,
                re.I,
            ):
                d = "down"
            elif re.search(
                r"\b(?:high|higher|elevated|increased|over-?expressed|up-?regulat\w*)\b",
                before + after,
                re.I,
            ):
                d = "up"
            factor = 0.5 if _hedged(s, 0, len(s), sentence) else 1.0
            hits.append(
                SentenceRelation(
                    mm.name,
                    "",
                    "cancer",
                    "prognostic",
                    round(0.7 * factor, 3),
                    d,
                    cancer,
                    hedged=factor < 1.0,
                )
            )
    # diagnosis: ROC/AUC, "diagnostic biomarker", distinguishing patients from controls
    if _DIAG.search(s) and not _NEG.search(s) and not (
        _PROG.search(s) and not re.search(r"diagnos", s, re.I)
    ):
        factor = 0.5 if _HEDGE.search(s) else 1.0
        for i, mm in enumerate(mentions):
            if mm.kind == "mirna" and f"⟨M{i}⟩" in s:
                hits.append(
                    SentenceRelation(
                        mm.name,
                        "",
                        "cancer",
                        "diagnostic",
                        round(0.7 * factor, 3),
                        "unknown",
                        cancer,
                        hedged=factor < 1.0,
                    )
                )
    # phenotypes, pathways, therapies, indirect regulation, silencing (rules/effects.yaml)
    for e in read_effects(sentence):
        hits.append(
            SentenceRelation(
                e.mirna,
                e.partner,
                e.partner_type,  # type: ignore[arg-type]
                e.relation,  # type: ignore[arg-type]
                e.confidence,
                "up" if e.sign > 0 else "down" if e.sign < 0 else "unknown",
                sign=e.sign,
                hedged=e.hedged,
                partner_is_subject=e.partner_is_subject,
            )
        )
    return hits


_DIAG = re.compile(
    r"\b(?:diagnos\w*|AUC|area\s+under\s+the\s+(?:ROC\s+)?curve|ROC|receiver\s+operating|"
    r"discriminat\w*|distinguish\w*|early\s+detection|detection\s+marker|screening\s+marker|"
    r"(?:different|differed|differentially\s+expressed)\s+between\s+(?:\w+\s+){0,3}?patients\s+and\s+"
    r"(?:healthy\s+|normal\s+)?(?:controls|NCs|volunteers|individuals|subjects|donors))\b",
    re.I,
)


_PRONOUN = re.compile(
    r"\b(?:[Ii]t|[Tt]his\s+(?:lncRNA|lincRNA|circRNA|circular\s+RNA|long\s+non-?coding\s+RNA|transcript))\b"
    r"(?=\s+(?:\w+ly\s+)?(?:also\s+)?(?:could\s+|can\s+|may\s+)?(?:acts?|acted|functions?|functioned|serves?|"
    r"served|sponges?|sponged|competitively|directly|bound|binds?|interact(?:s|ed)?|sequester(?:s|ed)?)\b)"
)


_PRONOUN_MIR = re.compile(
    r"\b(?:[Ii]t|[Tt]his\s+(?:miRNA|microRNA))\b"
    r"(?=\s+(?:\w+ly\s+)?(?:also\s+)?(?:could\s+|can\s+)?(?:targets?|targeted|bound|binds?|"
    r"negatively\s+regulate[sd]?)\b)"
)


_BACKREF = re.compile(
    r"(?:This|These|It|Which|Subsequent\w*|Further\w*|Then|Next|Indeed|The\s+(?:prediction|interaction|"
    r"binding|targeting|relationship|association))\b"
)


def _clean_text(text: str) -> str:
    """Unicode hyphens to ASCII, line-break hyphenation repaired ("expres- sion"), spaces
    collapsed."""
    t = normalize_text(text)
    t = re.sub(r"(?<=[a-z])- +(?!and\b|or\b|to\b)(?=[a-z])", "", t)
    return re.sub(r"\s+", " ", t).strip()


def _doc_cancer(mentions: Iterable[Mention]) -> str | None:
    counts = Counter(m.name for m in mentions if m.kind == "cancer")
    specific = [(n, c) for n, c in counts.most_common() if n != "cancer"]
    if specific:
        return specific[0][0]
    return "cancer" if counts else None


def _clean_map(text: str) -> tuple[str, list[int]]:
    """:func:`_clean_text` and, for each character of the result, its offset in ``text``."""
    t = normalize_text(text)
    keep = [True] * len(t)
    for m in re.finditer(r"(?<=[a-z])- +(?!and\b|or\b|to\b)(?=[a-z])", t):
        for k in range(m.start(), m.end()):
            keep[k] = False
    chars = [(c, i) for i, c in enumerate(t) if keep[i]]
    out: list[tuple[str, int]] = []
    for c, i in chars:
        if c.isspace():
            if out and out[-1][0] == " ":
                continue
            out.append((" ", i))
        else:
            out.append((c, i))
    while out and out[0][0] == " ":
        out.pop(0)
    while out and out[-1][0] == " ":
        out.pop()
    return "".join(c for c, _ in out), [i for _, i in out]


_ASSAY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("luciferase reporter", r"luciferase|reporter\s+assay"),
    ("RT-qPCR", r"RT-?q?PCR|qRT-?PCR|real-time\s+(?:quantitative\s+)?PCR|quantitative\s+PCR"),
    ("western blot", r"western\s+blot\w*|immunoblot\w*"),
    ("immunohistochemistry", r"immunohistochem\w*|\bIHC\b"),
    ("in situ hybridization", r"in\s+situ\s+hybridi[sz]ation|\bISH\b"),
    ("microarray", r"microarray"),
    ("RNA-seq", r"RNA-?seq\w*|RNA\s+sequencing"),
    ("CCK-8", r"CCK-?8"),
    ("MTT", r"\bMTT\b"),
    ("colony formation", r"colony[\s-]+formation\s+assay|clonogenic\s+assay"),
    ("EdU", r"\bEdU\b"),
    ("Transwell", r"transwell|Boyden|Matrigel\s+invasion"),
    ("wound healing", r"wound[\s-]+healing|scratch\s+assay"),
    ("flow cytometry", r"flow\s+cytometr\w*|FACS"),
    ("TUNEL", r"\bTUNEL\b"),
    ("xenograft", r"xenograft|nude\s+mice|in\s+vivo"),
    ("RIP", r"\bRIP\b|RNA\s+immunoprecipitation"),
    ("RNA pull-down", r"pull-?down"),
    ("ChIP", r"\bChIP\b|chromatin\s+immunoprecipitation"),
    ("methylation-specific PCR", r"methylation-specific\s+PCR|\bMSP\b"),
    ("bisulfite sequencing", r"bisulfite\s+sequencing"),
    ("ELISA", r"\bELISA\b"),
    ("survival analysis", r"Kaplan-?Meier|log-?rank|Cox\s+(?:proportional|regression)"),
    ("ROC analysis", r"\bROC\b|receiver\s+operating|\bAUC\b"),
)
_ASSAY_RES = tuple((name, re.compile(p, re.I)) for name, p in _ASSAY_PATTERNS)


def find_assays(text: str) -> tuple[str, ...]:
    """Canonical assay names (:data:`mirscope.schema.ASSAYS`) mentioned in ``text``.

    Examples
    --------
    >>> find_assays("Dual-luciferase reporter assays and western blotting confirmed it.")
    ('luciferase reporter', 'western blot')
    """
    return tuple(name for name, rx in _ASSAY_RES if rx.search(text))


_MANY_CANCERS = re.compile(
    r"\b(?:many|various|multiple|several|most|numerous|diverse|different|solid|human|other|all)\s+"
    r"(?:\w+\s+){0,2}?(?:cancers|tumou?rs|malignancies|carcinomas|neoplasms)\b|"
    r"\b(?:types|kinds)\s+of\s+(?:\w+\s+)?(?:cancers?|tumou?rs?|malignanc\w+)|\bpan-?cancer\b",
    re.I,
)
_NON_CANCER_DOC = re.compile(
    r"\b(?:cancers?|tumou?r\w*|carcinoma\w*|malignan\w*|neoplas\w*|oncogen\w*|metasta\w*|"
    r"leuka?emia|lymphoma|glioma|melanoma|sarcoma|blastoma)\b",
    re.I,
)
_PRONOUN_EFFECT = re.compile(
    r"\b(?:[Ii]t|[Tt]his\s+(?:miRNA|microRNA))\b(?=\s+(?:\w+ly\s+)?(?:also\s+)?(?:could\s+|can\s+)?"
    r"(?:inhibit|suppress|promot|enhanc|induc|reduc|decreas|increas|attenuat|sensiti[sz])\w*\b)"
)


def extract_relations(
    document: Mapping[str, Any], *, min_confidence: float = 0.5
) -> list[ExtractedRelation]:
    """Typed relations from one ``{"pmid", "title", "abstract"}`` document.

    Every relation type of the knowledge base with a miRNA end: ``targets``, ``sponges``,
    ``silences``, ``activates``, ``inhibits``, ``regulates_pathway``, ``affects_phenotype``,
    ``sensitizes_to``, ``expression_change``, ``prognostic``, ``diagnostic``; each with
    sign, direction, cancer, context, assays, the sentence and its offsets in the abstract
    (``in_title`` when it is the title). One relation per (miRNA, partner, relation type,
    direction), keeping the sentence with the highest confidence; only relations with
    ``confidence >= min_confidence``. Records over :data:`MAX_RECORD_CHARS` are refused.
    A gene called a target anywhere in the abstract gets
    ``targets`` only, never also ``inhibits``/``activates``; a lncRNA that sponges a miRNA
    does not also silence it. Hedged statements keep ``hedged=True`` at half confidence.

    Raises
    ------
    InputError
        ``min_confidence`` outside [0, 1], a document without ``pmid``, or a record longer
        than :data:`MAX_RECORD_CHARS`.

    Examples
    --------
    >>> doc = {"pmid": "7", "title": "miR-124 inhibits glioma growth by targeting SOX9 and CDK6.",
    ...        "abstract": "However, miR-124 did not target AKT1."}
    >>> [(r.partner, r.relation) for r in extract_relations(doc)]
    [('SOX9', 'targets'), ('CDK6', 'targets'), ('proliferation', 'affects_phenotype')]
    >>> r = extract_relations(doc)[0]
    >>> (r.subject, r.object, r.sign, r.in_title)
    ('hsa-miR-124-3p', 'SOX9', -1, True)
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"min_confidence must be within [0, 1], got {min_confidence}")
    pmid = str(document.get("pmid") or "").strip()
    if not pmid:
        raise InputError(f"document has no 'pmid': {str(dict(document))[:80]}")
    n_chars = len(str(document.get("title") or "")) + len(str(document.get("abstract") or ""))
    if n_chars > MAX_RECORD_CHARS:
        raise InputError(
            f"record {pmid} has {n_chars} characters of title and abstract, over the cap of "
            f"{MAX_RECORD_CHARS}; it is not an abstract (broken record?). Remove it, or skip "
            "such records with --skip-bad"
        )
    title = _clean_text(str(document.get("title") or ""))
    raw_abstract = str(document.get("abstract") or "")
    abstract, amap = _clean_map(raw_abstract)
    body = split_sentences(abstract)
    spans: list[tuple[int | None, int | None, bool]] = [(None, None, True)] if title else []
    cursor = 0
    for sent in body:
        k = abstract.find(sent, cursor)
        if k < 0:
            spans.append((None, None, False))
            continue
        cursor = k + len(sent)
        spans.append((amap[k], amap[k + len(sent) - 1] + 1, False))
    sentences = ([title] if title else []) + body
    if title:
        spans[0] = (0, len(str(document.get("title") or "")), True)
    per_sentence = [(s, find_mentions(s)) for s in sentences]
    all_mentions = [m for _, ms in per_sentence for m in ms]
    # pronouns: "it acted as a sponge of miR-124" (the abstract's only lncRNA/circRNA) and
    # "it directly targeted STAT3" (the abstract's only miRNA, in a sentence without a miRNA)
    ncrnas = {m.name: m for m in all_mentions if m.kind in ("lncrna", "circrna")}
    mirs = {m.name: m for m in all_mentions if m.kind == "mirna"}
    resolved = []
    for sent, ms in per_sentence:
        new = sent
        has_mir = any(m.kind == "mirna" for m in ms)
        if len(ncrnas) == 1 and has_mir:
            new = _PRONOUN.sub(next(iter(ncrnas.values())).text, new)
        elif len(mirs) == 1 and not has_mir:
            only = next(iter(mirs.values())).text
            new = _PRONOUN_EFFECT.sub(only, _PRONOUN_MIR.sub(only, new))
        resolved.append((sent, new, find_mentions(new) if new != sent else ms))
    doc_cancer = _doc_cancer(all_mentions)
    # one name per circRNA in an abstract: the spelling written as "circ..." wins over a
    # spelled-out "circular RNA X" ("circ-EPB41" and "Circular RNA EPB41" are one molecule)
    circ_names: dict[str, str] = {}
    for m in all_mentions:
        if m.kind == "circrna":
            key = re.sub(r"[-_\s]", "", m.name).lower()
            if key not in circ_names or m.text.lower().startswith("circ"):
                circ_names[key] = m.name
    context: Literal["cancer", "non_cancer"] = (
        "cancer"
        if doc_cancer or _NON_CANCER_DOC.search(title + " " + abstract)
        else "non_cancer"
    )
    mirnas = Counter(m.name for m in all_mentions if m.kind == "mirna")
    default = next(iter(mirnas)) if len(mirnas) == 1 else None
    best: dict[tuple[str, str, str, str], ExtractedRelation] = {}
    order: list[tuple[str, str, str, str]] = []
    called_target: set[tuple[str, str]] = set()
    sponge_pairs: set[tuple[str, str]] = set()
    axis_pairs: dict[tuple[str, str], tuple[SentenceRelation, str, Any, tuple[str, ...]]] = {}
    for i, (sent, text, ms) in enumerate(resolved):
        confirmation = ""
        if (
            i + 1 < len(resolved)
            and _CONFIRM.search(resolved[i + 1][1])
            and not _NEG.search(resolved[i + 1][1])
        ):
            nxt, nxt_ms = resolved[i + 1][1], resolved[i + 1][2]
            genes = {m.name for m in ms if m.kind != "cancer"}
            if _BACKREF.match(nxt) or genes & {m.name for m in nxt_ms}:
                confirmation = (
                    nxt  # "X was predicted as a target of miR-124. This was confirmed..."
                )
        assays = find_assays(sent + " " + confirmation)
        start, end, in_title = spans[i]
        for h in extract_sentence(
            text, mentions=ms, default_mirna=default, confirmation=confirmation
        ):
            if h.relation == "targets" and h.called_target:
                called_target.add((h.mirna, h.partner))
            if h.relation == "targets" and (h.axis_only or not h.called_target):
                # "the miR-X/Y axis", "sponges miR-X to upregulate Y": a target only if the
                # abstract calls Y a target elsewhere; otherwise an indirect repression
                axis_pairs.setdefault((h.mirna, h.partner), (h, sent, spans[i], assays))
                continue
            if h.relation == "sponges" and h.confidence >= min_confidence:
                sponge_pairs.add((h.mirna, h.partner))
            cancer = h.cancer or doc_cancer
            if cancer == "cancer" and doc_cancer not in (None, "cancer") and not _MANY_CANCERS.search(
                sent
            ):
                cancer = doc_cancer  # "in tumour tissues" of a gastric cancer study
            partner, ptype = h.partner, h.partner_type
            if ptype == "circrna":
                partner = circ_names.get(re.sub(r"[-_\s]", "", partner).lower(), partner)
            if h.relation in ("expression_change", "prognostic", "diagnostic"):
                if cancer is None:
                    continue
                partner, ptype = cancer, "cancer"
            rel = ExtractedRelation(
                pmid=pmid,
                mirna=h.mirna,
                partner=partner,
                partner_type=ptype,
                relation=h.relation,
                cancer=cancer,
                sentence=sent,
                confidence=h.confidence,
                direction=h.direction,
                sign=h.sign,
                context=context,
                assays=assays,
                evidence_start=start,
                evidence_end=end,
                in_title=in_title,
                hedged=h.hedged,
            )
            key = (rel.mirna, rel.partner, rel.relation, rel.direction)
            if key not in best:
                order.append(key)
                best[key] = rel
            elif rel.confidence > best[key].confidence:
                best[key] = rel
    for (mir, gene), (h, sent, (start, end, in_title), assays) in axis_pairs.items():
        if (mir, gene) in called_target:
            continue
        key = (mir, gene, "inhibits", "down")
        if key in best:
            continue
        order.append(key)
        best[key] = ExtractedRelation(
            pmid=pmid,
            mirna=mir,
            partner=gene,
            partner_type="gene",
            relation="inhibits",
            cancer=h.cancer or doc_cancer,
            sentence=sent,
            confidence=round(min(h.confidence, 0.6), 3),
            direction="down",
            sign=-1,
            context=context,
            assays=assays,
            evidence_start=start,
            evidence_end=end,
            in_title=in_title,
            hedged=h.hedged,
        )
    # a diagnostic marker's direction is its change in cancer
    expr = {
        (k[0], k[1]): k[3]
        for k in order
        if k[2] == "expression_change" and best[k].confidence >= min_confidence
    }
    for k in list(order):
        if k[2] == "diagnostic" and k[3] == "unknown" and (k[0], k[1]) in expr:
            r = best.pop(k)
            nk = (k[0], k[1], k[2], expr[(k[0], k[1])])
            best[nk] = ExtractedRelation(**{**asdict(r), "direction": nk[3]})
            order[order.index(k)] = nk
    directed = {k[:3] for k in order if k[3] != "unknown"}
    out = []
    for k in order:
        r = best[k]
        if r.confidence < min_confidence or (k[3] == "unknown" and k[:3] in directed):
            continue
        if r.relation in ("inhibits", "activates") and (r.mirna, r.partner) in called_target:
            continue  # a target is a target, not also an indirect regulation
        if r.relation in ("silences", "activates") and (r.mirna, r.partner) in sponge_pairs:
            continue  # a sponge that lowers its miRNA is a sponge
        out.append(r)
    return out


def read_documents(path: str | Path, *, skip_bad: bool = False) -> Iterator[dict[str, Any]]:
    """Yield ``{"pmid", "title", "abstract"}`` dicts from a JSONL file.

    Raises
    ------
    FileFormatError
        A line is not a JSON object with ``pmid`` and ``title``/``abstract`` strings; the
        message gives the line number. With ``skip_bad`` such lines are logged and skipped.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"input file {str(p)!r} does not exist; give a JSONL file of abstracts")
    with p.open(encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                if not isinstance(d, dict):
                    raise ValueError("the line is not a JSON object")
                if not str(d.get("pmid") or "").strip():
                    raise ValueError('missing "pmid"')
                for k in ("title", "abstract"):
                    if d.get(k) is not None and not isinstance(d[k], str):
                        raise ValueError(f'"{k}" must be a string')
                if not (d.get("title") or d.get("abstract")):
                    raise ValueError('needs a "title" or an "abstract"')
            except ValueError as exc:
                err = FileFormatError(
                    p,
                    f"bad JSONL line ({exc}); expected "
                    '{"pmid": "...", "title": "...", "abstract": "..."}; fix it or pass --skip-bad',
                    line=lineno,
                )
                if skip_bad:
                    logger.warning("skipping: %s", err)
                    continue
                raise err from exc
            yield {
                "pmid": str(d["pmid"]),
                "title": d.get("title") or "",
                "abstract": d.get("abstract") or "",
            }


def extract_file(
    path: str | Path, *, skip_bad: bool = False, min_confidence: float = 0.5
) -> list[ExtractedRelation]:
    """Relations from every document of a JSONL file (see :func:`read_documents`).

    With ``skip_bad``, records over :data:`MAX_RECORD_CHARS` are logged and skipped too.
    """
    out: list[ExtractedRelation] = []
    for doc in read_documents(path, skip_bad=skip_bad):
        try:
            out.extend(extract_relations(doc, min_confidence=min_confidence))
        except InputError as err:
            if not skip_bad:
                raise
            logger.warning("skipping: %s", err)
    return out
