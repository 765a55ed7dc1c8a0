"""Exports a spreadsheet or a CRM wrote its own way, read as docs/ingest.md
says: ids that Excel turned into scientific notation are rejected with their
own reason, and a whole file of them stops the run.

Usage: test_excel_exports.py /path/to/mqlreport (CTest passes the binary)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = None
WEEK = "2026-W10"


def leads_csv(ids, amounts=None, sep=","):
    """A canonical leads export: one lead a day from 2026-03-02, each an MQL."""
    head = ["lead_id", "created_at", "channel", "campaign", "mql_at", "amount"]
    rows = [sep.join(head)]
    for k, lid in enumerate(ids):
        day = 2 + k % 5
        amount = amounts[k] if amounts else ""
        rows.append(sep.join([lid, f"2026-03-0{day}T09:00:00Z", "paid_search", "spring",
                              f"2026-03-0{day}T12:00:00Z", amount]))
    return "\n".join(rows) + "\n"


class Exports(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.data = os.path.join(self.tmp, "data")
        os.mkdir(self.data)
        self.write("events.csv", "lead_id,occurred_at,type,channel,campaign\n"
                   "L1,2026-03-02T09:30:00Z,content_download,paid_search,spring\n")
        self.write("spend.csv", "date,channel,campaign,amount,currency\n"
                   "2026-03-02,paid_search,spring,500.00,USD\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        with open(os.path.join(self.data, name), "w", encoding="utf-8") as f:
            f.write(text)

    def check(self, *extra):
        return mql("check", "--data", self.data, "--week", WEEK, *extra)

    def ini(self, text):
        path = os.path.join(self.tmp, "mql.ini")
        with open(path, "w") as f:
            f.write(text)
        return path


class ScientificIds(Exports):
    def test_every_id_in_scientific_notation_stops_the_run(self):
        # a HubSpot export saved by Excel: every Record ID 1.95135E+11
        self.write("leads.csv", leads_csv(["1.95135E+11"] * 30))
        r = self.check()
        self.assertEqual(r.returncode, 65, r.stdout + r.stderr)
        out = r.stdout + r.stderr
        self.assertIn("id_scientific_notation", out)
        self.assertIn("scientific notation", out)
        self.assertIn("export the leads again", out)
        self.assertNotIn("repeat an earlier lead_id", out)

    def test_a_few_such_ids_are_rejects_and_the_rest_is_read(self):
        ids = [f"L{k}" for k in range(40)] + ["2E+11", "1.2e+5"]
        self.write("leads.csv", leads_csv(ids))
        r = self.check("--show-rejects")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("rows read 42, accepted 40, rejected 2", r.stdout)
        self.assertIn("id_scientific_notation", r.stdout)

    def test_an_opportunity_id_in_scientific_notation_is_a_reject(self):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        opps = ["opportunity_id,lead_id,created_at,amount"]
        opps += [f"O{k},L{k},2026-03-04T10:00:00Z,100" for k in range(20)]
        opps.append("6.00652E+14,L1,2026-03-04T10:00:00Z,100")
        self.write("opportunities.csv", "\n".join(opps) + "\n")
        r = self.check("--show-rejects")
        self.assertIn("rows read 21, accepted 20, rejected 1", r.stdout)
        self.assertIn("id_scientific_notation", r.stdout)

    def test_ids_that_only_hold_a_plus_are_kept(self):
        ids = [f"L{k}" for k in range(20)] + ["A+1", "1E+", "1.E+5", "E+5"]
        self.write("leads.csv", leads_csv(ids))
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("rows read 24, accepted 24, rejected 0", r.stdout)


def mql(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, **kw)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
