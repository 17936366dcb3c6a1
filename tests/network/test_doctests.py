"""The Examples sections of the network modules run and give the shown output."""

from __future__ import annotations

import doctest
import importlib

import matplotlib
import pytest

matplotlib.use("Agg")

MODULES = [
    "mirscope.network",
    "mirscope.network.graph",
    "mirscope.network.queries",
    "mirscope.network.export",
    "mirscope.network.draw",
    "mirscope.network.enrichment",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name: str) -> None:
    import matplotlib.pyplot as plt

    module = importlib.import_module(name)
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    finally:
        plt.close("all")
    assert result.attempted > 0
    assert result.failed == 0
