"""Rebuild the compact HGNC tables shipped in this folder (developer script, not shipped).

Usage::

    python src/mirscope/data/hgnc/build_tables.py SYMBOL_MAP.tsv.gz COMPLETE_SET.txt.gz

``SYMBOL_MAP`` is HGNChelper's ``hgnc.table`` (2024-11-16: Symbol, Approved.Symbol,
chromosome); ``COMPLETE_SET`` is HGNC's ``hgnc_complete_set.txt`` (2018-11). Writes

- ``hgnc_lookup.tsv.gz``: ``key`` (a symbol, alias or previous symbol as HGNC spells it),
  ``approved`` (the approved symbol in 2024-11) and ``kind`` (approved/previous/alias);
- ``hgnc_genes.tsv.gz``: one row per approved symbol known in 2018 with ``symbol`` (2024
  approved), ``hgnc_id``, ``name``, ``locus_type``, ``entrez_id``, ``ensembl_gene_id``, ``mirbase`` (MI accession).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(symbol_map: str, complete_set: str) -> None:
    out = Path(__file__).parent
    m = pd.read_csv(symbol_map, sep="\t", dtype=str, keep_default_na=False)
    c = pd.read_csv(complete_set, sep="\t", dtype=str, keep_default_na=False)
    c = c[c["status"] == "Approved"]
    prev: set[tuple[str, str]] = set()
    for sym, prevs in zip(c["symbol"], c["prev_symbol"], strict=True):
        for p in prevs.strip('"').split("|"):
            if p:
                prev.add((p, sym))
    symbols2018 = set(c["symbol"])
    approved2024 = set(m.loc[m["Symbol"] == m["Approved.Symbol"], "Symbol"])
    targets: dict[str, set[str]] = {}
    for key, appr in zip(m["Symbol"], m["Approved.Symbol"], strict=True):
        targets.setdefault(key, set()).add(appr)
    # a 2018 symbol keeps its name if still approved, else follows a unique renaming
    to_current = {
        k: (k if k in approved2024 else next(iter(v)))
        for k, v in targets.items()
        if k in approved2024 or len(v) == 1
    }
    rows = []
    for key, appr in zip(m["Symbol"], m["Approved.Symbol"], strict=True):
        if key == appr:
            kind = "approved"
        elif (key, appr) in prev or key in symbols2018:
            kind = "previous"
        else:
            kind = "alias"
        rows.append((key, appr, kind))
    lookup = pd.DataFrame(rows, columns=["key", "approved", "kind"]).drop_duplicates()
    lookup.to_csv(out / "hgnc_lookup.tsv.gz", sep="\t", index=False)
    genes = c[
        ["symbol", "hgnc_id", "name", "locus_type", "entrez_id", "ensembl_gene_id", "mirbase"]
    ].copy()
    genes["symbol"] = [to_current.get(s, s) for s in genes["symbol"]]
    genes = genes.drop_duplicates("symbol", keep=False)
    genes.to_csv(out / "hgnc_genes.tsv.gz", sep="\t", index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
