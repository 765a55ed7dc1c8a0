"""The workbook stops a table at the sheet's last row and says how many rows
it left out (Excel's sheets end at row 1,048,576). render_fixture writes the
hand-built tree's workbook twice: as is, and with the last row lowered to
LAST (its second argument, xlsx_opts.last_row); every sheet the lower limit
cuts must end on that row with the note, and keep the full workbook's rows
above it.

Tables of event types stop at 10,000 rows per window: the real binary on
10,250 distinct event types (bench/hostile_gen.py) shows the first 10,000 of
each engagement window and of the unknown types by type, in metrics.json's
order and with its values, each table followed by the line that says how
many more event types metrics.json holds.

Channels: on 200 channels the Overview's close rate chart draws the first
100 with a rate (Excel's 255 series a chart); on ten, each channel has a
colour of its own, none the grey of "other".

usage: test_xlsx_cap.py MQLREPORT RENDER_FIXTURE"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

sys.path.insert(0, os.path.join(os.environ["MQL_SOURCE_DIR"], "bench"))
import hostile_gen  # noqa: E402

BIN = sys.argv[1]
HARNESS = sys.argv[2]
TYPES = 10250
TYPE_ROWS = 10000
LAST = 27  # 0-based: the note is on row 28, a few rows into the tables under a chart (20 rows)
FAILS = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)
    return cond


def render(out, *extra):
    os.makedirs(out)
    p = subprocess.run([HARNESS, out, *extra], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"render_fixture {' '.join(extra)}: exit 0\n{p.stderr}")
    return openpyxl.load_workbook(os.path.join(out, "report.xlsx"))


def rows(ws):
    return [tuple(c for c in r) for r in ws.iter_rows(values_only=True)]


def run_types(tmp):
    data, out = os.path.join(tmp, "types"), os.path.join(tmp, "types-out")
    hostile_gen.event_types(TYPES, data)
    env = dict(os.environ, LC_ALL="C", SOURCE_DATE_EPOCH="1764000000")
    p = subprocess.run([BIN, "run", "--data", data, "--week", hostile_gen.WEEK, "--no-email",
                        "--out", out], capture_output=True, text=True, env=env, timeout=300)
    check(p.returncode == 0, f"run on {TYPES} event types: exit 0 ({p.returncode})\n{p.stderr[-2000:]}")
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        m = json.load(f)
    wb = openpyxl.load_workbook(os.path.join(out, f"mqlreport-{hostile_gen.WEEK}.xlsx"),
                                read_only=True)
    return m, wb


def humanised(key):
    """The label the catalogue gives a key it has no entry for."""
    s = key.replace("_", " ").replace(".", " ")
    return s[:1].upper() + s[1:]


def engagement_cap(m, wb):
    lines = rows(wb["Engagement"])
    header = lines.index(("Window", "Event type", "Events", "Leads engaged"))
    table = [r for r in lines[header + 1:] if r[1] is not None]
    windows = list(dict.fromkeys(r[0] for r in table))
    check(len(windows) == len(m["engagement"]), f"Engagement: one group per window ({windows})")
    want_note = []
    for label, (w, want) in zip(windows, m["engagement"].items()):
        shown = [r[1:] for r in table if r[0] == label]
        top = [(humanised(r["type"]), r["events"], r["unique_leads"]) for r in want[:TYPE_ROWS]]
        check(len(want) == TYPES, f"metrics.json has all {TYPES} event types of {w} ({len(want)})")
        check(shown == top, f"Engagement {w}: the first {TYPE_ROWS} of metrics.json, in its order "
              f"({len(shown)} rows)")
        want_note.append((len(want) - TYPE_ROWS, label))
    note = "… and " + ", ".join(
        f"{n:,}{' more event types' if i == 0 else ''} in {g}" for i, (n, g) in enumerate(want_note))
    note = re.sub(r", ([^,]*)$", r" and \1", note) + ": metrics.json has them all"
    check(lines[-1][0] == note, f"Engagement ends with the line of what is left out ({lines[-1][0]})")
    check(not any(isinstance(r[0], str) and "the sheet is full" in r[0] for r in lines),
          "Engagement: the sheet is not full")


def quality_cap(m, wb):
    lines = rows(wb["Data quality"])
    by_type = m["data_quality"]["unknown_event_types_by_type"]
    prefix = "Unknown event types by type: "
    shown = [(r[0][len(prefix):], r[1]) for r in lines
             if isinstance(r[0], str) and r[0].startswith(prefix)]
    top = [(humanised(k), v) for k, v in list(by_type.items())[:TYPE_ROWS]]
    check(len(by_type) == TYPES, f"metrics.json has all {TYPES} unknown types ({len(by_type)})")
    check(shown == top, f"Data quality: the first {TYPE_ROWS} unknown types of metrics.json, "
          f"in its order ({len(shown)} rows)")
    note = f"… and {TYPES - TYPE_ROWS:,} more event types: metrics.json has them all"
    at = [i for i, r in enumerate(lines) if r[0] == note]
    check(len(at) == 1, f"Data quality says how many more unknown types there are ({len(at)})")
    # the checks after the unknown types (negative durations, stale sources, repeated
    # spend rows) are all there
    check(at and lines[at[0] - 1][0] == "Repeated spend rows" and
          lines[at[0] - 2][0] == "Stale sources" and
          lines[at[0] - 6][0] == "Negative durations",
          "the line is right under the checks' table, all of whose other rows are shown")


def spread_channels(tmp, n):
    """20,000 generated leads spread over n channels; returns the run's
    output folder, or None when it failed."""
    src, data, out = (os.path.join(tmp, d % n) for d in ("gen%d", "chans%d", "chans%d-out"))
    p = subprocess.run([BIN, "gen", "--leads", "20000", "--seed", "7", "--end-week", "2026-W47",
                        "--out", src], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"gen: exit 0\n{p.stderr}")
    os.makedirs(data)
    shutil.copy(os.path.join(src, "opportunities.csv"), data)
    for name in ("leads.csv", "spend.csv", "events.csv"):  # the touches' channels too
        with open(os.path.join(src, name), newline="", encoding="utf-8") as f, \
                open(os.path.join(data, name), "w", newline="", encoding="utf-8") as g:
            rd, wr = csv.reader(f), csv.writer(g)
            head = next(rd)
            wr.writerow(head)
            k = head.index("channel")
            for i, row in enumerate(rd):
                if len(row) == len(head):
                    row[k] = "ch%03d" % (i % n)
                wr.writerow(row)
    cfg = os.path.join(tmp, "chans.ini")
    with open(cfg, "w") as f:
        f.write("[health]\nspend_without_leads = off\nleads_without_spend = off\n")
    p = subprocess.run([BIN, "run", "--config", cfg, "--data", data, "--week", "2026-W47",
                        "--no-email", "--out", out], capture_output=True, text=True, timeout=300)
    if not check(p.returncode == 0, f"run on {n} channels: exit 0 ({p.returncode})\n{p.stderr[-2000:]}"):
        return None
    return out


def chart_of(out, title):
    with zipfile.ZipFile(os.path.join(out, "mqlreport-2026-W47.xlsx")) as z:
        return next((z.read(c).decode() for c in z.namelist() if c.startswith("xl/charts/")
                     and title in z.read(c).decode()), "")


def ten_channels(tmp):
    """Ten channels each have a colour of their own on the Overview's MQLs by
    channel, none the grey of "other" and "unknown"."""
    out = spread_channels(tmp, 10)
    if not out:
        return
    fills = re.findall(r'<c:dPt><c:idx val="\d+"/>.*?<a:srgbClr val="(\w+)"',
                       chart_of(out, "MQLs by channel"), re.S)
    check(len(fills) == 10, f"ten channels: {len(fills)} bars of their own colour")
    check("999999" not in fills, f"ten channels: a channel in the grey of other: {fills}")
    check(len(set(fills)) == len(fills), f"ten channels: two share a colour: {fills}")


def many_channels(tmp, n=200):
    """The Overview's close rate chart, two series a channel, draws the first
    100 with a rate and says so (Excel draws at most 255 series in a chart)."""
    out = spread_channels(tmp, n)
    if not out:
        return
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        rated = sum(r.get("close_rate") is not None for r in json.load(f)["by_channel"]["13w"])
    xml = chart_of(out, "Close rate by channel")
    nser = xml.count("<c:ser>")
    check(rated > 100, f"{n} channels: {rated} with a close rate (more than 100)")
    check(0 < nser <= 255, f"the close rate chart holds {nser} series (Excel draws at most 255)")
    check(f"the first 100 of {rated} channels" in "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml)),
          "the close rate chart's title says it shows the first 100 channels")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        many_channels(tmp)
        ten_channels(tmp)
        m, wb = run_types(tmp)
        engagement_cap(m, wb)
        quality_cap(m, wb)
        full = render(os.path.join(tmp, "full"))
        cut = render(os.path.join(tmp, "cut"), str(LAST))
        check(full.sheetnames == cut.sheetnames, "the same sheets")
        ncut = 0
        for name in full.sheetnames:
            f, c = rows(full[name]), rows(cut[name])
            note = [r for r in c if isinstance(r[0], str) and "the sheet is full" in r[0]]
            if not note:
                check(f == c, f"{name}: not cut, the same rows")
                continue
            ncut += 1
            check(len(c) == LAST + 1, f"{name}: ends on row {LAST + 1} ({len(c)})")
            check(c[-1] == note[0] and len(note) == 1, f"{name}: the note is the last row")
            check(c[:-1] == f[: len(c) - 1], f"{name}: the rows above the note are the full sheet's")
            m = re.match(r"… and (\d{1,3}(?:,\d{3})*) more rows: the sheet is full \(metrics.json has them all\)$",
                         note[0][0])
            left = [r for r in f[len(c) - 1:] if any(v is not None for v in r)]
            count = int(m.group(1).replace(",", "")) if m else 0
            check(count > 0 and count <= len(left),
                  f"{name}: says how many rows are left out ({note[0][0]}; {len(left)} lines)")
            tables = cut[name].tables.values()
            check(all(int(re.search(r"(\d+)$", t.ref).group(1)) <= LAST for t in tables),
                  f"{name}: its tables end above the note")
        check(ncut >= 3, f"the lower limit cuts several sheets ({ncut})")
        ws = cut["Channels"]
        check(ws.cell(LAST + 1, 1).value ==
              "… and 5 more rows: the sheet is full (metrics.json has them all)",
              "Channels: 4 of 9 rows shown, 5 left out")
    if FAILS:
        print(f"{len(FAILS)} failed")
        sys.exit(1)


main()
