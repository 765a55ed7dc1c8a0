"""The as_of property of SPEC §2, end to end: rows stamped at or after as_of
change no metric. The sample exports run for an old week, then again with
every row stamped at or after that week's as_of removed (which is the same as
appending those rows to the shorter files); metrics.json must be the same
except `report` (generated_at, input hashes and sizes) and the counts that
by definition count the extra rows (rows read / accepted, timestamps at or
after as_of, duplicate rows).

Usage: test_metrics_as_of.py /path/to/mqlreport (CTest passes the binary)."""
import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

BIN = None
SAMPLES = os.path.join(os.environ.get("MQL_SOURCE_DIR",
                                      os.path.dirname(os.path.dirname(os.path.dirname(__file__)))),
                       "samples")

# The primary timestamp of each source (the report timezone is UTC).
PRIMARY = {"leads.csv": "created_at", "events.csv": "occurred_at",
           "spend.csv": "date", "opportunities.csv": "created_at"}

# data_quality.sources members that count the removed rows themselves.
ROW_COUNTS = {"rows_read", "rows_accepted", "timestamps_after_as_of"}
# data_quality.health checks whose value is a share or count of those rows.
ROW_CHECKS = {"source_empty", "source_none_accepted", "rejected_share", "unparseable_share"}

ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                 r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$")


def instant(text):
    """A UTC datetime for the forms the samples use, or None (kept as is)."""
    s = text.strip()
    if re.fullmatch(r"\d{13}", s):
        return dt.datetime.fromtimestamp(int(s) / 1000, dt.timezone.utc)
    if re.fullmatch(r"\d{10}", s):
        return dt.datetime.fromtimestamp(int(s), dt.timezone.utc)
    m = ISO.match(s)
    if not m:
        return None
    y, mo, d, h, mi, se, off = m.groups()
    try:
        t = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(se or 0),
                        tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    if off and off != "Z":
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        t -= sign * dt.timedelta(minutes=minutes)
    return t


def rejected_lines(rejects_csv):
    """{(source file, line)} of the rows the loader rejected."""
    with open(rejects_csv, newline="", encoding="utf-8") as f:
        return {(r[0] + ".csv", int(r[1])) for r in list(csv.reader(f))[1:]}


def truncate(src, dst, as_of, rejected):
    """Copy the samples into dst without the accepted rows stamped at or after
    as_of (rejected rows stay: they are not part of history either way)."""
    removed = 0
    for name, column in PRIMARY.items():
        with open(os.path.join(src, name), newline="", encoding="utf-8") as f, \
             open(os.path.join(dst, name), "w", newline="", encoding="utf-8") as out:
            reader = csv.reader(f)
            writer = csv.writer(out, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            col = header.index(column)
            line = reader.line_num + 1  # where the next row starts
            for r in reader:
                start, line = line, reader.line_num + 1
                t = instant(r[col]) if len(r) > col else None
                if (name, start) not in rejected and t is not None and t >= as_of:
                    removed += 1
                    continue
                writer.writerow(r)
    return removed


def run(data, out, week):
    r = subprocess.run([BIN, "run", "--data", data, "--week", week, "--out", out, "--no-email"],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise AssertionError(f"mqlreport run failed ({r.returncode}): {r.stderr}")
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        return json.load(f)


def strip(tree):
    tree = dict(tree)
    tree.pop("report", None)
    dq = dict(tree["data_quality"])
    dq["sources"] = [{k: v for k, v in s.items() if k not in ROW_COUNTS} for s in dq["sources"]]
    # extra rows for an id already seen are counted before the as_of filter
    # (SPEC §3), so a removed duplicate row is one fewer
    dq.pop("duplicates")
    # the health checks over those counts measure (and word) them too
    dq["health"] = [{k: v for k, v in h.items() if h["check"] not in ROW_CHECKS or k not in ("value", "message")}
                    for h in dq["health"]]
    tree["data_quality"] = dq
    return tree


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        if list(a) != list(b):
            return path + " (keys)"
        for k in a:
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return path + " (length)"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}.{i}")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


class AsOf(unittest.TestCase):
    def check_week(self, week, as_of):
        with tempfile.TemporaryDirectory() as tmp:
            short = os.path.join(tmp, "short")
            os.mkdir(short)
            full = run(SAMPLES, os.path.join(tmp, "full"), week)
            rejected = rejected_lines(os.path.join(tmp, "full", "rejects.csv"))
            self.assertGreater(len(rejected), 0)
            removed = truncate(SAMPLES, short, as_of, rejected)
            self.assertGreater(removed, 1000, "the week should have later rows to remove")
            trimmed = run(short, os.path.join(tmp, "trimmed"), week)
            # the property would hold trivially on an empty report
            self.assertGreater(full["windows"]["13w"]["mqls"], 100)
            self.assertGreater(full["windows"]["4w"]["wins"], 0)
            self.assertIsNone(first_difference(strip(full), strip(trimmed)))
            # the later rows are seen, and only counted as such
            after = {s["source"]: s["timestamps_after_as_of"] for s in full["data_quality"]["sources"]}
            self.assertGreater(after["events"], 0)
            self.assertGreater(after["leads"], 0)

    def test_week_40(self):
        # 2026-W40 is Monday 2026-09-28 .. as_of Monday 2026-10-05 00:00 UTC
        self.check_week("2026-W40", dt.datetime(2026, 10, 5, tzinfo=dt.timezone.utc))

    def test_week_30(self):
        # 2026-W30: as_of Monday 2026-07-27 00:00 UTC
        self.check_week("2026-W30", dt.datetime(2026, 7, 27, tzinfo=dt.timezone.utc))


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
