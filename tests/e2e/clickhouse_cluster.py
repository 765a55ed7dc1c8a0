#!/usr/bin/env python3
"""Two clickhouse-server processes on loopback ports, one two-shard cluster.

Usage:
  clickhouse_cluster.py start DIR [BASE_PORT]   write configs under DIR, start both
                                                 (free ports when BASE_PORT is not given)
                                                 servers, wait for them, apply
                                                 config/clickhouse/schema.sql
  clickhouse_cluster.py stop DIR                 stop the servers started in DIR
  clickhouse_cluster.py url DIR                  the HTTP URL of the first server
  clickhouse_cluster.py urls DIR                 the HTTP URLs of both servers, one a line

Each server has its own tcp, http and interserver ports on 127.0.0.1 and its
own data, tmp and log folders under DIR; the cluster `mqlreport_test`
(config/clickhouse/ shows the same layout for a real cluster) has one shard
per server. Used by CTest's FIXTURES_SETUP / FIXTURES_CLEANUP and by
bench/engine.sh; the servers run as the current user (root too).
"""
import os
import random
import re
import shutil
import socket
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "config", "clickhouse", "schema.sql")
DATABASES = ("mqlreport", "mqlreport_tz", "mqlreport_vendor", "mqlreport_cut",
             "mqlreport_hostile", "mqlreport_twins", "mqlreport_later",
             "mqlreport_split", "mqlreport_regiven", "mqlreport_regiven_opps",
             "mqlreport_salesforce",
             "mqlreport_hubspot", "mqlreport_marketo", "mqlreport_spend")
CLUSTER = "mqlreport_test"


def ports(base, i):
    b = base + 10 * i
    return {"tcp": b, "http": b + 1, "inter": b + 2}


def config_xml(d, i, base):
    p = ports(base, i)
    shards = "".join(
        f"<shard><replica><host>127.0.0.1</host><port>{ports(base, k)['tcp']}</port>"
        f"</replica></shard>" for k in range(2))
    return f"""<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>{d}/server.log</log><errorlog>{d}/server.err.log</errorlog>
    <size>10M</size><count>1</count></logger>
  <http_port>{p['http']}</http_port>
  <tcp_port>{p['tcp']}</tcp_port>
  <interserver_http_port>{p['inter']}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>64</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>16</max_concurrent_queries>
  <uncompressed_cache_size>0</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>{d}/data/</path>
  <tmp_path>{d}/tmp/</tmp_path>
  <user_files_path>{d}/user_files/</user_files_path>
  <format_schema_path>{d}/format_schemas/</format_schema_path>
  <users_config>{d}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <umask>022</umask>
  <remote_servers><{CLUSTER}>{shards}</{CLUSTER}></remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
"""


USERS_XML = """<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage>
    <max_threads>2</max_threads><load_balancing>in_order</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default>
    <withpass><password>mqltest-secret</password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></withpass></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
"""


def http(url, body):
    req = urllib.request.Request(url, data=body.encode(), method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode()


def server_cmd():
    for c in ("/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"):
        if os.path.exists(c):
            return [c]
    return ["clickhouse", "server"]


def free_base():
    """A base port whose six ports are free on 127.0.0.1, below Linux's ephemeral ports
    (32768 on), so that no outgoing connection takes one before the servers bind it."""
    rng = random.Random(os.getpid())
    for _ in range(50):
        base = rng.randrange(20000, 32700, 100)
        try:
            for i in range(2):
                for p in ports(base, i).values():
                    with socket.socket() as s:
                        s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    sys.exit("clickhouse_cluster: no free ports")


def start(d, base):
    d = os.path.abspath(d)
    stop(d)
    if not any(os.path.exists(c) for c in ("/usr/sbin/clickhouse-server",
                                             "/usr/bin/clickhouse-server")):
        # the setup installs it: a missing server is a failure, not a skip
        print("clickhouse_cluster: FAIL: clickhouse-server is not installed "
              "(./setup.sh --test-deps installs it)")
        sys.exit(1)
    base = base or free_base()
    for i in range(2):  # every start begins with empty servers
        shutil.rmtree(os.path.join(d, f"s{i}"), ignore_errors=True)
    for i in range(2):
        sd = os.path.join(d, f"s{i}")
        for sub in ("data", "tmp", "user_files", "format_schemas"):
            os.makedirs(os.path.join(sd, sub), exist_ok=True)
        with open(os.path.join(sd, "config.xml"), "w") as f:
            f.write(config_xml(sd, i, base))
        with open(os.path.join(sd, "users.xml"), "w") as f:
            f.write(USERS_XML)
        log = open(os.path.join(sd, "stdout.log"), "w")
        proc = subprocess.Popen(server_cmd() + [f"--config-file={sd}/config.xml"],
                                stdout=log, stderr=subprocess.STDOUT, cwd=sd,
                                start_new_session=True)
        with open(os.path.join(sd, "pid"), "w") as f:
            f.write(str(proc.pid))
    for i in range(2):
        wait_up(ports(base, i)["http"], os.path.join(d, f"s{i}"))
    with open(os.path.join(d, "base_port"), "w") as f:
        f.write(str(base))
    with open(SCHEMA) as f:
        text = "\n".join(re.sub(r"--.*$", "", line) for line in f.read().splitlines())
    for db in DATABASES:
        ddl = text.replace("{database}", db).replace("{cluster}", CLUSTER)
        for i in range(2):
            url = f"http://127.0.0.1:{ports(base, i)['http']}/"
            for stmt in [s.strip() for s in ddl.split(";")]:
                if stmt:
                    http(url, stmt)
    print(f"http://127.0.0.1:{ports(base, 0)['http']}/")


def wait_up(port, sd, limit=240):
    end = time.time() + limit
    while time.time() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2) as r:
                if r.read().startswith(b"Ok"):
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"clickhouse_cluster: the server in {sd} did not answer on port {port}")


def stop(d):
    for i in range(2):
        pidf = os.path.join(d, f"s{i}", "pid")
        if not os.path.exists(pidf):
            continue
        pid = int(open(pidf).read())
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.unlink(pidf)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "start":
        start(d, int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    elif cmd == "stop":
        stop(os.path.abspath(d))
    elif cmd in ("url", "urls"):
        base = int(open(os.path.join(d, "base_port")).read())
        for i in range(1 if cmd == "url" else 2):
            print(f"http://127.0.0.1:{ports(base, i)['http']}/")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
