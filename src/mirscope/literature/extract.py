"""Rule-based relation extraction from titles and abstracts.

Each sentence is *masked*: entity mentions (:mod:`mirscope.literature.mentions`) become
placeholders such as ``⟨M0⟩`` (miRNA), ``⟨G1⟩`` (gene), ``⟨N2⟩`` (lncRNA/circRNA) and
``⟨C3⟩`` (cancer); aliases in brackets, parenthetical remarks and words like
"mRNA"/"expression" after a name are dropped, and coordinated lists
(``⟨G1⟩, ⟨G2⟩ and ⟨G3⟩``) become one group placeholder. Transparent patterns written
for the language of the field then read the relations off the masked sentence:

- ``targets`` (miRNA -> gene): "directly targets", "was identified as a direct target
  of", "binding sites of miR-124 in the 3'UTR of X", "X was a downstream target of",
  "negatively regulated", "by targeting", "miR-124/X axis";
- ``sponges`` (lncRNA/circRNA -> miRNA): "acts as a sponge of/for", "sponging",
  "competitively binds", "ceRNA", "competing endogenous RNA", "X/miR-124/Y axis"
  (also giving miR-124 ``targets`` Y) and "X acted as a ceRNA of miR-124 to upregulate Y";
- ``expression_change`` (miRNA in a cancer, with direction) and ``prognostic``.

Negated statements ("did not", "no significant", "but not X") are dropped; hedged ones
("may", "predicted", "potential") get a lower confidence unless the sentence also reports
an experimental confirmation (luciferase, validated, confirmed...).

Examples
--------
>>> rels = extract_relations({"pmid": "1", "title": "",
...     "abstract": "LINC00673 acts as a sponge for miR\u2011124 to upregulate SOX9 in gastric cancer."})
>>> sorted((r.relation, r.mirna, r.partner) for r in rels)
[('sponges', 'hsa-miR-124-3p', 'LINC00673'), ('targets', 'hsa-miR-124-3p', 'SOX9')]
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from mirscope.errors import FileFormatError, InputError
from mirscope.literature.mentions import Mention, find_mentions, normalize_text, split_sentences

__all__ = [
    "ExtractedRelation",
    "LiteratureRelation",
    "SentenceRelation",
    "extract_file",
    "extract_relations",
    "extract_sentence",
    "read_documents",
]

logger = logging.getLogger(__name__)

LiteratureRelation = Literal["targets", "sponges", "expression_change", "prognostic"]
PartnerType = Literal["gene", "lncrna", "circrna", "cancer"]


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict in output-column order."""
        return asdict(self)


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
_LIST = re.compile(
    r"⟨([MGN])(\d+)⟩(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|and/or|plus)\s+|\s*/\s*)"
    r"(?:the\s+|also\s+|both\s+)?⟨\1\d+⟩)+"
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
        return f"⟨{m.group(1)}{'+'.join(ids)}⟩"

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


_ADV = (
    r"(?:(?:directly|specifically|negatively|also|further|significantly|functionally|physically|"
    r"potentially|could|can|may|might|indeed|then|thereby|thus|subsequently|simultaneously|"
    r"post-?transcriptionally|strongly|markedly|effectively|preferentially|selectively|did|does|"
    r"do|would|will|efficiently|translationally|[a-z]+ly|"
    r"(?:was|were|is|are|has\s+been|have\s+been)\s+(?:found|shown|demonstrated|confirmed|reported|"
    r"proven|proved|observed|able|known|verified|validated)\s+to)\s+)*"
)
_BE = (
    r"(?:(?:is|was|are|were)\s+(?:found|shown|confirmed|demonstrated|predicted|proven|proved|reported|"
    r"identified|verified|validated|considered|thought)\s+to\s+be|is|was|are|were|be|been|being|to\s+be|has\s+been|have\s+been|had\s+been|may\s+be|"
    r"might\s+be|could\s+be|can\s+be|is\s+also|was\s+also|were\s+also|are\s+also)"
)
_GAP = r"(?:[^;⟨]|⟨[GC][\d+]+⟩){0,200}?"
_ADJ = (
    r"(?:(?:novel|new|direct|functional|downstream|potential|putative|bona\s+fide|key|major|"
    r"critical|important|main|specific|predicted|candidate|real|true|valid|known|validated|"
    r"possible|biological|common|crucial|authentic|genuine|physiological|conserved|well-known|"
    r"well-established|previously\s+(?:reported|identified|unknown)|further|additional|"
    r"confirmed|experimentally\s+validated|primary|essential|core|putatively|another|recognized|"
    r"recognised|established|reported|well-characterized|principal|physiologically\s+relevant|"
    r"downstream\s+functional|and|,)\s*)*"
)
_FOUND = (
    r"(?:(?:\w+\s+and\s+)?(?:identified|confirmed|validated|verified|found|shown|demonstrated|predicted|proved|"
    r"proven|considered|reported|known|revealed|determined|selected|recognized|established|"
    r"suggested|speculated|thought|believed|observed|discovered|screened|defined|presented|"
    r"characterized|further\s+\w+|experimentally\s+\w+)\s+)?"
)
_UTR = (
    r"(?:(?:the\s+)?(?:(?:wild[- ]?type|WT)\s+(?:,?\s*but\s+not\s+(?:the\s+)?(?:mutant|mutated)\s+)?)?"
    r"(?:3'\s*-?\s*UTRs?|3'\s*-?\s*untranslated\s+regions?|3'\s*-?\s*end|mRNAs?|transcripts?|"
    r"coding\s+sequence)\s+(?:region\s+)?(?:sequences?\s+)?(?:of\s+|in\s+)?)?"
)
_WHOSE_UTR = (
    r"(?:\s*,?\s*(?:whose|with\s+its|and\s+its)\s+3'\s*-?\s*(?:UTR|untranslated\s+region))?"
)
_DESC = r"(?:(?:the|a|an|its)\s+(?:[a-z][\w-]*\s+){0,3}?)?"
_SUPPRESS = (
    r"(?:suppress(?:ed|es)?|inhibit(?:ed|s)?|repress(?:ed|es)?|down-?regulat(?:ed|es)|"
    r"decreas(?:ed|es)|reduc(?:ed|es)|attenuat(?:ed|es)|silenc(?:ed|es)|abrogat(?:ed|es)|"
    r"diminish(?:ed|es)|lower(?:ed|s)|impair(?:ed|s)|block(?:ed|s))"
)
_UP = (
    r"(?:up-?regulat\w*|increas\w*|elevat\w*|enhanc\w*|promot\w*|modulat\w*|regulat\w*|"
    r"releas\w*|de-?repress\w*|restor\w*|facilitat\w*|activat\w*|affect\w*|control\w*|"
    r"rescu\w*|induc\w*|mediat\w*|boost\w*|maintain\w*|influenc\w*|reliev\w*|over-?expression|"
    r"up-?regulation|accumulation)"
)
_SPONGE_NOUN = r"(?:molecular\s+|miRNA\s+|microRNA\s+|endogenous\s+)?(?:sponges?|decoys?|ceRNAs?|competing\s+endogenous\s+RNAs?|competitive\s+endogenous\s+RNAs?)"
# (family, confidence, pattern); groups: a = regulator, b = regulated
_PATTERNS: list[tuple[str, float, re.Pattern[str]]] = [
    # --- sponges --------------------------------------------------------------------
    (
        "sponge",
        0.9,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:(?:acts?|acted|acting|functions?|functioned|functioning|serves?|served|serving|works?|"
            r"worked|behaves?|behaved|plays?\s+a\s+role|was\s+identified|were\s+identified|is|was|are|were)\s+)?"
            r"(?:as\s+)?(?:a|an)\s+(?:\w+\s+){0,2}?"
            + _SPONGE_NOUN
            + r"\s+(?:(?:of|for|against|targeting|that\s+\w+|to(?:\s+(?:absorb|adsorb|sequester|bind|sponge|"
            r"inhibit|suppress|competitively\s+bind))?(?:\s+to)?)\s+)?(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "sponge",
        0.9,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:sponge[sd]?|sponging|sequester(?:s|ed)?|sequestering|adsorb(?:s|ed)?|absorb(?:s|ed)?|"
            r"decoy(?:s|ed)?|competitively\s+(?:binds?|bound|binding|sponge[sd]?|inhibit(?:s|ed)?|"
            r"interact(?:s|ed)?|sequester(?:s|ed)?|absorb(?:s|ed)?|adsorb(?:s|ed)?)(?:\s+(?:to|with))?)\s+"
            r"(?:to\s+)?(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "sponge_gap",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via|thereby|while|and|to|in|,)\s+"
            + _ADV
            + r"(?:(?:the\s+)?sponging\s+(?:of\s+)?|sponging|sequestering|adsorbing|absorbing|competitively\s+(?:binding|sponging|"
            r"inhibiting|interacting)(?:\s+(?:to|with))?|acting\s+as\s+(?:a|an)\s+(?:\w+\s+){0,2}?"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to)|serving\s+as\s+(?:a|an)\s+"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to)|functioning\s+as\s+(?:a|an)\s+"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to))\s+(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "sponge_passive",
        0.85,
        re.compile(
            _A("b")
            + r"\s+"
            + _BE
            + r"\s+"
            + _ADV
            + r"(?:sponged|sequestered|adsorbed|absorbed|competitively\s+bound|decoyed)\s+by\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
    (
        "bind",
        0.7,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:interact(?:s|ed)?|bound|binds?|combined|combines?|could\s+bind)\s+"
            + _ADV
            + r"(?:with|to)\s+"
            + _UTR
            + r"(?:the\s+)?"
            + _A("b")
        ),
    ),
    # --- targets (also sponges when the roles are ncRNA -> miRNA) ------------------------
    (
        "target",
        0.9,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:targets?|targeted|bound|binds?|could\s+bind|recogni[sz]e[sd]?|recogni[sz]ing)"
            r"(?:\s+and\s+(?:\w+ly\s+)?(?:suppress|inhibit|repress|down-?regulat|regulat|decreas|reduc|silenc)\w*)?\s+"
            r"(?:directly\s+)?(?:to\s+)?" + _UTR + _DESC + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via|thereby|and|while|,)\s+"
            + _ADV
            + r"(?:targeting|binding(?:\s+directly)?(?:\s+to)?|(?:directly\s+)?target|"
            r"(?:directly\s+)?interacting\s+with)\s+" + _UTR + r"(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.65,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via|thereby)\s+"
            + _ADV
            + r"negatively\s+regulating\s+(?:the\s+)?(?:(?:expression|levels?)\s+of\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.45,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via|thereby)\s+"
            + _ADV
            + r"(?:directly\s+)?(?:suppressing|inhibiting|repressing|down-?regulating|silencing)\s+"
            r"(?:the\s+)?(?:(?:expression|levels?)\s+of\s+)?" + _A("b")
        ),
    ),
    (
        "target_passive",
        0.9,
        re.compile(
            _A("b")
            + r"\s*,?\s*(?:which\s+|that\s+)?(?:"
            + _BE
            + r"\s+)?"
            + _FOUND
            + r"(?:to\s+be\s+|as\s+)?(?:a|an|the|one|one\s+of\s+the)?\s*"
            + _ADJ
            + r"targets?\s*(?:genes?\s+|mRNAs?\s+)?(?:of|for)\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
    (
        "target_passive",
        0.9,
        re.compile(
            _A("b")
            + r"\s+"
            + _BE
            + r"\s+"
            + _ADV
            + r"(?:targeted|bound|recognized)\s+(?:directly\s+)?by\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
    (
        "target_passive",
        0.7,
        re.compile(
            _A("b")
            + r"\s+"
            + _BE
            + r"\s+"
            + _ADV
            + r"negatively\s+regulated\s+by\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
    (
        "target_passive",
        0.45,
        re.compile(
            _A("b")
            + r"\s+"
            + _BE
            + r"\s+"
            + _ADV
            + r"(?:suppressed|repressed|down-?regulated|silenced|inhibited|reduced|decreased|"
            r"regulated|modulated|controlled)"
            r"\s+by\s+(?:the\s+)?" + _A("a")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            r"(?:direct\s+)?(?:interactions?|binding)\s+(?:between|of)\s+(?:the\s+)?"
            + _A("a")
            + r"\s+(?:and|with|to)\s+"
            + _UTR
            + r"(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            r"target(?:ing|ed)\s+(?:of\s+)?(?:the\s+)?" + _A("b") + r"\s+by\s+(?:the\s+)?" + _A("a")
        ),
    ),
    (
        "target_passive",
        0.85,
        re.compile(
            _A("b")
            + _WHOSE_UTR
            + r"\s+(?:contains?|contained|harbou?rs?|harbou?red|has|had|possess(?:es|ed)?|carr(?:ies|ied))"
            r"\s+(?:\w+\s+){0,3}?" + _A("a") + r"\s*-?\s*binding\s+sites?"
        ),
    ),
    (
        "sponge",
        0.9,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:(?:acts?|acted|acting|functions?|functioned|functioning|serves?|served|serving|works?|"
            r"worked|is|was|are|were)\s+)?as\s+(?:a|an)\s+(?:\w+\s+)?"
            + _A("b")
            + r"\s*-?\s*(?:sponges?|decoys?)"
        ),
    ),
    (
        "target",
        0.9,
        re.compile(
            r"targets?\s+(?:genes?\s+)?of\s+(?:the\s+)?"
            + _A("a")
            + r"\s*,?\s*(?:including|such\s+as|namely|like|:|,|was|were|is|are)\s+(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("b")
            + r"\s*,\s*(?:a|an|the|one)\s+(?:of\s+the\s+)?"
            + _ADJ
            + _A("a")
            + r"\s*-?\s*targets?\b"
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + r"\s*-?\s*(?:target(?:ed)?\s+(?:genes?\s+)?|targeting\s+)(?:the\s+)?(?:genes?\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.9,
        re.compile(
            r"binding\s+sites?\s+(?:of|for)\s+(?:the\s+)?"
            + _A("a")
            + r"\s+(?:in|within|on|at|located\s+in)\s+"
            + _UTR
            + r"(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.9,
        re.compile(
            _A("a") + r"\s*-?\s*binding\s+sites?\s+(?:(?:was|were|is|are)\s+(?:\w+\s+)?)?"
            r"(?:present\s+|located\s+|found\s+|identified\s+|predicted\s+)?(?:in|within|on)\s+"
            + _UTR
            + r"(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target_passive",
        0.85,
        re.compile(
            _A("b")
            + _WHOSE_UTR
            + r"\s+(?:contains?|contained|harbou?rs?|harbou?red|has|had|possess(?:es|ed)?|carr(?:ies|ied))"
            r"\s+(?:\w+\s+){0,3}?binding\s+sites?\s+(?:of|for)\s+(?:the\s+)?" + _A("a")
        ),
    ),
    (
        "target",
        0.8,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"directly\s+(?:regulated|regulates|regulate|modulated|modulates|controlled|controls)\s+"
            r"(?:the\s+)?(?:(?:expression|levels?)\s+of\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.7,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"negatively\s+(?:regulated|regulates|regulate|modulated|modulates|controlled|controls)\s+"
            r"(?:the\s+)?(?:(?:expression|levels?)\s+of\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.45,
        re.compile(
            r"(?:(?:over-?expression|up-?regulation|ectopic\s+expression|restoration|transfection)\s+of\s+)?"
            + _A("a")
            + r"\s+"
            + _ADV
            + _SUPPRESS
            + r"\s+(?:the\s+)?(?:(?:mRNA|protein)\s+(?:and\s+(?:mRNA|protein)\s+)?)?"
            r"(?:(?:expression|levels?|abundance)\s+(?:of\s+)?)?" + _A("b")
        ),
    ),
    (
        "target",
        0.65,
        re.compile(
            _A("a")
            + r"\s*-?\s*mediated\s+(?:post-?transcriptional\s+)?(?:repression|suppression|down-?regulation|"
            r"inhibition|silencing|targeting|regulation)\s+of\s+(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.65,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via)\s+(?:the\s+|its\s+)?(?:direct(?:ly)?\s+)?(?:negative\s+regulation|repression|"
            r"silencing)\s+of\s+" + _DESC + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via)\s+(?:the\s+|its\s+)?(?:direct\s+)?targeting\s+of\s+"
            + _DESC
            + _A("b")
        ),
    ),
    (
        "target",
        0.45,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via)\s+(?:the\s+)?(?:suppression|down-?regulation|inhibition)\s+of\s+"
            + _DESC
            + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:targets?|targeting|targeted)\s+(?:\w+\s+){0,3}?(?:genes|oncogenes|targets|mRNAs|"
            r"proteins|factors|regulators|molecules|components)\s*,?\s*(?:including|such\s+as|like|"
            r"e\.g\.,?|namely)\s+(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.75,
        re.compile(
            _A("a")
            + r"\s+(?:"
            + _BE
            + r"\s+|as\s+)"
            + _FOUND
            + r"(?:to\s+be\s+|as\s+)?(?:a|an|the)\s+(?:novel\s+|new\s+|bona\s+fide\s+)?direct\s+"
            r"(?:negative\s+)?(?:regulator|repressor|suppressor|inhibitor)\s+of\s+(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target",
        0.65,
        re.compile(
            _A("a")
            + r"\s*-?\s*mediated\s+(?:\w+\s+){0,1}?"
            + _A("b")
            + r"\s+(?:repression|suppression|down-?regulation|inhibition|silencing)"
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + r"\s+targets?\s*,?\s*(?:such\s+as|including|namely|like|e\.g\.,?)\s+(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target_passive",
        0.85,
        re.compile(
            _A("b")
            + r"\s+(?:"
            + _BE
            + r"\s+)?"
            + _FOUND
            + r"(?:to\s+be\s+|as\s+)(?:a|an|the)?\s*"
            + _ADJ
            + _A("a")
            + r"\s*-?\s*targets?\b(?!\s+(?:of|for)\b)"
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:(?:reduced|decreased|suppressed|inhibited|attenuated|repressed|diminished|lowered)\s+"
            r"|(?:led\s+to|resulted\s+in|caused)\s+(?:a\s+)?(?:\w+\s+)?(?:reduction|decrease|inhibition|"
            r"suppression|loss)\s+(?:in|of)\s+)"
            r"(?:the\s+)?(?:relative\s+)?(?:firefly\s+)?luciferase\s+activit(?:y|ies)\s+(?:of|in|with|from)\s+"
            r"(?:the\s+)?(?:[\w'-]+\s+){0,6}?(?:wild[- ]?type\s+|WT\s+)?(?:\(WT\)\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.75,
        re.compile(
            _A("a")
            + r"(?:[^;⟨]|⟨C[\d+]+⟩){0,120}?\bits\s+(?:"
            + _ADJ
            + r")?targets?(?:\s+genes?)?\s*,?\s*"
            + r"(?:(?:the|an?)\s+(?:[a-z][\w-]*\s+){0,3}?)?"  # "its target, the transcription factor X"
            + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            _A("a")
            + r"\s+"
            + _ADV
            + r"(?:recogni[sz]\w*|bind\w*|bound|target\w*)\s+(?:\w+\s+){0,3}?(?:binding\s+)?sites?\s+"
            r"(?:in|within|on|of)\s+" + _UTR + r"(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.85,
        re.compile(
            r"(?:a|an|the|one)\s+"
            + _ADJ
            + _A("a")
            + r"\s*-?\s*targets?(?:\s+genes?)?(?:\s+in\s+(?:the\s+)?[\w-]+(?:\s+cells)?)?\s*,\s*(?:the\s+)?"
            + _A("b")
        ),
    ),
    (
        "target_passive",
        0.85,
        re.compile(
            _A("b")
            + r"\s+(?:was|were|is|are)\s+(?:[^;⟨]|⟨C\d+⟩){0,80}?\s+and\s+(?:was|were|is|are)\s+(?:also\s+)?"
            + _FOUND
            + r"(?:to\s+be\s+|as\s+)?(?:a|an|the|one)\s+"
            + _ADJ
            + r"targets?\s*(?:genes?\s+)?(?:of|for)\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
    (
        "sponge_gap",
        0.85,
        re.compile(
            _A("a")
            + _GAP
            + r"\b(?:by|through|via|while|and|,)\s+(?:acting|serving|functioning|working)\s+as\s+(?:a|an)\s+"
            r"(?:\w+\s+)?" + _A("b") + r"\s*-?\s*(?:sponges?|decoys?)"
        ),
    ),
    # subject ellipsis: "X was upregulated in GC and acted as a sponge for miR-124"
    (
        "sponge",
        0.8,
        re.compile(
            _A("a")
            + r"\s+(?:was|were|is|are)\s+(?:[^;⟨]|⟨C\d+⟩){0,80}?\s+and\s+"
            + _ADV
            + r"(?:(?:(?:acts?|acted|functions?|functioned|serves?|served|works?|worked)\s+as\s+(?:a|an)\s+"
            r"(?:\w+\s+){0,2}?"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to|against)?)|sponged|sponges|sequestered|competitively\s+bound(?:\s+to)?)"
            r"\s*(?:the\s+)?" + _A("b")
        ),
    ),
    (
        "target",
        0.8,
        re.compile(
            _A("a")
            + r"\s+(?:was|were|is|are)\s+(?:[^;⟨]|⟨C\d+⟩){0,80}?\s+and\s+"
            + _ADV
            + r"(?:targeted|targets|bound\s+(?:directly\s+)?to|binds\s+(?:directly\s+)?to)\s+"
            + _UTR
            + r"(?:the\s+)?"
            + _A("b")
        ),
    ),
    # --- ceRNA downstream targets -------------------------------------------------------
    (
        "downstream",
        0.75,
        re.compile(
            r"(?:sponges?|sponged|sponging|ceRNAs?|competing\s+endogenous\s+RNAs?|sequester\w*|"
            r"competitively\s+\w+)\s+(?:(?:to|of|for|with)\s+)?(?:the\s+)?"
            + _A("a")
            + _GAP
            + r"\b(?:to|and|thereby|thus|which|,|leading\s+to|resulting\s+in|so\s+as\s+to|thus\s+to)\s+"
            r"(?:\w+\s+){0,3}?"
            + _UP
            + r"\s+(?:of\s+)?(?:the\s+)?(?:(?:expression|levels?|activity|repression|suppression|inhibition)\s+(?:of\s+)?)?"
            + _A("b")
        ),
    ),
    (
        "downstream",
        0.75,
        re.compile(  # "acting as a miR-124 sponge to upregulate X"
            _A("a")
            + r"\s*-?\s*(?:sponges?|decoys?)"
            + _GAP
            + r"\b(?:to|and|thereby|thus|which|,|leading\s+to|resulting\s+in|so\s+as\s+to|thus\s+to)\s+"
            r"(?:\w+\s+){0,3}?"
            + _UP
            + r"\s+(?:of\s+)?(?:the\s+)?(?:(?:expression|levels?|activity|repression|suppression|inhibition)\s+(?:of\s+)?)?"
            + _A("b")
        ),
    ),
    (
        "downstream",
        0.75,
        re.compile(
            _UP
            + r"\s+(?:the\s+)?(?:(?:expression|levels?)\s+of\s+)?"
            + _A("b")
            + _GAP
            + r"\b(?:by|through|via|as)\s+"
            + _ADV
            + r"(?:sponging|sequestering|competitively\s+binding(?:\s+to)?|acting\s+as\s+(?:a|an)\s+"
            r"(?:\w+\s+){0,2}?"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to)|(?:a|an)\s+"
            + _SPONGE_NOUN
            + r"\s+(?:of|for|to))\s+(?:the\s+)?"
            + _A("a")
        ),
    ),
]

# sentence-initial capitals ("Targeting of X by miR-124", "Binding sites of ...")
_PATTERNS = [(f, c, re.compile(p.pattern, re.I)) for f, c, p in _PATTERNS]

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
    r"(?:\w+\s+){0,3}?(?:its|the)\s+3'",
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
_DOWN_WORDS = r"(?:down-?regulated|decreased|reduced|lower|low|down-?expressed|under-?expressed|silenced|lost|suppressed|diminished|attenuated)"
_UP_WORDS = (
    r"(?:up-?regulated|increased|elevated|higher|high|over-?expressed|enriched|induced|amplified)"
)
_EXPR_ADV = r"(?:(?:significantly|markedly|dramatically|frequently|consistently|aberrantly|remarkably|notably|commonly|substantially|obviously|highly|strongly|greatly|evidently|often|also|was|were|is|are|found|to\s+be|be|been)\s+)*"
_EXPR1 = re.compile(
    r"(?P<m>⟨M[\d+]+⟩)\s+(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|remained|appeared)\s+"
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
_PROG_LINK = re.compile(
    r"\b(?:associated|correlated|predict\w*|related|linked|independent|prognostic|biomarker|"
    r"marker|indicator|shorter|poorer|worse|longer|better|favou?rable|unfavou?rable|"
    r"stratif\w*|factor)\b",
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


def _roles(
    family: str, a: Mention, b: Mention
) -> tuple[LiteratureRelation, Mention, Mention, float] | None:
    """Map (pattern family, regulator kind, regulated kind) to a typed relation.

    Returns (relation, mirna mention, partner mention, confidence factor) or None.
    """
    ka, kb = a.kind, b.kind
    nc = ("lncrna", "circrna")
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


def extract_sentence(
    sentence: str,
    *,
    mentions: list[Mention] | None = None,
    default_mirna: str | None = None,
    confirmation: str = "",
) -> list[SentenceRelation]:
    """Typed relations in one sentence (without PMID or document-level cancer).

    ``confirmation`` is text that may confirm a hedged statement (the next sentence when it
    reports e.g. a luciferase assay about the same gene).
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

    def add(rel: LiteratureRelation, mir: Mention, partner: Mention, conf: float) -> None:
        if mir.kind != "mirna":
            return
        ptype = partner.kind if partner.kind in ("gene", "lncrna", "circrna") else "gene"
        hits.append(SentenceRelation(mir.name, partner.name, ptype, rel, round(conf, 3)))  # type: ignore[arg-type]

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
                add("targets", mir, y, 0.8)
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
                add("targets", mir, mentions[i], 0.75)
    s_noaxis = _AXIS3.sub(lambda m: " ", s)
    for m in _AXIS2.finditer(s_noaxis):
        if _negated(s_noaxis, m.start(), m.end()):
            continue
        x, y = mentions[_ids(m.group("x"))[0]], mentions[_ids(m.group("y"))[0]]
        if x.kind == "mirna" and y.kind == "gene":
            add("targets", x, y, 0.75)
        elif x.kind in ("lncrna", "circrna") and y.kind == "mirna":
            add("sponges", y, x, 0.8)
        elif x.kind == "mirna" and y.kind in ("lncrna", "circrna"):
            add("sponges", x, y, 0.7)

    c = _collapse_lists(s)
    for family, conf, pat in _PATTERNS:
        for m in pat.finditer(c):
            if _negated(c, m.start(), m.end()):
                continue
            if _PATHWAY_AFTER.match(c, m.end()) or (
                m.group("b").count("+") >= 2 and "/" in m.group(0)
            ):
                continue  # "inhibited the Rac1/MKK4/JNK pathway", "NF-kB activity": not a target
            factor = 0.5 if _hedged(c, m.start(), m.end(), confirm_text) else 1.0
            if conf < 0.8 and (
                re.search(r"\bdirect(?:ly)?\b", m.group(0)) or _VIA_UTR.match(c, m.end())
            ):
                factor *= 0.85 / conf
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
                add(rel, mir, partner, conf * f * factor)

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
                            default_mirna, b.name, "gene", "targets", round(0.75 * factor, 3)
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
                            )
                        )
    # prognosis
    if (
        _PROG.search(s)
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
                    mm.name, "", "cancer", "prognostic", round(0.7 * factor, 3), d, cancer
                )
            )
    return hits


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


def extract_relations(
    document: Mapping[str, Any], *, min_confidence: float = 0.5
) -> list[ExtractedRelation]:
    """Typed relations from one ``{"pmid", "title", "abstract"}`` document.

    One relation per (miRNA, partner, relation type, direction), keeping the sentence
    with the highest confidence; only relations with ``confidence >= min_confidence``.

    Raises
    ------
    InputError
        ``min_confidence`` outside [0, 1] or a document without ``pmid``.

    Examples
    --------
    >>> doc = {"pmid": "7", "title": "miR-124 inhibits glioma growth by targeting SOX9 and CDK6.",
    ...        "abstract": "However, miR-124 did not target AKT1."}
    >>> [(r.partner, r.relation) for r in extract_relations(doc)]
    [('SOX9', 'targets'), ('CDK6', 'targets')]
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"min_confidence must be within [0, 1], got {min_confidence}")
    pmid = str(document.get("pmid") or "").strip()
    if not pmid:
        raise InputError(f"document has no 'pmid': {str(dict(document))[:80]}")
    title = _clean_text(str(document.get("title") or ""))
    abstract = _clean_text(str(document.get("abstract") or ""))
    sentences = ([title] if title else []) + split_sentences(abstract)
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
            new = _PRONOUN_MIR.sub(next(iter(mirs.values())).text, new)
        resolved.append((sent, new, find_mentions(new) if new != sent else ms))
    doc_cancer = _doc_cancer(all_mentions)
    mirnas = Counter(m.name for m in all_mentions if m.kind == "mirna")
    default = next(iter(mirnas)) if len(mirnas) == 1 else None
    best: dict[tuple[str, str, str, str], ExtractedRelation] = {}
    order: list[tuple[str, str, str, str]] = []
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
        for h in extract_sentence(
            text, mentions=ms, default_mirna=default, confirmation=confirmation
        ):
            cancer = h.cancer or doc_cancer
            partner, ptype = h.partner, h.partner_type
            if h.relation in ("expression_change", "prognostic"):
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
            )
            key = (rel.mirna, rel.partner, rel.relation, rel.direction)
            if key not in best:
                order.append(key)
                best[key] = rel
            elif rel.confidence > best[key].confidence:
                best[key] = rel
    directed = {k[:3] for k in order if k[3] != "unknown"}
    return [
        best[k]
        for k in order
        if best[k].confidence >= min_confidence and not (k[3] == "unknown" and k[:3] in directed)
    ]


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
    """Relations from every document of a JSONL file (see :func:`read_documents`)."""
    out: list[ExtractedRelation] = []
    for doc in read_documents(path, skip_bad=skip_bad):
        out.extend(extract_relations(doc, min_confidence=min_confidence))
    return out
