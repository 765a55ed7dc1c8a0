"""An SMTP step that times out is named, with the limit that ended it: the
retry's log line names the step, not the last reply before it. argv:
mqlreport smtp_driver. The servers on 127.0.0.1 go silent at a chosen
step."""
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402

BIN, DRIVER = sys.argv[1], sys.argv[2]
check = opsrun.Checks()


class SilentAt:
    """Plain SMTP (no TLS, no AUTH) that says nothing more once the client
    reaches `step` ("greeting": not even a greeting; else a command verb)
    in its first `stalls` sessions, and serves the later ones whole."""

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


def main():
    # RCPT TO unanswered once, then served: the retry's line names that step and
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

    check.done("smtp steps")


if __name__ == "__main__":
    main()
