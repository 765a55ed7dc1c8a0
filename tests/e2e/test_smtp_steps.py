"""An SMTP step that times out is named, with the limit that ended it: the
retry's log line names the step, not the last reply before it; a server
silent from the start is said to send no greeting (in a run's send and in
`check --connect`); a stall before the login that the fixed 30-second cap
cut is said so, not blamed on [email] timeout; and the timeout ends the
wait within a few hundred ms of it, not a second or two later. argv: mqlreport
smtp_driver. The servers on 127.0.0.1 go silent at a chosen step."""
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
from scratch import scratch  # noqa: E402

BIN, DRIVER = sys.argv[1], sys.argv[2]
check = opsrun.Checks()


class SilentAt:
    """Plain SMTP (no TLS, no AUTH) that says nothing more once the client
    reaches `step` ("greeting": not even a greeting; "end": the end of the
    message, taken whole; else a command verb) in its first `stalls`
    sessions, and serves the later ones whole."""

    def __init__(self, step, stalls=1000):
        self.step, self.stalls = step, stalls
        self.sessions = 0
        self.accepted = 0  # messages answered 250 at the end of DATA
        self.release = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.sessions += 1
            threading.Thread(target=self.session, args=(c, self.sessions <= self.stalls),
                             daemon=True).start()

    def session(self, c, stall):
        f = c.makefile("rb")
        try:
            if stall and self.step == "greeting":
                self.release.wait(200)
                return
            c.sendall(b"220 steps.example ESMTP\r\n")
            while True:
                line = f.readline()
                if not line:
                    return
                verb = line[:4].upper().decode("ascii", "replace")
                if stall and verb == self.step:
                    self.release.wait(200)
                    return
                if verb == "EHLO":
                    c.sendall(b"250-steps.example\r\n250 SIZE 1000000\r\n")
                elif verb == "DATA":
                    c.sendall(b"354 go ahead\r\n")
                    while f.readline() not in (b".\r\n", b""):
                        pass
                    if stall and self.step == "end":
                        self.release.wait(200)
                        return
                    self.accepted += 1
                    c.sendall(b"250 2.0.0 Ok: queued as STEP1\r\n")
                elif verb == "QUIT":
                    c.sendall(b"221 bye\r\n")
                    return
                else:
                    c.sendall(b"250 ok\r\n")
        except OSError:
            pass
        finally:
            c.close()

    def stop(self):
        self.release.set()
        self.sock.close()


def send(port, timeout, retries=0):
    """The driver's exit status, output and time taken."""
    t0 = time.monotonic()
    p = subprocess.run([DRIVER, f"smtp://127.0.0.1:{port}", "2000", str(timeout), str(retries)],
                       capture_output=True, timeout=120)
    out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    return p.returncode, out, time.monotonic() - t0


def probe(tmp, name, port, timeout):
    """`check --connect` against the server: exit status, output, time taken."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(
        port, None, ca_file=None, username_env=None, password_env=None, starttls="never",
        timeout=str(timeout)))
    t0 = time.monotonic()
    p = subprocess.run([BIN, "check", "--connect", "--config", cfg], capture_output=True,
                       timeout=120, env=dict(os.environ, LC_ALL="C"))
    out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    return p.returncode, out, time.monotonic() - t0


def in_thread(fn, *args):
    """Start fn(*args) in a thread; the returned function waits for its result."""
    box = []
    t = threading.Thread(target=lambda: box.append(fn(*args)), daemon=True)
    t.start()
    return lambda: (t.join(), box[0])[1]


def main():
    tmp = scratch("mql-smtp-steps-")
    # the two stalls that the 30-s cap cuts run meanwhile
    late_ehlo_srv, late_greet_srv = SilentAt("EHLO"), SilentAt("greeting")
    late_ehlo = in_thread(send, late_ehlo_srv.port, 45)
    late_greet = in_thread(probe, tmp, "late-greeting", late_greet_srv.port, 45)

    # 1. RCPT TO unanswered once, then served: the retry's line names that step and
    # its limit, not the server's last reply before it ("250 ok")
    srv = SilentAt("RCPT", stalls=1)
    rc, out, took = send(srv.port, 2, retries=1)
    check(rc == 0 and srv.accepted == 1 and srv.sessions == 2,
          f"a RCPT TO left unanswered once: retried and delivered ({rc}, {srv.sessions} sessions)\n{out}")
    check(f'mqlreport: e-mail: the SMTP server 127.0.0.1:{srv.port} did not answer '
          '"RCPT TO:<ceo@example.com>" within 2 s ([email] timeout); retry 1 of 1 in 0.1 s' in out
          and "250 ok" not in out,
          f"the retry's line names the step that timed out and its limit\n{out}")
    srv.stop()

    # 2. no greeting at all: said so, in a send and in check --connect, not blamed on EHLO
    srv = SilentAt("greeting")
    rc, out, took = send(srv.port, 2)
    check(rc == 69 and f"the SMTP server 127.0.0.1:{srv.port} sent no greeting within 2 s "
          "([email] timeout)" in out and "EHLO" not in out and "check [email] smtp_url" in out,
          f"a send to a server silent from the start: no greeting, and where to look ({rc})\n{out}")
    rc, out, took = probe(tmp, "no-greeting", srv.port, 2)
    check(rc == 69 and f"the SMTP server 127.0.0.1:{srv.port} sent no greeting within 2 s "
          "([email] timeout)" in out and "EHLO" not in out,
          f"check --connect to a server silent from the start: no greeting ({rc})\n{out}")
    srv.stop()

    # 3. a stall before the login, [email] timeout 45 s: the connection's fixed cap of 30 s
    # ends it, and the message names that cap, not the 45-s timeout
    rc, out, took = late_ehlo()
    check(rc == 69 and f'the SMTP server 127.0.0.1:{late_ehlo_srv.port} did not answer "EHLO'
          in out and "within 30 s, the most the connection, its greeting and the login may take"
          in out and "45 s" not in out and took < 30 + 10,
          f"EHLO unanswered, timeout 45: the 30-s cap named ({rc}, {took:.1f} s)\n{out}")
    rc, out, took = late_greet()
    check(rc == 69 and f"the SMTP server 127.0.0.1:{late_greet_srv.port} sent no greeting within "
          "30 s, the most the connection, its greeting and the login may take" in out
          and "45 s" not in out and took < 30 + 10,
          f"check --connect, no greeting, timeout 45: the 30-s cap named ({rc}, {took:.1f} s)\n{out}")
    late_ehlo_srv.stop()
    late_greet_srv.stop()

    # 4. the timeout ends the wait on time, not a second or two after it: at the end of
    # the message (the bytes' last acknowledgement is when the server last took some),
    # and before any reply
    for step in ("end", "greeting", "RCPT"):
        srv = SilentAt(step)
        rc, out, took = send(srv.port, 2)
        check(rc == 69 and "within 2 s ([email] timeout)" in out and 2 <= took < 2 + 0.9,
              f"silent at {step}: ended within a few hundred ms of the 2-s timeout "
              f"({rc}, {took:.2f} s)\n{out}")
        srv.stop()

    check.done("smtp steps")


if __name__ == "__main__":
    main()
