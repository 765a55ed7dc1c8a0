"""rejects.csv is safe to open in a spreadsheet: a rejected field
that a spreadsheet would read as a formula gets a leading ', a NUL byte is
shown as \\0 instead of cutting the field short, and the raw bytes come back
by the rule docs/outputs.md states.

Usage: test_rejects.py /path/to/mqlreport (CTest passes the binary)."""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = None
FIXTURE = os.path.join(os.environ.get("MQL_TESTS_DIR", os.path.dirname(os.path.dirname(__file__))),
                       "fixtures", "cli")
WEEK = "2026-W10"


def recover(field: bytes) -> bytes:
    """docs/outputs.md: drop one leading ', then \\\\ → \\ and \\0 → NUL."""
    if field.startswith(b"'"):
        field = field[1:]
    out, i = bytearray(), 0
    while i < len(field):
        if field[i:i + 1] == b"\\" and field[i + 1:i + 2] in (b"\\", b"0"):
            out += b"\\" if field[i + 1:i + 2] == b"\\" else b"\0"
            i += 2
        else:
            out += field[i:i + 1]
            i += 1
    return bytes(out)


# each a rejected row's fields (wrong_field_count: 3 fields, the header has 12)
HOSTILE = [
    [b'=HYPERLINK("http://x","y")', b"+1", b"-2+3"],
    [b"@SUM(A1)", b"\tTAB", b"\rCR"],
    [b"'=already", b"'plain", b"c:\\0\\path"],
]


class Rejects(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, self.data)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_rejects(self, extra: bytes):
        with open(os.path.join(self.data, "leads.csv"), "ab") as f:
            f.write(extra)
        out = os.path.join(self.tmp, "o")
        # the planted rows are most of the file: the health gate would stop
        # the run, and rejects.csv is what this test reads
        ini = os.path.join(self.tmp, "mql.ini")
        with open(ini, "w") as f:
            f.write("[health]\nrejected_share = warn\n")
        r = mql("run", "--config", ini, "--data", self.data, "--week", WEEK, "--out", out,
                "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.last_stderr = r.stderr
        with open(os.path.join(out, "rejects.csv"), "rb") as f:
            raw = f.read()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8", "surrogateescape"), newline="")))
        return [[c.encode("utf-8", "surrogateescape") for c in row] for row in rows[1:]]

    def test_formula_injection_is_defused(self):
        body = b"".join(b",".join(b'"' + f.replace(b'"', b'""') + b'"' for f in row) + b"\n"
                        for row in HOSTILE)
        rows = self.run_rejects(body)
        self.assertEqual(len(rows), len(HOSTILE))
        for got, want in zip(rows, HOSTILE):
            self.assertEqual(got[2], b"wrong_field_count")
            for cell, raw in zip(got[3:], want):
                with self.subTest(raw=raw):
                    # nothing a spreadsheet runs: no cell starts with = + - @ tab or CR
                    self.assertNotIn(cell[:1], (b"=", b"+", b"-", b"@", b"\t", b"\r"))
                    self.assertEqual(recover(cell), raw)
        self.assertEqual(rows[0][3], b"'=HYPERLINK(\"http://x\",\"y\")")
        self.assertEqual(rows[2][3], b"''=already")

    def test_the_run_log_says_where_the_rejects_and_duplicates_went(self):
        with open(os.path.join(self.data, "leads.csv"), "rb") as f:
            first = f.read().splitlines()[1]
        rows = self.run_rejects(b"L9,2026-03-03T09:00:00Z\n" + first + b"\n")
        self.assertEqual(len(rows), 1)
        self.assertIn("(1 rejected; 1 lead row repeats an earlier lead_id: the later row "
                      "counts)", self.last_stderr)
        # rejects.csv is named once it is published, not promised before
        self.assertRegex(self.last_stderr, r"outputs in [0-9.]+ s: .*/ \(rejects.csv lists the "
                         r"rejected rows\)")

    def test_nul_is_shown_not_truncated(self):
        rows = self.run_rejects(b"L9,2026-03-03T09:00:00Z,x\0y,spring\n")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][2], b"invalid_encoding")
        self.assertEqual(rows[0][5], b"x\\0y")
        self.assertEqual(recover(rows[0][5]), b"x\0y")
        self.assertEqual(rows[0][6], b"spring")

    def test_check_shows_what_cannot_be_seen(self):
        # wrong_field_count rows: values that look like ones read, but for
        # a thin, figure or no-break space, a zero-width space, a BOM or a tab
        rows = [[b"1\xe2\x80\x89234,50", b"x\xe2\x80\x8by", b"\xef\xbb\xbfL9"],
                [b"1\xe2\x80\x87234", b"a\tb", b"Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xc2\xa0"]]
        body = b"".join(b",".join(b'"' + f + b'"' for f in row) + b"\n" for row in rows)
        got = self.run_rejects(body)
        # rejects.csv keeps the bytes as read
        self.assertEqual([[recover(c) for c in row[3:]] for row in got], rows)
        r = mql("check", "--config", os.path.join(self.tmp, "mql.ini"), "--data", self.data,
                "--week", WEEK, "--show-rejects")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('wrong_field_count: "1<U+2009>234,50", "x<U+200B>y", "<U+FEFF>L9"\n',
                      r.stdout)
        # letters of any script as they are
        self.assertIn('wrong_field_count: "1<U+2007>234", "a\\tb", "Café 日本<U+00A0>"\n',
                      r.stdout)

    def test_a_value_quoted_in_a_message_shows_what_cannot_be_seen(self):
        with open(os.path.join(self.data, "leads.csv"), "ab") as f:
            f.write(b"L9,2026-03-03T09:00:00Z,webinar,spring,,,,,,,2026-03-04T09:00:00Z,"
                    b"1\xe2\x80\x89234.50\n")
        r = mql("check", "--data", self.data, "--week", WEEK)
        self.assertIn('amounts such as "1<U+2009>234.50" are not read', r.stdout + r.stderr)


def mql(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, **kw)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
