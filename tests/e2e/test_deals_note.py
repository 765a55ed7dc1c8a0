"""The note on won deals beyond the week's wins, when the further deals have
no amount. The sample's week 2026-W45 has 2 wins and 4 won opportunities,
two of them further deals of customers won in September; here those two
lose their amounts. metrics.json must still count 4 won deals
(windows.1w.won_deals), and the PDF's first page, the workbook's Overview
and both parts of the e-mail must still explain why revenue holds more
deals than Wins counts, naming the deals without an amount.

usage: test_deals_note.py MQLREPORT (CTest passes the binary and sets
MQL_SOURCE_DIR). Every check runs even when one fails."""
import csv
import email
import email.policy
import json
import os
import subprocess
import sys
import tempfile
import warnings

import openpyxl

# openpyxl does not read the data bars' and conditional formats' extensions
warnings.filterwarnings("ignore", category=UserWarning)

SRC = os.environ.get("MQL_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
SAMPLES = os.path.join(SRC, "samples")
WEEK = "2026-W45"
# the two further deals closed in the week, of leads first won in September
FURTHER = {"OPP-0000084", "OPP-0000087"}
NOTE = ("Revenue adds up the amounts of 4 deals won this week (2 of them without an amount, "
        "which add 0); Wins counts the 2 leads won for the first time")

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def flat(text):
    return " ".join(text.split())


def opportunities_without_amounts(path):
    """The sample's opportunities, the further deals' amounts emptied."""
    with open(os.path.join(SAMPLES, "opportunities.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check(FURTHER <= {r["opportunity_id"] for r in rows}, "the sample lacks %s" % sorted(FURTHER))
    for r in rows:
        if r["opportunity_id"] in FURTHER:
            r["amount"] = ""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        opps = os.path.join(tmp, "opportunities.csv")
        opportunities_without_amounts(opps)
        ini = os.path.join(tmp, "mqlreport.ini")
        with open(ini, "w") as f:
            f.write("[report]\ntimezone = UTC\ncurrency = USD\nweek = %s\n" % WEEK)
            for src in ("leads", "events", "spend"):
                f.write("[source.%s]\nlocation = %s\n" % (src, os.path.join(SAMPLES, src + ".csv")))
            f.write("[source.opportunities]\nlocation = %s\n" % opps)
            f.write("[health]\nsource_stale = warn\n")
            f.write("[email]\nsmtp_url = smtp://127.0.0.1:9\nfrom = reports@example.com\n"
                    "to = ceo@example.com\n")
        out = os.path.join(tmp, "out")
        eml = os.path.join(tmp, "m.eml")
        r = subprocess.run([binary, "run", "--config", ini, "--out", out, "--eml", eml],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, LC_ALL="C"))
        if not check(r.returncode == 0, "mqlreport run exited %d\n%s" % (r.returncode, r.stderr)):
            return
        with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
            w = json.load(f)["windows"]["1w"]
        check(w.get("won_deals") == 4 and w.get("wins") == 2 and w.get("deal_size_mean_n") == 2,
              "metrics.json: won_deals %r, wins %r, deal_size_mean_n %r; want 4, 2, 2"
              % (w.get("won_deals"), w.get("wins"), w.get("deal_size_mean_n")))

        pdf = next(os.path.join(out, n) for n in os.listdir(out) if n.endswith(".pdf"))
        p = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"],
                           capture_output=True, text=True, timeout=60)
        check(NOTE in flat(p.stdout), "PDF page 1: no %r" % NOTE)

        xlsx = next(os.path.join(out, n) for n in os.listdir(out) if n.endswith(".xlsx"))
        ws = openpyxl.load_workbook(xlsx)["Overview"]
        texts = flat(" ".join(c.value for row in ws.iter_rows() for c in row
                              if isinstance(c.value, str)))
        check(NOTE in texts, "Overview: no %r" % NOTE)

        with open(eml, "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        for kind in ("plain", "html"):
            part = msg.get_body(preferencelist=(kind,))
            body = flat(part.get_content()) if part else ""
            if kind == "html":
                body = body.replace("&#39;", "'").replace("&#x27;", "'")
            check(NOTE in body, "e-mail (%s part): no %r" % (kind, NOTE))
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("ok: the note counts the won deals without an amount in every output")


if __name__ == "__main__":
    main()
