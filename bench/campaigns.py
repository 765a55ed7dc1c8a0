#!/usr/bin/env python3
"""Write a data set with many campaigns, to check that the workbook stays
valid when by_campaign has tens of thousands of rows.

    bench/campaigns.py DIR [CAMPAIGNS]      (default 50,000 campaigns)

DIR gets leads.csv, events.csv and spend.csv in the sample's columns: every
campaign has one lead created in the 13 weeks before 2026-11-23 and one spend
row; one lead in ten becomes an MQL, one in thirty an SQL, one in a hundred is
won. Deterministic: the same arguments give the same files. Then:

    mqlreport run --data DIR --week 2026-W47 --out OUT --no-email
"""
import datetime
import os
import random
import sys

CHANNELS = ["paid_search", "paid_social", "linkedin", "webinar", "email", "events", "referral"]


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(1)
    end = datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone.utc)
    start = end - datetime.timedelta(weeks=13)
    span = int((end - start).total_seconds()) - 86400 * 3
    with open(os.path.join(out, "leads.csv"), "w") as leads, \
            open(os.path.join(out, "events.csv"), "w") as events, \
            open(os.path.join(out, "spend.csv"), "w") as spend:
        leads.write("lead_id,created_at,channel,campaign,job_title,company_size,industry,country,"
                    "mql_at,accepted_at,rejected_at,sql_at,first_contact_at,opportunity_at,won_at,"
                    "lost_at,amount\n")
        events.write("lead_id,occurred_at,type,channel,campaign\n")
        spend.write("date,channel,campaign,amount,currency\n")
        for i in range(n):
            ch = CHANNELS[i % len(CHANNELS)]
            camp = f"{ch}_campaign_{i:05d}"
            created = start + datetime.timedelta(seconds=rnd.randrange(span))
            mql = created + datetime.timedelta(hours=rnd.randrange(1, 48)) if i % 10 == 0 else None
            sql = mql + datetime.timedelta(hours=rnd.randrange(1, 24)) if mql and i % 30 == 0 else None
            won = sql + datetime.timedelta(hours=rnd.randrange(1, 24)) if sql and i % 100 == 0 else None
            amount = f"{rnd.randrange(5, 90) * 1000}.00" if won else ""
            leads.write(f"L{i:07d},{iso(created)},{ch},{camp},Marketing Manager,250,software,DE,"
                        f"{iso(mql) if mql else ''},,,{iso(sql) if sql else ''},"
                        f"{iso(created + datetime.timedelta(hours=2))},,"
                        f"{won.strftime('%Y-%m-%d') if won else ''},,{amount}\n")
            events.write(f"L{i:07d},{iso(created + datetime.timedelta(minutes=5))},page_visit,{ch},{camp}\n")
            day = (created - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
            spend.write(f"{day},{ch},{camp},{rnd.randrange(100, 50000) / 100:.2f},USD\n")


if __name__ == "__main__":
    main()
