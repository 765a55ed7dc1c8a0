"""A message's upload and [email] timeout: the timeout bounds each step the
server leaves silent, not the whole session, so a large message that a slow
server keeps taking is delivered however long it takes, and one the server
stops taking fails soon after the timeout. argv: mqlreport smtp_driver. The
server on 127.0.0.1 reads the message at a set rate (a slow link), and may
stop reading after some bytes."""
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402

DRIVER = sys.argv[2]
check = opsrun.Checks()


class SlowReader:
    """Plain SMTP (no TLS, no AUTH) that reads DATA at `rate` bytes a second,
    stops reading after `stop_at` bytes (0: never) and records what it got."""

    def __init__(self, rate, stop_at=0):
        self.rate, self.stop_at = rate, stop_at
        self.received = []  # bytes of each message, counted up to the end of DATA
        self.release = threading.Event()
        self.sock = socket.socket()
        # a small receive buffer: the client's bytes move only as fast as they are read
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
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
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        buf = b""

        def line():
            nonlocal buf
            while b"\n" not in buf:
                d = c.recv(4096)
                if not d:
                    raise EOFError
                buf += d
            first, buf = buf.split(b"\n", 1)
            return first

        try:
            c.sendall(b"220 slow.example ESMTP\r\n")
            while True:
                verb = line()[:4].upper()
                if verb == b"EHLO":
                    c.sendall(b"250-slow.example\r\n250 SIZE 100000000\r\n")
                elif verb == b"DATA":
                    c.sendall(b"354 go ahead\r\n")
                    n, tail = len(buf), buf[-5:]
                    while not tail.endswith(b"\r\n.\r\n"):
                        d = c.recv(8192)
                        if not d:
                            return
                        n += len(d)
                        tail = (tail + d)[-5:]
                        time.sleep(len(d) / self.rate)
                        if self.stop_at and n > self.stop_at:
                            self.release.wait(200)
                            return
                    buf = b""
                    self.received.append(n)
                    c.sendall(b"250 2.0.0 Ok: queued as SLOW1\r\n")
                elif verb == b"QUIT":
                    c.sendall(b"221 bye\r\n")
                    return
                else:
                    c.sendall(b"250 ok\r\n")
        except (EOFError, OSError):
            pass
        finally:
            c.close()

    def stop(self):
        self.release.set()
        self.sock.close()


def send(port, size, timeout):
    t0 = time.monotonic()
    p = subprocess.run([DRIVER, f"smtp://127.0.0.1:{port}", str(size), str(timeout)],
                       capture_output=True, timeout=300)
    out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    return p.returncode, out, time.monotonic() - t0


def main():
    size = 8_000_000

    # a slow link: 8 MB at 1 MB/s takes about 8 s, four times the 2-s timeout, and
    # the bytes move all along: delivered
    srv = SlowReader(rate=1_000_000)
    rc, out, took = send(srv.port, size, 2)
    check(rc == 0 and "accepted: 250 2.0.0 Ok: queued as SLOW1" in out and srv.received
          and srv.received[0] >= size and took > 2 * 2,
          f"a large message that keeps moving outlasts the timeout and is delivered "
          f"({rc}, {took:.1f} s, {srv.received})\n{out}")
    srv.stop()

    # the same server stops reading after 1 MB and says nothing for 200 s: the upload
    # stalls, and the session ends soon after the timeout of 2 s
    srv = SlowReader(rate=4_000_000, stop_at=1_000_000)
    rc, out, took = send(srv.port, size, 2)
    check(rc == 69 and took < 2 + 15 and "stopped taking the message after " in out
          and f"of its {size} bytes and said nothing more within 2 s ([email] timeout)" in out,
          f"a message the server stops taking fails with 69 soon after the timeout "
          f"({rc}, {took:.1f} s)\n{out}")
    srv.stop()

    check.done("smtp upload")


if __name__ == "__main__":
    main()
