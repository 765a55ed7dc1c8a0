"""A run stopped by a signal (a systemd stop, Ctrl-C, a closed terminal) ends
as a failed run: a log line naming the signal, its temp files removed, the
manifest written, the operator told, and the process still ended by that
signal, so that its scheduler sees it killed. `gen` and `score --out` stopped
while writing remove their unfinished files and say so. argv: mqlreport.
Servers (HTTPS, SMTP) run on 127.0.0.1 inside this test."""
import email
import email.policy
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import http_server  # noqa: E402
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from tlsutil import make_cert  # noqa: E402
from scratch import scratch  # noqa: E402

BIN = sys.argv[1]
W = opsrun.WEEK
OPERATOR = "oncall@example.com"
check = opsrun.Checks()

# The leads' download sends its headers and a first line, then holds the rest until the
# test lets it go: the run is inside the transfer, its temp file in the cache, when the
# signal comes.
HOLD = threading.Event()


def r_held_leads(h, n):
    h.send_response(200)
    h.send_header("Content-Type", "text/csv")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"lead_id,created_at,channel\r\n")
    h.wfile.flush()
    HOLD.wait(120)
    h.close_connection = True


http_server.ROUTES["/held-leads.csv"] = r_held_leads


def start(config):
    env = dict(os.environ, MQL_TEST_SMTP_USER=opsrun.SMTP_USER, MQL_TEST_SMTP_PASS=opsrun.SMTP_PASS, LC_ALL="C")
    return subprocess.Popen([BIN, "run", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env)


def wait_for(cond, timeout=60):
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if cond():
            return True
        time.sleep(0.05)
    return False


def stop(proc, sig):
    """Send sig; the run's output, how it ended and how long it took to end."""
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        outs = proc.communicate(timeout=60)
        end = ""
    except subprocess.TimeoutExpired:
        proc.kill()
        outs = proc.communicate()
        end = "\n(killed: it did not end within 60 s)"
    # what the pipes it has (stdout, stderr or both) took
    out = b"".join(o for o in outs if o).decode("utf-8", "replace") + end
    return out, proc.returncode, time.monotonic() - t0


def temp_files(folder):
    return [os.path.join(r, n) for r, dirs, files in os.walk(folder) for n in files + dirs
            if ".tmp." in n or ".staging-" in n]


def notices(smtp):
    return [raw for _, rcpt, raw in smtp.rec.messages if rcpt == [OPERATOR]]


def text_of(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    return str(msg["Subject"]), " ".join((body.get_content() if body else "").split())


def stopped_while_fetching(tmp, cert, web, smtp, sig):
    """A stop while a source downloads: nothing published, nothing left in the cache."""
    name = signal.Signals(sig).name
    d = os.path.join(tmp, "fetching-" + name)
    os.makedirs(d)
    fetch = {"ca_file": cert, "retries": "1", "backoff": "0.1", "low_speed_time": "60"}
    cfg = opsrun.write_config(d, email=opsrun.email_keys(smtp.port, cert), fetch=fetch,
                              sources={"leads": {"location": f"https://127.0.0.1:{web.port}/held-leads.csv"}})
    cache = os.path.join(d, "cache")
    web.reset()
    HOLD.clear()
    before = len(smtp.rec.messages)
    proc = start(cfg)
    inside = wait_for(lambda: web.requests_for("/held-leads.csv") and temp_files(cache))
    check(inside, f"{name}: the run is downloading into a temp file of the cache")
    out, rc, took = stop(proc, sig)
    HOLD.set()
    check(rc == -sig, f"{name}: the process ends by {name}, as the scheduler expects of a killed run ({rc})\n{out}")
    check(took < 30, f"{name}: it ends soon after the signal ({took:.1f} s)")
    check(f"{name} received while fetching" in out and f"stopped by {name}" in out,
          f"{name}: the log names the signal and what the run was doing\n{out}")
    check(not temp_files(d), f"{name}: no temp file or staging folder left: {temp_files(d)}")
    check(not os.path.exists(os.path.join(d, "out", W)), f"{name}: nothing published")
    failed = os.path.join(d, "out", f"{W}.failed.json")
    check(os.path.exists(failed), f"{name}: the failed run's manifest is beside the week's folder")
    if os.path.exists(failed):
        with open(failed) as f:
            man = json.load(f)
        check(man["exit_status"] == 128 + sig and name in (man["error"] or ""),
              f"{name}: the manifest records exit {128 + sig} and the signal: {man['exit_status']}, {man['error']}")
    new = smtp.rec.messages[before:]
    check(len(new) == 1 and new[0][1] == [OPERATOR], f"{name}: one notice to the operator, no report ({len(new)})")
    if new:
        subject, text = text_of(new[0][2])
        check(f"exit {128 + sig} (stopped by a signal)" in subject and f"stopped by {name}" in text
              and "No report was sent" in text and failed in text,
              f"{name}: the notice says the run was stopped, by what, and where its manifest is\n{subject}\n{text}")


def check_stopped(tmp, cert, web):
    """`check` downloads into the cache as a run does: a stop leaves no temp file there."""
    d = os.path.join(tmp, "check")
    os.makedirs(d)
    fetch = {"ca_file": cert, "retries": "1", "backoff": "0.1", "low_speed_time": "60"}
    cfg = opsrun.write_config(d, fetch=fetch,
                              sources={"leads": {"location": f"https://127.0.0.1:{web.port}/held-leads.csv"}})
    cache = os.path.join(d, "cache")
    web.reset()
    HOLD.clear()
    proc = subprocess.Popen([BIN, "check", "--config", cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check(wait_for(lambda: web.requests_for("/held-leads.csv") and temp_files(cache)),
          "check: it is downloading into a temp file of the cache")
    out, rc, took = stop(proc, signal.SIGTERM)
    HOLD.set()
    check(rc == -signal.SIGTERM and took < 30 and "stopped by SIGTERM" in out,
          f"check: it ends by SIGTERM, soon, saying so ({rc}, {took:.1f} s)\n{out}")
    check(not temp_files(d), f"check: no temp file left in the cache: {temp_files(d)}")


def check_connect_stopped(tmp, sig, server):
    """`check --connect` stopped while a server keeps it waiting (the SMTP server
    sends no greeting, [email] timeout 60 s; an HTTPS source's server accepts the
    connection and says nothing, [fetch] timeouts of minutes): it ends at once, by
    the signal, saying so, not at the end of the wait."""
    name = signal.Signals(sig).name
    d = os.path.join(tmp, f"check-connect-{server}-{name}")
    os.makedirs(d)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    port = silent.getsockname()[1]
    if server == "SMTP":
        cfg = opsrun.write_config(d, email=opsrun.email_keys(
            port, None, ca_file=None, username_env=None, password_env=None,
            starttls="never", timeout="60"))
        args = []
    else:
        cfg = opsrun.write_config(d, sources={"leads": {"location": f"https://127.0.0.1:{port}/leads.csv"}},
                                  fetch={"connect_timeout": "300", "timeout": "600"})
        args = ["--no-email"]
    proc = subprocess.Popen([BIN, "check", "--connect", *args, "--config", cfg], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=dict(os.environ, LC_ALL="C"))
    check(wait_for(lambda: accepted), f"check --connect {name}: it has connected to the {server} server")
    if server != "SMTP":
        time.sleep(0.3)  # into the TLS handshake it waits for
    out, rc, took = stop(proc, sig)
    silent.close()
    for c, _ in accepted:
        c.close()
    check(rc == -sig and took < 10 and f"check stopped by {name}" in out,
          f"check --connect {name}, {server}: it ends by {name}, soon, saying so ({rc}, {took:.1f} s)\n{out}")


def stopped_while_mailing(tmp, cert, key, sig):
    """A stop while the reports are e-mailed: the outputs stay published, the week is not
    marked sent, and the published manifest says the run was stopped."""
    name = signal.Signals(sig).name
    smtp = smtp_server.Server("stall:" + OPERATOR, cert, key)
    d = os.path.join(tmp, "mailing-" + name)
    os.makedirs(d)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(smtp.port, cert))
    proc = start(cfg)
    inside = wait_for(lambda: smtp.rec.data_attempts >= 1)
    check(inside, f"{name}: the run is sending the reports")
    # the server has read the whole message; its kernel's acknowledgement of the
    # last bytes may come a little later (a delayed ACK), and until it has, the
    # run rightly cannot know that the server took them all
    time.sleep(0.5)
    out, rc, took = stop(proc, sig)
    smtp.release()
    week = os.path.join(d, "out", W)
    check(rc == -sig, f"{name} while e-mailing: the process ends by {name} ({rc})\n{out}")
    check(took < 30, f"{name} while e-mailing: it ends soon after the signal ({took:.1f} s)")
    check(f"{name} received while e-mailing" in out, f"{name} while e-mailing: the log names the signal\n{out}")
    check(os.path.exists(os.path.join(week, "metrics.json")) and not os.path.exists(os.path.join(week, "delivery.ini")),
          f"{name} while e-mailing: the outputs stay published, the week is not marked sent")
    check(not temp_files(os.path.join(d, "out")), f"{name} while e-mailing: no temp file left")
    with open(os.path.join(week, "manifest.json")) as f:
        man = json.load(f)
    check(man["exit_status"] == 128 + sig and name in (man["error"] or "")
          and man["email"]["messages"] and man["email"]["messages"][0]["status"] == "failed",
          f"{name} while e-mailing: the published manifest records the stop and the unsent message: {man['email']}")
    sent = notices(smtp)
    reports = [m for m in smtp.rec.messages if m[1] != [OPERATOR]]
    check(len(sent) == 1 and not reports, f"{name} while e-mailing: a notice, no report accepted")
    if sent:
        subject, text = text_of(sent[0])
        # the server had taken the whole message when the signal came: it may deliver it
        check(f"exit {128 + sig}" in subject and "no report message reached the mail server" not in text
              and "The week's outputs were published in its folder. The report message may have "
              "reached its recipients all the same" in text
              and f"stopped by {name} after the server took the whole message; it may have been "
              "delivered all the same" in text,
              f"{name} while e-mailing: the notice says the outputs are published and the message "
              f"taken whole may have been delivered\n{text}")
    smtp.stop()


def notice_capped(tmp, cert, key):
    """A stop while a server holds its answer to the end of DATA, and holds the notice's
    too: the notice gets one try of at most 20 seconds (docs/operations.md, within
    systemd's 90), not the configured timeout nor libcurl's wait for the QUIT after it."""
    smtp = smtp_server.Server("stall", cert, key, hold=200)
    d = os.path.join(tmp, "notice-capped")
    os.makedirs(d)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(smtp.port, cert, timeout="60", retries="0"))
    proc = start(cfg)
    check(wait_for(lambda: smtp.rec.data_attempts >= 1), "notice cap: the run is sending the reports")
    out, rc, took = stop(proc, signal.SIGTERM)
    check(rc == -signal.SIGTERM and took < 20 + 15,
          f"notice cap: the run ends by SIGTERM within the notice's 20 s and a little "
          f"({rc}, {took:.1f} s)\n{out}")
    check(smtp.rec.data_attempts == 2 and "failure notice not sent" in out
          and "within 20 s, the most this session may last" in out,
          f"notice cap: the notice was tried once and the log says it ran out of time\n{out}")
    smtp.stop()


class HeldQueries(socketserver.ThreadingTCPServer):
    """A ClickHouse HTTP interface that takes every query and answers none
    (a long query; with wait_end_of_query the server sends nothing until it
    ends) until the test lets it go."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.seen = threading.Event()
        self.release = threading.Event()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.rfile.readline()
                outer.seen.set()
                outer.release.wait(120)

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def stopped_while_querying(tmp):
    """A stop while the engine path waits for a query's answer ends the run
    at once, not when the query (or its timeout) ends."""
    d = os.path.join(tmp, "querying")
    os.makedirs(d)
    srv = HeldQueries()
    cfg = opsrun.write_config(d)
    with open(cfg, "a") as f:
        f.write(f"\n[engine]\nkind = clickhouse\nurl = http://127.0.0.1:{srv.server_address[1]}/\n"
                "allow_http = true\ndatabase = mqlreport\ntimeout_s = 300\nretries = 0\n")
    proc = subprocess.Popen([BIN, "run", "--config", cfg, "--no-email"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=dict(os.environ, LC_ALL="C"))
    check(srv.seen.wait(60), "the run has sent a query to the engine")
    out, rc, took = stop(proc, signal.SIGTERM)
    srv.release.set()
    srv.shutdown()
    srv.server_close()
    check(rc == -signal.SIGTERM, f"the run ends by SIGTERM while a query is out ({rc})\n{out}")
    check(took < 30, f"it ends soon after the signal, not with the query ({took:.1f} s)")
    check("SIGTERM received while fetching and reading" in out and "stopped by SIGTERM" in out,
          f"the log names the signal and what the run was doing\n{out}")
    check(not os.path.exists(os.path.join(d, "out", W)), "nothing published")


def stopped_writing(args, folder, sig, what, attempts=3):
    """Start mqlreport args, send sig as soon as a temp file is in folder; the
    output, the exit status and the time to end, or None when every attempt
    ended before it began writing."""
    for _ in range(attempts):
        proc = subprocess.Popen([BIN] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=dict(os.environ, LC_ALL="C"))
        t = time.monotonic()
        while proc.poll() is None and not temp_files(folder) and time.monotonic() - t < 120:
            time.sleep(0.001)
        if proc.poll() is None and temp_files(folder):
            t0 = time.monotonic()
            proc.send_signal(sig)
            err = proc.communicate(timeout=120)[1].decode("utf-8", "replace")
            return err, proc.returncode, time.monotonic() - t0
        proc.communicate(timeout=120)
        print(f"note: {what} ended before the signal could be sent; again")
    return None


def ended_by(what, sig, got):
    """The standard error of `what`, which stopped_writing() stopped with
    sig, once checked that it ended by that signal soon after; None when
    the signal never came while it wrote."""
    name = signal.Signals(sig).name
    if not check(got is not None, f"{what} {name}: the signal came while {what} wrote its output"):
        return None
    err, rc, took = got
    check(rc == -sig, f"{what} {name}: it ends by {name}, as a killed command ({rc})\n{err}")
    check(took < 30, f"{what} {name}: it ends soon after the signal ({took:.1f} s)")
    return err


def gen_stopped(tmp, sig):
    """gen stopped while writing: none of its four files, and no temp file, left."""
    name = signal.Signals(sig).name
    out = os.path.join(tmp, "gen-" + name)
    got = stopped_writing(["gen", "--leads", "500000", "--seed", "3", "--out", out], out, sig, "gen")
    err = ended_by("gen", sig, got)
    if err is None:
        return
    left = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(not left, f"gen {name}: no file, unfinished or temporary, left in --out: {left}")
    check(f"gen: stopped by {name} while writing {out}" in err and "no file there was written" in err,
          f"gen {name}: it says that it stopped and what it left unwritten\n{err}")
    shutil.rmtree(out, ignore_errors=True)


def score_stopped(tmp):
    """score --out FILE stopped while writing: FILE as it was, no temp file beside it."""
    data = os.path.join(tmp, "score-data")
    subprocess.run([BIN, "gen", "--leads", "100000", "--seed", "5", "--weeks", "13", "--end-week", W,
                    "--out", data], check=True, stdout=subprocess.DEVNULL)
    folder = os.path.join(tmp, "scores")
    os.makedirs(folder)
    target = os.path.join(folder, "s.csv")
    with open(target, "w") as f:
        f.write("last week's scores\n")
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        got = stopped_writing(["score", "--data", data, "--week", W, "--out", target], folder, sig,
                              "score")
        err = ended_by("score", sig, got)
        if err is None:
            continue
        check(sorted(os.listdir(folder)) == ["s.csv"], f"score {name}: no temp file left: {os.listdir(folder)}")
        with open(target) as f:
            check(f.read() == "last week's scores\n", f"score {name}: the earlier file is kept as it was")
        check(f"score stopped by {name} while writing the scores: {target} was not written" in err,
              f"score {name}: it says that it stopped and what it left unwritten\n{err}")
    shutil.rmtree(data, ignore_errors=True)


def score_stopped_loading(tmp):
    """score stopped while it still reads a large data set ends soon after
    the signal, as it does between leads, rather than when the reading is
    done: the same message and the same end by the signal."""
    data = os.path.join(tmp, "score-large")
    folder = os.path.join(tmp, "scores-large")
    os.makedirs(folder)
    target = os.path.join(folder, "s.csv")
    args = [BIN, "score", "--data", data, "--week", W, "--out", target]
    env = dict(os.environ, LC_ALL="C")
    # how long the reading takes here (until the scores' temp file appears),
    # on a data set large enough for a second of it
    for leads in ("500000", "1000000"):
        subprocess.run([BIN, "gen", "--leads", leads, "--seed", "7", "--weeks", "13", "--end-week", W,
                        "--out", data, "--force"], check=True, stdout=subprocess.DEVNULL)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        t = time.monotonic()
        while proc.poll() is None and not temp_files(folder) and time.monotonic() - t < 120:
            time.sleep(0.005)
        loading = time.monotonic() - t
        proc.communicate(timeout=120)
        os.unlink(target)
        if loading >= 1.0:
            break
    if not check(loading >= 1.0, f"score: the reading takes {loading:.2f} s, 1 s at least, so that a "
                 "stop while reading is told from one after it"):
        return
    # in the leads' file, then in the events' (read by two threads); the
    # reading ends at about 0.6 of that time, the scoring takes the rest
    for sig, at in ((signal.SIGINT, 0.1), (signal.SIGTERM, 0.25)):
        name = signal.Signals(sig).name
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        time.sleep(loading * at)
        reading = proc.poll() is None and not temp_files(folder)
        err, _, took = stop(proc, sig)
        if not check(reading, f"score {name}: the signal came while score read the data set"):
            continue
        check(proc.returncode == -sig, f"score {name}: it ends by {name}, as a killed command "
              f"({proc.returncode})\n{err}")
        # a stop that waited for the reading's end took what was left of it
        check(took < loading * 0.2, f"score {name}: it ends soon after the signal, while reading "
              f"({took:.2f} s; the reading takes {loading:.2f} s)")
        check(f"score stopped by {name} before writing the scores: no file written" in err
              and "stopped while reading" not in err,
              f"score {name}: it says that it stopped and wrote nothing, as between leads\n{err}")
        check(os.listdir(folder) == [], f"score {name}: nothing left in the folder: {os.listdir(folder)}")
    # run and check read the same way: stopped in the events' file, they end
    # within a chunk of it, saying when, not once the reading is done
    out = os.path.join(tmp, "run-large")
    for cmd, sig, says in (("run", signal.SIGTERM, "stopped by SIGTERM while fetching and reading the sources"),
                           ("check", signal.SIGINT, "check stopped by SIGINT")):
        proc = subprocess.Popen([BIN, cmd, "--data", data, "--week", W, "--no-email", "--out", out],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        time.sleep(loading * 0.3)
        running = proc.poll() is None
        err, _, took = stop(proc, sig)
        if not check(running, f"{cmd}: the signal came while it read the data set"):
            continue
        check(proc.returncode == -sig and says in err,
              f"{cmd}: it ends by the signal, saying so ({proc.returncode})\n{err}")
        check(took < loading * 0.2, f"{cmd}: it ends soon after the signal, while reading "
              f"({took:.2f} s; the reading takes {loading:.2f} s)")
        check(not os.path.exists(out), f"{cmd}: nothing published in {out}")
    shutil.rmtree(data, ignore_errors=True)


def main():
    tmp = scratch("mql-stop-")
    for sig in (signal.SIGINT, signal.SIGTERM):
        gen_stopped(tmp, sig)
    score_stopped(tmp)
    score_stopped_loading(tmp)
    stopped_while_querying(tmp)
    cert, key = make_cert(tmp)
    web = http_server.Server(cert, key)
    smtp = smtp_server.Server("ok", cert, key)
    for sig in (signal.SIGTERM, signal.SIGINT):
        stopped_while_fetching(tmp, cert, web, smtp, sig)
    check_stopped(tmp, cert, web)
    for sig in (signal.SIGTERM, signal.SIGINT):
        check_connect_stopped(tmp, sig, "SMTP")
        check_connect_stopped(tmp, sig, "HTTPS")
    stopped_while_mailing(tmp, cert, key, signal.SIGTERM)
    notice_capped(tmp, cert, key)
    web.stop()
    smtp.stop()
    check.done("stop")


if __name__ == "__main__":
    main()
