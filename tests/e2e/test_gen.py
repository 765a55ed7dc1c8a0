"""End-to-end tests of `mqlreport gen`: determinism, file formats, bad rows,
the realism of the simulated funnel, usage errors and streaming memory.

usage: test_gen.py MQLREPORT CASE   (CASE: determinism, format, bad_rows,
funnel, usage, memory, roundtrip, time_order)

The checks read the files with Python's csv module and re-derive what SPEC
§2, §3 and §5 say independently of the generator's code. Every expected
number is worked out by hand in the comment beside it.
"""
import collections
import csv
import os
import re
import resource
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

BIN = sys.argv[1]
CASE = sys.argv[2]

HEADERS = {
    "leads.csv": ["lead_id", "created_at", "channel", "campaign", "job_title", "company_size",
                  "industry", "country", "mql_at", "accepted_at", "rejected_at", "sql_at",
                  "first_contact_at", "opportunity_at", "won_at", "lost_at", "amount"],
    "events.csv": ["lead_id", "occurred_at", "type", "channel", "campaign"],
    "spend.csv": ["date", "channel", "campaign", "amount", "currency"],
    "opportunities.csv": ["opportunity_id", "lead_id", "created_at", "closed_at", "stage",
                          "is_won", "is_closed", "amount"],
}
LEAD_TIMES = HEADERS["leads.csv"][8:16]  # mql_at … lost_at; created_at apart

# SPEC §3's event types.
TYPES = {"content_download", "premium_content_download", "webinar_registered",
         "webinar_attended", "event_attended", "demo_request", "pricing_page_visit",
         "sales_content_view", "page_visit", "blog_click", "email_open", "email_click",
         "newsletter_signup", "email_unsubscribe", "email_bounce", "social_like",
         "social_share", "social_comment", "page_follow", "poll_response", "ad_click",
         "product_signup", "trial_activity", "sales_touch"}
CHANNELS = {"paid_search", "paid_social", "organic_search", "email", "webinar", "events",
            "referral", "direct", "linkedin", "content_syndication"}

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def gen(out, *args):
    cmd = [BIN, "gen", "--out", out] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
    return p


def gen_ok(out, *args):
    p = gen(out, *args)
    assert p.returncode == 0, f"gen {args} exited {p.returncode}: {p.stderr}"
    return p


def rows(folder, name):
    """The header and data rows of a file, parsed strictly per RFC 4180."""
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
        r = list(csv.reader(f, strict=True))
    return r[0], r[1:]


def dicts(folder, name):
    header, data = rows(folder, name)
    return [dict(zip(header, row)) for row in data if len(row) == len(header)]


# SPEC §2 forms the generator may write: a plain date, or date and time with
# optional milliseconds and Z or a ±HH:MM offset.
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?(Z|[+-]\d{2}:\d{2})$")


def parse_ts(s):
    """The UTC instant of a timestamp of the forms above, or None."""
    m = DATE_RE.match(s)
    try:
        if m:
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=timezone.utc)
        m = TS_RE.match(s)
        if not m:
            return None
        t = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]),
                     int(m[7][1:]) * 1000 if m[7] else 0, tzinfo=timezone.utc)
    except ValueError:  # impossible dates such as 2026-02-30
        return None
    if m[8] != "Z":
        sign = 1 if m[8][0] == "+" else -1
        t -= sign * timedelta(hours=int(m[8][1:3]), minutes=int(m[8][4:6]))
    return t


def ts_form(s):
    if DATE_RE.match(s):
        return "date"
    m = TS_RE.match(s)
    if not m:
        return "other"
    if m[8] != "Z":
        return "offset"
    return "fraction" if m[7] else "z"


MONEY_RE = re.compile(r"^-?[$€£]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def money(s):
    if not MONEY_RE.match(s):
        return None
    v = float(s.replace(",", "").replace("$", "").replace("€", "").replace("£", ""))
    return v


def norm(s):
    """SPEC §3's normalisation of channel, type and industry."""
    return re.sub(r"[ -]+", "_", s.strip().lower())


def defects(folder):
    """Count each kind of bad row SPEC §3 names, by the SPEC's rules."""
    d = collections.Counter()
    lh, lrows = rows(folder, "leads.csv")
    ids = collections.Counter()
    good_ids = set()
    for row in lrows:
        if len(row) != len(lh):
            d["leads.wrong_field_count"] += 1
            continue
        r = dict(zip(lh, row))
        if parse_ts(r["created_at"]) is None:
            d["leads.unparseable_created_at"] += 1
            continue
        ids[r["lead_id"]] += 1
        good_ids.add(r["lead_id"])
        for f in LEAD_TIMES:
            if r[f] and parse_ts(r[f]) is None:
                d["leads.warning_" + f] += 1
    d["leads.duplicate"] = sum(n - 1 for n in ids.values())

    eh, erows = rows(folder, "events.csv")
    for row in erows:
        if len(row) != len(eh):
            d["events.wrong_field_count"] += 1
            continue
        r = dict(zip(eh, row))
        if parse_ts(r["occurred_at"]) is None:
            d["events.unparseable_occurred_at"] += 1
            continue
        if norm(r["type"]) not in TYPES:
            d["events.unknown_type"] += 1
        if r["lead_id"] not in good_ids:
            d["events.orphaned"] += 1

    sh, srows = rows(folder, "spend.csv")
    for row in srows:
        if len(row) != len(sh):
            d["spend.wrong_field_count"] += 1
            continue
        r = dict(zip(sh, row))
        if parse_ts(r["date"]) is None or not DATE_RE.match(r["date"]):
            d["spend.unparseable_date"] += 1
            continue
        v = money(r["amount"])
        if v is None:
            d["spend.unparseable_amount"] += 1
        elif v < 0:
            d["spend.negative_amount"] += 1
        elif r["currency"] and r["currency"].upper() != "USD":
            d["spend.foreign_currency"] += 1

    oh, orows = rows(folder, "opportunities.csv")
    opp_ids = collections.Counter()
    for row in orows:
        if len(row) != len(oh):
            d["opportunities.wrong_field_count"] += 1
            continue
        r = dict(zip(oh, row))
        if parse_ts(r["created_at"]) is None:
            d["opportunities.unparseable_created_at"] += 1
            continue
        opp_ids[r["opportunity_id"]] += 1
        if r["lead_id"] not in good_ids:
            d["opportunities.orphaned"] += 1
    d["opportunities.duplicate"] = sum(n - 1 for n in opp_ids.values())
    return {k: v for k, v in d.items() if v}


def files_bytes(folder):
    return {n: open(os.path.join(folder, n), "rb").read() for n in HEADERS}


# ---- cases ----

def case_determinism(tmp):
    a, b, c, d = (os.path.join(tmp, x) for x in "abcd")
    args = ["--leads", 400, "--end-week", "2026-W47", "--bad-rows", 2]
    gen_ok(a, "--seed", 7, *args)
    gen_ok(b, "--seed", 7, *args)
    gen_ok(c, "--seed", 8, *args)
    fa, fb, fc = files_bytes(a), files_bytes(b), files_bytes(c)
    for n in HEADERS:
        check(fa[n] == fb[n], f"same seed, same bytes: {n}")
        check(fa[n] != fc[n], f"another seed, other bytes: {n}")
    # the seed is the only source of variation: a folder's name or the
    # order of the options does not matter
    gen_ok(d, "--end-week", "2026-W47", "--bad-rows", 2, "--seed", 7, "--leads", 400)
    check(files_bytes(d) == fa, "option order does not change the bytes")
    leftovers = [f for x in (a, b, c, d) for f in os.listdir(x) if ".tmp." in f]
    check(not leftovers, f"no temp files left: {leftovers}")


def case_format(tmp):
    out = os.path.join(tmp, "f")
    n = 1500
    # 2026-W10: 1 January 2026 is a Thursday, so week 1 starts Monday
    # 2025-12-29 and week 10 on 2025-12-29 + 63 days = 2026-03-02; as_of is
    # the next Monday 2026-03-09. 13 weeks back from as_of: 2026-03-09 - 91
    # days = 2025-12-08. The period crosses a year boundary on purpose.
    gen_ok(out, "--leads", n, "--seed", 11, "--weeks", 13, "--end-week", "2026-W10")
    start = datetime(2025, 12, 8, tzinfo=timezone.utc)
    as_of = datetime(2026, 3, 9, tzinfo=timezone.utc)

    for name, want in HEADERS.items():
        header, data = rows(out, name)
        check(header == want, f"{name}: canonical header, got {header}")
        bad = [i for i, r in enumerate(data) if len(r) != len(want)]
        check(not bad, f"{name}: every row has {len(want)} fields (bad: {bad[:3]})")
        check(len(data) > 0, f"{name}: has rows")

    leads = dicts(out, "leads.csv")
    check(len(leads) == n, f"exactly {n} leads, got {len(leads)}")
    check([l["lead_id"] for l in leads] == [f"L{i:07d}" for i in range(1, n + 1)],
          "lead ids L0000001 … in order, each once")

    forms = collections.Counter()
    bad_ts = []

    def see(where, s, required=False):
        if not s:
            if required:
                bad_ts.append((where, s))
            return None
        forms[ts_form(s)] += 1
        t = parse_ts(s)
        if t is None:
            bad_ts.append((where, s))
        return t

    late = []
    for l in leads:
        c = see("created_at", l["created_at"], True)
        if c is not None and not (start <= c < as_of):
            late.append(("created_at", l["created_at"]))
        for f in LEAD_TIMES:
            t = see(f, l[f])
            if t is not None and t >= as_of:
                late.append((f, l[f]))
    events = dicts(out, "events.csv")
    for e in events:
        t = see("occurred_at", e["occurred_at"], True)
        if t is not None and t >= as_of:
            late.append(("occurred_at", e["occurred_at"]))
    opps = dicts(out, "opportunities.csv")
    future_open = 0
    for o in opps:
        t = see("opp.created_at", o["created_at"], True)
        if t is not None and t >= as_of:
            late.append(("opp.created_at", o["created_at"]))
        t = see("opp.closed_at", o["closed_at"])
        if t is not None and t >= as_of:
            if o["is_closed"] == "false":
                future_open += 1
            else:
                late.append(("opp.closed_at", o["closed_at"]))
    for s in dicts(out, "spend.csv"):
        t = parse_ts(s["date"]) if DATE_RE.match(s["date"]) else None
        if t is None:
            bad_ts.append(("spend.date", s["date"]))
        elif not (start <= t < as_of):
            late.append(("spend.date", s["date"]))
    check(not bad_ts, f"every timestamp has a SPEC §2 form (bad: {bad_ts[:5]})")
    check(forms["other"] == 0, "no other timestamp forms")
    for f in ("z", "fraction", "offset", "date"):
        check(forms[f] > 0, f"timestamps of form {f} appear ({dict(forms)})")
    check(not late, f"nothing at or after as_of but open deals' expected dates (late: {late[:5]})")
    check(future_open > 0, "some open deals expect to close after as_of")

    types = collections.Counter(e["type"] for e in events)
    check(set(types) == TYPES, f"every SPEC §3 type and no other: {set(types) ^ TYPES}")
    ids = {l["lead_id"] for l in leads}
    check(all(e["lead_id"] in ids for e in events), "every event's lead exists")
    check(all(o["lead_id"] in ids for o in opps), "every opportunity's lead exists")
    check({norm(l["channel"]) for l in leads} == CHANNELS, "leads come through the ten channels")

    spend = dicts(out, "spend.csv")
    amounts = [money(s["amount"]) for s in spend]
    check(all(a is not None and a >= 0 for a in amounts), "spend amounts are money, >= 0")
    check(all(s["currency"].upper() in ("USD", "") for s in spend), "spend is in USD")
    days = {s["date"] for s in spend}
    check(len(days) == 91, f"a spend row every day of the 13 weeks: 13 × 7 = 91, got {len(days)}")

    # RFC 4180: fields with a comma or quote are quoted and read back whole
    commas = [l["job_title"] for l in leads if "," in l["job_title"]]
    commas += [l["company_size"] for l in leads if "," in l["company_size"]]
    check(len(commas) > 0, "some fields hold a comma and survive quoting")
    check(all(s.count(",") == 1 or s.count(",") == 2 for s in commas), "quoted fields intact")


def case_bad_rows(tmp):
    clean, bad = os.path.join(tmp, "clean"), os.path.join(tmp, "bad")
    gen_ok(clean, "--leads", 1200, "--seed", 3, "--end-week", "2026-W47")
    gen_ok(bad, "--leads", 1200, "--seed", 3, "--end-week", "2026-W47", "--bad-rows", 2)
    found = defects(clean)
    check(found == {}, f"no defects without --bad-rows: {found}")
    found = defects(bad)
    # --bad-rows 2: two rows of each kind the generator documents
    want = {
        "leads.unparseable_created_at": 2, "leads.wrong_field_count": 2,
        "leads.duplicate": 2, "leads.warning_mql_at": 2,
        "events.unparseable_occurred_at": 2, "events.wrong_field_count": 2,
        "events.unknown_type": 2, "events.orphaned": 2,
        "spend.negative_amount": 2, "spend.foreign_currency": 2,
        "spend.unparseable_date": 2, "spend.wrong_field_count": 2,
        "opportunities.orphaned": 2, "opportunities.unparseable_created_at": 2,
        "opportunities.duplicate": 2,
    }
    check(found == want, f"two of each defect with --bad-rows 2: {found}")
    # the good rows are the same with and without bad rows: 1200 leads, the
    # 2 × 4 = 8 extra lead rows being the defects
    _, lc = rows(clean, "leads.csv")
    _, lb = rows(bad, "leads.csv")
    check(len(lc) == 1200 and len(lb) == 1208, f"1200 and 1200 + 8 lead rows: {len(lc)}, {len(lb)}")
    for name in HEADERS:
        _, rc = rows(clean, name)
        _, rb = rows(bad, name)
        check(set(map(tuple, rc)) <= set(map(tuple, rb)), f"{name}: the good rows stay the same")


def score_fit(l):
    """SPEC §5's demographic points, derived from the text of the rules."""
    words = re.findall(r"[a-z0-9]+", l["job_title"].lower())
    t = 2 if l["job_title"].strip() else 0
    for i, w in enumerate(words):
        vice_before = i > 0 and words[i - 1] == "vice"
        if w in ("chief", "ceo", "cmo", "cto", "cfo", "coo", "founder", "owner") or \
                (w == "president" and not vice_before):
            t = max(t, 20)
        if w in ("vp", "head") or (w == "vice" and words[i + 1:i + 2] == ["president"]):
            t = max(t, 16)
        if w == "director":
            t = max(t, 12)
        if w in ("manager", "lead"):
            t = max(t, 8)
    s = 0
    m = re.match(r"^(\d{1,3}(?:,\d{3})+|\d+)", l["company_size"].strip())
    if m:
        n = int(m[1].replace(",", ""))
        s = 2 if n <= 10 else 6 if n <= 50 else 10 if n <= 200 else 15 if n <= 1000 \
            else 12 if n <= 5000 else 8
    ind = norm(l["industry"])
    i = 10 if ind in ("software", "saas", "it_services", "financial_services", "marketing") \
        else 5 if ind in ("manufacturing", "healthcare", "education") else 0
    c = 5 if l["country"].strip().upper() in ("US", "CA", "GB", "DE", "FR", "NL", "AU") else 0
    return t + s + i + c


EVENT_POINTS = {  # type: (category, points) of SPEC §5's table
    "premium_content_download": ("content", 5), "content_download": ("content", 5),
    "webinar_registered": ("content", 2), "page_visit": ("web", 1), "blog_click": ("web", 1),
    "email_click": ("email", 2), "email_open": ("email", 1), "newsletter_signup": ("email", 2),
    "social_like": ("social", 1), "page_follow": ("social", 1), "ad_click": ("social", 1),
    "social_share": ("social", 2), "social_comment": ("social", 2), "poll_response": ("social", 2),
    "demo_request": ("intent", 5), "pricing_page_visit": ("intent", 4),
    "webinar_attended": ("intent", 4), "event_attended": ("intent", 4),
    "sales_content_view": ("intent", 3), "email_unsubscribe": ("negative", -10),
    "email_bounce": ("negative", -5),
}
CAPS = {"content": 15, "web": 5, "email": 8, "social": 10, "intent": 20, "negative": None}


def case_funnel(tmp):
    out = os.path.join(tmp, "funnel")
    gen_ok(out, "--leads", 3000, "--seed", 5, "--end-week", "2026-W47")
    as_of = datetime(2026, 11, 23, tzinfo=timezone.utc)  # Monday after 2026-W47
    leads = dicts(out, "leads.csv")
    events = dicts(out, "events.csv")
    opps = dicts(out, "opportunities.csv")
    by_lead = collections.defaultdict(list)
    for e in events:
        by_lead[e["lead_id"]].append(e)

    per_lead = len(events) / len(leads)
    check(15 <= per_lead <= 25, f"about 20 events per lead: {per_lead:.1f}")

    # scores at as_of spread around the threshold 60
    scores = {}
    for l in leads:
        cat = collections.Counter()
        for e in by_lead[l["lead_id"]]:
            if e["type"] in EVENT_POINTS:
                k, p = EVENT_POINTS[e["type"]]
                cat[k] += p
        scores[l["lead_id"]] = score_fit(l) + sum(
            min(v, CAPS[k]) if CAPS[k] is not None else v for k, v in cat.items())
    n = len(leads)
    above = sum(1 for s in scores.values() if s >= 60) / n
    check(0.15 <= above <= 0.45, f"a minority of leads reach 60: {above:.2f}")
    for lo in (30, 40, 50, 60, 70, 80):
        share = sum(1 for s in scores.values() if lo <= s < lo + 10) / n
        check(share >= 0.03, f"scores in [{lo}, {lo + 10}): {share:.3f}")

    mql = [l for l in leads if l["mql_at"]]
    check(0.15 <= len(mql) / n <= 0.45, f"MQL share: {len(mql) / n:.2f}")
    crossed = [l for l in leads if scores[l["lead_id"]] >= 60]
    stamped = sum(1 for l in crossed if l["mql_at"]) / len(crossed)
    check(0.75 <= stamped < 1, f"most leads scoring >= 60 carry mql_at, some not: {stamped:.2f}")

    sql = sum(1 for l in mql if l["sql_at"]) / len(mql)
    check(0.2 <= sql <= 0.6, f"MQL → SQL: {sql:.2f}")

    by_ch = collections.defaultdict(list)
    for l in leads:
        by_ch[norm(l["channel"])].append(l)
    rates = {c: sum(1 for l in L if l["mql_at"]) / len(L) for c, L in by_ch.items()}
    check(max(rates.values()) / min(rates.values()) > 1.5, f"channels convert differently: {rates}")
    spend = collections.Counter()
    for s in dicts(out, "spend.csv"):
        spend[norm(s["channel"])] += money(s["amount"])
    for unpaid in ("organic_search", "referral", "direct"):
        check(spend[unpaid] == 0, f"{unpaid} has no spend")
    cpl = {c: spend[c] / len(by_ch[c]) for c in CHANNELS}
    check(cpl["events"] > 2 * cpl["paid_social"], f"channels cost differently: {cpl}")

    # speed to lead and follow-up after the MQL
    delays, fives, eligible = [], 0, 0
    for l in mql:
        m = parse_ts(l["mql_at"])
        if l["first_contact_at"]:
            delays.append((parse_ts(l["first_contact_at"]) - m).total_seconds())
        if m + timedelta(days=14) <= as_of:
            eligible += 1
            touches = [parse_ts(e["occurred_at"]) for e in by_lead[l["lead_id"]]
                       if e["type"] == "sales_touch"]
            if sum(1 for t in touches if m <= t <= m + timedelta(days=14)) >= 5:
                fives += 1
    check(all(d >= 0 for d in delays), "first contact at or after mql_at")
    check(sum(1 for d in delays if d <= 300) / len(mql) >= 0.05, "some contacted within 5 minutes")
    check(sum(1 for d in delays if d <= 86400) / len(mql) >= 0.5, "most contacted within 24 hours")
    check(0.15 <= fives / eligible <= 0.7, f"5+ sales touches in 14 days: {fives / eligible:.2f}")

    # opportunities agree with the leads file (SPEC §3's derivation)
    by_opp_lead = collections.defaultdict(list)
    for o in opps:
        by_opp_lead[o["lead_id"]].append(o)
    won_flag = lambda o: o["is_won"].lower() in ("true", "1", "yes") or (
        o["is_won"] == "" and norm(o["stage"]) in ("won", "closed_won"))
    mismatches = []
    upsells = 0
    for l in leads:
        os_ = by_opp_lead.get(l["lead_id"], [])
        if not os_:
            if l["opportunity_at"] or l["won_at"] or l["lost_at"]:
                mismatches.append(l["lead_id"])
            continue
        closed = [o for o in os_ if o["closed_at"] and o["is_closed"] != "false"]
        won = [o for o in closed if won_flag(o)]
        upsells += len(won) >= 2
        first = min(parse_ts(o["created_at"]) for o in os_)
        if parse_ts(l["opportunity_at"]) != first:
            mismatches.append(l["lead_id"])
        want_won = min((parse_ts(o["closed_at"]) for o in won), default=None)
        if (parse_ts(l["won_at"]) if l["won_at"] else None) != want_won:
            mismatches.append(l["lead_id"])
        want_lost = max(parse_ts(o["closed_at"]) for o in closed) if closed and not won else None
        if (parse_ts(l["lost_at"]) if l["lost_at"] else None) != want_lost:
            mismatches.append(l["lead_id"])
    check(not mismatches, f"leads' opportunity_at/won_at/lost_at follow their opportunities: {mismatches[:5]}")
    check(upsells >= 1, "a customer with a second won opportunity (upsell)")
    check(any(o["is_closed"] == "false" and o["closed_at"] for o in opps), "open deals with an expected date")
    check(all(money(o["amount"]) and money(o["amount"]) > 0 for o in opps), "deals have amounts")


def case_usage(tmp):
    out = os.path.join(tmp, "u")
    cases = [
        ([], 64), (["--seed", 1, "--out", out], 64),
        (["--leads", 0, "--seed", 1, "--out", out], 64),
        (["--leads", "ten", "--seed", 1, "--out", out], 64),
        (["--leads", 10, "--seed", -1, "--out", out], 64),
        (["--leads", 10, "--seed", 1, "--out", out, "--weeks", 0], 64),
        (["--leads", 10, "--seed", 1, "--out", out, "--bad-rows", "x"], 64),
        # 2025 starts on a Wednesday and is no leap year: 52 ISO weeks
        (["--leads", 10, "--seed", 1, "--out", out, "--end-week", "2025-W53"], 64),
        (["--leads", 10, "--seed", 1, "--out", out, "--end-week", "2026-47"], 64),
        (["--leads", 10, "--seed", 1, "--out", out, "--frobnicate"], 64),
        (["--leads", 10, "--seed", 1, "--out", out, "extra"], 64),
    ]
    for args, want in cases:
        p = subprocess.run([BIN, "gen"] + [str(a) for a in args], capture_output=True, text=True)
        check(p.returncode == want, f"gen {args}: exit {want}, got {p.returncode}")
        check("mqlreport" in p.stderr and len(p.stderr.strip()) > 20,
              f"gen {args}: a message on stderr, got {p.stderr!r}")
    check(not os.path.exists(out), "usage errors write nothing")

    p = subprocess.run([BIN, "gen", "--help"], capture_output=True, text=True)
    check(p.returncode == 0 and "--leads" in p.stdout and "--end-week" in p.stdout,
          "--help prints the options and exits 0")

    p = subprocess.run([BIN, "gen", "--version"], capture_output=True, text=True)
    check(p.returncode == 0 and re.match(r"^mqlreport \d+\.\d+", p.stdout),
          f"--version prints the version: {p.stdout!r}")

    # 1 January 2026 is a Thursday: 2026 has 53 ISO weeks
    p = subprocess.run([BIN, "gen", "--leads", "5", "--seed", "1", "--out", out,
                        "--end-week", "2026-W53"], capture_output=True, text=True)
    check(p.returncode == 0, f"2026-W53 exists: exit {p.returncode} {p.stderr}")

    # without --end-week: the last complete ISO week in UTC, so every lead is
    # created before this week's Monday and after the Monday 26 weeks before
    # it (this week's Monday taken before and after the run: one of the two
    # when the run crosses Monday midnight UTC)
    def this_monday():
        today = datetime.now(timezone.utc).date()
        return datetime(today.year, today.month, today.day, tzinfo=timezone.utc) - \
            timedelta(days=today.weekday())
    mondays = {this_monday()}
    dflt = os.path.join(tmp, "default-week")
    gen_ok(dflt, "--leads", 50, "--seed", 1)
    mondays.add(this_monday())
    created = [parse_ts(l["created_at"]) for l in dicts(dflt, "leads.csv")]
    check(any(all(m - timedelta(weeks=26) <= c < m for c in created)
              and max(created) >= m - timedelta(weeks=1) for m in mondays),
          f"default weeks end before {max(mondays):%Y-%m-%d} and reach into the last complete "
          f"week: {min(created)} … {max(created)}")

    blocker = os.path.join(tmp, "a-file")
    open(blocker, "w").close()
    p = subprocess.run([BIN, "gen", "--leads", "5", "--seed", "1", "--out",
                        os.path.join(blocker, "sub")], capture_output=True, text=True)
    check(p.returncode == 73, f"unwritable output: exit 73, got {p.returncode}")
    check("a-file" in p.stderr, f"the message names the path: {p.stderr!r}")

    # a folder holding an export of the same name: kept, unless --force
    mine = os.path.join(tmp, "my-exports")
    os.makedirs(mine)
    with open(os.path.join(mine, "leads.csv"), "w") as f:
        f.write("precious\n")
    p = subprocess.run([BIN, "gen", "--leads", "5", "--seed", "1", "--out", mine],
                       capture_output=True, text=True)
    with open(os.path.join(mine, "leads.csv")) as f:
        kept = f.read()
    check(p.returncode == 73 and kept == "precious\n" and os.listdir(mine) == ["leads.csv"]
          and f"{os.path.join(mine, 'leads.csv')} exists, and gen does not replace it" in p.stderr
          and "--force" in p.stderr,
          f"an existing export is kept, nothing else written: exit {p.returncode} {p.stderr!r}")
    p = subprocess.run([BIN, "gen", "--leads", "5", "--seed", "1", "--out", mine, "--force"],
                       capture_output=True, text=True)
    with open(os.path.join(mine, "leads.csv")) as f:
        header = f.readline()
    check(p.returncode == 0 and header.startswith("lead_id,"), f"--force replaces it: {p.returncode} {header!r}")


def case_memory(tmp):
    # 100,000 leads make about 2,000,000 events (~130 MB of CSV). A streaming
    # generator's peak memory does not depend on that; 64 MB leaves room for
    # sanitizer builds and is far below the output's size.
    out = os.path.join(tmp, "m")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    gen_ok(out, "--leads", 100000, "--seed", 9, "--end-week", "2026-W47")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    size = sum(os.path.getsize(os.path.join(out, n)) for n in HEADERS)
    check(size > 100 * 2 ** 20, f"the output is large: {size} bytes")
    check(peak_kb < 64 * 1024, f"peak memory {peak_kb} KB < 64 MB (before: {before} KB)")


def case_roundtrip(tmp):
    """What `mqlreport run` reports of generated data (SPEC §8 data_quality)
    is what the generator planted: nothing without --bad-rows, K of each
    defect with it."""
    import json
    for k in (0, 2):
        data, out = os.path.join(tmp, f"data{k}"), os.path.join(tmp, f"out{k}")
        gen_ok(data, "--leads", 1200, "--seed", 3, "--end-week", "2026-W47", "--bad-rows", k)
        p = subprocess.run([BIN, "run", "--data", data, "--week", "2026-W47", "--out", out,
                            "--no-email"], capture_output=True, text=True)
        check(p.returncode == 0, f"run on generated data (bad rows {k}): exit {p.returncode} {p.stderr}")
        if p.returncode != 0:
            continue
        dq = json.load(open(os.path.join(out, "metrics.json")))["data_quality"]
        src = {s["source"]: s for s in dq["sources"]}
        as_of = datetime(2026, 11, 23, tzinfo=timezone.utc)
        for name, source in (("leads.csv", "leads"), ("events.csv", "events"),
                             ("spend.csv", "spend"), ("opportunities.csv", "opportunities")):
            _, data_rows = rows(data, name)
            check(src[source]["rows_read"] == len(data_rows),
                  f"{source}: rows read {src[source]['rows_read']} = rows in the file {len(data_rows)}")
        # K rows of each defect; the reasons per SPEC §3
        want_rejects = {
            "leads": {"unparseable_created_at": k, "wrong_field_count": k},
            "events": {"unparseable_occurred_at": k, "wrong_field_count": k},
            "spend": {"negative_amount": k, "foreign_currency": k, "unparseable_date": k,
                      "wrong_field_count": k},
            "opportunities": {"unparseable_created_at": k},
        }
        for source, want in want_rejects.items():
            got = {r: n for r, n in src[source]["rejected_by_reason"].items() if n}
            check(got == {r: n for r, n in want.items() if n},
                  f"bad rows {k}: {source} rejected by reason {got}")
        warn = {f: n for f, n in src["leads"]["warnings_by_field"].items() if n}
        check(warn == ({"mql_at": k} if k else {}), f"bad rows {k}: lead warnings {warn}")
        check(dq["duplicates"] == {"leads": k, "opportunities": k}, f"duplicates {dq['duplicates']}")
        check(dq["orphaned_events"] == k, f"orphaned events {dq['orphaned_events']}")
        check(dq["orphaned_opportunities"] == k, f"orphaned opportunities {dq['orphaned_opportunities']}")
        check(dq["unknown_event_types"] == k, f"unknown event types {dq['unknown_event_types']}")
        # only open deals' expected close dates lie at or after as_of
        open_future = sum(1 for o in dicts(data, "opportunities.csv")
                          if parse_ts(o["created_at"]) and parse_ts(o["closed_at"]) >= as_of)
        check(src["opportunities"]["timestamps_after_as_of"] == open_future,
              f"timestamps after as_of: {src['opportunities']['timestamps_after_as_of']} = {open_future}")
        for source in ("leads", "events", "spend"):
            check(src[source]["timestamps_after_as_of"] == 0, f"{source}: nothing after as_of")


def case_time_order(tmp):
    """--events-order time: the same rows, events.csv sorted by instant (lead
    number, then the lead's own order, on ties); bad rows first."""
    for k in (0, 2):
        lead, time = os.path.join(tmp, f"lead{k}"), os.path.join(tmp, f"time{k}")
        args = ["--leads", 1500, "--seed", 21, "--end-week", "2026-W47", "--bad-rows", k]
        gen_ok(lead, *args)
        gen_ok(time, *args, "--events-order", "time")
        for name in ("leads.csv", "spend.csv", "opportunities.csv"):
            check(files_bytes(lead)[name] == files_bytes(time)[name], f"bad rows {k}: {name} unchanged")
        _, le = rows(lead, "events.csv")
        _, te = rows(time, "events.csv")
        check(sorted(le) == sorted(te), f"bad rows {k}: the same event rows")
        # the defects (4 kinds × k rows) come first, then every good event
        good = te[4 * k:]
        check(all(len(r) == 5 and parse_ts(r[1]) is not None and r[2] in TYPES and
                  int(r[0][1:]) <= 1500 for r in good),
              f"bad rows {k}: after the first {4 * k} rows, only good events")
        keys = [(parse_ts(r[1]), int(r[0][1:])) for r in good]
        check(all(a <= b for a, b in zip(keys, keys[1:])), f"bad rows {k}: events in time order")
        # within one lead the order is the lead-ordered file's order
        first = collections.defaultdict(list)
        for r in le:
            first[r[0]].append(r)
        second = collections.defaultdict(list)
        for r in good:
            second[r[0]].append(r)
        same = all(second[i] == [r for r in first[i] if r in second[i]] for i in list(second)[:200])
        check(same, f"bad rows {k}: each lead's events keep their order")
    p = subprocess.run([BIN, "gen", "--leads", "5", "--seed", "1", "--out", os.path.join(tmp, "x"),
                        "--events-order", "shuffled"], capture_output=True, text=True)
    check(p.returncode == 64, f"--events-order shuffled: exit 64, got {p.returncode}")
    check(not any(".events-week" in f for d in os.listdir(tmp) if os.path.isdir(os.path.join(tmp, d))
                  for f in os.listdir(os.path.join(tmp, d))), "no temporary files left")


CASES = {"determinism": case_determinism, "roundtrip": case_roundtrip, "time_order": case_time_order, "format": case_format, "bad_rows": case_bad_rows,
         "funnel": case_funnel, "usage": case_usage, "memory": case_memory}

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        CASES[CASE](tmp)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("ok")
