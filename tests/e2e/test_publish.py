"""Publishing a week all or nothing, and no link followed for a file the
program creates: the real binary against real faults — a folder
or a file in the way, symbolic and hard links, kill -9 while rendering,
RLIMIT_FSIZE, an unreadable sent-state, a FIFO or a device as a source, and
(as root, in a tmpfs of a few MB) a full disk at each output and at
the manifest, and a TMPDIR with less and less room.

Usage: test_publish.py /path/to/mqlreport [tmpfs]
With "tmpfs" only the disk-full sweep runs; it needs root to mount and exits
77 (CTest's SKIP_RETURN_CODE) when it cannot. Without it, the tests that
need root to leave a file of another user's are skipped when not root, and
the script then exits 77 too when every other test passed."""
import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))

BIN = None
TESTS = os.environ.get("MQL_TESTS_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(TESTS, "fixtures", "cli")
WEEK = "2026-W10"
OUTPUTS = ["metrics.json", f"mqlreport-{WEEK}.xlsx", f"campaign-roi-{WEEK}.pdf", "rejects.csv"]


def mql(*args, timeout=60, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, **kw)


def run_into(out, *extra, **kw):
    return mql("run", "--data", FIXTURE, "--week", WEEK, "--out", out, "--no-email", *extra, **kw)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(folder):
    """{relative path: bytes or "<dir>"/"-> target"} of everything under folder."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, folder)
            if os.path.islink(p):
                out[rel] = "-> " + os.readlink(p)
            elif os.path.isdir(p):
                out[rel] = "<dir>"
            else:
                with open(p, "rb") as f:
                    out[rel] = f.read()
    return out


def as_user(*args):
    """mqlreport as a user that file modes bind: this one, or nobody when
    this is root (setpriv, from util-linux)."""
    prefix = [] if os.geteuid() else ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    return subprocess.run(prefix + [BIN, *args], capture_output=True, text=True, timeout=120)


def staging_left(parent):
    return [n for n in os.listdir(parent) if ".staging-" in n]


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mql-publish-")
        self.out = os.path.join(self.tmp, "week")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def victim(self, text="precious\n"):
        path = os.path.join(self.tmp, "victim")
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_whole(self, folder):
        """The folder holds every output and a manifest whose hashes match them."""
        with open(os.path.join(folder, "manifest.json")) as f:
            man = json.load(f)
        files = {o["file"]: o["sha256"] for o in man["outputs"]}
        self.assertEqual(sorted(files), sorted(OUTPUTS))
        for name, digest in files.items():
            path = os.path.join(folder, name)
            self.assertTrue(os.path.isfile(path) and not os.path.islink(path), name)
            self.assertEqual(sha(path), digest, f"{name}: the manifest's hash")

    def good_run(self):
        r = run_into(self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_whole(self.out)


class LockFile(Case):
    def lock_path(self):
        return os.path.join(self.tmp, ".week.lock")

    def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(self):
        victim = self.victim()
        os.symlink("victim", self.lock_path())
        r = run_into(self.out)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("symbolic link", r.stderr)
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertFalse(os.path.exists(self.out))

    def test_a_hard_linked_lock_file_is_refused(self):
        victim = self.victim()
        os.link(victim, self.lock_path())
        r = run_into(self.out)
        self.assertEqual(r.returncode, 73, r.stderr)
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")

    def test_a_fifo_as_lock_file_is_refused(self):
        os.mkfifo(self.lock_path())
        r = run_into(self.out, timeout=30)
        self.assertEqual(r.returncode, 73, r.stderr)


class LockOfAnotherUser(Case):
    """A lock file a run as another user left (root, rerunning by hand),
    and a folder the lock cannot be made in: check says so as the run
    would, and both name what to do. Modes do not bind root, so as root
    the runs are made as nobody (setpriv, from util-linux)."""

    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, self.data)
        self.parent = os.path.join(self.tmp, "out")
        os.mkdir(self.parent)
        os.chmod(self.parent, 0o777)
        self.week = os.path.join(self.parent, WEEK)

    def both(self):
        args = ("--data", self.data, "--week", WEEK, "--out", self.week, "--no-email")
        return as_user("check", *args), as_user("run", *args)

    def test_a_lock_left_by_another_user(self):
        if os.geteuid() != 0:
            self.skipTest("only root can leave a lock file of another user's")
        r = run_into(self.week)  # as root: its lock stays, root's
        self.assertEqual(r.returncode, 0, r.stderr)
        lock = os.path.join(self.parent, f".{WEEK}.lock")
        self.assertTrue(os.path.exists(lock))
        check, run = self.both()
        for what, r in (("check", check), ("run", run)):
            self.assertEqual(r.returncode, 73, f"{what}: {r.stderr}")
            # a shared folder of root's: no advice to run as root
            self.assertIn(f"{lock}: cannot open the lock file: Permission denied (it belongs to "
                          f"root, whose run left it; the folder it is in, {self.parent}, belongs "
                          f"to root: once no run as root is going, remove the lock file as this "
                          f"user: rm -f '{lock}')", r.stderr, what)

    def test_a_lock_of_another_user_in_a_sticky_folder(self):
        # /tmp's kind of folder: root's, writable by all, sticky; a lock another
        # user's run left can be removed by that user (or root), not by this one
        if os.geteuid() != 0:
            self.skipTest("only root can run as two other users")
        os.chmod(self.parent, 0o1777)
        other = ["setpriv", "--reuid=65533", "--regid=65533", "--clear-groups", "--"]
        r = subprocess.run(other + [BIN, "run", "--data", self.data, "--week", WEEK, "--out",
                                    self.week, "--no-email"], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        lock = os.path.join(self.parent, f".{WEEK}.lock")
        self.assertEqual(os.stat(lock).st_uid, 65533)
        check, run = self.both()
        for what, r in (("check", check), ("run", run)):
            self.assertEqual(r.returncode, 73, f"{what}: {r.stderr}")
            self.assertIn(f"remove the lock file as {r.stderr.split('(it belongs to ')[1].split(',')[0]} "
                          f"or root: rm -f '{lock}')", r.stderr, what)
            self.assertNotIn("run as root", r.stderr, what)

    def test_a_lock_left_by_root_in_the_folder_of_the_user_that_runs(self):
        # the documented deployment: the week's folder is the scheduled
        # user's, a rerun by hand as root left its lock; the message says
        # what it knows (whose lock, whose folder) and gives the rm that
        # lets the user's runs in, which works as that user; no word of a
        # schedule it cannot see
        if os.geteuid() != 0:
            self.skipTest("only root can leave a lock file of another user's")
        os.chmod(self.parent, 0o755)
        os.chown(self.parent, 65534, 65534)
        r = run_into(self.week)  # as root: its lock stays, root's
        self.assertEqual(r.returncode, 0, r.stderr)
        shutil.rmtree(self.week)  # root's week folder aside: only the lock is in the way
        lock = os.path.join(self.parent, f".{WEEK}.lock")
        rm = f"rm -f '{lock}'"
        check, run = self.both()
        for what, r in (("check", check), ("run", run)):
            self.assertEqual(r.returncode, 73, f"{what}: {r.stderr}")
            self.assertIn(f"{lock}: cannot open the lock file: Permission denied (it belongs to "
                          f"root, whose run left it; this user, nobody, owns the folder it is in, "
                          f"{self.parent}: once no run as root is going, remove the lock file as "
                          f"nobody: {rm}; and run this folder's runs as nobody, not as root)",
                          r.stderr, what)
            self.assertNotIn("schedule", r.stderr, what)
        # the failed run took root's lock read-only, for its failed manifest
        failed = self.week + ".failed.json"
        with open(failed) as f:
            man = json.load(f)
        self.assertEqual((man["week"], man["exit_status"]), (WEEK, 73))
        self.assertIn("cannot open the lock file", man["error"])
        self.assertEqual(os.stat(lock).st_size, 0, "a lock taken read-only writes nothing")
        # the advice, as given, works as that user
        r = subprocess.run(["runuser", "-u", "nobody", "--", "sh", "-c", rm],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        check, run = self.both()
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(os.stat(lock).st_uid, 65534)
        self.assertFalse(os.path.exists(failed))

    def test_a_week_folder_of_another_user(self):
        if os.geteuid() != 0:
            self.skipTest("only root can leave a week's folder of another user's")
        r = run_into(self.week)  # as root, rerunning by hand
        self.assertEqual(r.returncode, 0, r.stderr)
        os.remove(os.path.join(self.parent, f".{WEEK}.lock"))
        check, run = self.both()
        tail = f"it belongs to root: remove it as root: rm -rf '{self.week}'"
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn(f"warning: {self.week}: a run as this user replaces this folder but cannot remove "
                      f"the old one, which then stays beside it: {tail}", check.stderr)
        # the run publishes, and names the old folder it could not remove
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("cannot remove the previous outputs: Permission denied: it belongs to root: "
                      "remove it as root: rm -rf '", run.stderr)

    def test_a_folder_the_lock_cannot_be_made_in(self):
        os.chmod(self.parent, 0o555)
        check, run = self.both()
        for what, r in (("check", check), ("run", run)):
            self.assertEqual(r.returncode, 73, f"{what}: {r.stderr}")
            self.assertIn(f"{self.parent}: cannot write there (Permission denied)", r.stderr, what)
        os.chmod(self.parent, 0o777)


    def test_a_lock_path_in_a_folder_this_user_cannot_write(self):
        locks = os.path.join(self.tmp, "locks")
        os.mkdir(locks, 0o555)
        os.chmod(locks, 0o555)
        cfg = os.path.join(self.tmp, "lock.ini")
        with open(cfg, "w") as f:
            f.write(f"[lock]\npath = {locks}/sub/mqlreport.lock\n")
        args = ("--config", cfg, "--data", self.data, "--week", WEEK, "--out", self.week, "--no-email")
        for what in ("check", "run"):
            r = as_user(what, *args)
            self.assertEqual(r.returncode, 73, f"{what}: {r.stderr}")
            self.assertIn(f"{locks}", r.stderr, what)
            self.assertIn("Permission denied", r.stderr, what)
        os.chmod(locks, 0o755)


class ManifestNames(Case):
    def test_the_configuration_by_its_full_path(self):
        # named relative to where the run started: the manifest, read later
        # or elsewhere, names the file itself
        with open(os.path.join(self.tmp, "mql.ini"), "w") as f:
            f.write("[report]\ncurrency = USD\n")
        os.symlink("mql.ini", os.path.join(self.tmp, "link.ini"))
        r = mql("run", "--config", "link.ini", "--data", FIXTURE, "--week", WEEK, "--out", self.out,
                "--no-email", cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.out, "manifest.json")) as f:
            self.assertEqual(json.load(f)["config"], os.path.realpath(os.path.join(self.tmp, "mql.ini")))


class OneLockPerFolder(Case):
    """A scheduled run into the default out/<week> and a rerun by hand with
    --out naming that folder (however it is spelt) must not both publish and
    e-mail the week: they take one lock."""

    def hold(self, path):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd

    def test_every_spelling_of_the_week_folder_takes_the_same_lock(self):
        root = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(self.tmp, "elsewhere"))
        os.symlink(self.tmp, os.path.join(self.tmp, "elsewhere", "link"))
        spellings = [
            ("default", ["run", "--data", FIXTURE, "--week", WEEK, "--no-email"], self.tmp),
            ("relative", ["run", "--data", FIXTURE, "--week", WEEK, "--no-email",
                          "--out", f"out/{WEEK}"], self.tmp),
            ("dots and slash", ["run", "--data", FIXTURE, "--week", WEEK, "--no-email",
                                "--out", f"./out/../out/{WEEK}/"], self.tmp),
            ("absolute", ["run", "--data", FIXTURE, "--week", WEEK, "--no-email",
                          "--out", os.path.join(root, WEEK)], "/"),
            ("through a link", ["run", "--data", FIXTURE, "--week", WEEK, "--no-email",
                                "--out", os.path.join(self.tmp, "elsewhere", "link", "out",
                                                      WEEK)], "/"),
        ]
        os.makedirs(root)
        fd = self.hold(os.path.join(root, f".{WEEK}.lock"))
        try:
            for name, args, cwd in spellings:
                with self.subTest(spelling=name):
                    r = mql(*args, cwd=cwd)
                    self.assertEqual(r.returncode, 75, r.stderr)
                    self.assertIn("another run holds the lock", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(root, WEEK)))
        finally:
            os.close(fd)
        # another week's folder is not held by it
        r = mql("run", "--data", FIXTURE, "--week", WEEK, "--no-email", "--out",
                os.path.join(root, "other"), cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)


class AllOrNothing(Case):
    def test_a_folder_in_the_way_of_each_output_and_the_manifest(self):
        for name in OUTPUTS + ["manifest.json"]:
            with self.subTest(name=name):
                shutil.rmtree(self.out, ignore_errors=True)
                self.good_run()
                os.remove(os.path.join(self.out, name))
                os.makedirs(os.path.join(self.out, name, "inner"))
                r = run_into(self.out)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assert_whole(self.out)
                self.assertEqual(staging_left(self.tmp), [])

    def test_the_week_folder_as_a_symlink_is_refused(self):
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        with open(os.path.join(elsewhere, "keep.txt"), "w") as f:
            f.write("keep")
        os.symlink("elsewhere", self.out)
        r = run_into(self.out)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("symbolic link", r.stderr)
        self.assertEqual(os.listdir(elsewhere), ["keep.txt"])
        self.assertTrue(os.path.islink(self.out))
        self.assertEqual(staging_left(self.tmp), [])

    def test_a_file_in_the_way_of_the_week_folder(self):
        with open(self.out, "w") as f:
            f.write("not a folder")
        r = run_into(self.out)
        self.assertEqual(r.returncode, 73, r.stderr)
        with open(self.out) as f:
            self.assertEqual(f.read(), "not a folder")
        self.assertEqual(staging_left(self.tmp), [])

    def test_other_files_survive_a_republish_and_a_sub_folder_stops_it(self):
        self.good_run()
        with open(os.path.join(self.out, "notes.txt"), "w") as f:
            f.write("mine")
        with open(os.path.join(self.out, "delivery.ini"), "w") as f:
            f.write("[message pdf]\nmessage_id=<a@b>\n")
        self.good_run()
        with open(os.path.join(self.out, "notes.txt")) as f:
            self.assertEqual(f.read(), "mine")
        with open(os.path.join(self.out, "delivery.ini")) as f:
            self.assertIn("message_id=<a@b>", f.read())
        os.makedirs(os.path.join(self.out, "sub"))
        before = snapshot(self.out)
        r = run_into(self.out)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertIn("sub", r.stderr)
        self.assertEqual(snapshot(self.out), before)
        self.assertEqual(staging_left(self.tmp), [])

    def test_a_write_error_from_rlimit_fsize_publishes_nothing(self):
        self.good_run()
        before = snapshot(self.out)

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
        r = run_into(self.out, preexec_fn=small_files)
        self.assertEqual(r.returncode, 73, r.stderr)
        self.assertEqual(snapshot(self.out), before)
        self.assertEqual(staging_left(self.tmp), [])
        self.assertFalse(os.path.exists(self.out + ".failed.json.tmp"))

    def test_kill_9_while_rendering_then_a_rerun(self):
        self.good_run()
        before = snapshot(self.out)
        caught = False
        for _ in range(60):
            p = subprocess.Popen([BIN, "run", "--data", FIXTURE, "--week", WEEK, "--out", self.out,
                                  "--no-email"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while p.poll() is None and time.monotonic() < deadline:
                if staging_left(self.tmp):
                    p.kill()
                    break
            p.wait(timeout=30)
            now = snapshot(self.out)
            if now != before:
                # the run published before the kill landed (the exchange of
                # the two folders is atomic): a whole week or a defect
                self.assert_whole(self.out)
                before = now
                continue
            if p.returncode == -signal.SIGKILL and staging_left(self.tmp):
                caught = True
                break
        self.assertTrue(caught, "never caught the run while it rendered")
        r = run_into(self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("did not finish", r.stderr)
        self.assertEqual(staging_left(self.tmp), [])
        self.assert_whole(self.out)

    def test_stale_staging_of_other_weeks_goes_and_a_live_one_stays(self):
        out_root = os.path.join(self.tmp, "out")
        cfg = os.path.join(self.tmp, "mql.ini")
        with open(cfg, "w") as f:
            f.write(f"[report]\nout = {out_root}\n")
        os.makedirs(os.path.join(out_root, ".2026-W01.staging-aaaaaa", "sub"))
        live = os.path.join(out_root, ".2026-W02.staging-bbbbbb")
        os.makedirs(live)
        fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r = mql("run", "--config", cfg, "--data", FIXTURE, "--week", WEEK, "--no-email")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(staging_left(out_root), [".2026-W02.staging-bbbbbb"])
        finally:
            os.close(fd)
        self.assert_whole(os.path.join(out_root, WEEK))


class FailedManifest(Case):
    """Every failure once the week's folder is known writes (or replaces)
    DIR.failed.json beside it, those found before the lock is taken
    included, under the week's lock; where none can be written, an older
    one stays as it was, and the operator's notice says why and that it is
    an earlier run's."""

    def setUp(self):
        super().setUp()
        self.cfg = os.path.join(self.tmp, "mail.ini")
        with open(self.cfg, "w") as f:
            f.write("[email]\nfrom = reports@example.com\nto = ceo@example.com\n"
                    "operator = oncall@example.com\n")
        self.failed = self.out + ".failed.json"

    def failing(self, out=None, week=WEEK, data=FIXTURE, env=None):
        """A run whose notice goes to a file: (process, failed manifest or
        None, the notice's text or None)."""
        from email import message_from_binary_file, policy
        eml = os.path.join(self.tmp, "notice.eml")
        if os.path.exists(eml):
            os.remove(eml)
        r = mql("run", "--config", self.cfg, "--data", data, "--week", week, "--out", out or self.out,
                "--eml", eml, env=env)
        man = notice = None
        if os.path.exists(self.failed):
            with open(self.failed) as f:
                man = json.load(f)
        if os.path.exists(eml):
            with open(eml, "rb") as f:
                msg = message_from_binary_file(f, policy=policy.default)
            notice = " ".join(msg.get_body(preferencelist=("plain",)).get_content().split())
        return r, man, notice

    def an_earlier_failure(self):
        """A failed manifest of another week, as a run without its leads leaves it."""
        data = os.path.join(self.tmp, "no-leads")
        if not os.path.exists(data):
            shutil.copytree(FIXTURE, data)
            os.remove(os.path.join(data, "leads.csv"))
        r, man, _ = self.failing(week="2026-W09", data=data)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertEqual((man["week"], man["exit_status"]), ("2026-W09", 66))
        with open(self.failed, "rb") as f:
            return f.read()

    def test_failures_found_before_the_lock_replace_the_failed_manifest(self):
        def sub_folder():
            os.makedirs(os.path.join(self.out, "sub"))

        def link():
            os.makedirs(os.path.join(self.tmp, "real"))
            os.symlink("real", self.out)

        cases = [("a sub-folder in the week's folder", sub_folder, None, "sub: a folder mqlreport"),
                 ("the week's folder a symbolic link", link, None, "is a symbolic link"),
                 ("a TMPDIR that cannot hold a file", lambda: None,
                  {**os.environ, "TMPDIR": os.path.join(self.tmp, "no-such-folder")}, "TMPDIR")]
        for what, make, env, says in cases:
            with self.subTest(what):
                for p in (self.out, os.path.join(self.tmp, "real")):
                    if os.path.islink(p) or os.path.isfile(p):
                        os.remove(p)
                    elif os.path.isdir(p):
                        shutil.rmtree(p)
                self.an_earlier_failure()
                make()
                before = snapshot(self.tmp)
                r, man, notice = self.failing(env=env)
                self.assertEqual(r.returncode, 73, r.stderr)
                self.assertIn(says, r.stderr)
                self.assertEqual((man["week"], man["exit_status"]), (WEEK, 73), man)
                self.assertIn(says, man["error"])
                self.assertIn(f"Manifest: {self.failed}", notice)
                self.assertFalse(os.path.islink(self.failed))
                # nothing else changed: the link, the file, the sub-folder stay
                after = snapshot(self.tmp)
                for name in set(before) | set(after):
                    if name not in (os.path.basename(self.failed), "notice.eml", ".week.lock"):
                        self.assertEqual(before.get(name), after.get(name), name)
                self.assertEqual(staging_left(self.tmp), [])

    def test_a_good_run_after_them_removes_it(self):
        os.makedirs(os.path.join(self.out, "sub"))
        r, man, _ = self.failing()
        self.assertEqual((r.returncode, man["exit_status"]), (73, 73), r.stderr)
        shutil.rmtree(os.path.join(self.out, "sub"))
        self.good_run()
        self.assertFalse(os.path.exists(self.failed))

    def test_no_lock_of_its_own_no_manifest_and_the_notice_says_so(self):
        # a lock file that is a link: no run can hold the week's lock, so
        # none writes; the earlier run's manifest stays, named as such
        earlier = self.an_earlier_failure()
        os.remove(os.path.join(self.tmp, ".week.lock"))
        os.symlink(self.victim(), os.path.join(self.tmp, ".week.lock"))
        r, man, notice = self.failing()
        self.assertEqual(r.returncode, 73, r.stderr)
        with open(self.failed, "rb") as f:
            self.assertEqual(f.read(), earlier)
        self.assertIn("Manifest: none (only a run that holds the week's lock writes one, and "
                      f"this run could not take it; {self.failed}, there, is an earlier run's and "
                      "was left as it was)", notice)

    def test_another_run_holding_the_lock_keeps_its_manifest(self):
        # that run writes the week's failed manifest (or removes it): a
        # run refused its lock never writes over it, even one that found
        # a fault of its own before
        earlier = self.an_earlier_failure()
        os.makedirs(os.path.join(self.out, "sub"))
        fd = os.open(os.path.join(self.tmp, ".week.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r, _, notice = self.failing()
            self.assertEqual(r.returncode, 73, r.stderr)
            self.assertIn("Manifest: none (another run of this week's folder holds its lock, and "
                          "that run writes the manifest;", notice)
            shutil.rmtree(os.path.join(self.out, "sub"))
            r, _, notice = self.failing()
            self.assertEqual(r.returncode, 75, r.stderr)
            self.assertIsNone(notice)
        finally:
            os.close(fd)
        with open(self.failed, "rb") as f:
            self.assertEqual(f.read(), earlier)

    def test_no_place_beside_the_output_no_manifest(self):
        # --out naming "." has no "beside"; one naming a file of the user's
        # gets nothing written beside it: an earlier failed manifest stays
        earlier = self.an_earlier_failure()
        os.makedirs(os.path.join(self.tmp, "o"))
        with open(os.path.join(self.tmp, "a-file"), "w") as f:
            f.write("not a folder")
        for out in (os.path.join(self.tmp, "o", "."), os.path.join(self.tmp, "a-file")):
            with self.subTest(out=out):
                before = snapshot(self.tmp)
                r, _, notice = self.failing(out=out)
                self.assertEqual(r.returncode, 73, r.stderr)
                after = snapshot(self.tmp)
                after.pop("notice.eml")
                before.pop("notice.eml", None)
                self.assertEqual(after, before)
                self.assertIn("Manifest: none (a failed manifest goes beside the week's folder, "
                              "and the error leaves no place there that this run may write in)",
                              notice)
        with open(self.failed, "rb") as f:
            self.assertEqual(f.read(), earlier)


class Links(Case):
    def test_a_symlink_at_the_manifest_or_the_failed_manifest_is_replaced_not_followed(self):
        victim = self.victim()
        self.good_run()
        os.remove(os.path.join(self.out, "manifest.json"))
        os.symlink(victim, os.path.join(self.out, "manifest.json"))
        self.good_run()
        os.symlink(victim, self.out + ".failed.json")
        data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, data)
        os.remove(os.path.join(data, "leads.csv"))
        r = mql("run", "--data", data, "--week", WEEK, "--out", self.out, "--no-email")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertFalse(os.path.islink(self.out + ".failed.json"))
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")

    def test_a_symlink_at_the_eml_file_is_replaced_not_followed(self):
        victim = self.victim()
        cfg = os.path.join(self.tmp, "mql.ini")
        with open(cfg, "w") as f:
            f.write("[email]\nfrom = r@example.com\nto = ceo@example.com\n")
        eml = os.path.join(self.tmp, "msg.eml")
        os.symlink(victim, eml)
        r = mql("run", "--config", cfg, "--data", FIXTURE, "--week", WEEK, "--out", self.out,
                "--eml", eml)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.islink(eml))
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")


class ReadOnlyWeek(Case):
    """A week's folder made read-only (0555) by its owner, as an operator
    freezes a week: the next run replaces it, with that mode, and leaves no
    staging folder; as root, whom modes do not bind, the runs are made as
    nobody (setpriv, from util-linux)."""

    def test_a_read_only_week_folder_is_replaced_and_leaves_nothing(self):
        os.chmod(self.tmp, 0o755)
        data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, data)
        parent = os.path.join(self.tmp, "out")
        os.mkdir(parent)
        os.chmod(parent, 0o777)
        week = os.path.join(parent, WEEK)
        run = ("run", "--data", data, "--week", WEEK, "--out", week, "--no-email")
        r = as_user(*run)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.chmod(week, 0o555)
        r = as_user(*run)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.stat(week).st_mode & 0o7777, 0o555)
        self.assertTrue(set(OUTPUTS) <= set(os.listdir(week)))
        self.assertEqual(staging_left(parent), [], r.stderr)
        self.assertNotIn("cannot remove", r.stderr)
        os.chmod(week, 0o755)  # for the clean-up


class Sources(Case):
    def data_with(self, make_leads):
        data = os.path.join(self.tmp, "data")
        shutil.copytree(FIXTURE, data)
        os.remove(os.path.join(data, "leads.csv"))
        make_leads(os.path.join(data, "leads.csv"))
        return data

    def run_data(self, data):
        return mql("run", "--data", data, "--week", WEEK, "--out", self.out, "--no-email",
                   timeout=30)

    def test_a_fifo_as_a_source_is_refused_not_waited_for(self):
        r = self.run_data(self.data_with(os.mkfifo))
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("leads.csv", r.stderr)
        self.assertIn("not a regular file", r.stderr)

    def test_a_device_as_a_source_is_refused(self):
        r = self.run_data(self.data_with(lambda p: os.symlink("/dev/zero", p)))
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("not a regular file", r.stderr)

    def test_a_symlink_to_a_regular_file_is_still_read(self):
        real = os.path.join(FIXTURE, "leads.csv")
        r = self.run_data(self.data_with(lambda p: os.symlink(real, p)))
        self.assertEqual(r.returncode, 0, r.stderr)


class SentState(Case):
    """A sent-state that cannot be read stops the e-mail; it never means "not sent"."""

    def setUp(self):
        super().setUp()
        import opsrun
        import smtp_server
        from tlsutil import make_cert
        self.opsrun = opsrun
        cert, key = make_cert(self.tmp)
        self.srv = smtp_server.Server("ok", cert, key)
        self.cfg = opsrun.write_config(self.tmp, email=opsrun.email_keys(self.srv.port, cert))
        self.week_dir = os.path.join(self.tmp, "out", opsrun.WEEK)

    def tearDown(self):
        stop = getattr(self.srv, "stop", None)
        if stop:
            stop()
        super().tearDown()

    def reports_sent(self):
        """Messages to the report's recipients (the operator's notices aside)."""
        return sum("ceo@example.com" in rcpts for _, rcpts, _ in self.srv.rec.messages)

    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)

    def test_an_unreadable_delivery_ini_sends_nothing_again(self):
        rc, out = self.opsrun.run(BIN, self.cfg)
        self.assertEqual(rc, 0, out)
        self.assertEqual(self.reports_sent(), 1)
        state = os.path.join(self.week_dir, "delivery.ini")
        good = os.path.join(self.tmp, "delivery.ini.good")
        shutil.copy(state, good)
        cases = [("a folder", lambda: os.makedirs(state), 73),
                 ("a symlink", lambda: os.symlink(good, state), 73),
                 ("not a key file", lambda: self.write(state, "this is not ini\n"), 78)]
        for what, make, status in cases:
            with self.subTest(what=what):
                if os.path.isdir(state) and not os.path.islink(state):
                    shutil.rmtree(state)
                elif os.path.lexists(state):
                    os.remove(state)
                make()
                rc, out = self.opsrun.run(BIN, self.cfg)
                self.assertEqual(rc, status, out)
                self.assertIn("delivery.ini", out)
                self.assertEqual(self.reports_sent(), 1, "the week was e-mailed again")


def mount_tmpfs(mnt, size):
    """A tmpfs of `size` at the empty folder mnt: True, or False (said as a
    SKIP) when this process cannot mount one."""
    if os.geteuid() != 0:
        print("SKIP: mounting a tmpfs needs root")
        return False
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt],
                       capture_output=True, text=True, timeout=30)
    if m.returncode != 0:
        print(f"SKIP: cannot mount a tmpfs: {m.stderr.strip()}")
        return False
    return True


def disk_full_sweep():
    """Publish into a small tmpfs with less and less room: every run either
    publishes the whole week (exit 0) or changes nothing (exit 73), never
    leaves a staging folder, and some run fails at the manifest."""
    mnt = tempfile.mkdtemp(prefix="mql-tmpfs-")
    # room for the published week, a full staging copy and the sweep below
    if not mount_tmpfs(mnt, "8m"):
        os.rmdir(mnt)
        return 77
    fails, stages = [], set()
    try:
        out = os.path.join(mnt, "week")
        r = run_into(out)
        if r.returncode != 0:
            print(f"FAIL: a first run in the tmpfs: {r.stderr}")
            return 1
        before = snapshot(out)
        with open(os.path.join(out, "manifest.json")) as f:
            last_pid = json.load(f)["pid"]
        # from nothing free to more than one week's outputs need, in about
        # fifty steps, so that the disk fills at each output and at the manifest
        week_kb = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out)) // 1024 + 1
        step = max(4, week_kb // 50)
        for free_kb in range(0, week_kb + week_kb // 2 + step, step):
            filler = os.path.join(mnt, "filler")
            if os.path.exists(filler):
                os.remove(filler)
            st = os.statvfs(mnt)
            room = st.f_bavail * st.f_frsize - free_kb * 1024
            with open(filler, "wb") as f:
                try:
                    f.write(b"\0" * max(room, 0))
                except OSError:
                    pass
            r = run_into(out, timeout=60)
            left = staging_left(mnt)
            if r.returncode == 0:
                with open(os.path.join(out, "manifest.json")) as f:
                    man = json.load(f)
                ok = all(sha(os.path.join(out, o["file"])) == o["sha256"] for o in man["outputs"])
                if not ok or len(man["outputs"]) != 4 or man["pid"] == last_pid:
                    fails.append(f"{free_kb} KB free: exit 0 but the manifest is not this run's "
                                 "or does not match the outputs")
                last_pid = man["pid"]
                before = snapshot(out)
                stages.add("published")
            elif r.returncode == 73:
                if snapshot(out) != before:
                    fails.append(f"{free_kb} KB free: exit 73 but the week's folder changed")
                for name in OUTPUTS + ["manifest.json"]:
                    if name in r.stderr:
                        stages.add(name)
            else:
                fails.append(f"{free_kb} KB free: exit {r.returncode}: {r.stderr}")
            if left:
                fails.append(f"{free_kb} KB free: staging left behind: {left}")
            print(f"{free_kb:4d} KB free: exit {r.returncode}")
        if "manifest.json" not in stages:
            fails.append(f"no run failed at the manifest (stages seen: {sorted(stages)})")
        if "published" not in stages:
            fails.append("no run had room enough to publish")
    finally:
        subprocess.run(["umount", mnt], timeout=30)
        os.rmdir(mnt)
    for f in fails:
        print("FAIL: " + f)
    print(f"stages that failed or passed: {sorted(stages)}")
    return 1 if fails else 0


SAMPLES = os.path.join(os.path.dirname(TESTS), "samples")
SAMPLE_WEEK = "2026-W47"


def drill_rows(xlsx):
    """Rows under the header of each drill-down sheet of a workbook; the
    reader's complaint, as text, for a workbook it cannot read."""
    import openpyxl
    got = {}
    try:
        wb = openpyxl.load_workbook(xlsx, read_only=True)
        for sheet, key in (("MQLs this week", "mqls"), ("SQLs this week", "sqls"),
                           ("Wins this week", "wins")):
            rows = list(wb[sheet].iter_rows(min_row=5, values_only=True))
            got[key] = [r[0] for r in rows if r and r[0] and not str(r[0]).startswith("…")]
        wb.close()
    except Exception as e:  # a broken part: what the test is there to catch
        return f"unreadable: {e!r}"
    return got


def tmpdir_full_sweep():
    """TMPDIR in a small tmpfs with less and less room: the drill-down's rows
    and the workbook's streamed sheets wait there. Every run either publishes
    the week whole — metrics.json as a run with room writes it, every
    drill-down row on its sheet — or publishes nothing (exit 73, naming
    TMPDIR); runs of both kinds are seen."""
    work = tempfile.mkdtemp(prefix="mql-tmpdir-")
    mnt = os.path.join(work, "tmp")
    os.mkdir(mnt)
    if not mount_tmpfs(mnt, "2m"):
        shutil.rmtree(work)
        return 77
    fails, seen = [], set()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795417200", "TMPDIR": mnt}

    def run(out):
        return mql("run", "--data", SAMPLES, "--week", SAMPLE_WEEK, "--out", out, "--no-email",
                   env=env, timeout=120)
    try:
        ref = os.path.join(work, "ref")
        r = run(ref)
        if r.returncode != 0:
            print(f"FAIL: a run with room: {r.stderr}")
            return 1
        with open(os.path.join(ref, "metrics.json"), "rb") as f:
            want = f.read()
        want_rows = {k: [row["lead_id"] for row in v]
                     for k, v in json.loads(want)["drilldown"].items()}
        if not want_rows["mqls"]:
            print("FAIL: the samples' week has no MQL to drill down to")
            return 1
        if drill_rows(os.path.join(ref, f"mqlreport-{SAMPLE_WEEK}.xlsx")) != want_rows:
            fails.append("with room: the workbook's drill-down rows are not metrics.json's")
        if os.listdir(mnt):
            fails.append(f"with room: left in TMPDIR: {os.listdir(mnt)}")
        filler = os.path.join(mnt, "filler")
        for free_kb in range(0, 200, 4):
            if os.path.exists(filler):
                os.remove(filler)
            st = os.statvfs(mnt)
            with open(filler, "wb") as f:
                try:
                    f.write(b"\0" * max(st.f_bavail * st.f_frsize - free_kb * 1024, 0))
                except OSError:
                    pass
            out = os.path.join(work, f"o{free_kb}")
            r = run(out)
            if r.returncode == 0:
                with open(os.path.join(out, "metrics.json"), "rb") as f:
                    if f.read() != want:
                        fails.append(f"{free_kb} KB free: exit 0 with another metrics.json")
                if drill_rows(os.path.join(out, f"mqlreport-{SAMPLE_WEEK}.xlsx")) != want_rows:
                    fails.append(f"{free_kb} KB free: exit 0 with drill-down sheets short of rows")
                seen.add("published")
            elif r.returncode == 73:
                if os.path.exists(out):
                    fails.append(f"{free_kb} KB free: exit 73 but {out} was published")
                if f"in {mnt}" not in r.stderr or "set TMPDIR" not in r.stderr:
                    fails.append(f"{free_kb} KB free: exit 73 without naming TMPDIR: {r.stderr}")
                seen.add("refused")
                # where it was found: the probe, a spill, the streamed sheets, the parts
                for where, text in (("probe", "cannot create a temporary file"),
                                    ("spill", "cannot write a temporary file in"),
                                    ("streamed sheets", "of its drill-down sheets"),
                                    ("workbook read back", "the workbook was written without")):
                    if text in r.stderr:
                        seen.add(where)
                        print(f"TMPDIR {free_kb:4d} KB free: refused at {where}")
            else:
                fails.append(f"{free_kb} KB free: exit {r.returncode}: {r.stderr}")
            left = [n for n in os.listdir(mnt) if n != "filler"]
            if left:
                fails.append(f"{free_kb} KB free: left in TMPDIR: {left}")
            print(f"TMPDIR {free_kb:4d} KB free: exit {r.returncode}")
        print(f"TMPDIR: seen {sorted(seen)}")
        for kind in ("published", "refused", "workbook read back"):
            if kind not in seen:
                fails.append(f"no run was {kind} (seen: {sorted(seen)})")
    finally:
        subprocess.run(["umount", mnt], timeout=30)
        shutil.rmtree(work)
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    if len(sys.argv) > 1 and sys.argv[1] == "tmpfs":
        rc = disk_full_sweep()
        rc_tmp = tmpdir_full_sweep()
        sys.exit(1 if 1 in (rc, rc_tmp) else rc if rc == rc_tmp else 1)
    # a test that only root can make (a file of another user's) is
    # skipped otherwise: counted as CTest's skip (77), not as a pass
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(1 if not result.wasSuccessful() else 77 if result.skipped else 0)
