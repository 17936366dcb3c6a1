"""Build the real-text literature corpus (tests/data/literature/realtext) from the compact sources.

Source format (``tools/realtext/source/*.txt``), one record per block starting with ``@@ <id>``::

    @@ 18372920
    title: MicroRNA-21 promotes cell transformation by targeting ...
    url: https://...
    doi: 10.1038/onc.2008.72
    journal: Oncogene
    year: 2008
    retrieved: 2026-12-04
    mirnas: miR-21
    cancer: breast cancer
    abstract: <the abstract on one line>
    R miR-21 | targets | PDCD4 | <unique substring of the supporting sentence> [| mod ...]

Relation shorthands: targets, sponges (partner -> miRNA), silences (partner -> miRNA),
activates (miRNA -> partner), activatedby (partner -> miRNA, stored as activates), inhibits,
pathway+/-, pheno+/-, sens+/-, expr+/-, prog+/-/?, diag+/-/?. A partner ``-`` for expr/prog/diag is
the record's cancer. Modifiers: ``neg``, ``hedged``, ``cancer=<name>``, ``type=<entity type>``,
``title`` (the key is in the title), ``xs`` (cross-sentence: key ``A ... B`` spans from the
sentence holding A to the sentence holding B).

Split (``--split``): records already in dev.jsonl / test.jsonl keep their split; new records
are assigned per stratum (main miRNA family x sponge paper) so that each stratum is as close to
50/50 as possible (a tie goes to the split with fewer sponge / non-sponge abstracts of the
same kind, then to a coin), shuffled with ``random.Random(15)``. ``--all-dev`` puts new records in dev.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "tools" / "realtext" / "source"
OUT = ROOT / "tests" / "data" / "literature" / "realtext"

# Arm convention (GUIDELINES.md section 3): name without arm -> dominant miRBase v22 arm.
ARM = {
    "124": "3p", "21": "5p", "34a": "5p", "34b": "5p", "34c": "5p", "155": "5p",
    "200a": "3p", "200b": "3p", "200c": "3p", "141": "3p", "145": "5p",
    "221": "3p", "222": "3p", "16": "5p", "10b": "5p", "10a": "5p", "7": "5p", "143": "3p",
    "15a": "5p", "15b": "5p", "126": "3p", "205": "5p", "29a": "3p", "29b": "3p", "29c": "3p",
    "17": "5p", "19a": "3p", "19b": "3p", "20a": "5p", "92a": "3p", "18a": "5p", "31": "5p",
    "125b": "5p", "129": "5p", "181b": "5p", "125a": "5p", "146a": "5p", "182": "5p", "183": "5p", "196a": "5p", "196b": "5p",
    "210": "3p", "223": "3p", "455": "3p", "122": "5p", "146b": "5p", "215": "5p", "375": "3p", "9": "5p", "1": "3p", "133a": "3p",
    "195": "5p", "497": "5p", "30a": "5p", "27a": "3p", "27b": "3p", "23a": "3p", "24": "3p", "101": "3p",
    "137": "3p", "138": "5p", "139": "5p", "148a": "3p", "152": "3p",
    "181a": "5p", "186": "5p", "192": "5p", "214": "3p", "218": "5p", "320a": "3p",
    "338": "3p", "340": "5p", "370": "3p", "424": "5p", "493": "5p",
    "503": "5p", "506": "3p", "519d": "3p", "590": "5p", "93": "5p", "106a": "5p",
    "106b": "5p", "99a": "5p", "100": "5p", "let-7": "5p",
}

#: Minimum abstracts per split for a main miRNA family (the demo miRNA's P/R is reported on
#: test separately): new abstracts of the family fill test first, then dev (README).
MIN_PER_SPLIT = {"miR-124": {"test": 15, "dev": 10}}

#: miRNAs with a single mature product in miRBase v22 (named without an arm).
SINGLE = {"922", "4673", "1299", "429", "206", "449a"}

REL = {
    "targets": ("targets", "m2p", "down", -1, "gene"),
    "sponges": ("sponges", "p2m", "down", -1, None),
    "silences": ("silences", "p2m", "down", -1, "gene"),
    "activates": ("activates", "m2p", "up", 1, "gene"),
    "activatedby": ("activates", "p2m", "up", 1, "gene"),
    "inhibits": ("inhibits", "m2p", "down", -1, "gene"),
    "pathway+": ("regulates_pathway", "m2p", "up", 1, "pathway"),
    "pathway-": ("regulates_pathway", "m2p", "down", -1, "pathway"),
    "pheno+": ("affects_phenotype", "m2p", "up", 1, "phenotype"),
    "pheno-": ("affects_phenotype", "m2p", "down", -1, "phenotype"),
    "sens+": ("sensitizes_to", "m2p", "up", 1, "therapy"),
    "sens-": ("sensitizes_to", "m2p", "down", -1, "therapy"),
    "expr+": ("expression_change", "m2p", "up", 0, "cancer"),
    "expr-": ("expression_change", "m2p", "down", 0, "cancer"),
    "prog+": ("prognostic", "m2p", "up", 0, "cancer"),
    "prog-": ("prognostic", "m2p", "down", 0, "cancer"),
    "prog?": ("prognostic", "m2p", "unknown", 0, "cancer"),
    "diag+": ("diagnostic", "m2p", "up", 0, "cancer"),
    "diag-": ("diagnostic", "m2p", "down", 0, "cancer"),
    "diag?": ("diagnostic", "m2p", "unknown", 0, "cancer"),
}

ABBREV = ("e.g.", "i.e.", "vs.", "et al.", "Fig.", "approx.", "ca.", "cf.", "no.", "Dr.", "St.")


def mirna_name(s: str) -> str:
    """Canonical miRBase v22 mature name under the corpus arm convention."""
    s = s.strip()
    if s.endswith("family") or s.startswith(("mmu-", "rno-")):
        return s
    s = re.sub(r"^hsa-", "", s)
    m = re.fullmatch(r"(let-7[a-i]?|miR-\d+[a-z]?(?:-\d)?)(?:-(5p|3p))?", s)
    if not m:
        raise ValueError(f"bad miRNA name {s!r}")
    base, arm = m.group(1), m.group(2)
    if arm is None and re.sub(r"^miR-", "", base) in SINGLE:
        return f"hsa-{base}"
    if arm is None:
        key = "let-7" if base.startswith("let-7") else re.sub(r"^miR-|-\d$", "", base)
        if key not in ARM:
            raise ValueError(f"no arm convention for {s!r}; write the arm")
        arm = ARM[key]
    return f"hsa-{base}-{arm}"


def family(name: str) -> str:
    """Family label used for strata and counts (miR-200c -> miR-200, let-7a -> let-7)."""
    n = re.sub(r"^(hsa|mmu)-", "", name)
    if n.startswith("let-7"):
        return "let-7"
    m = re.match(r"miR-(\d+)", n)
    if not m:
        return n
    num = m.group(1)
    if num in ("200", "141", "429"):
        return "miR-200"
    if num in ("221", "222"):
        return "miR-221/222"
    if num in ("143", "145"):
        return f"miR-{num}"
    rest = re.match(r"miR-(\d+[a-z]?)", n).group(1)
    return "miR-34" if rest.startswith("34") else f"miR-{num}"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split after . ! ? followed by space and an upper-case letter, digit or bracket."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9(\[])", text):
        end = m.end()
        if any(text[:end].endswith(a) for a in ABBREV):
            continue
        if re.search(r"\b[A-Z]\.$", text[:end]) and not re.search(r"\b[A-Z]{2,}\.$", text[:end]):
            # single initial such as "A." in "Sp. A." is rare here; keep the split
            pass
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return spans


def locate(text: str, key: str, *, where: str) -> tuple[int, int]:
    """Span of the sentence(s) holding ``key`` (``A ... B`` for cross-sentence)."""
    parts = key.split(" ... ")
    spans = sentence_spans(text)
    found = []
    for part in parts:
        n = text.count(part)
        if n != 1:
            raise ValueError(f"key {part!r} occurs {n} times in the {where}")
        i = text.index(part)
        j = i + len(part)
        s = next(a for a, b in spans if a <= i < b)
        e = next(b for a, b in spans if a < j <= b)
        found.append((s, e))
    return min(a for a, _ in found), max(b for _, b in found)


def ptype(partner: str, default: str | None) -> str:
    if default:
        return default
    p = partner.lower()
    if p.startswith(("circ", "hsa_circ", "cdr1as", "cirs")):
        return "circrna"
    return "lncrna"


def parse_file(path: Path) -> list[dict]:
    recs = []
    blocks = re.split(r"^@@ ", path.read_text(encoding="utf-8"), flags=re.M)
    for block in blocks[1:]:
        lines = block.rstrip("\n").split("\n")
        rid = lines[0].strip()
        d: dict = {"pmid": rid}
        rels = []
        for ln in lines[1:]:
            if not ln.strip() or ln.startswith("#"):
                continue
            if ln.startswith("R "):
                rels.append(ln[2:])
                continue
            k, _, v = ln.partition(": ")
            d[k.strip()] = v.strip()
        d["abstract"] = re.sub(r"\s+", " ", d["abstract"]).strip()
        d["title"] = re.sub(r"\s+", " ", d["title"]).strip()
        d["mirnas"] = [x.strip() for x in d.get("mirnas", "").split(",") if x.strip()]
        default_cancer = d.pop("cancer", None) or None
        out = []
        for r in rels:
            f = [x.strip() for x in r.split(" | ")]
            if len(f) < 4:
                raise ValueError(f"{path.name} {rid}: relation needs 4 fields: {r!r}")
            mir, short, partner, key, mods = f[0], f[1], f[2], f[3], f[4:]
            mods = " ".join(mods).split()
            rel, orient, direction, sign, dtype = REL[short]
            cancer = default_cancer
            etype = None
            neg = hedged = in_title = xs = False
            flags: list[str] = []
            for m in mods:
                if m == "neg":
                    neg = True
                elif m == "hedged":
                    hedged = True
                elif m == "title":
                    in_title = True
                elif m == "xs":
                    xs = True
                elif m.startswith("cancer="):
                    cancer = m.split("=", 1)[1].replace("_", " ")
                    cancer = None if cancer == "none" else cancer
                elif m.startswith("flag="):
                    flags.append(m.split("=", 1)[1])
                elif m.startswith("type="):
                    etype = m.split("=", 1)[1]
                else:
                    raise ValueError(f"{path.name} {rid}: unknown modifier {m!r}")
            if partner == "-":
                partner = cancer
            mname = mirna_name(mir)
            pt = etype or ptype(partner, dtype)
            text = d["title"] if in_title else d["abstract"]
            try:
                s, e = locate(text, key, where="title" if in_title else "abstract")
            except (ValueError, StopIteration) as exc:
                raise ValueError(f"{path.name} {rid}: {exc}") from None
            if neg:
                direction, sign = "none", 0
            rec = {
                "mirna": mname,
                "partner": partner,
                "partner_type": pt,
                "subject": mname if orient == "m2p" else partner,
                "object": partner if orient == "m2p" else mname,
                "relation": rel,
                "direction": direction,
                "sign": sign,
                "cancer": cancer,
                "negated": neg,
                "hedged": hedged,
                "cross_sentence": xs,
                "sentence": text[s:e],
                "sentence_start": s,
                "sentence_end": e,
            }
            if in_title:
                rec["in_title"] = True
            if flags:
                rec["flags"] = flags
            out.append(rec)
        keyset = [(r["subject"], r["relation"], r["object"], r["negated"]) for r in out]
        dup = [k for k, n in Counter(keyset).items() if n > 1]
        if dup:
            raise ValueError(f"{path.name} {rid}: duplicate relations {dup}")
        d["relations"] = out
        order = ["pmid", "title", "abstract", "relations", "mirnas", "source_url", "retrieved",
                 "doi", "journal", "year", "title_note", "pubmed_id", "holdout_check"]
        d["source_url"] = d.pop("url")
        # how the record was checked against the hold-out list (SOURCE.md): by its PubMed id
        # (the record id, or a PubMed id found later for a DOI/URL-keyed record), or by title only
        if re.fullmatch(r"\d+", d["pmid"]) or d.get("pubmed_id"):
            d["holdout_check"] = "pmid+title"
        else:
            d["holdout_check"] = "title-only"
        rec = {k: d[k] for k in order if k in d}
        recs.append(rec)
    return recs


def stratum(rec: dict) -> tuple[str, bool]:
    sponge = any(r["relation"] == "sponges" for r in rec["relations"])
    return (rec["mirnas"][0] if rec["mirnas"] else "none", sponge)


def read_jsonl(p: Path) -> list[dict]:
    if not p.exists():
        return []
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all-dev", action="store_true", help="new records go to dev")
    ap.add_argument("--check", action="store_true", help="parse only")
    a = ap.parse_args(argv)
    recs = []
    for f in sorted(SRC.glob("*.txt")):
        recs.extend(parse_file(f))
    ids = Counter(r["pmid"] for r in recs)
    dups = [k for k, n in ids.items() if n > 1]
    if dups:
        raise SystemExit(f"duplicate ids: {dups}")
    print(f"{len(recs)} records, {sum(len(r['relations']) for r in recs)} relations",
          file=sys.stderr)
    # every human mature name must exist in miRBase v22 (family names are exempt)
    fa = ROOT / "src" / "mirscope" / "data" / "mirbase" / "hsa_matures_miRBase_v22.fa.gz"
    if fa.exists():
        import gzip

        with gzip.open(fa, "rt") as fh:
            known = {ln[1:].split()[0] for ln in fh if ln.startswith(">")}
        unknown = sorted({x["mirna"] for r in recs for x in r["relations"]
                          if x["mirna"].startswith("hsa-") and x["mirna"] not in known})
        if unknown:
            raise SystemExit(f"not miRBase v22 mature names: {unknown}")
    if a.check:
        return 0
    dev_ids = {r["pmid"] for r in read_jsonl(OUT / "dev.jsonl")}
    test_ids = {r["pmid"] for r in read_jsonl(OUT / "test.jsonl")}
    split = {}
    new = [r for r in recs if r["pmid"] not in dev_ids | test_ids]
    for r in recs:
        if r["pmid"] in dev_ids:
            split[r["pmid"]] = "dev"
        elif r["pmid"] in test_ids:
            split[r["pmid"]] = "test"
    if a.all_dev:
        for r in new:
            split[r["pmid"]] = "dev"
    else:
        rng = random.Random(15)
        by = defaultdict(list)
        for r in recs:
            by[stratum(r)].append(r)
        # coarse balance (sponge paper or not) used to break ties inside a stratum
        coarse = Counter((stratum(r)[1], split[r["pmid"]]) for r in recs if r["pmid"] in split)
        # per-family minimum counts (README, "Split procedure"): new abstracts of such a family
        # go first to test until its minimum is met, then to dev, then by the stratified rule
        fam_n = Counter((r["mirnas"][0] if r["mirnas"] else "none", split[r["pmid"]])
                        for r in recs if r["pmid"] in split)
        for key in sorted(by, key=str):
            group = by[key]
            fresh = [r for r in group if r["pmid"] not in split]
            rng.shuffle(fresh)
            quota = MIN_PER_SPLIT.get(key[0])
            if quota:
                rest = []
                for r in fresh:
                    side = next((s for s in ("test", "dev") if fam_n[(key[0], s)] < quota[s]), None)
                    if side is None:
                        rest.append(r)
                        continue
                    split[r["pmid"]] = side
                    fam_n[(key[0], side)] += 1
                    coarse[(key[1], side)] += 1
                fresh = rest
            n_dev = sum(split.get(r["pmid"]) == "dev" for r in group)
            n_test = sum(split.get(r["pmid"]) == "test" for r in group)
            for r in fresh:
                            # fill the smaller side; a tie goes to the side with fewer abstracts of the
                # same sponge/non-sponge kind, then to a coin from the seeded generator
                c_dev, c_test = coarse[(key[1], "dev")], coarse[(key[1], "test")]
                if n_dev != n_test:
                    to_dev = n_dev < n_test
                elif c_dev != c_test:
                    to_dev = c_dev < c_test
                else:
                    to_dev = rng.random() < 0.5
                if to_dev:
                    split[r["pmid"]] = "dev"
                    n_dev += 1
                else:
                    split[r["pmid"]] = "test"
                    n_test += 1
                coarse[(key[1], split[r["pmid"]])] += 1
    for name in ("dev", "test"):
        rows = [r for r in recs if split[r["pmid"]] == name]
        (OUT / f"{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"{name}: {len(rows)} abstracts", file=sys.stderr)
    write_counts(recs, split)
    return 0


def write_counts(recs: list[dict], split: dict[str, str]) -> None:
    """Write COUNTS.md: abstracts per family and relations per type, for each split."""
    lines = ["# Counts (generated by tools/realtext/build.py; do not edit)", ""]
    for name in ("dev", "test"):
        rows = [r for r in recs if split[r["pmid"]] == name]
        rels = [x for r in rows for x in r["relations"]]
        lines.append(f"## {name}: {len(rows)} abstracts, {len(rels)} relations")
        lines.append("")
        fam = Counter(r["mirnas"][0] for r in rows)
        sp = sum(any(x["relation"] == "sponges" for x in r["relations"]) for r in rows)
        lines.append(f"Abstracts with a sponge (ceRNA) relation: {sp}")
        lines.append("")
        lines.append("| main miRNA family | abstracts |")
        lines.append("|---|---|")
        for k, v in sorted(fam.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"| {k} | {v} |")
        lines.append("")
        lines.append("| relation | all | of which miR-124 family | negated | hedged | cross-sentence |")
        lines.append("|---|---|---|---|---|---|")
        for rel in sorted({x["relation"] for x in rels}):
            xs = [x for x in rels if x["relation"] == rel]
            m124 = sum(family(x["mirna"]) == "miR-124" for x in xs)
            lines.append(
                f"| {rel} | {len(xs)} | {m124} | {sum(x['negated'] for x in xs)} | "
                f"{sum(x['hedged'] for x in xs)} | {sum(x['cross_sentence'] for x in xs)} |"
            )
        lines.append("")
        rf = Counter(family(x["mirna"]) for x in rels)
        lines.append("| miRNA family (all labelled relations) | relations |")
        lines.append("|---|---|")
        for k, v in sorted(rf.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"| {k} | {v} |")
        lines.append("")
    (OUT / "COUNTS.md").write_text("\n".join(lines), encoding="utf-8")
    # README.md carries a copy of the counts between two markers
    readme = OUT / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        begin, end = "<!-- COUNTS:BEGIN -->", "<!-- COUNTS:END -->"
        if begin in text and end in text:
            body = "\n".join(x.replace("## ", "### ", 1) if x.startswith("## ") else x
                             for x in lines[2:])
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1]
            text = f"{head}{begin}\n{body}\n{end}{tail}"
        begin, end = "<!-- DEMO:BEGIN -->", "<!-- DEMO:END -->"
        if begin in text and end in text:
            demo = ["| split | id | year | journal | miRNAs | title |", "|---|---|---|---|---|---|"]
            for r in recs:
                if {"miR-21", "miR-34a"} & set(r["mirnas"]):
                    demo.append(
                        f"| {split[r['pmid']]} | {r['pmid']} | {r.get('year') or ''} | "
                        f"{r.get('journal') or ''} | {', '.join(r['mirnas'])} | {r['title']} |"
                    )
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1]
            text = f"{head}{begin}\n" + "\n".join(demo) + f"\n{end}{tail}"
        readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
