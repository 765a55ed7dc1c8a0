#!/usr/bin/env python3
"""run --engine clickhouse against the embedded run, value for value.

Usage: test_engine.py MQLREPORT CLUSTER_DIR

Needs the two servers of clickhouse_cluster.py (CTest fixture `clickhouse`).
Loads the samples with `mqlreport load` and compares metrics.json of both
paths for the default configuration, --mql-source score --half-life 14,
--attribution w_shaped, another time zone (its own database: times without
an offset are read in the report's time zone at load) and messy vendor
exports, and a hostile configuration (the samples with rows planted to be
rejected: a formula, a tab, a newline and quotes in a quoted field, a
backslash, a NUL byte, a byte that is not UTF-8; more of them than one
batch of the load holds); in each, rejects.csv of
both paths must be byte-identical, and where rows are rejected (the
samples' 9, the hostile rows besides) the file must hold them, so the
check cannot pass on two empty files. Then checks that a second load changes nothing and that a
load killed half-way and run again leaves the same tables (rejects
included) as a clean one.
"""
import csv
import io
import json
import os
import signal
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN, CLUSTER = sys.argv[1], sys.argv[2]
SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
URL = subprocess.run([sys.executable, os.path.join(HERE, "clickhouse_cluster.py"), "url", CLUSTER],
                     check=True, capture_output=True, text=True).stdout.strip()
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
failed = []


def sql(q, db="mqlreport"):
    req = urllib.request.Request(f"{URL}?database={db}", data=q.encode(), method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode().strip()


def config(tmp, name, sources, db, extra=""):
    path = os.path.join(tmp, name + ".ini")
    with open(path, "w") as f:
        f.write("[report]\nweek = 2026-W47\n" + extra)
        for s, spec in sources.items():
            f.write(f"[source.{s}]\nlocation = {spec[0]}\n{spec[1] if len(spec) > 1 else ''}\n")
        f.write(f"[engine]\nurl = {URL}\nallow_http = true\ndatabase = {db}\n"
                "chunk_leads = 500\nbatch_rows = 20000\n")
    return path


def run(*args, check=True):
    p = subprocess.run([BIN, *args], env=ENV, capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def differences(a, b, path="", out=None):
    """The paths where two JSON trees differ (the first few)."""
    out = [] if out is None else out
    if len(out) >= 12:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            differences(a.get(k), b.get(k), f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}")
    return out


def compare(tmp, label, ini, *args, min_rejects=0):
    a, b = os.path.join(tmp, label + "-embedded"), os.path.join(tmp, label + "-engine")
    run("run", "--config", ini, "--no-email", "--out", a, *args)
    p = run("run", "--config", ini, "--no-email", "--out", b, "--engine", "clickhouse", *args)
    if "rejected rows but the engine holds" in p.stderr:
        failed.append(label + " rejects warning")
        print(f"FAIL: {label}: the run says rejected rows are missing from the engine: "
              f"{p.stderr.strip()[-300:]}")
    ja, jb = (json.load(open(os.path.join(d, "metrics.json"))) for d in (a, b))
    ok = ja == jb
    print(f"{'ok' if ok else 'FAIL'}: {label}: metrics.json of both paths "
          f"{'equal' if ok else 'differ'}")
    if not ok:
        failed.append(label)
        for d in differences(ja, jb):
            print("   ", d)
    man = json.load(open(os.path.join(b, "manifest.json")))
    eng = man.get("engine", {})
    if eng.get("kind") != "clickhouse" or eng.get("tables", {}).get("leads", 0) <= 0:
        failed.append(label + " manifest")
        print(f"FAIL: {label}: manifest engine {eng}")
    ra, rb = (open(os.path.join(d, "rejects.csv"), "rb").read() for d in (a, b))
    rows = len(list(csv.reader(io.StringIO(ra.decode("utf-8", "surrogateescape"),
                                           newline="")))) - 1
    ok = ra == rb and rows >= min_rejects
    print(f"{'ok' if ok else 'FAIL'}: {label}: rejects.csv of both paths "
          f"{'byte-identical' if ra == rb else 'differ'} ({rows} rejected rows"
          f"{'' if rows >= min_rejects else f', expected at least {min_rejects}'})")
    if not ok:
        failed.append(label + " rejects")
        if ra != rb:
            print("    embedded:", ra[:600])
            print("    engine:  ", rb[:600])


def visible(db):
    """Rows a run reads, per table, with a checksum of their content."""
    att = sql("SELECT groupArray(attempt) FROM loads", db)
    out = {}
    for t, cols in (("leads", "lead_id, created_at, channel"), ("events", "lead_id, at, type"),
                    ("spend", "day, amount, channel"), ("opportunities", "opportunity_id, created"),
                    ("rejects", "source, line, reason, fields")):
        out[t] = sql(f"SELECT count(), sum(cityHash64({cols}, seq)) FROM {t} "
                     f"WHERE has({att}, attempt)", db)
    return out


def interrupted_load(tmp, ini_clean, ini_cut):
    before = visible("mqlreport")
    run("load", "--config", ini_clean)
    again = visible("mqlreport")
    print(f"{'ok' if again == before else 'FAIL'}: a second load changes nothing")
    if again != before:
        failed.append("second load")
    p = subprocess.Popen([BIN, "load", "--config", ini_cut], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + 60
    while time.time() < end and p.poll() is None:
        if int(sql("SELECT count() FROM events", "mqlreport_cut") or 0) > 0:
            break
    p.send_signal(signal.SIGKILL)
    p.wait()
    half = sql("SELECT count() FROM events", "mqlreport_cut")
    done = sql("SELECT count() FROM loads WHERE source = 'events'", "mqlreport_cut")
    if done != "0":
        print("FAIL: the load was not cut half-way (events recorded before the kill)")
        failed.append("interruption")
    run("load", "--config", ini_cut)
    after = visible("mqlreport_cut")
    ok = after == before
    print(f"{'ok' if ok else 'FAIL'}: a load killed after {half} event rows, run again, "
          f"reads the same tables as a clean load")
    if not ok:
        print(before, after)
        failed.append("interrupted load")


# rows of leads.csv and events.csv that ingest rejects, with fields a
# spreadsheet or a TabSeparated body would misread if not escaped
HOSTILE_LEADS = (b'L9000001,"=HYPERLINK(""http://x"",""y"")",linkedin\n'
                 b'L9000002,2026-11-10T09:00:00Z,"tab\there","multi\nline ""quoted""",'
                 b'c:\\0\\path,x\0y,,,,,,,,,,,\n'
                 b'L9000003,soon,caf\xe9,spring,,,,,,,,,,,,,\n'
                 b'L9000004,not a time,email,\'=x,"@SUM(A1)",,,,,,,,,,,,\n')
HOSTILE_EVENTS = (b'L9000001,2026-11-11T10:00:00Z,"page\r\nvisit",-2+3\n'
                  b'"",2026-11-11T10:00:00Z,email_open,email,\\\n')


def hostile_samples(tmp, samples):
    """The samples with the rows above appended to leads (300 times: more
    rejects than one batch of 1,000 rows holds) and to events."""
    out = dict(samples)
    for k, extra in (("leads", HOSTILE_LEADS * 300), ("events", HOSTILE_EVENTS)):
        path = os.path.join(tmp, "hostile-" + k + ".csv")
        with open(samples[k][0], "rb") as f, open(path, "wb") as g:
            g.write(f.read() + extra)
        out[k] = (path,)
    return out


def rejects_not_kept(tmp, ini, db):
    """A database whose loads counted rejected rows it did not keep (loaded
    before they were stored): the run says how many are missing instead of
    writing a shorter rejects.csv in silence."""
    sql("RENAME TABLE rejects TO rejects_kept", db)
    sql("CREATE TABLE rejects AS rejects_kept ENGINE = Memory", db)
    try:
        out = os.path.join(tmp, "rejects-not-kept")
        p = run("run", "--config", ini, "--no-email", "--out", out, "--engine", "clickhouse")
        said = re.search(r"the loads read count (\d+) rejected rows but the engine holds 0 ",
                         p.stderr)
        ok = bool(said) and int(said.group(1)) > 0
        print(f"{'ok' if ok else 'FAIL'}: rejected rows the engine did not keep are named "
              f"in the run's log ({said.group(0) if said else p.stderr.strip()[-300:]})")
        if not ok:
            failed.append("rejects not kept")
    finally:
        sql("DROP TABLE rejects", db)
        sql("RENAME TABLE rejects_kept TO rejects", db)


def main():
    s = os.path.join(SRC, "samples")
    fx = os.path.join(SRC, "tests", "fixtures", "ingest")
    samples = {k: (os.path.join(s, k + ".csv"),) for k in
               ("leads", "events", "spend", "opportunities")}
    with tempfile.TemporaryDirectory() as tmp:
        ini = config(tmp, "samples", samples, "mqlreport")
        run("load", "--config", ini)
        compare(tmp, "default", ini, min_rejects=1)
        compare(tmp, "score-half-life", ini, "--mql-source", "score", "--half-life", "14",
                min_rejects=1)
        compare(tmp, "w_shaped", ini, "--attribution", "w_shaped", min_rejects=1)
        tz = config(tmp, "tz", samples, "mqlreport_tz", "timezone = America/New_York\n")
        run("load", "--config", tz)
        compare(tmp, "America/New_York", tz, min_rejects=1)
        vendor = config(tmp, "vendor", {
            "leads": (os.path.join(fx, "salesforce", "leads.csv"),),
            "opportunities": (os.path.join(fx, "salesforce", "opportunities.csv"),),
            "events": (os.path.join(fx, "marketo", "events.csv"),),
            "spend": (os.path.join(fx, "canonical", "spend.csv"),)}, "mqlreport_vendor",
            # the fixtures end weeks before 2026-W47: the health gate would
            # stop both paths on what this comparison is not about
            "[health]\nsource_stale = warn\nno_leads = warn\n")
        run("load", "--config", vendor)
        compare(tmp, "vendor exports", vendor)
        compare(tmp, "vendor exports, score", vendor, "--mql-source", "score")
        hostile = config(tmp, "hostile", hostile_samples(tmp, samples), "mqlreport_hostile",
                         "[health]\nrejected_share = warn\n")
        with open(hostile) as f:
            text = f.read().replace("batch_rows = 20000", "batch_rows = 1000")
        with open(hostile, "w") as f:
            f.write(text)
        run("load", "--config", hostile)
        compare(tmp, "hostile rejects", hostile, min_rejects=9 + 4 * 300 + 2)
        rejects_not_kept(tmp, hostile, "mqlreport_hostile")
        cut = config(tmp, "cut", samples, "mqlreport_cut").replace(".ini", ".ini")
        with open(cut) as f:
            text = f.read().replace("batch_rows = 20000", "batch_rows = 1000")
        with open(cut, "w") as f:
            f.write(text)
        interrupted_load(tmp, ini, cut)
    n = 18
    print(f"{n - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
