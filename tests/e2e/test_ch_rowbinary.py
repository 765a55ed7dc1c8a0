#!/usr/bin/env python3
"""The ClickHouse client's answers against a real server.

Usage: test_ch_rowbinary.py MQLREPORT CH_DRIVER CLUSTER_DIR

Needs the servers of clickhouse_cluster.py (CTest fixture `clickhouse`).
An answer of many blocks is read whole, rows cut between the pieces of
the answer included (the sum of its first column is checked against the
server's own); a query that fails after its first blocks were computed
is an error that names the server's message, never its text read as
rows (RowBinary and TabSeparated); a row type the layout does not match is an error, not rows."""
import subprocess
import sys

_, DRIVER, CLUSTER = sys.argv[1:4]
HERE = __file__.rsplit("/", 1)[0]
URL = subprocess.run([sys.executable, f"{HERE}/clickhouse_cluster.py", "url", CLUSTER],
                     check=True, capture_output=True, text=True).stdout.split()[0]
failed = []


def drive(layout, sql, settings="max_block_size=1000"):
    p = subprocess.run([DRIVER, URL, layout, sql, settings], capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout.strip()


def check(ok, what, got):
    print(f"{'ok' if ok else 'FAIL'}: {what}: {got[:300]}")
    if not ok:
        failed.append(what)


# 400,000 rows of a UInt64 and a String of 0 to 9 bytes: 1,000-row blocks,
# rows cut wherever the pieces of the answer end
rc, out = drive("8s", "SELECT number, toString(number % 1000000007) FROM system.numbers "
                "LIMIT 400000")
check(rc == 0 and out == f"rows 400000 sum {sum(range(400000))}", "a long answer read whole",
      out)

# the server fails at row 300,000, after 300 blocks were computed
rc, out = drive("81", "SELECT number, throwIf(number = 300000) FROM system.numbers "
                "LIMIT 400000")
check(rc == 1 and "HTTP 500" in out and "throwIf" in out,
      "an error after the first blocks is the server's error", out)

rc, out = drive("tsv", "SELECT number, throwIf(number = 300000) FROM system.numbers "
                "LIMIT 400000")
check(rc == 1 and "HTTP 500" in out and "throwIf" in out,
      "TabSeparated: an error after the first blocks is the server's error", out)

# three bytes a row where the layout reads nine: the answer ends inside a row
rc, out = drive("81", "SELECT toUInt8(1), toUInt16(2) FROM system.numbers LIMIT 1")
check(rc == 1 and "cut short" in out, "an answer that ends inside a row", out)

print(f"{4 - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
