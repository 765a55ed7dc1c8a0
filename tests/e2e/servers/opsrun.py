"""Shared by the operations tests: a config file for a run against the
fixture of tests/fixtures/ops, and running the real binary."""
import os
import subprocess

TESTS = os.environ.get("MQL_TESTS_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(TESTS, "fixtures", "ops")
WEEK = "2026-W47"
SMTP_USER = "report-bot"
SMTP_PASS = "pa55-w0rd-never-logged"


def write_config(folder, email=None, sources=None, fetch=None, lock=None, report=None):
    """Write folder/mqlreport.ini; email/sources/fetch/report: dicts of keys
    to add or override (sources: {"leads": {"location": …}}; report: a key
    set to None is left out, as {"out": None} for the default folder)."""
    keys = {"timezone": "UTC", "week": WEEK, "out": os.path.join(folder, "out"),
            "cache_dir": os.path.join(folder, "cache")}
    keys.update(report or {})
    lines = ["[report]"] + [f"{k} = {v}" for k, v in keys.items() if v is not None] + [""]
    for src in ("leads", "events", "spend"):
        keys = {"location": os.path.join(FIXTURE, f"{src}.csv")}
        keys.update((sources or {}).get(src, {}))
        lines.append(f"[source.{src}]")
        lines += [f"{k} = {v}" for k, v in keys.items()]
        lines.append("")
    if fetch:
        lines.append("[fetch]")
        lines += [f"{k} = {v}" for k, v in fetch.items()]
        lines.append("")
    if email is not None:
        lines.append("[email]")
        lines += [f"{k} = {v}" for k, v in email.items() if v is not None]
        lines.append("")
    if lock:
        lines += ["[lock]", f"path = {lock}", ""]
    path = os.path.join(folder, "mqlreport.ini")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def email_keys(port, cert, **over):
    keys = {
        "smtp_url": f"smtp://127.0.0.1:{port}",
        "from": "reports@example.com",
        "to": "ceo@example.com, cmo@example.com",
        "cc": "archive@example.com",
        "username_env": "MQL_TEST_SMTP_USER",
        "password_env": "MQL_TEST_SMTP_PASS",
        "ca_file": cert,
        "retries": "2",
        "backoff": "0.1",
        "timeout": "20",
        "operator": "oncall@example.com",
    }
    keys.update(over)
    return keys


def run(binary, config, *args, env=None, timeout=120, cwd=None):
    e = dict(os.environ, MQL_TEST_SMTP_USER=SMTP_USER, MQL_TEST_SMTP_PASS=SMTP_PASS, LC_ALL="C")
    e.update(env or {})
    p = subprocess.run([binary, "run", "--config", config, *args], capture_output=True, env=e, timeout=timeout,
                       cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def snapshot(folder):
    """{relative path: bytes} of every file under folder."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


class Checks:
    def __init__(self):
        self.fails = []

    def __call__(self, cond, what):
        """Record the check; returns cond, so that checks that need it can follow."""
        print(("ok:   " if cond else "FAIL: ") + what)
        if not cond:
            self.fails.append(what)
        return cond

    def done(self, name):
        if self.fails:
            print(f"{len(self.fails)} check(s) failed")
            raise SystemExit(1)
        print(f"all {name} checks passed")


def ini_line(path, group, key):
    """The 1-based line of key in [group] of the INI file at path."""
    inside = False
    with open(path) as f:
        for no, line in enumerate(f, 1):
            s = line.strip()
            if s.startswith("["):
                inside = s == f"[{group}]"
            elif inside and s.split("=", 1)[0].strip() == key:
                return no
    raise AssertionError(f"{key} not in [{group}] of {path}")
