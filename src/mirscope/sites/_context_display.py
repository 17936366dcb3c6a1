"""Text drawing of a site and its miRNA pairing, as in TargetScan 7's context-score table.

Private helper of :mod:`mirscope.sites.context_scores`: the three columns
``UTR region``, ``UTR-miRNA pairing`` and ``mature miRNA sequence``. The layout
was matched to every row of TargetScan 7.0's sample output:

* the UTR region is the 15 bases upstream of the site, the site, and one more
  base (none after an 8mer); 6mer regions start with ``NN``;
* the miRNA is written 3'->5' under it, nucleotide 1 opposite the base after the
  nt-2 match (opposite the A of a 7mer-1a, whose line then ends in a space);
* the best 3'-supplementary run (highest score; ties: smallest offset, then the
  positive one, then the run nearest the seed) sets the register: an offset
  becomes gaps in the miRNA (UTR loop longer) or in the UTR (UTR loop shorter),
  placed where the seed part starts (nt 8 | 9, nt 7 | 8 for 7mer-1a); the lines
  are right-aligned to the width the gapped alignment needs;
* bars mark the seed pairs, and the 3' run when it scores at least 3 or
  continues the seed (no offset, starting at nt 9); only then are the gaps drawn.
  For 6mers TargetScan draws the 3' bars one column to the right; reproduced.
"""

from __future__ import annotations

from mirscope.sites._context_features import _WATSON_CRICK, pos8_index


def best_three_prime_run(
    seq: str, start: int, site_type: str, mirna: str, *, region: int = 15, free_offset: int = 2
) -> tuple[float, int, int, int] | None:
    """(score, offset, first nt, last nt) of the best 3' run, or None when none scores above 0.

    Same definition as :func:`mirscope.sites._context_features.three_prime_score`.

    Examples
    --------
    >>> best_three_prime_run("UUCAAAAAGUGCCUUA", 9, "8mer-1a", "UAAGGCACGCGGUGAAUGCC")
    (4.0, 0, 13, 16)
    """
    p8 = pos8_index(start, site_type)
    top = start - 1 if site_type != "6mer" else start - 2
    lowest = max(0, start - 1 - region)
    n = len(mirna)
    cands: list[tuple[float, int, int, int]] = []
    for off in range(-(n + region), n + region + 1):
        penalty = 0.5 * max(0, abs(off) - free_offset)
        k = 9
        while k <= n:
            u = p8 - (k - 8) - off
            if lowest <= u < top and (mirna[k - 1], seq[u]) in _WATSON_CRICK:
                first = k
                run = 0.0
                while k <= n:
                    u = p8 - (k - 8) - off
                    if not (lowest <= u < top and (mirna[k - 1], seq[u]) in _WATSON_CRICK):
                        break
                    run += 1.0 if 13 <= k <= 16 else 0.5
                    k += 1
                if k - first >= 2 and run - penalty > 0:
                    cands.append((run - penalty, off, first, k - 1))
            else:
                k += 1
    if not cands:
        return None
    top_score = max(c[0] for c in cands)
    return min((c for c in cands if c[0] == top_score), key=lambda c: (abs(c[1]), -c[1], c[2]))


def draw_site(seq: str, start: int, end: int, site_type: str, mirna: str) -> tuple[str, str, str]:
    """The ``UTR region``, ``UTR-miRNA pairing`` and ``mature miRNA sequence`` strings.

    Examples
    --------
    >>> u, b, m = draw_site("CCCCCCCCCCCCCCCCCGUGCCUUAC", 18, 25, "8mer-1a", "UAAGGCACGCGGUGAAUGCC")
    >>> u
    'CCCCCCCCCCCCCCCGUGCCUUA'
    >>> b
    '               ||||||| '
    >>> m
    '   CCGUAAGUGGCGCACGGAAU'
    """
    n = len(mirna)
    best = best_three_prime_run(seq, start, site_type, mirna)
    # UTR: split before the base opposite nt 8 (6mer) or the site's first base
    u_split = start - 1 if site_type != "6mer" else start - 2
    first = max(0, start - 16)
    tail = seq[end : end + 1] if site_type != "8mer-1a" else ""
    u_up = ("NN" if site_type == "6mer" else "") + seq[first:u_split]
    u_down = seq[u_split:end] + tail
    m_rev = mirna[::-1]
    m_split = 7 if site_type == "7mer-1a" else 8
    m_up, m_down = m_rev[: n - m_split], m_rev[n - m_split :]
    if site_type == "7mer-1a":
        m_down += " "
    off = best[1] if best else 0
    u_gapped = u_up + "-" * max(0, -off) + u_down
    m_gapped = m_up + "-" * max(0, off) + m_down
    width = max(len(u_gapped), len(m_gapped))
    draw = best is not None and (best[0] >= 3.0 or (best[1] == 0 and best[2] == 9))
    if draw:
        u_line, m_line = u_gapped.rjust(width), m_gapped.rjust(width)
    else:
        u_line, m_line = (u_up + u_down).rjust(width), (m_up + m_down).rjust(width)
    columns = [i for i, ch in enumerate(m_line) if ch not in " -"]  # column of m_rev[j]

    def col(k: int) -> int:
        return columns[n - k]

    bars = [" "] * width
    for k in range(2, 9 if site_type in ("8mer-1a", "7mer-m8") else 8):
        bars[col(k)] = "|"
    if draw and best is not None:
        shift = 1 if site_type == "6mer" else 0
        for k in range(best[2], best[3] + 1):
            c = col(k) + shift
            if c < width:
                bars[c] = "|"
    return u_line, "".join(bars), m_line
