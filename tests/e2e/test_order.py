"""End-to-end test: the report does not depend on how an export is ordered
or how its lead ids are spelled.

usage: test_order.py MQLREPORT

`mqlreport gen` writes the same rows (same seed) with events.csv grouped by
lead, in time order and shuffled, and with lead ids prefixed (L0000042),
numeric (HubSpot-like) and Salesforce-like. For every combination, `run`
must write the same metrics.json, except report.inputs' `sha256` and `bytes`
of each file, which describe the bytes and so legitimately differ.

Choice: lead ids appear in metrics.json only in the `drilldown` rows (this
week's MQLs, SQLs and wins, one row per lead), and every ordering inside the
program breaks ties by file order of the leads (which all id styles share),
never by the spelling of an id. So the three orders of one id style are
compared whole, and all nine combinations are compared with one another with
the drill-down rows' `lead_id` left out (it is the one value that spells the
id). The check also confirms that the files of one id style hold the same
rows, so that equal reports are not an accident of different inputs.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
ORDERS = ["lead", "time", "random"]
STYLES = ["prefixed", "numeric", "salesforce"]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def sh(*args):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    p = subprocess.run([BIN] + [str(a) for a in args], capture_output=True, text=True, env=env)
    check(p.returncode == 0, "%s exited %d: %s" % (" ".join(map(str, args[:1])), p.returncode,
                                                 p.stderr.strip()[-300:]))
    return p


def metrics(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    for src in m["report"]["inputs"].values():
        if isinstance(src, dict):
            src.pop("sha256", None)
            src.pop("bytes", None)
    return m


def without_ids(m):
    """m with the drill-down rows' lead_id left out (a copy)."""
    m = json.loads(json.dumps(m))
    for rows_ in (m.get("drilldown") or {}).values():
        for r in rows_ if isinstance(rows_, list) else []:
            r.pop("lead_id", None)
    return m


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sorted(tuple(r) for r in csv.reader(f))


def salesforce_ok(i):
    """18 characters: the 15-character id and its case-checksum suffix."""
    if len(i) != 18 or not i.isalnum():
        return False
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    for b in range(3):
        bits = sum(1 << k for k in range(5) if "A" <= i[5 * b + k] <= "Z")
        if i[15 + b] != letters[bits]:
            return False
    return True


ID_OK = {"prefixed": lambda i: len(i) == 8 and i[0] == "L" and i[1:].isdigit(),
         "numeric": lambda i: i.isdigit() and not i.startswith("0"),
         "salesforce": salesforce_ok}


def first_difference(a, b, where=""):
    if type(a) is not type(b):
        return where or "/"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return where + "/" + k
            d = first_difference(a[k], b[k], where + "/" + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return where + "[len]"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (where, i))
            if d:
                return d
        return None
    return None if a == b else where


def main():
    with tempfile.TemporaryDirectory() as tmp:
        reports = {}
        for style in STYLES:
            events = {}
            for order in ORDERS:
                data = os.path.join(tmp, "%s-%s" % (style, order))
                out = os.path.join(tmp, "out-%s-%s" % (style, order))
                sh("gen", "--leads", 3000, "--seed", 11, "--end-week", "2026-W47",
                   "--bad-rows", 2, "--id-style", style, "--events-order", order, "--out", data)
                events[order] = rows(os.path.join(data, "events.csv"))
                ids = [r[0] for r in rows(os.path.join(data, "leads.csv"))[:-1]]
                bad = [i for i in ids if i and not ID_OK[style](i)]
                check(len(bad) <= 2, "%s ids: %d look wrong, e.g. %s" % (style, len(bad), bad[:3]))
                sh("run", "--data", data, "--week", "2026-W47", "--no-email", "--out", out)
                reports[(style, order)] = metrics(os.path.join(out, "metrics.json"))
            for order in ORDERS[1:]:
                check(events[order] == events["lead"],
                      "%s: events.csv in %s order holds other rows than in lead order"
                      % (style, order))
        base = reports[("prefixed", "lead")]
        ev = [x for x in base["data_quality"]["sources"] if x["source"] == "events"]
        check(ev and ev[0]["rows_accepted"] > 50000, "the base report read too few events")
        check(any((base.get("drilldown") or {}).values()),
              "the base report has no drill-down rows: the lead ids were not compared")
        for key, m in reports.items():
            d = first_difference(reports[(key[0], "lead")], m)
            check(d is None, "metrics.json of %s ids, %s order differs from %s ids, "
                  "lead order, first at %s" % (key[0], key[1], key[0], d))
            d = first_difference(without_ids(base), without_ids(m))
            check(d is None, "metrics.json of %s ids, %s order differs from prefixed ids, "
                  "lead order (lead ids left out), first at %s" % (key[0], key[1], d))
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        sys.exit(1)
    print("ok: 9 combinations, one metrics.json")


main()
