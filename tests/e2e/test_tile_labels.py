"""The PDF's KPI tiles name their figures in words an executive reads, read
back from the sample's week 2026-W47 with pdftotext -bbox-layout: each tile
of templates/report_pdf.ini's headline carries its catalogue label (the
short one where templates/metrics.ini gives one), whole on one line inside
its tile (no "…"); and none is an abbreviation the reader must know
("CAC"), but for the report's own terms MQL, SQL and ROI, which its title,
tiles and Glossary use throughout.

usage: test_tile_labels.py MQLREPORT (CTest passes the binary and sets
MQL_SOURCE_DIR). Every check runs even when one fails."""
import configparser
import glob
import os
import re
import subprocess
import sys
import tempfile

from test_pdf_honesty import page_words

SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
SAMPLES = os.path.join(SRC, "samples")
TEMPLATES = os.path.join(SRC, "templates")
KNOWN = {"MQL", "MQLs", "SQL", "SQLs", "ROI"}

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def ini(name):
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(TEMPLATES, name), encoding="utf-8")
    return cp


def expected_labels():
    """The headline's keys, each with the label its tile should carry."""
    pdf, cat = ini("report_pdf.ini"), ini("metrics.ini")
    section = next(s for s in pdf.sections() if pdf.has_option(s, "headline"))
    keys = [k.strip() for k in pdf.get(section, "headline").split(";") if k.strip()]
    return [(k, cat.get(k, "short") if cat.has_option(k, "short") else cat.get(k, "label"))
            for k in keys]


def tile_labels(pdf):
    """The tiles' labels on page 1, left to right and top to bottom: the
    words right above each tile's figure (the large type), from its left
    edge to the next tile's."""
    words = page_words(pdf, 1)
    large = sorted((w for w in words if w.y1 - w.y0 > 12 and w.y0 > 100),
                   key=lambda w: (round(w.y0), w.x0))
    if not check(large, "PDF page 1: no figure in large type"):
        return []
    # the first row of tiles gives their columns; a heading below them
    # ("What changed") starts at the margin, left of the first tile's text
    row = [w for w in large if abs(w.y0 - large[0].y0) < 1]
    starts = [w.x0 for w in row]
    step = min(b - a for a, b in zip(starts, starts[1:])) if len(starts) > 1 else 200
    tiles = []
    for f in large:
        if not any(abs(f.x0 - x) < 1 for x in starts):
            continue  # a heading, or a second word of a figure ("3.0 d")
        if any(abs(f.y0 - t.y0) < 2 and abs(f.x0 - t.x0) < 1 for t in tiles):
            continue
        tiles.append(f)
    out = []
    for f in tiles:
        above = [w for w in words if w.y1 <= f.y0 + 0.5 and f.y0 - w.y1 < 8
                 and f.x0 - 1 <= w.x0 < f.x0 + step - 8]
        out.append((" ".join(w.text for w in sorted(above, key=lambda w: w.x0)),
                    max((w.x1 for w in above), default=f.x0), f.x0 + step - 8))
    return out


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        r = subprocess.run([binary, "run", "--no-email", "--data", SAMPLES, "--week", "2026-W47",
                            "--out", out], capture_output=True, text=True, timeout=300)
        if not check(r.returncode == 0, "mqlreport run exited %d\n%s" % (r.returncode, r.stderr)):
            sys.exit(1)
        pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
        got = tile_labels(pdf)
    want = expected_labels()
    check([g[0] for g in got] == [w[1] for w in want],
          "the tiles read %r, not the catalogue's %r" % ([g[0] for g in got], [w[1] for w in want]))
    for text, right, edge in got:
        check("\u2026" not in text and right <= edge,
              "the tile label %r is cut or runs past its tile (%.1f > %.1f)" % (text, right, edge))
        for word in re.findall(r"[A-Za-z]+", text):
            check(not (re.fullmatch(r"[A-Z]{2,}s?", word) and word not in KNOWN),
                  "the tile label %r abbreviates %r, which a reader must know" % (text, word))
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("ok: the tiles' labels are the catalogue's, in words, whole: %s" % [g[0] for g in got])


if __name__ == "__main__":
    main()
