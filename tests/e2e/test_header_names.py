"""Header matching end to end (docs/ingest.md, "Header matching"): a header
named in [columns.*] is read as written before any header that only looks
like it once case, spaces and symbols are left out; a loose match that
finds several headers stops the run; a preset's name that finds several
is warned about; headers written wholly in another script than Latin map.

Usage: test_header_names.py MQLREPORT (CTest passes the binary)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = None
WEEK = "2026-W47"

LEADS = ("lead_id,created_at,channel,campaign,mql_at\n"
         "A1,2026-11-16T10:00:00Z,paid_search,Q4 Search,2026-11-17T10:00:00Z\n")
EVENTS = "lead_id,occurred_at,type\nA1,2026-11-20T10:00:00Z,page_visit\n"
SPEND = "date,channel,campaign,amount\n2026-11-16,paid_search,Q4 Search,100.00\n"
# a spend sheet in two currencies: the one in dollars is the one to read
SPEND_TWO_COSTS = ("Day,Campaign,Cost (€),Cost ($),Clicks\n"
                   "2026-11-16,Q4 Search,100.00,108.00,10\n"
                   "2026-11-17,Q4 Search,200.00,216.00,20\n")


def mql(*args):
    return subprocess.run([BIN] + list(args), capture_output=True, encoding="utf-8",
                          errors="replace")


class HeaderNames(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def config(self, files, extra, spend_channel=False):
        """A configuration reading files (source → CSV text) from the
        test's folder, with the sections in extra after them; with
        spend_channel, the spend file's rows are paid_search."""
        lines = ["[report]", "week = " + WEEK, "currency = USD"]
        for source, text in files.items():
            lines += ["[source.%s]" % source, "location = " + self.write(source + ".csv", text)]
            if source == "spend" and spend_channel:
                lines.append("channel = paid_search")
        return self.write("mql.ini", "\n".join(lines) + "\n" + extra)

    def metrics(self, ini):
        out = os.path.join(self.tmp, "out")
        r = mql("run", "--config", ini, "--no-email", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            return json.load(f), r.stderr

    def test_configured_header_is_read_as_written(self):
        ini = self.config({"leads": LEADS, "events": EVENTS, "spend": SPEND_TWO_COSTS},
                          "[columns.spend]\ndate = Day\ncampaign = Campaign\n"
                          "amount = Cost ($)\n", spend_channel=True)
        r = mql("check", "--config", ini)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        ignored = [ln for ln in r.stdout.splitlines() if "ignored columns" in ln]
        self.assertIn('"Cost (€)"', " ".join(ignored), r.stdout)
        self.assertNotIn('"Cost ($)"', " ".join(ignored), r.stdout)
        m, _ = self.metrics(ini)
        self.assertEqual(m["windows"]["1w"]["spend"], 324)

    def test_configured_header_ambiguous_once_loose_stops(self):
        ini = self.config({"leads": LEADS, "events": EVENTS, "spend": SPEND_TWO_COSTS},
                          "[columns.spend]\ndate = Day\ncampaign = Campaign\n"
                          "amount = cost\n", spend_channel=True)
        for cmd in ("check", "run"):
            with self.subTest(cmd=cmd):
                args = [cmd, "--config", ini]
                if cmd == "run":
                    args += ["--no-email", "--out", os.path.join(self.tmp, "o")]
                r = mql(*args)
                self.assertEqual(r.returncode, 65, r.stdout + r.stderr)
                err = r.stderr
                self.assertIn("spend.csv:1: [columns.spend] maps amount to \"cost\"", err)
                self.assertIn('("Cost (€)", "Cost ($)")', err)
                self.assertIn("exactly as the file has it", err)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "o")))

    def test_preset_name_matching_headers_alike_is_warned(self):
        spend = ("date,channel,Amount (€),Amount ($)\n"
                 "2026-11-16,paid_search,100.00,108.00\n")
        ini = self.config({"leads": LEADS, "events": EVENTS, "spend": spend}, "")
        m, err = self.metrics(ini)
        # the first is read, as before, but not without a word
        self.assertEqual(m["windows"]["1w"]["spend"], 100)
        warning = [ln for ln in err.splitlines() if "differ only" in ln]
        self.assertEqual(len(warning), 1, err)
        self.assertIn('spend.csv: the columns "Amount (€)" and "Amount ($)"', warning[0])
        self.assertIn("[columns.spend] amount = Amount ($)", warning[0])
        # a header the file has as written is read without a warning
        spend = ("date,channel,amount,Amount ($)\n"
                 "2026-11-16,paid_search,100.00,108.00\n")
        ini = self.config({"leads": LEADS, "events": EVENTS, "spend": spend}, "")
        m, err = self.metrics(ini)
        self.assertEqual(m["windows"]["1w"]["spend"], 100)
        self.assertNotIn("differ only", err)

    def test_dates_named_in_japanese_are_told_apart(self):
        leads = ("Lead ID,Created,MQL 承認日,MQL 日付,SQL 日付\n"
                 "L1,2026-11-16 08:00,2026-11-20 09:00,2026-11-17 09:00,2026-11-21 10:00\n")
        ini = self.config({"leads": leads, "events": EVENTS.replace("A1", "L1"),
                           "spend": SPEND},
                          "[columns.leads]\nlead_id = Lead ID\ncreated_at = Created\n"
                          "mql_at = MQL 日付\naccepted_at = MQL 承認日\nsql_at = SQL 日付\n")
        r = mql("score", "--config", ini)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = r.stdout.splitlines()
        col = rows[0].split(",").index("mql_at")
        self.assertEqual(rows[1].split(",")[col], "2026-11-17T09:00:00Z", r.stdout)

    def test_headers_in_other_scripts_map(self):
        # each named as written, in another case, and loosely (without its
        # spaces, or with "_" and "-" for them) beside a header whose Latin
        # letters alone are the same: the MQL date is the 18th, not the 20th
        cases = {
            "ja": ("リード ID,作成日,会社名,役職,リードソース,MQL 承認日,MQL 日付\n"
                   "L1,2026-11-17 08:00,株式会社A,CEO,Web,2026-11-20 09:00,2026-11-18 09:00\n",
                   "lead_id = リードID\ncreated_at = 作成日\njob_title = 役職\n"
                   "channel = リードソース\nmql_at = MQL日付\n"),
            "ru": ("ID интереса,Дата создания,Источник интереса,Должность,Дата конверсии MQL,"
                   "Дата MQL\n"
                   "L1,2026-11-17 08:00,Web,CEO,2026-11-20 09:00,2026-11-18 09:00\n",
                   "lead_id = ID интереса\ncreated_at = дата_создания\n"
                   "channel = Источник интереса\njob_title = ДОЛЖНОСТЬ\nmql_at = дата-mql\n"),
        }
        for lang, (leads, columns) in cases.items():
            with self.subTest(lang=lang):
                ini = self.config({"leads": leads, "events": EVENTS.replace("A1", "L1"),
                                   "spend": SPEND}, "[columns.leads]\n" + columns)
                r = mql("check", "--config", ini)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertIn("accepted 1, rejected 0", r.stdout)
                self.assertNotIn("missing required column", r.stderr)
                r = mql("score", "--config", ini)
                self.assertEqual(r.returncode, 0, r.stderr)
                rows = r.stdout.splitlines()
                col = rows[0].split(",").index("mql_at")
                self.assertEqual(rows[1].split(",")[col], "2026-11-18T09:00:00Z", r.stdout)
                m, _ = self.metrics(ini)
                w = m["windows"]["1w"]
                self.assertEqual((w["leads"], w["mqls"]), (1, 1), lang)
                chans = [c["channel"] for c in m["by_channel"]["1w"] if c["leads"]]
                self.assertEqual(chans, ["web"], lang)

    def test_header_of_symbols_alone_matches_only_as_written(self):
        leads = "lead_id,created_at,★\nA1,2026-11-16T10:00:00Z,x\n"
        ini = self.config({"leads": leads, "events": EVENTS, "spend": SPEND},
                          "[columns.leads]\njob_title = ☆\n")
        r = mql("check", "--config", ini)
        self.assertEqual(r.returncode, 65, r.stdout + r.stderr)
        self.assertIn('maps job_title to "☆", which the header does not have', r.stderr)
        ini = self.config({"leads": leads, "events": EVENTS, "spend": SPEND},
                          "[columns.leads]\njob_title = ★\n")
        r = mql("check", "--config", ini)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("ignored columns", r.stdout)

    def test_same_name_in_another_case_is_a_repeated_column(self):
        # the second is the same name as the names are matched as written
        # (trimmed, in any case): only the first is read, and that is said
        leads = ('Lead ID,created_at,channel,Channel,"lead id "\n'
                 "A1,2026-11-16T10:00:00Z,paid_search,web,B2\n")
        ini = self.config({"leads": leads, "events": EVENTS, "spend": SPEND}, "")
        r = mql("check", "--config", ini)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("ignored columns", r.stdout)
        self.assertIn('repeated columns (the first of each name is read): "Channel", "lead id"\n',
                      r.stdout)
        m, err = self.metrics(ini)
        self.assertEqual([c["channel"] for c in m["by_channel"]["1w"] if c["leads"]],
                         ["paid_search"])
        self.assertIn('leads.csv: the header names "channel" more than once (as "channel" and '
                      '"Channel"): the first column of that name is read', err)
        self.assertIn('leads.csv: the header names "Lead ID" more than once (as "Lead ID" and '
                      '"lead id")', err)
        self.assertNotIn("ignored columns", err)
        # the same text twice is named once, as before
        leads = ("lead_id,created_at,channel,channel\n"
                 "A1,2026-11-16T10:00:00Z,paid_search,web\n")
        ini = self.config({"leads": leads, "events": EVENTS, "spend": SPEND}, "")
        m, err = self.metrics(ini)
        self.assertIn('leads.csv: the header names "channel" more than once: the first', err)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
