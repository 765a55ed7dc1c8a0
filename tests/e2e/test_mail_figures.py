#!/usr/bin/env python3
"""The e-mail with long figures and without spend, on the samples scaled:

- `text`: in yen times a million (revenue ¥61,200,000,000) and in dong at
  the samples' scale times 25,000 (figures of 13 characters), every line of
  the plain text keeps to 78 characters and every KPI's figures stand whole
  in its row; with the report week's spend left out of the export, the cost
  per lead, per MQL and per customer show "—" in both parts, without a change,
  an arrow, a colour or "better" (no spend: not applicable, never "$0.00"), a
  note says why, and the subject gives the spend as the body's sentence does
  ("spend $0", not "$0.00"); no output calls such a cost a movement ("Cost per
  MQL fell 100% to $0.00 … outside its usual range"); the PDF's tiles show
  it "—" with no change and the note, the workbook's Overview and Week on
  week sheets write no change to it; the placeholders' figures that
  docs/operations.md gives ({{kpi:roi}}, {{value:roi}}, …) are what a
  subject of them shows on the samples;
- `phone`: headless Chromium lays the HTML part out at 375 px (a phone) and
  at 800 px: nothing is wider than the screen (the KPI table's Change column
  and the paragraphs were cut at 375 px). Fails without Chromium, which
  `./setup.sh --test-deps` installs.

Usage: test_mail_figures.py MQLREPORT text|phone
"""
import csv
import email
import email.policy
import glob
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(SOURCE_DIR, "samples")
WEEK = "2026-W47"
DASH = "\u2014"

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def scaled(tmp, name, code, factor, drop_week=False):
    """The samples with every amount times factor, spent in `code`; without
    the report week's spend when drop_week."""
    d = os.path.join(tmp, "data-" + name)
    os.makedirs(d)
    for f in glob.glob(os.path.join(SAMPLES, "*.csv")):
        shutil.copy(f, d)
    for fname in ("spend.csv", "opportunities.csv"):
        path = os.path.join(d, fname)
        with open(path, encoding="utf-8", newline="") as f:
            lines = f.read().splitlines(keepends=True)
        head = next(csv.reader(lines[:1]))
        amount, out = head.index("amount"), [lines[0]]
        for line in lines[1:]:
            r = next(csv.reader([line]), [])
            # a row of the export's own (the samples hold malformed ones on
            # purpose, and "$44.48" or "1,234.50"): its number alone, scaled
            plain = re.sub(r"[$,\s]", "", r[amount]) if len(r) == len(head) else ""
            if not re.fullmatch(r"-?\d+(\.\d+)?", plain):
                out.append(line)
                continue
            if drop_week and fname == "spend.csv" and "2026-11-16" <= r[0][:10] <= "2026-11-22":
                continue
            r[amount] = "%.2f" % (float(plain) * factor)
            if "currency" in head:
                r[head.index("currency")] = code
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerow(r)
            out.append(text.getvalue())
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("".join(out))
    return d


def produce(mqlreport, tmp, name, code, factor, drop_week=False):
    cfg = os.path.join(tmp, name + ".ini")
    with open(cfg, "w", encoding="utf-8") as f:
        # the spend export without the report week is stale, and its
        # channels have leads without spend: warnings, and the run publishes
        f.write("[health]\nsource_stale = warn\nleads_without_spend = warn\n\n"
                "[email]\nsmtp_url = smtp://127.0.0.1:2525\nfrom = r@example.com\n"
                "to = a@example.com\n")
    out, eml = os.path.join(tmp, "out-" + name), os.path.join(tmp, name + ".eml")
    r = subprocess.run([mqlreport, "run", "--config", cfg,
                        "--data", scaled(tmp, name, code, factor, drop_week), "--week", WEEK,
                        "--currency", code, "--out", out, "--eml", eml],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport run of %s exited %d: %s" % (name, r.returncode, r.stderr))
    with open(eml, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        metrics = json.load(f)
    return msg, metrics


def parts(msg):
    return (msg.get_body(preferencelist=("plain",)).get_content(),
            msg.get_body(preferencelist=("html",)).get_content())


def table_line(text, label):
    """The plain text's KPI table's line that holds the figures of `label`
    (a label wrapped over lines: its last, with its figures), or ""."""
    table = text[text.index("THE WEEK'S FIGURES"):text.index("\n\nChanges of rates")]
    lines = table.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith(label.split()[0]):
            continue
        joined, k = line, i
        while label not in " ".join(joined.split()) and k + 1 < len(lines):
            k += 1
            joined += " " + lines[k]
        if " ".join(joined.split()).startswith(label):
            return lines[k]
    return ""


def html_cells(page, label):
    """The HTML KPI table's cells of `label`: its label, this week, last
    week and the change (in two columns: "Last week …" for the third)."""
    table = page[page.index("The week's figures"):]
    table = table[:table.index("</table>")]
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    for i, c in enumerate(cells):
        if c.startswith(label):
            return cells[i:i + 4]
    return []


def check_text(mqlreport, tmp):
    for name, code, factor in (("jpy", "JPY", 1e6), ("vnd", "VND", 25000)):
        msg, metrics = produce(mqlreport, tmp, name, code, factor)
        text, _ = parts(msg)
        long = [ln for ln in text.splitlines() if len(ln) > 78]
        check(not long, "%s: the plain text has lines over 78 characters: %r" % (name, long))
        for kpi, label in (("revenue", "Revenue"), ("spend", "Spend")):
            row = next(r for r in metrics["summary"] if r["kpi"] == kpi)
            check(row["this_week"] >= 1e9 or kpi == "spend",
                  "%s: the revenue is no billions: %r" % (name, row))
            line = table_line(text, label)
            for week in ("this_week", "last_week"):
                whole = "{:,.0f}".format(row[week])
                check(whole in line, "%s: %s's %s, %s, is not whole in its row: %r"
                      % (name, label, week, whole, line))

    msg, metrics = produce(mqlreport, tmp, "nospend", "USD", 1, drop_week=True)
    text, page = parts(msg)
    summary = {r["kpi"]: r for r in metrics["summary"]}
    check(summary["spend"]["this_week"] == 0, "nospend: the week has spend: %r" % summary["spend"])
    for label, kpi in (("Cost per lead", "cost_per_lead"), ("Cost per MQL", "cost_per_mql"),
                       ("Customer acquisition cost", "cac")):
        check(summary[kpi]["this_week"] == 0 and summary[kpi]["last_week"] > 0,
              "nospend: %s is no cost of 0 after one with spend: %r" % (kpi, summary[kpi]))
        last = "${:,.2f}".format(summary[kpi]["last_week"])
        line = table_line(text, label)
        check(re.search(r"\s%s\s+%s\s+%s(\s\s|$)" % (DASH, re.escape(last), DASH), line),
              "nospend: the plain text's %s is not \"%s  %s  %s\": %r" % (label, DASH, last, DASH, line))
        check("better" not in line and "worse" not in line,
              "nospend: the plain text judges %s without spend: %r" % (label, line))
        cells = html_cells(page, label)
        check(len(cells) == 4 and cells[1] == DASH and cells[3] == DASH and last in cells[2],
              "nospend: the HTML's %s is not \"%s\" without a change: %r" % (label, DASH, cells))
    row = page[page.index(">Cost per lead<"):]
    row = row[:row.index("</tr>")]
    coloured = "#1A7F37" in row.upper() or "#C62828" in row.upper()
    check("\u25b2" not in row and "\u25bc" not in row and not coloured,
          "nospend: the HTML's cost per lead has an arrow or a colour: %r" % row)
    check(all("in a week without spend" in " ".join(t.split()) for t in (text, page)),
          "nospend: no note says why a cost without spend has a dash")
    subject = " ".join(str(msg["Subject"]).split())
    said = re.search(r"Spend fell 100% to (\S+) \(", text)
    check(said and "spend %s (" % said.group(1) in subject,
          "nospend: the subject's spend differs from the body's %r: %r"
          % (said and said.group(1), subject))
    check("$0.00" not in subject, "nospend: the subject says $0.00: %r" % subject)
    # no output calls a cost without spend a movement
    flat = " ".join(text.split())
    check("Cost per MQL fell" not in flat and "cost per MQL fell" not in flat,
          "nospend: the e-mail calls the cost per MQL without spend a fall: %r" % flat[:1200])
    out = os.path.join(tmp, "out-nospend")
    pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
    page1 = " ".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"],
                                    capture_output=True, text=True).stdout.split())
    for label in ("Cost per MQL", "Customer acquisition cost"):
        # the tile: its label, "—" this week, "—" for the change
        got = tile_words(pdf, label)
        check(re.fullmatch(r"%s %s %s last week \$[\d,.]+" % (label, DASH, DASH), got),
              "nospend: the PDF's %s tile is not \"%s\" without a change: %r" % (label, DASH, got))
    check("$0.00" not in page1 and "in a week without spend" in page1 and "Cost per MQL fell" not in page1,
          "nospend: page 1 of the PDF shows $0.00, calls the cost a fall or lacks the note: %r" % page1)
    import openpyxl
    wb = openpyxl.load_workbook(glob.glob(os.path.join(out, "*.xlsx"))[0])
    for sheet in ("Overview", "Week on week"):
        ws = wb[sheet]
        seen = 0
        for row in ws.iter_rows(max_col=4):
            label = str(row[0].value or "").split("\n")[0]
            if label in ("Cost per lead", "Cost per MQL", "Customer acquisition cost") and row[1].value == 0:
                seen += 1
                check(row[3].value == DASH, "nospend: %s writes %r as the change of %s without spend"
                      % (sheet, row[3].value, label))
        check(seen >= 2, "nospend: %s shows %d costs without spend" % (sheet, seen))


def tile_words(pdf, label):
    """The words of page 1's tile whose label is `label`, in reading order:
    those within the tile's box below and right of its label."""
    import xml.etree.ElementTree as ET
    r = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", pdf, "-"],
                       capture_output=True, text=True)
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", r.stdout, count=1))
    words = [(float(e.get("xMin")), float(e.get("yMin")), e.text or "") for e in root.iter("word")]
    first = label.split()[0]
    for x, y, t in words:
        if t != first:
            continue
        inside = sorted(((wy, wx, wt) for wx, wy, wt in words
                         if x - 1 <= wx < x + 125 and y - 1 <= wy < y + 55), key=lambda w: (round(w[0]), w[1]))
        text = " ".join(w[2] for w in inside)
        if text.startswith(label):
            return text
    return ""


def widths(chromium, tmp, page, width):
    """The width Chromium lays the HTML out to in a frame `width` px wide,
    and the frame's own width."""
    with open(os.path.join(tmp, "mail.html"), "w", encoding="utf-8") as f:
        f.write(page)
    frame = os.path.join(tmp, "frame.html")
    with open(frame, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"mail.html\" "
                "style=\"width:%dpx;height:3000px;border:0\"></iframe><script>"
                "document.getElementById('f').addEventListener('load', function () {"
                "var d = this.contentDocument.documentElement;"
                "document.body.setAttribute('data-w', d.scrollWidth + ' ' + d.clientWidth);"
                "});</script></body></html>" % width)
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--allow-file-access-from-files",
                        "--user-data-dir=" + tempfile.mkdtemp(dir=tmp), "--window-size=900,3000",
                        "--virtual-time-budget=5000", "--dump-dom", "file://" + frame],
                       capture_output=True, text=True, timeout=120)
    m = re.search(r'data-w="(\d+) (\d+)"', r.stdout)
    if not m:
        raise SystemExit("FAIL: chromium laid out no page: %s" % r.stderr[-2000:])
    return int(m.group(1)), int(m.group(2))


def check_phone(mqlreport, tmp):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("FAIL: no chromium: ./setup.sh --test-deps installs it")
    for name, code, factor in (("vnd", "VND", 25000), ("jpy", "JPY", 1e6), ("usd", "USD", 1e5),
                               ("sample", "USD", 1)):
        msg, _ = produce(mqlreport, tmp, name, code, factor)
        _, page = parts(msg)
        for width in (375, 800):
            laid, screen = widths(chromium, tmp, page, width)
            check(laid <= screen, "%s: at %d px the e-mail is %d px wide, past the screen's %d"
                  % (name, width, laid, screen))


def check_doc_placeholders(mqlreport, tmp):
    """The figures docs/operations.md gives as the placeholders' values
    ({{kpi:roi}} "ROI 435%, −1,286 pp on last week", {{value:roi}} "435%")
    are the samples' of week 2026-W47, as a subject of those placeholders
    shows them: the doc's "−1,287 pp" and "2.6 h" were no run's."""
    with open(os.path.join(SOURCE_DIR, "docs", "operations.md"), encoding="utf-8") as f:
        doc = " ".join(f.read().split())
    # {{kpi:NAME}}'s example is ROI's row
    said = [("{{kpi:roi}}", line) for line in
            re.findall(r'`\{\{kpi:NAME\}\}` \(that row\'s line: "(ROI [^"]+)"', doc)]
    said += re.findall(r'`(\{\{value:\w+\}\})`(?: is)? "([^"]+)"', doc)
    if not check(len(said) >= 3, "docs/operations.md gives %d placeholders' figures, not the "
                 "three of {{kpi:roi}} and {{value:…}}: %r" % (len(said), said)):
        return
    cfg = os.path.join(tmp, "placeholders.ini")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[email]\nsmtp_url = smtp://127.0.0.1:2525\nfrom = r@example.com\n"
                "to = a@example.com\nsubject = %s\n" % " | ".join(p for p, _ in said))
    out, eml = os.path.join(tmp, "out-placeholders"), os.path.join(tmp, "placeholders.eml")
    r = subprocess.run([mqlreport, "run", "--config", cfg, "--data", SAMPLES, "--week", WEEK,
                        "--out", out, "--eml", eml], capture_output=True, text=True)
    if not check(r.returncode == 0, "the samples with a subject of placeholders: exit %d: %s"
                 % (r.returncode, r.stderr)):
        return
    with open(eml, "rb") as f:
        subject = " ".join(str(email.message_from_binary_file(
            f, policy=email.policy.default)["Subject"]).split())
    got = subject.split(" | ")
    for (placeholder, want), shown in zip(said, got):
        check(shown == want, "docs/operations.md gives %s as %r; the samples' week %s: %r"
              % (placeholder, want, WEEK, shown))
    check(len(got) == len(said), "the subject %r has not the %d placeholders' figures"
          % (subject, len(said)))


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("text", "phone"):
        raise SystemExit("usage: test_mail_figures.py MQLREPORT text|phone")
    tmp = tempfile.mkdtemp(prefix="mql-mailfig-")
    try:
        if sys.argv[2] == "text":
            check_text(sys.argv[1], tmp)
            check_doc_placeholders(sys.argv[1], tmp)
        else:
            check_phone(sys.argv[1], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if errors:
        for e in errors:
            print("FAIL:", e)
        sys.exit(1)
    print("ok: the e-mail's %s" % ("plain text keeps long figures whole within 78 characters, "
                                   "and costs without spend read \u2014"
                                   if sys.argv[2] == "text" else
                                   "HTML fits 375 and 800 px with long figures"))


if __name__ == "__main__":
    main()
