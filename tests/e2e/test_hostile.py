"""Hostile but valid exports, small versions of bench/hostile.sh's: the real
binary must give the right outputs (the benchmark times the large ones; this
test times nothing).

  - 5,000 distinct event types: every one in metrics.json with its count,
    data_quality.unknown_event_types_by_type by name, engagement rows by
    events then type;
  - a leads header of 2,000 unknown columns with the canonical ones spread
    among them and a second "amount" last: mapped right (the first amount
    counts), the ignored columns listed (the first 20 and how many more);
  - 600 campaigns: the PDF ranks the 15 with the most revenue and one bar
    for all the others, lists the 200 with the most revenue (ties by spend,
    the largest first, then by name)
    and says the workbook lists all, stays within 30 pages; the workbook
    keeps every campaign;
  - a campaign name of 300 two-byte letters: the PDF's table cuts it after
    a whole letter, with "…", where a cut inside a letter made cairo refuse
    the whole PDF;
  - a campaign name with a Unicode noncharacter (U+FFFE), which cairo
    refuses to draw and XML to hold, and one of a million characters: the
    run ends with 0, the PDF and the workbook show U+FFFD in its place and
    the long one cut with "…" at Excel's 32,767 characters, metrics.json
    keeps both as exported;
  - a channel and a campaign with a vertical tab (a slide title pasted in):
    a space in the workbook, whose every part, charts included, is XML.

usage: test_hostile.py MQLREPORT"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.environ["MQL_SOURCE_DIR"], "bench"))
import hostile_gen  # noqa: E402

BIN = sys.argv[1]
WEEK = hostile_gen.WEEK
FAILS = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)
    return cond


def mqlreport(*args):
    env = dict(os.environ, LC_ALL="C", SOURCE_DATE_EPOCH="1764000000")
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout + p.stderr


def run(data, out):
    rc, log = mqlreport("run", "--data", data, "--week", WEEK, "--no-email", "--out", out)
    check(rc == 0, f"run on {os.path.basename(data)}: exit 0 ({rc})\n{log[-2000:]}")
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        return json.load(f), log


def event_types(tmp):
    n = 5000
    data = os.path.join(tmp, "types")
    hostile_gen.event_types(n, data)
    m, _ = run(data, os.path.join(tmp, "types-out"))
    want = {hostile_gen.type_name(i): hostile_gen.type_events(i) for i in range(n)}
    dq = m["data_quality"]
    by_type = dq["unknown_event_types_by_type"]
    check(dq["unknown_event_types"] == sum(want.values()),
          f"unknown_event_types counts every event ({dq['unknown_event_types']})")
    check(list(by_type) == sorted(want), "unknown_event_types_by_type: all 5,000 types, by name")
    check(by_type == want, "unknown_event_types_by_type: each type's count")
    for w, rows in m["engagement"].items():
        got = [(r["type"], r["events"]) for r in rows]
        order = sorted(want.items(), key=lambda kv: (-kv[1], kv[0]))
        check(got == order, f"engagement.{w}: 5,000 rows, most events first, then by type")


def header_columns(tmp):
    n = 2000
    data = os.path.join(tmp, "columns")
    hostile_gen.header_columns(n, data)
    m, log = run(data, os.path.join(tmp, "columns-out"))
    w = m["windows"]["1w"]
    check((w["leads"], w["mqls"], w["wins"]) == (5, 5, 5),
          f"the canonical columns among 2,000 others are mapped: {w['leads']} leads, {w['wins']} wins")
    check(w["revenue"] == 15000, f"the first of two amount columns counts (revenue {w['revenue']})")
    src = [s for s in m["data_quality"]["sources"] if s["source"] == "leads"][0]
    check(src["rows_accepted"] == 5 and src["rows_rejected"] == 0, f"every lead accepted: {src}")
    first = ", ".join(f'"{hostile_gen.column_name(i)}"' for i in range(20))
    # 2,000 unknown names ignored, 20 named; the second "amount" repeated
    check(f"leads: ignored columns {first} and 1980 more" in log,
          "the run's log names the first 20 ignored columns and how many more")
    check('leads: repeated columns "amount" (the first of each name is read)' in log,
          "the run's log names the second amount column as repeated")
    rc, out = mqlreport("check", "--data", data, "--week", WEEK)
    check(rc == 0 and f"ignored columns: {first} and 1980 more\n" in out
          and 'repeated columns (the first of each name is read): "amount"\n' in out,
          f"check lists the first 20 ignored columns and how many more, and the repeated one ({rc})")


def pdf_text(path):
    p = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True)
    check(p.returncode == 0, f"pdftotext reads the PDF ({p.stderr})")
    return p.stdout


def pdf_pages(path):
    p = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    pages = re.search(r"^Pages:\s+(\d+)", p.stdout, re.M)
    check(pages is not None, f"pdfinfo gives the page count ({p.stderr})")
    return int(pages.group(1)) if pages else 10**6


def campaigns(tmp):
    n = 600
    data = os.path.join(tmp, "campaigns")
    out = os.path.join(tmp, "campaigns-out")
    hostile_gen.campaigns(n, data)
    m, _ = run(data, out)
    rows = m["by_campaign"]["13w"]
    names = sorted(hostile_gen.campaign_name(c) for c in range(n))
    check(sorted(r["campaign"] for r in rows) == names, "metrics.json has all 600 campaigns")
    pdf = os.path.join(out, f"campaign-roi-{WEEK}.pdf")
    pages = pdf_pages(pdf)
    check(pages <= 30, f"the PDF has at most 30 pages ({pages})")
    text = pdf_text(pdf)
    check("All other 585 campaigns" in text, "the ranking shows 15 campaigns and one bar for the other 585")
    check("The 200 of 600 campaigns with the most revenue (of equal revenue, by spend, the largest "
          "first) are listed here; the workbook lists all 600." in " ".join(text.split()),
          "the table says it lists 200 of 600, which of equal revenue, and the workbook all")
    # of equal revenue, the one that spent more first (the money-losers show)
    top = sorted(rows, key=lambda r: (-r["revenue"], r.get("spend") is None, -(r.get("spend") or 0),
                                      r["campaign"]))[:200]
    # the campaign table's pages: those headed "Campaigns, last 13 weeks"
    table = "".join(t for t in text.split("\f") if t.lstrip().startswith("Campaigns, last 13 weeks"))
    listed = re.findall(r"^\s*(camp_\d{6})\s+\d", table, re.M)
    check(listed == [r["campaign"] for r in top],
          f"the table lists the 200 with the most revenue, ties by spend, then name ({len(listed)} listed)")
    check_workbook(os.path.join(out, f"mqlreport-{WEEK}.xlsx"), names)


def long_name(tmp):
    data = os.path.join(tmp, "long")
    shutil.copytree(os.path.join(os.environ["MQL_SOURCE_DIR"], "samples"), data,
                    ignore=shutil.ignore_patterns("hubspot", "salesforce", "marketo", "*.md"))
    name = "\u00fc" * 300  # 600 bytes of UTF-8
    with open(os.path.join(data, "leads.csv"), "a", encoding="utf-8") as f:
        f.write(f"Q7,2026-11-17T10:00:00Z,email,{name},CTO,100,software,DE,"
                "2026-11-18T00:00:00Z,,,,,,,,\n")
    out = os.path.join(tmp, "long-out")
    rc, log = mqlreport("run", "--data", data, "--week", "2026-W47", "--no-email", "--out", out)
    if not check(rc == 0, f"a 600-byte campaign name: exit 0 ({rc})\n{log[-1500:]}"):
        return
    text = pdf_text(os.path.join(out, "campaign-roi-2026-W47.pdf"))
    cut = re.search("(\u00fc+)\u2026", text)
    check(cut is not None and 20 <= len(cut.group(1)) < 300,
          "the PDF shows the name cut after whole letters, with an ellipsis")


def unshowable_names(tmp):
    data = os.path.join(tmp, "unshowable")
    shutil.copytree(os.path.join(os.environ["MQL_SOURCE_DIR"], "samples"), data,
                    ignore=shutil.ignore_patterns("hubspot", "salesforce", "marketo", "*.md"))
    odd, huge = "Spring\ufffe", "x" * 1_000_000
    with open(os.path.join(data, "leads.csv"), "a", encoding="utf-8") as f:
        for lid, name in (("Q8", odd), ("Q9", huge)):
            f.write(f"{lid},2026-11-17T10:00:00Z,email,{name},CTO,100,software,DE,"
                    "2026-11-18T00:00:00Z,,,,,,,,\n")
        # a vertical tab, as a title pasted from a slide brings one: a
        # channel of MQLs this week, so that the Overview's charts name it
        for k in range(40):
            f.write(f"Q1{k:02d},2026-11-17T10:00:00Z,\"web\x0bpartner\",\"Q4\x0bwebinar\",CTO,100,"
                    "software,DE,2026-11-18T00:00:00Z,,,,,,,,\n")
    out = os.path.join(tmp, "unshowable-out")
    rc, log = mqlreport("run", "--data", data, "--week", "2026-W47", "--no-email", "--out", out)
    if not check(rc == 0, f"a noncharacter and a million-character campaign: exit 0 ({rc})\n"
                          f"{log[-1500:]}"):
        return
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        names = {r["campaign"] for r in json.load(f)["by_campaign"]["1w"]}
    check(odd in names and huge in names, "metrics.json keeps both names as exported")
    text = pdf_text(os.path.join(out, "campaign-roi-2026-W47.pdf"))
    check("Spring\ufffd" in text and "\ufffe" not in text,
          "the PDF shows U+FFFD for the noncharacter")
    try:
        import openpyxl
    except ImportError:
        check(False, "openpyxl is not installed (./setup.sh installs python3-openpyxl)")
        return
    wb = openpyxl.load_workbook(os.path.join(out, "mqlreport-2026-W47.xlsx"), read_only=True)
    cells = {c for r in wb["Campaigns"].iter_rows(values_only=True) for c in r
             if isinstance(c, str) and (c.startswith("Spring") or c.startswith("xxxx"))}
    check("Spring\ufffd" in cells, "the workbook shows U+FFFD for the noncharacter")
    # every part of the workbook is XML a strict reader takes: a control
    # character XML 1.0 cannot hold is a space in cells and charts alike
    import xml.etree.ElementTree as ET
    with zipfile.ZipFile(os.path.join(out, "mqlreport-2026-W47.xlsx")) as z:
        charts = [n for n in z.namelist() if n.endswith(".xml")]
        named = False
        for n in charts:
            raw = z.read(n)
            try:
                ET.fromstring(raw)
            except ET.ParseError as e:
                check(False, f"the workbook's {n} is not XML: {e}")
            named = named or (n.startswith("xl/charts/") and b"Web partner" in raw)
        check(named, "a chart names the channel of the vertical tab, in words, as \"Web partner\"")
    check("x" * 32766 + "\u2026" in cells,
          "the workbook cuts the million-character name at 32,767 characters, with an ellipsis")


def check_workbook(path, names):
    try:
        import openpyxl
    except ImportError:
        check(False, "openpyxl is not installed (./setup.sh installs python3-openpyxl)")
        return
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb["Campaigns"]
    rows = ws.iter_rows(values_only=True)
    header = next((list(r) for r in rows if "Window" in r and "Campaign" in r), None)
    check(header is not None, "the Campaigns sheet has a table with Window and Campaign columns")
    if header is None:
        return
    wcol, ccol = header.index("Window"), header.index("Campaign")
    seen = sorted(r[ccol] for r in rows if r[wcol] and "13" in str(r[wcol]))
    check(seen == names, f"the workbook's Campaigns sheet keeps all 600 campaigns of 13w ({len(seen)})")


def main():
    with tempfile.TemporaryDirectory(prefix="mql-hostile-") as tmp:
        event_types(tmp)
        header_columns(tmp)
        campaigns(tmp)
        long_name(tmp)
        unshowable_names(tmp)
    if FAILS:
        print(f"{len(FAILS)} check(s) failed")
        return 1
    print("all hostile-input checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
