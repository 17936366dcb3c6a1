"""`mirscope literature` commands (thin layer over :mod:`mirscope.literature`).

Results go to stdout (table, JSONL, TSV); status messages to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from mirscope.cli._options import DbOption

if TYPE_CHECKING:
    from mirscope.literature.pubmed import PubMedRecord

app = typer.Typer(
    help="Literature mining: PubMed search, screening (PRISMA), relation extraction, "
    "evaluation and curation into the knowledge base.",
    no_args_is_help=True,
)

ExtractFormat = Literal["jsonl", "tsv", "table"]
TableFormat = Literal["table", "tsv", "jsonl"]
ReviewStatus = Literal["pending", "accepted", "rejected", "all"]

CandidatesOption = Annotated[
    Path | None,
    typer.Option(
        "--candidates",
        help="Candidate store (default: literature-candidates.sqlite in the user data dir).",
    ),
]


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _table(rows: list[dict[str, object]], columns: list[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=title)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[escape("" if r.get(c) is None else str(r.get(c))) for c in columns])
    Console().print(t)


def _tsv(rows: list[dict[str, object]], columns: list[str]) -> None:
    typer.echo("\t".join(columns))
    for r in rows:
        typer.echo(
            "\t".join(" ".join(str("" if r.get(c) is None else r.get(c)).split()) for c in columns)
        )


def _emit(
    rows: list[dict[str, object]], columns: list[str], fmt: str, title: str | None = None
) -> None:
    if fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False))
    elif fmt == "tsv":
        _tsv(rows, columns)
    else:
        _table(rows, columns, title)


@app.command()
def search(
    query: Annotated[
        str | None,
        typer.Argument(help="PubMed query (default: all spellings of --mirna AND cancer)."),
    ] = None,
    max_results: Annotated[int, typer.Option("--max", help="Maximum number of records.")] = 100,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the records as JSONL.")
    ] = None,
    email: Annotated[
        str | None, typer.Option(help="Contact e-mail for NCBI (or NCBI_EMAIL).")
    ] = None,
    api_key: Annotated[str | None, typer.Option(help="NCBI API key (or NCBI_API_KEY).")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore a cached search.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = "table",
) -> None:
    """Search PubMed (history-server paging, cached, rate-limited) and fetch the records."""
    from mirscope.literature.pubmed import PubMedClient, build_query, write_records

    q = query or build_query("miR-124")
    client = PubMedClient(email=email, api_key=api_key)
    res = client.search(q, max_results=max_results, refresh=refresh)
    recs = client.fetch(res.pmids)
    _err(f"{res.count} PubMed records match; fetched {len(recs)} (cache: {client.cache.path})")
    if output is not None:
        write_records(recs, output)
        _err(f"wrote {len(recs)} records to {output}")
    rows = [{"pmid": r.pmid, "year": r.year, "journal": r.journal, "title": r.title} for r in recs]
    _emit(rows, ["pmid", "year", "journal", "title"], fmt, title=q)


def _load_records(input_file: Path | None, skip_bad: bool) -> list[PubMedRecord]:
    from mirscope.errors import EmptyResultError
    from mirscope.literature.pubmed import PubMedCache, read_records

    if input_file is not None:
        return read_records(input_file, skip_bad=skip_bad)
    cache = PubMedCache()
    last = cache.last_search()
    if last is None:
        raise EmptyResultError(
            "no input: nothing was searched yet; run `mirscope literature search` or give --input FILE"
        )
    got = cache.get(list(last.pmids))
    _err(f"screening the {len(got)} cached records of the last search {last.query!r}")
    return [got[p] for p in last.pmids if p in got]


@app.command()
def screen(
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", help="MEDLINE XML or JSONL records (default: the last search)."
        ),
    ] = None,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write the PRISMA flow diagram (PNG/PDF/SVG).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the per-record decisions as TSV.")
    ] = None,
    mirna: Annotated[str, typer.Option(help="miRNA the records must be about.")] = "miR-124",
    min_score: Annotated[float, typer.Option(help="Relevance score needed for inclusion.")] = 0.5,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Skip malformed records instead of failing.")
    ] = False,
    fmt: Annotated[
        TableFormat, typer.Option("--format", help="Output format of the flow.")
    ] = "table",
) -> None:
    """Screen records with transparent rules; print the PRISMA-style flow and categories."""
    from mirscope.literature.screening import plot_prisma
    from mirscope.literature.screening import screen as run_screen

    res = run_screen(_load_records(input_file, skip_bad), mirna=mirna, min_score=min_score)
    flow = res.flow
    _emit(flow.to_dict("records"), ["step", "n", "detail"], fmt, title="PRISMA-style flow")
    if fmt == "table":
        cats = res.categories
        if not cats.empty:
            rows = [
                {"cancer": c, **{m: int(cats.loc[c, m]) for m in cats.columns}} for c in cats.index
            ]
            _table(
                rows,
                ["cancer", *map(str, cats.columns)],
                title="Included records by cancer and mechanism",
            )
    if output is not None:
        df = res.to_frame()
        tmp = output.with_name(output.name + ".tmp")
        df.to_csv(tmp, sep="\t", index=False)
        tmp.replace(output)
        _err(f"wrote {len(df)} decisions to {output}")
    if figure is not None:
        plot_prisma(res, figure)
        _err(f"wrote the PRISMA figure to {figure}")


_EXTRACT_COLUMNS = [
    "pmid",
    "mirna",
    "partner",
    "partner_type",
    "relation",
    "cancer",
    "sentence",
    "confidence",
    "direction",
    "sign",
    "subject",
    "subject_type",
    "object",
    "object_type",
    "context",
    "assays",
    "evidence_start",
    "evidence_end",
    "in_title",
    "hedged",
]
EvalSet = Literal["scai", "scai-any", "realtext-dev", "realtext-test"]


@app.command()
def extract(
    input_file: Annotated[
        Path, typer.Option("--input", "-i", help='JSONL, one {"pmid","title","abstract"} per line.')
    ],
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="Output format.")] = "jsonl",
    min_confidence: Annotated[
        float, typer.Option(help="Report relations at least this confident.")
    ] = 0.5,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Skip malformed lines (reported) instead of failing.")
    ] = False,
    propose: Annotated[
        bool, typer.Option("--propose", help="Store the relations as candidates for `review`.")
    ] = False,
    candidates: CandidatesOption = None,
) -> None:
    """Extract typed miRNA relations (every relation type of the knowledge base)."""
    from mirscope.literature.curation import CandidateStore
    from mirscope.literature.extract import extract_file

    rels = extract_file(input_file, skip_bad=skip_bad, min_confidence=min_confidence)
    _emit([r.to_dict() for r in rels], _EXTRACT_COLUMNS, fmt, title="Extracted relations")
    _err(f"{len(rels)} relations extracted from {input_file}")
    if propose:
        n = CandidateStore(candidates).add(rels)
        _err(f"{n} new candidates stored; list them with `mirscope literature review`")


@app.command()
def evaluate(
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="SCAI corpus XML (default: the shipped training part) or an annotated JSONL dev set.",
        ),
    ] = None,
    min_confidence: Annotated[
        float, typer.Option(help="Confidence threshold of the extractor.")
    ] = 0.5,
    mirna: Annotated[str, typer.Option(help="miRNA family of a dev-set evaluation.")] = "miR-124",
    show_errors: Annotated[
        bool, typer.Option("--show-errors", help="List false positives and negatives.")
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Score the shipped review text against its curated relations."
        ),
    ] = False,
    eval_set: Annotated[
        EvalSet | None,
        typer.Option(
            "--set",
            help="A named evaluation set: scai (typed targets), scai-any (targets, inhibits, "
            "activates), realtext-dev or realtext-test (every relation type on real abstracts; "
            "run from a source checkout).",
        ),
    ] = None,
) -> None:
    """Precision/recall of the extractor (SCAI, the real-text corpus, or an annotated dev set)."""
    from mirscope.literature.evaluate import (
        evaluate_devset,
        evaluate_realtext,
        evaluate_review,
        evaluate_scai,
        realtext_path,
    )

    if eval_set is not None and eval_set.startswith("realtext-"):
        res = evaluate_realtext(
            realtext_path(eval_set.split("-", 1)[1]), min_confidence=min_confidence
        )
    elif eval_set == "scai":
        res = evaluate_scai(None, min_confidence=min_confidence)
    elif eval_set == "scai-any":
        res = evaluate_scai(
            None, min_confidence=min_confidence, relations=("targets", "inhibits", "activates")
        )
    elif corpus is not None and corpus.suffix == ".jsonl" and _is_realtext(corpus):
        res = evaluate_realtext(corpus, min_confidence=min_confidence)
    elif review:
        res = evaluate_review(family=mirna, min_confidence=min_confidence)
    elif corpus is not None and corpus.suffix == ".jsonl":
        res = evaluate_devset(corpus, family=mirna, min_confidence=min_confidence)
    else:
        res = evaluate_scai(corpus, min_confidence=min_confidence)
    df = res.summary.reset_index()
    _table(
        df.to_dict("records"), list(df.columns), title=f"{res.name} ({res.n_documents} documents)"
    )
    if show_errors:
        for label, items in (
            ("false positive", res.false_positives),
            ("false negative", res.false_negatives),
        ):
            for it in items:
                typer.echo(f"{label}\t" + "\t".join(it))


def _is_realtext(path: Path) -> bool:
    """A JSONL file labelled by the real-text guidelines (records carry ``subject``)."""
    try:
        with path.open(encoding="utf-8") as fh:
            first = json.loads(fh.readline() or "{}")
    except (OSError, ValueError):
        return False
    rels = first.get("relations") if isinstance(first, dict) else None
    return bool(rels) and isinstance(rels[0], dict) and "subject" in rels[0]


@app.command()
def mine(
    mirna: Annotated[str, typer.Option("--mirna", help="miRNA to mine (any spelling).")],
    cancer: Annotated[
        str | None, typer.Option("--cancer", help="Restrict the search to one cancer.")
    ] = None,
    max_results: Annotated[int, typer.Option("--max", help="Maximum number of records.")] = 100,
    since: Annotated[
        int | None, typer.Option("--since", help="Only records published in or after YEAR.")
    ] = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="No network: the cache and the shipped recorded corpus."),
    ] = False,
    accept_above: Annotated[
        float | None,
        typer.Option(
            "--accept-above",
            help="Accept candidates at least this confident into the knowledge base.",
        ),
    ] = None,
    db: DbOption = None,
    candidates: CandidatesOption = None,
    min_confidence: Annotated[
        float, typer.Option(help="Report relations at least this confident.")
    ] = 0.5,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = "table",
) -> None:
    """Search, fetch, screen and extract PubMed records into the curation queue (resumable)."""
    from mirscope.literature.mine import mine as run_mine

    res = run_mine(
        mirna,
        cancer=cancer,
        max_results=max_results,
        since=since,
        offline=offline,
        accept_above=accept_above,
        db=db,
        candidates=candidates,
        min_confidence=min_confidence,
        progress=True,
    )
    _emit(res.summary.to_dict("records"), ["step", "n", "detail"], fmt, title=f"mined {res.mirna}")
    _err(
        f"{res.n_candidates} new candidates; list them with `mirscope literature review`"
        + (f"; {len(res.accepted)} accepted into the knowledge base" if res.accepted else "")
    )


@app.command()
def review(
    status: Annotated[ReviewStatus, typer.Option(help="Which candidates to list.")] = "pending",
    db: DbOption = None,
    candidates: CandidatesOption = None,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = "table",
) -> None:
    """List candidate relations not yet in the knowledge base (pending ones by default)."""
    from dataclasses import asdict

    from mirscope.kb import open_store
    from mirscope.literature.curation import CandidateStore

    store = CandidateStore(candidates)
    if status == "pending":
        with open_store(db) as kb:
            items = store.review(kb)
    else:
        items = store.list(status)
    if not items:
        _err(f"no {status} candidates; propose some with `mirscope literature extract --propose`")
    cols = [
        "id",
        "pmid",
        "mirna",
        "relation",
        "partner",
        "cancer",
        "confidence",
        "status",
        "sentence",
    ]
    _emit([asdict(c) for c in items], cols, fmt, title=f"{status} literature candidates")


@app.command()
def accept(
    candidate: Annotated[str, typer.Argument(help="Candidate id (see `review`).")],
    db: DbOption = None,
    candidates: CandidatesOption = None,
) -> None:
    """Accept a candidate: write it into the knowledge base with its PMID and sentence."""
    from mirscope.kb import open_store
    from mirscope.literature.curation import CandidateStore

    store = CandidateStore(candidates)
    with open_store(db) as kb:
        rel = store.accept(candidate, kb)
    typer.echo(
        f"accepted {candidate}: {rel.subject} {rel.relation} {rel.object} ({rel.source_id}) as {rel.id}"
    )


@app.command()
def reject(
    candidate: Annotated[str, typer.Argument(help="Candidate id (see `review`).")],
    candidates: CandidatesOption = None,
) -> None:
    """Reject a candidate (it stays out of the knowledge base)."""
    from mirscope.literature.curation import CandidateStore

    c = CandidateStore(candidates).reject(candidate)
    typer.echo(f"rejected {c.id}: {c.mirna} {c.relation} {c.partner} (PMID:{c.pmid})")
