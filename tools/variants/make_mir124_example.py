"""Write src/mirscope/data/variants/mir124_loci.vcf from the shipped miRBase v22 files.

REF bases come from the miRBase hairpin sequence placed at its GFF3 coordinates (GRCh38),
complemented for the - strand locus, so the VCF agrees with GRCh38 wherever miRBase does.
Run: python tools/variants/make_mir124_example.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MB = ROOT / "src/mirscope/data/mirbase"
COMP = str.maketrans("ACGT", "TGCA")


def main() -> None:
    hairpins = {}
    name = None
    with gzip.open(MB / "hsa_hairpins_miRBase_v22.fa.gz", "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                name = line[1:].split()[0]
                hairpins[name] = ""
            else:
                hairpins[name] += line.strip().upper().replace("U", "T")
    loci = {}
    matures = {}
    with gzip.open(MB / "hsa_miRBase_v22.gff3.gz", "rt") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            at = dict(p.split("=", 1) for p in c[8].split(";"))
            if c[2] == "miRNA_primary_transcript" and at["Name"] in ("hsa-mir-124-1", "hsa-mir-124-2", "hsa-mir-124-3"):
                loci[at["ID"]] = (at["Name"], c[0], int(c[3]), int(c[4]), c[6])
            elif c[2] == "miRNA":
                matures.setdefault(at.get("Derives_from"), []).append((at["Name"], int(c[3]), int(c[4])))

    def genomic_base(name: str, chrom: str, start: int, end: int, strand: str, g: int) -> str:
        seq = hairpins[name]
        return seq[g - start] if strand == "+" else seq[end - g].translate(COMP)

    rows = []
    for pid, (name, chrom, start, end, strand) in loci.items():
        for mname, ms, me in matures[pid]:
            if not mname.endswith("-3p"):
                continue
            for k, label in ((3, "seed position 3"), (12, "position 12, outside the seed")):
                g = ms + k - 1 if strand == "+" else me - k + 1  # mature position k (1 = 5' end)
                ref = genomic_base(name, chrom, start, end, strand, g)
                alt = {"A": "C", "C": "G", "G": "T", "T": "A"}[ref]
                rows.append((chrom, g, f"{name}_{mname}_pos{k}", ref, alt, f"{mname} {label}"))
        # a loop base: the middle of the hairpin
        g = (start + end) // 2
        ref = genomic_base(name, chrom, start, end, strand, g)
        rows.append((chrom, g, f"{name}_loop", ref, {"A": "G", "C": "T", "G": "A", "T": "C"}[ref], "hairpin loop"))
    order = {f"chr{i}": i for i in range(1, 23)}
    rows.sort(key=lambda r: (order.get(r[0], 99), r[1]))
    out = ROOT / "src/mirscope/data/variants/mir124_loci.vcf"
    with open(out, "w") as fh:
        fh.write("##fileformat=VCFv4.2\n##reference=GRCh38 (REF from miRBase v22 hairpins at their GFF3 coordinates)\n")
        fh.write('##INFO=<ID=NOTE,Number=1,Type=String,Description="What the example variant is">\n')
        fh.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for chrom, g, vid, ref, alt, note in rows:
            fh.write(f"{chrom}\t{g}\t{vid}\t{ref}\t{alt}\t.\t.\tNOTE={note.replace(',', '').replace(' ', '_')}\n")
    print(out)


if __name__ == "__main__":
    main()
