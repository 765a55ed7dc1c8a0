"""Unattended runs: the lock, failed runs that change nothing, idempotent
reruns, fetching through a run, the shipped schedule units.
argv: mqlreport. Servers (HTTPS, SMTP) run on 127.0.0.1 inside this test."""
import configparser
import email
import email.policy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import http_server  # noqa: E402
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from tlsutil import make_cert  # noqa: E402
from scratch import scratch  # noqa: E402

BIN = sys.argv[1]
SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.dirname(opsrun.TESTS)
W = opsrun.WEEK
TOKEN = "crm-T0KEN-4f8a-never-in-logs"
check = opsrun.Checks()

with open(os.path.join(opsrun.FIXTURE, "leads.csv"), "rb") as f:
    LEADS = f.read()


def r_leads(h, n):
    tag = '"leads-v1"'
    if h.headers.get("If-None-Match") == tag:
        h.send_response(304)
        h.send_header("ETag", tag)
        h.send_header("Content-Length", "0")
        h.end_headers()
    else:
        h._send(200, LEADS, extra={"ETag": tag})


# The slow leads are held until the test lets them go, so that a run fetching them holds
# the lock for as long as the test needs, however slow the machine.
SLOW_GO = threading.Event()


def r_slow_leads(h, n):
    SLOW_GO.wait(120)
    h._send(200, LEADS)


def r_secure_leads(h, n):
    if h.headers.get("Authorization") == "Bearer " + TOKEN + "-valid":
        h._send(200, LEADS)
    else:
        h._send(401, b"token " + h.headers.get("Authorization", "").encode() + b" refused", "text/plain")


def r_broken_csv(h, n):
    # an unterminated quote: the file is not CSV, and the parse error names it
    h._send(200, b'lead_id,created_at\nL1,"2026-03-02T09:00:00Z\n')


http_server.ROUTES.update({"/leads.csv": r_leads, "/slow-leads.csv": r_slow_leads, "/secure-leads.csv": r_secure_leads,
                           "/broken.csv": r_broken_csv})


def start(config, *args):
    env = dict(os.environ, MQL_TEST_SMTP_USER=opsrun.SMTP_USER, MQL_TEST_SMTP_PASS=opsrun.SMTP_PASS)
    return subprocess.Popen([BIN, "run", "--config", config, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)


def wait_for_request(srv, path, timeout=10):
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if srv.requests_for(path):
            return True
        time.sleep(0.05)
    return False


def notice_text(raw):
    """A notice's subject and plain-text body."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    return str(msg["Subject"]) + "\n" + (body.get_content() if body else "")


def reports_sent(smtp):
    return [m for m in smtp.rec.messages if m[1] != ["oncall@example.com"]]


def notices(smtp):
    return [m for m in smtp.rec.messages if m[1] == ["oncall@example.com"]]


def main():
    tmp = scratch("mql-sched-")
    cert, key = make_cert(tmp)
    web = http_server.Server(cert, key)
    smtp = smtp_server.Server("ok", cert, key)
    base = f"https://127.0.0.1:{web.port}"
    fetch = {"ca_file": cert, "retries": "1", "backoff": "0.1", "low_speed_time": "2"}

    # --- the lock: a second run during a first exits 75 at once ---
    d = os.path.join(tmp, "lock")
    os.makedirs(d)
    patient = dict(fetch, low_speed_time="30")
    slow = opsrun.write_config(d, sources={"leads": {"location": base + "/slow-leads.csv"}}, fetch=patient)
    SLOW_GO.clear()
    first = start(slow, "--no-email")
    check(wait_for_request(web, "/slow-leads.csv", timeout=60), "the first run is fetching")
    t0 = time.monotonic()
    rc, out = opsrun.run(BIN, slow, "--no-email")
    took = time.monotonic() - t0
    SLOW_GO.set()
    # a second run that waited for the lock would wait for the first's leads: 120 s
    check(rc == 75 and took < 30, f"a second run exits 75 at once ({rc}, {took:.1f} s)\n{out}")
    check("lock" in out, "the second run says another run holds the lock")
    first_out = first.communicate(timeout=60)[0].decode()
    check(first.returncode == 0, f"the first run finishes normally ({first.returncode})\n{first_out}")

    # a crashed run's lock frees itself
    web.reset()
    SLOW_GO.clear()
    crashed = start(slow, "--no-email")
    check(wait_for_request(web, "/slow-leads.csv", timeout=60), "a run is fetching when it is killed")
    os.kill(crashed.pid, signal.SIGKILL)
    crashed.wait()
    SLOW_GO.set()
    rc, out = opsrun.run(BIN, opsrun.write_config(d, fetch=fetch), "--no-email")
    check(rc == 0, f"after a killed run the next run takes the lock ({rc})\n{out}")

    # --- a failing run publishes nothing and leaves last week's folder byte-identical ---
    d = os.path.join(tmp, "failing")
    os.makedirs(d)
    email = opsrun.email_keys(smtp.port, cert)
    good = opsrun.write_config(d, email=email)
    rc, out = opsrun.run(BIN, good)
    week_dir = os.path.join(d, "out", W)
    check(rc == 0 and len(reports_sent(smtp)) == 1, f"a good run publishes and sends ({rc})\n{out}")
    before = opsrun.snapshot(week_dir)
    check(len(before) >= 5, f"the week's folder holds the outputs: {sorted(before)}")

    bad_csv = os.path.join(d, "no_created_at.csv")
    with open(bad_csv, "w") as f:
        f.write("lead_id,channel\nL1,paid_search\n")
    # (name, leads source, extra keys for the source, expected exit)
    cases = [
        ("a body cut short", base + "/truncated", {}, 69),
        ("an HTML page with 200", base + "/html", {}, 69),
        ("a 500 that does not go away", base + "/always500", {}, 69),
        ("a 404", base + "/notfound", {}, 69),
        ("a 401", base + "/secure-leads.csv", {"bearer_token_env": "MQL_TEST_CRM_TOKEN"}, 69),
        # an API's error payload instead of the export: the source is unavailable (69), not
        # bad data (65); the payload echoes the token, which no line may show
        ("a JSON error with 200", base + "/json-error", {"bearer_token_env": "MQL_TEST_CRM_TOKEN"}, 69),
        ("a file lacking a required column", bad_csv, {}, 65),
        # the URL's query holds the token: the parse error must name the URL without it
        ("a fetched body that is not CSV", base + "/broken.csv?api_key=" + TOKEN, {}, 65),
    ]
    for name, loc, extra, want in cases:
        web.reset()
        sent_before, notices_before = len(reports_sent(smtp)), len(notices(smtp))
        src = {"location": loc}
        src.update(extra)
        cfg = opsrun.write_config(d, email=email, sources={"leads": src}, fetch=fetch)
        rc, out = opsrun.run(BIN, cfg, "--resend", env={"MQL_TEST_CRM_TOKEN": TOKEN, "MQLREPORT_HTTP_DEBUG": "1"})
        check(rc == want, f"{name}: exit {rc}, want {want}\n{out}")
        check(opsrun.snapshot(week_dir) == before, f"{name}: last week's folder is byte-identical")
        check(not [n for n in os.listdir(os.path.join(d, "out")) if "staging" in n or ".tmp." in n],
              f"{name}: no staging folder or temp file left")
        check(len(reports_sent(smtp)) == sent_before, f"{name}: no report sent (even with --resend)")
        check(len(notices(smtp)) == notices_before + 1, f"{name}: the operator gets a notice")
        failed = os.path.join(d, "out", f"{W}.failed.json")
        check(os.path.exists(failed), f"{name}: the failed run's manifest is beside the folder")
        if os.path.exists(failed):
            with open(failed) as f:
                man = json.load(f)
            check(man["exit_status"] == want and man["error"], f"{name}: the manifest records exit {want} and why")
        everything = out + "".join(m[2].decode("utf-8", "replace") for m in notices(smtp))
        everything += open(failed).read() if os.path.exists(failed) else ""
        check(TOKEN not in everything, f"{name}: the token appears in no log, manifest or notice")
        if "JSON" in name:
            notice = notice_text(notices(smtp)[-1][2]) if notices(smtp) else ""
            check('returned JSON (Content-Type "application/json; charset=utf-8")' in out
                  and "token [redacted] expired" in out and "CSV" in out,
                  f"{name}: the message says what came back and what to check\n{out}")
            check("exit 69" in notice, f"{name}: the notice says exit 69")
        if "401" in name:
            reqs = web.requests_for("/secure-leads.csv")
            check(len(reqs) == 1, f"a 401 is not retried ({len(reqs)} requests)")
    # the next good run clears the failed manifest
    good = opsrun.write_config(d, email=email)
    rc, out = opsrun.run(BIN, good)
    check(rc == 0 and not os.path.exists(os.path.join(d, "out", f"{W}.failed.json")),
          f"a good run removes the stale failed manifest ({rc})")

    # --- an output folder that cannot be written: the run fails with 73 and the operator
    # hears of it like of any other failure (the lock file cannot be made there either) ---
    d = os.path.join(tmp, "unwritable")
    os.makedirs(d)
    blocker = os.path.join(d, "a-file")  # a file where a folder should be: not even root writes under it
    with open(blocker, "w") as f:
        f.write("not a folder\n")
    readonly = os.path.join(d, "read-only")
    os.makedirs(readonly)
    os.chmod(readonly, 0o555)
    unwritable = [("the configured out under a file", {"out": os.path.join(blocker, "out")}, []),
                  ("--out under a file", {}, ["--out", os.path.join(blocker, "week")])]
    if os.geteuid() != 0:  # root writes into a 0555 folder: there the file above stands in for it
        unwritable.append(("--out under a read-only folder", {}, ["--out", os.path.join(readonly, "week")]))
    for name, report, args in unwritable:
        notices_before = len(notices(smtp))
        cfg = opsrun.write_config(d, email=email, report=report)
        rc, out = opsrun.run(BIN, cfg, *args)
        check(rc == 73, f"{name}: exit 73 ({rc})\n{out}")
        new = notices(smtp)[notices_before:]
        check(len(new) == 1, f"{name}: the operator gets a notice ({len(new)})\n{out}")
        if new:
            text = notice_text(new[0][2])
            check(f"week {W}, exit 73" in text and ("a-file" in text or "read-only" in text),
                  f"{name}: the notice names the week, the exit status and the folder")
        check("failure notice sent" in out, f"{name}: the log says the notice went out")
    os.chmod(readonly, 0o755)

    # --- idempotent reruns: same inputs and week, the same bytes; not re-sent ---
    d = os.path.join(tmp, "idem")
    os.makedirs(d)
    cfg = opsrun.write_config(d, email=email)
    pin = {"SOURCE_DATE_EPOCH": "1795400000"}
    sent0 = len(reports_sent(smtp))
    rc1, out1 = opsrun.run(BIN, cfg, env=pin)
    first = opsrun.snapshot(os.path.join(d, "out", W))
    rc2, out2 = opsrun.run(BIN, cfg, env=pin)
    second = opsrun.snapshot(os.path.join(d, "out", W))
    check(rc1 == 0 and rc2 == 0, f"two runs of one week succeed ({rc1}, {rc2})")
    reports = [n for n in first if n not in ("manifest.json", "delivery.ini")]
    check(len(reports) == 4, f"four reports: {sorted(reports)}")
    for n in reports:
        check(first[n] == second.get(n), f"rerun: {n} is regenerated byte for byte")
    check(len(reports_sent(smtp)) == sent0 + 1, "rerun: the week is sent once")
    check(first.get("delivery.ini") == second.get("delivery.ini"), "rerun: the sent-state is unchanged")

    # --- fetching through a run: the second run is served from the cache (304) ---
    d = os.path.join(tmp, "cache")
    os.makedirs(d)
    web.reset()
    cfg = opsrun.write_config(d, sources={"leads": {"location": base + "/leads.csv"}}, fetch=fetch)
    rc1, out1 = opsrun.run(BIN, cfg, "--no-email", env=pin)
    m1 = open(os.path.join(d, "out", W, "metrics.json"), "rb").read() if rc1 == 0 else b""
    rc2, out2 = opsrun.run(BIN, cfg, "--no-email", env=pin)
    m2 = open(os.path.join(d, "out", W, "metrics.json"), "rb").read() if rc2 == 0 else b"?"
    reqs = web.requests_for("/leads.csv")
    check(rc1 == 0 and rc2 == 0, f"runs with an HTTPS source succeed ({rc1}, {rc2})\n{out1}\n{out2}")
    check(len(reqs) == 2 and reqs[1]["headers"].get("if-none-match") == '"leads-v1"',
          "the second run asks with If-None-Match")
    check("not modified" in out2 and m1 == m2, "the unchanged export is served from the cache: same metrics")
    with open(os.path.join(d, "out", W, "manifest.json")) as f:
        man = json.load(f)
    leads_in = [i for i in man["inputs"] if i["source"] == "leads"]
    check(leads_in and leads_in[0]["bytes"] == len(LEADS), "the manifest counts the fetched bytes")

    # --- a URL with user info and a query (a '?', not a glob): a good run
    # and a check name it without them, in every line they print ---
    web.reset()
    secret = base.replace("https://", "https://crmuser:" + TOKEN + "@") + "/leads.csv?api_key=" + TOKEN
    cfg = opsrun.write_config(d, sources={"leads": {"location": secret}}, fetch=fetch)
    rc, out = opsrun.run(BIN, cfg, "--no-email", "--resend")
    check(rc == 0 and len(web.requests_for("/leads.csv")) == 1,
          f"a URL with a query is fetched, not matched as a glob ({rc})\n{out}")
    check(TOKEN not in out, "a good run's log shows the URL without its user info and query")
    p = subprocess.run([BIN, "check", "--config", cfg], capture_output=True, text=True, timeout=120)
    check(TOKEN not in p.stdout + p.stderr, "check's output shows it without them too")

    # --- the shipped schedule ---
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.optionxform = str
    timer.read(os.path.join(SRC, "config", "mqlreport.timer"))
    check(timer.get("Timer", "Persistent", fallback="") == "true", "the timer is Persistent=true")
    cal = timer.get("Timer", "OnCalendar", fallback="")
    check(cal.startswith("Mon "), f"the timer fires on Mondays: {cal}")
    analyze = shutil.which("systemd-analyze")
    check(analyze, "systemd-analyze is installed (./test.sh installs systemd)")
    if analyze:
        p = subprocess.run(["systemd-analyze", "calendar", cal], capture_output=True, text=True)
        check(p.returncode == 0, f"systemd accepts OnCalendar={cal}")
    svc = configparser.ConfigParser(strict=False, interpolation=None)
    svc.optionxform = str
    svc.read(os.path.join(SRC, "config", "mqlreport.service"))
    exec_start = svc.get("Service", "ExecStart", fallback="")
    check(svc.get("Service", "Type", fallback="") == "oneshot" and " run " in exec_start and "--week last" in exec_start,
          f"the service runs `mqlreport run --week last` once: {exec_start}")
    check(timer.get("Timer", "Unit", fallback="mqlreport.service") == "mqlreport.service", "the timer starts the service")
    with open(os.path.join(SRC, "config", "mqlreport.cron")) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip() and not ln.startswith("#")]
    fields = lines[0].split(None, 6) if lines else []
    check(len(lines) == 1 and fields[:5] == ["0", "6", "*", "*", "1"] and "mqlreport run" in fields[6]
          and "--week last" in fields[6], f"the cron line runs Mondays at 06:00: {lines}")
    # the log takes the shell's words too: a secrets file missing or broken
    # says so in run.log, not only in cron's mail; the line run by sh with
    # its paths moved into a folder of the test's own
    if len(fields) == 7:
        d = tempfile.mkdtemp(prefix="mql-cron-")
        try:
            with open(os.path.join(d, "secrets.env"), "w") as f:
                f.write("CRM_TOKEN='unterminated\n")
            line = (fields[6].replace("/var/lib/mqlreport", d)
                    .replace("/etc/mqlreport/secrets.env", os.path.join(d, "secrets.env")))
            p = subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=60)
            log = os.path.join(d, "run.log")
            said = open(log).read() if os.path.exists(log) else ""
            check(p.returncode != 0 and "secrets.env" in said and not p.stderr,
                  f"a broken secrets file is told in run.log ({p.returncode}, {said!r}, {p.stderr!r})")
        finally:
            shutil.rmtree(d, ignore_errors=True)

    web.stop()
    smtp.stop()
    check.done("schedule")


if __name__ == "__main__":
    main()
