"""Week-on-week comparisons with a week whose data are incomplete, with the
real binary. Report week 2026-W47 (Mon 16 – Sun 22 Nov 2026, UTC); every
day of the crafted exports has leads (with an MQL date), events and spend,
but where a case leaves them out:

1. exports that begin on Thursday 12 Nov, in 2026-W46: last week's figures
   count four days of seven, and the check week_partial_data warns, naming
   the week and the day, in metrics.json, on standard error, on the
   workbook's first sheet, on the PDF's first page and in both e-mail
   bodies; [health] makes it fail or turns it off;
2. exports that begin on Wednesday 18 Nov, in the report week itself: the
   check names the report week;
3. exports that begin within a day of a week's Monday (a day of spend on
   Tuesday, a lead on Monday at 10:00): no warning;
4. exports of 2026-W40 to 2026-W47 that hold nothing of 2026-W45 (a sync
   that failed): the check week_without_data warns, naming the week, with
   the banner on the outputs; two such weeks are both named; the week
   before the report week says its changes are measured from zeros;
   [health] makes it fail;
5. the same exports complete, and a week with events but no lead or spend
   (a quiet week, not a lost one): both checks pass, no banner.
argv: mqlreport."""
import datetime
import email
import email.policy
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
from scratch import scratch  # noqa: E402

BIN = sys.argv[1]
W = "2026-W47"
MONDAY = datetime.date(2026, 11, 16)  # of the report week
check = opsrun.Checks()
CHECKS = ("week_partial_data", "week_without_data")


def write(folder, name, lines):
    with open(os.path.join(folder, name), "w") as f:
        f.write("\n".join(lines) + "\n")


def exports(folder, first, last=MONDAY + datetime.timedelta(days=6), skip=(), events_only=(),
            first_hour=9):
    """Canonical exports with two leads, their events and a day of spend on
    each day from first to last, but none on the days of skip and only
    events on those of events_only; the first day's data from first_hour."""
    os.makedirs(folder, exist_ok=True)
    leads = ["lead_id,created_at,channel,campaign,job_title,mql_at"]
    ev = ["lead_id,occurred_at,type"]
    spend = ["date,channel,campaign,amount"]
    d, n = first, 0
    while d <= last:
        if d not in skip:
            hour = first_hour if d == first else 9
            for k in range(2):
                n += 1
                at = f"{d.isoformat()}T{hour + k:02d}:00:00Z"
                if d not in events_only:
                    leads.append(f"L{n},{at},paid_search,brand,Manager,{d.isoformat()}T{hour + k:02d}:30:00Z")
                ev.append(f"L{n if d not in events_only else 1},{d.isoformat()}T{hour + k:02d}:20:00Z,page_visit")
            if d not in events_only:
                spend.append(f"{d.isoformat()},paid_search,brand,{100 + d.day}")
        d += datetime.timedelta(days=1)
    write(folder, "leads.csv", leads)
    write(folder, "events.csv", ev)
    write(folder, "spend.csv", spend)
    return folder


def config(folder, health=None, mail=False):
    lines = ["[report]", "timezone = UTC", f"week = {W}", f"out = {os.path.join(folder, 'out')}",
             f"cache_dir = {os.path.join(folder, 'cache')}", ""]
    for src in ("leads", "events", "spend"):
        lines += [f"[source.{src}]", f"location = {os.path.join(folder, src + '.csv')}", ""]
    if mail:
        lines += ["[email]", "smtp_url = smtp://127.0.0.1:9", "from = reports@example.com",
                  "to = ceo@example.com", ""]
    if health:
        lines += ["[health]"] + [f"{k} = {v}" for k, v in health.items()] + [""]
    path = os.path.join(folder, "mqlreport.ini")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def mql(*args):
    p = subprocess.run([BIN, *args], capture_output=True, env=dict(os.environ, LC_ALL="C"),
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def run(folder, what, health=None, mail=False):
    """`run` on folder's exports: (exit status, output, metrics.json or
    None, the e-mail file's path when mail)."""
    eml = os.path.join(folder, "report.eml")
    args = ["--eml", eml] if mail else ["--no-email"]
    rc, out = mql("run", "--config", config(folder, health, mail), *args)
    path = os.path.join(folder, "out", W, "metrics.json")
    if not check(rc == 0 and os.path.exists(path), f"{what}: the report goes out ({rc})\n{out}"):
        return rc, out, None, eml
    with open(path) as f:
        return rc, out, json.load(f), eml


def rows(m):
    """The new checks' rows of metrics.json: {check: row}."""
    return {r["check"]: r for r in m["data_quality"]["health"] if r["check"] in CHECKS}


def banners(folder, want, mail):
    """want on the workbook's first sheet, the PDF's first page and, with
    mail, in both e-mail bodies before the figures: True when it is
    everywhere, False when it is nowhere, None when in some."""
    import openpyxl
    week = os.path.join(folder, "out", W)
    wb = openpyxl.load_workbook(os.path.join(week, f"mqlreport-{W}.xlsx"))
    first = wb[wb.sheetnames[0]]
    top = " ".join(str(c.value) for row in first.iter_rows(max_row=12) for c in row if c.value is not None)
    pdf = subprocess.run(["pdftotext", "-l", "1", os.path.join(week, f"campaign-roi-{W}.pdf"), "-"],
                         capture_output=True, text=True).stdout
    seen = [want in " ".join(top.split()), want in " ".join(pdf.split())]
    if mail:
        with open(os.path.join(folder, "report.eml"), "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        plain = " ".join(msg.get_body(preferencelist=("plain",)).get_content().split())
        html = " ".join(msg.get_body(preferencelist=("html",)).get_content().split())
        seen += [want in plain and plain.index(want) < plain.index("Leads"), want in html]
    return True if all(seen) else False if not any(seen) else None


def begins_thursday(tmp):
    """1. The exports begin on Thursday 12 Nov, in 2026-W46."""
    d = exports(os.path.join(tmp, "thursday"), datetime.date(2026, 11, 12))
    rc, out, m, _ = run(d, "exports from Thu 12 Nov", mail=True)
    if not m:
        return
    r = rows(m).get("week_partial_data", {})
    check(r.get("status") == "warn" and r.get("value") == 3 and r.get("limit") == 1
          and r.get("source") is None,
          f"week_partial_data warns with the days missing, 3.0 (Thursday's spend), against 1: {r}")
    msg = r.get("message", "")
    check("Thu 12 Nov 2026" in msg and "2026-W46, the week before the report week" in msg
          and "last week's column and every week-on-week change" in msg and "Mon 9 Nov 2026 or earlier" in msg,
          f"the message names the day, the week, what it skews and what to do: {msg}")
    check(m["summary"][0]["kpi"] == "leads" and m["summary"][0]["last_week"] == 8
          and m["summary"][0]["this_week"] == 14,
          f"last week's leads count four days (8) beside this week's seven (14): {m['summary'][0]}")
    check(rows(m).get("week_without_data", {}).get("status") == "pass",
          f"no week is without data: {rows(m).get('week_without_data')}")
    check("data health warning: week_partial_data: the data begin on Thu 12 Nov 2026" in out,
          f"the run logs the warning\n{out}")
    check(banners(d, "Thu 12 Nov 2026, 3.0 days into 2026-W46", mail=True) is True,
          "the workbook's first sheet, the PDF's first page and both e-mail bodies show the warning")
    rc, out = mql("check", "--config", config(d, {"week_partial_data": "fail"}))
    check(rc == 65 and "week_partial_data" in out, f"week_partial_data = fail: check exits 65 ({rc})\n{out}")
    rc, out, m, _ = run(d, "week_partial_data = off", health={"week_partial_data": "off"})
    if m:
        r = rows(m).get("week_partial_data", {})
        check(r.get("status") == "off" and "week_partial_data" not in out,
              f"week_partial_data = off: the row says off, no warning: {r}")


def begins_in_report_week(tmp):
    """2. The exports begin on Wednesday 18 Nov, in the report week."""
    d = exports(os.path.join(tmp, "wednesday"), datetime.date(2026, 11, 18))
    rc, out, m, _ = run(d, "exports from Wed 18 Nov")
    if m:
        r = rows(m).get("week_partial_data", {})
        check(r.get("status") == "warn" and r.get("value") == 2
              and "Wed 18 Nov 2026, 2.0 days into the report week 2026-W47" in r.get("message", "")
              and "Mon 16 Nov 2026 or earlier" in r.get("message", ""),
              f"week_partial_data names the report week: {r}")


def begins_within_a_day(tmp):
    """3. Data that begin within a day of a week's Monday are whole weeks."""
    d = exports(os.path.join(tmp, "tuesday"), datetime.date(2026, 11, 10))
    # a day of spend on Monday 9 Nov's Tuesday: 1.0 day into the week
    rc, out, m, _ = run(d, "exports from Tue 10 Nov 00:00 (spend), leads from 09:00")
    if m:
        r = rows(m).get("week_partial_data", {})
        check(r.get("status") == "pass" and r.get("value") == 1 and "within 1 day" in r.get("message", ""),
              f"a beginning one day into the week passes: {r}")
    d = exports(os.path.join(tmp, "monday"), datetime.date(2026, 11, 9), first_hour=10)
    write(d, "spend.csv", ["date,channel,campaign,amount", "2026-11-20,paid_search,brand,500"])
    rc, out, m, _ = run(d, "leads from Mon 9 Nov 10:00, spend from Fri 20 Nov")
    if m:
        r = rows(m).get("week_partial_data", {})
        check(r.get("status") == "pass" and r.get("value") == 0.4,
              f"a lead on the Monday at 10:00 begins the data (0.4 days), the spend after it does not: {r}")
        check(not any(x["status"] == "warn" for x in rows(m).values()) and "week_partial_data" not in out,
              f"no warning of the new checks\n{out}")


def lost_weeks(tmp):
    """4. A week missing from every export."""
    start = datetime.date(2026, 9, 28)  # Monday of 2026-W40
    w45 = [datetime.date(2026, 11, 2) + datetime.timedelta(days=k) for k in range(7)]
    d = exports(os.path.join(tmp, "lost"), start, skip=w45)
    rc, out, m, _ = run(d, "nothing in 2026-W45", mail=True)
    if m:
        r = rows(m).get("week_without_data", {})
        msg = r.get("message", "")
        check(r.get("status") == "warn" and r.get("value") == 1 and r.get("limit") == 0,
              f"week_without_data warns with one week: {r}")
        check("no lead created, no event and no spend in 2026-W45 (from Mon 2 Nov 2026)" in msg
              and "did an export lose that week" in msg and "export the leads, events and spend of that week again" in msg
              and "measured from last week's" not in msg,
              f"the message names the week and what to do: {msg}")
        r = rows(m).get("week_partial_data", {})
        check(r.get("status") == "pass", f"the data begin on a Monday: {r}")
        check("data health warning: week_without_data: no lead created" in out, f"the run logs the warning\n{out}")
        check(banners(d, "no spend in 2026-W45", mail=True) is True,
              "the workbook's first sheet, the PDF's first page and both e-mail bodies show the warning")
    rc, out = mql("check", "--config", config(d, {"week_without_data": "fail"}))
    check(rc == 65 and "week_without_data" in out, f"week_without_data = fail: check exits 65 ({rc})\n{out}")
    w46 = [datetime.date(2026, 11, 9) + datetime.timedelta(days=k) for k in range(7)]
    d = exports(os.path.join(tmp, "lost2"), start, skip=w45 + w46)
    rc, out, m, _ = run(d, "nothing in 2026-W45 and 2026-W46")
    if m:
        r = rows(m).get("week_without_data", {})
        msg = r.get("message", "")
        check(r.get("status") == "warn" and r.get("value") == 2
              and "in the weeks 2026-W45 (from Mon 2 Nov 2026), 2026-W46 (from Mon 9 Nov 2026)" in msg
              and "every week-on-week change is measured from last week's zeros" in msg,
              f"two lost weeks, the last the week before the report week, are named: {r}")


def complete(tmp):
    """5. Complete exports, and a week of events alone."""
    start = datetime.date(2026, 9, 28)
    d = exports(os.path.join(tmp, "complete"), start)
    rc, out, m, _ = run(d, "complete exports of 2026-W40 to 2026-W47")
    if m:
        check(all(rows(m).get(c, {}).get("status") == "pass" for c in CHECKS) and len(rows(m)) == 2,
              f"complete exports: both checks pass: {rows(m)}")
        check(banners(d, "Data health warning", mail=False) is False and "data health warning" not in out,
              f"complete exports: no banner\n{out}")
    w45 = [datetime.date(2026, 11, 2) + datetime.timedelta(days=k) for k in range(7)]
    d = exports(os.path.join(tmp, "quiet"), start, events_only=w45)
    rc, out, m, _ = run(d, "2026-W45 with events alone")
    if m:
        r = rows(m).get("week_without_data", {})
        check(r.get("status") == "pass" and r.get("value") == 0,
              f"a week with events but no lead or spend is not a lost week: {r}")


def main():
    tmp = scratch("mql-weeks-")
    begins_thursday(tmp)
    begins_in_report_week(tmp)
    begins_within_a_day(tmp)
    lost_weeks(tmp)
    complete(tmp)
    check.done("week coverage")


if __name__ == "__main__":
    main()
