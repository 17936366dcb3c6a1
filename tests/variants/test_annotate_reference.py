"""End to end on generated genomes, GTFs and VCFs: the annotator against a slow reference.

The reference extracts each 3'UTR with :func:`mirscope.sequences.iter_features` (the
existing GTF extractor), maps the variant through an explicit list of the genomic
coordinate of every transcript base, applies it to the whole UTR in transcript
orientation and rescans both alleles completely (:func:`site_changes_reference`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirscope.sequences import iter_features, reverse_complement
from mirscope.variants import (
    SeedTable,
    VariantAnnotator,
    VcfRecord,
    site_changes_reference,
)
from mirscope.variants.sitechange import normalize_change

MIRNAS = {
    "m124": "UAAGGCACGCGGUGAAUGCCAA",
    "m1": "UGGAAUGUAAAGAAGUAUGUAU",
    "mlet7": "UGAGGUAGUAGGUUGUAUAGUU",
}
TABLE = SeedTable.from_mirnas(MIRNAS)
# site-rich pieces on both strands (targets and their reverse complements)
PIECES = ["GTGCCTTA", "TAAGGCAC", "ACATTCCA", "TGGAATGT", "CTACCTCA", "TGAGGTAG", "A", "C", "G", "T", "AT", "CG"]


@st.composite
def scenario(draw: st.DrawFn):
    genome = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=30, max_size=60)))
    n = len(genome)
    strand = draw(st.sampled_from("+-"))
    n_pieces = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(2, n - 2), min_size=2 * n_pieces, max_size=2 * n_pieces, unique=True)))
    segs = []
    for i in range(n_pieces):
        s, e = cuts[2 * i], cuts[2 * i + 1]
        if segs and s <= segs[-1][1] + 1:
            s = segs[-1][1] + 2
        if s <= e:
            segs.append((s, e))
    if not segs:
        segs = [(2, n - 2)]
    variants = []
    # positions near the UTR pieces' edges and inside them
    edges = [p for s, e in segs for p in (s - 1, s, s + 1, e - 1, e, e + 1)]
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.one_of(st.sampled_from(edges), st.integers(1, n - 6)))
        pos = min(max(pos, 1), n - 5)
        kind = draw(st.sampled_from(["snv", "ins", "del", "mnv"]))
        ref = genome[pos - 1]
        if kind == "snv":
            alt = draw(st.sampled_from([b for b in "ACGT" if b != ref]))
        elif kind == "ins":
            alt = ref + draw(st.text("ACGT", min_size=1, max_size=5))
        elif kind == "del":
            k = draw(st.integers(1, 4))
            ref = genome[pos - 1 : pos + k]
            alt = ref[0]
        else:
            k = draw(st.integers(2, 3))
            ref = genome[pos - 1 : pos - 1 + k]
            alt = draw(st.text("ACGT", min_size=1, max_size=4))
            if alt == ref:
                alt = "A" + alt
        variants.append((pos, ref, alt))
    variants.sort()
    return genome, strand, segs, variants


def _write(d: Path, genome: str, strand: str, segs) -> tuple[Path, Path]:
    (d / "g.fa").write_text(">c1\n" + genome + "\n")
    line = 'c1\tt\t{}\t{}\t{}\t.\t' + strand + '\t.\tgene_id "G"; transcript_id "T"; gene_name "GENE";\n'
    body = line.format("exon", segs[0][0], segs[-1][1])
    body += "".join(line.format("three_prime_utr", s, e) for s, e in segs)
    (d / "a.gtf").write_text(body)
    return d / "a.gtf", d / "g.fa"


def _reference(utr: str, strand: str, segs, pos: int, ref: str, alt: str):
    tx_to_g = [g for s, e in segs for g in range(s, e + 1)]
    if strand == "-":
        tx_to_g = tx_to_g[::-1]
    g_to_tx = {g: i for i, g in enumerate(tx_to_g)}
    g0, r, a = normalize_change(pos, ref, alt)
    if r:
        idx = [g_to_tx.get(g) for g in range(g0, g0 + len(r))]
        if all(i is None for i in idx) and not any(g0 <= s and e < g0 + len(r) for s, e in segs):
            return None  # outside the UTR
        if any(i is None for i in idx) or max(idx) - min(idx) != len(r) - 1:
            return "boundary"
        t0 = min(idx)
    else:
        left, right = g_to_tx.get(g0 - 1), g_to_tx.get(g0)
        if left is None and right is None:
            return None
        if left is None or right is None or abs(left - right) != 1:
            return "boundary"
        t0 = max(left, right)
    if strand == "-":
        r, a = reverse_complement(r), reverse_complement(a)
    out = set()
    for c in site_changes_reference(utr, t0, r, a, TABLE):
        for name in TABLE.members[c.group]:
            out.add((name, c.effect, c.ref_type, c.alt_type,
                     None if c.ref_start is None else c.ref_start + 1,
                     None if c.alt_start is None else c.alt_start + 1,
                     None if c.ref_start is None else (min(tx_to_g[c.ref_start], tx_to_g[c.ref_end - 1]),
                                                       max(tx_to_g[c.ref_start], tx_to_g[c.ref_end - 1]))))
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario())
def test_annotator_matches_reference(case) -> None:
    genome, strand, segs, variants = case
    with tempfile.TemporaryDirectory() as tmp:
        gtf, fa = _write(Path(tmp), genome, strand, segs)
        (utr_rec,) = list(iter_features(gtf, fa, "utr3", progress=False))
        utr = utr_rec.seq
        from mirscope.variants import features_from_gtf

        ann = VariantAnnotator(features_from_gtf(gtf), MIRNAS, genome=fa, energies=False)
        for i, (pos, ref, alt) in enumerate(variants):
            before = ann.stats.skipped_crossing_feature_boundary
            rows = ann.annotate(VcfRecord("c1", pos, f"v{i}", ref, (alt,), i + 1))
            expected = _reference(utr, strand, segs, pos, ref, alt)
            if expected == "boundary":
                assert rows == []
                assert ann.stats.skipped_crossing_feature_boundary == before + 1
                continue
            got = {
                (r["mirna"], r["effect"], r["ref_site_type"], r["alt_site_type"], r["ref_start"], r["alt_start"],
                 None if r["ref_start"] is None else (r["genomic_start"], r["genomic_end"]))
                for r in rows
            }
            if expected is None:
                assert got == set()
            else:
                # same sites with the same types and transcript positions
                assert {g[:6] for g in got} == {e[:6] for e in expected}
                # lost sites exist only in the reference: their genomic span is the ref site's
                assert {g for g in got if g[1] == "lost"} == {e for e in expected if e[1] == "lost"}
