"""SBML export: a valid document that a fresh libRoadRunner loads to the same steady state."""

from __future__ import annotations

from pathlib import Path

import libsbml
import numpy as np
import pytest
import roadrunner

from mirscope.errors import InputError
from mirscope.simulate import Model
from mirscope.simulate.model import new_roadrunner


def _fresh_steady_state(path: Path) -> dict[str, float]:
    rr = roadrunner.RoadRunner(str(path))
    rr.simulate(0, 5000, 2)
    rr.steadyState()
    ids = rr.model.getFloatingSpeciesIds()
    return dict(zip(ids, rr.model.getFloatingSpeciesAmounts(), strict=True))


@pytest.mark.parametrize("which", ["small_model", "breast_model"])
def test_round_trip(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    model: Model = request.getfixturevalue(which)
    out = model.export_sbml(tmp_path / "model.xml")
    assert out.exists()
    doc = libsbml.readSBMLFromFile(str(out))
    assert (doc.getLevel(), doc.getVersion()) == (3, 2)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, False)
    doc.checkConsistency()  # full libSBML validation except unit consistency
    errors = [
        doc.getError(i).getMessage()
        for i in range(doc.getNumErrors())
        if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    assert errors == []
    assert doc.getModel().getNumSpecies() == len(model.baseline_amounts())
    fresh = _fresh_steady_state(out)
    base = model.baseline_amounts()
    assert set(fresh) == set(base)
    for sid, value in base.items():
        assert fresh[sid] == pytest.approx(value, rel=1e-6, abs=1e-9), sid


def test_exported_model_is_positive_and_steady(small_model: Model, tmp_path: Path) -> None:
    out = small_model.export_sbml(tmp_path / "m.xml")
    rr = new_roadrunner(out.read_text())
    rr.simulate(0, 100, 2)
    x = np.asarray(rr.model.getFloatingSpeciesAmounts())
    assert np.all(x >= 0)
    assert np.max(np.abs(rr.getRatesOfChange()) / (np.abs(x) + 1e-3)) < 1e-8


def test_species_carry_readable_names(small_model: Model) -> None:
    doc = libsbml.readSBMLFromString(small_model.to_sbml())
    names = {doc.getModel().getSpecies(i).getName() for i in range(doc.getModel().getNumSpecies())}
    assert "hsa-miR-124-3p" in names
    assert "STAT3 (protein activity)" in names


def test_export_into_missing_folder_is_rejected(small_model: Model, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        small_model.export_sbml(tmp_path / "nope" / "m.xml")
    assert not (tmp_path / "nope").exists()


def test_no_conserved_moieties(breast_model: Model) -> None:
    # every species is produced and degraded: the stoichiometry has full row rank, so
    # there is no conservation law to respect and the steady state is set by kinetics
    n = np.asarray(breast_model.roadrunner.getFullStoichiometryMatrix())
    assert np.linalg.matrix_rank(n) == n.shape[0]
