"""The workbook stops a table at the sheet's last row and says how many rows
it left out (400,000 event types give 1.2 million engagement rows; Excel's
sheets end at row 1,048,576). render_fixture writes the hand-built tree's
workbook twice: as is, and with the last row lowered to LAST (its second
argument, xlsx_opts.last_row); every sheet the lower limit cuts must end
on that row with the note, and keep the full workbook's rows above it.

usage: test_xlsx_cap.py MQLREPORT RENDER_FIXTURE"""
import os
import re
import subprocess
import sys
import tempfile

import openpyxl

HARNESS = sys.argv[2]
LAST = 22  # 0-based: the note is on row 23
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


def main():
    with tempfile.TemporaryDirectory() as tmp:
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
            m = re.match(r"… and (\d+) more rows: the sheet is full \(metrics.json has them all\)$",
                         note[0][0])
            left = [r for r in f[len(c) - 1:] if any(v is not None for v in r)]
            check(m and int(m.group(1)) > 0 and int(m.group(1)) <= len(left),
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
