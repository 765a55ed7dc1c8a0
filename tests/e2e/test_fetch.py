"""Fetching sources over HTTPS against a scripted server on 127.0.0.1.

argv: mqlreport fetch_driver. The driver calls fetch_to_file() with the
config's fetch keys; each case states what the server does and what must
happen (exit status, attempts, what lands at DEST)."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
from http_server import CSV, Server  # noqa: E402
import onterm  # noqa: E402
from tlsutil import make_cert  # noqa: E402
from scratch import scratch  # noqa: E402

DRIVER = sys.argv[2]
TOKEN = "s3cr3t-T0KEN-do-not-log"
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    else:
        print("ok:  ", what)


def fetch(url, dest, *opts, env_extra=None):
    env = dict(os.environ, MQL_TEST_TOKEN=TOKEN, MQLREPORT_HTTP_DEBUG="1")
    env.update(env_extra or {})
    t0 = time.monotonic()
    p = subprocess.run([DRIVER, url, dest, *opts], capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace"), time.monotonic() - t0


def main():
    tmp = scratch("mql-fetch-")
    cert, key = make_cert(tmp)
    srv = Server(cert, key)
    base = f"https://127.0.0.1:{srv.port}"
    common = [f"ca_file={cert}", "backoff=0.1", "retries=3", "bearer_token_env=MQL_TEST_TOKEN"]

    # (name, path, extra options, expected exit, expected requests, dest holds CSV afterwards)
    # Expected values by hand from the scenarios in http_server.py:
    cases = [
        # 500 once, then 200: one retry, two requests, the CSV lands
        ("500 then 200 is retried", "/flaky500", [], 0, 2, True),
        # 429 + Retry-After: 2 then 200: two requests, >= 2 s apart (checked below)
        ("429 with Retry-After waits", "/ratelimit", [], 0, 2, True),
        # 401 always: not retried, one request, exit 69
        ("401 is not retried", "/auth", [], 69, 1, False),
        # 404: not retried
        ("404 is not retried", "/notfound", [], 69, 1, False),
        # Content-Length 96, 40 bytes then close: retried (transient) and every
        # attempt is cut short: 1 + 3 retries = 4 requests, exit 69, no file
        ("a body cut short is detected", "/truncated", [], 69, 4, False),
        # the first answer stalls after 10 bytes; low_speed_time=1 aborts it
        # and the retry gets the whole body: 2 requests
        ("a stalled body times out and is retried", "/stall", ["low_speed_time=1", "low_speed_limit=100"], 0, 2, True),
        # a gzip-encoded body is decoded, and its Content-Length (of the gzip
        # bytes) is not mistaken for a short body
        ("a gzip-encoded body", "/gzip", [], 0, 1, True),
        # HTML with status 200: rejected, not retried
        ("an HTML page with 200 is rejected", "/html", [], 69, 1, False),
        ("an HTML page labelled text/csv is rejected", "/html-as-csv", [], 69, 1, False),
        # an API's JSON error with status 200 (by its type, or by its first
        # byte under a CSV label): the source did not deliver, not retried
        ("a JSON error with 200 is rejected", "/json-error", [], 69, 1, False),
        ("a JSON error labelled text/csv is rejected", "/json-as-csv", [], 69, 1, False),
        # 4 MiB chunked body over a 100000-byte cap: stopped in the write callback
        ("the size cap stops a chunked body", "/big", ["max_bytes=100000"], 69, 1, False),
        # a chunked body that ends before its last chunk: retried, every
        # attempt cut short
        ("a chunked body cut short is detected", "/chunked-cut", [], 69, 4, False),
        # 304 to a request without a validator: a fault of the server, not retried
        ("304 to an unconditional request", "/not-modified", [], 69, 1, False),
        # a redirect to plain http is refused (the hop is not followed)
        ("a redirect to http:// is refused", "/redirect-http", [], 69, 1, False),
    ]
    for name, path, extra, want_rc, want_n, want_file in cases:
        srv.reset()
        dest = os.path.join(tmp, path.strip("/") + ".csv")
        rc, out, _ = fetch(base + path, dest, *common, *extra)
        reqs = srv.requests_for(path)
        check(rc == want_rc, f"{name}: exit {rc}, want {want_rc}\n{out}")
        check(len(reqs) == want_n, f"{name}: {len(reqs)} requests, want {want_n}")
        if want_file:
            check(os.path.exists(dest) and open(dest, "rb").read() == CSV, f"{name}: DEST holds the export")
        else:
            check(not os.path.exists(dest), f"{name}: nothing written at DEST")
        check(not [f for f in os.listdir(tmp) if ".tmp." in f], f"{name}: no temp file left behind")
        check(TOKEN not in out, f"{name}: the token appears in no output")
        if path == "/ratelimit" and len(reqs) == 2:
            gap = reqs[1]["t"] - reqs[0]["t"]
            check(gap >= 1.9, f"{name}: waited {gap:.2f} s for Retry-After: 2")
        if path == "/json-error":
            check('returned JSON (Content-Type "application/json; charset=utf-8")' in out
                  and '{"error": {"code": 401, "message": "token [redacted] expired"}}' in out,
                  f"{name}: the message shows the type and the body, the echoed token redacted\n{out}")
        if path == "/json-as-csv":
            check('returned JSON (Content-Type "text/csv")' in out and '{"errors": [{"message": "export not found"}]}' in out,
                  f"{name}: the message shows the type and the body from its first byte on\n{out}")
        if path == "/chunked-cut":
            # not "of -1 bytes"; a bare "-1" would also match the temporary
            # folder's random name in the debug log ("mql-fetch-16m5…")
            check("body cut short after 40 bytes, before its end" in out and "-1 bytes" not in out,
                  f"{name}: the message says how much came, without a length never given\n{out}")
        if path == "/not-modified":
            check("HTTP 304 Not Modified to a request that asked for the whole export" in out,
                  f"{name}: the message says what was wrong\n{out}")
        if path == "/auth" and reqs:
            check(reqs[0]["headers"].get("authorization") == "Bearer " + TOKEN,
                  "the bearer token is sent to the configured host")
            check("[redacted]" in out, "the debug log shows the Authorization header redacted")

    # a URL's user and password are never logged, libcurl's own notes included
    srv.reset()
    rc, out, _ = fetch(f"https://logname:logpass@127.0.0.1:{srv.port}/auth",
                       os.path.join(tmp, "userinfo.csv"), *common)
    check("logname" not in out and "logpass" not in out and "with user [redacted]" in out,
          f"a URL's user:password@ is in no log line ({rc})\n{out}")

    # a failing fetch leaves an earlier copy at DEST untouched
    srv.reset()
    dest = os.path.join(tmp, "kept.csv")
    with open(dest, "wb") as f:
        f.write(b"old,export\r\n1,2\r\n")
    rc, out, _ = fetch(base + "/html", dest, *common)
    check(rc == 69 and open(dest, "rb").read() == b"old,export\r\n1,2\r\n", "a rejected body leaves the old DEST as it was")

    # conditional request: the first fetch stores the ETag, the second gets 304
    srv.reset()
    dest = os.path.join(tmp, "cached", "leads.csv")
    rc1, out1, _ = fetch(base + "/etag", dest, *common, "cache=1")
    st1 = os.stat(dest)
    rc2, out2, _ = fetch(base + "/etag", dest, *common, "cache=1")
    reqs = srv.requests_for("/etag")
    check(rc1 == 0 and rc2 == 0, f"cache: both fetches succeed ({rc1}, {rc2})\n{out1}{out2}")
    check(len(reqs) == 2 and "if-none-match" not in reqs[0]["headers"], "cache: the first request is unconditional")
    check(len(reqs) == 2 and reqs[1]["headers"].get("if-none-match") == '"v1-abc"',
          "cache: the second request sends If-None-Match with the stored ETag")
    check(open(dest, "rb").read() == CSV and os.stat(dest).st_mtime_ns == st1.st_mtime_ns,
          "cache: after the 304 the cached export is the one served, untouched")
    check("not modified" in out2, "cache: the log says the cached copy is used")

    # without an ETag, Last-Modified drives the conditional request
    srv.reset()
    dest = os.path.join(tmp, "cached", "events.csv")
    rc1, _, _ = fetch(base + "/lastmod", dest, *common, "cache=1")
    rc2, out2, _ = fetch(base + "/lastmod", dest, *common, "cache=1")
    reqs = srv.requests_for("/lastmod")
    check(rc1 == 0 and rc2 == 0 and len(reqs) == 2
          and reqs[1]["headers"].get("if-modified-since") == "Sun, 22 Nov 2026 23:00:00 GMT"
          and "not modified" in out2 and open(dest, "rb").read() == CSV,
          "cache: If-Modified-Since with the stored Last-Modified, then the cached copy")
    # a server that ignores If-Modified-Since and answers 200: its body is
    # the export, not a 304 the log would make up
    srv.reset()
    dest = os.path.join(tmp, "cached", "ignored.csv")
    fetch(base + "/lastmod-ignored", dest, *common, "cache=1")
    rc, out, _ = fetch(base + "/lastmod-ignored", dest, *common, "cache=1")
    reqs = srv.requests_for("/lastmod-ignored")
    check(rc == 0 and len(reqs) == 2 and "if-modified-since" in reqs[1]["headers"]
          and "not modified" not in out and "HTTP 200" in out
          and open(dest, "rb").read() == b"id,n\r\n1,2\r\n",
          f"cache: a 200 to a conditional request replaces the cached copy ({rc})\n{out}")
    # another URL at the same DEST does not use the first URL's validators
    srv.reset()
    rc, _, _ = fetch(base + "/etag?other=1", dest, *common, "cache=1")
    reqs = srv.requests_for("/etag")
    check(rc == 0 and reqs and "if-none-match" not in reqs[0]["headers"]
          and "if-modified-since" not in reqs[0]["headers"], "cache: validators belong to their URL")

    # redirects: same host keeps the token, another host never gets it
    for path, host_header_has_token in (("/redirect-same-host", True), ("/redirect-other-host", False)):
        srv.reset()
        dest = os.path.join(tmp, path.strip("/") + ".csv")
        rc, out, _ = fetch(base + path, dest, *common)
        hop = srv.requests_for("/ok")
        check(rc == 0 and len(hop) == 1, f"{path}: followed to /ok ({rc})\n{out}")
        if hop:
            check(("authorization" in hop[0]["headers"]) == host_header_has_token,
                  f"{path}: Authorization {'kept' if host_header_has_token else 'dropped'} on the hop")

    # TLS verification is on: without the test CA the handshake fails, not retried (a retry
    # would wait 60 s first; the bound leaves room for a slow machine)
    srv.reset()
    dest = os.path.join(tmp, "tls.csv")
    rc, out, took = fetch(base + "/ok", dest, "backoff=60", "retries=3", env_extra={"CURL_CA_BUNDLE": ""})
    check(rc == 69 and took < 30, f"TLS failure: exit 69 at once, not retried ({rc}, {took:.1f} s)\n{out}")
    check(not srv.requests_for("/ok"), "TLS failure: no request reached the server")

    # plain http is refused unless the config allows it
    plain = Server()
    try:
        dest = os.path.join(tmp, "plain.csv")
        rc, out, _ = fetch(f"http://127.0.0.1:{plain.port}/ok", dest)
        check(rc == 78 and not plain.requests_for("/ok"), f"http:// without allow_http: exit 78, no request ({rc})")
        rc, out, _ = fetch(f"http://127.0.0.1:{plain.port}/ok", dest, "allow_http=true")
        check(rc == 0 and open(dest, "rb").read() == CSV, f"http:// with allow_http=true is fetched ({rc})\n{out}")
    finally:
        plain.stop()

    # the progress bar: drawn on a terminal, never into a pipe or a log
    dest = os.path.join(tmp, "progress.csv")
    rc, tty_out = onterm.on_tty([DRIVER, base + "/ok", dest, f"ca_file={cert}", "progress=1"], timeout=60)
    # the last frame shows the bar full, the 98 bytes of the export and a rate
    check(rc == 0 and b"\r" in tty_out and b"[####################] 98 B" in tty_out
          and b"B/s" in tty_out,
          f"on a terminal a progress bar is drawn: {tty_out[:200]!r}")
    rc, out, _ = fetch(base + "/ok", dest, f"ca_file={cert}", "progress=1")
    check(rc == 0 and "\r" not in out and "HTTP 200" in out, "into a pipe: plain log lines, no bar")

    # a credential variable named in the config but unset: a config error
    rc, out, _ = fetch(base + "/ok", os.path.join(tmp, "x.csv"), f"ca_file={cert}",
                       "bearer_token_env=MQL_TEST_NO_SUCH_VAR")
    check(rc == 78 and "MQL_TEST_NO_SUCH_VAR" in out, f"unset token variable: exit 78 naming it ({rc})")

    # a destination whose folder cannot be made (a file is in the way): 73
    # naming the folder, before anything is requested
    srv.reset()
    blocker = os.path.join(tmp, "a-file")
    with open(blocker, "w") as f:
        f.write("x")
    rc, out, _ = fetch(base + "/ok", os.path.join(blocker, "sub", "x.csv"), f"ca_file={cert}")
    check(rc == 73 and "cannot create the folder" in out and blocker in out
          and not srv.requests_for("/ok"),
          f"an uncreatable destination folder: exit 73 naming it, nothing requested ({rc}: {out.strip()})")

    srv.stop()
    if FAILS:
        print(f"{len(FAILS)} check(s) failed")
        sys.exit(1)
    print("all fetch checks passed")


if __name__ == "__main__":
    main()
