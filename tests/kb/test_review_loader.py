"""The curated-review loader: normalisation, provenance checks and malformed records."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mirscope import names
from mirscope.errors import FileFormatError
from mirscope.kb import load_review_relations, review_text
from mirscope.kb.review import RECORD_FIELDS, load_review_file, normalize_entity

DATA = Path(__file__).resolve().parents[1] / "data" / "kb"
SMALL = DATA / "review_small.yaml"


def test_small_file_is_normalised() -> None:
    rels = {r.id: r for r in load_review_relations([SMALL])}
    assert set(rels) == {"t-001", "t-002", "t-003", "t-004"}
    t1 = rels["t-001"]
    assert (t1.subject, t1.relation, t1.object, t1.cancer) == (
        "hsa-miR-124-3p",
        "targets",
        "STAT3",
        "breast cancer",
    )
    assert t1.source == "review"
    assert t1.refs == (64,)
    t2 = rels["t-002"]
    assert (t2.subject, t2.subject_type, t2.object) == ("circHIPK3", "circrna", "hsa-miR-124-3p")
    t3 = rels["t-003"]
    assert (t3.subject, t3.object, t3.numbers["auc"]) == ("blood miR-124", "osteosarcoma", 0.846)
    t4 = rels["t-004"]
    assert (t4.subject, t4.object, t4.cancer) == (
        "hsa-miR-124-3p",
        "PI3K/Akt",
        "hepatocellular carcinoma",
    )


def test_small_file_evidence_sits_at_offsets() -> None:
    text = review_text()
    for r in load_review_relations([SMALL]):
        assert r.evidence_start is not None and r.evidence_end is not None
        assert text[r.evidence_start : r.evidence_end] == r.evidence


def test_shipped_review_loads_normalised() -> None:
    rels = load_review_relations()
    assert len(rels) > 0
    assert len({r.id for r in rels}) == len(rels)
    assert all(r.source == "review" for r in rels)
    text = review_text()
    for r in rels:
        for name, etype in ((r.subject, r.subject_type), (r.object, r.object_type)):
            if etype != "other":  # normalised names are fixed points of normalisation
                assert normalize_entity(name, etype) == name
        if r.cancer is not None:
            assert names.normalize_cancer(r.cancer).name == r.cancer
        if r.evidence_start is not None:
            assert text[r.evidence_start : r.evidence_end] == r.evidence


def test_shipped_review_is_cached() -> None:
    assert load_review_relations() == load_review_relations()


def _record(**over: object) -> dict[str, object]:
    text = review_text()
    ev = "According to the study by Shi et al (64)"
    start = text.index(ev)
    rec: dict[str, object] = {
        "id": "x-001",
        "subject": "miR-124",
        "subject_type": "mirna",
        "relation": "targets",
        "object": "STAT3",
        "object_type": "gene",
        "direction": "down",
        "sign": -1,
        "cancer": "BC",
        "context": "cancer",
        "cell_lines": [],
        "tissue": None,
        "assays": [],
        "sample_size": None,
        "numbers": {},
        "refs": [64],
        "evidence": ev,
        "evidence_start": start,
        "evidence_end": start + len(ev),
        "flags": [],
        "note": None,
    }
    rec.update(over)
    return rec


def _write(tmp_path: Path, records: object, name: str = "bad.yaml") -> Path:
    p = tmp_path / name
    p.write_text("# comment line\n" + yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return p


def test_record_fields_are_the_relation_fields() -> None:
    assert set(_record()) == set(RECORD_FIELDS)


def test_good_record_loads(tmp_path: Path) -> None:
    (rel,) = load_review_file(_write(tmp_path, [_record()], "good.yaml"))
    assert (rel.subject, rel.object, rel.cancer) == ("hsa-miR-124-3p", "STAT3", "breast cancer")


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"colour": "red"}, r"unknown field\(s\) \['colour'\]"),
        ({"object": ""}, r"missing required field\(s\) \['object'\]"),
        ({"object": "STAT33"}, r"Unknown gene symbol 'STAT33'.*STAT3"),
        ({"subject": "miR-99999"}, r"Unknown miRNA 'miR-99999'"),
        ({"cancer": "breast cancr"}, r"Unknown cancer type 'breast cancr'.*breast cancer"),
        ({"relation": "target"}, r"relation: Input should be 'targets'"),
        ({"sign": 5}, r"sign: Input should be less than or equal to 1"),
        ({"flags": ["wrong"]}, r"flags: Value error, unknown curation flag"),
        ({"evidence": "Not in the review."}, r"evidence does not occur verbatim at offsets"),
        ({"evidence_end": 10**7}, r"evidence offsets .* are not a span of the review"),
        ({"subject": "NEAT1", "subject_type": "circrna"}, r"'NEAT1' is a lncrna"),
        ({"object_type": "protein"}, r"unknown entity type 'protein'"),
        ({"object": "Wnt/beta-cattenin", "object_type": "pathway"}, r"Unknown pathway"),
    ],
)
def test_bad_record_names_file_line_id_and_reason(
    tmp_path: Path, over: dict[str, object], reason: str
) -> None:
    good = _record(id="x-000")
    bad = _record(id="x-001", **over)
    path = _write(tmp_path, [good, bad])
    with pytest.raises(
        FileFormatError, match=rf"bad\.yaml, line \d+: record 'x-001': {reason}"
    ) as ei:
        load_review_relations([path])
    # the second record starts after the first one (22 lines with the comment)
    assert ei.value.line is not None and ei.value.line > 2


def test_line_number_points_at_the_record(tmp_path: Path) -> None:
    path = _write(tmp_path, [_record(id="x-000"), _record(id="x-001", object="STAT33")])
    with pytest.raises(FileFormatError) as ei:
        load_review_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[ei.value.line - 1].startswith("- ")  # first line of the bad mapping
    assert "x-001" in "\n".join(lines[ei.value.line - 1 : ei.value.line + 22])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("id: x-1\nsubject: miR-124\n", r"the file must be a YAML list of records, got a dict"),
        ("- [1, 2]\n", r"a record must be a mapping, got list"),
        ("- id: x\n  subject: [unclosed\n", r"not valid YAML"),
    ],
)
def test_bad_file_structure(tmp_path: Path, content: str, reason: str) -> None:
    p = tmp_path / "broken.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError, match=rf"broken\.yaml, line \d+: {reason}"):
        load_review_file(p)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path, [_record(id="dup-1")], "a.yaml")
    b = _write(tmp_path, [_record(id="dup-1", refs=[65])], "b.yaml")
    with pytest.raises(FileFormatError, match=r"b\.yaml: record 'dup-1': duplicate id"):
        load_review_relations([a, b])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"nope\.yaml: cannot read the file"):
        load_review_file(tmp_path / "nope.yaml")


def test_empty_file_gives_no_relations(tmp_path: Path) -> None:
    p = tmp_path / "empty.yaml"
    p.write_text("# nothing curated yet\n", encoding="utf-8")
    assert load_review_file(p) == []
