"""Fixtures of the network tests: a small curated relation set modelled on the review."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from mirscope.kb.model import Relation

DATA = Path(__file__).resolve().parents[1] / "data" / "network"
MIR = "hsa-miR-124-3p"
HCC = "hepatocellular carcinoma"
BC = "breast cancer"


def _rel(
    i: str,
    s: str,
    st: str,
    r: str,
    o: str,
    ot: str,
    sign: int,
    cancer: str | None,
    refs: tuple[int, ...],
    *,
    context: str = "cancer",
    direction: str = "unknown",
) -> Relation:
    return Relation(
        id=i,
        subject=s,
        subject_type=st,
        relation=r,
        object=o,
        object_type=ot,
        sign=sign,
        cancer=cancer,
        refs=refs,
        context=context,
        direction=direction,  # type: ignore[arg-type]
    )


def make_relations() -> list[Relation]:
    """HCC: circHIPK3 -| miR-124 -| AQP3 (ref 109), DSCAM-AS1 sponge without target, NF-kB arm;
    breast: NEAT1 -| miR-124 -| STAT3 -> JAK/STAT; a non-cancer and a clinical record; an
    unrelated miRNA."""
    return [
        _rel("h1", "circHIPK3", "circrna", "sponges", MIR, "mirna", -1, HCC, (109,)),
        _rel("h2", MIR, "mirna", "targets", "AQP3", "gene", -1, HCC, (109,)),
        _rel(
            "h3",
            "circHIPK3",
            "circrna",
            "affects_phenotype",
            "proliferation",
            "phenotype",
            1,
            HCC,
            (109,),
        ),
        _rel("h4", "circHIPK3", "circrna", "sponges", MIR, "mirna", -1, HCC, (115,)),
        _rel("h5", "DSCAM-AS1", "lncrna", "sponges", MIR, "mirna", -1, HCC, (117,)),
        _rel("h6", MIR, "mirna", "targets", "TRAF6", "gene", -1, HCC, (191,)),
        _rel("h7", "TRAF6", "gene", "member_of_pathway", "NF-kB", "pathway", 1, None, (189, 190)),
        _rel(
            "h8",
            "NF-kB",
            "pathway",
            "affects_phenotype",
            "proliferation",
            "phenotype",
            1,
            None,
            (36,),
        ),
        _rel(
            "h9", MIR, "mirna", "affects_phenotype", "proliferation", "phenotype", -1, HCC, (104,)
        ),
        _rel("h10", MIR, "mirna", "prognostic", HCC, "cancer", 0, HCC, (204,)),
        _rel("h11", MIR, "mirna", "sensitizes_to", "chemotherapy", "therapy", 1, HCC, (191,)),
        _rel("b1", "NEAT1", "lncrna", "sponges", MIR, "mirna", -1, BC, (70,)),
        _rel("b2", MIR, "mirna", "targets", "STAT3", "gene", -1, BC, (70,)),
        _rel("b3", MIR, "mirna", "targets", "STAT3", "gene", -1, BC, (64,)),
        _rel("b4", "STAT3", "gene", "member_of_pathway", "JAK/STAT", "pathway", 1, None, ()),
        _rel("b5", MIR, "mirna", "affects_phenotype", "proliferation", "phenotype", -1, BC, (26,)),
        _rel("b6", MIR, "mirna", "affects_phenotype", "proliferation", "phenotype", 1, BC, (62,)),
        _rel("b7", MIR, "mirna", "affects_phenotype", "proliferation", "phenotype", -1, BC, (63,)),
        _rel(
            "n1", MIR, "mirna", "inhibits", "ADAM17", "gene", -1, None, (65,), context="non_cancer"
        ),
        _rel("g1", MIR, "mirna", "regulates_pathway", "Notch", "pathway", -1, None, ()),
        _rel(
            "x1",
            "hsa-miR-3188",
            "mirna",
            "affects_phenotype",
            "invasion",
            "phenotype",
            1,
            HCC,
            (237,),
        ),
    ]


@pytest.fixture
def relations() -> list[Relation]:
    return make_relations()


@pytest.fixture
def graph(relations: list[Relation]) -> nx.MultiDiGraph:
    from mirscope.network import build_graph

    return build_graph(relations)
