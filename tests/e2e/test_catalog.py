"""Every key of the sample report's metrics.json has an entry in the metric
catalogue (templates/metrics.ini), so no output shows a raw key.

usage: test_catalog.py MQLREPORT

Runs the real binary on samples/ (all four sources, 2026-W47) and walks the
tree. Keys ending _ci_low/_ci_high take their rate's entry and keys ending _n
(a statistic's cases) their statistic's (reports/catalog.c);
the keys of data maps (rejection reasons, fields, event types, sources) are
values shown in a column, not headers.
"""
import configparser
import json
import os
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
DATA_MAPS = {"rejected_by_reason", "warnings_by_field", "unknown_event_types_by_type",
             "negative_durations_by_kind", "inputs"}


def catalogue():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(os.path.join(SOURCE_DIR, "templates", "metrics.ini"), encoding="utf-8")
    return cp


def known(cp, key):
    for suffix in ("_ci_low", "_ci_high", "_n"):
        if key.endswith(suffix) and cp.has_section(key[: -len(suffix)]):
            return True
    return cp.has_section(key)


def walk(v, at, cp, missing):
    if isinstance(v, list):
        for x in v:
            walk(x, at, cp, missing)
    elif isinstance(v, dict):
        for k, x in v.items():
            if not known(cp, k):
                missing.add("%s (under %s)" % (k, at))
            if k not in DATA_MAPS:
                walk(x, at + "." + k, cp, missing)


def main():
    binary = sys.argv[1]
    cp = catalogue()
    for s in cp.sections():
        for field in ("label", "unit", "format", "direction", "definition"):
            if not cp.has_option(s, field):
                print("FAIL: [%s] has no %s" % (s, field), file=sys.stderr)
                sys.exit(1)
    with tempfile.TemporaryDirectory(prefix="mql-cat-") as tmp:
        out = os.path.join(tmp, "out")  # its lock and staging beside it, in tmp
        r = subprocess.run([binary, "run", "--data", os.path.join(SOURCE_DIR, "samples"), "--week",
                            "2026-W47", "--out", out, "--no-email"], capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL: run exited %d: %s" % (r.returncode, r.stderr), file=sys.stderr)
            sys.exit(1)
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            tree = json.load(f)
    missing = set()
    walk(tree, "", cp, missing)
    if missing:
        print("FAIL: templates/metrics.ini has no entry for:", file=sys.stderr)
        for m in sorted(missing):
            print("  - " + m, file=sys.stderr)
        sys.exit(1)
    print("ok: every key of the sample report has a catalogue entry")


if __name__ == "__main__":
    main()
