"""One parser for numbers and names: what the command line and the
configuration file used to take silently is refused, on the command line with
exit 64 naming the option, in the file with exit 78 naming file and line.
Weeks whose dates a workbook cannot hold are refused; the edge weeks give
workbooks that openpyxl reads.

Usage: test_values.py /path/to/mqlreport (CTest passes the binary)."""
import json
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


def mql(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, **kw)


class CommandLine(unittest.TestCase):
    """Numbers and names the command line took silently."""

    def refused(self, option, value, *says):
        r = mql("check", "--data", FIXTURE, "--week", WEEK, f"--{option}={value}")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn(f"--{option}: ", r.stderr)
        for s in says:
            self.assertIn(s, r.stderr)

    def test_threshold_must_be_a_finite_decimal(self):
        for value in ("nan", "inf", "-inf", "1e309", "0x10", "", " 60", "60 points"):
            with self.subTest(value=value):
                self.refused("threshold", value)

    def test_threshold_and_half_life_ranges(self):
        self.refused("threshold", "1e7", "out of range")
        self.refused("half-life", "-1", "out of range")
        self.refused("half-life", "40000", "out of range")

    def test_half_life_nan(self):
        self.refused("half-life", "nan", "not a number")

    def test_currency_is_an_iso_code(self):
        for value in ("", "<b>EUR</b>", "EURO", "E1R", "US"):
            with self.subTest(value=value):
                self.refused("currency", value, "currency code")

    def test_lower_case_currency_is_upper_cased(self):
        tmp = tempfile.mkdtemp()
        out = os.path.join(tmp, "out")  # its lock and staging beside it, in tmp
        try:
            r = mql("run", "--data", FIXTURE, "--week", WEEK, "--currency", "usd", "--out", out,
                    "--no-email")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "metrics.json")) as f:
                self.assertIn('"currency": "USD"', f.read())
        finally:
            shutil.rmtree(tmp)

    def test_posix_tz_string_gets_the_etc_hint(self):
        # POSIX reads UTC+5 as five hours *west*; the one who wrote it meant east
        self.refused("tz", "UTC+5", "Etc/GMT-5")
        self.refused("tz", "GMT-3", "Etc/GMT+3")
        # the place offered is at the offset meant (it named Europe/Berlin, UTC+1, for all)
        self.refused("tz", "UTC+5", "Asia/Karachi, for one, is at that offset all year")
        r = mql("check", "--data", FIXTURE, "--week", WEEK, "--tz=UTC+5")
        self.assertNotIn("Europe/Berlin", r.stderr)

    def test_tz_is_a_name_of_the_database(self):
        for value in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "Europe"):
            with self.subTest(value=value):
                self.refused("tz", value, "time zone")
        for value in ("UTC", "Europe/Berlin", "Etc/GMT-5"):
            with self.subTest(value=value):
                r = mql("check", "--data", FIXTURE, "--week", WEEK, "--tz", value)
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_good_numbers_still_pass(self):
        for args in (("--threshold", "70"), ("--threshold", "-5.5"), ("--threshold", "1e2"),
                     ("--half-life", "0"), ("--half-life", "30")):
            with self.subTest(args=args):
                r = mql("check", "--data", FIXTURE, "--week", WEEK, *args)
                self.assertEqual(r.returncode, 0, r.stderr)


class ConfigFile(unittest.TestCase):
    """Configuration mistakes that passed."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self, body, *extra):
        path = os.path.join(self.tmp, "mql.ini")
        sources = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                          for s in ("leads", "events", "spend"))
        with open(path, "w") as f:
            f.write(body + sources)
        return path, mql("check", "--config", path, "--week", WEEK, *extra)

    def test_comment_after_a_value(self):
        path, r = self.check("[report]\ncurrency = EUR   # euro\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2: [report] currency:", r.stderr)
        self.assertIn("comments go on their own line", r.stderr)

    def test_a_key_before_any_group_names_its_line(self):
        path, r = self.check("# the weekly report\n\nweek = last\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:3: \"week = last\" comes before any [group]", r.stderr)
        self.assertNotIn("Key file", r.stderr)

    def test_comment_on_its_own_line_is_fine(self):
        # the fixture's spend is in USD: its EUR rows are rejected, which the
        # health gate would stop on; this test is about the comment
        path, r = self.check("[report]\n# euro\ncurrency = eur\n[health]\nrejected_share = warn\n")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_line_that_is_no_key_names_its_number(self):
        path, r = self.check("[report]\nweek = 2026-W10\n[report]x\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f'{path}:3: "[report]x" is not a key = value line', r.stderr)

    def test_a_byte_order_mark_is_not_text(self):
        # as Windows Notepad saves UTF-8: the file reads, and its first
        # group is checked like any other
        path, r = self.check("\ufeff[report]\ntimezone = UTC\n[health]\nrejected_share = warn\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        path, r = self.check("\ufeff[report]\nweek = 2026-W10\nweek = 2026-W09\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:3: [report] week", r.stderr)

    def test_duplicated_key_names_both_lines(self):
        path, r = self.check("[report]\nweek = 2026-W10\ntimezone = UTC\nweek = 2026-W09\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:4: [report] week", r.stderr)
        self.assertIn("lines 2 and 4", r.stderr)

    def test_duplicated_group_names_both_lines(self):
        path, r = self.check("[report]\nweek = 2026-W10\n\n[finance]\ngross_margin = 0.5\n"
                             "\n[report]\ntimezone = UTC\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:7: [report]", r.stderr)
        self.assertIn("lines 1 and 7", r.stderr)

    def test_file_takes_the_numbers_the_command_line_takes(self):
        for body, line in (("[scoring]\nthreshold = 0x10\n", 2),
                           ("[scoring]\n\nhalf_life_days = nan\n", 3),
                           ("[finance]\ngross_margin = 1e309\n", 2),
                           ("[scoring]\nthreshold = 1e7\n", 2)):
            with self.subTest(body=body):
                path, r = self.check(body)
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:{line}:", r.stderr)

    def test_file_names_the_same_as_the_command_line(self):
        for body, says in (("[report]\ntimezone = UTC+5\n", "Etc/GMT-5"),
                           ("[report]\ncurrency = <b>\n", "currency code"),
                           ("[report]\nweek = 2026-W99\n", "2026-W99")):
            with self.subTest(body=body):
                path, r = self.check(body)
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:2: [report]", r.stderr)
                self.assertIn(says, r.stderr)
        path, r = self.check("[source.leads]\ntimezone = UTC+5\n")
        self.assertEqual(r.returncode, 78, r.stderr)


    def test_a_semicolon_comment_is_named_as_one(self):
        # GKeyFile reads a line starting with ';' as a key: it used to be an
        # "unknown key" named at its group's line, or not a line at all
        for body, line in (("[engine]\nkind = embedded\n; retries, timeout_s\n", 3),
                           ("[engine]\n; batch_rows (rows per INSERT)\n", 2)):
            with self.subTest(body=body):
                path, r = self.check(body)
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:{line}: ", r.stderr)
                self.assertIn("a comment starts with #, not ;", r.stderr)

    def test_a_file_not_in_utf8_names_the_byte(self):
        # GLib reads a value that is not UTF-8 as absent: a Latin-1 subject
        # was replaced by the default one without a word
        path = os.path.join(self.tmp, "latin1.ini")
        sources = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                          for s in ("leads", "events", "spend"))
        for body, where, byte in ((b"[email]\nsubject = Rapport \xe9t\xe9\n", ":2:19:", "0xE9"),
                                  (b"# r\xc3\xa9sum\xc3\xa9\n[report]\ncurrency = USD\x00\n", ":3:15:", None)):
            with self.subTest(body=body):
                with open(path, "wb") as f:
                    f.write(body + sources.encode())
                r = mql("check", "--config", path, "--week", WEEK)
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(path + where, r.stderr)
                self.assertIn(f"the byte {byte} is not UTF-8 text" if byte else "a NUL byte", r.stderr)

    def test_a_credentials_key_holds_a_variable_name(self):
        # a comment after the name made it a variable that never exists,
        # and the engine connected as ClickHouse's default user
        for group, key in (("engine", "user_env"), ("engine", "password_env"),
                           ("email", "username_env"), ("source.opportunities", "bearer_token_env")):
            with self.subTest(key=key):
                path, r = self.check(f"[{group}]\n{key} = CH_USER   ; the user\n")
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:2: [{group}] {key}:", r.stderr)
                self.assertIn("is not the name of an environment variable", r.stderr)

    def test_a_share_may_be_written_in_percent(self):
        # a margin as people say it: "60%" is 0.6, the figures the same
        samples = os.path.join(os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__),
                                                                               "..", "..")), "samples")
        clv = {}
        for margin in ("60%", "0.6", "0.8"):
            cfg = os.path.join(self.tmp, "margin.ini")
            with open(cfg, "w") as f:
                f.write(f"[finance]\ngross_margin = {margin}\n")
            out = os.path.join(self.tmp, "out-" + margin)
            r = mql("run", "--config", cfg, "--data", samples, "--week", "2026-W47", "--no-email",
                    "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "metrics.json")) as f:
                clv[margin] = json.load(f)["windows"]["13w"]["clv"]
        self.assertEqual(clv["60%"], clv["0.6"])
        self.assertNotEqual(clv["0.6"], clv["0.8"])
        # 60 for a share of 0 to 1: named as the percent it most likely is
        path, r = self.check("[finance]\ngross_margin = 60\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2: [finance] gross_margin: 60 is out of range (0 to 1; as a fraction "
                      "0.6, or 60%)", r.stderr)
        path, r = self.check("[finance]\ngross_margin = most\n")
        self.assertIn("\"most\" is not a number (a fraction such as 0.8, or 80%)", r.stderr)
        # a number of another range keeps its own advice, and takes no percent
        path, r = self.check("[finance]\nexpected_lifetime_years = 3%\n")
        self.assertIn("\"3%\" is not a number (a decimal such as 60 or 0.5)", r.stderr)

    def test_paper_is_named_with_any_case(self):
        path, r = self.check("[report]\npaper = A5\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2: [report] paper: \"A5\" is not A4 or Letter", r.stderr)

    def test_a_range_is_written_as_the_docs_write_it(self):
        path, r = self.check("[engine]\nchunk_leads = 50\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2: [engine] chunk_leads: 50 is out of range (100 to 10,000,000)",
                      r.stderr)

    def test_an_unknown_key_offers_the_near_one(self):
        path, r = self.check("[report]\ncurency = EUR\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2: [report] curency: unknown key (did you mean currency?)", r.stderr)
        # nothing near: the group's keys
        path, r = self.check("[report]\nmargin_of_error = 0.7\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("[report] margin_of_error: unknown key (the keys of [report]: timezone, currency,",
                      r.stderr)

    def test_a_tab_delimiter_written_as_backslash_t(self):
        # GKeyFile made \t a tab, which the trimming removed: '"" is not auto, …'
        tsv = os.path.join(self.tmp, "leads.tsv")
        with open(os.path.join(FIXTURE, "leads.csv")) as src, open(tsv, "w") as dst:
            dst.write(src.read().replace(",", "\t"))
        path = os.path.join(self.tmp, "tab.ini")
        with open(path, "w") as f:
            f.write(f"[source.leads]\nlocation = {tsv}\ndelimiter = \\t\n"
                    + "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                              for s in ("events", "spend")))
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertNotIn("delimiter", r.stderr)
        self.assertIn("leads: ", r.stdout)
        self.assertRegex(r.stdout, r"rows read (\d+), accepted \1,")

    def test_half_a_credential_pair_names_its_own_line(self):
        path, r = self.check("[email]\nsmtp_url = smtps://mail.example.com\nfrom = a@example.com\n"
                             "to = b@example.com\nusername_env = SMTP_USER\n")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:5: [email] username_env: set without password_env", r.stderr)

    def test_an_engine_url_without_its_scheme(self):
        for key in ("url", "nodes"):
            with self.subTest(key=key):
                path, r = self.check(f"[engine]\nallow_http = true\n{key} = 127.0.0.1:8123\n")
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:3: [engine] {key}: \"127.0.0.1:8123\" is not a URL",
                              r.stderr)

    def test_one_place_per_source(self):
        # path won over location whatever their order, url over both
        for first, second in (("location", "path"), ("path", "location"), ("location", "url")):
            with self.subTest(keys=(first, second)):
                path = os.path.join(self.tmp, "two.ini")
                other = "https://example.com/e.csv" if second == "url" else "/nonexistent/events.csv"
                with open(path, "w") as f:
                    f.write(f"[source.leads]\nlocation = {os.path.join(FIXTURE, 'leads.csv')}\n"
                            f"[source.events]\n{first} = {os.path.join(FIXTURE, 'events.csv')}\n"
                            f"{second} = {other}\n"
                            f"[source.spend]\nlocation = {os.path.join(FIXTURE, 'spend.csv')}\n")
                r = mql("check", "--config", path, "--week", WEEK)
                self.assertEqual(r.returncode, 78, r.stderr)
                a, b = sorted((first, second), key=("location", "path", "url").index)
                line = 4 if b == first else 5
                self.assertIn(f"{path}:{line}: [source.events] {b}: give only one of location, path "
                              f"and url ({a} is set too)", r.stderr)


class UnknownValues(unittest.TestCase):
    def test_values_no_rule_knows_are_named_most_frequent_first(self):
        tmp = tempfile.mkdtemp()
        try:
            for name in ("events.csv", "spend.csv"):
                shutil.copy(os.path.join(FIXTURE, name), tmp)
            with open(os.path.join(FIXTURE, "leads.csv")) as f:
                lines = f.read().splitlines()
            head, first = lines[0], lines[1].split(",")
            rows = []
            for i, (industry, country) in enumerate([("retail", "US"), ("mining", "XQ"),
                                                     ("retail", "XQ"), ("software", "XQ"),
                                                     ("Retail", "US")]):
                row = list(first)
                row[0], row[6], row[7] = f"U{i}", industry, country
                rows.append(",".join(row))
            with open(os.path.join(tmp, "leads.csv"), "w") as f:
                f.write("\n".join([head] + rows) + "\n")
            r = mql("check", "--data", tmp, "--week", WEEK)
            self.assertIn("leads: 2 industry values match no scoring rule and no alias, so they score "
                          "0 points: \"retail\" 3, \"mining\" 1. A spelling of a scored value: add an "
                          "[aliases.industry] line; one that rightly scores 0: list it with 0 in a copy "
                          "of [scoring.industries] (docs/scoring.md), and it is named here no more",
                          r.stderr)
            self.assertIn("leads: 1 country value matches no scoring rule and no alias, so it scores 0 "
                          "points: \"XQ\" 3. A spelling of a scored value: add an [aliases.country] "
                          "line; one that rightly scores 0: list it with 0 in a copy of "
                          "[scoring.countries]", r.stderr)
            # as the warning says: retail listed with 0 points is named no more
            cfg = os.path.join(tmp, "zero.ini")
            with open(cfg, "w") as f:
                f.write("[scoring.industries]\nsoftware = 10\nretail = 0\n")
            r = mql("check", "--data", tmp, "--config", cfg, "--week", WEEK)
            self.assertIn("leads: 1 industry value matches no scoring rule and no alias, so it "
                          "scores 0 points: \"mining\" 1.", r.stderr)
            self.assertNotIn("\"retail\"", r.stderr)
        finally:
            shutil.rmtree(tmp)


class Paths(unittest.TestCase):
    """A file where a folder belongs, a folder where a file belongs, a
    source that is not there: said as such, before anything is read."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.file = os.path.join(self.tmp, "a-file")
        with open(self.file, "w") as f:
            f.write("x\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_data_that_is_a_file(self):
        r = mql("check", "--data", self.file, "--week", WEEK)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn(f"{self.file}: is a file, not a folder (--data takes the folder", r.stderr)

    def test_config_that_is_a_folder(self):
        r = mql("check", "--config", self.tmp, "--week", WEEK)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{self.tmp}: is a folder, not a configuration file", r.stderr)

    def test_an_empty_path_is_no_path(self):
        # "--out $OUT" with OUT unset: a run took the working folder as the
        # week's folder and replaced it under the shell
        keep = os.path.join(self.tmp, "keep.csv")
        with open(keep, "w") as f:
            f.write("mine\n")
        for cmd, opt in (("run", "--out"), ("score", "--out"), ("check", "--data"),
                         ("run", "--config")):
            with self.subTest(cmd=cmd, opt=opt):
                args = [cmd, "--week", WEEK] + ([] if opt == "--data" else ["--data", FIXTURE])
                if cmd == "run":
                    args.append("--no-email")
                r = subprocess.run([BIN] + args + [opt, ""], cwd=self.tmp, capture_output=True,
                                   text=True)
                self.assertEqual(r.returncode, 64, r.stderr)
                self.assertIn(f"{opt}: empty (an unset variable?)", r.stderr)
                self.assertEqual(sorted(os.listdir(self.tmp)), ["a-file", "keep.csv"])
        # in the configuration: 78 with the line, not the configuration's folder
        ini = os.path.join(self.tmp, "sub", "mql.ini")
        os.makedirs(os.path.dirname(ini))
        with open(ini, "w") as f:
            f.write("[report]\nout =\n")
        r = mql("check", "--config", ini, "--data", FIXTURE, "--week", WEEK)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{ini}:2: [report] out: empty: name a path, or remove the line", r.stderr)

    def test_out_that_is_a_file(self):
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email", "--out", self.file)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn(f"{self.file}: is a file, not a folder: the outputs need a folder", r.stderr)
        self.assertNotIn("read ", r.stderr)  # said before any source is read
        self.assertFalse(os.path.exists(os.path.join(self.tmp, ".a-file.lock")))
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email",
                "--out", os.path.join(self.file, "week"))
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn(f"{self.file}: is a file, not a folder", r.stderr)

    def test_a_missing_source_names_its_setting(self):
        path = os.path.join(self.tmp, "mql.ini")
        with open(path, "w") as f:
            f.write(f"[source.leads]\nlocation = {os.path.join(FIXTURE, 'leads.csv')}\n"
                    f"[source.events]\npath = {os.path.join(self.tmp, 'event.csv')}\n"
                    f"[source.spend]\nlocation = {os.path.join(FIXTURE, 'spend.csv')}\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn(f"event.csv: No such file or directory (named by [source.events] path, {path}:4)",
                      r.stderr)
        r = mql("check", "--data", self.tmp, "--week", WEEK)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("leads.csv: No such file or directory (--data names a folder that holds", r.stderr)


class Weeks(unittest.TestCase):
    """Weeks 0001-W01 and 9999-W52 gave workbooks that openpyxl refused."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_weeks_a_workbook_cannot_hold_are_refused(self):
        for week in ("0001-W01", "1899-W52", "9999-W52"):
            with self.subTest(week=week):
                out = os.path.join(self.tmp, week)
                r = mql("run", "--data", FIXTURE, "--week", week, "--out", out, "--no-email")
                self.assertEqual(r.returncode, 64, r.stderr)
                self.assertIn("--week: ", r.stderr)
                self.assertIn("1900-W01 to 9999-W51", r.stderr)
                self.assertFalse(os.path.exists(out))

    def test_edge_weeks_give_workbooks_openpyxl_reads(self):
        import openpyxl
        for week, as_of in (("1900-W01", "1900-01-08"), ("9999-W51", "9999-12-27")):
            with self.subTest(week=week):
                out = os.path.join(self.tmp, week)
                # the fixture's rows are far from these weeks: the health gate
                # would stop the run; this test is about the workbook's dates
                ini = os.path.join(self.tmp, "edge.ini")
                with open(ini, "w") as f:
                    f.write("[health]\nsource_stale = warn\nno_leads = warn\n")
                r = mql("run", "--config", ini, "--data", FIXTURE, "--week", week, "--out", out,
                        "--no-email")
                self.assertEqual(r.returncode, 0, r.stderr)
                wb = openpyxl.load_workbook(os.path.join(out, f"mqlreport-{week}.xlsx"))
                self.assertEqual(str(wb.properties.created.date()), as_of)
                self.assertEqual(wb.sheetnames[0], "Overview")


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
