"""One self-contained HTML report on a miRNA: evidence, network, sites, simulation, clinic.

:func:`build_report` gathers everything mirscope knows about a miRNA (by default
miR-124) through the public functions of the other parts and renders one HTML
document; :func:`write_report` writes it atomically. Every figure is embedded as a
base64 PNG, the styles are inline and no URL is loaded, so the file can be mailed
to a colleague and opened offline.

Sections: summary, evidence table with the review's provenance sentences, network
figure, ceRNA axes, predicted sites (for the FASTA files given), simulated
perturbations with their agreement with the review, pathway enrichment of the
miRNA's miRTarBase targets and, when cohort tables are given, clinical analyses
(ROC and Kaplan-Meier). A section whose analysis cannot run on the given input
(e.g. no ceRNA sponge in a cancer) says why instead of showing numbers.

Examples
--------
>>> html = build_report("miR-124", sections=("summary",))  # doctest: +SKIP
>>> html.startswith("<!DOCTYPE html>")  # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import logging
import math
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from mirscope import __version__
from mirscope._files import atomic_write
from mirscope.errors import EmptyResultError, InputError, MirscopeError, UnknownNameError
from mirscope.report._util import figure_data_uri

__all__ = [
    "SECTIONS",
    "CohortColumns",
    "SectionName",
    "build_report",
    "write_report",
]

log = logging.getLogger(__name__)

SectionName = Literal[
    "summary", "evidence", "targets", "network", "cerna", "sites", "simulation", "enrichment",
    "clinical", "atlas",
]
#: The report's sections, in order.
SECTIONS: tuple[SectionName, ...] = (
    "summary", "evidence", "targets", "network", "cerna", "sites", "simulation", "enrichment",
    "clinical", "atlas",
)
#: Most nodes of the report's network figure (ranked; the rest is listed as cut).
NETWORK_MAX_NODES = 40
#: Random gene sets of the empirical enrichment null.
N_NULL = 2000

_TITLES: dict[str, str] = {
    "summary": "Summary",
    "evidence": "Evidence with provenance",
    "targets": "Ranked targets",
    "network": "Regulatory network",
    "cerna": "ceRNA axes",
    "sites": "Predicted binding sites",
    "simulation": "Simulated perturbations",
    "enrichment": "Pathway enrichment of miRTarBase targets",
    "clinical": "Clinical analyses",
    "atlas": "TCGA pan-cancer atlas",
}


@dataclass(frozen=True)
class CohortColumns:
    """Column names of cohort tables; ``None`` means "detect from the header".

    Detection: the marker is the column whose name contains ``124`` (e.g.
    ``hsa-mir-124``, ``miR-124``) or is called ``marker``/``expression``; the survival
    time is ``os_days``/``os_time``/``time``/``days``/``months``/``duration``; the event
    ``os_event``/``event``/``dead``/``death``; the diagnostic label
    ``label``/``group``/``class``/``sample_type``/``tissue``.

    Examples
    --------
    >>> CohortColumns(marker="mir124").marker
    'mir124'
    """

    marker: str | None = None
    label: str | None = None
    positive: str | None = None
    negative: str | None = None
    duration: str | None = None
    event: str | None = None
    split: Literal["median", "mean", "optimal"] = "median"


@dataclass
class _Section:
    id: str
    title: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def text(self, text: str) -> None:
        self.blocks.append({"kind": "text", "text": text})

    def note(self, text: str) -> None:
        self.blocks.append({"kind": "note", "text": text})

    def unavailable(self, text: str) -> None:
        self.blocks.append({"kind": "unavailable", "text": text})

    def heading(self, text: str) -> None:
        self.blocks.append({"kind": "heading", "text": text})

    def facts(self, items: Sequence[tuple[str, object]]) -> None:
        self.blocks.append({"kind": "facts", "items": list(items)})

    def figure(self, fig: Any, caption: str, *, id: str, append: bool = True) -> dict[str, Any]:
        block = {"kind": "figure", "uri": figure_data_uri(fig), "caption": caption, "id": id}
        if append:
            self.blocks.append(block)
        return block

    def table(
        self,
        df: pd.DataFrame,
        *,
        id: str,
        caption: str = "",
        classes: dict[str, str] | None = None,
        collapsed_summary: str | None = None,
        title: str = "",
        append: bool = True,
    ) -> dict[str, Any]:
        classes = classes or {}
        cols = [str(c) for c in df.columns]
        rows = [[_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
        block = {
            "kind": "table", "id": id, "columns": cols, "rows": rows, "caption": caption,
            "classes": [classes.get(c, "num" if pd.api.types.is_numeric_dtype(df[c]) else "")
                        for c in df.columns],
            "collapsed": collapsed_summary is not None, "summary": collapsed_summary or "",
            "title": title,
        }
        if append:
            self.blocks.append(block)
        return block

    def grid(self, blocks: Sequence[dict[str, Any]]) -> None:
        self.blocks.append({"kind": "grid", "items": list(blocks)})


def _cell(v: Any) -> str:
    from markupsafe import Markup

    if isinstance(v, Markup):
        return v  # pre-built, escaped HTML (PubMed links)
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e5):
            return f"{v:.2e}"
        return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
    if isinstance(v, (list, tuple, set, frozenset)):
        return ", ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}={_cell(x)}" for k, x in v.items())
    return str(v)


def _refs(refs: Iterable[int]) -> str:
    return " ".join(f"[{r}]" for r in refs)


def _guard(section: _Section, what: str, fn: Callable[[], None]) -> None:
    """Run one analysis; a package error becomes a visible 'not available' note."""
    try:
        fn()
    except (EmptyResultError, InputError) as err:
        log.warning("report: %s not available: %s", what, err)
        section.unavailable(f"{what}: not available for this input. {err}")


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------
class _Context:
    def __init__(self, mirna: str, cancer: str | None, kb_url: str | None) -> None:
        from mirscope import names
        from mirscope.kb import open_store

        self.mirna = names.normalize_mirna(mirna).name
        self.mirna_input = mirna
        self.cancer = names.normalize_cancer(cancer).name if cancer else None
        self.kb = open_store(kb_url)
        # the user's spelling: an arm-less name (miR-124) selects the whole family
        # (mature arms, precursors, MIR124 genes), an explicit arm only that arm
        self.relations = list(self.kb.query(mirna=mirna, cancer=cancer))
        self._graph: Any = None
        self._graph_error: MirscopeError | None = None

    def graph(self) -> Any:
        """The miRNA's own network (every source), cut to a readable size."""
        if self._graph is None and self._graph_error is None:
            from mirscope.network import mirna_network

            try:
                self._graph = mirna_network(
                    self.mirna_input, kb=self.kb, cancer=self.cancer, max_nodes=NETWORK_MAX_NODES
                )
            except (EmptyResultError, UnknownNameError) as err:
                self._graph_error = err
        if self._graph_error is not None:
            raise self._graph_error
        return self._graph


def _summary(ctx: _Context, sec: _Section) -> None:
    rels = ctx.relations
    partners = Counter((r.object if r.subject_type == "mirna" else r.subject) for r in rels)
    by_relation = Counter(r.relation for r in rels)
    cancers = Counter(r.cancer for r in rels if r.cancer)
    refs = {ref for r in rels for ref in r.refs}
    scope = f" in {ctx.cancer}" if ctx.cancer else " across cancers"
    sec.text(
        f"{ctx.mirna} (queried as {ctx.mirna_input!r}){scope}: what the knowledge base records, "
        "what the network implies, and what the model and the data say."
    )
    sec.facts([
        ("evidence records", len(rels)),
        ("distinct partners", len(partners)),
        ("distinct direct targets", len({r.object for r in rels if r.relation == "targets"
                                         and r.subject_type == "mirna"})),
        ("cancer types", len(cancers)),
        ("review references", len(refs)),
    ])
    if not rels:
        from mirscope import names

        sec.unavailable(
            (
                f"The knowledge base has no record for {ctx.mirna_input} in {ctx.cancer} or "
                "its sub-types; build the report without a cancer, or "
                if ctx.cancer
                else ""
            )
            + names.no_evidence_message(ctx.mirna_input)
            + "."
        )
        return
    mirnas = sorted({n for r in rels for n, t in ((r.subject, r.subject_type),
                                                   (r.object, r.object_type)) if t == "mirna"})
    sec.text(f"miRNA entities in these records: {', '.join(mirnas)}.")
    blocks = [sec.table(
        pd.DataFrame(by_relation.most_common(), columns=["relation", "records"]),
        id="summary-relations", title="Records by relation type", append=False,
    )]
    if cancers:
        blocks.append(sec.table(
            pd.DataFrame(cancers.most_common(), columns=["cancer", "records"]),
            id="summary-cancers", title="Records by cancer type", append=False,
        ))
    sec.grid(blocks)
    targets = sorted({r.object for r in rels if r.relation == "targets" and r.subject_type == "mirna"})
    if targets:
        sec.text(f"Validated direct targets ({len(targets)}): {', '.join(targets)}.")


def _evidence(ctx: _Context, sec: _Section, *, max_rows: int) -> None:
    rels = sorted(ctx.relations, key=lambda r: (r.relation, r.object, r.cancer or "", r.id))
    sec.text(
        "Each row is one finding with the sentence of the review that supports it "
        "(numbers in brackets are the review's references) and its source."
    )
    if not rels:
        sec.unavailable("No evidence record matches.")
        return
    rows = [
        {
            "subject": r.subject,
            "relation": r.relation,
            "object": r.object,
            "cancer": r.cancer or "",
            "direction": r.direction,
            "assays": ", ".join(r.assays),
            "refs": _refs(r.refs),
            "provenance": r.evidence,
            "source": r.source + (f" {r.source_id}" if r.source_id else ""),
        }
        for r in rels[:max_rows]
    ]
    caption = f"{len(rels)} records" + (
        f"; the first {max_rows} are shown (use `mirscope kb query` for all)."
        if len(rels) > max_rows else "."
    )
    sec.table(pd.DataFrame(rows), id="evidence-table", caption=caption,
              classes={"provenance": "provenance", "refs": ""})


def _pubmed(pmids: Iterable[int], *, limit: int = 8) -> Any:
    """PubMed links (escaped HTML) for up to ``limit`` ids, with a count of the rest."""
    from markupsafe import Markup, escape

    ids = [int(p) for p in pmids]
    links = [
        Markup('<a href="https://pubmed.ncbi.nlm.nih.gov/{0}/">{0}</a>').format(p)
        for p in ids[:limit]
    ]
    more = f" (+{len(ids) - limit})" if len(ids) > limit else ""
    return Markup(", ").join(links) + escape(more)


def _targets(ctx: _Context, sec: _Section, *, max_rows: int = 50) -> None:
    from mirscope.kb.targets import ranked_targets

    df = ranked_targets(ctx.kb, ctx.mirna_input, cancer=ctx.cancer)
    sec.text(
        f"One row per target gene of {ctx.mirna_input} from every source (review, miRTarBase, "
        "accepted literature, user), ranked by evidence strength: each distinct reference "
        "counts 1 + 0.5 per strong method class (reporter assay, western blot, qPCR, northern "
        "blot; at most 3), 0.5 with weak methods only, 1.5 for a review reference; plus 1 per "
        "extra source (docs/kb.md). `mirscope kb targets --mirna "
        f"{ctx.mirna_input}` prints the same table."
    )
    shown = df.head(max_rows).copy()
    shown["pubmed"] = [_pubmed(p) for p in shown["pmids"]]
    shown["review refs"] = [_refs(r) for r in shown["review_refs"]]
    cols = ["rank", "gene", "score", "n_references", "experiments", "weak_experiments",
            "sources", "cancers", "pubmed", "review refs", "review_sentence"]
    sec.table(
        shown[cols], id="targets-table",
        caption=f"{len(df)} target genes"
        + (f"; the first {max_rows} are shown." if len(df) > max_rows else "."),
        classes={"review_sentence": "provenance", "pubmed": "", "review refs": ""},
    )


def _network(ctx: _Context, sec: _Section) -> None:
    from mirscope.network import draw_network

    G = ctx.graph()
    types = Counter(d.get("type", "other") for _, d in G.nodes(data=True))
    sec.text(
        f"The own network of {ctx.mirna_input}"
        + (f" in {ctx.cancer} and its sub-types" if ctx.cancer else " across cancers")
        + ": its targets and regulators from every knowledge-base source, and their pathways "
        f"and phenotypes: {G.number_of_nodes()} nodes ("
        + ", ".join(f"{n} {t}" for t, n in types.most_common())
        + f") and {G.number_of_edges()} edges."
    )
    cut = G.graph.get("cut", {})
    if cut.get("nodes"):
        sec.note(
            f"Cut to a readable size: {cut['note']}. `mirscope network export --mirna "
            f"{ctx.mirna_input} --max-nodes N` exports a larger network."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig = draw_network(G)
    sec.figure(fig, f"Regulatory network of {ctx.mirna_input}"
               + (f" in {ctx.cancer}" if ctx.cancer else "") + ".", id="network-figure")


def _cerna(ctx: _Context, sec: _Section) -> None:
    from mirscope.network import cerna_axes

    G = ctx.graph()
    axes = cerna_axes(G, ctx.mirna, cancer=ctx.cancer)
    sec.text(
        "Sponges (lncRNAs/circRNAs) that sequester the miRNA, paired with the targets the same "
        "study reported, and the pathways and phenotypes downstream."
    )
    cols = [c for c in ("chain", "sponge", "target", "pathways", "phenotypes", "cancers", "refs")
            if c in axes.columns]
    sec.table(axes[cols] if cols else axes, id="cerna-table",
              caption=f"{len(axes)} axes.")


def _target_sites(ctx: _Context, sec: _Section, *, online: bool) -> None:
    """Each reported target's 3'UTR sites next to its evidence (cached or online sequences)."""
    from mirscope.sequences import scan_genes

    targets: dict[str, set[int]] = {}
    for r in ctx.relations:
        if r.relation == "targets" and r.object_type == "gene":
            targets.setdefault(r.object, set()).update(r.refs)
    if not targets:
        return
    res = scan_genes(sorted(targets), ctx.mirna, offline=not online, on_missing="report",
                     energies=False)
    found = res.genes[res.genes["status"] == "ok"]
    sec.heading(f"Validated targets in the knowledge base: predicted 3'UTR sites ({len(targets)} genes)")
    if found.empty:
        sec.note(
            f"No 3'UTR sequence of the {len(targets)} reported targets is cached"
            + ("" if online else " (the report does not go online unless asked)")
            + ". Fetch them once with `mirscope sequences fetch "
            + " ".join(sorted(targets)[:3]) + " ...` (Ensembl REST, cached for offline use), "
            "or build the report with `--online-sequences`."
        )
        return
    table = res.genes.copy()
    table.insert(1, "refs", table["gene"].map(lambda g: _refs(sorted(targets.get(g, ())))))
    table["flag"] = [
        "validated target without a canonical site" if st == "ok" and not bool(c) else ""
        for st, c in zip(table["status"], table["has_canonical_site"].fillna(False), strict=True)
    ]
    n_flag = int((table["flag"] != "").sum())
    sec.table(
        table, id="sites-kb-targets",
        caption=f"Canonical sites are 8mer, 7mer-m8 and 7mer-A1. {n_flag} validated target "
        "transcript(s) have none: their repression may rest on non-canonical or CDS sites, or "
        "the finding may be indirect.",
    )


def _sites(
    ctx: _Context, sec: _Section, fasta: Sequence[Path], *, online: bool = False,
    vcf: Sequence[Path] = (), variant_utrs: Path | None = None,
) -> None:
    from mirscope.sites import read_fasta, scan

    _guard(sec, "Target 3'UTR sites", partial(_target_sites, ctx, sec, online=online))
    if vcf:
        _variant_sites(ctx, sec, vcf, variant_utrs)
    if not fasta:
        sec.note(
            "No sequence file was given. Add `--fasta FILE` (3'UTRs, circRNAs...) to scan them "
            f"for {ctx.mirna} sites."
        )
        return
    for path in fasta:
        seqs = read_fasta(path)
        df = scan(seqs, ctx.mirna)
        sec.heading(f"{Path(path).name}: {len(seqs)} sequence(s), {len(df)} site(s)")
        if df.empty:
            sec.text("No canonical or offset seed site was found.")
            continue
        per = (
            df.groupby(["transcript", "site_type"]).size().unstack(fill_value=0).reset_index()
        )
        sec.table(per, id=f"sites-summary-{_slug(Path(path).name)}",
                  caption="Sites per sequence and site type.")
        cols = [c for c in ("transcript", "start", "end", "site_type", "dg_duplex", "supp_score")
                if c in df.columns]
        sec.table(df[cols].head(200), id=f"sites-{_slug(Path(path).name)}",
                  collapsed_summary=f"All sites ({min(len(df), 200)} shown)")


def _variant_sites(ctx: _Context, sec: _Section, vcf: Sequence[Path], utrs: Path | None) -> None:
    """Sites of the miRNA gained, lost or changed by the variants of a VCF, per gene."""
    from mirscope.sites.scan import resolve_mirna
    from mirscope.variants import annotate_small_vcf, gene_summary

    if utrs is None:
        sec.unavailable(
            "Variant effects: a VCF was given without 3'UTRs. Add `--variant-utrs FILE` (FASTA with "
            ">TRANSCRIPT|GENE|chr:start-end[,...]:strand headers) or run `mirscope variants` with a GTF."
        )
        return
    name, seq = resolve_mirna(ctx.mirna)
    try:
        network_genes = {str(n) for n in ctx.graph().nodes}
    except MirscopeError:
        network_genes = set()
    for path in vcf:
        rows, vstats, astats = annotate_small_vcf(path, utrs, {name: seq})
        genes = gene_summary(rows, network_genes=network_genes)
        sec.heading(
            f"Variants of {Path(path).name}: {vstats.records} record(s), {astats.alleles_in_features} allele(s) "
            f"in a 3'UTR, {len(rows)} {name} site change(s) in {len(genes)} gene(s)"
        )
        if genes.empty:
            sec.text("No variant gains, loses or changes a site of the miRNA.")
            continue
        block = sec.table(genes, id=f"variants-genes-{_slug(Path(path).name)}",
                          caption="Sites gained, lost or changed per gene; genes of the evidence network "
                          "link to the network section.")
        block["hrefs"] = [["#network" if g else None for _ in genes.columns] if g else None
                          for g in genes["in_network"].tolist()]
        cols = ["chrom", "pos", "ref", "alt", "gene", "transcript", "effect", "ref_site_type",
                "alt_site_type", "ref_start", "alt_start", "ddg"]
        sec.table(pd.DataFrame(rows)[cols].head(200), id=f"variants-{_slug(Path(path).name)}",
                  collapsed_summary=f"All site changes ({min(len(rows), 200)} shown)")


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def _simulation(ctx: _Context, sec: _Section) -> None:
    from mirscope.report.figures import perturbation_figure
    from mirscope.simulate import build_model, simulate_perturbations, validation_summary

    model = build_model(ctx.cancer, mirna=ctx.mirna_input, kb=ctx.kb, max_nodes=NETWORK_MAX_NODES)
    node = ctx.mirna_input
    sec.text(
        f"Steady states of the kinetic model of {ctx.mirna_input}'s own network"
        + (f" in {ctx.cancer}" if ctx.cancer else " (all cancers)")
        + " after raising (mimic) or lowering (antagomir) the miRNA, as log2 fold change "
        "against the unperturbed model (see docs/simulate.md for the equations)."
    )
    for verb in ("overexpress", "inhibit"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = simulate_perturbations(model, [f"{node}={verb}"])
        table = res.table
        sec.heading(f"{node} {verb}")
        sec.figure(
            perturbation_figure(table, title=", ".join(res.perturbations), threshold=res.threshold),
            f"{node} {verb}: the 25 most affected nodes (red up, blue down).",
            id=f"simulation-{verb}-figure",
        )
        cols = [c for c in ("node", "type", "log2fc", "direction") if c in table.columns]
        sec.table(table[cols], id=f"simulation-{verb}",
                  collapsed_summary=f"All {len(table)} nodes")
    sec.heading("Agreement with the literature")
    from mirscope import names
    from mirscope.simulate import review_claims

    members = set(names.mirna_members(ctx.mirna_input))
    claims = review_claims()
    mine = claims["perturbation"].str.split("=").str[0].isin(members) | claims["readout"].isin(
        members
    )
    if not bool(mine.any()):
        sec.note(
            f"The curated review reports no perturbation outcome of {ctx.mirna_input}, so this "
            "model cannot be checked against it yet."
        )
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        summary = validation_summary(cancers=[ctx.cancer] if ctx.cancer else None)
    val = summary["holdout_result"]
    if val.n_total + val.untestable == 0:
        sec.note(f"The review reports no perturbation outcome in {ctx.cancer} to compare with.")
        return
    sec.text(
        summary["text"]
        + " Each outcome is simulated in the review network's model of its cancer type; the "
        "leave-one-edge-out score removes the direct link between the perturbed node and the "
        "readout before predicting, so it counts only what the rest of the network implies."
    )
    dis = val.disagreements
    if len(dis):
        cols = [c for c in ("perturbation", "cancer", "readout", "reported", "predicted",
                            "log2fc", "refs", "reason") if c in dis.columns]
        sec.table(dis[cols], id="simulation-disagreements",
                  collapsed_summary=f"The {len(dis)} outcomes the model does not reproduce "
                  "(leave-one-edge-out)")
    cols = [c for c in ("perturbation", "cancer", "readout", "reported", "predicted", "log2fc",
                        "agree", "refs") if c in val.table.columns]
    sec.table(val.table[cols], id="simulation-validation",
              collapsed_summary="Every testable reported perturbation outcome and the model's "
              "leave-one-edge-out prediction")


def _enrichment(ctx: _Context, sec: _Section) -> None:
    from mirscope.kb import load_mirtarbase
    from mirscope.network import enrich

    targets = load_mirtarbase(mirna=ctx.mirna)
    genes = sorted(set(targets["target"]))
    if not genes:
        sec.unavailable(f"miRTarBase has no target of {ctx.mirna} in the shipped subset.")
        return
    res = enrich(genes, null="empirical", n_null=N_NULL, mirna=ctx.mirna)
    table = res.table
    sec.text(
        f"Over-representation of {len(res.genes)} miRTarBase targets of {ctx.mirna} "
        f"({len(res.unmatched)} not in the background) in the shipped gene-set collections: "
        "hypergeometric p-value with Benjamini-Hochberg q-value, and an empirical p/q-value "
        f"from {N_NULL} random gene sets drawn with the target-selection bias of miRTarBase "
        "(well-studied genes are more often reported as targets), which is the more "
        "conservative of the two."
    )
    cols = [c for c in ("gene_set", "set_size", "overlap", "fold_enrichment", "p_value",
                        "q_value", "p_empirical", "q_empirical", "genes") if c in table.columns]
    sec.table(table[cols].head(20), id="enrichment-table",
              caption=f"Top {min(20, len(table))} of {len(table)} gene sets tested.")


# --- clinical ----------------------------------------------------------------
_MARKER = re.compile(r"124|^marker$|^expression$|^expr$", re.I)
_DURATION = ("os_days", "os_time", "os_months", "time", "days", "months", "duration",
             "survival_time", "os")
_EVENT = ("os_event", "event", "status", "dead", "death", "vital_status_event")
_LABEL = ("label", "group", "class", "sample_type", "tissue", "type", "condition")


def _find(df: pd.DataFrame, given: str | None, candidates: Iterable[str], what: str) -> str | None:
    if given is not None:
        if given not in df.columns:
            raise InputError(
                f"{what} column {given!r} is not in the table; its columns are {list(df.columns)}."
            )
        return given
    lower = {c.lower(): c for c in df.columns}
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _marker(df: pd.DataFrame, given: str | None) -> str:
    if given is not None:
        return _find(df, given, (), "marker") or given
    hits = [c for c in df.columns if _MARKER.search(str(c))]
    if not hits:
        raise InputError(
            f"no marker column found (a column whose name contains '124', or 'marker'); "
            f"the columns are {list(df.columns)}; name it with --marker-col."
        )
    return hits[0]


def _kv(d: dict[str, Any]) -> pd.DataFrame:
    """A result's numbers as a two-column table (statistic, value); empty values left out."""
    rows = [(k, _cell(v)) for k, v in d.items() if v not in (None, [], {}, "")]
    return pd.DataFrame(rows, columns=["statistic", "value"])


def _km_block(sec: _Section, df: pd.DataFrame, name: str, marker: str, duration: str,
              event: str, cols: CohortColumns) -> None:
    from mirscope.clinical import SurvivalSplitFitter, plot_km

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = SurvivalSplitFitter(split=cols.split).fit(
            df, duration_col=duration, event_col=event, marker_col=marker
        )
        fig = plot_km(f.result_)
    sec.grid([
        sec.figure(fig, f"{name}: Kaplan-Meier curves of {marker}-high vs -low "
                   f"({cols.split} split).", id=f"km-{_slug(name)}", append=False),
        sec.table(_kv(f.result_.details()), id=f"km-table-{_slug(name)}", append=False),
    ])
    for msg in sorted({str(w.message) for w in caught}):
        sec.note(msg)


def _roc_block(sec: _Section, df: pd.DataFrame, name: str, marker: str, label: str,
               cols: CohortColumns) -> None:
    from mirscope.clinical import ROCFitter, plot_roc

    levels = sorted(df[label].dropna().astype(str).unique())
    positive = cols.positive
    if positive is None and cols.negative is None:
        tumour = [v for v in levels if re.search(r"tum|cancer|case|^1$|pos", v, re.I)]
        if len(levels) != 2 or len(tumour) != 1:
            raise InputError(
                f"cannot tell the positive class of {label!r} (values {levels}); "
                "give it with --positive (and --negative when there are more than two)."
            )
        positive = tumour[0]
    if positive is None:
        raise InputError("--negative needs --positive (the case label of the ROC).")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = ROCFitter().fit(df, marker_col=marker, label_col=label, positive=positive,
                            negative=cols.negative)
        fig = plot_roc(f.result_)
    sec.grid([
        sec.figure(fig, f"{name}: ROC of {marker} for {label} = {positive}"
                   + (f" vs {cols.negative}." if cols.negative is not None else "."),
                   id=f"roc-{_slug(name)}", append=False),
        sec.table(_kv(f.result_.details()), id=f"roc-table-{_slug(name)}", append=False),
    ])
    for msg in sorted({str(w.message) for w in caught}):
        sec.note(msg)


def _clinical(sec: _Section, cohorts: Sequence[Path], cols: CohortColumns) -> None:
    from mirscope.clinical import read_table

    if not cohorts:
        sec.note("No cohort was given. Add `--cohort TABLE` (CSV/TSV/Excel with a miR-124 "
                 "column and survival or diagnosis columns) for ROC and Kaplan-Meier analyses.")
        return
    for path in cohorts:
        name = Path(path).name
        df = read_table(path)
        sec.heading(f"Cohort {name}: {len(df)} rows, {len(df.columns)} columns")
        marker = _marker(df, cols.marker)
        duration = _find(df, cols.duration, _DURATION, "survival time")
        event = _find(df, cols.event, _EVENT, "event")
        label = _find(df, cols.label, _LABEL, "label")
        if duration and event:
            _guard(sec, f"{name} survival", partial(
                _km_block, sec, df, name, marker, duration, event, cols))
        if label:
            _guard(sec, f"{name} ROC", partial(_roc_block, sec, df, name, marker, label, cols))
        if not ((duration and event) or label):
            sec.unavailable(
                f"{name}: no survival columns (time + event) and no diagnosis label column "
                f"found in {list(df.columns)}; name them with --duration-col/--event-col or "
                "--label-col."
            )


# --- TCGA atlas ----------------------------------------------------------------
_ATLAS_COLS = ["cohort", "n_paired", "log2fc", "wilcoxon_p", "q", "n_survival", "events",
               "cox_hr", "cox_p", "logrank_p", "zero_fraction", "status_paired", "status_survival"]


def _atlas(ctx: _Context, sec: _Section) -> None:
    """The miRNA across the 18 shipped TCGA cohorts: table, pan-cancer panel, KM of the
    cohort with the smallest Cox p."""
    from mirscope.clinical.atlas import AtlasFitter
    from mirscope.clinical.atlas_plots import plot_atlas_km, plot_atlas_panel

    res = AtlasFitter().fit(ctx.mirna).result_
    t = res.table
    tested = t[t["status_paired"] == "tested"]
    sec.text(
        f"{res.mirna} = sum of the RPM of {', '.join(res.precursors)}; x = log2(RPM + 1). "
        f"Tumour vs paired normal (paired Wilcoxon, R's wilcox.test defaults) in "
        f"{len(tested)} of {len(t)} cohorts; Cox (Efron) and median-split log-rank on primary "
        "tumours; q = Benjamini-Hochberg across cohorts. Cohorts where half or more of the "
        "tumours have 0 reads are reported as not detected instead of tested."
    )
    sec.figure(plot_atlas_panel(res), f"{res.mirna}: log2 fold change (tumour vs paired normal) "
               "and Cox hazard ratio per cohort, 95% CIs.", id="atlas-panel")
    sec.table(t[_ATLAS_COLS], id="atlas-table", caption="One row per cohort; every cohort is "
              "listed, with the reason when it was not tested.")
    surv = t[t["status_survival"] == "tested"].dropna(subset=["cox_p"])
    if len(surv):
        best = surv.sort_values("cox_p").iloc[0]["cohort"]
        _guard(sec, f"Kaplan-Meier {best}", lambda: sec.figure(
            plot_atlas_km(ctx.mirna, best), f"{res.mirna} in TCGA-{best} (smallest Cox p, "
            "not corrected for the choice): median split, log-rank p, number at risk.",
            id="atlas-km"))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
def build_report(
    mirna: str = "miR-124",
    *,
    cancer: str | None = None,
    cohorts: Sequence[str | os.PathLike[str]] = (),
    fasta: Sequence[str | os.PathLike[str]] = (),
    kb_url: str | None = None,
    columns: CohortColumns | None = None,
    sections: Sequence[SectionName] = SECTIONS,
    max_evidence_rows: int = 500,
    online_sequences: bool = False,
    vcf: Sequence[str | os.PathLike[str]] = (),
    variant_utrs: str | os.PathLike[str] | None = None,
) -> str:
    """Build the HTML report on a miRNA.

    Parameters
    ----------
    mirna
        The miRNA (any spelling :func:`mirscope.names.normalize_mirna` accepts).
    cancer
        Restrict evidence, network and model to one cancer type (e.g. ``"HCC"``).
    cohorts
        Cohort tables (CSV/TSV/Excel) for the clinical section.
    fasta
        FASTA files whose sequences are scanned for sites of the miRNA.
    kb_url
        Knowledge base URL (default: the user's default database).
    columns
        Column names of the cohort tables (default: detected from the headers).
    sections
        Which sections to include (default: all of :data:`SECTIONS`).
    max_evidence_rows
        Most rows shown in the evidence table.
    online_sequences
        Fetch the reported targets' 3'UTRs from Ensembl REST when not cached (default: use
        only cached sequences, so the report never touches the network unasked).
    vcf, variant_utrs
        VCF files whose variants are checked for sites of the miRNA gained, lost or changed
        (sites section, per gene, linked to the network), in the 3'UTRs of ``variant_utrs``
        (FASTA with coordinates, see :func:`mirscope.variants.read_feature_fasta`).

    Returns
    -------
    str
        One self-contained HTML document.

    Raises
    ------
    UnknownNameError
        ``mirna`` or ``cancer`` is not a known name.
    InputError
        An unknown section or a missing input file.
    """
    bad = [s for s in sections if s not in SECTIONS]
    if bad:
        raise InputError(f"unknown report section(s) {bad}; valid sections are {list(SECTIONS)}.")
    fasta_paths = [Path(p) for p in fasta]
    cohort_paths = [Path(p) for p in cohorts]
    vcf_paths = [Path(p) for p in vcf]
    utr_path = Path(variant_utrs) if variant_utrs is not None else None
    for p in [*fasta_paths, *cohort_paths, *vcf_paths, *([utr_path] if utr_path else [])]:
        if not p.is_file():
            raise InputError(f"input file {str(p)!r} does not exist; check the path.")
    if max_evidence_rows < 1:
        raise InputError(f"max_evidence_rows must be >= 1, got {max_evidence_rows}.")
    cols = columns or CohortColumns()
    ctx = _Context(mirna, cancer, kb_url)

    out: list[_Section] = []
    for name in sections:
        sec = _Section(id=name, title=_TITLES[name])
        if name == "summary":
            _summary(ctx, sec)
        elif name == "evidence":
            _evidence(ctx, sec, max_rows=max_evidence_rows)
        elif name == "targets":
            _guard(sec, "Ranked targets", partial(_targets, ctx, sec))
        elif name == "network":
            _guard(sec, "Network", partial(_network, ctx, sec))
        elif name == "cerna":
            _guard(sec, "ceRNA axes", partial(_cerna, ctx, sec))
        elif name == "sites":
            _sites(ctx, sec, fasta_paths, online=online_sequences, vcf=vcf_paths, variant_utrs=utr_path)
        elif name == "simulation":
            _guard(sec, "Simulation", partial(_simulation, ctx, sec))
        elif name == "enrichment":
            _guard(sec, "Enrichment", partial(_enrichment, ctx, sec))
        elif name == "clinical":
            _clinical(sec, cohort_paths, cols)
        elif name == "atlas":
            _guard(sec, "TCGA atlas", partial(_atlas, ctx, sec))
        out.append(sec)

    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("mirscope.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    shown = ctx.mirna if mirna.strip() == ctx.mirna else f"{mirna.strip()} ({ctx.mirna})"
    title = f"mirscope report: {shown}" + (f" in {ctx.cancer}" if ctx.cancer else "")
    inputs = [f"cancer: {ctx.cancer or 'all'}"]
    if fasta_paths:
        inputs.append("sequences: " + ", ".join(p.name for p in fasta_paths))
    if cohort_paths:
        inputs.append("cohorts: " + ", ".join(p.name for p in cohort_paths))
    if vcf_paths:
        inputs.append("variants: " + ", ".join(p.name for p in vcf_paths))
    created = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return env.get_template("report.html").render(
        title=title,
        subtitle=_html.unescape("; ".join(inputs)),
        sections=out,
        version=__version__,
        created=created,
    )


def write_report(path: str | os.PathLike[str], mirna: str = "miR-124", **kwargs: Any) -> Path:
    """Build the report (see :func:`build_report`) and write it atomically to ``path``.

    Parameters
    ----------
    path
        Output HTML file; its folder is created if missing.
    mirna, **kwargs
        Passed to :func:`build_report`.

    Returns
    -------
    pathlib.Path
        The written file (absolute).
    """
    html = build_report(mirna, **kwargs)
    out = Path(path).expanduser().resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(out) as fh:
        fh.write(html)
    return out
