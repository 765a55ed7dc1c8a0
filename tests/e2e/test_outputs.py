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
import itertools
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

from words import channel_words, in_words
from xlsx_xml import chart_xml

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(SOURCE_DIR, "tests", "fixtures", "e2e")
WEEK = "2026-W10"

errors = []


def shown(key, value):
    """A category as the outputs show it: a channel in words, a campaign
    as it is named."""
    return channel_words(value) if key == "channel" else value


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
        # and a model whose key is not its name (w_shaped: "W-shaped"), so
        # that every output is seen naming it as a reader knows it
        with open(cfg, "w") as f:
            f.write("[report]\nattribution = w_shaped\n[health]\nrejected_share = warn\n")
        r = run([args[0], "run", "--config", cfg, "--data", FIXTURE, "--week", WEEK, "--out", out,
                 "--no-email"])
        what = "mqlreport run"
    if r.returncode != 0:
        die("%s exited %d\nstdout:\n%s\nstderr:\n%s" % (what, r.returncode, r.stdout, r.stderr))
    return what


def local_as_of(rep):
    """as_of in the report's time zone, as a reader there writes it:
    "Mon 23 Nov 2026 00:00 Europe/Berlin"."""
    import zoneinfo
    tz = rep.get("timezone") or "UTC"
    t = datetime.datetime.fromisoformat(rep["as_of"].replace("Z", "+00:00"))
    loc = t.astimezone(zoneinfo.ZoneInfo(tz))
    return "%s %d %s %s" % (loc.strftime("%a"), loc.day, loc.strftime("%b %Y %H:%M"), tz)


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

RAW_KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$|^[A-Za-z0-9_]+\.[A-Za-z0-9_.]+$")


def catalogue():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(os.path.join(SOURCE_DIR, "templates", "metrics.ini"), encoding="utf-8")
    return cp


def scale_of(cp, key):
    """The catalogue's display scale: minutes shown as hours are divided by 60."""
    for suffix in ("_ci_low", "_ci_high"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    if cp.has_section(key) and cp.get(key, "format", fallback="") == "hours":
        return 1 / 60
    return 1


def numbers_keyed(v, key=None):
    """(key, number) for every number below v."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return []
    if isinstance(v, (int, float)):
        return [(key, v)]
    if isinstance(v, dict):
        return [n for k, x in v.items() for n in numbers_keyed(x, k)]
    return [n for x in v for n in numbers_keyed(x, key)]


def sheet_charts(path, wb, title):
    """Number of native charts anchored on the sheet titled title."""
    idx = wb.sheetnames.index(title) + 1
    with zipfile.ZipFile(path) as z:
        rels = "xl/worksheets/_rels/sheet%d.xml.rels" % idx
        if rels not in z.namelist():
            return 0, []
        m = re.search(r'Target="../drawings/(drawing\d+\.xml)"', z.read(rels).decode())
        if not m:
            return 0, []
        drawing = z.read("xl/drawings/" + m.group(1)).decode()
        anchors = re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", drawing)
        return drawing.count("<c:chart "), anchors


def chart_spans(path, wb, title):
    """(first, last) 0-based columns that each chart on the sheet titled title covers."""
    idx = wb.sheetnames.index(title) + 1
    with zipfile.ZipFile(path) as z:
        rels = "xl/worksheets/_rels/sheet%d.xml.rels" % idx
        if rels not in z.namelist():
            return []
        m = re.search(r'Target="../drawings/(drawing\d+\.xml)"', z.read(rels).decode())
        if not m:
            return []
        drawing = z.read("xl/drawings/" + m.group(1)).decode()
        return [(int(a), int(b)) for a, b in re.findall(
            r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:to><xdr:col>(\d+)</xdr:col>", drawing, re.S)]


def check_print_across(path, wb, ws):
    """A sheet that prints over pages across repeats its key columns on every
    page, with whatever lies over them: no chart and no title may start there
    (a page across showed a sliver of the chart and a title cut to "Cohorts, '"),
    and a chart ends on the first page (the writer's estimate: the whole
    columns of 124 characters of an A4 landscape page at 70%)."""
    from openpyxl.utils import column_index_from_string
    if not ws.print_title_cols:
        return
    keys = column_index_from_string(ws.print_title_cols.replace("$", "").split(":")[1])
    # the header row on: a table's, or the filter's on a streamed sheet
    # (which holds no table); the key column's cells there are meant to repeat
    heads = [ws[t.ref][0][0].row for t in ws.tables.values()]
    if ws.auto_filter.ref:
        heads.append(ws[ws.auto_filter.ref][0][0].row)
    head = min(heads, default=ws.max_row + 1)
    for row in ws.iter_rows(min_row=1, max_row=head - 1, max_col=keys):
        for c in row:
            check(c.value in (None, ""), "sheet %r prints over pages across, and %s (%r) lies in "
                  "the key columns that repeat on every page" % (ws.title, c.coordinate, c.value))
    widths = []
    for c in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(openpyxl.utils.get_column_letter(c))
        widths.append(dim.width - 0.71 if dim is not None and dim.width else 8.43)
    room = (124 if ws.page_setup.orientation == "landscape" else 84) * 100 / int(ws.page_setup.scale or 100)
    used, page = 0, 0
    while page < len(widths) and used + widths[page] <= room:
        used += widths[page]
        page += 1
    for first, last in chart_spans(path, wb, ws.title):
        check(first >= keys, "sheet %r: a chart starts in column %d, in the key columns that repeat "
              "on every page across" % (ws.title, first + 1))
        check(last < page, "sheet %r: a chart reaches column %d, past the first printed page's "
              "%d columns" % (ws.title, last + 1, page))


def check_print_scale(ws, letter=False):
    """Fit to one page wide only where the print stays at 70% or more, or at
    60% or more where printing across at 70% would leave a last page of
    under a quarter of a page (a column beside the repeated keys); else a
    print scale of at least 70%. The width is the sum of the column widths
    (in characters) of the print area, or of the used columns; an A4 page
    holds about 84 of them upright and 124 in landscape, a Letter page 88
    and 118 (the writer's own estimate)."""
    from openpyxl.utils import column_index_from_string
    last = ws.max_column
    if ws.print_area:
        ref = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        last = column_index_from_string(re.sub(r"[$\d]", "", ref.split("!")[-1].split(":")[1]))
    widths = [8.43] * (last + 1)  # Excel's default column
    for dim in ws.column_dimensions.values():  # a dimension may cover several columns
        lo, hi = dim.min or column_index_from_string(dim.index), dim.max or column_index_from_string(dim.index)
        for c in range(lo, min(hi, last) + 1):
            if dim.width:  # stored with the cell padding (+0.71) that the writer adds
                widths[c] = dim.width - 0.71 if dim.width > 1 else dim.width
    width = sum(widths[1:])
    landscape = ws.page_setup.orientation == "landscape"
    room = (118 if landscape else 88) if letter else (124 if landscape else 84)
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    scale = int(ws.page_setup.scale or 100)
    page = room / 0.7  # what a page holds at 70%
    sliver = room / width >= 0.6 and width - page < page / 4
    if fit:
        check(room / width >= 0.7 or sliver,
              "sheet %r fits %.0f characters to %d: %.0f%% scale, under 70%% and printing across "
              "would not leave a sliver" % (ws.title, width, room, 100 * room / width))
    else:
        check(scale >= 70, "sheet %r prints at %d%%, under 70%%" % (ws.title, scale))
        check(width <= room or scale < 100, "sheet %r: %.0f characters on a page of %d at 100%%"
              % (ws.title, width, room))
        check(not (width * scale / 100 > room + 0.5 and sliver),
              "sheet %r prints %.0f characters over pages of %.0f across: its last page holds %.0f, "
              "under a quarter of a page, where fitting it to one page keeps %.0f%%"
              % (ws.title, width, page, width - page, 100 * room / width))
    if not fit and width * scale / 100 > room + 0.5:
        # over pages across: every page starts with the key columns, those
        # frozen on screen (a per-window table: the window and the channel)
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import coordinate_from_string
        frozen = column_index_from_string(coordinate_from_string(ws.freeze_panes or "A1")[0]) - 1
        want = "A:%s" % get_column_letter(max(frozen, 1))
        check((ws.print_title_cols or "").replace("$", "") == want,
              "sheet %r prints over pages across with columns %r repeated, not %s"
              % (ws.title, ws.print_title_cols, want))


def cells_of(wb, ref):
    """The values of a chart's range such as Overview!$I$58:$I$67."""
    sheet, rng = ref.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[rng.replace("$", "")] for c in row]


def grey_level(rgb):
    return sum(int(rgb[i:i + 2], 16) for i in (0, 2, 4)) / 3


def check_close_rate_chart(path, wb, metrics):
    """The Overview's close rate by channel: bars from zero to each channel's
    rate (a clustered chart, every bar its rate), the 95% interval as whiskers
    (error bars from the rate down to the low and up to the high end), and the
    bar of a rate on few closed deals (close_rate_n under the minimum, as the
    PDF and the Channels sheet flag it; without that count, few MQLs) light,
    the others full; every bar in its channel's colour, as on every chart
    (the Channels sheet's revenue bars), faded on few cases as the PDF fades
    it."""
    rows = metrics.get("by_channel", {}).get("13w", [])
    if not any(r.get("close_rate") is not None for r in rows):
        return
    xml = chart_xml(path, "Close rate by channel")
    if not check(xml, "the Overview has no close rate chart"):
        return
    title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
    minimum = metrics.get("qualification", {}).get("low_sample_min", 30)
    by_deals = bool(rows) and "close_rate_n" in rows[0]
    want = "(light: under %d %s)" % (minimum, "closed deals" if by_deals else "MQLs")
    check(want in title, "the close rate chart's title %r does not say %r" % (title, want))
    wb = openpyxl.load_workbook(path, data_only=True)  # a formula's stored result
    check('<c:grouping val="clustered"/>' in xml and "stacked" not in xml.lower(),
          "the close rate chart is stacked: its bars float instead of starting at zero")
    bars, whiskers = {}, {}
    for ser in re.findall(r"<c:ser>.*?</c:ser>", xml, re.S):
        cats = cells_of(wb, re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", ser, re.S).group(1))
        vals = cells_of(wb, re.search(r"<c:val>.*?<c:f>([^<]*)</c:f>", ser, re.S).group(1))
        filled = re.search(r"^<c:ser>.*?<c:spPr><a:solidFill><a:srgbClr val=\"(\w+)\"", ser, re.S)
        for name, v in zip(cats, vals):
            if v is None or v == "":
                continue
            if filled and "<c:spPr><a:noFill/>" not in ser.split("<c:errBars>")[0]:
                bars[name] = (v, filled.group(1))
            err = re.search(r'<c:errBars><c:errBarType val="(\w+)"/><c:errValType val="fixedVal"/>'
                            r'<c:val val="([^"]+)"/>', ser)
            if err:
                whiskers[(name, err.group(1))] = float(err.group(2))
    def few(r):
        return r["close_rate_n"] < minimum if by_deals else bool(r.get("low_sample"))
    def faded(rgb):  # 65% white, the PDF's 35% opacity on white
        parts = [int(rgb[i:i + 2], 16) for i in (0, 2, 4)]
        return "".join("%02X" % int(c + (255 - c) * 0.65 + 0.5) for c in parts)
    own = chart_colours(path, wb, "Revenue by channel") or {}
    compared = 0
    for r in rows:
        name = channel_words(r["channel"])
        if name in bars and own.get(name):
            want = faded(own[name]) if few(r) else own[name]
            compared += 1
            check(bars[name][1].upper() == want.upper(),
                  "the close rate chart draws %s in %s, its channel's colour is %s%s"
                  % (name, bars[name][1], own[name], " (faded: %s)" % want if few(r) else ""))
    check(compared > 0, "no close rate bar compared with its channel's colour")
    for r in rows:
        name, rate = channel_words(r["channel"]), r.get("close_rate")
        if rate is None:
            continue
        if not check(name in bars, "the close rate chart has no bar of %s" % name):
            continue
        check(same(rate, bars[name][0]), "the close rate chart's bar of %s is %r, its rate %r"
              % (name, bars[name][0], rate))
        lo, hi = r.get("close_rate_ci_low"), r.get("close_rate_ci_high")
        if lo is None or hi is None:
            continue
        for end, want in (("minus", rate - lo), ("plus", hi - rate)):
            got = whiskers.get((name, end))
            check(got is not None and math.isclose(got, want, abs_tol=1e-9),
                  "the close rate chart's whisker %s of %s is %r, want %r" % (end, name, got, want))


def check_top_campaigns(path, metrics):
    """The Overview's top campaigns by ROI rank real campaigns, not "unknown"
    (leads and spend without a campaign); those whose ROI rests on enough MQLs
    come first, by ROI, then those with low_sample, by ROI, drawn lighter:
    one deal puts such a campaign on top by chance."""
    xml = chart_xml(path, "Top campaigns by ROI")
    if not check(xml, "the Overview has no top campaigns chart"):
        return
    wb = openpyxl.load_workbook(path, data_only=True)
    ref = re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", xml, re.S).group(1)
    cells = cells_of(wb, ref)
    names = [n for n in cells if n]
    rows = {r["campaign"]: r for r in metrics["by_campaign"]["13w"]}
    # the two rankings are parted by an empty category (a gap in the chart)
    # when both are there, and the title says what the gap means
    flags = [None if not n else bool(rows.get(n, {}).get("low_sample")) for n in cells]
    both = True in flags and False in flags
    gaps = [k for k, f in enumerate(flags) if f is None]
    if both:
        k = flags.index(True)
        check(gaps == [k - 1] and flags[k - 2] is False,
              "the top campaigns chart has no gap between the two rankings: %r" % list(zip(cells, flags)))
        check("MQLs or more, then fewer (light)" in xml,
              "the top campaigns chart's title does not say what its two rankings are")
    else:
        check(not gaps, "the top campaigns chart has a gap with one ranking only: %r" % cells)
    # the names at the chart's edge, clear of a negative bar's label
    cat = re.search(r"<c:catAx>(.*?)</c:catAx>", xml, re.S)
    check(cat and '<c:tickLblPos val="low"/>' in cat.group(1),
          "the top campaigns chart writes its names beside the zero line, over negative bars")
    # every bar named (a spreadsheet skips labels it finds crowded), each
    # name at most 28 characters: a longer one cut in the middle with "…"
    check(cat and '<c:tickLblSkip val="1"/>' in cat.group(1),
          "the top campaigns chart may leave every other campaign unnamed")
    for n in names:
        whole = n in rows
        cut = "\u2026" in n and any(r.startswith(n.split("\u2026")[0]) and r.endswith(n.split("\u2026")[1])
                                     and len(r) > 28 for r in rows)
        check(len(n) <= 28 and (whole or cut),
              "the top campaigns chart names %r: not a campaign's name or its cut to 28 characters" % n)
    check(names, "the top campaigns chart names no campaign")
    check("unknown" not in names, "the top campaigns chart ranks 'unknown'")
    few = [bool(rows.get(n, {}).get("low_sample")) for n in names]
    check(few == sorted(few), "the top campaigns chart ranks a campaign of few MQLs before one of "
          "enough: %r" % list(zip(names, few)))
    for flag in (False, True):
        roi = [rows[n]["roi"] for n, f in zip(names, few) if f == flag and n in rows]
        check(roi == sorted(roi, reverse=True), "the top campaigns are not in ROI order: %r" % roi)
    fills = {int(i): c for i, c in re.findall(
        r'<c:dPt><c:idx val="(\d+)"/>.*?<a:srgbClr val="(\w+)"', xml, re.S)}
    for k, (n, f) in enumerate((n, bool(rows.get(n, {}).get("low_sample"))) for n in cells):
        if not n:
            continue
        c = fills.get(k)
        if check(c is not None, "the top campaigns chart's bar of %s has no colour of its own" % n):
            check((grey_level(c) > 150) == f, "the top campaigns chart's bar of %s is %s: %s"
                  % (n, c, "light, but its ROI rests on enough MQLs" if not f
                     else "dark, but its ROI rests on few MQLs"))
    # each bar says its ROI: a light bar after the dark ones may be longer
    labels = re.search(r"<c:dLbls>(.*?)</c:dLbls>", xml, re.S)
    check(labels and '<c:showVal val="1"/>' in labels.group(1) and 'formatCode="#,##0%;' in labels.group(1),
          "the top campaigns chart's bars do not say their ROI as a percent, grouped (1,210%)")
    # its ROI axis ends past the longest bar, with room for its label, at
    # most four steps on, and not so far that the bars fill little of it
    top = max([rows[n]["roi"] for n in names if n in rows and rows[n].get("roi") is not None] or [0])
    val = re.search(r"<c:valAx>(.*?)</c:valAx>", xml, re.S)
    end = re.search(r'<c:max val="([^"]+)"/>', val.group(1)) if val else None
    unit = re.search(r'<c:majorUnit val="([^"]+)"/>', val.group(1)) if val else None
    if top > 0 and check(end and unit, "the top campaigns chart's ROI axis has no set end and steps"):
        end, unit = float(end.group(1)), float(unit.group(1))
        check(end >= top * 1.3 and end / unit <= 4 + 1e-9 and top / end >= 0.6,
              "the top campaigns chart's ROI axis runs to %s in steps of %s for a longest bar of %s"
              % (end, unit, top))


def check_cost_chart(path, wb, metrics):
    """The Overview's cost per MQL by channel: a channel whose cost is not
    applicable has no bar, and its name says why, never to be read as $0:
    "(no spend)" for a cost of 0 or no row this week, "(no MQLs)" for null."""
    xml = chart_xml(path, "Cost per MQL by channel")
    if not check(xml, "the Overview has no cost per MQL chart"):
        return
    cats = cells_of(wb, re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", xml, re.S).group(1))
    now = {r["channel"]: r for r in metrics.get("by_channel", {}).get("1w", [])}
    # the channel charts are a ranking (the FT's ordered bars): by this
    # week's MQLs, most first, then by name, unknown last, and the MQLs
    # chart beside it in the same order
    rows = sorted(metrics.get("by_channel", {}).get("13w", []),
                  key=lambda r: (r["channel"] == "unknown",
                                 -((now.get(r["channel"]) or {}).get("mqls") or 0), r["channel"]))
    mql_cats = cells_of(wb, re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", chart_xml(path, "MQLs by channel"),
                                      re.S).group(1))
    check(mql_cats == [channel_words(r["channel"]) for r in rows],
          "the MQLs by channel chart ranks %s, not by this week's MQLs: %s"
          % (mql_cats, [r["channel"] for r in rows]))
    check(len(cats) == len(rows), "the cost per MQL chart names %d channels, not %d"
          % (len(cats), len(rows)))
    # each name on one line (its spaces no-break spaces: a spreadsheet wrapped
    # "Content syndication (no MQLs)" onto three and then left every other
    # channel unnamed), a channel's name of more than 28 characters cut in
    # the middle as the top campaigns' are
    def cut(words):
        return words if len(words) <= 28 else words[:14] + "\u2026" + words[-13:]
    for name, r in zip(cats, rows):
        row = now.get(r["channel"])
        cost = row.get("cost_per_mql") if row else 0
        want = cut(channel_words(r["channel"])) + (" (no spend)" if cost == 0 else " (no MQLs)" if cost is None else "")
        check(name == want.replace(" ", "\u00a0"), "the cost per MQL chart names %r, not %r on one line"
              % (name, want))
    # every channel named on both channel charts: a spreadsheet skips every
    # other name it finds crowded unless told the interval
    for title in ("MQLs by channel", "Cost per MQL by channel"):
        cat = re.search(r"<c:catAx>(.*?)</c:catAx>", chart_xml(path, title) or "", re.S)
        check(cat and '<c:tickLblSkip val="1"/>' in cat.group(1),
              "the %s chart may leave every other channel unnamed" % title)
    # a cost on few of this week's MQLs is a lighter shade of its channel's
    # colour (the MQL chart's bar of the same channel beside it is full)
    minimum = metrics.get("qualification", {}).get("low_sample_min") or 30
    mine = {int(i): c for i, c in re.findall(
        r'<c:dPt><c:idx val="(\d+)"/>.*?<a:srgbClr val="(\w+)"', xml, re.S)}
    full = {int(i): c for i, c in re.findall(
        r'<c:dPt><c:idx val="(\d+)"/>.*?<a:srgbClr val="(\w+)"', chart_xml(path, "MQLs by channel"), re.S)}
    few = 0
    for k, r in enumerate(rows):
        n = (now.get(r["channel"]) or {}).get("mqls") or 0
        if k not in mine or k not in full:
            continue
        light = 0 < n < minimum
        few += light
        check((mine[k] != full[k] and grey_level(mine[k]) > grey_level(full[k])) == light,
              "the cost per MQL chart's bar of %s (%d MQLs this week) is %s, its channel's %s"
              % (r["channel"], n, mine[k], full[k]))
    check(not few or "(light: under %d MQLs)" % minimum in xml,
          "the cost per MQL chart draws few-MQL costs light without saying so")


def check_count_axes(path, metrics):
    """Counts on the Overview's charts go in whole steps: below 10 a
    spreadsheet's own steps are halves ("0.5 SQLs")."""
    series = {"Weekly %s," % lab: max([r.get(k) or 0 for r in metrics.get("kpi_trend", [])] or [0])
              for k, lab in (("leads", "leads"), ("mqls", "MQLs"), ("sqls", "SQLs"), ("wins", "wins"))}
    series["MQLs by channel"] = max([r.get("mqls") or 0 for r in
                                     metrics.get("by_channel", {}).get("1w", [])] or [0])
    for title, top in series.items():
        xml = chart_xml(path, title)
        if not check(xml, "the Overview has no chart %r" % title) or top >= 10:
            continue
        check('<c:majorUnit val="1"/>' in xml,
              "the Overview's %r counts up to %s in steps other than 1" % (title, top))


def check_small_samples(wb, metrics):
    """The Channels and Campaigns sheets draw a rate or ROI of a row with
    low_sample in grey, and a close rate on fewer closed deals than
    low_sample_min (its close_rate_n), and no other figure; a note beside
    the title and in the printed pages' footer says so."""
    cp = catalogue()
    minimum = metrics.get("qualification", {}).get("low_sample_min")
    total_own = 0
    for sheet, part, key in (("Channels", "by_channel", "channel"), ("Campaigns", "by_campaign", "campaign")):
        if sheet not in wb.sheetnames or not isinstance(metrics.get(part), dict):
            continue
        ws = wb[sheet]
        hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Window")
        cols = {ws.cell(hdr, c).value: c for c in range(1, ws.max_column + 1)}
        watched = [(cols[cp.get(k, "label")], k) for k in ("mql_to_sql_rate", "close_rate", "roi", "leads", "mqls")
                   if cp.get(k, "label") in cols]
        check(len(watched) >= 3, "%s: the columns %r lack the rates" % (sheet, sorted(cols)))
        windows = {cp.get(w, "label"): w for w in metrics[part]}
        kinds, own, rows = set(), 0, 0
        for r in range(hdr + 1, ws.max_row + 1):
            w = windows.get(ws.cell(r, 1).value)
            if w is None:
                break
            rows += 1
            row = next(x for x in metrics[part][w] if shown(key, x[key]) == ws.cell(r, 2).value)
            for c, k in watched:
                if row.get(k) is None:
                    continue
                ink = ws.cell(r, c).font.color
                grey = ink is not None and ink.rgb == "FF666666"
                few = bool(row.get("low_sample")) and k not in ("leads", "mqls")
                n = row.get(k + "_n")
                mine = bool(minimum) and n is not None and 1 <= n < minimum and not few
                check(grey == (few or mine), "%s row %d (%s %s): %s %s grey, low_sample %r, %s_n %r"
                      % (sheet, r, w, row[key], k, "is" if grey else "is not", row.get("low_sample"), k, n))
                if few and grey:
                    kinds.add("ROI" if k == "roi" else "rates")
                own += mine and grey
        check(rows == sum(len(v) for v in metrics[part].values()),
              "%s: %d rows read of %d" % (sheet, rows, sum(len(v) for v in metrics[part].values())))
        title = " ".join(str(ws.cell(1, c).value) for c in range(1, 4) if ws.cell(1, c).value)
        foot = ws.oddFooter.center.text or ""
        said = [("Grey %s: %s" % (" and ".join(sorted(kinds, reverse=True)),
                                  "fewer than %d MQLs" % minimum if minimum else "few MQLs"), bool(kinds)),
                ("Grey: a figure on fewer than %d cases" % (minimum or 0), own > 0)]
        for text, want in said:
            for where, got in (("the printed pages' footer", foot), ("the title", title)):
                check((text in got) == want, "%s: %s %r %s %r" % (sheet, where, got,
                                                                 "says" if text in got else "does not say", text))
        total_own += own
    return total_own


def check_unusual_words(wb, metrics):
    """Week on week's What changed: "Outside normal variation" is yes or no
    where a spread over the weeks says so (a z-score), "—" where none does
    (too few weeks). Returns how many rows had no z-score."""
    cp = catalogue()
    ws = wb["Week on week"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "KPI")
    first = next((r for r in range(hdr + 1, ws.max_row + 1) if ws.cell(r, 1).value == "KPI"), None)
    rows = metrics.get("what_changed") or []
    if not check(first is not None and rows, "Week on week: no What changed table"):
        return 0
    heads = {ws.cell(first, c).value: c for c in range(1, ws.max_column + 1)}
    c = heads.get(cp.get("unusual", "label"))
    if not check(c is not None, "Week on week: no %r column" % cp.get("unusual", "label")):
        return 0
    none = 0
    for i, row in enumerate(rows):
        got = ws.cell(first + 1 + i, c).value
        want = "\u2014" if row.get("z_score") is None else "yes" if row.get("unusual") else "no"
        none += row.get("z_score") is None
        check(got == want, "What changed %s: outside normal variation %r, not %r (z-score %r)"
              % (row["kpi"], got, want, row.get("z_score")))
    return none


def check_few_cases(wb, metrics):
    """The Windows sheet draws a metric's figure in grey in a window where
    its count of cases (its "_n") is under low_sample_min (none at all for a
    figure that is there all the same: a ROI without a won deal);
    the Week on week sheet draws this week's figure of a KPI with
    low_sample and its change in grey; the Trend sheet a week's figure on
    its own few cases; and each says so beside its title."""
    cp = catalogue()
    minimum = metrics.get("qualification", {}).get("low_sample_min")
    windows = metrics.get("windows")
    if not minimum or not isinstance(windows, dict) or "Windows" not in wb.sheetnames:
        return
    def label(key):
        for suffix, words in (("_ci_low", " (95% low)"), ("_ci_high", " (95% high)"), ("_n", ": cases")):
            if key.endswith(suffix) and cp.has_section(key[:-len(suffix)]):
                return cp.get(key[:-len(suffix)], "label") + words
        return cp.get(key, "label") if cp.has_section(key) else None
    def grey(cell):
        return cell.font.color is not None and cell.font.color.rgb == "FF666666"
    # a CAC and a ROI move by whole deals: the CAC's cases are the window's
    # wins, the ROI's its won deals (revenue's, a customer's further ones too)
    for w, m in windows.items():
        for key, count in (("cac", "wins"), ("roi", "won_deals")):
            check(m.get(key + "_n") == m.get(count),
                  "windows %s %s_n %r, %s %r" % (w, key, m.get(key + "_n"), count, m.get(count)))
    ws = wb["Windows"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Metric")
    cols = {cp.get(w, "label"): w for w in windows}
    keys = {label(k): k for k in windows["1w"]}
    greys = checked = 0
    for r in range(hdr + 1, ws.max_row + 1):
        key = keys.get(ws.cell(r, 1).value)
        if key is None:
            continue
        base = re.sub(r"_ci_(low|high)$", "", key)
        for c in range(2, ws.max_column + 1):
            w = cols.get(ws.cell(hdr, c).value)
            if w is None or windows[w].get(key) is None:
                continue
            n = windows[w].get(base + "_n") if not key.endswith("_n") else None
            # the figure is there: on no case at all it measures nothing yet
            want = n is not None and 0 <= n < minimum
            # a figure without cases of its own, derived from statistics that
            # have them (the catalogue's cases: a CLV from the average deal
            # size), rests on theirs
            if n is None and not key.endswith("_n") and cp.has_option(base, "cases"):
                n = [windows[w].get(k.strip() + "_n") for k in cp.get(base, "cases").split(";")]
                want = any(k is not None and 1 <= k < minimum for k in n)
            check(grey(ws.cell(r, c)) == want, "Windows %s %s (%r cases): %s grey"
                  % (w, key, n, "is" if grey(ws.cell(r, c)) else "is not"))
            greys += want
            checked += 1
    check(checked > 50, "Windows: only %d figures checked" % checked)
    ws = wb["Week on week"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "KPI")
    # a KPI whose cohort is still converting (the catalogue's `young`):
    # this week's figure and its change are not comparable yet, grey too
    def young(kpi):
        return cp.has_section(kpi) and cp.has_option(kpi, "young")
    youngs = 0
    for i, row in enumerate(metrics.get("summary", [])):
        r = hdr + 1 + i
        check(ws.cell(r, 1).value == cp.get(row["kpi"], "label"),
              "Week on week row %d is %r, not %s" % (r, ws.cell(r, 1).value, row["kpi"]))
        muted = bool(row.get("low_sample")) or young(row["kpi"])
        youngs += young(row["kpi"]) and row["this_week"] is not None
        if row["this_week"] is not None:
            check(grey(ws.cell(r, 2)) == muted,
                  "Week on week %s (%r cases): this week %s grey" % (row["kpi"], row.get("n"),
                                                                   "is" if grey(ws.cell(r, 2)) else "is not"))
        if row["change"] is not None:
            check(grey(ws.cell(r, 4)) == muted,
                  "Week on week %s (%r cases): the change %s grey" % (row["kpi"], row.get("n"),
                                                                    "is" if grey(ws.cell(r, 4)) else "is not"))
        check(not grey(ws.cell(r, 3)), "Week on week %s: last week grey" % row["kpi"])
        greys += bool(row.get("low_sample")) and row["this_week"] is not None
        # on no case at all, a small sample is not applicable: "—", not "no";
        # unless the figure is there all the same (a ROI without a won deal)
        heads = [ws.cell(hdr, c).value for c in range(1, ws.max_column + 1)]
        if row.get("n") == 0 and cp.get("low_sample", "label") in heads:
            flag = ws.cell(r, heads.index(cp.get("low_sample", "label")) + 1).value
            want = "yes" if row.get("low_sample") else "\u2014"
            check(flag == want, "Week on week %s rests on no case, its small sample %r, not %r"
                  % (row["kpi"], flag, want))
    # What changed, below: a young KPI's distance from its 13-week mean and
    # "outside normal variation" are grey too, a mature one's are not
    ws = wb["Week on week"]
    heads = {}
    first = next((r for r in range(hdr + 1, ws.max_row + 1) if ws.cell(r, 1).value == "KPI"), None)
    rows = metrics.get("what_changed") or []
    check(first is not None and rows, "Week on week: no What changed table")
    if first is not None:
        heads = {ws.cell(first, c).value: c for c in range(1, ws.max_column + 1)}
        for i, row in enumerate(rows):
            r = first + 1 + i
            check(ws.cell(r, 1).value == cp.get(row["kpi"], "label"),
                  "What changed row %d is %r, not %s" % (r, ws.cell(r, 1).value, row["kpi"]))
            for key in ("z_score", "unusual"):
                c = heads.get(cp.get(key, "label"))
                if c is None or row.get(key) is None or row.get("z_score") is None:
                    continue  # no figure, or "—" where no spread says (check_unusual_words)
                check(grey(ws.cell(r, c)) == young(row["kpi"]),
                      "What changed %s: %s %s grey" % (row["kpi"], key, "is" if grey(ws.cell(r, c)) else "is not"))
    title = " ".join(str(ws.cell(1, c).value) for c in range(1, 4) if ws.cell(1, c).value)
    check(not youngs or "cohort still converting" in title,
          "Week on week: young KPIs in grey, and the title %r does not say why" % title)
    for sheet in ("Windows", "Week on week"):
        ws = wb[sheet]
        title = " ".join(str(ws.cell(1, c).value) for c in range(1, 4) if ws.cell(1, c).value)
        said = "Grey: a figure on fewer than %d cases" % minimum in title
        check(said or not greys, "%s: grey figures, and the title %r does not say so" % (sheet, title))
    # Trend: a week's figure with a count of cases of its own beside it
    # (the MQL -> SQL rate, the medians) is grey when that count is few
    trend = metrics.get("kpi_trend") or []
    if not trend or "Trend" not in wb.sheetnames:
        return
    ws = wb["Trend"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Week")
    keys = {label(k): k for k in trend[0]}
    # the counts themselves are left out of the sheet (workbook.ini's hide)
    shown = [ws.cell(hdr, c).value for c in range(1, ws.max_column + 1)]
    check(not [h for h in shown if keys.get(h, "").endswith("_n")],
          "Trend shows counts of cases as columns: %r" % shown)
    greys = with_cases = 0
    for i, row in enumerate(trend):
        r = hdr + 1 + i
        check(ws.cell(r, 1).value == row["week"],
              "Trend row %d is %r, not %s" % (r, ws.cell(r, 1).value, row["week"]))
        for c in range(2, ws.max_column + 1):
            key = keys.get(ws.cell(hdr, c).value)
            if key is None or row.get(key) is None:
                continue
            n = row.get(key + "_n")
            want = n is not None and 0 <= n < minimum  # the figure is there
            check(grey(ws.cell(r, c)) == want, "Trend %s %s (%r cases): %s grey"
                  % (row["week"], key, n, "is" if grey(ws.cell(r, c)) else "is not"))
            greys += want
            with_cases += n is not None
    check(with_cases > 0, "Trend: no figure has a count of cases beside it")
    title = " ".join(str(ws.cell(1, c).value) for c in range(1, 4) if ws.cell(1, c).value)
    said = "Grey: a figure on fewer than %d cases" % minimum in title
    check(said or not greys, "Trend: grey figures, and the title %r does not say so" % title)


def shown_text(v, fmt):
    """The text a number shows in under the writer's number formats ("$"#,##0.00,
    0.0%, #,##0, 0.0 "h", +0.0%;"−"0.0%;"±0%" …)."""
    pos = fmt.split(";")[0]
    lit = "".join(re.findall(r'"([^"]*)"', pos))
    body = re.sub(r'"[^"]*"', "", pos)
    dec = len(body.split(".")[1].rstrip("%# ")) if "." in body else 0
    x = v * 100 if "%" in body else v
    s = format(x, ",.%df" % dec) if "," in body else format(x, ".%df" % dec)
    sign = "+" if body.startswith("+") and x >= 0 else ""
    if pos.startswith('"'):
        return lit + sign + s + ("%" if "%" in body else "")
    return sign + s + ("%" if "%" in body else "") + lit


def check_numbers_fit(wb):
    """Every number is as narrow as its column, on screen too (below the print
    area as well): a spreadsheet shows ### for one that is wider. Widths in
    digits; a separator or a space counts half."""
    from openpyxl.utils import get_column_letter
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v, fmt = c.value, c.number_format
                if isinstance(v, bool) or not isinstance(v, (int, float)) or fmt == "General" or "yy" in fmt:
                    continue
                dim = ws.column_dimensions.get(get_column_letter(c.column))
                width = (dim.width if dim is not None and dim.width else 8.43) - 0.71
                text = shown_text(v, fmt)
                need = sum(0.5 if ch in ",. " else 1 for ch in text)
                check(need <= width, "%s!%s shows %r in a column %.1f wide: ###"
                      % (ws.title, c.coordinate, text, width))


def chart_colours(path, wb, title_start):
    """{category: fill colour} of the bars of the chart whose title starts so."""
    xml = chart_xml(path, title_start)
    if xml is None:
        return None
    ref = re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", xml, re.S).group(1)
    names = cells_of(wb, ref)
    fills = {int(i): c for i, c in re.findall(
        r'<c:dPt><c:idx val="(\d+)"/>.*?<a:srgbClr val="(\w+)"', xml, re.S)}
    return {n: fills.get(k) for k, n in enumerate(names) if n}


def check_channel_colours(path, wb):
    """A channel has one colour on every sheet: the Channels sheet's revenue
    bars as the Overview's MQL bars."""
    ov = chart_colours(path, wb, "MQLs by channel")
    rev = chart_colours(path, wb, "Revenue by channel")
    if not check(ov and rev, "no MQLs-by-channel or revenue-by-channel chart"):
        return
    for name, colour in rev.items():
        if name in ov:
            check(colour is not None and colour == ov[name],
                  "the revenue by channel chart draws %s in %r, the Overview in %r" % (name, colour, ov[name]))


def wcag_contrast_on_white(hexrgb):
    """WCAG 2's contrast ratio of 0xRRGGBB against white."""
    def lin(c):
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hexrgb[i:i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 1.05 / (lum + 0.05)


def check_light_bars_edged(path):
    """A bar filled in a colour that hardly shows on white (Okabe-Ito's
    yellow, 1.2:1) has an outline, on every chart of the workbook; the
    sample has a paid_search bar in that yellow, so the check runs on one."""
    seen = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not re.match(r"xl/charts/chart\d+\.xml$", name):
                continue
            xml = z.read(name).decode()
            for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
                # the series' own shape, then each point's
                head = ser.split("<c:dPt>")[0]
                own = re.search(r"<c:spPr>(.*?)</c:spPr>", head, re.S)
                shapes = ([own.group(1)] if own else []) + re.findall(
                    r"<c:dPt>.*?<c:spPr>(.*?)</c:spPr>.*?</c:dPt>", ser, re.S)
                for sp in shapes:
                    fill = re.match(r'<a:solidFill><a:srgbClr val="(\w{6})"/>', sp)
                    if not fill or wcag_contrast_on_white(fill.group(1)) >= 1.5:
                        continue
                    seen += 1
                    check(re.search(r'<a:ln[^>]*><a:solidFill><a:srgbClr val="\w{6}"/>', sp),
                          "%s: a bar in %s (%.2f:1 on white) has no outline" %
                          (name, fill.group(1), wcag_contrast_on_white(fill.group(1))))
    check(seen > 0, "no bar in a light colour: the check of their outlines checked nothing")


def check_young_labels(wb, metrics):
    """A headline figure whose cohort is still converting (the catalogue's
    `young`), on enough cases, is flagged under its label on the Overview:
    its change is large and left unjudged. Returns how many were seen."""
    cp = catalogue()
    ws = wb["Overview"]
    seen = 0
    for i, row in enumerate(metrics.get("what_changed", [])):
        if row.get("low_sample") or not cp.has_option(row["kpi"], "young") or row.get("this_week") is None:
            continue  # a dash has nothing to compare
        want = cp.get(row["kpi"], "label") + "\n(not yet comparable)"
        got = ws.cell(6 + i, 1).value
        check(got == want, "Overview: the young %s is labelled %r, not %r" % (row["kpi"], got, want))
        seen += 1
    return seen


def check_score_formats(wb):
    """A score's number format has no optional decimal: "0.#" shows 63.04 as
    "63." in Excel (a trailing point); a whole score is "0", any other "0.0"."""
    seen = 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, float) and ".#" in (c.number_format or ""):
                    check(False, "%s!%s: %r formatted %r, a trailing point in Excel"
                          % (ws.title, c.coordinate, c.value, c.number_format))
                seen += isinstance(c.value, float)
    check(seen, "the workbook holds no number with a fraction")


def check_drilldown_gaps(wb):
    """On a drill-down sheet, a name after a right-aligned time or count is
    indented, clear of it ("2026-11-12 21:35 UTC webinar" read as one)."""
    import datetime
    seen = 0
    for ws in wb:
        if not ws.title.endswith("this week"):
            continue
        hdr = next((r for r in range(1, 10) if ws.cell(r, 1).value == "Lead ID"), None)
        if hdr is None or ws.max_row <= hdr:
            continue
        for c in range(2, ws.max_column + 1):
            cells = [ws.cell(r, c) for r in range(hdr + 1, ws.max_row + 1)]
            before = [ws.cell(r, c - 1).value for r in range(hdr + 1, ws.max_row + 1)]
            if not any(isinstance(x.value, str) for x in cells) or not any(
                    isinstance(b, (int, float, datetime.datetime)) and not isinstance(b, bool) for b in before):
                continue
            for x in cells:
                if isinstance(x.value, str):
                    seen += 1
                    check((x.alignment.indent or 0) >= 1, "%s!%s: %r right after a right-aligned %s, "
                          "not indented" % (ws.title, x.coordinate, x.value, ws.cell(hdr, c - 1).value))
    check(seen, "no drill-down name after a time or a count was checked")


def check_threshold_mark(wb, metrics):
    """The threshold sweep highlights the report's MQL threshold, and its
    title says so (a marker right of the row printed alone on the last page
    across); nothing is written right of the table."""
    th = metrics.get("report", {}).get("mql_threshold")
    sweep = metrics.get("threshold_sweep") or []
    if th is None or not sweep or "Scoring calibration" not in wb.sheetnames:
        return
    ws = wb["Scoring calibration"]
    want = "Threshold sweep (highlighted: MQL threshold, %g)" % th
    title = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == want), None)
    if not check(title, "Scoring calibration: no title %r over the threshold sweep" % want):
        return
    hdr = title + 1
    width = sum(1 for c in range(1, ws.max_column + 1) if ws.cell(hdr, c).value is not None)
    marked = []
    for rng in ws.conditional_formatting:
        for cr in rng.sqref.ranges:
            if cr.min_row > hdr and cr.min_row == cr.max_row and cr.min_col == 1:
                marked.append((ws.cell(cr.min_row, 1).value, cr.max_col))
    check(marked == [(th, width)], "Scoring calibration: the rows highlighted %r, want the threshold %r "
          "across the table's %d columns" % (marked, th, width))
    for r in range(hdr, hdr + len(sweep) + 1):
        check(ws.cell(r, width + 1).value is None, "Scoring calibration: %r right of the sweep's row %d"
              % (ws.cell(r, width + 1).value, r))


def check_band_chart(path, metrics):
    """The Scoring calibration chart, a rate by score band: its axis ends at
    100% (a rate cannot pass it), and the bar of a band of few leads (its
    low_sample) is light, which the title says."""
    bands = metrics.get("score_bands") or []
    if not bands:
        return
    xml = chart_xml(path, "SQL rate by score band")
    if not check(xml, "no chart of the SQL rate by score band"):
        return
    check('<c:max val="1"/>' in xml, "the score band chart's rate axis does not end at 100%")
    title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
    few = [b["band"] for b in bands if b.get("low_sample")]
    minimum = metrics.get("qualification", {}).get("low_sample_min", 30)
    want = "(light: under %d leads)" % minimum
    check((want in title) == bool(few), "the score band chart's title %r %s %r (bands of few leads: %s)"
          % (title, "lacks" if few else "has", want, few))
    fills = dict(re.findall(r'<c:dPt><c:idx val="(\d+)"/><c:spPr><a:solidFill><a:srgbClr val="(\w+)"/>', xml))
    for i, b in enumerate(bands):
        colour = fills.get(str(i), "333333")
        light = grey_level(colour) > 180
        check(light == bool(b.get("low_sample")), "the score band chart's bar of band %s (%d leads) is %s"
              % (b["band"], b["leads"], "light" if light else "dark"))


def check_glossary_units(wb, cp):
    """The Glossary names every figure's unit as the outputs show it: a
    median kept in minutes but formatted in hours says hours, and its
    figure on the Overview carries the same unit."""
    ws = wb["Glossary"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Term")
    unit_of = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(hdr + 1, ws.max_row + 1)}
    # a row read from its top: a term or a unit at the foot of a row whose
    # definition wraps from the top sits beside the next definition
    for r in range(hdr + 1, ws.max_row + 1):
        where = {ws.cell(r, c).alignment.vertical or "bottom" for c in (1, 2, 3)}
        check(where == {"top"}, "Glossary row %d (%r): its cells aligned %s, not all at the top"
              % (r, ws.cell(r, 1).value, sorted(where)))
    terms = [ws.cell(r, 1).value for r in range(hdr + 1, ws.max_row + 1) if ws.cell(r, 1).value]
    twice = sorted({t for t in terms if terms.count(t) > 1})
    check(not twice, "Glossary: the terms %s are listed more than once" % twice)
    # a column of the row's metric (a 13-week mean or spread) has that
    # metric's unit, not "text"; a change is in points or percent, not a rate
    for key in cp.sections():
        label = cp.get(key, "label", fallback=key)
        if cp.getboolean(key, "averaged", fallback=False):
            check(unit_of.get(label) == "the metric's", "Glossary: %r in %r, not the metric's unit"
                  % (label, unit_of.get(label)))
        if cp.get(key, "format", fallback="") == "change":
            check(unit_of.get(label) == "pp or %", "Glossary: %r in %r, not in pp or %%"
                  % (label, unit_of.get(label)))
    shown = {"hours": "h", "days": "d"}
    seen = 0
    for key in cp.sections():
        fmt = cp.get(key, "format", fallback="")
        if fmt not in shown:
            continue
        label = cp.get(key, "label")
        check(unit_of.get(label) == fmt, "Glossary: %r in %r, but the outputs show it in %s"
              % (label, unit_of.get(label), fmt))
        seen += 1
    check(seen, "the catalogue has no figure shown in hours or days")
    ov = wb["Overview"]
    for r in range(6, 6 + 12):
        label = str(ov.cell(r, 1).value or "").split("\n")[0]
        key = next((k for k in cp.sections() if cp.get(k, "label", fallback=None) == label), None)
        if key and cp.get(key, "format", fallback="") in shown and isinstance(ov.cell(r, 2).value, (int, float)):
            unit = unit_of.get(label)
            check(shown.get(unit, "?") in ov.cell(r, 2).number_format,
                  "Overview %r: the format %r does not show the Glossary's unit %r"
                  % (label, ov.cell(r, 2).number_format, unit))


def check_cohort_shading(wb, metrics):
    """The Cohorts sheet's heat map leaves a week of few MQLs unshaded."""
    cohorts = metrics.get("cohorts")
    if "Cohorts" not in wb.sheetnames or not isinstance(cohorts, list) or not cohorts:
        return
    ws = wb["Cohorts"]
    hdr = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Week")
    shaded = set()
    for rng in ws.conditional_formatting:
        if any(rule.type == "colorScale" for rule in rng.rules):
            for cr in rng.sqref.ranges:
                for row in range(cr.min_row, cr.max_row + 1):
                    shaded.add(row)
    check(shaded, "Cohorts: no heat map")
    for i, row in enumerate(cohorts):
        r = hdr + 1 + i
        check(ws.cell(r, 1).value == row["week"], "Cohorts row %d is %r, not %r" % (r, ws.cell(r, 1).value, row["week"]))
        if row.get("sql_rate_1w") is None:
            continue
        check((r in shaded) != bool(row.get("low_sample")),
              "Cohorts %s (%d MQLs, low_sample %r) %s shaded" % (row["week"], row["mqls"], row.get("low_sample"),
                                                             "is" if r in shaded else "is not"))


def check_unknown_last(path, wb):
    """The Campaigns sheet ranks campaigns by revenue; the bucket of leads and
    spend without a campaign ("unknown") is no campaign: last in each window,
    and in the chart of the top campaigns only when all fit."""
    ws = wb["Campaigns"]
    hdr = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Campaign"), None)
    if not check(hdr, "the Campaigns sheet has no table"):
        return
    groups = {}
    for r in range(hdr + 1, ws.max_row + 1):
        w, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if w and name:
            groups.setdefault(w, []).append(name)
    for w, names in groups.items():
        if "unknown" in names:
            check(names[-1] == "unknown", "Campaigns %s: 'unknown' ranked among the campaigns: %r" % (w, names))
    # campaigns of the same revenue in alphabetical order, case ignored
    rev = next((c for c in range(1, ws.max_column + 1) if ws.cell(hdr, c).value == "Revenue"), None)
    if check(rev, "the Campaigns sheet has no Revenue column"):
        rows = [(ws.cell(r, 1).value, ws.cell(r, rev).value, ws.cell(r, 2).value)
                for r in range(hdr + 1, ws.max_row + 1) if ws.cell(r, 2).value not in (None, "unknown")]
        for a, b in zip(rows, rows[1:]):
            if a[0] == b[0] and a[1] == b[1]:
                check(str(a[2]).lower() <= str(b[2]).lower(),
                      "Campaigns %s: %r before %r, of the same revenue" % (a[0], a[2], b[2]))
    xml = chart_xml(path, "Revenue and spend of the top campaigns")
    if xml:
        shown = [n for n in cells_of(wb, re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", xml, re.S).group(1)) if n]
        last13 = groups.get("Last 13 weeks", [])
        if len(last13) > len(shown):
            check("unknown" not in shown, "the top campaigns by revenue chart ranks 'unknown': %r" % shown)


def model_words(cp, metrics):
    """The report's attribution model as a sentence names it: the short label of
    its revenue column ("W-shaped", "first touch"), never its key."""
    model = metrics["report"].get("attribution", "first_touch")
    words = cp.get("revenue_" + model, "short")
    if words[:1].isupper() and words[1:2].islower():
        words = words[0].lower() + words[1:]
    return model, words


def check_model_named(wb, pdf_text, metrics):
    """REPORTS.md: the model behind revenue and ROI is stated wherever they
    appear, in the reader's words: the Channels and Campaigns sheets beside
    their titles, the Overview's note, the Glossary, the PDF's notes."""
    cp = catalogue()
    model, words = model_words(cp, metrics)
    said = "Revenue and ROI by %s attribution." % words
    for name in ("Channels", "Campaigns"):
        ws = wb[name]  # the title starts right of the key columns on a sheet printed across
        title = " ".join(str(ws.cell(1, c).value) for c in range(1, 4) if ws.cell(1, c).value)
        check(said in title, "%s: the title %r does not say %r" % (name, title, said))
    ov = " ".join(str(c.value) for row in wb["Overview"].iter_rows() for c in row if isinstance(c.value, str))
    check("follow the %s attribution model" % words in ov,
          "the Overview's note does not name the model as %r" % words)
    # the headline figures' defined names read as words: MQL_SQL_rate, not MQL_____SQL_rate
    dn = wb.defined_names
    names = list(dn.keys()) if hasattr(dn, "keys") else [d.name for d in dn.definedName]
    check(names and all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*", n) for n in names),
          "the workbook's defined names are not words joined by single underscores: %s" % names)
    gl = wb["Contents"]  # how the report was made: below the index of sheets
    if "attribution" not in metrics["report"]:
        return
    # the decay that decides a score's MQLs with the threshold, stated too
    hl = metrics["report"].get("score_half_life_days")
    shown = next((gl.cell(r, 2).value for r in range(1, gl.max_row + 1) if gl.cell(r, 1).value == "Score half-life"), None)
    # in words, as the PDF says it: not "0.0 d", read as instant decay, nor "14.0 d"
    want = ("none: points do not decay" if hl == 0 else
            "%g day%s (behavioural points)" % (hl, "" if hl == 1 else "s"))
    check(hl is not None and shown == want,
          "the Contents' score half-life is %r, metrics.json's %r" % (shown, hl))
    shown = next((gl.cell(r, 2).value for r in range(1, gl.max_row + 1) if gl.cell(r, 1).value == "Attribution model"), None)
    check(shown == cp.get("revenue_" + model, "short"),
          "the Contents' attribution model is %r, not %r" % (shown, cp.get("revenue_" + model, "short")))
    if pdf_text is None:
        return
    flat = " ".join(pdf_text.split())
    check("by %s attribution" % words in flat, "the PDF never says \"by %s attribution\"" % words)
    key_words = model.replace("_", " ")
    if key_words != words:
        check(key_words not in flat, "the PDF names the model by its key: %r" % key_words)


def check_qualification_words(wb, metrics):
    """The Qualification health sheet's text values in words: the threshold's
    lean ("loose") and where MQLs come from ("export") are the catalogue's
    labels of [lean:loose] and [mql_source:export], as the Glossary says them."""
    cp = catalogue()
    q = metrics.get("qualification") or {}
    if not q:
        return
    ws = next((wb[n] for n in wb.sheetnames if n == "Qualification health"), None)
    if not check(ws is not None, "no Qualification health sheet"):
        return
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    for key in ("lean", "mql_source"):
        if q.get(key) is None:
            continue
        want = cp.get("%s:%s" % (key, q[key]), "label")
        got = cells.get(cp.get(key, "label"))
        check(got == want, "Qualification health %s: %r, want %r" % (key, got, want))
    # a threshold as the settings, the sweep and the PDF say it: "60", not "60.0"
    fmts = {ws.cell(r, 1).value: ws.cell(r, 2).number_format for r in range(1, ws.max_row + 1)}
    seen = 0
    for key in ("threshold", "candidate_threshold"):
        if q.get(key) is None:
            continue
        label = cp.get(key, "label")
        fmt = fmts.get(label, "")
        decimals = len(fmt.split(".")[1]) if "." in fmt else 0
        shown = "%.*f" % (decimals, cells.get(label) or 0)
        check(shown == "%g" % q[key], "Qualification health %s: %r shows as %r (format %r), "
              "not as %r" % (key, cells.get(label), shown, fmt, "%g" % q[key]))
        seen += 1
    check(seen, "Qualification health: no threshold checked")


def check_negative_formats(wb):
    """A negative number shows a minus (U+2212) as the PDF and the e-mail
    write it, not a hyphen: its number format has a negative section that
    says so."""
    bad = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v, fmt = c.value, c.number_format or "General"
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v >= 0 or fmt == "General":
                    continue
                neg = fmt.split(";")[1] if ";" in fmt else ""
                if "\u2212" not in neg:
                    bad.append("%s!%s %r as %r" % (ws.title, c.coordinate, v, fmt))
    check(not bad, "negative numbers shown with a hyphen: %s" % bad[:5])


def check_points_decimals(wb):
    """A change in points has one decimal under 100 points and none from 100 on
    ("−25.6 pp", "−1,286 pp"), as the PDF and the e-mail write it."""
    bad, seen = [], 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v, fmt = c.value, c.number_format or ""
                if isinstance(v, bool) or not isinstance(v, (int, float)) or '"pp"' not in fmt:
                    continue
                seen += 1
                if (".0" in fmt.split(";")[0]) != (abs(v) < 100):
                    bad.append("%s!%s %r as %r" % (ws.title, c.coordinate, v, fmt))
    check(seen and not bad, "changes in points with the wrong decimals (%d seen): %s" % (seen, bad[:5]))


def check_relative_decimals(wb):
    """A relative change has one decimal under 10% and none from 10% on
    ("+6.2%", "+19%") on every sheet, as the Overview, the PDF and the
    e-mail write it (the Week on week sheet wrote "+18.9%")."""
    bad, seen = [], 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v, fmt = c.value, c.number_format or ""
                if isinstance(v, bool) or not isinstance(v, (int, float)) or '"\u00b10%"' not in fmt:
                    continue
                seen += 1
                if ("0.0%" in fmt.split(";")[0]) != (abs(v) < 0.1):
                    bad.append("%s!%s %r as %r" % (ws.title, c.coordinate, v, fmt))
    check(seen and not bad, "relative changes with the wrong decimals (%d seen): %s" % (seen, bad[:5]))


def check_drilldown_header(wb):
    """On a drill-down sheet the indented Industry column's header is indented
    too, clear of the right-aligned company size before it."""
    for name in ("MQLs this week", "SQLs this week", "Wins this week"):
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        cell = next((c for row in ws.iter_rows(min_row=1, max_row=6) for c in row if c.value == "Industry"), None)
        if check(cell is not None, "%s: no Industry header" % name):
            check((cell.alignment.indent or 0) >= 1, "%s: the Industry header is not indented" % name)


def check_industries_in_words(wb, metrics):
    """A drill-down sheet names each lead's industry in words ("IT services"
    for it_services), as the channels: every row's, in metrics.json's order."""
    for name, part in (("MQLs this week", "mqls"), ("SQLs this week", "sqls"), ("Wins this week", "wins")):
        rows = metrics.get("drilldown", {}).get(part) or []
        if name not in wb.sheetnames or not rows or "industry" not in rows[0]:
            continue
        ws = wb[name]
        head = next((r for r in ws.iter_rows(min_row=1, max_row=6) if any(c.value == "Industry" for c in r)), None)
        if not check(head is not None, "%s: no Industry column" % name):
            continue
        col = next(c.column for c in head if c.value == "Industry")
        shown = [ws.cell(head[0].row + 1 + i, col).value for i in range(len(rows))]
        want = [in_words("industry", r["industry"]) for r in rows]
        check(shown == want, "%s: the industries %s, not %s" % (name, shown[:5], want[:5]))
        keys = sorted({v for v in shown if isinstance(v, str) and RAW_KEY.match(v)})
        check(not keys, "%s: industries shown as keys: %s" % (name, keys[:5]))


def check_event_types_in_words(wb, metrics):
    """The Engagement sheet names each event type in words ("Page visit"), as
    Data quality names the unknown ones, and every type of metrics.json's
    report week is there."""
    rows = metrics.get("engagement", {}).get("1w") or []
    if "Engagement" not in wb.sheetnames or not rows:
        return
    ws = wb["Engagement"]
    head = next((r for r in ws.iter_rows(min_row=1, max_row=8) if any(c.value == "Event type" for c in r)), None)
    if not check(head is not None, "Engagement: no Event type column"):
        return
    col = next(c.column for c in head if c.value == "Event type")
    shown = [ws.cell(r, col).value for r in range(head[0].row + 1, ws.max_row + 1)]
    raw = sorted({v for v in shown if isinstance(v, str) and RAW_KEY.match(v)})
    check(not raw, "Engagement: event types shown as keys: %s" % raw[:5])
    for t in (r["type"] for r in rows):
        check(t.replace("_", " ").capitalize() in shown or t in shown,
              "Engagement: the event type %r of the report week is not shown" % t)


def check_attribution_bars(wb, metrics, cp):
    model = metrics["report"].get("attribution", "first_touch")
    ws = wb["Attribution"]
    hdr = next((r for r in range(1, 10) if ws.cell(r, 1).value == "Channel"), None)
    if not check(hdr, "the Attribution sheet has no table"):
        return
    heads = {ws.cell(hdr, c).value: c for c in range(2, 8)}
    want_used = heads.get(cp.get("revenue_" + model, "label"))
    rows = [r for r in metrics.get("by_channel", {}).get("13w", [])]
    largest = max((r.get(k) or 0 for r in rows for k in r if k.startswith("revenue_")), default=0)
    bars = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type != "dataBar":
                continue
            col = openpyxl.utils.cell.range_boundaries(str(cf.sqref))[0]
            vals = [float(v.val) for v in rule.dataBar.cfvo]
            bars[col] = (rule.dataBar.color.rgb[-6:], vals)
    if largest <= 0:  # no revenue: no scale, no bars
        check(not bars, "the Attribution table draws bars of no revenue: %s" % bars)
        return
    check(len(bars) == 6, "the Attribution table's revenue columns have %d bars, not 6" % len(bars))
    grey = lambda c: c[0:2] == c[2:4] == c[4:6]
    used = bars.get(want_used)
    others = [b for c, b in bars.items() if c != want_used]
    check(used is not None and grey(used[0]) and all(grey(o[0]) and o[0] > used[0] for o in others)
          and len({o[0] for o in others}) == 1,
          "the Attribution bars: %s, want column %s the darker grey" % (bars, want_used))
    # one scale, from 0 to 2.4 times the largest revenue: the longest bar
    # ends before half its cell, clear of the figure right-aligned beside it
    # (a full-width bar ran under the digits)
    check(all(abs(b[1][0]) < 1e-9 and abs(b[1][1] - 2.4 * largest) < 0.03 for b in bars.values()),
          "the Attribution bars are not on one scale from 0 to 2.4 times the largest revenue %s: %s"
          % (largest, bars))
    # a bar is a share of its cell: the six columns one width, or one revenue
    # draws bars of different lengths
    from openpyxl.utils import get_column_letter
    widths = {round(ws.column_dimensions[get_column_letter(c)].width or 0, 2) for c in bars}
    check(len(widths) == 1, "the Attribution bars' columns are of widths %s: one scale needs one" % widths)


def check_workbook(path, metrics):
    cp = catalogue()
    wb = openpyxl.load_workbook(path)  # values, not formulas: the writer stores numbers
    check(wb.sheetnames[0] == "Overview", "the first sheet is %r, not the Overview" % wb.sheetnames[0])
    check(wb.sheetnames[-1] == "Glossary", "the last sheet is %r, not the Glossary" % wb.sheetnames[-1])

    # an index sheet (FAST): the Contents, second, names every other sheet in
    # the workbook's order, each a link to that sheet, with a sentence on it
    if check("Contents" in wb.sheetnames, "no Contents sheet: %s" % wb.sheetnames):
        check(wb.sheetnames.index("Contents") == 1, "the Contents is not the second sheet")
        ws = wb["Contents"]
        # the index: the rows down to the first empty one (below it, how the
        # report was made)
        listed = list(itertools.takewhile(lambda r: r[0].value, ((r[0], r[1]) for r in ws.iter_rows(min_row=5))))
        want = [n for n in wb.sheetnames if n != "Contents"]
        check([c.value for c, _ in listed] == want,
              "the Contents lists %s, not the sheets %s" % ([c.value for c, _ in listed], want))
        for name, about in listed:
            link = name.hyperlink.location if name.hyperlink else None
            check(link == "'%s'!A1" % name.value.replace("'", "''"),
                  "the Contents' %r links to %r" % (name.value, link))
            check(isinstance(about.value, str) and len(about.value) > 20 and "_" not in about.value,
                  "the Contents says of %r: %r" % (name.value, about.value))

    # the Overview: at least four native charts and a trend chart beside every KPI tile
    nch, anchors = sheet_charts(path, wb, "Overview")
    tiles = metrics.get("what_changed", [])
    check(nch >= 4 + len(tiles), "the Overview has %d charts, want 4 + one per tile (%d)" % (nch, len(tiles)))
    spark_rows = {int(r) for c, r in anchors if c == "4"}
    ws = wb["Overview"]
    for i, row in enumerate(tiles):
        r = 6 + i  # tiles start on row 6 (1-based), under the header of row 5
        label = cp.get(row["kpi"], "label")
        if row.get("low_sample"):
            # a figure on few cases: flagged under its label, in grey
            label += "\n(only %d case%s)" % (row["n"], "" if row["n"] == 1 else "s")
            ink = ws.cell(r, 2).font.color
            check(ink is not None and ink.rgb == "FF666666",
                  "Overview %s rests on %d cases, its figure not grey (%r)"
                  % (row["kpi"], row["n"], ink and ink.rgb))
        elif cp.has_option(row["kpi"], "young") and row.get("this_week") is not None:
            # a figure whose cohort is still converting: said on its row,
            # as its change is large and left unjudged (a dash is not)
            label += "\n(not yet comparable)"
        check(ws.cell(r, 1).value == label, "Overview row %d is %r, not %r" % (r, ws.cell(r, 1).value, label))
        # the label whole in column A: a line of at most one character per
        # unit of its width, as many lines as the row is high ("(only 3 ca")
        width = ws.column_dimensions["A"].width or 8.43
        lines = str(ws.cell(r, 1).value).split("\n")
        height = ws.row_dimensions[r].height or 15
        check(all(len(ln) <= width - 0.71 for ln in lines)
              and (len(lines) == 1 or (ws.cell(r, 1).alignment.wrap_text and height >= 13 * len(lines))),
              "Overview row %d: the label %r does not fit column A (%.0f wide, %.0f points high)"
              % (r, ws.cell(r, 1).value, width, height))
        check(r - 1 in spark_rows, "the tile %s has no 13-week trend chart beside it" % row["kpi"])
        # the label on the line of its figures: one vertical alignment across the row
        # (a label centred in a row taller than a line sits above its bottom-aligned figures)
        if not row.get("low_sample"):
            where = {ws.cell(r, c).alignment.vertical or "bottom" for c in (1, 2, 3, 4)}
            check(len(where) == 1, "Overview %s: its label and figures aligned %s, on different lines"
                  % (row["kpi"], sorted(where)))
        sc = scale_of(cp, row["kpi"])
        for col, key in ((2, "this_week"), (3, "last_week")):
            jv = row[key]
            cell = ws.cell(r, col).value
            # no figure: an empty cell (SPEC §7), the note below the tiles says why
            check(same(None if jv is None else jv * sc, cell),
                  "Overview %s %s: metrics.json %r, cell %r" % (row["kpi"], key, jv, cell))
        if cp.get(row["kpi"], "format", fallback="") == "money":
            # the two weeks' amounts share the PDF's and the e-mail's precision:
            # cents only when both are under 10,000 ("$61,200", "$11,432")
            largest = max(abs(row[k] or 0) for k in ("this_week", "last_week"))
            for col, key in ((2, "this_week"), (3, "last_week")):
                if row[key] is None:
                    continue  # "—": no figure, no number format
                nf = ws.cell(r, col).number_format
                check(("0.00" in nf) == (largest < 10000),
                      "Overview %s: %s formatted %r, the largest of the two weeks %r"
                      % (row["kpi"], ws.cell(r, col).coordinate, nf, largest))
        cell = ws.cell(r, 4).value
        check(same(row["change"], cell) or (row["change"] is None and cell == "—"),
              "Overview %s change: metrics.json %r, cell %r" % (row["kpi"], row["change"], cell))
        if row["change"] is not None:
            zero = '"\u00b10 pp"' if row.get("change_unit") == "pp" else '"\u00b10%"'
            check(ws.cell(r, 4).number_format.split(";")[2:] == [zero],
                  "Overview %s change: a change of zero formatted %r, not %s"
                  % (row["kpi"], ws.cell(r, 4).number_format, zero))
        if row.get("change_unit") == "%" and row["change"] is not None:
            # written as the PDF and the e-mail write it: a decimal under 10%
            nf = ws.cell(r, 4).number_format
            want = "0.0%" if abs(row["change"]) < 0.1 else "0%"
            check(want in nf and (want == "0.0%" or "0.0%" not in nf),
                  "Overview %s change %r formatted %r, not as %s" % (row["kpi"], row["change"], nf, want))
    # the Overview's small multiples of the funnel: the report week dark, the
    # weeks before it grey (IBCS), in every one of them
    with zipfile.ZipFile(path) as z:
        multiples = 0
        for name in z.namelist():
            if not name.startswith("xl/charts/chart"):
                continue
            xml = z.read(name).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml))
            if not re.match(r"Weekly (leads|MQLs|SQLs|wins)", title):
                continue
            multiples += 1
            # with no axis of weeks, the title says which weeks: the first
            # and last of kpi_trend by their numbers
            trend = metrics.get("kpi_trend") or [{}]
            span = "%s\u2013%s" % (trend[0].get("week", "")[-3:], trend[-1].get("week", "")[-3:])
            check(re.fullmatch(r"Weekly (leads|MQLs|SQLs|wins), " + span, title),
                  "Overview %r: the title does not name the weeks %s" % (title, span))
            fills = dict(re.findall(r'<c:dPt><c:idx val="(\d+)"/><c:spPr><a:solidFill><a:srgbClr val="(\w+)"/>', xml))
            want = {str(i): "999999" for i in range(12)}
            want["12"] = "333333"
            check(fills == want, "Overview %r: the weeks' colours %s, want 12 grey and the report week dark"
                  % (title, fills))
        check(multiples == 4, "the Overview has %d funnel small multiples, not 4" % multiples)
        # the Attribution sheet: a bar in each revenue cell, the six models on
        # one scale (the table's largest revenue), the report's model in the
        # darker grey, the others in one lighter grey
        check_attribution_bars(wb, metrics, cp)
    check_close_rate_chart(path, wb, metrics)
    check_glossary_units(wb, cp)
    check_band_chart(path, metrics)
    check_channel_colours(path, wb)
    check_light_bars_edged(path)
    check_threshold_mark(wb, metrics)
    check_score_formats(wb)
    check_drilldown_gaps(wb)
    check_unknown_last(path, wb)
    check_qualification_words(wb, metrics)
    check_negative_formats(wb)
    check_points_decimals(wb)
    check_relative_decimals(wb)
    check_drilldown_header(wb)
    check_event_types_in_words(wb, metrics)
    check_industries_in_words(wb, metrics)
    check_model_named(wb, None, metrics)
    # the Data quality sheet: a row's figures beside the first line of its
    # wrapped name or message, all read from the top
    if "Data quality" in wb.sheetnames:
        dq = wb["Data quality"]
        for row in dq.iter_rows(min_row=3):
            cells = [c for c in row if c.value is not None]
            where = {c.alignment.vertical or "bottom" for c in cells}
            check(len(cells) < 2 or len(where) == 1, "Data quality row %d: its cells aligned %s"
                  % (row[0].row, sorted(where)))
        # what a check does when it trips, in words: never a bare "fail" beside a
        # "pass"; and when it trips against its limit, which agrees with the value,
        # the limit and the status of metrics.json ("No lead can be an MQL", 819
        # against 1, read as past its limit)
        head = next((r for r in dq.iter_rows(min_row=1, max_row=20)
                     if any(c.value == "Policy" for c in r)), None)
        has_health = bool(metrics.get("data_quality", {}).get("health"))
        if check(head or not has_health, "Data quality: no health table with a Policy column") and head:
            col = {c.value: c.column for c in head}
            said, r, compared = set(), head[0].row + 1, 0
            while dq.cell(row=r, column=1).value is not None:  # the health table's rows
                text = dq.cell(row=r, column=col["Policy"]).value or ""
                said.add(text.split(" when ")[0])
                value, limit = (dq.cell(row=r, column=col[k]).value for k in ("Value", "Limit"))
                status = dq.cell(row=r, column=col["Status"]).value
                numeric = all(isinstance(v, (int, float)) for v in (value, limit))
                dated = all(hasattr(v, "year") for v in (value, limit))
                if text != "not checked" and (numeric or dated):
                    check(" when the value is " in text,
                          f"Data quality row {r}: {text!r} does not say when the check trips")
                    past = (("above" in text and value > limit) or ("below" in text and value < limit)
                            or ("before" in text and value < limit))
                    compared += 1
                    check(past == (status in ("warn", "fail")),
                          f"Data quality row {r}: {text!r}, value {value!r} against {limit!r}, "
                          f"but the check's status is {status}")
                r += 1
            said -= {None, ""}
            check(said and said <= {"stops the run", "adds a banner", "not checked"},
                  f"Data quality: the policy says what a trip does: {sorted(said, key=str)}")
            check(compared > 5, f"Data quality: only {compared} health rows compared with their limits")
    if any(b.get("low_sample") for b in metrics.get("score_bands") or []) and "Scoring calibration" in wb.sheetnames:
        # its grey rates rest on few leads, not MQLs: the note and the footer say so
        ws = wb["Scoring calibration"]
        said = " ".join(str(c.value) for c in ws[1] if c.value) + " " + (ws.oddFooter.center.text or "")
        minimum = metrics.get("qualification", {}).get("low_sample_min", 30)
        check(said.count("fewer than %d leads" % minimum) == 2 and "MQLs" not in said,
              "Scoring calibration: the notes on its grey rates say %r, not fewer than %d leads"
              % (said, minimum))
    check_numbers_fit(wb)
    check_top_campaigns(path, metrics)
    check_cost_chart(path, wb, metrics)
    check_count_axes(path, metrics)
    # the data-health banner (row 3) stays left of the charts that float from
    # the first rows, and is as tall as its wrapped text
    banner = ws.cell(3, 1).value
    if banner:
        merged = [m for m in ws.merged_cells.ranges if m.min_row <= 3 <= m.max_row and m.min_col == 1]
        top = [int(c) for c, rr in anchors if int(rr) <= 2]
        if check(len(merged) == 1, "the banner is one merged range on row 3: %s" % merged):
            check(not top or merged[0].max_col <= min(top),
                  "the banner spans columns A to %d, under charts anchored from column %d"
                  % (merged[0].max_col, min(top) + 1 if top else 0))
        height = ws.row_dimensions[3].height or 15
        check(height >= 15 * math.ceil(len(banner) / 90),
              "the banner's row is %.0f points high for %d characters" % (height, len(banner)))
    if tiles:
        w1 = metrics["windows"]["1w"]
        for row in tiles:
            check(same(w1.get(row["kpi"]), row["this_week"]), "what_changed %s is not windows.1w" % row["kpi"])

    # the Overview says which way the threshold errs (REPORTS.md)
    q = metrics.get("qualification") or {}
    if q.get("lean"):
        texts = [c.value for row in wb["Overview"].iter_rows() for c in row if isinstance(c.value, str)]
        check("Qualification" in texts and any(t.startswith("Over the last 13 weeks ") for t in texts),
              "the Overview lacks the qualification sentence")

    # a cost per unit without spend is not applicable, never "$0.00": the
    # cell holds metrics.json's 0 and its format shows a dash for it
    per_unit = {cp.get(k, "label") for k in ("cost_per_lead", "cost_per_mql", "cac")}
    zero_cells = 0
    for ws in wb:
        for t in ws.tables.values():
            rows = ws[t.ref]
            cols = [i for i, c in enumerate(rows[0]) if c.value in per_unit]
            for r in rows[1:]:
                for i in cols:
                    if isinstance(r[i].value, (int, float)):
                        zero_cells += r[i].value == 0
                        check(r[i].number_format.endswith(';"\u2014"'),
                              "%s %s: a cost per unit formatted %r" % (ws.title, r[i].coordinate,
                                                                      r[i].number_format))
    if any(row.get("spend") == 0 for w in metrics.get("by_channel", {}).values() for row in w):
        check(zero_cells > 0, "no cost per unit of a channel without spend in the workbook")

    # the week-on-week tables: each KPI's own values in its display scale and
    # format (hours, not minutes; ROI as a percent), a change in points read
    # as points, not as a fraction shown as percent
    title = "Week on week"
    if check(title in wb.sheetnames, "no sheet %r" % title):
        ws = wb[title]
        # a change's unit is not a column of its own: the change's format shows
        # it ("+18.9% %", "-3.1 pp pp" read it twice)
        heads = [c.value for t in ws.tables.values() for c in ws[t.ref][0]]
        check(cp.get("change_unit", "label") not in heads,
              "%s: a column %r beside the change, whose format shows it"
              % (title, cp.get("change_unit", "label")))
        for part in ("summary", "what_changed"):
            # one column per key of the part's rows, but the change's unit
            width = len([k for k in metrics.get(part, [{}])[0] if k != "change_unit"])
            t = [t for t in ws.tables.values() if ws[t.ref][0][0].value == "KPI"
                 and len(ws[t.ref][0]) == width]
            if not check(len(t) == 1, "%s: no table of %s" % (title, part)):
                continue
            rows = ws[t[0].ref][1:]
            want = metrics.get(part, [])
            check(len(rows) == len(want), "%s: %d rows of %s, metrics.json %d"
                  % (title, len(rows), part, len(want)))
            for cells, row in zip(rows, want):
                sc = scale_of(cp, row["kpi"])
                fmt = cp.get(row["kpi"], "format", fallback="")
                for c, key in ((1, "this_week"), (2, "last_week")):
                    jv = row[key]
                    check(same(None if jv is None else jv * sc, cells[c].value),
                          "%s %s %s: metrics.json %r, cell %r"
                          % (title, part, row["kpi"], jv, cells[c].value))
                    if jv is not None and fmt in ("hours", "percent0", "money"):
                        nf = cells[c].number_format
                        check({"hours": '"h"', "percent0": "%", "money": "#,##0"}[fmt] in nf,
                              "%s %s %s: format %r for a %s value" % (title, part, row["kpi"], nf, fmt))
                # a count's 13-week mean and deviation keep a decimal, as the
                # sentences say "13-week average 3.4" (not "3")
                heads = [h.value for h in ws[t[0].ref][0]]
                for key in ("mean_13w", "sd_13w"):
                    label = cp.get(key, "label")
                    if label not in heads or row.get(key) is None:
                        continue
                    cell = cells[heads.index(label)]
                    check(same(row[key] * sc, cell.value), "%s %s %s: metrics.json %r, cell %r"
                          % (title, row["kpi"], key, row[key], cell.value))
                    if fmt == "count":
                        check(cell.number_format.endswith("0.0"), "%s %s %s: a mean of counts "
                              "formatted %r, rounded to a whole number"
                              % (title, row["kpi"], key, cell.number_format))
                ch = cells[3]
                # a rate or ROI moves in points: the cell is the difference, shown in pp
                if cp.get(row["kpi"], "unit", fallback="") in ("rate", "ratio"):
                    tw, lw = row["this_week"], row["last_week"]
                    check(row.get("change_unit") == "pp" and (
                          same((tw - lw) * 100, ch.value) if tw is not None and lw is not None
                          else ch.value is None),
                          "%s %s %s: a change in points (%r to %r), cell %r"
                          % (title, part, row["kpi"], lw, tw, ch.value))
                check(same(row["change"], ch.value), "%s %s %s change: metrics.json %r, cell %r"
                      % (title, part, row["kpi"], row["change"], ch.value))
                if row.get("change_unit") == "pp" and row["change"] is not None:
                    check("pp" in ch.number_format and "%" not in ch.number_format,
                          "%s %s change in points formatted %r" % (title, row["kpi"], ch.number_format))
                if row["change"] is not None:
                    # no change reads as the PDF and the e-mail write it
                    zero = '"\u00b10 pp"' if row.get("change_unit") == "pp" else '"\u00b10%"'
                    check(ch.number_format.split(";")[2:] == [zero],
                          "%s %s %s: a change of zero formatted %r, not %s"
                          % (title, part, row["kpi"], ch.number_format, zero))
            # a yes/no column is centred, its header too: clear of the number
            # right-aligned before it ("130 no" read as one)
            for i, head in enumerate(ws[t[0].ref][0]):
                vals = [r[i] for r in rows if r[i].value not in (None, "")]
                if vals and all(v.value in ("yes", "no") for v in vals):
                    check(head.alignment.horizontal == "center"
                          and all(v.alignment.horizontal == "center" for v in vals),
                          "%s %s: the yes/no column %r is not centred" % (title, part, head.value))

    # the cohorts' heat map: one colour scale over every share column, so that
    # one share is one colour in all of them
    if check("Cohorts" in wb.sheetnames, "no sheet 'Cohorts'"):
        scales = [(str(rng.sqref), r) for rng, rules in wb["Cohorts"].conditional_formatting._cf_rules.items()
                  for r in rules if r.type == "colorScale"]
        check(len(scales) == 1 and len(scales[0][0].split()) >= 2,
              "Cohorts: the heat map's colour scales cover %s, not the four share columns at once"
              % [s for s, _ in scales])

    # a column of numbers or date-times has its header right-aligned over
    # them, as they are (a left-aligned header stood over the next column's
    # value); a yes/no column is centred, header and values, in every table
    # ("2026-11-22 23:42 UTC no" read as one on Data quality)
    for ws in wb:
        for t in ws.tables.values():
            rows = ws[t.ref]
            for i, head in enumerate(rows[0]):
                cells = [r[i] for r in rows[1:] if r[i].value not in (None, "")]
                vals = [c.value for c in cells]
                num = vals and all(isinstance(v, (int, float, datetime.datetime)) and not isinstance(v, bool)
                                   for v in vals)
                if num:
                    check(head.alignment.horizontal == "right",
                          "%s %s: the header %r of a column of numbers is aligned %r, not right"
                          % (ws.title, head.coordinate, head.value, head.alignment.horizontal))
                if vals and all(v in ("yes", "no") for v in vals):
                    check(head.alignment.horizontal == "center"
                          and all(c.alignment.horizontal == "center" for c in cells),
                          "%s %s: the yes/no column %r is not centred (header %r, values %s)"
                          % (ws.title, head.coordinate, head.value, head.alignment.horizontal,
                             sorted({str(c.alignment.horizontal) for c in cells})))
    ov = wb["Overview"]
    for c in (2, 3, 4):  # This week, Last week, Change
        check(ov.cell(5, c).alignment.horizontal == "right",
              "the Overview's tile header %r is not right-aligned" % ov.cell(5, c).value)

    # no header cell of any table is a raw key; detail sheets hold Excel tables,
    # but for the drill-downs, streamed row by row, whose rows are a filtered
    # range (an Excel table cannot be streamed)
    streamed = ("MQLs this week", "SQLs this week", "Wins this week")

    def table_refs(ws):
        refs = [t.ref for t in ws.tables.values()]
        if ws.title in streamed and ws.auto_filter.ref:
            refs.append(ws.auto_filter.ref)
        return refs

    for name in wb.sheetnames:
        ws = wb[name]
        for ref in table_refs(ws):
            first = ws[ref][0]
            for c in first:
                check(not (isinstance(c.value, str) and RAW_KEY.match(c.value)),
                      "sheet %r: header %s is a raw key %r" % (name, c.coordinate, c.value))
        if name not in ("Overview",):
            check(len(table_refs(ws)) > 0, "sheet %r holds no Excel table" % name)
            if name in streamed:
                check(not ws.tables, "sheet %r is streamed but holds an Excel table" % name)
            check(ws.freeze_panes is not None, "sheet %r: no frozen header" % name)
        if name in ("Glossary", "Contents"):
            # a list to scroll: its header frozen, nothing else above it
            # (the report's settings are below the contents' index)
            frozen = int(re.sub(r"^[A-Z]+", "", ws.freeze_panes or "A1"))
            check(2 <= frozen <= 5, "sheet %r freezes its panes at %r: more than a title and its "
                  "header stay on screen" % (name, ws.freeze_panes))
        # rows repeated on every printed page head the rows below them: only on a
        # sheet of one table, and only its header row
        if ws.print_title_rows:
            rep = [int(n) for n in ws.print_title_rows.replace("$", "").split(":")]
            heads = [ws[ref][0][0].row for ref in table_refs(ws)]
            check(len(heads) == 1 and rep == [heads[0], heads[0]],
                  "sheet %r repeats rows %s on every printed page over its %d tables (headers on "
                  "rows %s)" % (name, ws.print_title_rows, len(heads), heads))
        check(ws.page_setup.paperSize in (9, "9"), "sheet %r is not printed on A4" % name)
        check("Week " in (ws.oddHeader.left.text or ""), "sheet %r: the page header lacks the week" % name)
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            check(ws.page_setup.fitToWidth in (1, "1", None), "sheet %r fits oddly" % name)
        check_print_scale(ws)
        check_print_across(path, wb, ws)

    # every number of metrics.json is somewhere in the workbook (the report's
    # sizes aside), in the catalogue's display scale
    cells = [c.value for s in wb for row in s.iter_rows() for c in row
             if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    values = sorted(cells)
    import bisect
    for part, v in metrics.items():
        if part == "report":
            continue
        for key, num in numbers_keyed(v):
            want = num * scale_of(cp, key or "")
            i = bisect.bisect_left(values, want - 1e-9 * max(1, abs(want)))
            check(i < len(values) and math.isclose(values[i], want, rel_tol=1e-9, abs_tol=1e-9),
                  "metrics.json's %s.%s holds %r, which is on no cell of the workbook" % (part, key, num))

    # drill-downs: one row per lead the metrics count this week
    for sheet, key in (("MQLs this week", "mqls"), ("SQLs this week", "sqls"), ("Wins this week", "wins")):
        if "drilldown" not in metrics:  # the harness's hand-built tree has no drill-down part
            break
        if not check(sheet in wb.sheetnames, "no sheet %r" % sheet):
            continue
        ws = wb[sheet]
        t = table_refs(ws)
        if not check(t, "sheet %r has no table" % sheet):
            continue
        # the filter spans the header and every row shown, and no more
        check(ws[t[0]][0][0].value == "Lead ID" and ws.max_row == ws[t[0]][-1][0].row
              + (1 if len(metrics["drilldown"][key]) > ws[t[0]][-1][0].row - ws[t[0]][0][0].row
                 else 0), "sheet %r: its filter %s is not its rows'" % (sheet, t[0]))
        rows = ws[t[0]][1:]
        ids = [r[0].value for r in rows if r[0].value is not None]
        want = [r["lead_id"] for r in metrics["drilldown"][key]]
        check(ids == want, "sheet %r lists %s, metrics.json %s" % (sheet, ids[:5], want[:5]))
        check(len(ids) == metrics["windows"]["1w"][key],
              "sheet %r has %d leads, windows.1w.%s is %r" % (sheet, len(ids), key, metrics["windows"]["1w"][key]))

    # native charts on the detail sheets, beside or above their tables
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]

    def charted(kind, sheet_title):
        refs = ("'%s'!" % sheet_title, "%s!" % sheet_title)
        return any("<c:%s>" % kind in c and any(r in c for r in refs) for c in charts)
    check(charted("barChart", "Channels"), "no native bar chart on the sheet Channels")
    # a per-window table's rows are told apart by the window and the channel:
    # both stay frozen on screen (and repeat on paper, check_print_scale)
    chan = wb["Channels"]
    check((chan.freeze_panes or "")[:1] == "C",
          "the sheet Channels freezes its panes at %r, not after the window and the channel"
          % chan.freeze_panes)
    # a money axis reads as money: the currency and thousands, not "50000"
    if metrics["report"].get("currency") == "USD":
        money = [c for c in charts if "Revenue by channel" in c]
        check(money and all('formatCode="&quot;$&quot;#,##0"' in c for c in money),
              "the revenue chart's axis is not formatted as dollars")
    if metrics.get("trend"):
        check(charted("lineChart", "Trend"), "no native line chart on the sheet Trend")
        # the sheet shows kpi_trend only, which covers trend: the same weeks,
        # and trend's every value under the same key
        check(len(wb["Trend"].tables) == 1, "the sheet Trend holds %d tables, not one"
              % len(wb["Trend"].tables))
        kpi = {r["week"]: r for r in metrics.get("kpi_trend") or []}
        for row in metrics["trend"]:
            other = kpi.get(row["week"], {})
            if other.get("before_data"):
                # a week before the exports begin: nothing happened in it, and the
                # sheet leaves it blank rather than showing zeros
                check(all(v in (0, None) for k, v in row.items() if k != "week")
                      and all(other.get(k) is None for k in row if k != "week"),
                      "trend %s lies before the data: %r, kpi_trend %r" % (row["week"], row, other))
                continue
            for key, value in row.items():
                equal = (value == other.get(key) or (isinstance(value, float) and
                         isinstance(other.get(key), (int, float)) and
                         math.isclose(value, other[key], rel_tol=1e-12, abs_tol=1e-9)))
                check(equal, "trend %s %s is %r, kpi_trend's %r: the Trend sheet does not "
                      "cover it" % (row["week"], key, value, other.get(key)))


# ---- the PDF ----

def check_hidden_loser(pdf_text, metrics, top=15):
    """The ranking draws the campaigns with the most revenue and the others
    as one bar; the others' largest spender, when it earned less than it
    spent, is named in the note under it. Returns whether one was named."""
    rows = [r for r in metrics.get("by_campaign", {}).get("13w", []) if r["campaign"] != "unknown"]
    rows.sort(key=lambda r: -(r.get("revenue") or 0))
    if len(rows) <= top or (rows[top - 1].get("revenue") or 0) == (rows[top].get("revenue") or 0):
        return False  # no others, or which are the others hangs on a tie
    others = rows[top:]
    loser = max(others, key=lambda r: r.get("spend") or 0)
    flat = " ".join(pdf_text.split())
    named = "Of the other %d campaigns, %s spent the most" % (len(others), loser["campaign"])
    want = (loser.get("revenue") or 0) < (loser.get("spend") or 0)
    check((named in flat) == want, "the ranking's note %s %r" % ("lacks" if want else "has", named))
    return want


def thirteen_weeks_dates(rep):
    """The 13 weeks ending at the report's as_of, in its time zone, as the
    PDF's subtitles write them: "24 Aug – 22 Nov 2026"."""
    import zoneinfo
    end = datetime.datetime.fromisoformat(rep["as_of"].replace("Z", "+00:00"))
    end = end.astimezone(zoneinfo.ZoneInfo(rep.get("timezone") or "UTC"))
    first, last = end - datetime.timedelta(days=91), end - datetime.timedelta(days=1)
    a = "%d %s" % (first.day, first.strftime("%b")) + (
        "" if first.year == last.year else " %d" % first.year)
    return "%s \u2013 %d %s %d" % (a, last.day, last.strftime("%b"), last.year)


def check_pdf(path, metrics):
    # the 13 weeks a page's charts show, as dates under its title
    span = thirteen_weeks_dates(metrics["report"])
    flat_all = " ".join(run(["pdftotext", path, "-"]).stdout.split())
    check("last 13 weeks (%s)" % span in flat_all and "Last 13 weeks (%s)" % span in flat_all,
          "the PDF's subtitles do not give the 13 weeks as dates, %r" % span)
    r = run(["qpdf", "--check", path])
    check(r.returncode == 0, "qpdf --check %s exited %d:\n%s%s" % (path, r.returncode, r.stdout, r.stderr))
    r = run(["pdftotext", "-layout", path, "-"])
    check(r.returncode == 0, "pdftotext failed: %s" % r.stderr)
    text = r.stdout
    week = metrics["report"]["week"]
    check(week in text, "the PDF does not show the week %s" % week)
    # the bar of what has no campaign has no ROI, and no "—", which the caption
    # keeps for a campaign without spend
    for line in text.splitlines():
        if "Without a campaign (" in line:
            check("\u2014" not in line.split("Without a campaign (", 1)[1],
                  "the ranking writes a ROI dash beside the bar without a campaign: %r" % line)
    check(metrics["report"]["timezone"] in text, "the PDF does not show the time zone")
    # a headline tile whose figure is not yet comparable with last week says
    # so beside its change, as a tile on few cases gives their number
    here = os.path.dirname(os.path.abspath(__file__))
    tpl = configparser.ConfigParser(interpolation=None)
    tpl.read([os.path.join(here, "..", "..", "templates", "metrics.ini"),
              os.path.join(here, "..", "..", "templates", "report_pdf.ini")], encoding="utf-8")
    tiles = tpl.get("pdf", "headline").split(";")
    rows = {r["kpi"]: r for r in metrics.get("summary", [])}
    young = [k for k in tiles if k in rows and tpl.has_section(k) and tpl.has_option(k, "young")
             and not rows[k].get("low_sample") and rows[k].get("this_week") is not None]
    page1 = " ".join(run(["pdftotext", "-f", "1", "-l", "1", path, "-"]).stdout.split())
    check(page1.count("\u00b7 not yet comparable") == len(young),
          "the PDF's tiles flag %d figures not yet comparable, not %d (%s)"
          % (page1.count("\u00b7 not yet comparable"), len(young), ", ".join(young)))
    # points: a decimal only under 100 ("−25.6 pp", "−1,286 pp")
    big = re.findall(r"\d{1,3}(?:,\d{3})+\.\d pp|\d{3,}\.\d pp", text)
    check(not big, "the PDF writes a change of 100 points or more with a decimal: %s" % big[:3])
    # the rows no figure counts, by source, under the first page's tiles
    rejected = [(r["source"], r["rows_rejected"]) for r in metrics["data_quality"]["sources"]
                if r.get("rows_rejected")]
    total = sum(n for _, n in rejected)
    said = "Left out of every figure: {:,} row{} the exports hold but the report could not read ({})".format(
        total, "" if total == 1 else "s", ", ".join(f"{s} {n:,}" for s, n in rejected))
    check((said in " ".join(text.split())) == bool(total),
          "the PDF %s the %d rejected rows: %r" % ("lacks" if total else "mentions", total, said))
    # the qualification sentence, with the table's shares (REPORTS.md)
    q = metrics.get("qualification") or {}
    if q.get("lean") and q.get("rejected_share") is not None:
        flat_q = " ".join(text.split())
        want = "sales rejected %.1f%% of the MQLs it reviewed" % (q["rejected_share"] * 100)
        check("Qualification" in text and want in flat_q,
              "the PDF lacks the qualification sentence (%r)" % want)
        # its verdict is of the rule the MQLs really come from: the CRM's
        # MQL date leaves the score's threshold nothing to move
        src = q.get("mql_source")
        check(src in ("score", "export", "status") and src == metrics["report"].get("mql_source"),
              "qualification.mql_source %r, report.mql_source %r" % (src, metrics["report"].get("mql_source")))
        if src == "score":
            check("The score's threshold of" in flat_q and "CRM's MQL rule" not in flat_q,
                  "MQLs from the score, and the qualification sentence judges another rule")
        else:
            check("The CRM's MQL rule (MQLs come from its" in flat_q and "The score's threshold of" not in flat_q,
                  "MQLs from the CRM, and the qualification sentence judges the score's threshold")
    # a note that sends the reader to a table for the conversion rates: that
    # table shows the MQL → SQL rate (its header, whose "rate" wraps under it)
    flat_all = " ".join(text.split())
    chan = metrics.get("by_channel", {}).get("13w") or [{}]
    if ('conversion rates over the MQL cohort are in the table "Channels, last 13 weeks"' in flat_all
            and "mql_to_sql_rate" in chan[0]):
        table = text[text.rindex("Channels, last 13 weeks"):]
        header = " ".join(table.splitlines()[1:3])
        check("MQL\u2192SQL" in header.replace(" ", ""),
              "the PDF sends the reader to \"Channels, last 13 weeks\" for the conversion "
              "rates, whose header %r has no MQL \u2192 SQL rate" % header)
    # a negative figure is written with a true minus sign, as the changes are
    # ("−100%", not "-100%"): dates and ids keep their hyphens
    hyphen = re.findall(r"(?<![\w./\-])-[$\u00a3\u20ac]?\d[\d,.]*%?", text)
    check(not hyphen, "the PDF writes negative figures with a hyphen: %r" % hyphen[:5])
    # a "—" as ROI or cost is explained where a campaign or channel had no
    # spend, and the tables say which attribution model their revenue follows
    rows13 = (metrics.get("by_campaign", {}).get("13w") or []) + (metrics.get("by_channel", {}).get("13w") or [])
    if any(r.get("spend") == 0 for r in rows13):
        check("\u2014 in ROI and costs: no spend, so they do not apply." in flat_all
              and "\u2014 as ROI: no spend." in flat_all,
              "the PDF shows ROIs of no spend as \u2014 without saying why")
    model = model_words(catalogue(), metrics)[1]
    tables = flat_all[flat_all.rfind("Campaigns, last 13 weeks"):]
    check("Revenue and ROI by %s attribution." % model in tables,
          "the PDF's tables do not say which attribution model their revenue follows (%s)" % model)
    key_words = metrics["report"].get("attribution", "first_touch").replace("_", " ")
    if key_words != model:
        check(key_words not in flat_all, "the PDF names the model by its key: %r" % key_words)
    # MQLs from the score: its threshold and decay on the first page
    rep = metrics["report"]
    if rep.get("mql_source") == "score":
        hl = rep.get("score_half_life_days") or 0
        # the behavioural points decay, not the fit
        want = (("its behavioural points halving every %g day" % hl) if hl > 0
                else "its points not decaying")
        check("MQLs: a score of %g or more, %s" % (rep["mql_threshold"], want) in flat_all,
              "the PDF does not say what decides a score's MQLs (%r)" % want)
    # the cut-off in the report's time zone, named, not an instant in UTC
    # that a reader in Berlin takes for Sunday's last hour missing
    check("data before %s" % local_as_of(rep) in flat_all,
          "the PDF's first page does not give the data's cut-off in %s (%s)"
          % (rep.get("timezone"), local_as_of(rep)))
    # the campaigns table ranks campaigns: the bucket without one is last,
    # as on the ranking chart and in the workbook
    camp = text[text.rfind("Campaigns, last 13 weeks"):]
    lines = [ln.strip() for ln in camp.splitlines()]
    at = [i for i, ln in enumerate(lines) if re.match(r"unknown\s{2,}\S", ln)]
    names = [r["campaign"] for r in (metrics.get("by_campaign", {}).get("13w") or [])
             if r.get("campaign") not in (None, "unknown") and len(r["campaign"]) <= 20]
    if at and names:
        later = [n for n in names for ln in lines[at[0] + 1:] if ln.startswith(n + "  ")]
        check(not later, "the PDF's campaigns table lists %r after 'unknown'" % later[:3])
    # a "What changed" sentence's amounts share one precision: "$10,135 (last
    # week $13,054; 13-week average $9,900)", not "… $9,899.69"
    for m in re.finditer(r"to (\S+) \(last week (\S+); 13-week average (\S+)\)", flat_all):
        money = [v for v in m.groups() if re.match(r"\D?\$|[\u20ac\u00a3]", v)]
        cents = {bool(re.search(r"\.\d\d$", v)) for v in money}
        check(len(cents) <= 1, "a sentence mixes precisions: %r" % m.group(0))
    # a count's 13-week average reads as a count ("123"), not "123.23"
    flat = " ".join(text.split())
    odd = re.findall(r"(?:Leads|MQLs|SQLs|Wins) (?:rose|fell|held)[^:]*?13-week average [\d,]+\.\d\d\b",
                     flat)
    check(not odd, "a count's 13-week average with cents: %s" % odd[:2])
    # a tile whose figure rests on few cases says on how many
    tpl = configparser.ConfigParser(interpolation=None)
    tpl.read(os.path.join(SOURCE_DIR, "templates", "report_pdf.ini"), encoding="utf-8")
    tiles = [k for sec in tpl.sections() if tpl.has_option(sec, "headline")
             for k in tpl.get(sec, "headline").split(";")]
    check(tiles, "templates/report_pdf.ini lists no headline KPIs")
    page1 = " ".join(text.split("\f")[0].split())
    for row in metrics.get("summary", []):
        if row["kpi"] in tiles and row.get("low_sample"):
            want = "only %d case%s" % (row["n"], "" if row["n"] == 1 else "s")
            check(want in page1, "the PDF's %s tile does not say it rests on %s"
                  % (row["kpi"], want))
    channels = sorted({row["channel"] for rows in metrics["by_channel"].values() for row in rows})
    check(channels, "metrics.json has no channel rows to look for")
    for ch in channels:
        check(channel_words(ch) in text, "the PDF does not show the channel %r as %r" % (ch, channel_words(ch)))
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    check(pages and all(m == pages[0][1] for _, m in pages) and len(pages) == int(pages[0][1]),
          "the PDF's page numbers are not 'Page N of M' on every page: %s" % pages)
    r = run(["pdffonts", path])
    rows = r.stdout.splitlines()[2:]
    check(rows, "pdffonts lists no fonts")
    for line in rows:
        # columns: name type encoding emb sub uni object ID; emb is 5th from the end
        check(line.split()[-5] == "yes", "a font is not embedded: %s" % line)


def check_libreoffice(xlsx, tmp, metrics):
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
    check("What changed" in text, "the workbook converted by libreoffice does not show the Overview")
    check_printed_pages(run(["pdftotext", "-layout", pdfs[0], "-"]).stdout, metrics)
    check_printed_words(run(["pdftotext", "-bbox-layout", pdfs[0], "-"]).stdout)


def check_printed_words(html):
    """No two words of a printed page overlap: every Glossary row is as tall
    as its definition wraps to in LibreOffice (a last line "loose." printed
    over the next row's definition), and a header row as tall as its
    headers wrap to (a drill-down's "Company size (employees)" rose over
    the note above the table)."""
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    pages = 0
    for n, page in enumerate(re.findall(r"<page .*?</page>", html, re.S), 1):
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(page)]
        top = min((w[1] for w in words), default=0)
        # the page header names the sheet
        pages += any(w[4] == "Glossary" and w[1] < top + 5 for w in words)
        # a word's box is its font's height, a little taller than the lines
        # of a wrapped cell are apart: words overlap when their boxes share
        # more than 40% of that height (lines of one cell share about 20%)
        words.sort(key=lambda w: w[1])
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                tall = 0.4 * min(a[3] - a[1], b[3] - b[1])
                if b[1] >= a[3] - tall:
                    break  # sorted by top: no later word reaches a's line
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > tall:
                    check(False, "printed page %d of the workbook shows %r over %r" % (n, a[4], b[4]))
    check(pages, "no printed page of the Glossary")


def check_printed_pages(text, metrics):
    """The workbook as LibreOffice prints it, with Carlito in place of the
    workbook's Calibri (the same metrics, so pages break where Excel's do):
    no blank page, the Glossary's three columns side by side on every page,
    and no table's header repeated over another table of the Data quality."""
    font = run(["fc-match", "-f", "%{family}", "Calibri"]).stdout
    check("Carlito" in font, "Calibri resolves to %r, not Carlito (./test.sh installs "
          "fonts-crosextra-carlito): the printed layout is not the one Excel shows" % font)
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    sheet = {}
    for no, page in enumerate(pages, 1):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        check(lines, "printed page %d of the workbook is blank" % no)
        if lines:  # the page header: the week on the left, the sheet's name on the right
            sheet.setdefault(lines[0].split("  ")[-1].strip(), []).append(page)
    for page in sheet.get("Glossary", []):
        head = re.search(r"^\s*Term\s+Definition\s+Unit\s*$", page, re.M)
        check(head, "a printed Glossary page lacks the header 'Term Definition Unit' in one "
              "line: the columns went to different pages\n%s" % page[:400])
    # a note beside or under a sheet's title prints whole on its first page
    # (beside a long title, a page across printed its end)
    for name, pages_of in sheet.items():
        first = " ".join(pages_of[0].split())
        for start in ("Grey rates", "Grey:"):
            at = first.find(start)
            if at < 0 or at > 400:  # the title's note, not a footer's
                continue
            check(re.search(r"moves (it|them) a lot\.", first[at:at + 400]),
                  "the printed first page of %s cuts the note under its title: %r"
                  % (name, first[at:at + 200]))
    dq = sheet.get("Data quality", [])
    check(dq, "no printed page of the Data quality sheet")
    heads = sum(page.count("Rows accepted") for page in dq)
    check(heads == 1, "the Data quality's 'Rows per source' header is printed %d times" % heads)
    # one page wide: the title whole, and each check's message on the line of its status
    text = "\n".join(dq)
    check(re.search(r"Data quality of the inputs, week \d+ \([^)]*\)", text),
          "the Data quality's title is cut on the printed page")
    check("Data health checks" not in text
          or re.search(r"^\s*Check\s+Source\s+Status\s+Message\s", text, re.M),
          "the Data quality's health table does not print its message beside the status")
    # a check's figures at the top of its row, beside the message's first line
    # (a check named in words, its [health] key after them: "Export ends early (source_lag)")
    lag_label = catalogue().get("check:source_lag", "label")
    lag = [ln for ln in text.splitlines() if re.match(r"\s*%s\s" % re.escape(lag_label), ln)]
    want = sum(1 for h in metrics.get("data_quality", {}).get("health", [])
               if h.get("check") == "source_lag")
    check(len(lag) == want and all(re.search(r"\d\.\d d\s+\d\.\d d\s*$", ln) for ln in lag),
          "the Data quality's source_lag rows do not print their value and limit beside the "
          "check: %s" % lag)
    named = "|".join(re.escape(catalogue().get("check:" + k, "label")) for k in ("source_stale", "no_leads"))
    rows = [ln for ln in text.splitlines() if re.match(r"^\s*(%s)\s" % named, ln)]
    check(rows or "Data health checks" not in text, "no printed health row of source_stale or no_leads")
    for line in rows:
        check(re.search(r"\s(pass|warn|fail|off)\s+\w+: |\s(pass|warn|fail|off)\s+\d", line),
              "a printed health row without its message: %r" % line.strip())


# ---- the hand-derived anchors of tests/fixtures/e2e/README.md ----

def check_anchors(metrics):
    w = metrics["windows"]["1w"]
    for key, want in (("leads", 11), ("mqls", 6), ("sqls", 2), ("wins", 3), ("revenue", 25000.5),
                      ("spend", 2770.25)):
        check(same(want, w.get(key)), "windows.1w.%s is %r, by hand %r" % (key, w.get(key), want))
    names = {row["channel"] for row in metrics["by_channel"]["13w"]}
    check({"paid_search", "webinar", "email"} <= names, "by_channel.13w has channels %s" % names)
    # the week's MQL → SQL rate rests on its 6 MQLs: fewer than 30, flagged
    # in the tiles and the Overview (checked above)
    check(w.get("mql_to_sql_rate_n") == 6, "windows.1w.mql_to_sql_rate_n is %r, by hand 6"
          % w.get("mql_to_sql_rate_n"))
    few = [r["kpi"] for r in metrics.get("summary", []) if r.get("low_sample")]
    check("mql_to_sql_rate" in few, "summary flags %s as resting on few cases, not the MQL "
          "\u2192 SQL rate" % few)


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
        check_small_samples(openpyxl.load_workbook(xlsx), metrics)
        check_cohort_shading(openpyxl.load_workbook(xlsx), metrics)
        check_few_cases(openpyxl.load_workbook(xlsx), metrics)
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
        check_libreoffice(xlsx, tmp, metrics)
        if not harness:
            # MQLs from the score with a decay: the first page and the
            # Glossary say what decides them
            scored = os.path.join(tmp, "scored")
            r = run([args[0], "run", "--config", os.path.join(tmp, "health.ini"), "--data", FIXTURE,
                     "--week", WEEK, "--out", scored, "--no-email", "--mql-source", "score",
                     "--half-life", "14"])
            if check(r.returncode == 0, "the scored run exited %d: %s" % (r.returncode, r.stderr)):
                with open(os.path.join(scored, "metrics.json"), encoding="utf-8") as f:
                    sm = json.load(f)
                check(sm["report"].get("mql_source") == "score" and sm["report"].get("score_half_life_days") == 14,
                      "the scored run's report: %r" % sm["report"])
                check_model_named(openpyxl.load_workbook(one(scored, "*.xlsx")),
                                  run(["pdftotext", one(scored, "*.pdf"), "-"]).stdout, sm)
                check_pdf(one(scored, "*.pdf"), sm)
            # the bundled sample, whose channels of 30 MQLs and more close few
            # deals: their close rates grey on their own count
            sample = os.path.join(tmp, "sample")
            r = run([args[0], "run", "--data", os.path.join(SOURCE_DIR, "samples"), "--week", "2026-W47",
                     "--out", sample, "--no-email"])
            check(r.returncode == 0, "the sample run exited %d: %s" % (r.returncode, r.stderr))
            if r.returncode == 0:
                with open(os.path.join(sample, "metrics.json"), encoding="utf-8") as f:
                    sm = json.load(f)
                wb = openpyxl.load_workbook(one(sample, "*.xlsx"))
                check(check_small_samples(wb, sm) > 0,
                      "the sample: no close rate grey on its own few closed deals")
                check_few_cases(wb, sm)
                check_unusual_words(wb, sm)
                check(check_young_labels(wb, sm) > 0,
                      "the sample: no Overview figure flagged as not yet comparable")
                check_cohort_shading(wb, sm)
                check_unknown_last(one(sample, "*.xlsx"), wb)
            # the sample's first week: no weeks before it to spread over
            first = os.path.join(tmp, "sample-w22")
            r = run([args[0], "run", "--data", os.path.join(SOURCE_DIR, "samples"), "--week", "2026-W22",
                     "--out", first, "--no-email"])
            if check(r.returncode == 0, "the sample's first week exited %d: %s" % (r.returncode, r.stderr)):
                with open(os.path.join(first, "metrics.json"), encoding="utf-8") as f:
                    fm = json.load(f)
                check(check_unusual_words(openpyxl.load_workbook(one(first, "*.xlsx")), fm) > 0,
                      "the sample's first week: every What changed row has a z-score")
                # printed as the user prints it: the sample's sheets are
                # wide enough to print over pages across
                check_libreoffice(one(sample, "*.xlsx"), sample, sm)
                check_pdf(one(sample, "*.pdf"), sm)
                sample_text = run(["pdftotext", one(sample, "*.pdf"), "-"]).stdout
                check(check_hidden_loser(sample_text, sm),
                      "the sample: no campaign among the others named as spending more than it earned")
                # the scatter's circles are sized by MQLs: a key says how many a size is
                page = next((pg for pg in sample_text.split("\f") if pg.lstrip().startswith("Spend vs revenue by campaign")), "")
                biggest = max((r.get("mqls") or 0) for r in sm["by_campaign"]["13w"])
                key = re.search(r"Circle area, MQLs:\s+[\d,]+\s+([\d,]+)", page)
                check(key is not None and int(key.group(1).replace(",", "")) == biggest,
                      "the sample's scatter has no key to its circles' areas naming the largest, "
                      "%d MQLs: %r" % (biggest, key and key.group(0)))
            # on US Letter, whose landscape page is narrower: no sheet prints
            # a last page across that holds one column beside the keys
            letter = os.path.join(tmp, "letter")
            with open(os.path.join(tmp, "letter.ini"), "w") as f:
                f.write("[report]\npaper = Letter\n")  # as people write it
            r = run([args[0], "run", "--config", os.path.join(tmp, "letter.ini"), "--data",
                     os.path.join(SOURCE_DIR, "samples"), "--week", "2026-W47", "--out", letter,
                     "--no-email"])
            if check(r.returncode == 0, "the Letter run exited %d: %s" % (r.returncode, r.stderr)):
                wb = openpyxl.load_workbook(one(letter, "*.xlsx"))
                for ws in wb.worksheets:
                    check(ws.page_setup.paperSize in (1, "1"), "sheet %r is not printed on Letter" % ws.title)
                    check_print_scale(ws, letter=True)
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
