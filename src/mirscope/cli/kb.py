"""`mirscope kb` commands (thin layer over :mod:`mirscope.kb`).

Results go to stdout (table, JSON, TSV, JSONL); status and "no hits" messages to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from mirscope.cli._options import DbOption

if TYPE_CHECKING:
    from mirscope.kb.model import Relation

app = typer.Typer(
    help="Evidence knowledge base of the miRNA in cancer (review, miRTarBase, literature, user): "
    "build, query, targets, stats, import, export.",
    no_args_is_help=True,
)

QueryFormat = Literal["table", "json", "tsv"]
ExportFormat = Literal["jsonl", "tsv"]
StatsFormat = Literal["table", "json"]


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _tsv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return " ".join(str(value).split())  # evidence keeps no tabs or line breaks


def _tsv(relations: list[Relation]) -> str:
    from mirscope.schema import RELATION_EXPORT_COLUMNS

    cols = [*RELATION_EXPORT_COLUMNS, "source_id"]
    lines = ["\t".join(cols)]
    for r in relations:
        rec = r.to_record()
        lines.append("\t".join(_tsv_cell(rec.get(c)) for c in cols))
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    from mirscope._files import atomic_write

    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as fh:
        fh.write(text)


def _print_table(relations: list[Relation]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=True, title=f"{len(relations)} relation(s)")
    for col, kw in (
        ("subject", {"no_wrap": True}),
        ("relation", {"no_wrap": True}),
        ("object", {"no_wrap": True}),
        ("cancer", {}),
        ("refs", {}),
        ("evidence (review sentence)", {"ratio": 1}),
    ):
        table.add_column(col, **kw)  # type: ignore[arg-type]
    for r in relations:
        evidence = " ".join(r.evidence.split())
        if r.flags:
            evidence += f"  [flags: {', '.join(r.flags)}]"
        cells = (
            r.subject,
            r.relation,
            r.object,
            r.cancer or "-",
            ", ".join(str(x) for x in r.refs) or (r.source_id or "-"),
            evidence,
        )
        table.add_row(*(escape(c) for c in cells))
    width = None if sys.stdout.isatty() else 160
    Console(width=width, soft_wrap=False).print(table)


@app.command("build")
def build_cmd(db: DbOption = None) -> None:
    """Build (or refresh) the knowledge base: the curated review and miRTarBase (every human miRNA)."""
    from mirscope.kb import open_store

    kb = open_store(db, build=False)
    n = kb.import_review()
    m = kb.import_shipped_mirtarbase()
    st = kb.stats()
    _err(
        f"Knowledge base {kb.url}: {st['by_source'].get('review', 0)} review relations "
        f"({n} written or changed), {st['by_source'].get('mirtarbase', 0)} miRTarBase "
        f"relations ({m} written or changed), {st['relations']} relations in total."
    )


@app.command("query")
def query_cmd(
    mirna: Annotated[
        str | None, typer.Option("--mirna", help="miRNA in any spelling (miRBase name, legacy name or MIMAT accession).")
    ] = None,
    gene: Annotated[
        str | None, typer.Option("--gene", help="Gene symbol or alias (subject or object).")
    ] = None,
    cancer: Annotated[
        str | None, typer.Option("--cancer", help="Cancer type or abbreviation (HCC, BC...).")
    ] = None,
    relation: Annotated[
        str | None, typer.Option("--relation", help="Relation type (targets, sponges, ...).")
    ] = None,
    pathway: Annotated[
        str | None, typer.Option("--pathway", help="Pathway (PI3K/Akt, Wnt/β-catenin, ...).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Evidence source: review, mirtarbase, ...")
    ] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = "table",
    db: DbOption = None,
) -> None:
    """Query relations; every name is normalised (miR‑124 = hsa-miR-124-3p, c-Myc = MYC)."""
    from mirscope.kb import open_store

    kb = open_store(db)
    filters = {
        "mirna": mirna,
        "gene": gene,
        "cancer": cancer,
        "relation": relation,
        "pathway": pathway,
        "source": source,
    }
    hits = kb.query(**filters)
    if fmt == "json":
        typer.echo(json.dumps([r.to_record() for r in hits], ensure_ascii=False, indent=2))
    elif fmt == "tsv":
        sys.stdout.write(_tsv(hits))  # the header alone when nothing matches
    elif hits:
        _print_table(hits)
    if not hits:
        given = ", ".join(f"--{k} {v!r}" for k, v in filters.items() if v is not None)
        _err(f"No relations match {given or 'the query'}.")
        if mirna is not None and not kb.query(mirna=mirna):
            from mirscope.names import no_evidence_message

            _err(no_evidence_message(mirna) + ".")  # a valid miRNA without any evidence
        hints = kb.suggest_filters(**filters)
        if hints:
            _err("Nearest values that do have relations (with the other filters kept):")
            for h in hints:
                _err(f"  {h}")
        # exit code 0: an empty answer is an answer (JSON "[]", a bare TSV header)


TargetsFormat = Literal["table", "tsv", "json"]


@app.command("targets")
def targets_cmd(
    mirna: Annotated[
        str, typer.Option("--mirna", help="miRNA in any spelling; without an arm: both arms.")
    ] = "miR-124",
    cancer: Annotated[
        str | None,
        typer.Option("--cancer", help="Only evidence of this cancer and its sub-types."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Only one source: review, mirtarbase, literature, user."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows shown (table format).")] = 25,
    sites: Annotated[
        bool,
        typer.Option(
            "--sites",
            help="Count canonical sites in the 3'UTRs already cached (`mirscope sequences "
            "fetch`); never goes online.",
        ),
    ] = False,
    fmt: Annotated[TargetsFormat, typer.Option("--format", "-f", help="Output format.")] = "table",
    db: DbOption = None,
) -> None:
    """Ranked targets of the miRNA: one row per gene, by evidence strength (docs/kb.md)."""
    from mirscope.kb import open_store
    from mirscope.kb.targets import ranked_targets

    df = ranked_targets(open_store(db), mirna, cancer=cancer, source=source, cached_utrs=sites)
    if fmt == "json":
        typer.echo(json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return
    if fmt == "tsv":
        lines = ["\t".join(df.columns)]
        lines += ["\t".join(_tsv_cell(v) for v in row) for row in df.itertuples(index=False)]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    shown = df.head(top)
    table = Table(title=f"{len(df)} target gene(s) of {mirna}; top {len(shown)} by evidence score")
    cols = ["rank", "gene", "score", "refs", "strong experiments", "sources", "cancers"]
    cols += ["sites"] if sites else []
    for col in cols:
        table.add_column(col, no_wrap=col in ("rank", "gene", "score", "refs"))
    for r in shown.itertuples(index=False):
        table.add_row(
            str(r.rank),
            escape(r.gene),
            f"{r.score:g}",
            str(r.n_references),
            escape(", ".join(r.experiments) or "-"),
            ", ".join(r.sources),
            escape(", ".join(r.cancers) or "-"),
            *([str(r.predicted_sites) if r.predicted_sites is not None else "-"] if sites else []),
        )
    Console(width=None if sys.stdout.isatty() else 160, soft_wrap=False).print(table)


@app.command("stats")
def stats_cmd(
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f", help="Output format.")] = "table",
    db: DbOption = None,
) -> None:
    """Counts of relations by source, relation type and cancer, and of entities by type."""
    from mirscope.kb import open_store

    st = open_store(db).stats()
    if fmt == "json":
        typer.echo(json.dumps(st, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 120)
    console.print(
        f"Knowledge base {st['url']} (schema {st['schema_version']}): {st['relations']} "
        f"relations, {st['distinct_refs']} distinct review references, "
        f"{st['flagged_relations']} flagged, {st['imports']} imports"
    )
    for title, key in (
        ("by source", "by_source"),
        ("by relation", "by_relation"),
        ("by cancer", "by_cancer"),
        ("entities by type", "entities"),
    ):
        t = Table(title=title)
        t.add_column("value")
        t.add_column("count", justify="right")
        for k, v in st[key].items():
            t.add_row(str(k), str(v))
        console.print(t)


@app.command("import-mirtarbase")
def import_mirtarbase_cmd(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="miRTarBase-format table (TSV, CSV, optionally gzipped, XLSX); default: the "
            "shipped human miRTarBase 8.0 functional MTIs."
        ),
    ] = None,
    db: DbOption = None,
    skip_unknown: Annotated[
        bool,
        typer.Option(
            "--skip-unknown/--strict",
            help="Skip rows naming an unknown miRNA or gene (listed with counts), or refuse "
            "the whole table (--strict).",
        ),
    ] = True,
) -> None:
    """Import validated miRNA-target interactions (source 'mirtarbase'), one transaction."""
    from mirscope.kb import open_store
    from mirscope.kb.mirtarbase import import_mirtarbase_checked

    kb = open_store(db)
    res = import_mirtarbase_checked(kb, file, on_unknown="skip" if skip_unknown else "error")
    if res.skipped_rows:
        _err(f"Warning: {res.summary(top=10)}.")
    st = kb.stats()
    _err(
        f"Imported {file or 'the shipped miRTarBase 8.0 table'}: {res.n_rows} rows read, "
        f"{res.written} relations written or changed; "
        f"{st['by_source'].get('mirtarbase', 0)} miRTarBase relations in {kb.url}."
    )


@app.command("export")
def export_cmd(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file (default: stdout).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (review, mirtarbase...).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export every relation as JSON lines (one relation per line) or TSV."""
    from mirscope.kb import open_store

    kb = open_store(db)
    rels = kb.query(source=source) if source is not None else kb.all_relations()
    if fmt == "tsv":
        text = _tsv(rels)
    else:
        text = "".join(json.dumps(r.to_record(), ensure_ascii=False) + "\n" for r in rels)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _atomic_write(output, text)
        _err(f"Wrote {len(rels)} relations to {output}.")


@app.command("upgrade")
def upgrade_cmd(
    db: DbOption = None,
    no_backup: Annotated[
        bool,
        typer.Option(
            "--no-backup", help="Skip the copy of a SQLite file made before upgrading it."
        ),
    ] = False,
) -> None:
    """Upgrade an older knowledge base to this mirscope's schema, in place, in one transaction.

    A SQLite file is first copied to <name>.schema-v<old>.<time>.bak.sqlite beside it;
    back up a PostgreSQL database with pg_dump first (see docs/kb-postgresql.md).
    """
    from mirscope.kb import upgrade_store

    result = upgrade_store(db, backup=not no_backup)
    _err(result.message())
