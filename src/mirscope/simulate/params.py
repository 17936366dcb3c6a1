"""Default parameters of the miR-124 kinetic model, every one documented and settable.

Units: copies per cell and hours for the RNA layer; dimensionless activities in
``[0, 1]`` (half-maximal = 0.5 at baseline) for the signalling layer.

Global defaults live in :class:`ModelParameters`; ``build_model(**params)`` overrides
them for the whole model and ``build_model(node_params={"STAT3": {"ktx": 4.0}})``
overrides them for one node. :data:`NODE_PARAMETERS` lists which names can be set per
node. docs/simulate.md explains each value and where it comes from.

Examples
--------
>>> p = ModelParameters().updated({"gain": 3.0})
>>> p.gain, p.hill_n
(3.0, 2.0)
>>> knockdown_fraction(1.0, p)
0.8
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

from mirscope.errors import InputError

__all__ = [
    "NODE_PARAMETERS",
    "ModelParameters",
    "activation_fraction",
    "knockdown_fraction",
]


_POSITIVE = frozenset(
    {
        "mirna_b",
        "mirna_delta",
        "mrna_ktx",
        "mrna_d",
        "lncrna_ktx",
        "lncrna_d",
        "circrna_ktx",
        "circrna_d",
        "tau",
        "tau_protein",
        "hill_n",
        "hill_k",
        "weight",
        "activate_strength",
    }
)


@dataclass(frozen=True)
class ModelParameters:
    """Global defaults of the kinetic model (see docs/simulate.md, "Parameters").

    RNA layer (mass-action ceRNA titration, Figliuzzi et al. 2013; Bosia et al. 2013)
    ------------------------------------------------------------------------------
    mirna_b
        miRNA transcription (copies/h).
    mirna_delta
        miRNA decay (1/h); half-life ln2/0.025 = 28 h.
    mrna_ktx, mrna_d
        mRNA transcription (copies/h) and decay (1/h); 10 copies/cell, half-life 3.5 h.
    lncrna_ktx, lncrna_d
        lncRNA sponge transcription and decay; 40 copies/cell, half-life 7 h.
    circrna_ktx, circrna_d
        circRNA sponge production and decay; 40 copies/cell, half-life 35 h.
    sites_mrna, sites_lncrna, sites_circrna
        Binding sites per transcript when no sequence is given to the site engine.
    kon
        Complex formation per site (1/(copy*h)).
    koff
        Complex dissociation (1/h).
    kcat_mrna, kstoich_mrna
        Decay of a miRNA-mRNA complex with the miRNA recycled (catalytic) or lost
        with it (stoichiometric), 1/h.
    kcat_sponge, kstoich_sponge
        The same for miRNA-sponge complexes (slower, more stoichiometric).
    tau_protein
        Protein (activity) response time of a miRNA target (h): median protein
        half-life 46 h (Schwanhausser et al. 2011), tau = 46/ln 2.

    Signalling layer (normalised-Hill inputs, sigmoidal integration)
    ----------------------------------------------------------------
    tau
        Response time of a signalling node (h).
    hill_n, hill_k
        Normalised Hill function of each input (Odefy, Krumsiek et al. 2010).
    gain
        Steepness of the sigmoid that integrates the inputs (SQUAD, Mendoza and
        Xenarios 2006); slope gain/4 = 0.5 at half activity. 2 is a moderate default; the
        review's models build at 2, 3 and 4 with nearly equal agreement (docs/simulate.md).
    weight
        Weight of a regulatory edge.

    Perturbations (strength at dose 1)
    ----------------------------------
    mimic_fold
        Exogenous miRNA production of a mimic, in units of the basal production.
    antagomir_fold
        Antagomir production, in units of the basal miRNA production.
    antagomir_kon, antagomir_decay, antagomir_complex_decay
        Antagomir binding (1/(copy*h)), free antagomir and antagomir:miRNA decay (1/h).
    overexpress_fold
        Exogenous transcription of an overexpressed RNA (units of basal transcription);
        for a protein-coding gene, exogenous protein activity (units of the unrepressed
        level) from a 3'UTR-less construct.
    knockdown_strength
        Knockdown fraction is ``1 - 1/(1 + knockdown_strength * dose)`` (0.8 at dose 1).
    activate_strength
        Activation pulls a node towards full activity by ``d/(d + 1/strength)``.

    Readout
    -------
    direction_threshold
        ``|log2fc| >= direction_threshold`` is called up/down, else none.
    epsilon
        Pseudo-level (in units of the node's reference scale) added before log2.
    """

    mirna_b: float = 5.0
    mirna_delta: float = 0.025
    mrna_ktx: float = 2.0
    mrna_d: float = 0.2
    lncrna_ktx: float = 4.0
    lncrna_d: float = 0.1
    circrna_ktx: float = 0.8
    circrna_d: float = 0.02
    sites_mrna: float = 1.0
    sites_lncrna: float = 2.0
    sites_circrna: float = 2.0
    kon: float = 0.005
    koff: float = 0.1
    kcat_mrna: float = 0.5
    kstoich_mrna: float = 0.05
    kcat_sponge: float = 0.05
    kstoich_sponge: float = 0.05
    tau_protein: float = 66.0
    tau: float = 1.0
    hill_n: float = 2.0
    hill_k: float = 0.5
    gain: float = 2.0
    weight: float = 1.0
    mimic_fold: float = 10.0
    antagomir_fold: float = 10.0
    antagomir_kon: float = 0.01
    antagomir_decay: float = 0.02
    antagomir_complex_decay: float = 0.05
    overexpress_fold: float = 4.0
    knockdown_strength: float = 4.0
    activate_strength: float = 1.0
    direction_threshold: float = 0.05
    epsilon: float = 1e-4

    def updated(self, overrides: Mapping[str, float]) -> ModelParameters:
        """Return a copy with ``overrides`` applied (unknown names raise InputError)."""
        known = {f.name for f in fields(self)}
        bad = sorted(set(overrides) - known)
        if bad:
            raise InputError(
                f"Unknown model parameter(s) {bad}. Valid parameters: {sorted(known)}."
            )
        for key, value in overrides.items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise InputError(f"Model parameter {key}={value!r} must be a non-negative number.")
            if key in _POSITIVE and value == 0:
                raise InputError(f"Model parameter {key} must be > 0 (it divides or scales).")
        return dataclasses.replace(self, **{k: float(v) for k, v in overrides.items()})

    def as_dict(self) -> dict[str, float]:
        """All parameters as a plain dict."""
        return dataclasses.asdict(self)


#: Names that can be set per node with ``build_model(node_params={node: {name: value}})``.
#: miRNA: b, delta. Binding RNA (target or sponge): ktx, d, sites, kon, koff, kcat,
#: kstoich, tau_protein. Signalling node: tau, hill_n, hill_k, gain. Any node's inputs:
#: weight (applied to every edge into the node).
NODE_PARAMETERS: tuple[str, ...] = (
    "b",
    "delta",
    "ktx",
    "d",
    "sites",
    "kon",
    "koff",
    "kcat",
    "kstoich",
    "tau_protein",
    "tau",
    "hill_n",
    "hill_k",
    "gain",
    "weight",
)


def knockdown_fraction(dose: float, params: ModelParameters) -> float:
    """Fraction of expression removed by a knockdown of strength ``dose`` (0.8 at dose 1)."""
    return 1.0 - 1.0 / (1.0 + params.knockdown_strength * dose)


def activation_fraction(dose: float, params: ModelParameters) -> float:
    """Fraction of the way to full activity of an activation of strength ``dose``."""
    return dose / (dose + 1.0 / params.activate_strength) if dose > 0 else 0.0
