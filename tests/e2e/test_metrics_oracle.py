"""The window metrics and the channel table of a real run, against a second,
independent computation of SPEC §6 written here in Python from the sample
exports (the rows the run rejected, listed in its rejects.csv, are left out,
so this checks the metrics, not the loader's reasons).

Usage: test_metrics_oracle.py /path/to/mqlreport (CTest passes the binary)."""
import csv
import datetime as dt
import json
import math
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
UTC = dt.timezone.utc
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
                 r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$")


def instant(text):
    """SPEC §2's forms (the report timezone is UTC); None when empty or bad."""
    s = (text or "").strip()
    if re.fullmatch(r"\d{13}", s):
        return dt.datetime.fromtimestamp(int(s) / 1000, UTC)
    if re.fullmatch(r"\d{10}", s):
        return dt.datetime.fromtimestamp(int(s), UTC)
    m = ISO.match(s)
    if not m:
        return None
    y, mo, d, h, mi, se, frac, off = m.groups()
    try:
        t = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(se or 0),
                        int(round(float(frac) * 1000)) * 1000 if frac else 0, tzinfo=UTC)
    except ValueError:
        return None
    if off and off != "Z":
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        t -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return t


def money(text):
    s = (text or "").strip().lstrip("$€£")
    if not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", s):
        return None
    return float(s.replace(",", ""))


def norm(text):
    s = re.sub(r"[ -]+", "_", (text or "").strip().lower())
    return s


def rows(name, rejected):
    """The accepted rows of a sample file as dicts (rejected lines skipped)."""
    with open(os.path.join(SAMPLES, name), newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        line = reader.line_num + 1
        for r in reader:
            start, line = line, reader.line_num + 1
            if (name, start) in rejected or not any(x.strip() for x in r):
                continue
            yield dict(zip(header, r))


class Oracle:
    """SPEC §6 for one as_of, straight from the definitions."""

    FIELDS = ["created_at", "mql_at", "accepted_at", "rejected_at", "sql_at",
              "first_contact_at", "opportunity_at", "won_at", "lost_at"]

    def __init__(self, as_of, rejected):
        self.as_of = as_of
        leads = {}
        for r in rows("leads.csv", rejected):
            leads[r["lead_id"].strip()] = r  # the later accepted row wins
        self.leads = {}
        for lid, r in leads.items():
            created = instant(r["created_at"])
            if created is None or created >= as_of:
                continue
            lead = {f: self.clip(instant(r.get(f))) for f in self.FIELDS}
            lead["channel"] = norm(r.get("channel")) or "unknown"
            lead["campaign"] = (r.get("campaign") or "").strip() or "unknown"
            lead["amount"] = money(r.get("amount"))
            self.leads[lid] = lead
        self.won_opps = []  # (lead id, closed, amount)
        per_lead = {}
        for r in rows("opportunities.csv", rejected):
            per_lead.setdefault(r["lead_id"].strip(), {})[r["opportunity_id"].strip()] = r
        for lead in self.leads.values():
            lead["opportunity_at"] = lead["won_at"] = lead["lost_at"] = None
            lead["amount"] = None
        for lid, opps in per_lead.items():
            lead = self.leads.get(lid)
            if lead is None:
                continue
            closed_all, won_all = [], []
            for r in opps.values():
                created = instant(r["created_at"])
                if created is None or created >= as_of:
                    continue
                if lead["opportunity_at"] is None or created < lead["opportunity_at"]:
                    lead["opportunity_at"] = created
                closed = self.clip(instant(r.get("closed_at")))
                if closed is None or r.get("is_closed", "").strip().lower() in ("false", "0", "no"):
                    continue
                is_won = r.get("is_won", "").strip().lower()
                won = is_won in ("true", "1", "yes") if is_won else \
                    norm(r.get("stage")) in ("won", "closed_won")
                closed_all.append(closed)
                if won:
                    won_all.append(closed)
                    self.won_opps.append((lid, closed, money(r.get("amount"))))
            if won_all:
                lead["won_at"] = min(won_all)
            elif closed_all:
                lead["lost_at"] = max(closed_all)
        self.spend = []
        for r in rows("spend.csv", rejected):
            day = instant(r["date"])
            if day is not None and day < as_of:
                self.spend.append((day, norm(r["channel"]), money(r["amount"])))

    def clip(self, t):
        return t if t is not None and t < self.as_of else None

    def window(self, start):
        def inw(t):
            return t is not None and start <= t < self.as_of

        L = self.leads.values()
        created = [l for l in L if inw(l["created_at"])]
        cohort = [l for l in L if inw(l["mql_at"])]
        sql = [l for l in cohort if l["sql_at"]]
        reviewed = [l for l in cohort if l["accepted_at"] or l["rejected_at"]]
        accepted = [l for l in cohort if l["accepted_at"]]
        closed = [l for l in cohort if l["won_at"] or l["lost_at"]]
        won = [l for l in cohort if l["won_at"]]
        spend = sum(a for d, _, a in self.spend if d >= start)
        revenue = sum(a or 0 for _, c, a in self.won_opps if inw(c))
        deals = [a for _, c, a in self.won_opps if inw(c) and a is not None]
        days = lambda a, b: (a - b).total_seconds() / 86400
        tts = sorted(days(l["sql_at"], l["mql_at"]) for l in sql if l["sql_at"] >= l["mql_at"])
        km = [(days(l["sql_at"], l["mql_at"]), 1) for l in sql if l["sql_at"] >= l["mql_at"]]
        km += [(days(self.as_of, l["mql_at"]), 0) for l in cohort if not l["sql_at"]]
        rate = lambda k, n: len(k) / len(n) if n else None
        return {
            "leads": len(created), "mqls": len(cohort),
            "sqls": sum(1 for l in L if inw(l["sql_at"])),
            "wins": sum(1 for l in L if inw(l["won_at"])),
            "won_deals": sum(1 for _, c, _ in self.won_opps if inw(c)),
            "revenue": revenue, "spend": spend,
            "lead_to_mql_rate": rate([l for l in created if l["mql_at"]], created),
            "mql_to_sql_rate": rate(sql, cohort),
            "sales_acceptance_rate": rate(accepted, reviewed),
            "sales_pending": len(cohort) - len(reviewed),
            "close_rate": rate(won, closed),
            "time_to_sql_days_median": median(tts),
            "time_to_sql_days_km_median": km_median(km),
            "deal_size_mean": sum(deals) / len(deals) if deals else None,
            "cost_per_mql": spend / len(cohort) if cohort else None,
            # the cases each statistic rests on
            "lead_to_mql_rate_n": len(created), "mql_to_sql_rate_n": len(cohort),
            "sales_acceptance_rate_n": len(reviewed), "close_rate_n": len(closed),
            "time_to_sql_days_median_n": len(tts), "time_to_sql_days_km_median_n": len(km),
            "deal_size_mean_n": len(deals),
        }

    def channels(self, start):
        def inw(t):
            return t is not None and start <= t < self.as_of

        out = {}

        def row(ch):
            return out.setdefault(ch, {"leads": 0, "mqls": 0, "sqls": 0, "wins": 0, "spend": 0.0,
                                       "revenue_first_touch": 0.0})

        for l in self.leads.values():
            for key, field in (("leads", "created_at"), ("mqls", "mql_at"), ("sqls", "sql_at"),
                               ("wins", "won_at")):
                if inw(l[field]):
                    row(l["channel"])[key] += 1
        for d, ch, a in self.spend:
            if d >= start:
                row(ch)["spend"] += a
        for lid, c, a in self.won_opps:
            if inw(c) and a:
                row(self.leads[lid]["channel"])["revenue_first_touch"] += a
        return out


def median(xs):
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def km_median(obs):
    s, at_risk = 1.0, len(obs)
    for t in sorted({t for t, _ in obs}):
        d = sum(1 for u, e in obs if u == t and e)
        if d:
            s *= 1 - d / at_risk
            if s <= 0.5 + 1e-9:
                return t
        at_risk -= sum(1 for u, _ in obs if u == t)
    return None


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


class AgainstOracle(unittest.TestCase):
    def check_week(self, week, as_of):
        with tempfile.TemporaryDirectory() as top:
            tmp = os.path.join(top, "out")  # its lock and staging beside it, in top
            r = subprocess.run([BIN, "run", "--data", SAMPLES, "--week", week, "--out", tmp,
                                "--no-email"], capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(tmp, "metrics.json"), encoding="utf-8") as f:
                got = json.load(f)
            with open(os.path.join(tmp, "rejects.csv"), newline="", encoding="utf-8") as f:
                rejected = {(x[0] + ".csv", int(x[1])) for x in list(csv.reader(f))[1:]}
        oracle = Oracle(as_of, rejected)
        weeks = {"1w": 1, "4w": 4, "13w": 13}
        for name, n in weeks.items():
            start = as_of - dt.timedelta(weeks=n)
            want = oracle.window(start)
            self.assertGreater(want["mqls"], 0)
            for key, value in want.items():
                with self.subTest(week=week, window=name, key=key):
                    self.assertTrue(close(got["windows"][name][key], value),
                                    f"{got['windows'][name][key]} != {value}")
            table = {row["channel"]: row for row in got["by_channel"][name]}
            want_rows = {ch: r for ch, r in oracle.channels(start).items()
                         if any(r.values())}
            self.assertEqual(sorted(table), sorted(want_rows))
            for ch, r in want_rows.items():
                for key, value in r.items():
                    with self.subTest(week=week, window=name, channel=ch, key=key):
                        self.assertTrue(close(table[ch][key], value), f"{table[ch][key]} != {value}")

    def test_week_47(self):
        self.check_week("2026-W47", dt.datetime(2026, 11, 23, tzinfo=UTC))

    def test_week_40(self):
        self.check_week("2026-W40", dt.datetime(2026, 10, 5, tzinfo=UTC))


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
