"""A command run with its standard error on a terminal (a pseudo-terminal),
as an operator's shell gives it: progress lines and bars are drawn only
there. Shared by the tests that look at them."""
import os
import pty
import subprocess


def on_tty(argv, env=None, timeout=300):
    """Run argv with stderr on a new pseudo-terminal, stdout discarded; read
    the terminal until the command closes it. Returns (exit status, bytes)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    try:
        while True:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            out += chunk
    except OSError:  # EIO once the last writer has gone
        pass
    os.close(master)
    return p.wait(timeout=timeout), out
