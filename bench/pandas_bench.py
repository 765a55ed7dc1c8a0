"""The pandas peer of bench/run.sh (Debian's python3-pandas).

    pandas_bench.py events DIR          read_csv of events.csv, counts per type and per lead
    pandas_bench.py funnel DIR FROM TO  per-channel leads, mqls, sqls, wins in [FROM, TO)

Prints a small summary so that the peers' answers can be compared.
"""
import sys

import pandas as pd

task, folder = sys.argv[1], sys.argv[2]
if task == "events":
    df = pd.read_csv(f"{folder}/events.csv")
    by_type = df.groupby("type").size()
    by_lead = df.groupby("lead_id").size()
    print(f"types {len(by_type)} leads {len(by_lead)} events {int(by_type.sum())}")
elif task == "funnel":
    lo, hi = pd.Timestamp(sys.argv[3]), pd.Timestamp(sys.argv[4])
    df = pd.read_csv(f"{folder}/leads.csv", dtype=str, keep_default_na=False)
    # SPEC §3's normalisation of the channel
    ch = df["channel"].str.strip().str.lower().str.replace(r"[ -]+", "_", regex=True)
    out = pd.DataFrame({"channel": ch.where(ch != "", "unknown")})
    for col, name in (("created_at", "leads"), ("mql_at", "mqls"), ("sql_at", "sqls"),
                      ("won_at", "wins")):
        t = pd.to_datetime(df[col], utc=True, errors="coerce")
        out[name] = (t >= lo) & (t < hi)
    table = out.groupby("channel")[["leads", "mqls", "sqls", "wins"]].sum().sort_index()
    for channel, row in table.iterrows():
        print(",".join([channel] + [str(int(v)) for v in row]))
else:
    sys.exit("usage: pandas_bench.py events|funnel DIR [FROM TO]")
