"""Installing like a Debian tool, in a throw-away root:

1. `DESTDIR=<root> cmake --install` puts every file where the table in
   docs/operations.md ("Installing") says, and nothing outside the prefix;
   the installed binary runs.
2. The manual page renders without a warning, names every command of
   `mqlreport --help` and every option of each command's `--help`.
3. The blocks of docs/operations.md marked for this test run as written,
   translated only where a throw-away root needs it (see translate()): the
   user, the folders, the configuration, the secrets, the timer, the check as
   the service's user, the cron file. An operator's edits in between: the
   sources point at exports of the last complete week (`mqlreport gen`), e-mail goes to an SMTP server of this test, and
   the SMTP password holds spaces, quotes, `$` and `\\`.
4. The installed cron line runs as cron would (sh, a bare environment): it
   reads that password as written, the report lands in the working folder.
5. `systemd-analyze verify --root` accepts the installed units, and they
   name the binary, user, folder, configuration and secrets of the steps.

Every tool it needs (man, groff, systemd-analyze, systemctl, useradd, and
fakeroot when not run as root) must be installed: a missing one fails.
argv: mqlreport cmake build-dir install-prefix."""
import configparser
import datetime
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from tlsutil import make_cert  # noqa: E402

BIN, CMAKE, BUILD, PREFIX = sys.argv[1:5]
SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.dirname(opsrun.TESTS)
DOC = os.path.join(SRC, "docs", "operations.md")
MARK = "<!-- tests/e2e/test_install.py runs this block"
DOC_PREFIX = "/usr/local"  # the prefix the documented paths are written for
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # root's PATH on Debian
SMTP_USER = "reports@example.com"
# what an operator might choose; every character sh or systemd could mangle
SMTP_PASSWORD = "it's a \"long\" pass $HOME `id` \\n # word"
check = opsrun.Checks()


def need(tool):
    path = shutil.which(tool, path=ROOT_PATH)
    if not path:
        check(False, f"{tool} is installed (./setup.sh installs it for the tests)")
        check.done("install")
    return path


def why(r, *more):
    """What a failed command said, for a failed check's message."""
    return "" if r.returncode == 0 else "\n" + "".join((r.stdout or "", r.stderr or "", *more))


def run(argv, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 120)
    return subprocess.run(argv, **kw)


class Root:
    """The throw-away root: what a fresh Debian machine with systemd and cron
    brings (the user tables, the distribution's units, /etc/cron.d), the
    install, and the state of fakeroot when the test is not root (so that
    ownership can be checked)."""

    def __init__(self, tmp):
        self.path = os.path.join(tmp, "root")
        for d in ("etc/cron.d", "etc/systemd/system"):
            os.makedirs(os.path.join(self.path, d))
        self.seeds = []
        for name, line in (("passwd", "root:x:0:0:root:/root:/bin/bash"), ("group", "root:x:0:"),
                           ("shadow", "root:*:20000:0:99999:7:::"), ("gshadow", "root:*::")):
            self.seeds.append(os.path.join(self.path, "etc", name))
            with open(self.seeds[-1], "w") as f:
                f.write(line + "\n")
        # sysinit.target, timers.target…, never a mqlreport unit installed on this machine
        system = os.path.realpath("/lib/systemd/system")
        if not os.path.isdir(system):
            check(False, f"the distribution's systemd units are in {system}")
            check.done("install")
        shutil.copytree(system, os.path.join(self.path, "lib/systemd/system"), symlinks=True,
                        ignore=shutil.ignore_patterns("mqlreport.*"))
        for d, _, files in os.walk(self.path):
            self.seeds += [os.path.join(d, n) for n in files]
        self.fake = None
        if os.geteuid() != 0:
            self.fake = os.path.join(tmp, "fakeroot.state")
            open(self.fake, "w").close()
            need("fakeroot")

    def __call__(self, path):
        """A path of the deployed machine, inside the root."""
        return os.path.join(self.path, path.lstrip("/"))

    def as_root(self, argv):
        return argv if not self.fake else ["fakeroot", "-i", self.fake, "-s", self.fake, "--", *argv]

    def owner_mode(self, path):
        r = run(self.as_root(["stat", "-c", "%u %g %a", self(path)]))
        return r.stdout.split() if r.returncode == 0 else None

    def ids(self, table):
        """{name: id} of the root's etc/passwd or etc/group."""
        with open(self("/etc/" + table)) as f:
            return {ln.split(":")[0]: ln.split(":")[2] for ln in f if ln.count(":") >= 3}

    def user(self, name):
        with open(self("/etc/passwd")) as f:
            for ln in f:
                fields = ln.rstrip("\n").split(":")
                if fields[0] == name:
                    return fields
        return None


def documented_path(path):
    """A documented path for the prefix of this build."""
    return PREFIX + path[len(DOC_PREFIX):] if path.startswith(DOC_PREFIX + "/") else path


def into_root(text, root):
    """Every /etc, /var or /usr path in text, moved into the root."""
    def move(m):
        return root(documented_path(m.group(0)))
    return re.sub(r"(?<![\w./-])/(?:etc|var|usr)(?:/[^\s'\";&|<>]*)?", move, text)


def translate(line, root):
    """A documented command as it runs in the throw-away root, as root (or
    fakeroot) or not: (argv, as_root), or None where it has nothing to do
    there. Only these commands are known: a new one in the doc fails here
    until the test knows how to run it without touching the machine."""
    argv = shlex.split(line, comments=True)
    if not argv:
        return None
    cmd = argv[0]
    if cmd == "useradd":  # paths in its arguments are the machine's, as --prefix expects
        return ["useradd", "--prefix", root.path, *argv[1:]], True
    if cmd == "systemctl" and argv[1:] == ["daemon-reload"]:
        return None  # no manager runs in the root; the next steps read the unit files
    if cmd == "systemctl" and argv[1:2] == ["enable"]:  # --now: nothing runs in the root
        return ["systemctl", f"--root={root.path}", "enable", *[a for a in argv[2:] if a != "--now"]], True
    if cmd == "install":
        out, it = [], iter(argv)
        for a in it:
            if a in ("-o", "-g"):
                name = next(it)
                ids = root.ids("passwd" if a == "-o" else "group")
                check(name in ids, f"`{line.strip()}`: {a} {name} exists (the steps before it made it)")
                out += [a, ids.get(name, name)]
            else:
                out.append(into_root(a, root))
        return out, True
    if cmd == "runuser" and argv[1:2] == ["-u"] and argv[3:4] == ["--"]:
        # the user exists in the root only: run the command as this test
        check(root.user(argv[2]) is not None, f"runuser: the user {argv[2]} exists")
        return [into_root(a, root) for a in argv[4:]], False
    check(False, f"the test knows how to run `{line.strip()}` in a throw-away root")
    return None


def doc_blocks():
    """The indented code blocks after each MARK line of docs/operations.md."""
    with open(DOC) as f:
        lines = f.read().splitlines()
    blocks = []
    for i, ln in enumerate(lines):
        if not ln.startswith(MARK):
            continue
        block, j = [], i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        while j < len(lines) and (lines[j].startswith("    ") or not lines[j].strip()):
            if lines[j].strip():
                block.append(lines[j][4:])
            j += 1
        blocks.append(block)
    return blocks


def installed_table():
    """The file column of the table under "## Installing": paths relative to
    the prefix; a bare name is in the folder of the path before it."""
    with open(DOC) as f:
        text = f.read()
    section = text.split("## Installing", 1)[1].split("\n## ", 1)[0]
    paths = []
    for row in re.findall(r"^\| `(.+?)` \|", section, re.M):
        last = None
        for p in re.findall(r"`([^`]+)`", "`" + row + "`"):
            if "/" not in p and last:
                p = os.path.join(os.path.dirname(last), p)
            paths.append(p)
            last = p
    return paths


def check_install(root):
    env = dict(os.environ, DESTDIR=root.path)
    r = run([CMAKE, "--install", BUILD], env=env)
    check(r.returncode == 0, f"cmake --install into a throw-away root{why(r)}")
    table = installed_table()
    check(len(table) >= 7, f"docs/operations.md lists the installed files: {table}")
    listed = set()
    for rel in table:
        found = glob.glob(root(os.path.join(PREFIX, rel)))
        check(found, f"installed where documented: {PREFIX}/{rel}")
        listed.update(found)
    everything = []
    for d, _, files in os.walk(root.path):
        everything += [os.path.join(d, n) for n in files]
    stray = [p for p in everything if not p.startswith(root(PREFIX) + "/") and p not in root.seeds]
    check(not stray, f"the install writes nothing outside the prefix: {stray}")
    unlisted = [p for p in everything if p.startswith(root(PREFIX) + "/") and p not in listed]
    check(not unlisted, f"every installed file is in the documented table: {unlisted}")
    # the images the installed documentation shows are installed beside it
    docdir = root(PREFIX + "/share/doc/mqlreport")
    shown = set()
    for md in glob.glob(os.path.join(docdir, "*.md")):
        with open(md) as f:
            shown.update(re.findall(r"\]\((img/[^)\s]+)\)", f.read()))
    check(shown, "the installed documentation shows images")
    gone = sorted(p for p in shown if not os.path.isfile(os.path.join(docdir, p)))
    check(not gone, f"every image the installed documentation shows is installed: missing {gone}")
    mine = run([root(PREFIX + "/bin/mqlreport"), "--version"])
    built = run([BIN, "--version"])
    check(mine.returncode == 0 and mine.stdout == built.stdout and mine.stdout.startswith("mqlreport "),
          f"the installed binary runs: {mine.stdout.strip()}{mine.stderr}")


def check_man(root):
    need("man")
    need("groff")
    page = root(PREFIX + "/share/man/man1/mqlreport.1")
    r = run(["groff", "-man", "-Tutf8", "-ww", "-z", page])
    check(r.returncode == 0 and not r.stderr, f"groff renders mqlreport.1 without a warning {r.stderr}")
    env = {"PATH": ROOT_PATH, "LC_ALL": "C", "MANWIDTH": "250", "HOME": os.environ.get("HOME", "/")}
    r = run(["man", "-l", page], env=env)
    text = r.stdout
    check(r.returncode == 0 and not r.stderr and "MQLREPORT(1)" in text, f"man -l renders the page {r.stderr}")
    top = run([BIN, "--help"]).stdout
    commands = re.findall(r"^  ([a-z][a-z0-9-]*)  ", top.split("Commands:", 1)[-1].split("\n\n", 1)[0], re.M)
    check(len(commands) >= 4, f"--help lists the commands: {commands}")
    version = run([BIN, "--version"]).stdout.strip()
    check(version in text, f"the page is of this version ({version})")
    for c in commands:
        check(f"mqlreport {c}:" in text, f"the page has a section on `mqlreport {c}`")
        opts = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", run([BIN, c, "--help"]).stdout))
        missing = sorted(o for o in opts if o not in text)
        check(opts and not missing, f"the page names every option of `mqlreport {c} --help`: missing {missing}")
    for want in ("FILES", "/etc/mqlreport/secrets.env", "SEE ALSO", "EXAMPLES"):
        check(want in text, f"the page has {want}")


def operator_edits(root, smtp_port, cert):
    """What the doc asks the operator to edit: sources, e-mail, secrets."""
    ini = root("/etc/mqlreport/mqlreport.ini")
    with open(ini) as f:
        text = f.read()
    check(not re.search(r"^(out|cache_dir)\s*=", text, re.M),
          "the installed example leaves out and cache_dir to the working folder")
    # exports of the last complete week: the bundled samples/ are of one
    # fixed week, which the data-health gate refuses as stale once it is past
    tz = re.search(r"^timezone\s*=\s*(\S+)", text, re.M)
    now = datetime.datetime.now(zoneinfo.ZoneInfo(tz.group(1) if tz else "UTC"))
    year, week, _ = (now - datetime.timedelta(days=7)).isocalendar()
    exports = os.path.join(os.path.dirname(root.path), "exports")
    r = run([BIN, "gen", "--leads", "3000", "--seed", "7", "--out", exports, "--end-week", f"{year}-W{week:02d}"])
    check(r.returncode == 0, f"the operator's exports of the last week{why(r)}")
    text = re.sub(r"^location = \.\./samples/", f"location = {exports}/", text, flags=re.M)
    text += "\n".join(["", "[email]", f"smtp_url = smtp://127.0.0.1:{smtp_port}", f"from = {SMTP_USER}",
                       "to = ceo@example.com", "username_env = SMTP_USER", "password_env = SMTP_PASSWORD",
                       f"ca_file = {cert}", "retries = 0", ""])
    with open(ini, "w") as f:
        f.write(text)
    # the documented format: single quotes, or double quotes with \ before " \ $ `
    quoted = '"' + re.sub(r'(["\\$`])', r"\\\1", SMTP_PASSWORD) + '"'
    with open(root("/etc/mqlreport/secrets.env"), "w") as f:
        f.write(f"# written by the operator\nSMTP_USER='{SMTP_USER}'\nSMTP_PASSWORD={quoted}\n")


def check_deploy(root):
    need("useradd")
    need("systemctl")
    tmp = os.path.dirname(root.path)
    cert, key = make_cert(tmp)
    smtp = smtp_server.Server("ok", cert, key)
    blocks = doc_blocks()
    check(len(blocks) >= 3, f"docs/operations.md marks its deployment blocks ({len(blocks)})")
    env = dict(os.environ, PATH=ROOT_PATH)
    for k in ("SMTP_USER", "SMTP_PASSWORD"):
        env.pop(k, None)
    edited = False
    for line in (ln for block in blocks for ln in block):
        step = translate(line, root)
        if step:
            argv, privileged = step
            r = run(root.as_root(argv) if privileged else argv, env=env)
            check(r.returncode == 0, f"as documented: {line}{why(r, 'ran as: ', shlex.join(argv))}")
        if not edited and os.path.exists(root("/etc/mqlreport/secrets.env")):
            operator_edits(root, smtp.port, cert)
            edited = True
    check(edited, "the steps make /etc/mqlreport/secrets.env")

    # what the steps made
    user = root.user("mqlreport")
    check(user is not None and int(user[2]) < 1000 and user[5] == "/var/lib/mqlreport"
          and user[6] == "/usr/sbin/nologin", f"a system user mqlreport, home /var/lib/mqlreport, no login: {user}")
    uid, gid = (user[2], user[3]) if user else ("?", "?")
    for path, want in (("/var/lib/mqlreport", [uid, gid, "750"]), ("/etc/mqlreport/secrets.env", [uid, gid, "600"]),
                       ("/etc/mqlreport", ["0", "0", "755"])):
        got = root.owner_mode(path)
        check(got == want, f"{path}: owner, group and mode {want}: {got}")
    check(os.path.islink(root("/etc/systemd/system/timers.target.wants/mqlreport.timer")), "the timer is enabled")
    check(os.path.exists(root("/etc/cron.d/mqlreport")), "the cron file is in /etc/cron.d")
    check(not glob.glob(root("/var/lib/mqlreport/out/*/*")), "the check as the service's user writes no report")

    # the cron line, as cron runs it: /bin/sh, a bare environment, the secrets from the file
    with open(root("/etc/cron.d/mqlreport")) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip() and not ln.startswith("#")]
    fields = lines[0].split(None, 6) if len(lines) == 1 else []
    check(len(fields) == 7 and fields[5] == "mqlreport", f"one cron line, run as mqlreport: {lines}")
    command = into_root(fields[6], root) if fields else "false"
    cron_env = {"PATH": "/usr/bin:/bin", "SHELL": "/bin/sh", "LOGNAME": "mqlreport", "HOME": root("/var/lib/mqlreport")}
    cron_env.update((k, v) for k, v in os.environ.items() if k.endswith("SAN_OPTIONS"))
    r = run(["/bin/sh", "-c", command], env=cron_env)
    log = open(root("/var/lib/mqlreport/run.log")).read() if os.path.exists(root("/var/lib/mqlreport/run.log")) else ""
    check(r.returncode == 0, f"the cron line runs the report{why(r, log)}")
    check(smtp.rec.logins == [(SMTP_USER, SMTP_PASSWORD)],
          f"the cron line hands over the password exactly as written in secrets.env: {smtp.rec.logins}")
    check(len(smtp.rec.messages) == 1, "the report is e-mailed")
    weeks = glob.glob(root("/var/lib/mqlreport/out/*/metrics.json"))
    check(len(weeks) == 1, f"the outputs land in /var/lib/mqlreport/out/<week>/: {weeks}")
    check("outputs in" in log, "the run's log is appended to /var/lib/mqlreport/run.log")
    etc = sorted(os.listdir(root("/etc/mqlreport")))
    check(etc == ["mqlreport.ini", "secrets.env"] and not os.path.exists(root("/etc/out"))
          and not os.path.exists(root("/etc/cache")), f"the run writes nothing under /etc: {etc}")
    smtp.stop()
    return user


def unit(path):
    c = configparser.ConfigParser(strict=False, interpolation=None)
    c.optionxform = str
    c.read(path)
    return c


def check_units(root, user):
    need("systemd-analyze")
    units = root(PREFIX + "/lib/systemd/system")
    svc = unit(os.path.join(units, "mqlreport.service"))
    s = svc["Service"] if svc.has_section("Service") else {}
    exec_start = shlex.split(s.get("ExecStart", ""))
    check(exec_start[:1] == [PREFIX + "/bin/mqlreport"], f"ExecStart is the installed binary: {exec_start[:1]}")
    config = exec_start[exec_start.index("--config") + 1] if "--config" in exec_start else ""
    check(os.path.exists(root(config)), f"ExecStart's --config is the file the steps install: {config}")
    check(os.path.exists(root(s.get("EnvironmentFile", "-").lstrip("-"))),
          f"EnvironmentFile is the secrets file the steps make: {s.get('EnvironmentFile')}")
    name = user[0] if user else "?"
    home = user[5] if user else "?"
    check(s.get("User") == name and s.get("WorkingDirectory") == home,
          f"the service runs as the user the steps make, in its home: {s.get('User')}, {s.get('WorkingDirectory')}")
    with open(root("/etc/cron.d/mqlreport")) as f:
        cron = f.read()
    check(f" {PREFIX}/bin/mqlreport run --config {config} " in cron and f". {s.get('EnvironmentFile')} " in cron
          and f"cd {home} " in cron, "the cron line runs the same binary, configuration and secrets in the same folder")

    # verify resolves the units' dependencies (sysinit.target…) in the root
    r = run(["systemd-analyze", "verify", f"--root={root.path}", "--man=no", "mqlreport.service", "mqlreport.timer"])
    check(r.returncode == 0 and not (r.stdout + r.stderr).strip(),
          f"systemd-analyze verify accepts the installed units, without a warning {r.stdout}{r.stderr}")
    # and it would notice a binary that is not there
    os.rename(root(PREFIX + "/bin/mqlreport"), root(PREFIX + "/bin/mqlreport.away"))
    r = run(["systemd-analyze", "verify", f"--root={root.path}", "--man=no", "mqlreport.service"])
    os.rename(root(PREFIX + "/bin/mqlreport.away"), root(PREFIX + "/bin/mqlreport"))
    check(r.returncode != 0 and "mqlreport" in r.stderr, "systemd-analyze verify looks for ExecStart's binary in the root")


def main():
    tmp = tempfile.mkdtemp(prefix="mql-install-")
    try:
        root = Root(tmp)
        check_install(root)
        check_man(root)
        user = check_deploy(root)
        check_units(root, user)
    finally:
        # fakeroot's files may be owned by the service's uid when run as root
        shutil.rmtree(tmp, ignore_errors=True)
    check.done("install")


if __name__ == "__main__":
    main()
