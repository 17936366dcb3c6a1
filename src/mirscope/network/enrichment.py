"""Pathway over-representation analysis with a miRNA-specific empirical null.

Two tests are computed for every gene set:

* the one-sided **hypergeometric test** (equivalently Fisher's exact test, "greater")
  against a background (default: every gene of the loaded gene sets), with
  Benjamini-Hochberg adjustment (``q_value``);
* optionally (``null="empirical"``) an **empirical null** that corrects the bias of
  miRNA target sets described by Bleazard, Lamb and Griffiths-Jones (2015,
  Bioinformatics 31:1592): genes that are frequently reported as miRNA targets (well
  studied signalling genes, long 3'UTRs) are over-represented in *any* miRNA's target
  list, so pathways rich in those genes look enriched for every miRNA. The null draws
  ``n_null`` random gene sets of the query's size, sampling genes without replacement
  with probability proportional to a weight: by default 1 + the number of *other*
  miRNAs whose strong-evidence miRTarBase targets include the gene (so a draw looks
  like a random miRNA's validated target set, smoothed so that every background gene
  can be drawn); any per-gene weight (3'UTR length, number of
  predicted sites) gives a site/length-matched null instead. The empirical p-value is
  ``(1 + #draws with overlap >= observed) / (1 + n_null)``, BH-adjusted as
  ``q_empirical``.

The null is vectorised: all draws are made at once (weighted sampling without
replacement, see :func:`sample_null_sets`), stored as a sparse draw x gene matrix and
multiplied with the sparse gene x set membership matrix, so 10,000 draws over all
shipped collections take about a second (see ``benchmarks/bench_enrich.py``).

Examples
--------
>>> sets = {"A": {"G1", "G2", "G3"}, "B": {"G4", "G5", "G6"}}
>>> res = enrich(["G1", "G2"], gene_sets=sets, min_size=1)
>>> res
EnrichmentResult(2 genes, background 6, 2 gene sets, null=None, 0 with q_value < 0.05)
>>> res.table.loc[0, "gene_set"]
'A'
>>> int(res.table.loc[0, "overlap"])
2
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats
from statsmodels.stats.multitest import multipletests

from mirscope.errors import EmptyResultError, FileFormatError, InputError, UnknownNameError
from mirscope.schema import (
    CORE_PATHWAYS,
    ENRICHMENT_COLUMNS,
    GENE_SET_COLLECTIONS,
    NULL_SAMPLINGS,
    GeneSetCollectionName,
    NullModel,
    NullSampling,
)

__all__ = [
    "PATHWAY_GENE_SETS",
    "EnrichmentResult",
    "enrich",
    "load_gene_sets",
    "mirna_target_weights",
    "pathway_gene_sets",
    "pathway_report",
    "read_gmt",
    "sample_mirna_null_sets",
    "sample_null_sets",
    "site_count_weights",
]

log = logging.getLogger(__name__)

_DATA_PACKAGE = "mirscope.data.genesets"
_COLLECTION_FILES: dict[str, str] = {
    "hallmark": "hallmark.gmt.gz",
    "reactome": "reactome.gmt.gz",
    "wikipathways": "wikipathways.gmt.gz",
}
_CHUNK = 1000  # null draws per sparse product

#: For each of the review's core signalling pathways, the gene sets that represent it in the
#: shipped collections (keys as returned by :func:`load_gene_sets`).
PATHWAY_GENE_SETS: dict[str, tuple[str, ...]] = {
    "Wnt/beta-catenin": (
        "hallmark:HALLMARK_WNT_BETA_CATENIN_SIGNALING",
        "reactome:Signaling-by-WNT",
        "reactome:TCF-dependent-signaling-in-response-to-WNT",
        "wikipathways:Wnt Signaling Pathway (WP428)",
        "wikipathways:Wnt Signaling Pathway and Pluripotency (WP399)",
    ),
    "PI3K/Akt": (
        "hallmark:HALLMARK_PI3K_AKT_MTOR_SIGNALING",
        "reactome:PI3K/AKT-Signaling-in-Cancer",
        "reactome:PIP3-activates-AKT-signaling",
        "wikipathways:PI3K-Akt Signaling Pathway (WP4172)",
    ),
    "NF-kB": (
        "hallmark:HALLMARK_TNFA_SIGNALING_VIA_NFKB",
        "reactome:TRAF6-mediated-NF-kB-activation",
        "reactome:NF-kB-is-activated-and-signals-survival",
        "wikipathways:TNF alpha Signaling Pathway (WP231)",
    ),
    "JAK/STAT": (
        "hallmark:HALLMARK_IL6_JAK_STAT3_SIGNALING",
        "reactome:Interleukin-6-signaling",
        "reactome:Interleukin-6-family-signaling",
        "wikipathways:IL-6 signaling pathway (WP364)",
    ),
    "Notch": (
        "hallmark:HALLMARK_NOTCH_SIGNALING",
        "reactome:Signaling-by-NOTCH",
        "wikipathways:Notch Signaling Pathway (WP61)",
        "wikipathways:Notch Signaling Pathway (WP268)",
    ),
}


# ---------------------------------------------------------------------------
# GMT files
# ---------------------------------------------------------------------------
def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def read_gmt(path: str | Path) -> dict[str, frozenset[str]]:
    """Read a GMT gene-set file (plain or ``.gz``).

    Each line is ``name<TAB>description<TAB>gene<TAB>gene...``. Blank lines are skipped;
    a set that appears twice is merged (with a log warning).

    Parameters
    ----------
    path
        The GMT file.

    Returns
    -------
    dict
        Set name -> frozenset of gene identifiers (as written in the file; names written
        all in lower case, such as ``stat3``, become HGNC symbols, ``STAT3``).

    Raises
    ------
    FileFormatError
        A line has fewer than three tab-separated fields, an empty name or no gene; the
        error names the file and the 1-based line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.gmt"
    >>> _ = p.write_text("SET_A\\tdesc\\tTP53\\tMYC\\n")
    >>> sorted(read_gmt(p)["SET_A"])
    ['MYC', 'TP53']
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"GMT file {str(path)!r} does not exist; give the path of a .gmt or .gmt.gz file."
        )
    sets: dict[str, set[str]] = {}
    try:
        with _open_text(path) as fh:
            for lineno, raw in enumerate(fh, start=1):
                line = raw.rstrip("\r\n")
                if not line.strip():
                    continue
                fields = line.split("\t")
                genes = [g.strip() for g in fields[2:] if g.strip()]
                if len(fields) < 3 or not genes:
                    raise FileFormatError(
                        path,
                        f"expected 'name<TAB>description<TAB>gene...' with at least one gene, "
                        f"found {len(fields)} tab-separated field(s) and {len(genes)} gene(s): "
                        f"{line[:60]!r}. Separate fields with tabs, not spaces.",
                        line=lineno,
                    )
                name = fields[0].strip()
                if not name:
                    raise FileFormatError(
                        path, "the gene-set name (first field) is empty", line=lineno
                    )
                if name in sets:
                    log.warning(
                        "%s: gene set %r appears twice (line %d); merging", path, name, lineno
                    )
                sets.setdefault(name, set()).update(genes)
    except UnicodeDecodeError as err:
        raise FileFormatError(path, f"not UTF-8 text ({err.reason})") from err
    except (OSError, EOFError) as err:
        raise FileFormatError(path, f"cannot read the file: {err}") from err
    if not sets:
        raise FileFormatError(path, "no gene set found (the file is empty)")
    lower = {g for v in sets.values() for g in v if g.islower()}
    if lower:
        # human symbols are upper case: a lower-case GMT (e.g. exported by a tool that
        # lower-cases ids) is matched case-insensitively to the HGNC symbol
        from mirscope.names import try_normalize_gene

        fixed = {g: try_normalize_gene(g) or g.upper() for g in lower}
        log.warning("%s: %d lower-case gene name(s) (e.g. %r) read as HGNC symbols (e.g. %r)",
                    path, len(fixed), *next(iter(sorted(fixed.items()))))
        sets = {k: {fixed.get(g, g) for g in v} for k, v in sets.items()}
    return {k: frozenset(v) for k, v in sets.items()}


_WP_NAME = re.compile(r"^(?P<title>.*?)%WikiPathways_\d+%(?P<wp>WP\d+)%")


def _entrez_to_symbol_map() -> dict[str, str]:
    """Entrez id (as str) -> approved HGNC symbol (:func:`mirscope.names.entrez_symbol_map`)."""
    from mirscope.names import entrez_symbol_map

    return {str(k): v for k, v in entrez_symbol_map().items()}


def load_gene_sets(
    collections: GeneSetCollectionName | Sequence[GeneSetCollectionName] = GENE_SET_COLLECTIONS,
) -> dict[str, frozenset[str]]:
    """Load the shipped gene-set collections, keyed ``"<collection>:<name>"``, genes as symbols.

    WikiPathways names are shortened to ``"<title> (WPnnn)"`` and its Entrez ids are
    mapped to HGNC symbols (ids without an approved symbol are dropped).

    Parameters
    ----------
    collections
        One or more of ``"hallmark"``, ``"reactome"``, ``"wikipathways"``.

    Examples
    --------
    >>> sets = load_gene_sets("hallmark")
    >>> len(sets)
    50
    >>> "TP53" in sets["hallmark:HALLMARK_P53_PATHWAY"]
    True
    """
    names = [collections] if isinstance(collections, str) else list(collections)
    out: dict[str, frozenset[str]] = {}
    for coll in names:
        if coll not in _COLLECTION_FILES:
            raise UnknownNameError("gene-set collection", coll, list(GENE_SET_COLLECTIONS))
        out.update(_load_collection(coll))
    return out


@lru_cache(maxsize=len(_COLLECTION_FILES))
def _load_collection(coll: str) -> dict[str, frozenset[str]]:
    """One shipped collection (cached; :func:`load_gene_sets` returns a fresh dict)."""
    ref = resources.files(_DATA_PACKAGE) / _COLLECTION_FILES[coll]
    with resources.as_file(ref) as p:
        raw = read_gmt(p)
    if coll != "wikipathways":
        return {f"{coll}:{name}": genes for name, genes in raw.items()}
    id_map = _entrez_to_symbol_map()
    out: dict[str, frozenset[str]] = {}
    n_missing = 0
    for name, ids in raw.items():
        m = _WP_NAME.match(name)
        short = f"{m['title'].strip()} ({m['wp']})" if m else name
        symbols = {id_map[i] for i in ids if i in id_map}
        n_missing += len(ids) - len(symbols)
        out[f"{coll}:{short}"] = frozenset(symbols)
    log.info("WikiPathways: %d Entrez ids without an HGNC symbol dropped", n_missing)
    return out


def pathway_gene_sets(pathway: str) -> tuple[str, ...]:
    """Gene-set keys representing one of the core pathways (Wnt, PI3K/Akt, NF-kB, JAK/STAT, Notch).

    Examples
    --------
    >>> pathway_gene_sets("Notch")[0]
    'hallmark:HALLMARK_NOTCH_SIGNALING'
    """
    key = {k.lower(): k for k in PATHWAY_GENE_SETS}.get(pathway.strip().lower())
    if key is None:
        aliases = {
            "wnt": "Wnt/beta-catenin",
            "pi3k": "PI3K/Akt",
            "akt": "PI3K/Akt",
            "nfkb": "NF-kB",
            "nf-kappab": "NF-kB",
            "stat3": "JAK/STAT",
            "jak-stat": "JAK/STAT",
        }
        key = aliases.get(pathway.strip().lower())
    if key is None:
        raise UnknownNameError("core pathway", pathway, list(PATHWAY_GENE_SETS))
    return PATHWAY_GENE_SETS[key]


# ---------------------------------------------------------------------------
# Null weights
# ---------------------------------------------------------------------------
def mirna_target_weights(
    targets: pd.DataFrame | None = None, *, exclude_mirna: str | None = None
) -> pd.Series:
    """Per-gene null weight: the number of distinct miRNAs with a strong-evidence target on the gene.

    Parameters
    ----------
    targets
        A miRNA-target table with columns ``mirna`` and ``target`` (default:
        :func:`mirscope.kb.load_mirtarbase`, miRTarBase functional MTIs).
    exclude_mirna
        A miRNA whose own targets are not counted (the query miRNA), normalised with
        :func:`mirscope.names.normalize_mirna` when possible.

    Examples
    --------
    >>> t = pd.DataFrame({"mirna": ["a", "b", "b"], "target": ["X", "X", "Y"]})
    >>> mirna_target_weights(t).to_dict()
    {'X': 2, 'Y': 1}
    """
    if targets is None:
        from mirscope.kb import load_mirtarbase

        targets = load_mirtarbase()
    missing = {"mirna", "target"} - set(targets.columns)
    if missing:
        raise InputError(
            f"target table lacks column(s) {sorted(missing)}; it needs 'mirna' and 'target'."
        )
    df = _exclude_mirna(targets[["mirna", "target"]].drop_duplicates(), exclude_mirna)
    counts = df.groupby("target")["mirna"].nunique()
    counts.index.name = None
    counts.name = "weight"
    return counts.sort_index()


def site_count_weights(sites: pd.DataFrame, *, pseudocount: float = 1.0) -> pd.Series:
    """Per-gene null weight from predicted binding sites: ``pseudocount + number of sites``.

    For a site-matched null (``enrich(..., null="empirical", null_weights=...)``): genes
    with many sites (long or site-rich 3'UTRs) are drawn more often, as they are more
    often predicted targets of any miRNA. ``sites`` is site-scan output
    (:func:`mirscope.sites.scan`) with a gene column (``gene``, ``target`` or
    ``transcript``), usually pooled over many miRNAs.

    Examples
    --------
    >>> s = pd.DataFrame({"transcript": ["A", "A", "B"], "site_type": ["8mer", "6mer", "8mer"]})
    >>> site_count_weights(s).to_dict()
    {'A': 3.0, 'B': 2.0}
    """
    col = next((c for c in ("gene", "target", "transcript") if c in sites.columns), None)
    if col is None:
        raise InputError(
            f"sites need a gene column ('gene', 'target' or 'transcript'); got {list(sites.columns)}."
        )
    if pseudocount < 0:
        raise InputError(f"pseudocount={pseudocount} must be >= 0.")
    counts = sites.groupby(col).size().astype(float) + pseudocount
    counts.index.name = None
    counts.name = "weight"
    return counts


def sample_null_sets(
    weights: np.ndarray, size: int, *, n_draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``n_draws`` index sets of ``size`` items, weighted, without replacement.

    Equivalent to drawing items one at a time with probability proportional to their
    weight among the items not drawn yet (successive sampling). Vectorised as rejection
    sampling: all ``n_draws x size`` items are drawn at once with replacement (inverse
    CDF), then items repeated within a draw are redrawn until every draw is distinct;
    each accepted redraw is a draw from the weights restricted to the items not yet in
    that set, which is exactly the successive-sampling step. When ``size`` exceeds half
    the items with positive weight, exponential keys (Efraimidis-Spirakis) are used
    instead.

    Returns
    -------
    numpy.ndarray
        ``(n_draws, size)`` array of indices into ``weights``.

    Examples
    --------
    >>> d = sample_null_sets(np.ones(10), 3, n_draws=4, rng=np.random.default_rng(0))
    >>> d.shape
    (4, 3)
    """
    w = np.asarray(weights, dtype=float)
    pos = np.flatnonzero(w > 0)
    if size < 1:
        raise InputError(f"null sets need at least one gene, got size={size}.")
    if size > pos.size:
        raise InputError(
            f"cannot draw null sets of {size} genes: only {pos.size} genes have a positive "
            "null weight; use a smaller gene list or give null_weights covering more genes."
        )
    wp = w[pos]
    if 2 * size > pos.size:
        out = np.empty((n_draws, size), dtype=np.int64)
        for start in range(0, n_draws, _CHUNK):
            b = min(_CHUNK, n_draws - start)
            keys = rng.standard_exponential((b, pos.size)) / wp
            out[start : start + b] = np.argpartition(keys, size - 1, axis=1)[:, :size]
        return pos[out]
    cdf = np.cumsum(wp)
    cdf /= cdf[-1]

    def draw(k: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, rng.random(k), side="right"), pos.size - 1)

    d = draw(n_draws * size).reshape(n_draws, size)
    rows = np.arange(n_draws)[:, None]
    while True:
        order = np.argsort(d, axis=1, kind="stable")
        sorted_d = d[rows, order]
        dup = sorted_d[:, 1:] == sorted_d[:, :-1]
        if not dup.any():
            break
        r, c = np.nonzero(dup)
        d[r, order[r, c + 1]] = draw(r.size)
    return pos[d]


def sample_mirna_null_sets(
    target_sets: Sequence[np.ndarray], size: int, *, n_draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Null gene sets made of random miRNAs' real target lists.

    For each draw, miRNAs are picked at random (without repeats) and their target sets
    pooled until the pool holds at least ``size`` distinct genes; ``size`` of them are
    then drawn uniformly. Each draw is therefore a (sub)set of what random miRNAs were
    reported to target, with the co-targeting and study bias of the database.

    Parameters
    ----------
    target_sets
        One index array per miRNA (indices into the background).
    size
        Genes per draw (the query size).

    Returns
    -------
    numpy.ndarray
        ``(n_draws, size)`` indices.

    Examples
    --------
    >>> sets = [np.array([0, 1, 2]), np.array([2, 3]), np.array([4])]
    >>> d = sample_mirna_null_sets(sets, 2, n_draws=5, rng=np.random.default_rng(0))
    >>> d.shape, bool(np.isin(d, [0, 1, 2, 3, 4]).all())
    ((5, 2), True)
    """
    sets = [np.unique(np.asarray(t, dtype=np.int64)) for t in target_sets if len(t)]
    if size < 1:
        raise InputError(f"null sets need at least one gene, got size={size}.")
    pooled = np.unique(np.concatenate(sets)) if sets else np.array([], dtype=np.int64)
    if pooled.size < size:
        raise InputError(
            f"cannot draw null sets of {size} genes from other miRNAs' targets: together they "
            f"cover only {pooled.size} background genes; use null_model='frequency'."
        )
    out = np.empty((n_draws, size), dtype=np.int64)
    m = len(sets)
    for i in range(n_draws):
        order = rng.permutation(m)
        acc: list[np.ndarray] = []
        n_acc = 0
        for j in order:
            acc.append(sets[j])
            n_acc += sets[j].size
            if n_acc >= size:
                pool = np.unique(np.concatenate(acc))
                if pool.size >= size:
                    break
                n_acc = pool.size
        pool = np.unique(np.concatenate(acc))
        out[i] = pool if pool.size == size else rng.choice(pool, size=size, replace=False)
    return out


def _null_exceedances(
    membership: sparse.csc_matrix, observed: np.ndarray, draws: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Count, per set, draws with overlap >= observed, and sum the null overlaps (fast path)."""
    n_genes = membership.shape[0]
    ge = np.zeros(membership.shape[1], dtype=np.int64)
    total = np.zeros(membership.shape[1], dtype=np.float64)
    for start in range(0, draws.shape[0], _CHUNK):
        block = draws[start : start + _CHUNK]
        b, k = block.shape
        d = sparse.csr_matrix(
            (np.ones(b * k, dtype=np.int32), block.ravel(), np.arange(0, b * k + 1, k)),
            shape=(b, n_genes),
        )
        ov = (d @ membership).toarray()
        ge += (ov >= observed[None, :]).sum(axis=0)
        total += ov.sum(axis=0)
    return ge, total


def _null_exceedances_reference(
    set_members: Sequence[frozenset[int]], observed: Sequence[int], draws: np.ndarray
) -> np.ndarray:
    """Slow reference of :func:`_null_exceedances` (plain Python set intersections)."""
    ge = [0] * len(set_members)
    for row in draws:
        drawn = set(row.tolist())
        for j, members in enumerate(set_members):
            if len(members & drawn) >= observed[j]:
                ge[j] += 1
    return np.asarray(ge, dtype=np.int64)


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------
@dataclass(repr=False)
class EnrichmentResult:
    """Result of :func:`enrich`.

    Attributes
    ----------
    table
        One row per tested gene set, sorted by ``p_empirical`` (if computed) then
        ``p_value``; columns :data:`mirscope.schema.ENRICHMENT_COLUMNS`.
    genes
        The query genes found in the background.
    unmatched
        Query genes not in the background (not tested).
    n_background
        Size of the background (universe).
    null
        ``None`` or ``"empirical"``.
    n_null, seed
        Number of null draws and the random seed.
    """

    table: pd.DataFrame
    genes: tuple[str, ...]
    unmatched: tuple[str, ...]
    n_background: int
    null: NullModel | None = None
    n_null: int = 0
    seed: int = 0
    params: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        col = "q_empirical" if self.null == "empirical" else "q_value"
        n_sig = int((self.table[col] < 0.05).sum())
        return (
            f"EnrichmentResult({len(self.genes)} genes, background {self.n_background}, "
            f"{len(self.table)} gene sets, null={self.null!r}, {n_sig} with {col} < 0.05)"
        )

    @property
    def summary(self) -> pd.DataFrame:
        """The result table (alias of :attr:`table`)."""
        return self.table

    def significant(self, *, alpha: float = 0.05) -> pd.DataFrame:
        """Rows with ``q_value < alpha`` (or ``q_empirical < alpha`` when the null was computed)."""
        col = "q_empirical" if self.null == "empirical" else "q_value"
        return self.table[self.table[col] < alpha]

    def to_records(self) -> dict[str, Any]:
        """JSON-serialisable form (``params``, ``genes``, ``unmatched`` and the table rows)."""
        rows = _records(self.table)
        return {
            "null": self.null,
            "n_null": self.n_null,
            "seed": self.seed,
            "n_genes": len(self.genes),
            "n_background": self.n_background,
            "genes": list(self.genes),
            "unmatched": list(self.unmatched),
            "params": self.params,
            "table": rows,
        }

    def print_summary(self, *, n: int = 20) -> None:
        """Print the top ``n`` rows with Rich (to stdout)."""
        from rich.console import Console
        from rich.table import Table

        t = Table(title=f"Enrichment of {len(self.genes)} genes (background {self.n_background})")
        cols = ["gene_set", "overlap", "set_size", "p_value", "q_value"]
        if self.null == "empirical":
            cols += ["null_mean", "p_empirical", "q_empirical"]
        for c in cols:
            t.add_column(c)
        for _, row in self.table.head(n).iterrows():
            t.add_row(*[_fmt(row[c]) for c in cols])
        Console().print(t)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of native Python values (NaN -> None), floats at full precision."""
    return [
        {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in row.items()}
        for row in df.to_dict(orient="records")
    ]


def _fmt(v: object) -> str:
    if isinstance(v, float | np.floating):
        return f"{v:.3g}"
    return str(v)


# ---------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _symbol_lookup() -> dict[str, str]:
    """Upper-case HGNC symbol/previous symbol/alias -> approved symbol, where unambiguous.

    Built from the HGNC table that :mod:`mirscope.names` ships
    (``src/mirscope/data/hgnc/hgnc_lookup.tsv.gz``); an approved symbol maps to itself,
    otherwise a unique previous symbol wins over a unique alias.
    """
    ref = resources.files("mirscope.data.hgnc") / "hgnc_lookup.tsv.gz"
    with ref.open("rb") as fh:
        df = pd.read_csv(fh, sep="\t", compression="gzip", dtype=str, keep_default_na=False)
    df["ukey"] = df["key"].str.upper()
    out: dict[str, str] = {}
    for kind in ("alias", "previous", "approved"):  # later kinds override earlier ones
        sub = df[df["kind"] == kind]
        n_targets = sub.groupby("ukey")["approved"].nunique()
        unique = sub[sub["ukey"].isin(n_targets.index[n_targets == 1])]
        out.update(zip(unique["ukey"], unique["approved"], strict=True))
    return out


def _clean_genes(genes: Iterable[str]) -> list[str]:
    """Strip and de-duplicate, keeping order."""
    return list(dict.fromkeys(s for s in (str(g).strip() for g in genes) if s))


def _match_genes(genes: Iterable[str], index: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """Query genes found in the background, as given or via their approved HGNC symbol."""
    found: list[str] = []
    missing: list[str] = []
    lookup: dict[str, str] | None = None
    for g in _clean_genes(genes):
        if g in index:
            found.append(g)
            continue
        lookup = lookup if lookup is not None else _symbol_lookup()
        approved = lookup.get(g.upper())
        if approved is not None and approved in index:
            found.append(approved)
        else:
            missing.append(g)
    return list(dict.fromkeys(found)), missing


def _resolve_gene_sets(
    gene_sets: Mapping[str, Iterable[str]] | str | Path | Sequence[str],
) -> dict[str, frozenset[str]]:
    if isinstance(gene_sets, Mapping):
        return {str(k): frozenset(map(str, v)) for k, v in gene_sets.items()}
    if isinstance(gene_sets, Path):
        return read_gmt(gene_sets)
    if isinstance(gene_sets, str):
        if gene_sets in _COLLECTION_FILES:
            return load_gene_sets(gene_sets)  # type: ignore[arg-type]
        return read_gmt(gene_sets)
    out: dict[str, frozenset[str]] = {}
    for item in gene_sets:
        out.update(_resolve_gene_sets(item))
    return out


def enrich(
    genes: Iterable[str],
    *,
    gene_sets: Mapping[str, Iterable[str]] | str | Path | Sequence[str] = GENE_SET_COLLECTIONS,
    background: Iterable[str] | None = None,
    null: NullModel | None = None,
    n_null: int = 10_000,
    seed: int = 0,
    null_model: NullSampling = "frequency",
    null_weights: Mapping[str, float] | pd.Series | None = None,
    null_targets: pd.DataFrame | None = None,
    mirna: str | None = None,
    min_size: int = 10,
    max_size: int = 500,
) -> EnrichmentResult:
    """Over-representation of ``genes`` in gene sets, with an optional miRNA-specific empirical null.

    Parameters
    ----------
    genes
        Query gene symbols; a symbol not in the background is replaced by its approved
        HGNC symbol (previous symbols and unambiguous aliases) when that one is.
    gene_sets
        A mapping name -> genes, a GMT path, a collection name (``"hallmark"``,
        ``"reactome"``, ``"wikipathways"``) or a sequence of those. Default: all three
        shipped collections.
    background
        The universe of genes that could have been in the query (e.g. all genes
        measured). Default: the union of the gene sets. Gene sets are restricted to it.
    null
        ``None`` (hypergeometric only) or ``"empirical"`` (add ``p_empirical`` /
        ``q_empirical`` from ``n_null`` weighted random gene sets of the query's size).
    n_null
        Number of null draws.
    seed
        Random seed of the null.
    null_model
        How null gene sets are drawn. ``"frequency"`` (default): genes sampled with
        probability proportional to ``null_weights``. ``"mirnas"``: the targets of
        randomly chosen other miRNAs are pooled until they reach the query's size, then
        subsampled to it (:func:`sample_mirna_null_sets`), so each draw *is* (part of) real
        miRNAs' validated target lists.
    null_weights
        For ``null_model="frequency"``: per-gene sampling weight (e.g. 3'UTR length or
        predicted site count, :func:`site_count_weights`, for a site-matched null); genes
        without a weight are never drawn. Default: 1 + the number of other miRNAs
        targeting the gene in ``null_targets`` (:func:`mirna_target_weights`,
        Laplace-smoothed so every gene can be drawn).
    null_targets
        miRNA-target table (columns ``mirna``, ``target``) behind the default null
        (default: :func:`mirscope.kb.load_mirtarbase`, strong-evidence miRTarBase).
    mirna
        The miRNA the query came from; its own targets are left out of the default
        null weights.
    min_size, max_size
        Gene sets with fewer / more background genes are not tested.

    Returns
    -------
    EnrichmentResult

    Raises
    ------
    EmptyResultError
        No query gene is in the background, or no gene set passes the size filter.
    InputError
        Bad option values.

    Examples
    --------
    >>> sets = {"S1": [f"G{i}" for i in range(10)], "S2": [f"G{i}" for i in range(10, 40)]}
    >>> r = enrich(["G1", "G2", "G3"], gene_sets=sets, min_size=5)
    >>> list(r.table["gene_set"])
    ['S1', 'S2']
    """
    if null not in (None, "empirical"):
        raise InputError(f"null={null!r} is not valid; use None or 'empirical'.")
    if null_model not in NULL_SAMPLINGS:
        raise InputError(
            f"null_model={null_model!r} is not valid; use one of {list(NULL_SAMPLINGS)}."
        )
    if null == "empirical" and n_null < 1:
        raise InputError(f"n_null={n_null} must be a positive number of null draws, e.g. 10000.")
    if min_size < 1 or max_size < min_size:
        raise InputError(
            f"need 1 <= min_size <= max_size, got min_size={min_size}, max_size={max_size}."
        )

    sets = _resolve_gene_sets(gene_sets)
    if not sets:
        raise EmptyResultError("no gene set given; pass a GMT file or a collection name.")
    universe_genes = (
        sorted(set(_clean_genes(background)))
        if background is not None
        else sorted(set().union(*sets.values()))
    )
    if not universe_genes:
        raise EmptyResultError("the background is empty; give a non-empty background gene list.")
    index = {g: i for i, g in enumerate(universe_genes)}
    query, missing = _match_genes(genes, index)
    unmatched = tuple(missing)
    if not query:
        raise EmptyResultError(
            f"none of the {len(missing)} query genes is in the background of "
            f"{len(universe_genes)} genes (first given: {missing[:5]}); check the gene "
            "symbols or the background."
        )
    if unmatched:
        log.info("%d query genes not in the background: %s", len(unmatched), list(unmatched)[:10])

    names: list[str] = []
    members: list[np.ndarray] = []
    for name, gs in sets.items():
        idx = np.fromiter((index[g] for g in gs if g in index), dtype=np.int64)
        if min_size <= idx.size <= max_size:
            names.append(name)
            members.append(np.sort(idx))
    if not names:
        raise EmptyResultError(
            f"no gene set has between {min_size} and {max_size} background genes; "
            "lower min_size or check that gene sets and background use the same identifiers."
        )

    n_univ = len(universe_genes)
    n_sets = len(names)
    rows = np.concatenate(members)
    cols = np.repeat(np.arange(n_sets), [m.size for m in members])
    membership = sparse.csc_matrix(
        (np.ones(rows.size, dtype=np.int32), (rows, cols)), shape=(n_univ, n_sets)
    )
    qvec = np.zeros(n_univ, dtype=np.int32)
    q_idx = np.fromiter((index[g] for g in query), dtype=np.int64)
    qvec[q_idx] = 1
    overlap = np.asarray(membership.T @ qvec).ravel().astype(np.int64)
    set_size = np.diff(membership.indptr).astype(np.int64)
    n_q = len(query)
    p = stats.hypergeom.sf(overlap - 1, n_univ, set_size, n_q)
    p = np.clip(p, 0.0, 1.0)
    q = multipletests(p, method="fdr_bh")[1]
    expected = set_size * n_q / n_univ

    qset = set(q_idx.tolist())
    hit_genes = [
        ",".join(sorted(universe_genes[i] for i in m.tolist() if i in qset)) for m in members
    ]
    collection = [
        n.split(":", 1)[0] if n.split(":", 1)[0] in _COLLECTION_FILES else "user" for n in names
    ]
    table = pd.DataFrame(
        {
            "gene_set": names,
            "collection": collection,
            "set_size": set_size,
            "overlap": overlap,
            "expected": expected,
            "fold_enrichment": np.where(
                expected > 0, overlap / np.maximum(expected, 1e-300), np.nan
            ),
            "p_value": p,
            "q_value": q,
            "null_mean": np.nan,
            "p_empirical": np.nan,
            "q_empirical": np.nan,
            "genes": hit_genes,
        }
    )

    if null == "empirical":
        rng = np.random.default_rng(seed)
        if null_model == "mirnas":
            target_sets = _mirna_target_index_sets(index, null_targets, mirna)
            draws = sample_mirna_null_sets(target_sets, n_q, n_draws=n_null, rng=rng)
        else:
            weights = _null_weight_vector(universe_genes, null_weights, null_targets, mirna)
            draws = sample_null_sets(weights, n_q, n_draws=n_null, rng=rng)
        ge, total = _null_exceedances(membership, overlap, draws)
        p_emp = (1.0 + ge) / (1.0 + n_null)
        table["null_mean"] = total / n_null
        table["p_empirical"] = p_emp
        table["q_empirical"] = multipletests(p_emp, method="fdr_bh")[1]
        table = table.sort_values(["p_empirical", "p_value", "gene_set"], kind="mergesort")
    else:
        table = table.sort_values(["p_value", "gene_set"], kind="mergesort")
    table = table.reset_index(drop=True)[list(ENRICHMENT_COLUMNS)]
    return EnrichmentResult(
        table=table,
        genes=tuple(query),
        unmatched=unmatched,
        n_background=n_univ,
        null=null,
        n_null=n_null if null else 0,
        seed=seed,
        params={
            "min_size": min_size,
            "max_size": max_size,
            "n_sets": n_sets,
            "mirna": mirna,
            "null_model": null_model if null else None,
        },
    )


def _exclude_mirna(targets: pd.DataFrame, mirna: str | None) -> pd.DataFrame:
    if mirna is None:
        return targets
    names = {mirna}
    try:
        from mirscope.names import normalize_mirna

        names.add(normalize_mirna(mirna).name)
    except UnknownNameError:
        log.debug("could not normalise %r", mirna)
    return targets[~targets["mirna"].isin(names)]


def _mirna_target_index_sets(
    index: Mapping[str, int], targets: pd.DataFrame | None, mirna: str | None
) -> list[np.ndarray]:
    """Each other miRNA's targets as background indices (miRNAs without any are dropped)."""
    if targets is None:
        from mirscope.kb import load_mirtarbase

        targets = load_mirtarbase()
    missing = {"mirna", "target"} - set(targets.columns)
    if missing:
        raise InputError(
            f"null_targets lacks column(s) {sorted(missing)}; it needs 'mirna' and 'target'."
        )
    df = _exclude_mirna(targets[["mirna", "target"]].drop_duplicates(), mirna)
    df = df[df["target"].isin(index)]
    return [
        np.fromiter((index[g] for g in grp), dtype=np.int64)
        for _, grp in df.groupby("mirna")["target"]
    ]


def _null_weight_vector(
    universe: Sequence[str],
    null_weights: Mapping[str, float] | pd.Series | None,
    targets: pd.DataFrame | None,
    mirna: str | None,
) -> np.ndarray:
    if null_weights is None:
        # Laplace-smoothed target frequency: 1 + number of other miRNAs targeting the gene, so
        # every background gene can be drawn but frequently targeted genes are drawn more often.
        counts = mirna_target_weights(targets, exclude_mirna=mirna)
        return counts.reindex(list(universe)).fillna(0.0).to_numpy(dtype=float) + 1.0
    w = pd.Series(null_weights, dtype=float)
    if (w < 0).any() or not np.isfinite(w.to_numpy(dtype=float)).all():
        bad = w[(w < 0) | ~np.isfinite(w.to_numpy(dtype=float))].index[:5].tolist()
        raise InputError(f"null weights must be finite and >= 0; bad genes: {bad}.")
    return w.reindex(list(universe)).fillna(0.0).to_numpy(dtype=float)


def pathway_report(
    result: EnrichmentResult,
    *,
    pathways: Sequence[str] = CORE_PATHWAYS,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Whether each core pathway comes out of an enrichment result.

    One row per (pathway, representing gene set) that was tested, with overlap, p, q and
    (if computed) empirical p/q, plus ``significant`` (q < alpha) and
    ``significant_empirical`` (empirical q < alpha).

    Examples
    --------
    >>> sets = {"hallmark:HALLMARK_NOTCH_SIGNALING": [f"G{i}" for i in range(12)]}
    >>> r = enrich(["G1", "G2"], gene_sets=sets, background=[f"G{i}" for i in range(100)])
    >>> pathway_report(r, pathways=["Notch"])[["pathway", "overlap"]].values.tolist()
    [['Notch', 2]]
    """
    tab = result.table.set_index("gene_set")
    rows = []
    for pw in pathways:
        for gs in pathway_gene_sets(pw):
            if gs not in tab.index:
                continue
            r = tab.loc[gs]
            rows.append(
                {
                    "pathway": pw,
                    "gene_set": gs,
                    "set_size": int(r["set_size"]),
                    "overlap": int(r["overlap"]),
                    "p_value": float(r["p_value"]),
                    "q_value": float(r["q_value"]),
                    "p_empirical": float(r["p_empirical"]),
                    "q_empirical": float(r["q_empirical"]),
                    "significant": bool(r["q_value"] < alpha),
                    "significant_empirical": bool(r["q_empirical"] < alpha)
                    if result.null == "empirical"
                    else False,
                    "genes": r["genes"],
                }
            )
    if not rows:
        raise EmptyResultError(
            f"none of the gene sets of {list(pathways)} was tested; load the shipped collections "
            "(gene_sets=('hallmark', 'reactome', 'wikipathways'))."
        )
    return pd.DataFrame(rows)
