"""Effect statements: phenotypes, pathways, therapies, indirect regulation and silencing.

One reader, driven by the lexicon in ``rules/effects.yaml``, covers the relation types whose
evidence is a verb with a polarity rather than a binding claim:

- ``affects_phenotype`` (miRNA -> phenotype), ``regulates_pathway`` (miRNA -> pathway);
- ``sensitizes_to`` (miRNA -> therapy; "sensitivity to X" +1, "resistance to X" -1);
- ``inhibits`` / ``activates`` (miRNA -> gene, not claimed as a target);
- ``silences`` / ``activates`` of the miRNA itself (regulator -> miRNA; promoter methylation).

The sentence is masked (``⟨M0⟩`` miRNA, ``⟨G1⟩`` gene, ``⟨N2⟩`` lncRNA/circRNA, ``⟨P3⟩``
phenotype, ``⟨W4⟩`` pathway, ``⟨T5⟩`` therapy, ``⟨X6⟩`` promoter methylation), coordinated
lists collapse into one group, and for each object the nearest verb before it gives the
polarity; the clause's first molecule is the subject. Loss of function of the subject
("knockdown of miR-21", "miR-21 inhibitor") flips the sign: the sign is always the effect
of the miRNA itself. Negated clauses give nothing; hedged ones are flagged.

Examples
--------
>>> [(h.relation, h.partner, h.sign) for h in read_effects(
...     "Knockdown of miR-21 suppressed proliferation and induced apoptosis.")]
[('affects_phenotype', 'proliferation', 1), ('affects_phenotype', 'apoptosis', -1)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from mirscope.literature.concepts import find_concepts
from mirscope.literature.mentions import Mention, find_mentions, normalize_text

__all__ = ["EffectHit", "read_effects"]

_LETTER = {
    "mirna": "M",
    "gene": "G",
    "lncrna": "N",
    "circrna": "N",
    "cancer": "C",
    "phenotype": "P",
    "pathway": "W",
    "therapy": "T",
    "other": "X",
}


@dataclass(frozen=True)
class EffectHit:
    """One effect statement about a miRNA (``partner_is_subject`` for regulator -> miRNA)."""

    mirna: str
    partner: str
    partner_type: str
    relation: str
    sign: int
    confidence: float
    hedged: bool = False
    partner_is_subject: bool = False


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The effect lexicon (``rules/effects.yaml``) as loaded."""
    text = resources.files("mirscope.literature").joinpath("rules/effects.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _verb_forms(base: str) -> str:
    words = base.split()
    head = words[0]
    if head.endswith("e"):
        stem = re.escape(head[:-1])
        forms = rf"{stem}(?:e|es|ed|ing)"
    elif head.endswith("y"):
        stem = re.escape(head[:-1])
        forms = rf"{stem}(?:y|ies|ied|ying)"
    elif (
        re.search(
            r"(?:ct|it|ss|sh|ck|nd|st|rt|ft|ow|ng|rb|lt|ct|ch|ee|ay|ve|rm|er|rn|ch|gn)$", head
        )
        or True
    ):
        stem = re.escape(head)
        forms = rf"{stem}(?:s|es|ed|ing|ted|ped|red|led)?"
    rest = "".join(rf"\s+{re.escape(w)}" for w in words[1:])
    return forms.replace(r"\-", r"-?") + rest


@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern[str]]:
    lx = lexicon()
    v = lx["verbs"]
    down = "|".join(_verb_forms(w) for w in sorted(v["down"], key=len, reverse=True))
    up = "|".join(_verb_forms(w) for w in sorted(v["up"], key=len, reverse=True))
    ndown = "|".join(
        re.escape(w).replace(r"\-", "-?").replace(r"\ ", r"\s+") for w in v["nouns_down"]
    )
    nup = "|".join(re.escape(w).replace(r"\-", "-?").replace(r"\ ", r"\s+") for w in v["nouns_up"])
    lof = lx["loss_of_function"]
    before = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(lof["before"], key=len, reverse=True)
    )
    after = "|".join(re.escape(w) for w in sorted(lof["after"], key=len, reverse=True))
    filler = (
        r"(?:\s+|⟨C\d+⟩|\b(?:the|of|in|on|both|also|significantly|markedly|dramatically|remarkably|"
        r"obviously|further|their|its|cells?'?|cellular|cancer|tumou?r|(?-i:[A-Z][\w-]*\d[\w-]*)|"
        r"(?-i:[A-Z]{2,6}s?)|soft|agar|anchorage-independent|"
        r"expression|expressions|levels?|mRNA|protein|and|abilit(?:y|ies)|capacit(?:y|ies)|"
        r"rates?|activit(?:y|ies)|status|a|an|vitro|vivo)\b|,)*?"
    )
    return {
        "verb": re.compile(
            rf"(?<!-)\b(?:(?P<down>{down})|(?P<up>{up})|(?P<ndown>(?:{ndown})s?)\s+(?:of|in)|"
            rf"(?P<nup>(?:{nup})s?)\s+(?:of|in))\b",
            re.I,
        ),
        "filler": re.compile(rf"^{filler}$", re.I),
        "gene_filler": re.compile(rf"^{filler.replace('|in|on|', '|')}$", re.I),
        "lof_before": re.compile(
            rf"\b(?:{before})\s+(?:of\s+)?(?:the\s+)?(?:endogenous\s+)?(?:expression\s+of\s+)?$",
            re.I,
        ),
        "lof_after": re.compile(rf"\s*-?\s*(?:{after})\b", re.I),
        "lof_prefix": re.compile(
            r"(?:\banti-?\s*|\binhibitors?\s+(?:of|against)\s+|\bantagomirs?\s+(?:of|against)\s+)$",
            re.I,
        ),
        "break": re.compile("|".join(f"(?:{b})" for b in lx["clause_breaks"]), re.I),
        "neg": re.compile(
            r"\b(?:not|no|never|neither|nor|failed\s+to|fail\s+to|unable\s+to|cannot|without)\b",
            re.I,
        ),
        "hedge": re.compile(
            r"\b(?:may|might|possibly|potential(?:ly)?|putative|predicted|suggest\w*|likely|"
            r"presumabl\w*|hypothes\w*)\b",
            re.I,
        ),
    }


def _mentions(sentence: str) -> list[Mention]:
    base = find_mentions(sentence)
    concepts = find_concepts(sentence)
    keep = [m for m in base if m.kind in ("mirna", "lncrna", "circrna")]
    out = list(keep)
    for c in concepts:
        if not any(not (c.end <= k.start or c.start >= k.end) for k in keep):
            out.append(c)
    for g in base:
        if g.kind in ("gene", "cancer") and not any(
            not (g.end <= k.start or g.start >= k.end) for k in out
        ):
            out.append(g)
    return sorted(out, key=lambda m: m.start)


_THERAPY_OBJ = [
    (
        re.compile(
            r"(?:chemo-?|radio-?)?sensitivit(?:y|ies)\s+(?:of\s+(?:[\w'-]+\s+){0,5}?)?(?:to|towards|for)\s+(⟨T\d+⟩)",
            re.I,
        ),
        "S",
    ),
    (
        re.compile(
            r"(⟨T\d+⟩)[\s-]+(?:sensitivity|sensitivities|chemosensitivity|response|efficacy|cytotoxicity)",
            re.I,
        ),
        "S",
    ),
    (
        re.compile(
            r"(?:(?:treatment|therapeutic|inhibitory|cytotoxic|anti-?tumou?r)\s+)?(?:effects?|efficacy)\s+of\s+(⟨T\d+⟩)",
            re.I,
        ),
        "S",
    ),
    (
        re.compile(
            r"(?:chemo-?|radio-?|drug\s+)?resistance\s+(?:of\s+(?:[\w'-]+\s+){0,5}?)?(?:to|against)\s+(⟨T\d+⟩)",
            re.I,
        ),
        "R",
    ),
    (re.compile(r"(⟨T\d+⟩)[\s-]+(?:resistance|resistant|chemoresistance|tolerance)", re.I), "R"),
]
_SENSITIZE = re.compile(
    r"\b(?:(?:re-?)?sensiti[sz](?:e|es|ed|ing)|resensiti[sz]\w*)\s+(?:(?:[\w'-]+|⟨C\d+⟩)\s+){0,6}?(?:to|towards)\s+(⟨T\d+⟩)",
    re.I,
)
_PASSIVE = re.compile(
    r"(?P<o>⟨[PWGMSR][\d+]+⟩)(?:\s+(?:[\w-]+\s+){0,4}?)?\s*(?:was|were|is|are|being|been|could\s+be|can\s+be)\s+"
    r"(?:\w+ly\s+)?(?P<v>[a-z-]+ed)\s+(?:by|after|upon|following|with)\s+"
    r"(?P<pre>(?:the\s+)?(?:[\w-]+\s+){0,3}?)(?P<s>⟨[MGNX][\d+]+⟩)(?P<post>\s*-?\s*\w+)?",
    re.I,
)
_RESCUE = re.compile(
    r"\b(?:revers|rescu|abrogat|counteract|abolish|neutrali[sz]|offset)\w*\b[^.;]*?"
    r"(?:-(?:induced|mediated)|effects?\s+of|(?:promoting|inhibitory|suppressive)\s+effects?)",
    re.I,
)
_THERAPEUTIC = re.compile(r"\btherapeutic\s+targets?\b", re.I)
_MANIP_LEAD = re.compile(
    r"\s*(?:[A-Z][a-z]+ly,?\s+|In\s+addition,?\s+|Moreover,?\s+|Furthermore,?\s+|Finally,?\s+|"
    r"Additionally,?\s+|We\s+(?:found|showed|observed)\s+that\s+|and\s+)*",
    re.I,
)
_MODIFIER = re.compile(
    r"\s*-?\s*(?:signal\w*-)?(?:mediated|induced|dependent|targeted|driven|regulated|related|"
    r"associated|specific|positive|negative)\b|\s+target\s+genes?\b",
    re.I,
)
_LIST = re.compile(
    r"⟨([MGNPWSRTX])(\d+)⟩(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|and/or)\s+)"
    r"(?:the\s+|also\s+|cell\s+|cellular\s+)?⟨\1\d+⟩)+"
)


def _collapse(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ids = re.findall(r"⟨[A-Z](\d+)⟩", m.group(0))
        return f"⟨{m.group(1)}{'+'.join(ids)}⟩"

    return _LIST.sub(repl, s)


def _ids(ph: str) -> list[int]:
    return [int(x) for x in ph[2:-1].split("+")]


def _polarity(verb: re.Match[str]) -> int:
    return -1 if (verb.group("down") or verb.group("ndown")) else 1


def _flip(s: str, start: int, end: int) -> int:
    rx = _regexes()
    before = s[max(0, start - 60) : start]
    if rx["lof_before"].search(before) or rx["lof_prefix"].search(before):
        return -1
    if rx["lof_after"].match(s, end):
        return -1
    return 1


def read_effects(sentence: str, *, mentions: list[Mention] | None = None) -> list[EffectHit]:
    """Effect statements with a miRNA end in one sentence (see the module docstring).

    ``mentions`` are the molecule and concept mentions of the sentence (default: found here).
    """
    sentence = normalize_text(sentence)
    ms = _mentions(sentence) if mentions is None else mentions
    if not any(m.kind == "mirna" for m in ms):
        return []
    rx = _regexes()
    out, pos = [], 0
    for i, m in enumerate(ms):
        out.append(sentence[pos : m.start])
        out.append(f"⟨{_LETTER[m.kind]}{i}⟩")
        pos = m.end
    out.append(sentence[pos:])
    s = "".join(out)
    s = re.sub(r"(⟨[A-Z]\d+⟩)\s*\(\s*⟨[A-Z]\d+⟩\s*\)", r"\1", s)
    s = re.sub(r"\s*\((?:[^()⟨⟩])*\)", "", s)
    s = re.sub(r"\s*\[[^\[\]⟨⟩]*\]", "", s)
    for pat, letter in _THERAPY_OBJ:
        s = pat.sub(lambda m, L=letter: f"⟨{L}{m.group(1)[2:-1]}⟩", s)
    s = _SENSITIZE.sub(lambda m: f"increased ⟨S{m.group(1)[2:-1]}⟩", s)
    # radiosensitivity / chemosensitivity written as one phenotype word
    for i, m in enumerate(ms):
        if m.kind == "phenotype" and m.name == "radiosensitivity":
            s = s.replace(f"⟨P{i}⟩", f"⟨S{i}⟩")
        elif m.kind == "phenotype" and m.name == "radioresistance":
            s = s.replace(f"⟨P{i}⟩", f"⟨R{i}⟩")
    s = _collapse(s)
    hits: list[EffectHit] = []

    def emit(subj_ph: str, obj_ph: str, sign: int, conf: float, clause: str) -> None:
        if rx["neg"].search(clause) or _RESCUE.search(clause) or _THERAPEUTIC.search(clause):
            return  # negated; a rescue experiment; "a promising therapeutic target for ..."
        hedged = bool(rx["hedge"].search(clause))
        factor = 0.5 if hedged else 1.0
        okind = obj_ph[1]
        for si in _ids(subj_ph):
            subj = ms[si]
            for oi in _ids(obj_ph):
                obj = ms[oi]
                if okind in "PWSR" and subj.kind == "mirna":
                    if okind == "P" and obj.name in ("chemosensitivity", "radiosensitivity"):
                        continue
                    rel = {"P": "affects_phenotype", "W": "regulates_pathway"}.get(
                        okind, "sensitizes_to"
                    )
                    sg = sign * (-1 if okind == "R" else 1)
                    ptype = {"P": "phenotype", "W": "pathway"}.get(okind, "therapy")
                    name = obj.name
                    if okind in "SR" and obj.kind == "phenotype":
                        name = "radiotherapy"
                    hits.append(
                        EffectHit(subj.name, name, ptype, rel, sg, round(0.7 * factor, 3), hedged)
                    )
                elif okind == "G" and subj.kind == "mirna":
                    if re.match(r"(?:p|phospho)-", obj.text, re.I) and sign > 0:
                        pass
                    hits.append(
                        EffectHit(
                            subj.name,
                            obj.name,
                            "gene",
                            "inhibits" if sign < 0 else "activates",
                            sign,
                            round(0.6 * factor, 3),
                            hedged,
                        )
                    )
                elif okind == "M" and subj.kind in ("gene", "lncrna", "circrna", "other"):
                    ptype = subj.kind
                    hits.append(
                        EffectHit(
                            obj.name,
                            subj.name,
                            ptype,
                            "silences" if sign < 0 else "activates",
                            sign,
                            round(0.6 * factor, 3),
                            hedged,
                            partner_is_subject=True,
                        )
                    )

    # active voice: nearest verb before each object; subject = the clause's first molecule
    for om in re.finditer(r"⟨[PWSRGM][\d+]+⟩", s):
        start = om.start()
        if _MODIFIER.match(s, om.end()):
            continue  # "p53-mediated apoptosis", "the miR-181a-targeted gene": a modifier
        left = s[:start]
        breaks = list(rx["break"].finditer(left))
        cstart = breaks[-1].end() if breaks else 0
        clause = left[cstart:]
        verbs = list(rx["verb"].finditer(clause))
        if not verbs:
            continue
        v = verbs[-1]
        if om.group(0)[1] == "M" and not (v.group("down") or v.group("up")):
            continue  # "the suppressive effects of miR-124": the miRNA acts, it is not acted on
        filler = rx["gene_filler"] if om.group(0)[1] in "GM" else rx["filler"]
        if not filler.match(clause[v.end() :]):
            continue
        subj = re.search(r"⟨[MGNX][\d+]+⟩", clause[: v.start()])
        if subj is None and breaks and re.search(r"\b(?:but|while|whereas)\b", breaks[-1].group(0)):
            # "X inhibited proliferation, but induced apoptosis": the subject carries over
            pstart = breaks[-2].end() if len(breaks) > 1 else 0
            prev = s[pstart : breaks[-1].start()]
            psubj = re.search(r"⟨[MGNX][\d+]+⟩", prev)
            if psubj is not None:
                cstart, clause = pstart, s[pstart:start]
                subj = re.search(re.escape(psubj.group(0)), clause)
        if subj is None:
            continue
        manip = 1
        before_verbs = [
            x
            for x in rx["verb"].finditer(clause[: subj.start()])
            if x.group("down") or x.group("up")
        ]
        if before_verbs:
            g = before_verbs[-1]
            gerund = re.fullmatch(r"\w+ing", g.group(0).split()[0]) is not None
            if not (gerund and _MANIP_LEAD.fullmatch(clause[: g.start()])):
                continue  # "increased PTENP1 and decreased miR-19b": the molecule is an object
            manip = _polarity(g)  # "Restoring miR-145 ...", "Reducing miR-223 expression ..."
        sabs = cstart + subj.start()
        sign = _polarity(v) * _flip(s, sabs, cstart + subj.end()) * manip
        conf = 0.7
        emit(subj.group(0), om.group(0), sign, conf, clause)
    # passive voice: "proliferation was inhibited by miR-145 overexpression"
    for pm in _PASSIVE.finditer(s):
        vm = rx["verb"].fullmatch(pm.group("v"))
        if vm is None:
            continue
        sign = _polarity(vm)
        pre, post = pm.group("pre") or "", pm.group("post") or ""
        if rx["lof_before"].search(pre) or rx["lof_after"].match(post):
            sign = -sign
        emit(pm.group("s"), pm.group("o"), sign, 0.65, s[pm.start() : pm.end()])
    # "miR-124 is silenced by promoter hypermethylation"; "hypermethylation of the miR-124 promoter"
    for mm in re.finditer(
        r"(?P<m>⟨M[\d+]+⟩)\s+(?:\w+\s+){0,3}?(?:silenced|down-?regulated|repressed|inactivated|suppressed|"
        r"reduced)\s+(?:\w+\s+){0,3}?(?:by|through|via|due\s+to|owing\s+to)\s+(?:the\s+|its\s+|aberrant\s+)?"
        r"(?P<x>⟨X\d+⟩)|(?P<x2>⟨X\d+⟩)\s+of\s+(?:the\s+)?(?P<m2>⟨M[\d+]+⟩)",
        s,
    ):
        mph, xph = mm.group("m") or mm.group("m2"), mm.group("x") or mm.group("x2")
        emit(xph, mph, -1, 0.7, s[max(0, mm.start() - 30) : mm.end()])
    for mm in re.finditer(
        r"(?:(?:genes?|loci|promoters?|CpG\s+islands?)\s+(?:encoding|of)\s+(?:the\s+)?(?P<m>⟨M[\d+]+⟩)|"
        r"(?P<m2>⟨M[\d+]+⟩)\s*(?:promoters?|genes?|loci|CpG\s+islands?))\s+(?:was|were|is|are|being|been)\s+"
        r"(?:\w+ly\s+)?(?:hyper-?)?methylated",
        s,
        re.I,
    ):
        mph = mm.group("m") or mm.group("m2")
        clause = s[max(0, mm.start() - 30) : mm.end()]
        if rx["neg"].search(clause):
            continue
        for i in _ids(mph):
            hits.append(
                EffectHit(
                    ms[i].name,
                    "promoter methylation",
                    "other",
                    "silences",
                    -1,
                    0.7,
                    bool(rx["hedge"].search(clause)),
                    partner_is_subject=True,
                )
            )
    seen: dict[tuple[str, str, str], EffectHit] = {}
    for h in hits:
        k = (h.mirna, h.partner, h.relation)
        if k not in seen or h.confidence > seen[k].confidence:
            seen[k] = h
    return list(seen.values())
