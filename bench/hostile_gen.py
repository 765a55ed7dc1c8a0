#!/usr/bin/python3
"""Hostile but valid exports for bench/hostile.sh and tests/e2e/test_hostile.py.

    hostile_gen.py types N DIR      events with N distinct event types
    hostile_gen.py columns N DIR    a leads header with N extra columns
    hostile_gen.py campaigns N DIR  N campaigns, each with spend and leads
    hostile_gen.py touches N DIR    20 won leads, each with N events in N campaigns

Each writes leads.csv, events.csv and spend.csv into DIR for the report week
2026-W47 (run with --data DIR --week 2026-W47). Deterministic: the same
arguments give the same bytes."""
import os
import sys

WEEK = "2026-W47"
DAYS = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]
LEADS_HEADER = ["lead_id", "created_at", "channel", "campaign", "mql_at", "sql_at", "won_at", "amount"]
CHANNELS = ["paid_search", "paid_social", "display"]


def type_name(i):
    """Distinct for each i, and not in the order of i (first seen is not sorted)."""
    return f"t{(i * 7919) % 1000003:07d}_{i}"


def column_name(i):
    return f"x{i:05d}"


def campaign_name(i):
    return f"camp_{i:06d}"


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def lead_row(i, campaign="cmp_a", channel="paid_search", won=False, amount=""):
    day = DAYS[i % len(DAYS)]
    t = f"{day}T{9 + i % 8:02d}:{i % 60:02d}:00Z"
    return [f"L{i:07d}", t, channel, campaign, t, t if won else "", t if won else "", amount]


def small_spend():
    return [[d, "paid_search", "cmp_a", "100.00", "USD"] for d in DAYS]


def type_events(i):
    """How many events type i has: 1, 2 or 3."""
    return 1 + i % 3


def event_types(n, out):
    """n distinct event types, type i with type_events(i) events, on 50 leads."""
    write(os.path.join(out, "leads.csv"), LEADS_HEADER, (lead_row(i) for i in range(50)))
    rows = ([f"L{i % 50:07d}", f"{DAYS[(i + k) % 5]}T10:{i % 60:02d}:{k:02d}Z", type_name(i),
             "paid_search", "cmp_a"] for i in range(n) for k in range(type_events(i)))
    write(os.path.join(out, "events.csv"), ["lead_id", "occurred_at", "type", "channel", "campaign"], rows)
    write(os.path.join(out, "spend.csv"), ["date", "channel", "campaign", "amount", "currency"], small_spend())


def header_columns(n, out):
    """A leads header of n unknown columns with the canonical ones spread among
    them, and a second "amount" column last (the first one counts); 5 rows."""
    header = [column_name(i) for i in range(n)]
    for k, name in enumerate(LEADS_HEADER):
        header.insert((k * n) // len(LEADS_HEADER) + k, name)
    header.append("amount")
    where = [header.index(name) for name in LEADS_HEADER]
    rows = []
    for i in range(5):
        row = [""] * len(header)
        for pos, value in zip(where, lead_row(i, won=True, amount=f"{1000 * (i + 1)}.00")):
            row[pos] = value
        row[-1] = "999999.00"
        rows.append(row)
    write(os.path.join(out, "leads.csv"), header, rows)
    write(os.path.join(out, "events.csv"), ["lead_id", "occurred_at", "type", "channel", "campaign"],
          [[f"L{i:07d}", f"{DAYS[i % 5]}T12:00:00Z", "page_visit", "paid_search", "cmp_a"] for i in range(5)])
    write(os.path.join(out, "spend.csv"), ["date", "channel", "campaign", "amount", "currency"], small_spend())


def campaigns(n, out):
    """n campaigns: one spend row and two leads each, one of them won (of 97
    amounts, so that the top-N order is by revenue, then by name)."""
    leads, spend = [], []
    for c in range(n):
        ch = CHANNELS[c % len(CHANNELS)]
        name = campaign_name(c)
        amount = f"{1000 * (1 + (c * 7919) % 97)}.00"  # 97 values: ties, ranked by name
        leads.append(lead_row(2 * c, name, ch, won=True, amount=amount))
        leads.append(lead_row(2 * c + 1, name, ch))
        spend.append([DAYS[c % 5], ch, name, f"{10 + c % 90}.50", "USD"])
    write(os.path.join(out, "leads.csv"), LEADS_HEADER, leads)
    write(os.path.join(out, "events.csv"), ["lead_id", "occurred_at", "type", "channel", "campaign"],
          [["L0000000", f"{DAYS[0]}T12:00:00Z", "page_visit", CHANNELS[0], campaign_name(0)]])
    write(os.path.join(out, "spend.csv"), ["date", "channel", "campaign", "amount", "currency"], spend)


def touches(n, out):
    """20 leads won in the report week, each with n events before its win in
    n distinct campaigns: every win's revenue is shared among n touchpoints."""
    leads = [lead_row(i, won=True, amount="1000.00") for i in range(20)]
    write(os.path.join(out, "leads.csv"), LEADS_HEADER, leads)
    rows = ([f"L{i:07d}", f"{DAYS[0]}T0{k % 9}:{k % 60:02d}:{k % 59:02d}Z", "page_visit",
             CHANNELS[k % len(CHANNELS)], campaign_name(k)] for i in range(20) for k in range(n))
    write(os.path.join(out, "events.csv"), ["lead_id", "occurred_at", "type", "channel", "campaign"], rows)
    write(os.path.join(out, "spend.csv"), ["date", "channel", "campaign", "amount", "currency"], small_spend())


KINDS = {"types": event_types, "columns": header_columns, "campaigns": campaigns, "touches": touches}


def main(argv):
    if len(argv) != 4 or argv[1] not in KINDS:
        sys.stderr.write(__doc__)
        return 64
    KINDS[argv[1]](int(argv[2]), argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
