#!/usr/bin/env python3
"""Amounts in a currency written as a code (CHF) or with three decimals (KWD)
read in full in every output:

- the PDF's tiles and tables cut no amount ("3,810…7 KWD"): a table's money
  column gives its code once in its header ("Revenue, CHF") and plain
  numbers in its cells, and no header word is split ("Reven-ue");
- every money cell of the workbook has a column wide enough for its text as
  its number format shows it ("1,601,651.000 KWD"), which a spreadsheet
  otherwise shows as "###";
- the e-mail's plain-text lines keep to 78 characters;
- and, in the samples' first week, the note under each PDF table gives the
  reason of every "—" it shows: no spend, spend but no MQLs, no closed deal.

Usage: test_currency_codes.py MQLREPORT
"""
import email
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

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


def data_in(tmp, code):
    """The samples with the spend export in `code`."""
    d = os.path.join(tmp, "data-" + code)
    os.makedirs(d)
    for f in glob.glob(os.path.join(SAMPLES, "*.csv")):
        shutil.copy(f, d)
    path = os.path.join(d, "spend.csv")
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(re.sub(r",[Uu][Ss][Dd](\r?)$", r"," + code + r"\1", text, flags=re.M))
    return d


def produce(mqlreport, tmp, code):
    cfg = os.path.join(tmp, "mail.ini")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[email]\nsmtp_url = smtp://127.0.0.1:2525\nfrom = r@example.com\n"
                "to = a@example.com\n")
    out, eml = os.path.join(tmp, "out-" + code), os.path.join(tmp, code + ".eml")
    r = run([mqlreport, "run", "--config", cfg, "--data", data_in(tmp, code), "--week", WEEK,
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
    """A money cell's text as its number format '#,##0.000 "KWD"' shows it."""
    m = re.match(r'"?([^"#0]*)"?#,##0(\.0+)?(?: "(\w+)")?', fmt)
    if not m:
        return None
    decimals = len(m.group(2) or ".")-1
    text = "{:,.{}f}".format(abs(value), decimals)
    return m.group(1) + text + (" " + m.group(3) if m.group(3) else "")


def check_workbook(code, xlsx):
    wb = openpyxl.load_workbook(xlsx)
    seen = 0
    # (the Overview's columns are its tiles' grid; the data behind its
    # charts, below them, does not print)
    for ws in (w for w in wb.worksheets if w.title != "Overview"):
        for row in ws.iter_rows():
            for c in row:
                fmt = c.number_format or ""
                if not isinstance(c.value, (int, float)) or code not in fmt or ";" in fmt:
                    continue
                text = shown(c.value, fmt)
                if text is None:
                    continue
                dim = ws.column_dimensions.get(c.column_letter)
                width = dim.width if dim is not None and dim.width else 8.43
                seen += 1
                # a digit is a character's width; the code's capitals a little more
                check(width >= len(text) + 1,
                      "%s: %s!%s shows %r in a column %.1f characters wide (\"###\")"
                      % (code, ws.title, c.coordinate, text, width))
    check(seen > 0, "%s: the workbook has no money cell in %s" % (code, code))


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
            check_mail(code, eml)
        check_dash_note(sys.argv[1], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if errors:
        for e in errors:
            print("FAIL:", e)
        sys.exit(1)
    print("ok: amounts in CHF and KWD read in full in the PDF, the workbook and the e-mail; "
          "the PDF tables' notes give each dash's reason")


if __name__ == "__main__":
    main()
