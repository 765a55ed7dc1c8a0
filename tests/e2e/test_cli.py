"""The command line as a user meets it: help, versions, exit statuses of SPEC §7,
configuration errors that name file and line, outputs where SPEC §9 says, and
a failed run that leaves the previous outputs untouched.

Usage: test_cli.py /path/to/mqlreport (CTest passes the binary)."""
import csv
import hashlib
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


def copy_fixture(d):
    """The fixture's CSV files into folder d, to be broken there."""
    for name in os.listdir(FIXTURE):
        if name.endswith(".csv"):
            shutil.copy(os.path.join(FIXTURE, name), d)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Help(unittest.TestCase):
    def test_top_level_help_lists_commands(self):
        r = mql("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for cmd in ("run", "check", "score", "gen"):
            self.assertIn(f"  {cmd} ", r.stdout)
        self.assertIn("Exit status", r.stdout)

    def test_every_command_has_help_and_version(self):
        for cmd in ("run", "check", "score", "gen"):
            with self.subTest(cmd=cmd):
                r = mql(cmd, "--help")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("Usage:", r.stdout)
                v = mql(cmd, "--version")
                self.assertEqual(v.returncode, 0, v.stderr)
                self.assertRegex(v.stdout, r"^mqlreport \d+\.\d+\.\d+\n$")

    def test_run_help_names_the_spec_options(self):
        out = mql("run", "--help").stdout
        for opt in ("--config", "--data", "--week", "--out", "--tz", "--currency",
                    "--mql-source", "--threshold", "--half-life", "--attribution", "--no-email"):
            self.assertIn(opt, out)


    def test_help_lists_only_what_a_command_uses(self):
        for cmd, absent in (("check", ("--attribution",)),
                            ("load", ("--out", "--no-email", "--week", "--threshold",
                                      "--half-life", "--attribution")),
                            ("score", ("--no-email", "--engine", "--attribution"))):
            with self.subTest(cmd=cmd):
                out = mql(cmd, "--help").stdout
                for opt in absent:
                    self.assertNotIn(opt, out)
        # check reads --no-email (the [email] checks left out): listed, saying so
        self.assertIn("--no-email                                Leave the [email] settings",
                      mql("check", "--help").stdout)
        # load --engine embedded loads nothing (a documented choice): listed, saying so
        self.assertIn("embedded: load nothing and say so", mql("load", "--help").stdout)
        # check reads --out (the folder a run would write): listed, saying so
        self.assertIn("Check that a run could write its outputs into DIR",
                      mql("check", "--help").stdout)
        r = mql("check", "--data", FIXTURE, "--week", WEEK, "--out", "x")
        self.assertEqual(r.returncode, 0, r.stderr)
        # still accepted, for scripts that pass one set of options to every command
        r = mql("check", "--data", FIXTURE, "--week", WEEK, "--attribution", "linear")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_load_with_the_embedded_engine_has_nothing_to_load(self):
        # the set of options a script passes to every command: load has nothing
        # to load for the embedded path, says so and succeeds, connecting nowhere
        with tempfile.TemporaryDirectory() as tmp:
            ini = os.path.join(tmp, "engine.ini")
            with open(ini, "w") as f:
                f.write("[engine]\nkind = clickhouse\nurl = http://127.0.0.1:9/\nallow_http = true\n")
            for args in (("--data", FIXTURE), ("--config", ini, "--data", FIXTURE)):
                with self.subTest(args=args):
                    r = mql("load", *args, "--week", WEEK, "--engine", "embedded", cwd=tmp)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertIn("--engine embedded: nothing to load", r.stderr)
                    self.assertEqual(sorted(os.listdir(tmp)), ["engine.ini"])
            # the same options still check what they say
            r = mql("load", "--data", FIXTURE, "--engine", "embeded", cwd=tmp)
            self.assertEqual(r.returncode, 64, r.stderr)

    def test_help_of_a_command_and_the_version(self):
        r = mql("help", "run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mqlreport run [OPTION", r.stdout)
        r = mql("-V")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^mqlreport \d+\.\d+\.\d+\n$")

    def test_standard_output_that_cannot_be_written(self):
        # a full disk behind standard output: exit 73, said, not a success
        for args in (("--help",), ("run", "--help"), ("gen", "--help"), ("--version",),
                     ("check", "--data", FIXTURE, "--week", WEEK)):
            with self.subTest(args=args), open("/dev/full", "w") as full:
                r = subprocess.run([BIN, *args], stdout=full, stderr=subprocess.PIPE, text=True)
                self.assertEqual(r.returncode, 73, r.stderr)
                self.assertIn("writing to standard output failed", r.stderr)


class SourceDateEpoch(unittest.TestCase):
    def test_a_stamp_that_is_no_number_is_said_and_ignored(self):
        tmp = tempfile.mkdtemp()
        try:
            for value in ("abc", "-5", "1700000000x", "99999999999999"):
                with self.subTest(value=value):
                    r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email", "--out", tmp,
                            env=dict(os.environ, SOURCE_DATE_EPOCH=value))
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertIn(f"SOURCE_DATE_EPOCH={value} is not a whole number of seconds",
                                  r.stderr)
                    with open(os.path.join(tmp, "metrics.json")) as f:
                        stamp = json.load(f)["report"]["generated_at"]
                    self.assertRegex(stamp, r"^20\d\d-\d\d-\d\dT")  # the clock's year
            r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email", "--out", tmp,
                    env=dict(os.environ, SOURCE_DATE_EPOCH="1764000000"))
            self.assertNotIn("SOURCE_DATE_EPOCH", r.stderr)
            with open(os.path.join(tmp, "metrics.json")) as f:
                self.assertEqual(json.load(f)["report"]["generated_at"], "2025-11-24T16:00:00Z")
        finally:
            shutil.rmtree(tmp)


class Usage(unittest.TestCase):
    def test_statuses(self):
        cases = [
            ((), 64, "Usage"),
            (("frobnicate",), 64, "unknown command \"frobnicate\" (the commands: run, check,"),
            (("chek",), 64, "unknown command \"chek\" (did you mean check?)"),
            (("--week", "2026-W47"), 64, "--week: options go after the command (mqlreport run "
             "--week"),
            (("run", "--no-such-option"), 64, "--no-such-option"),
            (("run",), 64, "nothing to read"),
            (("run", "--data", FIXTURE, "--week", "2026-W99"), 64, "2026-W99"),
            (("run", "--data", FIXTURE, "--mql-source", "magic"), 64, "magic"),
            (("run", "--data", "/nonexistent-folder"), 66, "/nonexistent-folder"),
            (("run", "--config", "/nonexistent.ini"), 66, "/nonexistent.ini"),
            (("run", "--data", FIXTURE, "--tz", "Mars/Olympus"), 64, "Mars/Olympus"),
            (("check", "--data", FIXTURE, "--show-rejects", "-1"), 64, "--show-rejects"),
            # a value given twice is refused, not the last one taken in silence
            (("check", "--config", "/a.ini", "--config=/b.ini"), 64,
             "--config is given twice (\"/a.ini\", then \"/b.ini\")"),
            (("run", "--data", FIXTURE, "-w", "2026-W46", "--week", "2026-W47"), 64,
             "--week is given twice"),
            (("score", "--data", FIXTURE, "--data", FIXTURE), 64, "--data is given twice"),
            (("score", "--data", FIXTURE, "--explain", "a", "-e", "b"), 64,
             "--explain is given twice"),
            (("gen", "--leads", "10", "--seed", "1", "--out", "/nonexistent-gen-out",
              "--leads=20"), 64, "--leads is given twice (\"10\", then \"20\")"),
        ]
        for args, status, text in cases:
            with self.subTest(args=args):
                r = mql(*args)
                self.assertEqual(r.returncode, status, r.stderr)
                self.assertIn(text, r.stderr)


    def test_a_path_option_the_shell_left_with_a_tilde(self):
        # --out=~/reports: the shell expands ~ only at the start of a word;
        # every path option of every command refuses ~ and ~/… with 64
        # rather than make a folder named ~ in the working one
        with tempfile.TemporaryDirectory() as cwd:
            shutil.copy(os.path.join(FIXTURE, "leads.csv"), cwd)
            data = ("--data", FIXTURE)
            cases = [
                (("run", *data, "--week", WEEK, "--out=~/reports"), "out", "~/reports"),
                (("run", *data, "--week", WEEK, "-o", "~/reports"), "out", "~/reports"),
                (("run", *data, "--week", WEEK, "--out", "~"), "out", "~"),
                (("check", *data, "--out=~/reports"), "out", "~/reports"),
                (("score", *data, "--out=~/scores.csv"), "out", "~/scores.csv"),
                (("run", "--config=~/mqlreport.ini"), "config", "~/mqlreport.ini"),
                (("check", "-c", "~/mqlreport.ini"), "config", "~/mqlreport.ini"),
                (("load", "--config=~/mqlreport.ini"), "config", "~/mqlreport.ini"),
                (("score", "--data=~/exports"), "data", "~/exports"),
                (("load", "--data=~"), "data", "~"),
                (("run", *data, "--week", WEEK, "--eml=~/week.eml"), "eml", "~/week.eml"),
                (("gen", "--leads", "10", "--seed", "1", "--out=~/samples"), "out", "~/samples"),
            ]
            for args, option, value in cases:
                with self.subTest(args=args):
                    r = mql(*args, cwd=cwd)
                    self.assertEqual(r.returncode, 64, r.stderr)
                    self.assertIn(f'--{option} "{value}": the shell did not expand ~', r.stderr)
                    self.assertIn(f"or --{option} {value} with a space", r.stderr)
                    self.assertEqual(sorted(os.listdir(cwd)), ["leads.csv"], "nothing made")
            # ~NAME/…: another user's home folder, not expanded either
            for args, option, value in [
                    (("run", *data, "--week", WEEK, "--out=~bob/reports"), "out", "~bob/reports"),
                    (("score", "--data=~bob"), "data", "~bob")]:
                with self.subTest(args=args):
                    r = mql(*args, cwd=cwd)
                    self.assertEqual(r.returncode, 64, r.stderr)
                    self.assertIn(f'--{option} "{value}": the shell did not expand ~bob', r.stderr)
                    self.assertIn("from the home folder of bob", r.stderr)
                    self.assertEqual(sorted(os.listdir(cwd)), ["leads.csv"], "nothing made")
            # ./~ is the folder named ~, as the message offers
            r = mql("run", *data, "--week", WEEK, "--no-email", "--out=./~/reports", cwd=cwd)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.isdir(os.path.join(cwd, "~", "reports")))

    def test_data_names_every_export_over_the_configuration(self):
        # --config's deals export and further spend file are not mixed into
        # --data's folder, which has neither: each is said to be left out
        with tempfile.TemporaryDirectory() as d:
            copy_fixture(d)
            other = os.path.join(d, "other")
            os.makedirs(other)
            with open(os.path.join(other, "opportunities.csv"), "w") as f:
                f.write("opportunity_id,lead_id,created_at,closed_at,stage,amount\n"
                        "O1,L1,2026-03-03T09:00:00Z,2026-03-05T09:00:00Z,closed_won,5000\n")
            shutil.copy(os.path.join(d, "spend.csv"), os.path.join(other, "extra.csv"))
            ini = os.path.join(d, "full.ini")
            with open(ini, "w") as f:
                f.write("".join(f"[source.{s}]\nlocation = {os.path.join(other, s + '.csv')}\n"
                                for s in ("leads", "events", "spend", "opportunities")))
                f.write(f"[source.spend.extra]\nlocation = {os.path.join(other, 'extra.csv')}\n")
            out = os.path.join(d, "out")
            r = mql("run", "--config", ini, "--data", d, "--week", WEEK, "--no-email", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(f"--data: {os.path.join(other, 'opportunities.csv')} is not read: --data "
                          "names every export, and its folder has no opportunities.csv", r.stderr)
            self.assertIn(f"--data: [source.spend.extra]'s {os.path.join(other, 'extra.csv')} is "
                          "not read", r.stderr)
            with open(os.path.join(out, "manifest.json")) as f:
                read = json.dumps(json.load(f)["inputs"])
            self.assertNotIn(other, read)
            # the same folder alone gives the same figures
            alone = os.path.join(d, "alone")
            r = mql("run", "--data", d, "--week", WEEK, "--no-email", "--out", alone)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "metrics.json")) as a, open(os.path.join(alone, "metrics.json")) as b:
                ma, mb = json.load(a), json.load(b)
            self.assertEqual(ma["windows"], mb["windows"])

    def test_a_dangling_opportunities_link_is_not_taken_for_no_file(self):
        # --data reads opportunities.csv when there is one; a link to an
        # export that is not there is an error naming both, not a run on
        # the leads' wins without a word
        with tempfile.TemporaryDirectory() as d:
            copy_fixture(d)
            os.symlink("opportunities-2026-11-30.csv", os.path.join(d, "opportunities.csv"))
            for cmd in ("run", "check"):
                with self.subTest(cmd=cmd):
                    r = mql(cmd, "--data", d, "--week", WEEK, "--no-email", "--out",
                            os.path.join(d, "out")) if cmd == "run" else mql(
                                cmd, "--data", d, "--week", WEEK)
                    self.assertEqual(r.returncode, 66, r.stderr)
                    self.assertIn(os.path.join(d, "opportunities.csv") + ": No such file or "
                                  "directory (a link to opportunities-2026-11-30.csv, which is "
                                  "not there: point the link at the export, or remove it)",
                                  r.stderr)
                    self.assertFalse(os.path.exists(os.path.join(d, "out")))

    def test_stray_quote_says_how_to_repair(self):
        # the file, line and column, and what the export should have written
        with tempfile.TemporaryDirectory() as d:
            copy_fixture(d)
            path = os.path.join(d, "leads.csv")
            with open(path) as f:
                lines = f.read().splitlines()
            cells = lines[2].split(",")
            cells[-1] = cells[-1] + ' 5" screen'
            lines[2] = ",".join(cells)
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            col = len(lines[2]) - len(' screen')
            r = mql("check", "--data", d, "--week", "2026-W47")
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertIn(f"{path}:3:{col}: quote inside an unquoted field (a value holding a "
                          "quote must be written in quotes, its quote doubled", r.stderr)
            self.assertIn("export the file again with every field quoted, or correct that line",
                          r.stderr)

    def test_quote_never_closed_says_where_to_look(self):
        # a quote opened and never closed: the rest of the file was one
        # field, and the message says so and what to look at, as the one of
        # a stray quote does
        with tempfile.TemporaryDirectory() as d:
            copy_fixture(d)
            path = os.path.join(d, "leads.csv")
            with open(path) as f:
                lines = f.read().splitlines()
            cells = lines[2].split(",")
            cells[-1] = '"' + cells[-1]
            lines[2] = ",".join(cells)
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            col = len(lines[2]) - len(cells[-1]) + 1
            for cmd in ("check", "run"):
                with self.subTest(cmd=cmd):
                    r = mql(cmd, "--data", d, "--week", WEEK, *(
                        ("--no-email", "--out", os.path.join(d, "out")) if cmd == "run" else ()))
                    self.assertEqual(r.returncode, 65, r.stderr)
                    self.assertIn(f"{path}:3:{col}: unterminated quote (the quote opened there is "
                                  "never closed, so the rest of the file was read as one field: "
                                  "look at that line for a stray or missing quote, or check "
                                  "whether the file was cut off and export it again)", r.stderr)
                    self.assertFalse(os.path.exists(os.path.join(d, "out")))

    def test_a_setting_named_without_a_configuration_says_where_it_goes(self):
        # --data alone: a hint that names [source.spend] says that such
        # settings go in a configuration file, and how to start one
        with tempfile.TemporaryDirectory() as d:
            copy_fixture(d)
            path = os.path.join(d, "spend.csv")
            with open(path) as f:
                rows = list(csv.reader(f))
            amount = rows[0].index("amount")
            with open(path, "w", newline="") as f:
                w = csv.writer(f, delimiter=";")
                w.writerow(rows[0])
                for row in rows[1:]:
                    row[amount] = row[amount].replace(".", ",")
                    w.writerow(row)
            r = mql("check", "--data", d, "--week", WEEK)
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertIn("set decimal = comma in [source.spend]", r.stderr)
            self.assertIn("a setting named in [brackets] goes in a configuration file: copy "
                          "config/example.ini", r.stderr)
            # with a configuration file, the hint names its group alone
            ini = os.path.join(d, "my.ini")
            with open(ini, "w") as f:
                f.write("".join(f"[source.{s}]\nlocation = {os.path.join(d, s)}.csv\n"
                                for s in ("leads", "events", "spend")))
            r = mql("check", "--config", ini, "--week", WEEK)
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertIn("set decimal = comma in [source.spend]", r.stderr)
            self.assertNotIn("goes in a configuration file", r.stderr)

    def test_check_refuses_the_lock_and_sent_state_a_run_refuses(self):
        # check exits 0 only where a run would publish: a lock file that is a
        # link, a sent-state it cannot read, and (when mail would be sent) one
        # that is no key file stop it as they stop a run
        srcs = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s)}.csv\n"
                       for s in ("leads", "events", "spend"))
        mail = "[email]\nsmtp_url = smtp://127.0.0.1:9\nfrom = a@example.com\nto = b@example.com\n"
        with tempfile.TemporaryDirectory() as d:
            plain, mailing = os.path.join(d, "plain.ini"), os.path.join(d, "mail.ini")
            with open(plain, "w") as f:
                f.write(srcs)
            with open(mailing, "w") as f:
                f.write(srcs + mail)
            out, lock, state = os.path.join(d, "w"), os.path.join(d, ".w.lock"), os.path.join(d, "w", "delivery.ini")

            def check(ini, *more):
                return mql("check", "--config", ini, "--week", WEEK, "--out", out, *more)

            os.symlink(os.path.join(d, "elsewhere"), lock)
            r = check(plain)
            self.assertEqual(r.returncode, 73, r.stderr)
            self.assertIn("the lock file is a symbolic link", r.stderr)
            os.remove(lock)
            with open(os.path.join(d, "other"), "w"):
                pass
            os.link(os.path.join(d, "other"), lock)
            r = check(plain)
            self.assertEqual(r.returncode, 73, r.stderr)
            self.assertIn("it has other links", r.stderr)
            os.remove(lock)
            os.mkdir(out)
            os.symlink("/etc/hostname", state)
            r = check(plain)
            self.assertEqual(r.returncode, 73, r.stderr)
            self.assertIn("cannot read the week's sent-state", r.stderr)
            os.remove(state)
            with open(state, "w") as f:
                f.write("garbage [[[\n")
            r = check(mailing)
            self.assertEqual(r.returncode, 78, r.stderr)
            self.assertIn("not a valid sent-state", r.stderr)
            # read only to send: without mail, a run publishes, and check passes
            for ini, more in ((plain, ()), (mailing, ("--no-email",))):
                r = check(ini, *more)
                self.assertEqual(r.returncode, 0, r.stderr)
            # nothing made by check: no lock file beside the folder
            self.assertFalse(os.path.lexists(lock))

    def test_option_value_in_a_utf8_locale(self):
        # the locale's character set is read: a UTF-8 value reaches the check
        # that knows what is wrong with it, and GLib's help shows its ellipsis
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        r = mql("check", "--data", FIXTURE, "--tz", "Europe/Z\u00fcrich", env=env)
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--tz: unknown time zone \"Europe/Z\u00fcrich\"", r.stderr)
        self.assertIn("[OPTION\u2026]", mql("run", "--help", env=env).stdout)
        # GLib's own sentences in the style of the others
        r = mql("run", "--as-of", "2026")
        self.assertIn("mqlreport: unknown option --as-of (try mqlreport run --help)", r.stderr)

    def test_option_value_outside_the_locale(self):
        # a value the locale cannot read: the cure named, not only GLib's words
        r = mql("run", "--data", FIXTURE, "--currency", "\u20ac\u20ac\u20ac", "--no-email",
                env=dict(os.environ, LC_ALL="C", LANG="C"))
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("an option's value is not text in the locale's character set; run "
                      "under a UTF-8 locale", r.stderr)

    def test_export_mqls_need_the_column(self):
        # --mql-source export on leads without an mql_at column: refused with
        # the file and what to do, not a report of no MQL
        with tempfile.TemporaryDirectory() as tmp:
            copy_fixture(tmp)
            with open(os.path.join(FIXTURE, "leads.csv"), newline="") as f:
                rows = list(csv.reader(f))
            drop = rows[0].index("mql_at")
            with open(os.path.join(tmp, "leads.csv"), "w", newline="") as f:
                csv.writer(f).writerows([r[:drop] + r[drop + 1:] for r in rows])
            r = mql("check", "--data", tmp, "--week", WEEK, "--mql-source", "export")
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertIn("leads.csv:1: mql_source = export reads the MQLs from the leads' "
                          "mql_at column, which the leads export does not have", r.stderr)
            self.assertIn("--mql-source auto or score", r.stderr)
            # auto scores them instead and reads on, to the data health
            # (the fixture's spend holds one bad row of ten on purpose)
            r = mql("check", "--data", tmp, "--week", WEEK, "--mql-source", "auto")
            self.assertNotIn("mql_source = export", r.stderr)
            self.assertIn("data health: ", r.stdout + r.stderr)

    def test_score_options_say_when_they_move_no_mql(self):
        # the fixture's leads have an mql_at column: auto reads the MQLs from
        # it, so a threshold given moves the scoring tables only; said once
        warn = "--threshold and --half-life change the score, but the MQLs come from the leads"
        for args in (["--threshold", "10"], ["--half-life", "14"],
                     ["--threshold", "10", "--mql-source", "export"]):
            with self.subTest(args=args):
                r = mql("check", "--data", FIXTURE, "--week", WEEK, *args)
                self.assertEqual(r.stderr.count(warn), 1, r.stderr)
                self.assertIn("add --mql-source score to count MQLs by the score", r.stderr)
        for args in (["--threshold", "10", "--mql-source", "score"], []):
            with self.subTest(args=args):
                r = mql("check", "--data", FIXTURE, "--week", WEEK, *args)
                self.assertNotIn(warn, r.stderr)

    def test_the_run_line_names_repeated_ids(self):
        # the sample repeats one lead and one opportunity: both said, with
        # which row counts
        with tempfile.TemporaryDirectory() as tmp:
            r = mql("run", "--data", os.path.join(os.path.dirname(FIXTURE), "..", "..", "samples"),
                    "--week", "2026-W47", "--no-email", "--out", os.path.join(tmp, "o"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("1 lead row repeats an earlier lead_id: the later row counts", r.stderr)
            self.assertIn("1 opportunity row repeats an earlier opportunity_id: the later row counts",
                          r.stderr)

    def test_week_53_of_a_year_of_52(self):
        r = mql("check", "--data", FIXTURE, "--week", "2025-W53")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--week: 2025 has 52 ISO weeks: its last is 2025-W52", r.stderr)

    def test_a_long_header_names_how_many_more(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy_fixture(tmp)
            cols = ",".join("column_%d" % i for i in range(200))
            with open(os.path.join(tmp, "events.csv"), "w") as f:
                f.write(cols + "\n" + ",".join("x" for _ in range(200)) + "\n")
            r = mql("check", "--data", tmp, "--week", WEEK)
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertRegex(r.stderr, r'missing required column "lead_id" \(header has: "column_0", .*, … and \d+ more\)')

    def test_a_week_not_over_is_named_partial(self):
        import datetime
        # this week (in UTC, the fixture's zone): under way
        year, week, _ = datetime.datetime.now(datetime.timezone.utc).date().isocalendar()
        r = mql("check", "--data", FIXTURE, "--week", f"{year}-W{week:02d}")
        self.assertIn(f"week {year}-W{week:02d} has not ended yet", r.stderr)
        self.assertIn("partial", r.stderr)
        # next week: still to come, which the stale exports must not be blamed for
        year, week, _ = (datetime.datetime.now(datetime.timezone.utc).date()
                         + datetime.timedelta(days=7)).isocalendar()
        r = mql("check", "--data", FIXTURE, "--week", f"{year}-W{week:02d}")
        self.assertIn(f"week {year}-W{week:02d} has not started yet", r.stderr)
        self.assertIn("is the week a typo? --week last is the last whole week", r.stderr)
        r = mql("check", "--data", FIXTURE, "--week", WEEK)
        self.assertNotIn("has not ended", r.stderr)


class Config(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write_config(self, body):
        path = os.path.join(self.tmp, "mql.ini")
        with open(path, "w") as f:
            f.write(body)
        return path

    def checked(self, body, rc, *wants, args=()):
        """check on a configuration of the fixture's sources and `body`: its
        exit code, and each of `wants` ("{path}" the file's path) in stderr."""
        path = self.write_config(self.sources() + body)
        r = mql("check", "--config", path, "--week", WEEK, *args)
        self.assertEqual(r.returncode, rc, r.stderr)
        for w in wants:
            self.assertIn(w.replace("{path}", path), r.stderr)
        return r

    def sources(self):
        return "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                       for s in ("leads", "events", "spend"))

    def test_unknown_key_names_file_and_line(self):
        path = self.write_config("[report]\ntimezone = UTC\n\ncurency = EUR\n" + self.sources())
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:4:", r.stderr)
        self.assertIn("curency", r.stderr)

    def test_quoted_location_says_the_quotes_are_kept(self):
        path = self.write_config(self.sources().replace(
            os.path.join(FIXTURE, "leads.csv"), '"' + os.path.join(FIXTURE, "leads.csv") + '"'))
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn(f"(named by [source.leads] location, {path}:2); the quotes are part of the "
                      "path as written: write it without them", r.stderr)

    def test_a_relative_location_is_shown_as_configured(self):
        # a configuration in the current folder: its paths as written, in check's
        # report, the errors and the manifest; one elsewhere: from its folder
        data = os.path.join(self.tmp, "data")
        os.makedirs(data)
        copy_fixture(data)
        self.write_config("".join(f"[source.{s}]\nlocation = data/{s}.csv\n"
                                  for s in ("leads", "events", "spend")))
        r = mql("check", "--config", "mql.ini", "--week", WEEK, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("leads: data/leads.csv (", r.stdout)
        os.remove(os.path.join(data, "spend.csv"))
        r = mql("check", "--config", "mql.ini", "--week", WEEK, cwd=self.tmp)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertRegex(r.stderr, r"(^|\s)data/spend\.csv")
        self.assertNotIn("./data/spend.csv", r.stderr)
        r = mql("check", "--config", "../mql.ini", "--week", WEEK, cwd=data)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("../data/spend.csv", r.stderr)

    def test_delimiter_names(self):
        # the names a delimiter may go by; a typed tab is lost as blank space
        def spend_with(value):
            path = self.write_config(self.sources() + f"delimiter = {value}\n")
            return path, mql("check", "--config", path, "--week", WEEK)
        path, r = spend_with("comma")
        self.assertEqual(r.returncode, 0, r.stderr)
        path, r = spend_with("\t")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:7: [source.spend] delimiter: \"\" is not auto", r.stderr)
        self.assertIn("a tab typed as the value is lost as blank space: write tab", r.stderr)
        path, r = spend_with("colon")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("(nor comma, semicolon, \\t or pipe, which name them too)", r.stderr)

    def test_unknown_section_names_its_line(self):
        path = self.write_config(self.sources() + "\n[reprot]\nweek = last\n")
        r = mql("check", "--config", path)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:8: unknown section [reprot] (did you mean [report]?)", r.stderr)
        path = self.write_config(self.sources() + "\n[source.lead]\nlocation = x.csv\n")
        r = mql("check", "--config", path)
        self.assertIn("unknown section [source.lead] (did you mean [source.leads]?)", r.stderr)
        path = self.write_config(self.sources() + "\n[something_else]\nweek = last\n")
        r = mql("check", "--config", path)
        self.assertIn("unknown section [something_else]\n", r.stderr)

    def test_a_source_url_is_read_as_a_url_or_refused_naming_its_line(self):
        # a scheme in capitals is the same scheme: fetched, not taken for a
        # relative path (nothing listens on port 1, so the fetch fails, 69)
        r = self.checked("[source.opportunities]\nurl = HTTPS://127.0.0.1:1/o.csv\nretries = 0\n",
                         69, "GET https://127.0.0.1:1/o.csv")
        self.assertNotIn("No such file", r.stderr)
        # a scheme it does not read, or a URL without a server: the line, 78
        for url, want in (("s3://bucket/o.csv", "s3:// is not read: give an https:// URL or "
                           "the path of a file"),
                          ("file:///srv/o.csv", "file:// is not read: give an https:// URL or the "
                           "path of a file (a file:// URL's path alone, from its third slash)"),
                          ("https:///o.csv", "the URL names no server")):
            with self.subTest(url=url):
                self.checked(f"[source.opportunities]\nlocation = {url}\n", 78,
                             "{path}:8: [source.opportunities] location: " + want)

    def test_event_types_no_rule_knows_are_named(self):
        # a vendor's own type names: each named with its count, and what to do
        d = os.path.join(self.tmp, "types")
        os.makedirs(d)
        copy_fixture(d)
        ev = os.path.join(d, "events.csv")
        with open(ev) as f:
            rows = f.read().splitlines()
        rows += [f"L1,2026-03-0{i}T09:00:00Z,Email Opened,email,spring" for i in range(3, 6)]
        rows += ["L2,2026-03-04T09:00:00Z,Page View,paid_search,spring"]
        with open(ev, "w") as f:
            f.write("\n".join(rows) + "\n")
        body = "".join(f"[source.{s}]\nlocation = {os.path.join(d, s + '.csv')}\n"
                       for s in ("leads", "events", "spend"))
        path = self.write_config(body)
        want = ("warning: events: 4 events of 2 types no scoring rule knows, so they score 0 "
                "points: \"email_opened\" 3, \"page_view\" 1. A vendor's name for a known type "
                "(docs/scoring.md): add an [aliases.type] line")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(want, r.stderr)
        out = os.path.join(self.tmp, "out")
        r = mql("run", "--config", path, "--week", WEEK, "--no-email", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(want, r.stderr)
        # mapped, or left out on purpose: named no more
        path = self.write_config(body + "[aliases.type]\nEmail Opened = email_open\n"
                                 "Page View = unknown\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("no scoring rule knows", r.stderr)
        # a misspelt type to map to: refused, naming the line and the type meant
        self.checked("[aliases.type]\nEmail Opened = email_opn\n", 78,
                     "{path}:8: [aliases.type] Email Opened: \"email_opn\" is no event type "
                     "the scoring knows (did you mean email_open?)")

    def test_bad_number_names_its_line(self):
        path = self.write_config("[finance]\ngross_margin = lots\n" + self.sources())
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:2:", r.stderr)
        self.assertIn("\"lots\" is not a number", r.stderr)

    def test_a_half_written_pair_names_its_line(self):
        for group, key in (("aliases.channel", "Paid Social"), ("columns.leads", "mql_at")):
            with self.subTest(group=group):
                path = self.write_config(self.sources() + f"[{group}]\n{key} =\n")
                r = mql("check", "--config", path, "--week", WEEK)
                self.assertEqual(r.returncode, 78, r.stderr)
                self.assertIn(f"{path}:8: [{group}] {key}: has no value", r.stderr)

    def test_a_source_group_without_a_file_is_refused(self):
        # its settings would pass unused: the wins taken from the leads
        # instead of the opportunities export meant
        self.checked("[source.opportunities]\npreset = salesforce\n", 78,
                     "{path}:7: [source.opportunities] names no file")

    def test_mql_status_keys_unread_are_said(self):
        self.checked("[mql]\nstatus_values = MQL\n", 0,
                     "[mql] status_values is read only with mql_source = status; here MQLs come "
                     "from the score: it changes no MQL", args=("--mql-source", "score"))

    def test_aliases_one_value_once_compared(self):
        # "paid-social" is the data's "Paid Social" once normalised: two
        # lines for it with different channels would leave the later one
        self.checked("[aliases.channel]\nPaid Social = paid_social\npaid-social = linkedin\n"
                     "Facebook = paid_social\n", 78,
                     "{path}:9: [aliases.channel] paid-social: the same value as \"Paid Social\" (line 8)")
        # the same target twice is no conflict
        self.checked("[aliases.channel]\nPaid Social = paid_social\npaid-social = Paid_Social\n", 0)

    def test_three_digits_after_every_point_are_said(self):
        # a German export's whole amounts: "1.500" is 1.5 as written, and
        # 1,500 as meant; said, and read as meant with decimal = comma
        spend = os.path.join(self.tmp, "spend.csv")
        with open(spend, "w") as f:
            f.write("Datum;Kanal;Betrag\n02.03.2026;email;1.500\n03.03.2026;email;2.250\n")
        srcs = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                       for s in ("leads", "events"))
        for comma in (False, True):
            with self.subTest(comma=comma):
                path = self.write_config(srcs + f"[source.spend]\nlocation = {spend}\ndate_format = dmy\n"
                                         + ("decimal = comma\n" if comma else "")
                                         + "[columns.spend]\ndate = Datum\nchannel = Kanal\namount = Betrag\n")
                out = os.path.join(self.tmp, "o%d" % comma)
                r = mql("run", "--config", path, "--week", WEEK, "--out", out, "--no-email")
                self.assertEqual(r.returncode, 0, r.stderr)
                said = ("all its amounts with a decimal point have three digits after it (line 2 the first)"
                        in r.stderr)
                self.assertEqual(said, not comma, r.stderr)
                with open(os.path.join(out, "metrics.json")) as f:
                    m = json.load(f)
                spent = m["windows"]["1w"]["spend"]
                self.assertAlmostEqual(spent, 3750 if comma else 3.75)
                # said in the report too, not only on stderr: the data
                # quality counts the amounts and a health check warns
                row = next(r for r in m["data_quality"]["sources"] if r["source"] == "spend")
                self.assertEqual(row.get("amounts_as_thousandths"), None if comma else 2)
                check = next(r for r in m["data_quality"]["health"] if r["check"] == "amount_notation")
                self.assertEqual(check["status"], "pass" if comma else "warn", check)
                self.assertEqual(check["value"], 0 if comma else 2, check)
        # one of several spend files: said of that file, with its own group,
        # not hidden by the other file's amounts with cents
        path = self.write_config(srcs + f"[source.spend.fixture]\nlocation = {os.path.join(FIXTURE, 'spend.csv')}\n"
                                 f"[source.spend.de]\nlocation = {spend}\ndate_format = dmy\n"
                                 "[columns.spend.de]\ndate = Datum\nchannel = Kanal\namount = Betrag\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertIn(f"{spend}: all its amounts with a decimal point have three digits after it (line 2 the "
                      "first): read as written, 1.500 is one and a half; if the point separates thousands, "
                      "set decimal = comma in [source.spend.de]", r.stderr)
        # an amount it cannot read, with decimal = comma set: the hint does
        # not ask for the setting already made
        with open(spend, "a") as f:
            f.write("04.03.2026;email;zwölf\n")
        path = self.write_config(srcs + f"[source.spend]\nlocation = {spend}\ndate_format = dmy\n"
                                 "decimal = comma\n[columns.spend]\ndate = Datum\nchannel = Kanal\n"
                                 "amount = Betrag\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 65, r.stderr)
        # (a spend row whose amount it cannot read is rejected, not emptied)
        self.assertIn("mostly unparseable_amount (1 row): its amounts are read as 1.234,50 (decimal = comma "
                      "is set in [source.spend]): are some written otherwise?", r.stderr)
        self.assertNotIn("set decimal = comma", r.stderr)

    def test_three_digits_are_a_three_decimal_currency_own(self):
        # in KWD (and the few currencies like it) three digits after the
        # point are the fils of every amount: "1.500" is one and a half as
        # meant, so neither stderr nor the health check asks for decimal =
        # comma, which would make every amount 1,000 times too big; in a
        # currency of no decimals (JPY) it is still said
        spend = os.path.join(self.tmp, "spend.csv")
        with open(spend, "w") as f:
            f.write("date,channel,amount\n2026-03-02,email,1.500\n2026-03-03,email,2.250\n")
        srcs = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                       for s in ("leads", "events"))
        for cur, named in (("KWD", False), ("bhd", False), ("OMR", True), ("JPY", False)):
            with self.subTest(currency=cur, named=named):
                group = "[source.spend.de]" if named else "[source.spend]"
                path = self.write_config(srcs + f"{group}\nlocation = {spend}\n")
                out = os.path.join(self.tmp, "o" + cur)
                r = mql("run", "--config", path, "--week", WEEK, "--out", out, "--no-email",
                        "--currency", cur)
                self.assertEqual(r.returncode, 0, r.stderr)
                suspect = cur == "JPY"
                self.assertEqual("three digits after it" in r.stderr, suspect, r.stderr)
                with open(os.path.join(out, "metrics.json")) as f:
                    m = json.load(f)
                self.assertAlmostEqual(m["windows"]["1w"]["spend"], 3.75)
                row = next(r for r in m["data_quality"]["sources"] if r["source"] == "spend")
                self.assertEqual(row.get("amounts_as_thousandths"), 2 if suspect else None)
                check = next(r for r in m["data_quality"]["health"] if r["check"] == "amount_notation")
                self.assertEqual((check["status"], check["value"]),
                                 ("warn", 2) if suspect else ("pass", 0), check)

    def test_columns_of_a_named_spend_file(self):
        """A further spend file reads [columns.spend.NAME]: the hint for a
        renamed column names that group, [columns.spend] set for it alone is
        said to change nothing, and the columns of a file that is not
        configured stop the run."""
        spend = os.path.join(self.tmp, "gads.csv")
        with open(os.path.join(FIXTURE, "spend.csv")) as src, open(spend, "w") as dst:
            dst.write(src.read().replace("currency", "Currency code", 1))
        srcs = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                       for s in ("leads", "events"))
        path = self.write_config(srcs + f"[source.spend.gads]\nlocation = {spend}\n"
                                 "[columns.spend]\ncurrency = Currency code\n"
                                 "[columns.opportunities]\nlead_id = Lead\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertIn('its column "Currency code" is not read: if it holds the currency, add '
                      "`currency = Currency code` to [columns.spend.gads]", r.stderr)
        self.assertIn("[columns.spend] is set, but every spend file is one of [source.spend.NAME], "
                      "which reads [columns.spend.NAME] instead", r.stderr)
        self.assertIn("[columns.opportunities] is set, but no opportunities file was read", r.stderr)
        with open(path, "a") as f:
            f.write("[columns.spend.gadz]\ncurrency = Currency code\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"{path}:11: [columns.spend.gadz] names no spend file: there is no "
                      "[source.spend.gadz]", r.stderr)

    def leads_dated(self, created):
        """The fixture's leads with each created_at (ISO, "2026-02-17T14:05:00Z")
        written as created(it) says; the file's path."""
        leads = os.path.join(self.tmp, "leads.csv")
        with open(os.path.join(FIXTURE, "leads.csv")) as f:
            rows = f.read().splitlines()
        out = [rows[0]]
        for row in rows[1:]:
            cells = row.split(",")
            cells[1] = created(cells[1])
            out.append(",".join(cells))
        with open(leads, "w") as f:
            f.write("\n".join(out) + "\n")
        return leads

    def test_a_date_hint_names_the_other_order(self):
        # date_format = us set, day-first dates: the hint asks for dmy, not
        # for "us or dmy" again (2026-02-17T… → 17.02.2026)
        leads = self.leads_dated(lambda t: "%s.%s.%s" % (t[8:10], t[5:7], t[:4]))
        path = self.write_config(f"[source.leads]\nlocation = {leads}\ndate_format = us\n"
                                 + "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                                           for s in ("events", "spend")))
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("are its dates day first (dmy), or month first with a 24-hour clock (mdy)? set that "
                      "date_format in [source.leads] (us is set)", r.stderr)

    def test_excel_us_dates_read_with_mdy(self):
        # Excel in a US locale saves "8/24/2026 9:53": month first, a 24-hour
        # clock, no AM/PM. date_format = us refuses it and its hint names
        # mdy; mdy reads it as the ISO times it was saved from.
        def excel_us(t):  # 2026-02-17T14:05:00Z → 2/17/2026 14:05
            self.assertEqual(t[16:], ":00Z")
            return "%d/%d/%s %d:%s" % (int(t[5:7]), int(t[8:10]), t[:4], int(t[11:13]), t[14:16])
        leads = self.leads_dated(excel_us)
        others = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                         for s in ("events", "spend"))
        path = self.write_config(f"[source.leads]\nlocation = {leads}\ndate_format = us\n" + others)
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("month first with a 24-hour clock (mdy)? set that date_format", r.stderr)
        outs = {}
        for name, body in (("iso", f"[source.leads]\nlocation = {os.path.join(FIXTURE, 'leads.csv')}\n"),
                           ("mdy", f"[source.leads]\nlocation = {leads}\ndate_format = mdy\n")):
            o = os.path.join(self.tmp, "out-" + name)
            r = mql("run", "--config", self.write_config(body + others), "--week", WEEK, "--out", o,
                    "--no-email")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(o, "metrics.json")) as f:
                m = json.load(f)
            m["report"].pop("generated_at")
            m["report"].pop("inputs")
            outs[name] = m
        self.assertEqual(outs["iso"]["data_quality"]["sources"][0]["rows_accepted"],
                         outs["mdy"]["data_quality"]["sources"][0]["rows_accepted"])
        self.assertEqual(outs["iso"], outs["mdy"])

    def test_a_key_with_brackets_names_its_line(self):
        self.checked("[aliases.channel]\nPaid Social [FB] = paid_social\n", 78,
                     "{path}:8: \"Paid Social [FB]\": a key cannot hold [ or ]",
                     "cannot be mapped here: rename it in the export")
        # outside the aliases, no vendor value: a typo in the file
        r = self.checked("[report]\nout] = x\n", 78,
                         "{path}:8: \"out]\": a key cannot hold [ or ] (the format reads them as a "
                         "language tag): a typo?")
        self.assertNotIn("rename it in the export", r.stderr)

    def test_a_header_mapped_away_is_named(self):
        # created_at mapped to mql_at leaves none for created_at: the error
        # says so rather than suggesting the line that would clash
        r = self.checked("[columns.leads]\nmql_at = created_at\n", 65,
                         'missing required column "created_at"',
                         'its header "created_at" is read as mql_at, as the configuration maps it')
        self.assertNotIn("created_at = created_at", r.stderr)

    def test_rows_not_utf8_are_read_alone_as_windows_1252(self):
        # encoding auto decides row by row: in a UTF-8 file with accents,
        # a row that is not UTF-8 is read as windows-1252 and the rest as
        # UTF-8, which the warning says, naming the rows, without the advice
        # to read the whole file as windows-1252 (every "Café Été" would
        # then be "CafÃ© Ã‰tÃ©", another campaign); that advice is for a
        # file without UTF-8 beyond ASCII
        with open(os.path.join(FIXTURE, "leads.csv"), "rb") as f:
            head = f.read().rstrip(b"\n").split(b"\n")
        row = (b"L%d,2026-03-04T09:00:00Z,\xc3\xa9v\xc3\xa9nements,Caf\xc3\xa9 \xc3\x89t\xc3\xa9,"
               b"Directeur,50,software,FR,,,,")
        bad = b"L%d,2026-03-04T10:00:00Z,web,bad\xff,x,50,software,FR,,,,"
        plain = b"L%d,2026-03-04T09:00:00Z,web,spring,x,50,software,FR,,,,"
        srcs = "".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                       for s in ("events", "spend"))
        for nbad, utf8 in ((1, True), (2, True), (6, True), (1, False), (2, False)):
            with self.subTest(bad_rows=nbad, utf8=utf8):
                lines = head + [(row if utf8 else plain) % i for i in range(10, 16)]
                at = []
                for k in range(nbad):
                    lines.insert(6 + 2 * k, bad % (20 + k))
                    at.append(7 + 2 * k)
                leads = os.path.join(self.tmp, "leads.csv")
                with open(leads, "wb") as f:
                    f.write(b"\n".join(lines) + b"\n")
                path = self.write_config(srcs + f"[source.leads]\nlocation = {leads}\n")
                out = os.path.join(self.tmp, f"o{nbad}{utf8}")
                r = mql("run", "--config", path, "--week", WEEK, "--out", out, "--no-email")
                self.assertEqual(r.returncode, 0, r.stderr)
                where = (f"line {at[0]} is not UTF-8" if nbad == 1
                         else f"lines {at[0]} and {at[1]} are not UTF-8" if nbad == 2
                         else f"{nbad} rows are not UTF-8 (lines {', '.join(map(str, at[:3]))}, "
                              f"{at[3]} and {nbad - 4} more)")
                if utf8:
                    self.assertIn(f"{leads}: {where}, so {'that row' if nbad == 1 else 'those rows'} "
                                  "alone " + ("is" if nbad == 1 else "are") + " read as "
                                  "windows-1252; the rest of the file is read as UTF-8, in which "
                                  "6 rows write letters beyond ASCII", r.stderr)
                    self.assertIn("do not set encoding = windows-1252", r.stderr)
                    self.assertNotIn("the file is read as windows-1252", r.stderr)
                else:
                    self.assertIn(f"{leads}: {where}, and no line of it is UTF-8 beyond ASCII, so "
                                  "the file is read as windows-1252 (say so with encoding = "
                                  "windows-1252 in [source.leads], or --encoding)", r.stderr)
                with open(os.path.join(out, "metrics.json")) as f:
                    names = {c["campaign"] for c in json.load(f)["by_campaign"]["1w"]}
                self.assertIn("bad\u00ff", names)
                if utf8:
                    self.assertIn("Caf\u00e9 \u00c9t\u00e9", names)
        # a named spend file in windows-1252: the advice names its own group
        spend = os.path.join(self.tmp, "de.csv")
        with open(spend, "wb") as f:
            f.write(b"date,channel,campaign,amount\n2026-03-02,web,Fr\xfchling,5.00\n")
        path = self.write_config("".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                                         for s in ("leads", "events"))
                                 + f"[source.spend.fixture]\nlocation = {os.path.join(FIXTURE, 'spend.csv')}\n"
                                 f"[source.spend.de]\nlocation = {spend}\n")
        r = mql("check", "--config", path, "--week", WEEK)
        self.assertIn(f"{spend}: line 2 is not UTF-8, and no line of it is UTF-8 beyond ASCII, so the "
                      "file is read as windows-1252 (say so with encoding = windows-1252 in "
                      "[source.spend.de], or --encoding)", r.stderr)

    def test_a_nul_is_no_sign_of_windows_1252(self):
        # a NUL is rejected as invalid_encoding; no encoding makes it text,
        # so the file is not said to be windows-1252, and the rejected row
        # is listed whole, the NUL as \x00
        events = os.path.join(self.tmp, "events.csv")
        with open(os.path.join(FIXTURE, "events.csv"), "rb") as f:
            lines = f.read().split(b"\n")
        lines[1] = lines[1].replace(b",", b"\x00,", 1)
        with open(events, "wb") as f:
            f.write(b"\n".join(lines))
        path = self.write_config("".join(f"[source.{s}]\nlocation = {os.path.join(FIXTURE, s + '.csv')}\n"
                                         for s in ("leads", "spend")) + f"[source.events]\nlocation = {events}\n"
                                 "[health]\nrejected_share = warn\n")
        r = mql("check", "--config", path, "--week", WEEK, "--show-rejects", "5")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("is read as windows-1252", r.stderr)
        self.assertRegex(r.stdout, r'events\.csv:2: invalid_encoding: "[^"]*\\x00"')

    def test_options_override_the_file(self):
        path = self.write_config("[report]\ntimezone = Europe/Berlin\nweek = 2026-W01\n"
                                 + self.sources())
        out = os.path.join(self.tmp, "o")
        r = mql("run", "--config", path, "--week", WEEK, "--tz", "UTC", "--out", out,
                "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "metrics.json")) as f:
            report = json.load(f)["report"]
        self.assertEqual(report["week"], WEEK)
        self.assertEqual(report["timezone"], "UTC")
        # 2026-W10 starts Monday 2026-03-02, so as_of is the next Monday in UTC
        self.assertEqual(report["as_of"], "2026-03-09T00:00:00Z")

    def test_file_timezone_moves_as_of(self):
        path = self.write_config("[report]\ntimezone = Europe/Berlin\n" + self.sources())
        out = os.path.join(self.tmp, "o")
        r = mql("run", "--config", path, "--week", WEEK, "--out", out, "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "metrics.json")) as f:
            report = json.load(f)["report"]
        # Monday 2026-03-09 00:00 in Berlin (CET, UTC+1) is 2026-03-08 23:00 UTC
        self.assertEqual(report["as_of"], "2026-03-08T23:00:00Z")


class Outputs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_default_folder_is_out_week(self):
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        folder = os.path.join(self.tmp, "out", WEEK)
        names = sorted(os.listdir(folder))
        for want in ("metrics.json", "rejects.csv", f"mqlreport-{WEEK}.xlsx",
                     f"campaign-roi-{WEEK}.pdf"):
            self.assertIn(want, names)
        # nothing half-written or staged is left behind (the run lock stays: it
        # is the file that flock holds, empty and reused by every run)
        leftovers = [n for n in os.listdir(os.path.join(self.tmp, "out"))
                     if n not in (WEEK, f".{WEEK}.lock")] + [n for n in names if ".tmp" in n]
        self.assertEqual(leftovers, [])

    def test_out_dir_is_used_as_is(self):
        out = os.path.join(self.tmp, "exact")
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out, "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(out, "metrics.json")))
        self.assertFalse(os.path.exists(os.path.join(out, WEEK)))

    def test_failed_run_leaves_previous_outputs_untouched(self):
        data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, data)
        out = os.path.join(self.tmp, "o")
        r = mql("run", "--data", data, "--week", WEEK, "--out", out, "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        before = {n: digest(os.path.join(out, n)) for n in os.listdir(out)}
        # a leads file without its required created_at column stops the run with 65
        with open(os.path.join(data, "leads.csv"), "w") as f:
            f.write("lead_id,channel\nL1,paid_search\n")
        r = mql("run", "--data", data, "--week", WEEK, "--out", out, "--no-email")
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("created_at", r.stderr)
        after = {n: digest(os.path.join(out, n)) for n in os.listdir(out)}
        self.assertEqual(before, after)

    def test_ignored_columns_are_logged_once(self):
        data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, data)
        with open(os.path.join(data, "leads.csv"), "w") as f:
            f.write("lead_id,created_at,Fav Color,channel\n"
                    "L1,2026-03-02T09:00:00Z,red,webinar\nL2,2026-03-03T09:00:00Z,blue,webinar\n")
        r = mql("run", "--data", data, "--week", WEEK, "--out", os.path.join(self.tmp, "o"),
                "--no-email")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.count('leads: ignored columns "Fav Color"'), 1, r.stderr)

    def test_unwritable_output_is_73(self):
        blocker = os.path.join(self.tmp, "file")
        with open(blocker, "w") as f:
            f.write("not a folder")
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out",
                os.path.join(blocker, "sub"), "--no-email")
        self.assertEqual(r.returncode, 73, r.stderr)

    def test_unusable_temp_folder_is_73_and_named(self):
        # the drill-down's rows are kept in a temporary file: a TMPDIR that
        # cannot hold one stops the run before anything is published
        out = os.path.join(self.tmp, "o")
        missing = os.path.join(self.tmp, "no-such-folder")
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out, "--no-email",
                env={**os.environ, "TMPDIR": missing})
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn(f"cannot create a temporary file in {missing}: No such file", r.stderr)
        self.assertIn("set TMPDIR to a folder", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "metrics.json")))
        # and with one that can, the run leaves nothing behind in it
        usable = os.path.join(self.tmp, "t")
        os.mkdir(usable)
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out, "--no-email",
                env={**os.environ, "TMPDIR": usable})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(usable), [])

    def test_check_fails_where_the_run_could_not_publish(self):
        # check exits 0 only where a run would publish: a folder no run
        # wrote inside the week's folder, a file where a parent should be
        week = os.path.join(self.tmp, "out", WEEK)
        os.makedirs(os.path.join(week, "archive"))
        for cmd in ("check", "run"):
            with self.subTest(cmd=cmd):
                r = mql(cmd, "--data", FIXTURE, "--week", WEEK, *(("--no-email",) if cmd == "run" else ()),
                        cwd=self.tmp)
                self.assertEqual(r.returncode, 73, r.stderr)
                self.assertIn(f"out/{WEEK}/archive: a folder mqlreport did not write", r.stderr)
        blocker = os.path.join(self.tmp, "file")
        with open(blocker, "w") as f:
            f.write("not a folder")
        r = mql("check", "--data", FIXTURE, "--week", WEEK, "--out", os.path.join(blocker, "a", "b"))
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn(f"{blocker}: is a file, not a folder", r.stderr)
        # a link where the week's folder should be: the run would refuse it
        os.makedirs(os.path.join(self.tmp, "real"))
        os.symlink("real", os.path.join(self.tmp, "link"))
        r = mql("check", "--data", FIXTURE, "--week", WEEK, "--out", "link", cwd=self.tmp)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("link: is a symbolic link", r.stderr)

    def test_eml_without_email_group_stops_before_anything(self):
        out = os.path.join(self.tmp, "week")
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out,
                "--eml", os.path.join(self.tmp, "m.eml"), cwd=self.tmp)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("--eml needs an [email] group", r.stderr)
        self.assertNotIn("read ", r.stderr)  # refused before the sources were read
        self.assertFalse(os.path.exists(out))

    def test_out_dot_is_refused_before_anything(self):
        for out in (".", "..", "sub/.."):
            with self.subTest(out=out):
                os.makedirs(os.path.join(self.tmp, "sub"), exist_ok=True)
                r = mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out, "--no-email",
                        cwd=os.path.join(self.tmp, "sub"))
                self.assertEqual(r.returncode, 73, r.stderr)
                self.assertIn("name a folder of its own", r.stderr)
                self.assertNotIn("read ", r.stderr)  # refused before the sources were read
                self.assertEqual(os.listdir(self.tmp), ["sub"])
                self.assertEqual(os.listdir(os.path.join(self.tmp, "sub")), [])

    def test_check_writes_nothing(self):
        r = mql("check", "--data", FIXTURE, "--week", WEEK, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(self.tmp), [])
        self.assertIn("leads: ", r.stdout)
        self.assertIn("rows read 3, accepted 3, rejected 0", r.stdout)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
