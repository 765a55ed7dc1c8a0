"""A week e-mailed before it had ended, then run again once it has: the real
binary under faketime (the clock that decides whether a week has ended is
the machine's, which SOURCE_DATE_EPOCH does not move), an SMTP server on
127.0.0.1. Each function says what it proves. argv: mqlreport."""
import configparser
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from scratch import scratch  # noqa: E402

BIN = sys.argv[1]
W = opsrun.WEEK  # 2026-W47: Mon 16 Nov 2026 to Sun 22 Nov, in UTC
check = opsrun.Checks()
FAKETIME = shutil.which("faketime")

WEDNESDAY = "2026-11-18 12:00:00"  # the week half over
TUESDAY = "2026-11-17 12:00:00"  # earlier than that
THURSDAY = "2026-11-19 12:00:00"  # later, still in the week
MONDAY = "2026-11-23 07:00:00"  # the scheduled run: the week ended at midnight
MONDAY_LATER = "2026-11-23 08:00:00"


def run_at(moment, config, *args):
    """mqlreport run --config CONFIG ARGS with the clock set to moment
    (UTC; it runs on from there): (exit status, standard output and error)."""
    env = {"TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
           # a sanitizer build: faketime's library is loaded before its runtime
           "ASAN_OPTIONS": "verify_asan_link_order=0:" + os.environ.get("ASAN_OPTIONS", "")}
    cmd = [FAKETIME, moment, BIN, "run", "--config", config, *args]
    e = dict(os.environ, LC_ALL="C", **env)
    p = subprocess.run(cmd, capture_output=True, env=e, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def config(folder, port, week=W):
    """A configuration mailing the fixture's week to a plain server (no TLS:
    a certificate made now is not valid at the moments the runs are made);
    week None: the default, the last whole week."""
    keys = opsrun.email_keys(port, None, username_env=None, password_env=None, ca_file=None,
                             operator=None, starttls="never")
    return opsrun.write_config(folder, email=keys, report={"week": week})


def state(week_dir):
    """The [message workbook+pdf] group of the week's delivery.ini."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(os.path.join(week_dir, "delivery.ini"))
    return dict(ini["message workbook+pdf"]) if ini.has_section("message workbook+pdf") else {}


def result(week_dir):
    with open(os.path.join(week_dir, "manifest.json")) as f:
        return json.load(f)["email"]["result"]


def message_ids(srv):
    return [email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]
            for _, _, raw in srv.rec.messages]


def sent_before_the_end(tmp):
    """Wednesday, `run --week 2026-W47`: the partial week is sent and
    recorded as partial, with the moment it counts until. Tuesday (an
    earlier moment) and Thursday (a later one, the week still not ended):
    nothing sent again, the recipients not mailed twice in the week. Monday, the scheduled run of the
    complete week: sent without --resend, saying that the earlier message
    was of the week not ended, under a Message-ID of its own, and recorded
    as the complete week. Monday again: nothing sent."""
    d = os.path.join(tmp, "unfinished")
    os.makedirs(d)
    week_dir = os.path.join(d, "out", W)
    srv = smtp_server.Server("ok")
    try:
        cfg = config(d, srv.port)
        rc, out = run_at(WEDNESDAY, cfg)
        check(rc == 0 and len(srv.rec.messages) == 1 and "week_unfinished" in out,
              f"Wednesday: the week not ended is sent, warned partial ({rc}, "
              f"{len(srv.rec.messages)} sent)\n{out}")
        st = state(week_dir)
        check(st.get("partial") == "true" and st.get("counts_until", "").startswith("2026-11-18T12:00:"),
              f"Wednesday: delivery.ini records the message as partial, counting until the run: {st}")
        check("recorded as a report of week 2026-W47 before it had ended" in out
              and "a run of the week once it has ended sends the complete week" in out,
              f"Wednesday: the log says what a run after the week's end will do\n{out}")
        res = result(week_dir)
        check(res.startswith("sent 1 message, of week 2026-W47 before it had ended (counting what "
                             "happened before 2026-11-18T12:00:"),
              f"Wednesday: the manifest says the message sent is of the week not ended: {res!r}")
        first_at = st.get("accepted_at", "")

        rc, out = run_at(TUESDAY, cfg, "--week", W)
        check(rc == 0 and len(srv.rec.messages) == 1 and "already sent at " + first_at in out
              and "the week has still not ended; not sent again (use --resend)" in out,
              f"an earlier moment: nothing sent again, as before ({rc}, {len(srv.rec.messages)} sent)\n{out}")
        check(state(week_dir) == st, "an earlier moment: delivery.ini unchanged")
        res = result(week_dir)
        check(res.startswith("not sent again: already sent, of the week before it had ended"),
              f"an earlier moment: the manifest says what the recipients hold: {res!r}")

        rc, out = run_at(THURSDAY, cfg)
        check(rc == 0 and len(srv.rec.messages) == 1 and "already sent at " + first_at in out
              and "the week has still not ended; not sent again (use --resend)" in out,
              f"Thursday, the week still not ended: nothing sent again ({rc}, "
              f"{len(srv.rec.messages)} sent)\n{out}")
        check(state(week_dir) == st, "Thursday: delivery.ini unchanged")
        partial_at = first_at

        rc, out = run_at(MONDAY, config(d, srv.port, week=None))
        check(rc == 0 and len(srv.rec.messages) == 2
              and f"the message sent at {partial_at} to ceo@example.com, cmo@example.com was of week "
              "2026-W47 before it had ended (counting what happened before 2026-11-18T12:00:" in out
              and "this run's report is the complete week 2026-W47: sent in its place" in out
              and "week_unfinished" not in out,
              f"Monday: the complete week is sent without --resend, saying the earlier message was of the "
              f"week not ended ({rc}, {len(srv.rec.messages)} sent)\n{out}")
        ids = message_ids(srv)
        check(len(set(ids)) == len(ids), f"each message has a Message-ID of its own: {ids}")
        st = state(week_dir)
        check(st and "partial" not in st and "counts_until" not in st and st.get("message_id") == ids[-1],
              f"Monday: delivery.ini records the complete week: {st}")
        res = result(week_dir)
        check(res == f"sent 1 message, of the complete week 2026-W47, in place of the one sent at "
              f"{partial_at} before the week had ended",
              f"Monday: the manifest says the complete week replaced the partial one: {res!r}")

        rc, out = run_at(MONDAY_LATER, config(d, srv.port, week=None))
        check(rc == 0 and len(srv.rec.messages) == 2 and "already sent at" in out
              and "before it had ended" not in out,
              f"Monday again: the complete week, sent, is not sent again ({rc}, "
              f"{len(srv.rec.messages)} sent)\n{out}")
        check(result(week_dir) == "not sent again: already sent (use --resend)",
              f"Monday again: the manifest says already sent: {result(week_dir)!r}")
    finally:
        srv.stop()


def sent_complete(tmp):
    """A week first run once it has ended: sent and recorded without
    `partial`, under the Message-ID it always had; a rerun sends nothing."""
    d = os.path.join(tmp, "complete")
    os.makedirs(d)
    week_dir = os.path.join(d, "out", W)
    srv = smtp_server.Server("ok")
    try:
        cfg = config(d, srv.port, week=None)
        rc, out = run_at(MONDAY, cfg)
        st = state(week_dir)
        check(rc == 0 and len(srv.rec.messages) == 1 and st and "partial" not in st
              and "before it had ended" not in out and result(week_dir) == "sent 1 message",
              f"the complete week: sent, recorded as before ({rc}, {st})\n{out}")
        rc, out = run_at(MONDAY_LATER, cfg)
        check(rc == 0 and len(srv.rec.messages) == 1 and "already sent at" in out
              and "not sent again (use --resend)" in out and state(week_dir) == st,
              f"the complete week again: nothing sent ({rc}, {len(srv.rec.messages)} sent)\n{out}")
    finally:
        srv.stop()


def last_minutes(tmp):
    """A run in the week's last minute: the warning says "under an hour to
    go", not "0 hours", and reads as English."""
    d = os.path.join(tmp, "last-minute")
    os.makedirs(d)
    cfg = opsrun.write_config(d, report={"week": W})
    rc, out = run_at("2026-11-22 23:59:30", cfg, "--no-email")
    check(rc == 0 and "(under an hour to go): its counts are partial and fall short of a "
          "whole week's; run it again once the week is over" in out,
          f"the week's last minute: under an hour to go ({rc})\n{out[-600:]}")


def main():
    if not check(FAKETIME is not None, "faketime is installed (./setup.sh --test-deps)"):
        check.done("unfinished-week")
    tmp = scratch("mql-unfinished-")
    sent_before_the_end(tmp)
    sent_complete(tmp)
    last_minutes(tmp)
    check.done("unfinished-week")


if __name__ == "__main__":
    main()
