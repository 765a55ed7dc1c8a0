"""A ROI without a won deal, read back from the real outputs. The sample's
week 2026-W23 has spend and no deal won: its ROI is −100% (SPEC §6: all the
spend, none of it returned), a figure that measures nothing yet. As a figure
on few cases is, it must be shown in the muted grey, its change left
unjudged and flagged with what it lacks ("no deal won"), and a note must say
why: on the PDF's tile (words from pdftotext -bbox-layout, colours from the
page rendered by pdftoppm), on the workbook's Overview tile, its Week on week
row, its Windows sheet and its Trend sheet (read back with openpyxl), and in
both parts of the e-mail. Week 2026-W47 of the sample, with 3 won deals, is
the control: its ROI is flagged for its few cases, not as without a deal.

usage: test_roi_no_deal.py MQLREPORT (CTest passes the binary and sets
MQL_SOURCE_DIR). Every check runs even when one fails."""
import email
import email.policy
import glob
import json
import os
import subprocess
import sys
import tempfile
import warnings

import openpyxl

from test_pdf_honesty import Picture, lines, page_words

# openpyxl does not read the data bars' and conditional formats' extensions
warnings.filterwarnings("ignore", category=UserWarning)

SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
SAMPLES = os.path.join(SRC, "samples")
GREY = "FF666666"
MINUS = "\u2212"
FLAG = "no deal won"
NOTE = ("In grey and not judged better or worse, as this week's figure rests on no case and "
        "measures nothing yet: ROI (no deal won).")

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def flat(text):
    return " ".join(text.split())


def produce(binary, tmp, week):
    """The outputs of week into tmp/week and its e-mail: (folder, metrics, message)."""
    ini = os.path.join(tmp, week + ".ini")
    with open(ini, "w") as f:
        f.write("[report]\ntimezone = UTC\ncurrency = USD\nweek = %s\n" % week)
        for src in ("leads", "events", "spend", "opportunities"):
            f.write("[source.%s]\nlocation = %s\n" % (src, os.path.join(SAMPLES, src + ".csv")))
        f.write("[health]\nsource_stale = warn\n")
        f.write("[email]\nsmtp_url = smtp://127.0.0.1:9\nfrom = reports@example.com\n"
                "to = ceo@example.com\n")
    out, eml = os.path.join(tmp, week), os.path.join(tmp, week + ".eml")
    r = subprocess.run([binary, "run", "--config", ini, "--out", out, "--eml", eml],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        print("FAIL: mqlreport run --week %s exited %d\n%s" % (week, r.returncode, r.stderr),
              file=sys.stderr)
        sys.exit(1)
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    with open(eml, "rb") as f:
        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
    return out, metrics, msg


def pdf_tile(out, tmp):
    """The PDF's ROI tile on page 1: (its figure's word, its tone, the line
    under the figure), or None."""
    pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
    words = page_words(pdf, 1)

    def tile_lines(label):  # the lines of the tile under its label, left-aligned with it
        return lines(words, lambda w: label.x0 - 2 <= w.x0 < label.x0 + 120
                     and label.y1 < w.y0 < label.y1 + 40)

    # the tile's label: a "ROI" with its figure right under it (not the title's)
    label = next((w for w in words if w.text == "ROI" and tile_lines(w)
                  and abs(tile_lines(w)[0][0].x0 - w.x0) < 1), None)
    if label is None:
        return None
    below = tile_lines(label)
    if len(below) < 2:
        return None
    figure = below[0][0]
    pic = Picture(pdf, 1, tmp)
    return figure, pic.tone(figure), " ".join(w.text for w in below[1])


def check_pdf(out, tmp, no_deal):
    tile = pdf_tile(out, tmp)
    if not check(tile is not None, "%s PDF: no ROI tile on page 1" % out):
        return
    figure, tone, change = tile
    if no_deal:
        check(figure.text == MINUS + "100%", "PDF: the ROI tile shows %r, not -100%%" % figure.text)
        check(tone == "muted", "PDF: the ROI without a won deal is %s, not muted" % tone)
        check(change.endswith("\u00b7 " + FLAG), "PDF: the ROI tile's change reads %r, not "
              "flagged %r" % (change, FLAG))
        pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"],
                              capture_output=True, text=True, timeout=60).stdout
        check(NOTE in flat(text), "PDF page 1: no %r under the tiles" % NOTE)
    else:
        check(figure.text != MINUS + "100%" and FLAG not in change,
              "PDF (won deals): the ROI tile shows %r, %r" % (figure.text, change))


def check_workbook(out, metrics, no_deal):
    path = glob.glob(os.path.join(out, "*.xlsx"))[0]
    wb = openpyxl.load_workbook(path)
    ws = wb["Overview"]
    tile = next((c for row in ws.iter_rows(max_col=1) for c in row
                 if isinstance(c.value, str) and c.value.split("\n")[0] == "ROI"), None)
    if not check(tile is not None, "Overview: no ROI tile"):
        return
    figure = ws.cell(tile.row, tile.column + 1)
    grey = figure.font.color is not None and figure.font.color.rgb == GREY
    texts = flat(" ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)))
    if not no_deal:
        check(FLAG not in tile.value and FLAG not in texts,
              "Overview (won deals): the ROI tile %r is flagged %r" % (tile.value, FLAG))
        return
    check(figure.value == -1 and grey, "Overview: the ROI tile's figure %r is %s, not grey"
          % (figure.value, "grey" if grey else "black"))
    check(flat(tile.value) == "ROI (%s)" % FLAG, "Overview: the ROI tile's label reads %r" % tile.value)
    check(NOTE in texts, "Overview: no %r" % NOTE)

    ws = wb["Week on week"]
    row = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "ROI"), None)
    if check(row is not None, "Week on week: no ROI row"):
        c = ws.cell(row, 2)
        check(c.value == -1 and c.font.color is not None and c.font.color.rgb == GREY,
              "Week on week: this week's ROI %r is not grey" % c.value)

    ws = wb["Windows"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Metric")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(hdr, c).value == "This week")
    row = next((r for r in range(hdr, ws.max_row + 1) if ws.cell(r, 1).value == "ROI"), None)
    if check(row is not None, "Windows: no ROI row"):
        c = ws.cell(row, col)
        check(c.value == -1 and c.font.color is not None and c.font.color.rgb == GREY,
              "Windows: this week's ROI %r is not grey" % c.value)

    ws = wb["Trend"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Week")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(hdr, c).value == "ROI")
    greys = 0
    for week in metrics["kpi_trend"]:
        if week.get("roi_n") != 0 or week.get("roi") is None:
            continue
        r = next(r for r in range(hdr, ws.max_row + 1) if ws.cell(r, 1).value == week["week"])
        c = ws.cell(r, col)
        greys += 1
        check(c.font.color is not None and c.font.color.rgb == GREY,
              "Trend: %s's ROI %r without a won deal is not grey" % (week["week"], c.value))
    check(greys > 0, "Trend: no week's ROI without a won deal to check")


def check_mail(msg, no_deal):
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    line = next((ln for ln in text.splitlines() if ln.startswith("ROI ")), "")
    if not no_deal:
        check(FLAG not in line, "e-mail (won deals): the ROI row %r is flagged" % line)
        return
    check(line.endswith("  " + FLAG) and "better" not in line and "worse" not in line,
          "e-mail text: the ROI row %r is not flagged %r, unjudged" % (line, FLAG))
    check(NOTE in flat(text), "e-mail text: no %r" % NOTE)
    check("ROI (%s)" % FLAG in flat(html), "e-mail HTML: the ROI row is not flagged %r" % FLAG)


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        for week, no_deal in (("2026-W23", True), ("2026-W47", False)):
            out, metrics, msg = produce(binary, tmp, week)
            w = metrics["windows"]["1w"]
            roi = next(r for r in metrics["summary"] if r["kpi"] == "roi")
            if no_deal:
                check(w["won_deals"] == 0 and w["spend"] > 0 and w["roi"] == -1 and w["roi_n"] == 0,
                      "%s: want spend, no won deal and a ROI of -100%% on 0 cases: %r"
                      % (week, {k: w.get(k) for k in ("won_deals", "spend", "roi", "roi_n")}))
                check(roi["low_sample"] is True and roi["n"] == 0,
                      "%s: summary's ROI row %r is not flagged" % (week, roi))
            else:
                check(w["won_deals"] > 0 and w["roi_n"] == w["won_deals"],
                      "%s: roi_n %r, won_deals %r" % (week, w["roi_n"], w["won_deals"]))
            check_pdf(out, tmp, no_deal)
            check_workbook(out, metrics, no_deal)
            check_mail(msg, no_deal)
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("ok: a ROI without a won deal is grey, flagged and explained in every output")


if __name__ == "__main__":
    main()
