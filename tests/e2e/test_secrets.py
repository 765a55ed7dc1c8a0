"""A secret from the environment with a line break in it is refused, never
sent: in an HTTP header a CR/LF ends the header and starts another (header
injection), in SMTP it ends the AUTH command. Every credential variable is
checked: the fetch's bearer token, basic user and password and custom header
value, and the SMTP user and password; `run` and `check` exit 78 naming the
variable, the value appears in no output, and nothing reaches the server.
(A NUL cannot occur: the environment holds C strings.)

usage: test_secrets.py MQLREPORT FETCH_DRIVER"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
from http_server import Server  # noqa: E402
from tlsutil import make_cert  # noqa: E402

BIN, DRIVER = sys.argv[1], sys.argv[2]
EVIL = "s3cr3t\r\nX-Injected: yes"
FAILS = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)


def run(argv, env_extra):
    env = dict(os.environ, LC_ALL="C", MQL_TEST_GOOD="fine-value", **env_extra)
    p = subprocess.run(argv, capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def fetch_cases(tmp, cert, key):
    srv = Server(cert, key)
    url = f"https://127.0.0.1:{srv.port}/ok"
    common = [f"ca_file={cert}", "retries=0"]
    cases = [
        ("bearer token", ["bearer_token_env=MQL_TEST_EVIL"]),
        ("basic user", ["basic_user_env=MQL_TEST_EVIL", "basic_password_env=MQL_TEST_GOOD"]),
        ("basic password", ["basic_user_env=MQL_TEST_GOOD", "basic_password_env=MQL_TEST_EVIL"]),
        ("custom header", ["header_name=X-Api-Key", "header_value_env=MQL_TEST_EVIL"]),
    ]
    for name, opts in cases:
        for evil in (EVIL, "s3cr3t\n", "s3cr3t\rX: y"):
            srv.reset()
            dest = os.path.join(tmp, "x.csv")
            rc, out = run([DRIVER, url, dest, *common, *opts], {"MQL_TEST_EVIL": evil})
            check(rc == 78 and "MQL_TEST_EVIL" in out and "line break" in out,
                  f"fetch, {name} {evil!r}: exit 78 naming the variable ({rc}: {out.strip()[:300]})")
            check(not srv.requests_for("/ok"), f"fetch, {name}: nothing sent")
            check("s3cr3t" not in out, f"fetch, {name}: the value appears in no output")
    srv.reset()
    rc, out = run([DRIVER, url, os.path.join(tmp, "y.csv"), *common, "bearer_token_env=MQL_TEST_GOOD"], {})
    check(rc == 0 and len(srv.requests_for("/ok")) == 1, f"a one-line token is sent ({rc})")
    srv.stop()


def smtp_cases(tmp, cert):
    for var, key in (("MQL_TEST_SMTP_USER", "username_env"), ("MQL_TEST_SMTP_PASS", "password_env")):
        d = os.path.join(tmp, key)
        os.makedirs(d)
        # port 9: nothing listens; the refusal comes before any connection
        cfg = opsrun.write_config(d, email=opsrun.email_keys(9, cert))
        env = {"MQL_TEST_SMTP_USER": opsrun.SMTP_USER, "MQL_TEST_SMTP_PASS": opsrun.SMTP_PASS,
               var: "report-bot\r\nRSET"}
        rc, out = run([BIN, "check", "--config", cfg], env)
        check(rc == 78 and var in out and key in out and "line break" in out,
              f"check, SMTP {key}: exit 78 naming {var} ({rc}: {out.strip()[-300:]})")
        rc, out = run([BIN, "run", "--config", cfg], env)
        check(rc == 78 and var in out and "line break" in out,
              f"run, SMTP {key}: exit 78 naming {var} ({rc}: {out.strip()[-300:]})")
        check("RSET" not in out, f"run, SMTP {key}: the value appears in no output")
        # unset: a run stops before it reads or publishes, naming the file's
        # line as check does (found at the send, the week was out unsent)
        env = {"MQL_TEST_SMTP_USER": opsrun.SMTP_USER, "MQL_TEST_SMTP_PASS": opsrun.SMTP_PASS}
        del env[var]
        rc, out = run([BIN, "run", "--config", cfg], env)
        check(rc == 78 and f"[email] {key}: the environment variable {var} is not set or empty" in out
              and f"{cfg}:" in out and not os.path.exists(os.path.join(d, "out")),
              f"run, SMTP {key} unset: exit 78 before publishing, naming the line ({rc}: {out.strip()[-300:]})")
    d = os.path.join(tmp, "fetchcfg")
    os.makedirs(d)
    cfg = opsrun.write_config(d, sources={"leads": {"location": "https://127.0.0.1:9/leads.csv"}},
                              fetch={"bearer_token_env": "MQL_TEST_EVIL", "ca_file": cert})
    rc, out = run([BIN, "check", "--config", cfg], {"MQL_TEST_EVIL": EVIL})
    check(rc == 78 and "MQL_TEST_EVIL" in out and "line break" in out,
          f"check, a fetched source's token: exit 78 naming the variable ({rc}: {out.strip()[-300:]})")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = make_cert(tmp)
        fetch_cases(tmp, cert, key)
        smtp_cases(tmp, cert)
    if FAILS:
        print(f"{len(FAILS)} failed")
        sys.exit(1)


main()
