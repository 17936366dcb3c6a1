"""The relation-pattern table: every row reads its own example, and bad tables are rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirscope.errors import FileFormatError, InputError
from mirscope.literature.extract import _clean_text, extract_sentence, load_rules

_, RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_row_reads_its_example(rule) -> None:
    assert rule.expect, f"row {rule.id} has no expected output"
    hits = extract_sentence(_clean_text(rule.example), rules=[rule])
    assert {(h.relation, h.mirna, h.partner) for h in hits} == set(rule.expect)


def test_rule_ids_are_unique() -> None:
    assert len({r.id for r in RULES}) == len(RULES)


GOOD_ROW = (
    "  - id: r1\n    family: target\n    confidence: 0.9\n"
    "    regex: ['{A:a}', '\\s+targets\\s+', '{A:b}']\n    example: miR-124 targets SOX9.\n"
)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("patterns: [unclosed", "not valid YAML"),
        ("- just a list", "expected a mapping"),
        ("patterns:\n  - id: r1\n    family: target\n", r"bad pattern row r1: missing field"),
        (
            "patterns:\n" + GOOD_ROW.replace("family: target", "family: nonsense"),
            "unknown family 'nonsense'",
        ),
        ("patterns:\n" + GOOD_ROW.replace("{A:a}", "{NOPE}"), r"unknown fragment \{NOPE\}"),
        ("patterns:\n" + GOOD_ROW.replace("targets", "(targets"), "bad pattern row r1"),
        ("patterns:\n" + GOOD_ROW + GOOD_ROW, "bad pattern row r1: duplicate id"),
    ],
)
def test_bad_rule_files_are_rejected(tmp_path: Path, text: str, match: str) -> None:
    p = tmp_path / "rules.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError, match=match):
        load_rules(p)


def test_a_good_custom_table_loads(tmp_path: Path) -> None:
    p = tmp_path / "rules.yaml"
    p.write_text("patterns:\n" + GOOD_ROW, encoding="utf-8")
    _, rules = load_rules(p)
    hits = extract_sentence(rules[0].example, rules=rules)
    assert [(h.relation, h.partner) for h in hits] == [("targets", "SOX9")]


def test_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_rules(tmp_path / "none.yaml")
