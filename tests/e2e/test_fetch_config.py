"""What the real binary says when fetching or its settings go wrong: each
message names where the configuration sets it and what to change.

1. a fetch that fails (404, a server that never answers, a body that
   stalls, a closed port, a certificate no CA vouches for) names the
   configuration file and line of the source's URL, its [source.X] group,
   and the setting that ended it (timeout, low_speed_time, ca_file) or the
   fix (404: the export's URL changed);
2. a ca_file that cannot be read or holds no PEM certificate, and an
   http:// URL without allow_http, stop check and run with exit 78 naming
   the file, line and key, before any request;
3. credentials over plain http:// (allow_http) are refused, 78, and
   nothing reaches the server;
4. run names an unset credential variable as check does: file, line, key;
5. a cache folder this user cannot write (root's, after a check as root)
   is exit 73 naming the folder, its owner and the fix, not a failed
   server (69); check as root warns that it leaves the cache root's;
6. [scoring] threshold and half_life_days in the file, when the MQLs come
   from the export, are warned of as --threshold is, with their line;
7. a [lock] path this user cannot make is named with its line;
8. out = ~/reports is refused (78) rather than making a folder named "~";
9. an [engine] ca_file is checked as a source's.

The runs that file modes must bind are made as nobody when this is root
(setpriv). argv: mqlreport."""
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
from tlsutil import make_cert  # noqa: E402

BIN = sys.argv[1]
EVENTS = os.path.join(opsrun.FIXTURE, "events.csv")
TOKEN = "t0ken-n3ver-in-the-clear"
check = opsrun.Checks()
ROOT = os.geteuid() == 0
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] if ROOT else []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        srv = self.server
        with srv.lock:
            srv.requests.append((self.path, self.headers.get("Authorization")))
        if self.path == "/events.csv":
            body = open(EVENTS, "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/hang.csv":  # never a status line
            time.sleep(8)
            self.close_connection = True
        elif self.path == "/stall.csv":  # a few bytes, then nothing
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"lead_id,")
            self.wfile.flush()
            time.sleep(8)
            self.close_connection = True
        else:
            self.send_response(404)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")


class Web(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cert=None, key=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests = []
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.socket = ctx.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path):
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}{path}"


def mqlreport(cmd, config, *args, env=None, prefix=(), cwd=None):
    e = dict(os.environ, LC_ALL="C")
    e.update(env or {})
    p = subprocess.run([*prefix, BIN, cmd, "--config", config, *args], capture_output=True,
                       env=e, timeout=120, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def line_of(path, text):
    """The 1-based line of path that starts with text."""
    with open(path) as f:
        for no, line in enumerate(f, 1):
            if line.startswith(text):
                return no
    raise AssertionError(f"{path}: no line starting with {text!r}")


def config(folder, events, fetch_lines=(), extra=""):
    """folder/mqlreport.ini with the events at `events` (its [source.events]
    keys after the location: fetch_lines) and the other sources local."""
    os.makedirs(folder, exist_ok=True)
    path = opsrun.write_config(folder, sources={"events": {"location": events}})
    text = open(path).read().replace(f"location = {events}\n",
                                     f"location = {events}\n" + "".join(f"{k}\n" for k in fetch_lines))
    with open(path, "w") as f:
        f.write(text + extra)
    return path


def fetch_failures(tmp, web, cert):
    """1: each failure names the file and line of the URL and what to change."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    cases = [
        # name, URL, keys, words the message must hold besides the place
        ("404", web.url("/moved.csv"), [],
         ["HTTP 404", "the export's URL changed; set the new one in [source.events]"]),
        ("a server that never answers", web.url("/hang.csv"), ["timeout = 2"],
         ["did not end within timeout = 2 seconds", "raise timeout in [source.events] (or [fetch])"]),
        ("a stalled body", web.url("/stall.csv"), ["low_speed_time = 1", "timeout = 20"],
         ["low_speed_time = 1 seconds", "raise low_speed_time in [source.events] (or [fetch])"]),
        ("a closed port", f"https://127.0.0.1:{port}/events.csv", [],
         ["nothing answers at that address", "check the URL's host and port"]),
        ("an untrusted certificate", web.url("/events.csv"), [],
         ["the server's certificate is not trusted", "[source.events] ca_file"]),
    ]
    for name, url, keys, words in cases:
        d = os.path.join(tmp, "fail-" + name.replace(" ", "-"))
        ca = [] if name == "an untrusted certificate" else [f"ca_file = {cert}"]
        cfg = config(d, url, ["retries = 0", *ca, *keys])
        where = f"{cfg}:{line_of(cfg, 'location = ' + url)}: [source.events] location: "
        for cmd in ("check", "run"):
            rc, out = mqlreport(cmd, cfg, "--no-email")
            check(rc == 69 and where in out and all(w in out for w in words),
                  f"{name}: {cmd} exits 69 naming {where!r} and {words}\n{out}")


def refused_before_fetching(tmp, web, plain, cert):
    """2 and 3: settings refused with their line, before any request."""
    missing = os.path.join(tmp, "private-ca.pem")  # never written
    d = os.path.join(tmp, "cafile")
    cfg = config(d, web.url("/events.csv"), ["ca_file = private-ca.pem"])
    web.requests.clear()
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email")
        want = (f"{cfg}:{line_of(cfg, 'ca_file')}: [source.events] ca_file: "
                f"{os.path.join(d, 'private-ca.pem')}: cannot be read")
        check(rc == 78 and want in out, f"an unreadable ca_file: {cmd} exits 78 with {want!r}\n{out}")
    check(not web.requests, f"an unreadable ca_file: no request is made ({web.requests})")
    check(not os.path.exists(missing), "the missing bundle stays missing")
    # a folder and a FIFO in its place: refused alike, the FIFO without waiting for a writer
    for name, why in (("ca-folder", "Is a directory"), ("ca-fifo", "not a regular file")):
        path = os.path.join(d, name)
        if name == "ca-folder":
            os.mkdir(path)
        else:
            os.mkfifo(path)
        cfg = config(d, web.url("/events.csv"), [f"ca_file = {name}"])
        rc, out = mqlreport("check", cfg, "--no-email")
        want = f"[source.events] ca_file: {path}: cannot be read: {why}"
        check(rc == 78 and want in out, f"a ca_file that is a {name[3:]}: check exits 78 with "
              f"{want!r} ({rc})\n{out}")
    check(not web.requests, f"a ca_file of no file: no request is made ({web.requests})")
    # a file that can be read but holds no PEM certificate: the CA in DER, a text file
    for name, pem in (("private-ca.der", "private-ca.pem"), ("ca-notes.txt", "ca-notes.txt.pem")):
        path = os.path.join(d, name)
        write_not_pem(cert, path)
        cfg = config(d, web.url("/events.csv"), [f"ca_file = {name}"])
        for cmd in ("check", "run"):
            rc, out = mqlreport(cmd, cfg, "--no-email")
            want = f"{cfg}:{line_of(cfg, 'ca_file')}: [source.events] ca_file: {path} holds no PEM certificate"
            how = f"openssl x509 -inform der -in {path} -out {os.path.join(d, pem)}"
            check(rc == 78 and want in out and how in out,
                  f"a ca_file {name}: {cmd} exits 78 with {want!r} and {how!r} ({rc})\n{out}")
    check(not web.requests, f"a ca_file with no PEM certificate: no request is made ({web.requests})")

    d = os.path.join(tmp, "nohttp")
    url = plain.url("/events.csv")
    cfg = config(d, url)
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email")
        want = f"{cfg}:{line_of(cfg, 'location = http://')}: [source.events] location: plain http:// is not fetched"
        check(rc == 78 and want in out and "allow_http = true" in out,
              f"http:// without allow_http: {cmd} exits 78 with {want!r}\n{out}")

    # a token, a basic login, and a [fetch] token that every source gets
    variants = [
        ("a bearer token", ["allow_http = true", "bearer_token_env = MQL_TEST_TOKEN"], "", "bearer_token_env"),
        ("a basic login", ["allow_http = true", "basic_user_env = MQL_TEST_TOKEN",
                           "basic_password_env = MQL_TEST_TOKEN"], "", "basic_user_env"),
        ("a token of [fetch]", ["allow_http = true"], "[fetch]\nbearer_token_env = MQL_TEST_TOKEN\n",
         "bearer_token_env"),
    ]
    for name, keys, extra, key in variants:
        d = os.path.join(tmp, "clear-" + key + str(len(extra)))
        cfg = config(d, url, keys, extra)
        group = "fetch" if extra else "source.events"
        plain.requests.clear()
        for cmd in ("check", "run"):
            rc, out = mqlreport(cmd, cfg, "--no-email", env={"MQL_TEST_TOKEN": TOKEN})
            want = (f"{cfg}:{line_of(cfg, key)}: [{group}] {key}: credentials are never sent in "
                    f"the clear")
            check(rc == 78 and want in out and "https://" in out and TOKEN not in out,
                  f"{name} over http://: {cmd} exits 78 with {want!r}\n{out}")
        check(not plain.requests, f"{name} over http://: nothing reaches the server ({plain.requests})")


def unset_secret(tmp, web, cert):
    """4: run names the unset variable as check does."""
    d = os.path.join(tmp, "unset")
    cfg = config(d, web.url("/events.csv"), [f"ca_file = {cert}", "bearer_token_env = MQL_TEST_UNSET"])
    want = (f"{cfg}:{line_of(cfg, 'bearer_token_env')}: [source.events] bearer_token_env: the "
            f"environment variable MQL_TEST_UNSET is not set or empty")
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email", env={"MQL_TEST_UNSET": ""})
        check(rc == 78 and want in out, f"an unset token: {cmd} exits 78 with {want!r}\n{out}")


def cache_folder(tmp, web, cert):
    """5: a cache folder of another user's (or a read-only one) is 73."""
    d = os.path.join(tmp, "cache")
    os.makedirs(d)
    cfg = config(d, web.url("/events.csv"), [f"ca_file = {cert}"])
    cache = os.path.join(d, "cache")
    if ROOT:
        os.chmod(tmp, 0o755)
        shutil.chown(d, "nobody")
        os.chmod(cert, 0o644)
        # root checks once in the service user's folder: said, and the cache is root's
        rc, out = mqlreport("check", cfg, "--no-email")
        check(rc == 0 and f"warning: {cache}: the fetch cache is written as root, in a folder of nobody's" in out
              and f"chown -R nobody '{cache}'" in out,
              f"a check as root warns that the cache it writes is root's ({rc})\n{out}")
        check(os.stat(cache).st_uid == 0, "the check as root left the cache root's")
        owner, fix = "root", f"as root, give it to the user the runs are made as: chown -R nobody '{cache}'"
    else:
        os.makedirs(cache)
        os.chmod(cache, 0o555)
        me = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        owner, fix = me, f"chmod u+rwx '{cache}'"
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email", prefix=AS_NOBODY)
        check(rc == 73 and f"{cache}: the fetch cache folder cannot be written by this user" in out
              and f"belongs to {owner}" * ROOT in out and fix in out
              and f"([report] cache_dir, {cfg}:{line_of(cfg, 'cache_dir')})" in out,
              f"an unwritable cache folder: {cmd} exits 73 naming it, its owner and the fix ({rc})\n{out}")
    failed = os.path.join(d, "out", f"{opsrun.WEEK}.failed.json")
    status = json.load(open(failed)).get("exit_status") if os.path.exists(failed) else None
    check(status == 73, f"the failed run's manifest says 73, not a failed server ({status})")


def scoring_in_file(tmp):
    """6: [scoring] threshold and half_life_days of the file, under export MQLs."""
    d = os.path.join(tmp, "scoring")
    cfg = config(d, EVENTS, extra="[scoring]\nthreshold = 90\nhalf_life_days = 14\n")
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email")
        want = (f"warning: {cfg}:{line_of(cfg, 'threshold')}: [scoring] threshold and half_life_days "
                f"change the score, but the MQLs come from the leads export's mql_at column")
        check(rc == 0 and want in out and "mql_source = score" in out,
              f"[scoring] in the file: {cmd} warns {want!r} ({rc})\n{out}")
    # the option overrides the file's threshold: only half_life_days is the file's
    rc, out = mqlreport("check", cfg, "--threshold", "70")
    check(rc == 0 and f"{cfg}:{line_of(cfg, 'half_life_days')}: [scoring] half_life_days changes the score" in out,
          f"--threshold over the file's: the file's half_life_days is still named\n{out}")
    cfg2 = config(os.path.join(tmp, "scoring2"), EVENTS)
    rc, out = mqlreport("check", cfg2)
    check(rc == 0 and "[scoring]" not in out, f"no [scoring] group: nothing said\n{out}")


def lock_path(tmp):
    """7: a [lock] path this user cannot make names the setting."""
    d = os.path.join(tmp, "lock")
    os.makedirs(d)
    shut = os.path.join(tmp, "shut")
    os.makedirs(shut)
    os.chmod(shut, 0o555)  # nobody (or this user, when not root) cannot write it
    cfg = config(d, EVENTS, extra=f"[lock]\npath = {shut}/run/mqlreport.lock\n")
    if ROOT:
        os.chmod(tmp, 0o755)
        shutil.chown(d, "nobody")
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email", prefix=AS_NOBODY)
        want = f"([lock] path, {cfg}:{line_of(cfg, 'path =')}, chose this lock file"
        check(rc == 73 and want in out and "beside the output folder" not in out,
              f"an unusable [lock] path: {cmd} exits 73 with {want!r} ({rc})\n{out}")


def write_not_pem(cert, path):
    """path: the certificate at cert in DER when path ends in .der, else a
    line of text; neither holds a PEM certificate."""
    with open(cert) as f:
        pem = f.read()
    with open(path, "wb") as f:
        f.write(ssl.PEM_cert_to_DER_cert(pem) if path.endswith(".der") else b"the CA of the exports\n")


def engine_ca_file(tmp, cert):
    """9: an [engine] ca_file is checked as a source's: one that cannot be
    read (missing, a folder) or holds no PEM certificate stops check with
    78 naming the file, line and key, before any connection; a PEM bundle
    passes."""
    d = os.path.join(tmp, "engine-ca")
    os.makedirs(os.path.join(d, "a-folder.pem"))
    write_not_pem(cert, os.path.join(d, "cluster-ca.der"))
    write_not_pem(cert, os.path.join(d, "cluster-ca.txt"))
    cases = [
        ("missing.pem", ": cannot be read: No such file or directory"),
        ("a-folder.pem", ": cannot be read: Is a directory"),
        ("cluster-ca.der", " holds no PEM certificate"),
        ("cluster-ca.txt", " holds no PEM certificate"),
    ]
    for name, why in cases:
        extra = f"\n[engine]\nkind = clickhouse\nurl = https://127.0.0.1:9/\nca_file = {name}\n"
        cfg = config(d, EVENTS, extra=extra)
        path = os.path.join(d, name)
        for cmd in ("check", "run"):
            rc, out = mqlreport(cmd, cfg, "--no-email")
            want = f"{cfg}:{line_of(cfg, 'ca_file')}: [engine] ca_file: {path}{why}"
            check(rc == 78 and want in out and "127.0.0.1:9" not in out,
                  f"[engine] ca_file {name}: {cmd} exits 78 with {want!r}, before any connection ({rc})\n{out}")
    check(not os.path.exists(os.path.join(d, "out")), "[engine] ca_file refused: nothing published")
    shutil.copy(cert, os.path.join(d, "cluster-ca.pem"))
    cfg = config(d, EVENTS, extra="\n[engine]\nca_file = cluster-ca.pem\n")
    rc, out = mqlreport("check", cfg, "--no-email")
    check(rc == 0 and "ca_file" not in out, f"[engine] ca_file, a PEM bundle: check passes ({rc})\n{out}")


def tilde_out(tmp):
    """8: a ~ in a path is refused, not made a folder."""
    d = os.path.join(tmp, "tilde")
    os.makedirs(d)
    cfg = config(d, EVENTS)
    text = open(cfg).read().replace(f"out = {os.path.join(d, 'out')}", "out = ~/reports")
    with open(cfg, "w") as f:
        f.write(text)
    for cmd in ("check", "run"):
        rc, out = mqlreport(cmd, cfg, "--no-email", cwd=d)
        want = f"{cfg}:{line_of(cfg, 'out =')}: [report] out: \"~/reports\": a path starting with ~ is not expanded"
        check(rc == 78 and want in out, f"out = ~/reports: {cmd} exits 78 with {want!r}\n{out}")
    check(not os.path.exists(os.path.join(d, "~")), "no folder named ~ is made")


def main():
    tmp = tempfile.mkdtemp(prefix="mql-fetchcfg-")
    cert, key = make_cert(tmp)
    web, plain = Web(cert, key), Web()
    try:
        fetch_failures(tmp, web, cert)
        refused_before_fetching(tmp, web, plain, cert)
        unset_secret(tmp, web, cert)
        cache_folder(tmp, web, cert)
        scoring_in_file(tmp)
        lock_path(tmp)
        tilde_out(tmp)
        engine_ca_file(tmp, cert)
    finally:
        web.shutdown()
        plain.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    check.done("fetch and configuration message")


if __name__ == "__main__":
    main()
