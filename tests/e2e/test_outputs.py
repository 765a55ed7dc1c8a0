"""The outputs of a run, read back and checked against metrics.json.

usage: test_outputs.py MQLREPORT            run the real binary on tests/fixtures/e2e
       test_outputs.py MQLREPORT --harness RENDER_FIXTURE
                                            check the outputs of the hand-built tree

The workbook is read with openpyxl: every number of metrics.json's summary,
windows and by_channel must be in its cell (null = empty cell). The PDF must
pass `qpdf --check`, show the week and the channel names (pdftotext) and
embed its fonts (pdffonts). LibreOffice converts the workbook to PDF, as a
second reader of the file: without it the test fails.
"""
import configparser
import datetime
import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_DIR, "tests", "fixtures", "e2e")
WEEK = "2026-W10"

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def die(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ---- producing the outputs ----

def produce(args, out):
    if len(args) >= 3 and args[1] == "--harness":
        r = run([args[2], out])
        what = "render_fixture"
    else:
        # the fixture's spend export holds one bad row of ten on purpose (it
        # is in rejects.csv): a data-health warning, shown on the outputs
        cfg = os.path.join(os.path.dirname(out), "health.ini")
        with open(cfg, "w") as f:
            f.write("[health]\nrejected_share = warn\n")
        r = run([args[0], "run", "--config", cfg, "--data", FIXTURE, "--week", WEEK, "--out", out,
                 "--no-email"])
        what = "mqlreport run"
    if r.returncode != 0:
        die("%s exited %d\nstdout:\n%s\nstderr:\n%s" % (what, r.returncode, r.stdout, r.stderr))
    return what


def one(out, pattern):
    found = sorted(glob.glob(os.path.join(out, pattern)))
    if len(found) != 1:
        die("expected one %s in %s, found %s" % (pattern, out, os.listdir(out)))
    return found[0]


# ---- comparing a JSON value with a cell ----

TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def same(jv, cell):
    if jv is None:
        return cell is None or cell == ""
    if isinstance(jv, bool):
        return cell is jv
    if isinstance(jv, (int, float)):
        return (isinstance(cell, (int, float)) and not isinstance(cell, bool)
                and math.isclose(cell, jv, rel_tol=1e-12, abs_tol=1e-9))
    if isinstance(jv, str) and TIME_RE.match(jv) and isinstance(cell, datetime.datetime):
        return cell.strftime("%Y-%m-%dT%H:%M:%SZ") == jv
    if isinstance(jv, (list, dict)):
        return cell == compact(jv)
    return cell == jv


def numbers(v):
    """Every number below v."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return []
    if isinstance(v, (int, float)):
        return [v]
    items = v.values() if isinstance(v, dict) else v
    return [n for x in items for n in numbers(x)]


def flatten(obj, prefix=""):
    """A row as the workbook shows it: nested objects as dotted names."""
    out = {}
    for k, v in obj.items():
        name = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, name + "."))
        else:
            out[name] = v
    return out


# ---- reading the workbook ----

def templates():
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(SOURCE_DIR, "templates", "workbook.ini"), encoding="utf-8")
    sheets = [s.strip() for s in cp.get("workbook", "sheets").split(";")]
    return cp, {cp.get(s, "path"): cp.get(s, "title") for s in sheets}


def find_header(ws, names):
    """(row number, {header: column}) of the first row holding all names."""
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if all(n in values for n in names):
            return row[0].row, {v: i + 1 for i, v in enumerate(values) if isinstance(v, str)}
    return None, None


def table_rows(ws, header_row, cols, key_cols):
    """{key tuple: row number} for the rows under header_row until a blank key."""
    rows = {}
    r = header_row + 1
    while True:
        key = tuple(ws.cell(r, cols[k]).value for k in key_cols)
        if all(v is None for v in key):
            return rows
        rows[key] = r
        r += 1


def compare_row(ws, sheet, r, cols, jrow, what):
    for name, jv in flatten(jrow).items():
        if not check(name in cols, "%s: sheet %r has no column %r" % (what, sheet, name)):
            continue
        cell = ws.cell(r, cols[name])
        check(same(jv, cell.value), "%s.%s: metrics.json has %r, sheet %r cell %s has %r"
              % (what, name, jv, sheet, cell.coordinate, cell.value))


def check_workbook(path, metrics):
    cp, title = templates()
    wb = openpyxl.load_workbook(path)  # values, not formulas: the writer stores numbers
    for part in ("summary", "windows", "by_channel"):
        if part not in title or title[part] not in wb.sheetnames:
            die("workbook %s: no sheet for %s (sheets: %s)" % (path, part, wb.sheetnames))
    check(wb.sheetnames[0] == title["summary"],
          "the first sheet is %r, not the summary %r" % (wb.sheetnames[0], title["summary"]))

    # every top-level part of metrics.json has a sheet; one the template does
    # not name is titled after its key ("fit_bands" -> "Fit bands")
    for key in metrics:
        want = title.get(key, (key[:1].upper() + key[1:]).replace("_", " ")[:31])
        if not check(want in wb.sheetnames, "metrics.json's %r has no sheet %r (sheets: %s)"
                     % (key, want, wb.sheetnames)):
            continue
        # every number of the part is somewhere on its sheet
        cells = [c.value for row in wb[want].iter_rows() for c in row
                 if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
        for num in numbers(metrics[key]):
            check(any(same(num, c) for c in cells),
                  "metrics.json's %s holds %r, which is on no cell of sheet %r" % (key, num, want))

    # summary: the report week's KPIs beside the week before and the change
    ws = wb[title["summary"]]
    hr, cols = find_header(ws, ["kpi"])
    if check(hr is not None, "summary sheet: no header row with 'kpi'"):
        rows = table_rows(ws, hr, cols, ["kpi"])
        check(len(rows) == len(metrics["summary"]), "summary sheet has %d rows, metrics.json %d"
              % (len(rows), len(metrics["summary"])))
        for jrow in metrics["summary"]:
            r = rows.get((jrow["kpi"],))
            if check(r is not None, "summary: no row for kpi %r" % jrow["kpi"]):
                compare_row(ws, title["summary"], r, cols, jrow, "summary[%s]" % jrow["kpi"])
        check(ws.freeze_panes is not None, "summary sheet: no frozen header")
        ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
        if "change" in cols and metrics["summary"]:
            letter = openpyxl.utils.get_column_letter(cols["change"])
            check(any(letter in r for r in ranges),
                  "summary sheet: no conditional format on the change column %s (%s)" % (letter, ranges))
        for jrow in metrics["summary"]:
            if isinstance(jrow.get("change"), (int, float)) and not isinstance(jrow["change"], bool):
                fmt = ws.cell(rows[(jrow["kpi"],)], cols["change"]).number_format
                check("%" in fmt, "summary change of %s has format %r, not a percent" % (jrow["kpi"], fmt))
                break

    # windows side by side
    ws = wb[title["windows"]]
    hr, cols = find_header(ws, ["metric"] + list(metrics["windows"]))
    if check(hr is not None, "windows sheet: no header row with metric and %s" % list(metrics["windows"])):
        rows = table_rows(ws, hr, cols, ["metric"])
        for win, obj in metrics["windows"].items():
            for name, jv in flatten(obj).items():
                r = rows.get((name,))
                if not check(r is not None, "windows: no row for %s" % name):
                    continue
                cell = ws.cell(r, cols[win])
                check(same(jv, cell.value), "windows.%s.%s: metrics.json has %r, cell %s has %r"
                      % (win, name, jv, cell.coordinate, cell.value))

    # by_channel, every window
    sheet = title["by_channel"]
    ws = wb[sheet]
    group = cp.get("by_channel", "group_column", fallback="group")
    hr, cols = find_header(ws, [group, "channel"])
    if check(hr is not None, "channel sheet: no header row with %s and channel" % group):
        rows = table_rows(ws, hr, cols, [group, "channel"])
        n = sum(len(v) for v in metrics["by_channel"].values())
        check(len(rows) == n, "channel sheet has %d rows, metrics.json %d" % (len(rows), n))
        for win, jrows in metrics["by_channel"].items():
            for jrow in jrows:
                r = rows.get((win, jrow["channel"]))
                if check(r is not None, "channel sheet: no row for %s %s" % (win, jrow["channel"])):
                    compare_row(ws, sheet, r, cols, jrow, "by_channel.%s[%s]" % (win, jrow["channel"]))
                    for name, jv in jrow.items():
                        if name.endswith("rate") and isinstance(jv, float):
                            fmt = ws.cell(r, cols[name]).number_format
                            check("%" in fmt, "%s has format %r, not a percent" % (name, fmt))
                        if name == "revenue":
                            fmt = ws.cell(r, cols[name]).number_format
                            cur = metrics["report"]["currency"]
                            sym = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(cur, cur)
                            check(sym in fmt, "revenue has format %r without the currency %s" % (fmt, cur))
        check(ws.freeze_panes is not None, "channel sheet: no frozen header")
        check(bool(ws.auto_filter.ref), "channel sheet: no autofilter")

    # native charts: a column chart on the channel sheet, a line chart of the trend
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]

    def charted(kind, sheet_title):
        refs = ("'%s'!" % sheet_title, "%s!" % sheet_title)
        return any("<c:%s>" % kind in c and any(r in c for r in refs) for c in charts)
    check(charted("barChart", sheet), "no native column chart on the sheet %r" % sheet)
    if "trend" in title and metrics.get("trend"):
        check(charted("lineChart", title["trend"]), "no native line chart on the sheet %r" % title["trend"])


# ---- the PDF ----

def check_pdf(path, metrics):
    r = run(["qpdf", "--check", path])
    check(r.returncode == 0, "qpdf --check %s exited %d:\n%s%s" % (path, r.returncode, r.stdout, r.stderr))
    r = run(["pdftotext", "-layout", path, "-"])
    check(r.returncode == 0, "pdftotext failed: %s" % r.stderr)
    text = r.stdout
    week = metrics["report"]["week"]
    check(week in text, "the PDF does not show the week %s" % week)
    check(metrics["report"]["timezone"] in text, "the PDF does not show the time zone")
    channels = sorted({row["channel"] for rows in metrics["by_channel"].values() for row in rows})
    check(channels, "metrics.json has no channel rows to look for")
    for ch in channels:
        check(ch in text, "the PDF does not show the channel %r" % ch)
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    check(pages and all(m == pages[0][1] for _, m in pages) and len(pages) == int(pages[0][1]),
          "the PDF's page numbers are not 'Page N of M' on every page: %s" % pages)
    r = run(["pdffonts", path])
    rows = r.stdout.splitlines()[2:]
    check(rows, "pdffonts lists no fonts")
    for line in rows:
        # columns: name type encoding emb sub uni object ID; emb is 5th from the end
        check(line.split()[-5] == "yes", "a font is not embedded: %s" % line)


def check_libreoffice(xlsx, tmp):
    lo = shutil.which("libreoffice") or shutil.which("soffice")
    if not check(lo, "libreoffice is not installed (./test.sh installs it): the workbook was not "
                 "converted to PDF"):
        return
    outdir = os.path.join(tmp, "lo")
    profile = "file://" + os.path.join(tmp, "lo-profile")
    r = run([lo, "-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf",
             "--outdir", outdir, xlsx], timeout=300)
    pdfs = glob.glob(os.path.join(outdir, "*.pdf"))
    if not check(r.returncode == 0 and pdfs, "libreoffice could not convert the workbook (exit %d): %s%s"
                 % (r.returncode, r.stdout, r.stderr)):
        return
    text = run(["pdftotext", pdfs[0], "-"]).stdout
    check("kpi" in text, "the workbook converted by libreoffice does not show the summary table")


# ---- the hand-derived anchors of tests/fixtures/e2e/README.md ----

def check_anchors(metrics):
    w = metrics["windows"]["1w"]
    for key, want in (("leads", 11), ("mqls", 6), ("sqls", 2), ("wins", 3), ("revenue", 25000.5),
                      ("spend", 2770.25)):
        check(same(want, w.get(key)), "windows.1w.%s is %r, by hand %r" % (key, w.get(key), want))
    names = {row["channel"] for row in metrics["by_channel"]["13w"]}
    check({"paid_search", "webinar", "email"} <= names, "by_channel.13w has channels %s" % names)


def check_rejects(out, harness):
    path = os.path.join(out, "rejects.csv")
    if not check(os.path.exists(path), "no rejects.csv in %s" % out):
        return
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\r\n")
    check(lines[0].startswith("source,line,reason"), "rejects.csv header is %r" % lines[0])
    want = "leads,4,unparseable_created_at,L9,,2026-13-01" if harness else "spend,11,negative_amount,"
    check(any(l.startswith(want) for l in lines[1:]), "rejects.csv lacks a row %r: %s" % (want, lines))


def main():
    args = sys.argv[1:]
    if not args:
        die("usage: test_outputs.py MQLREPORT [--harness RENDER_FIXTURE]")
    harness = len(args) >= 3 and args[1] == "--harness"
    tmp = tempfile.mkdtemp(prefix="mql-e2e-")
    try:
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        what = produce(args, out)
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            metrics = json.load(f)
        xlsx = one(out, "*.xlsx")
        pdf = one(out, "*.pdf")
        if not harness:
            check_anchors(metrics)
        check_workbook(xlsx, metrics)
        check_pdf(pdf, metrics)
        check_rejects(out, harness)
        # the same inputs give the same bytes: the harness's fixed tree all of
        # them; a run's PDF too (the workbook's About sheet and metrics.json
        # show generated_at, the clock time of the run)
        again = os.path.join(tmp, "again")
        os.makedirs(again)
        produce(args, again)
        same_bytes = [os.path.basename(pdf)]
        if harness:
            same_bytes += [os.path.basename(xlsx), "metrics.json"]
        for name in same_bytes:
            with open(os.path.join(out, name), "rb") as a, open(os.path.join(again, name), "rb") as b:
                check(a.read() == b.read(), "%s differs between two renderings of the same input" % name)
        check_libreoffice(xlsx, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if errors:
        print("FAIL: %d difference(s) in the outputs of %s:" % (len(errors), what), file=sys.stderr)
        for e in errors:
            print("  - " + e, file=sys.stderr)
        sys.exit(1)
    print("ok: %s outputs match metrics.json" % what)


if __name__ == "__main__":
    main()
