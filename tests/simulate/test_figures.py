"""Figures render headless and carry the expected content."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from mirscope.errors import InputError
from mirscope.simulate import (
    Model,
    assess_review_sponges,
    dose_grid,
    dose_grid_figure,
    dose_response,
    dose_response_figure,
    sponge_threshold_figure,
    time_course,
    time_course_figure,
)


def test_dose_response_figure(small_model: Model, tmp_path: Path) -> None:
    df = dose_response(
        small_model, "miR-124=overexpress", doses=[0.1, 1, 10], readouts=["STAT3", "proliferation"]
    )
    fig = dose_response_figure(df, readouts=["STAT3", "proliferation"])
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["STAT3", "proliferation"]
    fig.savefig(tmp_path / "dr.png")
    assert (tmp_path / "dr.png").stat().st_size > 1000


def test_time_course_and_grid_figures(small_model: Model, tmp_path: Path) -> None:
    tc = time_course(small_model, ["NEAT1=knockdown"], t_end=48, points=13)
    fig = time_course_figure(tc, readouts=["hsa-miR-124-3p", "STAT3"])
    assert "NEAT1=knockdown" in fig.axes[0].get_title()
    grid = dose_grid(
        small_model,
        "miR-124=overexpress",
        "NEAT1=overexpress",
        doses_first=[0.1, 1],
        doses_second=[0.1, 1],
        readouts=["STAT3"],
    )
    fig2 = dose_grid_figure(grid, readout="STAT3")
    assert len(fig2.axes) == 2  # heat map and colour bar
    fig2.savefig(tmp_path / "grid.png")


def test_sponge_figure_marks_every_sponge() -> None:
    df = assess_review_sponges()
    fig = sponge_threshold_figure(df)
    texts = {t.get_text().strip() for t in fig.axes[0].texts}
    assert set(df["sponge"]) <= texts


def test_missing_readout_is_rejected(small_model: Model) -> None:
    df = dose_response(small_model, "miR-124=overexpress", doses=[1.0], readouts=["STAT3"])
    with pytest.raises(InputError, match="not in the result"):
        dose_response_figure(df, readouts=["ZEB9"])
