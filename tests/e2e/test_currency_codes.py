#!/usr/bin/env python3
"""Amounts in a currency written as a code (CHF) or with three decimals (KWD)
read in full in every output:

- the PDF's tiles and tables cut no amount ("3,810…7 KWD"): a table's money
  column gives its code once in its header ("Revenue, CHF") and plain
  numbers in its cells, and no header word is split ("Reven-ue");
- every money cell of the workbook, the Overview's too, has a column wide
  enough for its text as its number format shows it ("1,601,651.000 KWD",
  and in dong at the samples' scale times 25,000 "1,762,175,000 VND"),
  which a spreadsheet otherwise shows as "###";
- a chart's axis of money, and a figure shown without decimals, are whole
  amounts in the currency ("400 KWD", not "400,00 KWD" from a format cut
  out of "#,##0.000"), as the PDF writes them;
- the e-mail's plain-text lines keep to 78 characters;
- and, in the samples' first week, the note under each PDF table gives the
  reason of every "—" it shows: no spend, spend but no MQLs, no closed deal.

Usage: test_currency_codes.py MQLREPORT
"""
import csv
import email
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(SOURCE_DIR, "samples")
WEEK = "2026-W47"
DASH = "\u2014"

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def page_texts(pdf):
    n = int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout).group(1))
    return [run(["pdftotext", "-f", str(k), "-l", str(k), "-layout", pdf, "-"]).stdout
            for k in range(1, n + 1)]


def data_in(tmp, code, factor=1):
    """The samples with the spend export in `code`, every amount (spend,
    deals, won amounts) times factor."""
    d = os.path.join(tmp, "data-" + code)
    os.makedirs(d)
    for f in glob.glob(os.path.join(SAMPLES, "*.csv")):
        shutil.copy(f, d)
    path = os.path.join(d, "spend.csv")
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(re.sub(r",[Uu][Ss][Dd](\r?)$", r"," + code + r"\1", text, flags=re.M))
    for name in ("spend.csv", "opportunities.csv", "leads.csv") if factor != 1 else ():
        path = os.path.join(d, name)
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        k = rows[0].index("amount")
        for row in rows[1:]:
            # "$1.16", "1,200.00": the samples write amounts as people do
            plain = re.sub(r"[^\d.-]", "", row[k]) if len(row) > k else ""
            if re.fullmatch(r"-?\d+(\.\d+)?", plain):
                row[k] = "%.0f" % (float(plain) * factor)
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return d


def produce(mqlreport, tmp, code, factor=1):
    cfg = os.path.join(tmp, "mail.ini")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[email]\nsmtp_url = smtp://127.0.0.1:2525\nfrom = r@example.com\n"
                "to = a@example.com\n")
    out, eml = os.path.join(tmp, "out-" + code), os.path.join(tmp, code + ".eml")
    r = run([mqlreport, "run", "--config", cfg, "--data", data_in(tmp, code, factor), "--week", WEEK,
             "--currency", code, "--out", out, "--eml", eml])
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport run in %s exited %d: %s" % (code, r.returncode, r.stderr))
    return glob.glob(os.path.join(out, "*.pdf"))[0], glob.glob(os.path.join(out, "*.xlsx"))[0], eml


def check_pdf(code, pdf):
    pages = page_texts(pdf)
    tiles = pages[0][:pages[0].find("What changed")]
    check("\u2026" not in tiles, "%s: a tile's figure is cut: %r"
          % (code, [ln.strip() for ln in tiles.splitlines() if "\u2026" in ln]))
    for title, money in (("Campaigns, last 13 weeks", ("Revenue", "Spend", "Cost per MQL")),
                         ("Channels, last 13 weeks", ("Revenue", "Spend", "Cost per MQL"))):
        whole = "\n".join(pages)
        if not check(title in whole, "%s: no page holds the table %r" % (code, title)):
            continue
        table = whole[whole.rindex(title):]  # the table, after the contents' line
        end = table.find("\n\n", table.index("Leads"))
        rows = table[:end] if end > 0 else table
        flat = " ".join(rows.split("\n", 4)[:4])  # the title and the header's lines
        check("\u2026" not in rows, "%s: %r cuts a figure or a header:\n%s" % (code, title, rows))
        check(code not in " ".join(rows.splitlines()[4:]),
              "%s: %r repeats the currency in its cells:\n%s" % (code, title, rows))
        check(not re.search(r"\w-\s", flat), "%s: %r splits a header word: %r" % (code, title, flat))
        head = " ".join(rows.splitlines()[1:4])
        words = " ".join(head.split())
        for label in money:
            # the header's lines side by side: "Revenue," above "CHF"
            check(re.search(r"%s,\s" % re.escape(label.split()[-1]), words) and code in words,
                  "%s: %r gives no currency in the header of %s: %r" % (code, title, label, words))


def shown(value, fmt):
    """A money cell's text as its number format '#,##0.000 "KWD"' shows it
    (a positive one: the format's first section)."""
    m = re.match(r'"?([^"#0]*)"?#,##0(\.0+)?(?: "(\w+)")?(;|$)', fmt)
    if not m:
        return None
    decimals = len(m.group(2) or ".")-1
    text = "{:,.{}f}".format(abs(value), decimals)
    return m.group(1) + text + (" " + m.group(3) if m.group(3) else "")


def column_widths(ws):
    """{column number: width} as stored (a dimension may cover several)."""
    got = {}
    for dim in ws.column_dimensions.values():
        lo = dim.min or openpyxl.utils.column_index_from_string(dim.index)
        for c in range(lo, (dim.max or lo) + 1):
            if dim.width:
                got[c] = dim.width
    return got


def check_workbook(code, xlsx):
    """Every money cell of every sheet, the Overview's tiles and the data
    behind its charts too, in a column wide enough for it. Returns the
    widest amount seen, in characters."""
    wb = openpyxl.load_workbook(xlsx)
    seen = widest = 0
    for ws in wb.worksheets:
        widths = column_widths(ws)
        for row in ws.iter_rows():
            for c in row:
                fmt = c.number_format or ""
                if not isinstance(c.value, (int, float)) or code not in fmt or c.value < 0:
                    continue
                text = shown(c.value, fmt)
                if text is None or (c.value == 0 and ";" in fmt):  # "—": no spend
                    continue
                width = widths.get(c.column, 8.43)
                widest = max(widest, len(text))
                seen += 1
                # a digit is a character's width; the code's capitals a little more
                check(width >= len(text) + 1,
                      "%s: %s!%s shows %r in a column %.1f characters wide (\"###\")"
                      % (code, ws.title, c.coordinate, text, width))
    check(seen > 0, "%s: the workbook has no money cell in %s" % (code, code))
    return widest


def check_whole_formats(code, xlsx):
    """The formats of whole amounts, a chart's money axis and a figure
    without decimals, are the currency's own without its decimals:
    '#,##0 "KWD"' (cut out of '#,##0.000 "KWD"' it read '#,##00 "KWD"', an
    axis of "00 KWD", "200 KWD" …). Returns the chart axes of money seen."""
    with zipfile.ZipFile(xlsx) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
        styles = z.read("xl/styles.xml").decode()
    whole = '#,##0 "%s"' % code
    axes = 0
    for xml in charts:
        for fmt in re.findall(r'formatCode="([^"]*)"', xml):
            fmt = html.unescape(fmt)
            if code in fmt:
                axes += 1
                check(fmt == whole, "%s: a chart's axis of money has the format %r, not %r"
                      % (code, fmt, whole))
    for fmt in re.findall(r'formatCode="([^"]*)"', styles):
        fmt = html.unescape(fmt).split(";")[0]
        if code in fmt:
            check(re.fullmatch(r'#,##0(\.0{2,3})? "%s"' % code, fmt),
                  "%s: the workbook has a money format %r" % (code, fmt))
    return axes


def check_mail(code, eml):
    with open(eml, "rb") as f:
        msg = email.message_from_binary_file(f)
    text = next(p.get_payload(decode=True).decode() for p in msg.walk()
                if p.get_content_type() == "text/plain")
    long = [ln for ln in text.splitlines() if len(ln) > 78]
    check(not long, "%s: the plain text has lines over 78 characters: %r" % (code, long))
    check("Amounts in %s" % code in text, "%s: the KPI table does not give its currency" % code)


def check_dash_note(mqlreport, tmp):
    """Week 2026-W22 of the samples: a campaign with spend and no MQLs, rows
    without spend and close rates without a closed deal; the note under each
    table gives each reason of the dashes it shows, and only those."""
    cfg = os.path.join(tmp, "w22.ini")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[health]\nsource_stale = warn\nno_leads = warn\n")
    out = os.path.join(tmp, "out-w22")
    r = run([mqlreport, "run", "--config", cfg, "--data", SAMPLES, "--week", "2026-W22",
             "--out", out, "--no-email"])
    if not check(r.returncode == 0, "2026-W22: run exited %d: %s" % (r.returncode, r.stderr)):
        return
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    text = "\n".join(page_texts(glob.glob(os.path.join(out, "*.pdf"))[0]))
    camp = text[text.rindex("Campaigns, last 13 weeks"):text.rindex("Channels, last 13 weeks")]
    chan = text[text.rindex("Channels, last 13 weeks"):]
    for what, part, rows in (("campaigns", camp, metrics["by_campaign"]["13w"]),
                             ("channels", chan, metrics["by_channel"]["13w"])):
        flat = " ".join(part.split())
        no_mqls = any((r.get("spend") or 0) > 0 and r.get("cost_per_mql") is None for r in rows)
        no_spend = any(r.get("spend") == 0 for r in rows)
        no_close = any(r.get("close_rate") is None for r in rows)
        for why, want in (("%s as cost per MQL: spend but no MQLs to divide it by." % DASH, no_mqls),
                          ("%s in ROI and costs: no spend, so they do not apply." % DASH, no_spend),
                          ("%s as close rate: no closed deal yet, so no rate." % DASH, no_close)):
            check((why in flat) == want, "2026-W22, %s: the table %s %r" %
                  (what, "does not say" if want else "says", why))
        check(no_mqls or what == "channels", "2026-W22: no campaign with spend and no MQLs")


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: test_currency_codes.py MQLREPORT")
    tmp = tempfile.mkdtemp(prefix="mql-cur-")
    try:
        for code in ("CHF", "KWD"):
            pdf, xlsx, eml = produce(sys.argv[1], tmp, code)
            check_pdf(code, pdf)
            check_workbook(code, xlsx)
            check(check_whole_formats(code, xlsx) >= 2,
                  "%s: fewer than two chart axes of money in the workbook" % code)
            check_mail(code, eml)
        # dong at the samples' scale: about 25,000 to the dollar, amounts
        # in the billions ("1,762,175,000 VND" needs 17 characters)
        pdf, xlsx, eml = produce(sys.argv[1], tmp, "VND", factor=25000)
        check(check_workbook("VND", xlsx) >= 17, "VND: no amount in the billions in the workbook")
        check_whole_formats("VND", xlsx)
        check_dash_note(sys.argv[1], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if errors:
        for e in errors:
            print("FAIL:", e)
        sys.exit(1)
    print("ok: amounts in CHF, KWD and VND read in full in the PDF, the workbook and the e-mail; "
          "the PDF tables' notes give each dash's reason")


if __name__ == "__main__":
    main()
