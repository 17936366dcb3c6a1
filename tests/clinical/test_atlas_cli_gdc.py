"""`mirscope atlas` / `mirscope tcga fetch` CLI, figures, and the GDC download with stored responses.

The GDC responses in tests/data/atlas/gdc are written in the GDC API's JSON and TSV formats
from real TCGA-ESCA values, plus one made-up second aliquot file (see
tests/data/atlas/SOURCE.md); no test touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mirscope.cli import main
from mirscope.clinical.atlas import AtlasFitter, load_cohort
from mirscope.clinical.gdc import GDC_API, fetch_project
from mirscope.errors import InputError, RemoteServiceError

DATA = Path(__file__).resolve().parents[1] / "data" / "atlas"
GDC = DATA / "gdc"


class StoredTransport:
    """Replays stored GDC responses; can fail after ``fail_after`` requests."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.calls: list[str] = []
        self.fail_after = fail_after

    def get(self, url: str, params: Mapping[str, str] | None = None) -> bytes:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise OSError("connection reset")
        self.calls.append(url)
        assert url.startswith(GDC_API)
        path = url[len(GDC_API) + 1:]
        if path in ("files", "cases"):
            assert params is not None
            flt = json.loads(params["filters"])
            assert "TCGA-ESCA" in json.dumps(flt)
            return (GDC / f"{path}.json").read_bytes()
        assert path.startswith("data/")
        return (GDC / f"{path[5:]}.tsv").read_bytes()


def test_fetch_writes_layout_and_resumes(tmp_path: Path) -> None:
    tr = StoredTransport()
    res = fetch_project("ESCA", out_dir=tmp_path, transport=tr)
    # 10 files: one sample has a second aliquot file (larger file id), which is not used
    assert (res.cohort, res.n_samples, res.n_patients, res.n_downloaded, res.from_cache) == ("ESCA", 9, 6, 9, False)
    assert not any("ffffffff" in c for c in tr.calls)
    coh = load_cohort("ESCA", cohort_dir=tmp_path)
    ref = load_cohort("ESCA", cohort_dir=DATA / "cohorts")
    idx = ref.samples.set_index("sample_barcode").index
    rows = [idx.get_loc(b) for b in coh.samples["sample_barcode"]]
    for j, p in enumerate(coh.precursors):
        np.testing.assert_allclose(coh.rpm[:, j], ref.rpm[rows, ref.column_index()[p]], rtol=0, atol=1e-9)
    clin = coh.clinical.set_index("patient_barcode")
    rclin = ref.clinical.set_index("patient_barcode").loc[clin.index]
    assert clin["os_event"].tolist() == rclin["os_event"].tolist()
    assert clin["os_days"].fillna(-1).tolist() == rclin["os_days"].fillna(-1).tolist()
    r = AtlasFitter().fit("let-7a", cohort_dir=tmp_path).result_.summary
    assert r.loc["ESCA", "n_paired"] == 3
    # second run: nothing downloaded again
    tr2 = StoredTransport()
    res2 = fetch_project("TCGA-ESCA", out_dir=tmp_path, transport=tr2)
    assert (res2.n_downloaded, res2.n_cached) == (0, 9)
    assert not any("/data/" in c for c in tr2.calls)


def test_fetch_interrupted_then_resumed(tmp_path: Path) -> None:
    with pytest.raises(RemoteServiceError, match="no cached copy of ESCA"):
        fetch_project("ESCA", out_dir=tmp_path, transport=StoredTransport(fail_after=4))
    kept = list((tmp_path / "raw" / "TCGA-ESCA").glob("*.tsv"))
    assert len(kept) == 3  # files query + 3 downloads before the failure
    res = fetch_project("ESCA", out_dir=tmp_path, transport=StoredTransport())
    assert (res.n_downloaded, res.n_cached) == (6, 3)


def test_fetch_offline_uses_cache(tmp_path: Path) -> None:
    fetch_project("ESCA", out_dir=tmp_path, transport=StoredTransport())
    res = fetch_project("ESCA", out_dir=tmp_path, transport=StoredTransport(fail_after=0))
    assert res.from_cache and res.n_samples == 9
    assert fetch_project("ESCA", out_dir=tmp_path, offline=True).from_cache


@pytest.mark.parametrize(("project", "pattern"), [("TCGA ESCA!", "not a TCGA project id"), ("", "not a TCGA project id")])
def test_fetch_bad_project(tmp_path: Path, project: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        fetch_project(project, out_dir=tmp_path, transport=StoredTransport())


def test_cli_tcga_fetch(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIRSCOPE_CACHE_DIR", str(tmp_path))
    assert main(["tcga", "fetch", "ESCA", "--offline"]) == 2
    assert "no cached copy of ESCA" in capsys.readouterr().err


# --------------------------------------------------------------------------- atlas CLI
def test_cli_atlas_json_lists_all_cohorts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["atlas", "--mirna", "miR-21", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["mirna"] == "hsa-miR-21-5p" and len(d["cohorts"]) == 18


def test_cli_atlas_table_tsv_and_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, svg, km, pr = (tmp_path / n for n in ("p.png", "p.svg", "km.png", "pair.svg"))
    assert main(["atlas", "--mirna", "let-7a", "--cohorts", "LIHC,OV", "--figure", str(png)]) == 0
    out = capsys.readouterr()
    assert "hsa-let-7a-5p = sum of hsa-let-7a-1, hsa-let-7a-2, hsa-let-7a-3" in out.out
    assert "not testable: no paired normals" in out.out
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert main(["atlas", "--mirna", "let-7a", "--cohorts", "LIHC", "--format", "tsv", "--figure", str(svg),
                 "--km", "LIHC", "--km-figure", str(km), "--paired-figure", str(pr)]) == 0
    tsv = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), sep="\t")
    assert list(tsv["cohort"]) == ["LIHC"]
    assert svg.read_text().startswith("<?xml") and km.stat().st_size > 0 and "<svg" in pr.read_text()


def test_cli_atlas_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "atlas.parquet"
    assert main(["atlas", "--all", "--cohorts", "PAAD", "-o", str(out)]) == 0
    t = pd.read_parquet(out)
    assert set(t["cohort"]) == {"PAAD"} and t["mirna"].is_unique and len(t) > 900


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["atlas"], "give --mirna NAME"),
        (["atlas", "--all"], "--all needs -o FILE"),
        (["atlas", "--all", "--mirna", "miR-21", "-o", "x.tsv"], "either --mirna or --all"),
        (["atlas", "--all", "-o", "x.xlsx"], "use a .parquet, .tsv or .csv"),
        (["atlas", "--mirna", "miR-21", "--format", "xml"], "--format 'xml' unknown"),
        (["atlas", "--mirna", "miR-4454"], "is not measured in TCGA"),
        (["atlas", "--mirna", "miR-21", "--cohorts", "LIHC", "--figure", "x.pdf"], "must end in .png or .svg"),
        (["atlas", "--mirna", "miR-21", "--cohorts", "LIHC", "--km-figure", "k.png"], "need --km COHORT"),
        (["atlas", "--mirna", "miR-21", "--cohort-dir", "/nonexistent/dir"], "does not exist"),
    ],
)
def test_cli_atlas_rejections(args: list[str], pattern: str, capsys: pytest.CaptureFixture[str],
                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert pattern in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written
