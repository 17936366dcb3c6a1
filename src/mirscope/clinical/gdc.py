"""Download a TCGA cohort from the GDC API into the atlas layout (``mirscope tcga fetch``).

For a project such as ``TCGA-UCEC`` this asks the GDC ``/files`` endpoint for the open
"miRNA Expression Quantification" files (BCGSC miRNA profiling: one TSV per aliquot with
``miRNA_ID``, ``read_count``, ``reads_per_million_miRNA_mapped``), downloads each through
``/data/{file_id}``, asks ``/cases`` for the overall survival fields, and writes
``{COHORT}.mirna_counts.csv.gz``, ``{COHORT}.mirna_rpm.csv.gz`` and
``{COHORT}.clinical.csv.gz`` (the layout :func:`mirscope.clinical.atlas.load_cohort` reads).

* **Resumable.** Every downloaded file is kept under ``raw/<PROJECT>/`` (written atomically);
  a second run downloads only what is missing.
* **Offline.** With ``offline=True``, or when the network fails, an already assembled cohort
  in the folder is used (``FetchResult.from_cache``); otherwise
  :class:`~mirscope.errors.RemoteServiceError` says what to do.
* **Transport.** All HTTP goes through a :class:`Transport` (``get(url, params) -> bytes``);
  tests inject one that replays stored responses, so no test calls the network.

Clinical fields: ``os_days`` = ``demographic.days_to_death`` for the dead, otherwise the
largest ``diagnoses.days_to_last_follow_up``; ``os_event`` = 1 when ``vital_status`` is
Dead. Sample type = characters 14-15 of the sample barcode (01 tumour, 11 normal); when a
sample has several aliquot files, the first by file id is kept (counted in the log).

Examples
--------
>>> class Offline:
...     def get(self, url, params=None):
...         raise OSError("no network")
>>> import tempfile
>>> try:
...     fetch_project("TCGA-UCEC", out_dir=tempfile.mkdtemp(), transport=Offline())
... except RemoteServiceError as err:
...     print(str(err)[:54])
GDC API unreachable (no network) and no cached copy of
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mirscope._files import atomic_path
from mirscope.errors import InputError, RemoteServiceError
from mirscope.paths import user_cache_dir

__all__ = ["GDC_API", "FetchResult", "Transport", "UrllibTransport", "default_cohort_dir", "fetch_project"]

log = logging.getLogger(__name__)

GDC_API = "https://api.gdc.cancer.gov"
_PAGE = 2000


class Transport(Protocol):
    """What :func:`fetch_project` needs from HTTP: GET a URL, return the body bytes."""

    def get(self, url: str, params: Mapping[str, str] | None = None) -> bytes:
        """Return the response body; raise ``OSError`` on network failure."""
        ...  # pragma: no cover


class UrllibTransport:
    """Standard-library HTTP with a timeout and a few retries (the default transport)."""

    def __init__(self, *, timeout: float = 60.0, retries: int = 3) -> None:
        self.timeout = timeout
        self.retries = retries

    def get(self, url: str, params: Mapping[str, str] | None = None) -> bytes:  # pragma: no cover - network
        full = url + ("?" + urllib.parse.urlencode(params) if params else "")
        err: Exception | None = None
        for attempt in range(self.retries):
            try:
                req = urllib.request.Request(full, headers={"User-Agent": "mirscope"})
                with urllib.request.urlopen(req, timeout=self.timeout) as r:
                    return bytes(r.read())
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    raise RemoteServiceError(f"GDC API refused {full}: HTTP {e.code}") from e
                err = e
            except (urllib.error.URLError, OSError) as e:
                err = e
            time.sleep(2**attempt)
        raise OSError(f"GDC API unreachable after {self.retries} tries: {err}")


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch_project` produced."""

    cohort: str
    folder: Path
    n_samples: int
    n_patients: int
    n_downloaded: int
    n_cached: int
    from_cache: bool


def default_cohort_dir() -> Path:
    """``<user cache>/tcga``: where fetched cohorts live (``MIRSCOPE_CACHE_DIR`` overrides)."""
    return user_cache_dir() / "tcga"


def _project(project: str) -> tuple[str, str]:
    p = str(project).strip().upper()
    if not re.fullmatch(r"(TCGA-)?[A-Z0-9]{2,8}", p):
        raise InputError(
            f"GDC project {project!r} is not a TCGA project id; give e.g. TCGA-UCEC or UCEC"
        )
    pid = p if p.startswith("TCGA-") else f"TCGA-{p}"
    return pid, pid[5:]


def _layout_paths(folder: Path, cohort: str) -> dict[str, Path]:
    return {k: folder / f"{cohort}.{k}.csv.gz" for k in ("mirna_counts", "mirna_rpm", "clinical")}


def _json(transport: Transport, url: str, params: Mapping[str, str]) -> dict:  # type: ignore[type-arg]
    body = transport.get(url, params)
    try:
        return json.loads(body)  # type: ignore[no-any-return]
    except ValueError as err:
        raise RemoteServiceError(f"GDC API returned non-JSON from {url}: {body[:80]!r}") from err


def _paged(transport: Transport, endpoint: str, filters: dict, fields: str) -> list[dict]:  # type: ignore[type-arg]
    hits: list[dict] = []  # type: ignore[type-arg]
    start = 0
    while True:
        params = {"filters": json.dumps(filters, separators=(",", ":")), "fields": fields,
                  "format": "JSON", "size": str(_PAGE), "from": str(start)}
        data = _json(transport, f"{GDC_API}/{endpoint}", params).get("data", {})
        page = data.get("hits", [])
        hits.extend(page)
        total = int(data.get("pagination", {}).get("total", len(hits)))
        start += len(page)
        if not page or start >= total:
            return hits


def _in(field: str, value: str) -> dict:  # type: ignore[type-arg]
    return {"op": "in", "content": {"field": field, "value": [value]}}


def _read_quant(text: str, path: str) -> dict[str, tuple[int, float]]:
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    need = {"miRNA_ID", "read_count", "reads_per_million_miRNA_mapped"}
    if not rows or not need <= set(rows[0]):
        raise RemoteServiceError(
            f"GDC file {path} is not a miRNA quantification table (needs columns {sorted(need)})"
        )
    return {r["miRNA_ID"]: (int(r["read_count"]), float(r["reads_per_million_miRNA_mapped"])) for r in rows}


def _write_gz_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with (atomic_path(path, suffix=".csv.gz") as tmp, gzip.GzipFile(tmp, "wb", mtime=0) as gz,
          io.TextIOWrapper(gz, "utf-8", newline="") as fh):
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def fetch_project(
    project: str,
    *,
    out_dir: str | Path | None = None,
    transport: Transport | None = None,
    offline: bool = False,
    progress: bool = False,
) -> FetchResult:
    """Download (or resume, or reuse offline) one TCGA project into the atlas layout.

    Parameters
    ----------
    project
        ``"TCGA-UCEC"`` or ``"UCEC"``.
    out_dir
        Folder of the layout files (default :func:`default_cohort_dir`).
    transport
        HTTP transport (default :class:`UrllibTransport`).
    offline
        Use the cached cohort only.
    progress
        Show a progress bar on stderr.
    """
    pid, cohort = _project(project)
    folder = Path(out_dir) if out_dir is not None else default_cohort_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = _layout_paths(folder, cohort)
    cached = all(p.exists() for p in paths.values())

    def from_cache(reason: str) -> FetchResult:
        if not cached:
            raise RemoteServiceError(
                f"GDC API unreachable ({reason}) and no cached copy of {cohort} in {folder}; "
                "run `mirscope tcga fetch` again when online"
            )
        log.warning("using the cached %s in %s (%s)", cohort, folder, reason)
        with gzip.open(paths["mirna_counts"], "rt") as fh:
            rows = list(csv.reader(fh))[1:]
        return FetchResult(cohort, folder, len(rows), len({r[1] for r in rows}), 0, 0, True)

    if offline:
        return from_cache("offline mode")
    tr = transport or UrllibTransport()
    raw = folder / "raw" / pid
    raw.mkdir(parents=True, exist_ok=True)
    try:
        files = _paged(tr, "files", {"op": "and", "content": [
            _in("cases.project.project_id", pid),
            _in("data_type", "miRNA Expression Quantification"),
            _in("access", "open"),
        ]}, "file_id,file_name,cases.submitter_id,cases.samples.submitter_id")
    except OSError as err:
        return from_cache(str(err))
    if not files:
        raise RemoteServiceError(f"GDC lists no open miRNA quantification files for {pid}; check the project id")
    by_sample: dict[str, str] = {}
    for f in sorted(files, key=lambda h: h["file_id"]):
        try:
            sample = f["cases"][0]["samples"][0]["submitter_id"]
        except (KeyError, IndexError):
            log.warning("GDC file %s has no sample barcode; skipped", f.get("file_id"))
            continue
        if sample in by_sample:
            log.info("sample %s has several files; keeping %s", sample, by_sample[sample])
            continue
        by_sample[sample] = f["file_id"]
    n_new = n_old = 0
    quants: dict[str, dict[str, tuple[int, float]]] = {}
    from rich.progress import Progress

    try:
        with Progress(transient=True, disable=not progress) as bar:
            task = bar.add_task(f"GDC {pid}", total=len(by_sample))
            for sample, fid in sorted(by_sample.items()):
                dest = raw / f"{fid}.tsv"
                if dest.exists():
                    n_old += 1
                else:
                    body = tr.get(f"{GDC_API}/data/{fid}")
                    with atomic_path(dest, suffix=".tsv") as tmp:
                        tmp.write_bytes(body)
                    n_new += 1
                quants[sample] = _read_quant(dest.read_text(encoding="utf-8"), str(dest))
                bar.advance(task)
        cases = _paged(tr, "cases", _in("project.project_id", pid),
                       "submitter_id,demographic.vital_status,demographic.days_to_death,"
                       "diagnoses.days_to_last_follow_up")
    except OSError as err:
        log.warning("download interrupted after %d new files (kept; re-run to resume)", n_new)
        return from_cache(str(err))
    mirnas = sorted(set().union(*(q.keys() for q in quants.values())))
    meta = [[s, s[:12].lower(), s[13:15]] for s in sorted(quants)]
    counts = [m + [quants[m[0]].get(k, (0, 0.0))[0] for k in mirnas] for m in meta]
    rpm = [m + [quants[m[0]].get(k, (0, 0.0))[1] for k in mirnas] for m in meta]
    clin_rows = []
    for c in sorted(cases, key=lambda h: h.get("submitter_id", "")):
        demo = c.get("demographic") or {}
        vital = str(demo.get("vital_status") or "").lower()
        fu = [d.get("days_to_last_follow_up") for d in c.get("diagnoses") or []]
        fu = [v for v in fu if v is not None]
        if vital == "dead":
            days, event = demo.get("days_to_death"), 1
        elif vital == "alive":
            days, event = (max(fu) if fu else None), 0
        else:
            days, event = None, None
        clin_rows.append([str(c.get("submitter_id", "")).lower(), vital or "",
                          "" if days is None else days, "" if event is None else event])
    header = ["sample_barcode", "patient_barcode", "sample_type", *mirnas]
    _write_gz_csv(paths["mirna_counts"], header, counts)
    _write_gz_csv(paths["mirna_rpm"], header, rpm)
    _write_gz_csv(paths["clinical"], ["patient_barcode", "vital_status", "os_days", "os_event"], clin_rows)
    return FetchResult(cohort, folder, len(meta), len({m[1] for m in meta}), n_new, n_old, False)
