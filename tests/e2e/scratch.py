"""A test's scratch folder under the system's temporary one, removed when
the test's process ends, however it ends but by a signal. With
MQL_KEEP_SCRATCH=1 in the environment it is kept and its path printed, to
look at what a failing run wrote."""
import atexit
import os
import shutil
import sys
import tempfile


def scratch(prefix):
    """A new folder named prefix and a random rest; its path."""
    path = tempfile.mkdtemp(prefix=prefix)
    if os.environ.get("MQL_KEEP_SCRATCH"):
        print("scratch folder kept: " + path, file=sys.stderr)
    else:
        atexit.register(shutil.rmtree, path, True)
    return path
