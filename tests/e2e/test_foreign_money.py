"""Amounts in another currency than the report's are never summed as the
report's without a word.

- deals: a multi-currency Salesforce opportunity report writes each deal's
  currency in "Amount Currency"; a deal in EUR in a USD report is rejected
  (foreign_currency), as a spend row in another currency is, and its
  amount is not revenue.
- headers: an amount column whose header names another currency than the
  report's ("Amount spent (EUR)", "Cost EUR") is warned about by check and
  run, once per file, naming the file, the header and [report] currency;
  a header naming the report's currency, a code in lower case or three
  capitals that are no currency are not.

Usage: test_foreign_money.py MQLREPORT CASE (CTest passes the binary)."""
import csv
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
CASE = sys.argv[2]
WEEK = "2026-W45"  # Monday 2 November to Monday 9 November 2026, UTC
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def mqlreport(*args, cwd):
    return subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True)


def base_sources(tmp):
    """Two leads of the week, an event and a spend row, in canonical form."""
    write(os.path.join(tmp, "leads.csv"),
          "lead_id,created_at,channel,campaign\n"
          "L1,2026-11-02T10:00:00Z,paid_search,gs_brand\n"
          "L2,2026-11-03T10:00:00Z,paid_search,gs_brand\n")
    write(os.path.join(tmp, "events.csv"),
          "lead_id,occurred_at,type\n"
          "L1,2026-11-02T11:00:00Z,page_visit\n")
    write(os.path.join(tmp, "spend.csv"),
          "date,channel,campaign,amount\n"
          "2026-11-02,paid_search,gs_brand,100.00\n")


def deals(tmp):
    base_sources(tmp)
    # a Salesforce report of a multi-currency org: "Amount Currency" next
    # to "Amount"; one deal in USD, one in EUR (lower case: compared
    # case-insensitively, as spend's currency is), both won in the week
    write(os.path.join(tmp, "opportunities.csv"),
          '"Opportunity ID","Lead ID","Created Date","Close Date","Stage",'
          '"Amount Currency","Amount","Closed","Won"\n'
          '"006A01","L1","11/4/2026","11/5/2026","Closed Won","usd","10,000.00","1","1"\n'
          '"006A02","L2","11/4/2026","11/6/2026","Closed Won","EUR","23,000.00","1","1"\n')
    sources = ("[report]\ntimezone = UTC\ncurrency = USD\n"
               "[source.leads]\nlocation = leads.csv\n"
               "[source.events]\nlocation = events.csv\n"
               "[source.spend]\nlocation = spend.csv\n"
               "[source.opportunities]\nlocation = opportunities.csv\n")
    write(os.path.join(tmp, "deals.ini"), sources)
    # one deal of two rejected is above the default share of rejects a
    # source may have: the run stops and names the reason
    p = mqlreport("run", "--config", "deals.ini", "--week", WEEK, "--out",
                  os.path.join(tmp, "stopped"), "--no-email", cwd=tmp)
    check(p.returncode == 65 and "foreign_currency" in p.stderr,
          "the run stops on the rejected deal and names its reason: exit %d: %s"
          % (p.returncode, p.stderr))
    # with that check relaxed, the report counts the USD deal alone
    write(os.path.join(tmp, "relaxed.ini"), sources + "[health]\nmax_rejected_share = 0.6\n")
    out = os.path.join(tmp, "out")
    p = mqlreport("run", "--config", "relaxed.ini", "--week", WEEK, "--out", out, "--no-email",
                  cwd=tmp)
    check(p.returncode == 0, "run: exit %d: %s" % (p.returncode, p.stderr))
    if p.returncode != 0:
        return
    check('"Amount Currency"' not in p.stderr,
          "the deals' currency column is read, not listed among the ignored ones: %s"
          % p.stderr)
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        m = json.load(f)
    w = m["windows"]["1w"]
    check(w["revenue"] == 10000,
          "only the USD deal is revenue in a USD report (revenue %r)" % w["revenue"])
    check(w["wins"] == 1, "the EUR deal is no win of the report (wins %r)" % w["wins"])
    src = [s for s in m["data_quality"]["sources"] if s["source"] == "opportunities"][0]
    check(src["rows_accepted"] == 1 and src["rows_rejected"] == 1,
          "one deal accepted, one rejected: %r" % src)
    with open(os.path.join(out, "rejects.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r and r[0] == "opportunities"]
    check([r[1:3] for r in rows] == [["3", "foreign_currency"]],
          "rejects.csv lists the EUR deal's line with foreign_currency: %r" % rows)
    # the report's currency decides which deal is foreign
    p = mqlreport("check", "--config", "relaxed.ini", "--week", WEEK, "--currency", "EUR",
                  "--show-rejects", cwd=tmp)
    said = p.stdout + p.stderr
    check("opportunities.csv:2" in said and "foreign_currency" in said
          and "opportunities.csv:3" not in said,
          "check --currency EUR lists the USD deal as rejected, not the EUR one: %s" % said)


def headers(tmp):
    base_sources(tmp)
    # a Meta Ads export as a further spend file, and a plain spend file
    # whose cost column is headed with its currency after a space
    write(os.path.join(tmp, "meta.csv"),
          '"Day","Campaign name","Amount spent (EUR)","Impressions"\n'
          '"2026-11-02","Retargeting EU","210.00","5000"\n'
          '"2026-11-03","Retargeting EU","190.00","4000"\n'
          '"2026-11-04","Retargeting EU","180.00","4100"\n')
    write(os.path.join(tmp, "ads.csv"),
          "Day,Campaign type,Cost EUR\n"
          "2026-11-02,Search,50.00\n"
          "2026-11-03,Search,60.00\n")
    sources = ("[report]\ntimezone = UTC\n"
               "[source.leads]\nlocation = leads.csv\n"
               "[source.events]\nlocation = events.csv\n"
               "[source.spend]\nlocation = ads.csv\n"
               "[columns.spend]\ndate = Day\nchannel = Campaign type\namount = Cost EUR\n"
               "[source.spend.meta]\nlocation = meta.csv\nchannel = paid_social\n"
               "[columns.spend.meta]\ndate = Day\ncampaign = Campaign name\n"
               "amount = Amount spent (EUR)\n")
    write(os.path.join(tmp, "eur.ini"), sources)
    meta = ('spend.meta (meta.csv): the amount column\'s header "Amount spent (EUR)" names '
            'EUR, but the report currency ([report] currency) is USD')
    ads = ('spend (ads.csv): the amount column\'s header "Cost EUR" names EUR, but the '
           'report currency ([report] currency) is USD')
    for verb in ("check", "run"):
        args = [verb, "--config", "eur.ini", "--week", WEEK]
        if verb == "run":
            args += ["--out", os.path.join(tmp, "out"), "--no-email"]
        p = mqlreport(*args, cwd=tmp)
        check(p.returncode == 0, "%s: exit %d: %s" % (verb, p.returncode, p.stderr))
        for want in (meta, ads):
            check(p.stderr.count(want) == 1,
                  "%s warns once of the header naming EUR: %r in %s" % (verb, want, p.stderr))
        check("set currency = EUR in [report]" in p.stderr,
              "%s says which setting changes the report's currency: %s" % (verb, p.stderr))
    # in a EUR report the same headers name the report's own currency
    p = mqlreport("check", "--config", "eur.ini", "--week", WEEK, "--currency", "EUR", cwd=tmp)
    check(p.returncode == 0 and "names EUR" not in p.stderr,
          "no warning when the header names the report's currency: %s" % p.stderr)
    # headers that end in no currency code: "CPC" is none, "(eur)" is not
    # written as a code, "(USD)" is the report's
    write(os.path.join(tmp, "other.csv"),
          "Day,Campaign type,Cost CPC,Cost (eur),Cost (USD)\n"
          "2026-11-02,Search,50.00,1.00,2.00\n")
    for header in ("Cost CPC", "Cost (eur)", "Cost (USD)"):
        write(os.path.join(tmp, "other.ini"),
              "[report]\ntimezone = UTC\n"
              "[source.leads]\nlocation = leads.csv\n"
              "[source.events]\nlocation = events.csv\n"
              "[source.spend]\nlocation = other.csv\n"
              "[columns.spend]\ndate = Day\nchannel = Campaign type\namount = %s\n"
              % header)
        p = mqlreport("check", "--config", "other.ini", "--week", WEEK, cwd=tmp)
        check(p.returncode == 0 and "the amount column's header" not in p.stderr,
              "no warning for the header %r: %s" % (header, p.stderr))


CASES = {"deals": deals, "headers": headers}

with tempfile.TemporaryDirectory() as tmp:
    CASES[CASE](tmp)

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
