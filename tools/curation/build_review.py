"""Build the shipped review dataset from the compact curation sources.

Sources live in ``tools/curation/source/<name>.yaml`` (compact, hand-written); the
shipped, fully expanded records go to ``src/mirscope/kb/data/review/<name>.yaml``.
See ``src/mirscope/kb/data/review/README.md`` for both formats.

For every source entry the approximate quote ``ev`` is resolved to its exact span
in the review (:func:`spans.find_span`); the shipped record holds the exact text
and the character offsets. Ids are stable: a record keeps the id it already has in
the shipped file (matched on subject, relation, object, cancer and evidence start);
new records get the next free number.

Usage::

    python tools/curation/build_review.py            # rebuild every file
    python tools/curation/build_review.py hcc breast # rebuild some
    python tools/curation/build_review.py --check    # exit 1 if a shipped file is stale
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spans import REPO, SpanError, find_span, read_review

from mirscope import names, schema
from mirscope.errors import InputError
from mirscope.kb.model import Relation

SOURCE_DIR = REPO / "tools" / "curation" / "source"
OUT_DIR = REPO / "src" / "mirscope" / "kb" / "data" / "review"

FIELDS = (
    "id",
    "subject",
    "subject_type",
    "relation",
    "object",
    "object_type",
    "direction",
    "sign",
    "cancer",
    "context",
    "cell_lines",
    "tissue",
    "assays",
    "sample_size",
    "numbers",
    "refs",
    "evidence",
    "evidence_start",
    "evidence_end",
    "flags",
    "note",
)

#: Cancer names used by the curation (the vocabulary of mirscope.names.normalize_cancer).
CANCERS: tuple[str, ...] = (
    "breast cancer",
    "bladder cancer",
    "colorectal cancer",
    "hepatocellular carcinoma",
    "lung cancer",
    "non-small cell lung carcinoma",
    "ovarian cancer",
    "prostate cancer",
    "head and neck squamous cell carcinoma",
    "endometrial cancer",
    "gastric cancer",
    "glioma",
    "glioblastoma",
    "osteosarcoma",
    "esophageal cancer",
    "esophageal squamous cell carcinoma",
    "pancreatic cancer",
    "retinoblastoma",
    "cervical cancer",
    "nasopharyngeal carcinoma",
    "oral squamous cell carcinoma",
    "renal cell carcinoma",
    "melanoma",
    "thyroid cancer",
    "medulloblastoma",
    "cancer",
)

LNCRNAS = {
    "NEAT1",
    "XIST",
    "MALAT1",
    "PVT1",
    "LINC00240",
    "DSCAM-AS1",
    "OGFRP1",
    "LINC-ROR",
    "lncRNA 1308",
}

#: shorthand -> (relation, direction, sign)
SHORT: dict[str, tuple[str, str, int]] = {
    "targets": ("targets", "down", -1),
    "sponges": ("sponges", "down", -1),
    "silences": ("silences", "down", -1),
    "inhibits": ("inhibits", "down", -1),
    "activates": ("activates", "up", 1),
    "member": ("member_of_pathway", "none", 1),
    "member-": ("member_of_pathway", "none", -1),
    "pathway+": ("regulates_pathway", "up", 1),
    "pathway-": ("regulates_pathway", "down", -1),
    "pheno+": ("affects_phenotype", "up", 1),
    "pheno-": ("affects_phenotype", "down", -1),
    "sens+": ("sensitizes_to", "up", 1),
    "sens-": ("sensitizes_to", "down", -1),
    "expr+": ("expression_change", "up", 0),
    "expr-": ("expression_change", "down", 0),
    "expr0": ("expression_change", "none", 0),
    "prog+": ("prognostic", "up", 0),
    "prog-": ("prognostic", "down", 0),
    "diag+": ("diagnostic", "up", 0),
    "diag-": ("diagnostic", "down", 0),
    "expr?": ("expression_change", "unknown", 0),
    "prog?": ("prognostic", "unknown", 0),
    "diag?": ("diagnostic", "unknown", 0),
    "sens?": ("sensitizes_to", "unknown", 0),
}


class CurationError(ValueError):
    """A source entry is invalid; the message names the file, entry and fix."""


def infer_type(name: str, relation: str, role: str) -> str:
    """Guess the entity type of ``name`` (overridable with ``st``/``ot`` in the source)."""
    if role == "object" and relation in ("expression_change", "prognostic", "diagnostic"):
        return "cancer"
    if role == "object" and relation == "sensitizes_to":
        return "therapy"
    if role == "object" and relation in ("member_of_pathway", "regulates_pathway"):
        return "pathway"
    if role == "object" and relation == "affects_phenotype":
        return "phenotype"
    if re.match(r"^(miR-|pri-miR-|MIR\d|let-7)", name):
        return "mirna"
    if name.startswith("circ"):
        return "circrna"
    if name in LNCRNAS:
        return "lncrna"
    if name in schema.PATHWAYS:
        return "pathway"
    if name in schema.PHENOTYPES:
        return "phenotype"
    if name in CANCERS:
        return "cancer"
    return "gene"


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def expand(source: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """Expand one source file into full records (ids not yet assigned)."""
    text = read_review()
    default_cancer = source.get("cancer")
    out: list[dict[str, Any]] = []
    for k, entry in enumerate(source.get("entries") or []):
        loc = f"{where} entry {k} ({str(entry.get('ev', ''))[:50]!r})"
        try:
            start, end = find_span(entry["ev"], occurrence=entry.get("occurrence"))
        except (SpanError, KeyError) as exc:
            raise CurationError(f"{loc}: {exc}") from exc
        for item in entry.get("rel") or []:
            spec = {"r": item} if isinstance(item, str) else dict(item)
            parts = [p.strip() for p in spec["r"].split("|")]
            if len(parts) != 3:
                raise CurationError(f"{loc}: relation {spec['r']!r} is not 'S | R | O'")
            subj, rel, obj = parts
            if rel in SHORT:
                relation, direction, sign = SHORT[rel]
            elif rel in schema.RELATION_TYPES:
                relation, direction, sign = rel, "unknown", 0
            else:
                raise CurationError(
                    f"{loc}: unknown relation {rel!r}; use one of {sorted(SHORT)} "
                    f"or {list(schema.RELATION_TYPES)}"
                )
            merged = {**{k2: v for k2, v in entry.items() if k2 != "rel"}, **spec}
            context = merged.get("ctx", "cancer")
            flags = list(dict.fromkeys(_as_list(entry.get("flags")) + _as_list(spec.get("flags"))))
            if context == "non_cancer" and "non_cancer" not in flags:
                flags.append("non_cancer")
            notes = [n for n in (entry.get("note"), spec.get("note")) if n]
            cancer = merged.get("cancer", default_cancer) if context == "cancer" else None
            rec = {
                "id": spec.get("id"),
                "subject": subj,
                "subject_type": spec.get("st") or infer_type(subj, relation, "subject"),
                "relation": relation,
                "object": obj,
                "object_type": spec.get("ot") or infer_type(obj, relation, "object"),
                "direction": spec.get("dir", direction),
                "sign": int(spec.get("sign", sign)),
                "cancer": cancer,
                "context": context,
                "cell_lines": _as_list(merged.get("cells")),
                "tissue": merged.get("tissue"),
                "assays": _as_list(merged.get("assays")),
                "sample_size": merged.get("n"),
                "numbers": dict(merged.get("num") or {}),
                "refs": [int(r) for r in _as_list(merged.get("refs"))],
                "evidence": text[start:end],
                "evidence_start": start,
                "evidence_end": end,
                "flags": flags,
                "note": " ".join(notes) if notes else None,
            }
            validate(rec, loc)
            out.append(rec)
    return out


def validate(rec: dict[str, Any], loc: str) -> None:
    """Check a record against the vocabularies of :mod:`mirscope.schema`."""
    problems = []
    for role in ("subject", "object"):
        t, name = rec[f"{role}_type"], rec[role]
        if t == "pathway" and name not in schema.PATHWAYS:
            problems.append(f"{role} pathway {name!r} not in schema.PATHWAYS")
        if t == "phenotype" and name not in schema.PHENOTYPES:
            problems.append(f"{role} phenotype {name!r} not in schema.PHENOTYPES")
        if t == "cancer" and name not in CANCERS:
            problems.append(f"{role} cancer {name!r} not in the cancer vocabulary")
    if rec["cancer"] is not None and rec["cancer"] not in CANCERS:
        problems.append(f"cancer {rec['cancer']!r} not in the cancer vocabulary {CANCERS}")
    bad_assays = [a for a in rec["assays"] if a not in schema.ASSAYS]
    if bad_assays:
        problems.append(f"assays {bad_assays} not in schema.ASSAYS")
    checkers = {
        "mirna": names.normalize_mirna,
        "gene": names.normalize_gene,
        "lncrna": names.normalize_ncrna,
        "circrna": names.normalize_ncrna,
        "therapy": names.normalize_therapy,
    }
    for role in ("subject", "object"):
        check = checkers.get(rec[f"{role}_type"])
        if check is not None:
            try:
                check(rec[role])
            except InputError as exc:
                problems.append(f"{role}: {exc}")
    if problems:
        raise CurationError(f"{loc}: " + "; ".join(problems))
    try:
        Relation(**{**rec, "id": rec["id"] or "tmp"})
    except ValueError as exc:
        raise CurationError(f"{loc}: {exc}") from exc


def _key(rec: dict[str, Any]) -> tuple[Any, ...]:
    return (rec["subject"], rec["relation"], rec["object"], rec["cancer"], rec["evidence_start"])


def assign_ids(records: list[dict[str, Any]], old: list[dict[str, Any]], prefix: str) -> None:
    """Give each record its previous id when it existed, else the next free number."""
    old_ids: dict[tuple[Any, ...], list[str]] = {}
    for r in old:
        old_ids.setdefault(_key(r), []).append(r["id"])
    used = {r["id"] for r in records if r["id"]}
    for r in records:
        candidates = [i for i in old_ids.get(_key(r), []) if i not in used]
        if not r["id"] and candidates:
            r["id"] = candidates[0]
            used.add(r["id"])
    nums = [
        int(m.group(1))
        for i in used | {r["id"] for r in old}
        if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", str(i)))
    ]
    nxt = max(nums, default=0) + 1
    for r in records:
        if not r["id"]:
            r["id"] = f"{prefix}-{nxt:03d}"
            nxt += 1
    dup = {i for i in (r["id"] for r in records) if [x["id"] for x in records].count(i) > 1}
    if dup:
        raise CurationError(f"duplicate ids {sorted(dup)} for prefix {prefix!r}")


class _Dumper(yaml.SafeDumper):
    pass


def _repr_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if ("\n" in data or "\u2011" in data or data != data.strip()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _repr_str)


def dump(records: list[dict[str, Any]], header: str) -> str:
    """Serialise records: one block mapping per record, lists and dicts in flow style."""
    ordered = [{f: r[f] for f in FIELDS} for r in records]
    body = yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=None,
    )
    body = body.replace("\n- id:", "\n\n- id:")
    return header + body


def build_one(name: str) -> tuple[Path, str]:
    """Return the output path and the YAML text built from ``source/<name>.yaml``."""
    src_path = SOURCE_DIR / f"{name}.yaml"
    source = yaml.safe_load(src_path.read_text(encoding="utf-8")) or {}
    prefix = source.get("prefix", name)
    out_path = OUT_DIR / f"{name}.yaml"
    old = yaml.safe_load(out_path.read_text(encoding="utf-8")) if out_path.exists() else []
    records = expand(source, str(src_path.relative_to(REPO)))
    assign_ids(records, old or [], prefix)
    header = (
        f"# GENERATED by tools/curation/build_review.py from "
        f"tools/curation/source/{name}.yaml; edit the source, then rebuild.\n"
        f"# {source.get('title', name)}: {len(records)} records. Format: README.md here.\n"
    )
    return out_path, dump(records, header)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or with ``--check`` verify) the shipped review YAML files."""
    parser = argparse.ArgumentParser(description="Build the review dataset.")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    names = args.names or sorted(p.stem for p in SOURCE_DIR.glob("*.yaml"))
    stale = []
    for name in names:
        try:
            path, text = build_one(name)
        except CurationError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            if current != text:
                stale.append(name)
        elif current != text:
            _write_atomic(path, text)
            sys.stderr.write(f"wrote {path.relative_to(REPO)}\n")
    if stale:
        sys.stderr.write(f"stale: {stale}; run tools/curation/build_review.py\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
