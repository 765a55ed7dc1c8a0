"""E-mailing the reports through a real SMTP server on 127.0.0.1 (aiosmtpd,
STARTTLS with a self-signed certificate). argv: mqlreport."""
import base64
import datetime
import email
import email.policy
import html.parser
import json
import os
import re
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from tlsutil import make_cert  # noqa: E402
from scratch import scratch  # noqa: E402

BIN = sys.argv[1]
check = opsrun.Checks()
W = opsrun.WEEK
XLSX = f"mqlreport-{W}.xlsx"
PDF = f"campaign-roi-{W}.pdf"


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def bodies(msg):
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return (text.get_content() if text else ""), (html.get_content() if html else "")


def attachments(msg):
    return {part.get_filename(): part.get_payload(decode=True) for part in msg.iter_attachments()}


class _Cells(html.parser.HTMLParser):
    """The rows of the first <table> that has a <th>KPI</th>, as cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.in_kpi = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join(self.cell.replace("\u25b2", "").replace("\u25bc", "").split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row[:1] == ["KPI"]:
                self.in_kpi = True
            elif self.in_kpi and len(self.row) == 4:
                self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.in_kpi = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def kpi_rows(body):
    p = _Cells()
    p.feed(body)
    return p.rows


def catalogue():
    """The metrics' catalogue (templates/metrics.ini)."""
    import configparser
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates",
                         "metrics.ini"), encoding="utf-8")
    return cp


def young_labels():
    """The labels of the catalogue's KPIs whose week is not yet comparable
    with the last (a cohort still converting: its `young` line)."""
    cp = catalogue()
    return [cp.get(k, "label") for k in cp.sections() if cp.has_option(k, "young")]


def young_keys():
    """The keys of the catalogue's KPIs that have a `young` line."""
    cp = catalogue()
    return {k for k in cp.sections() if cp.has_option(k, "young")}


def no_cases_texts():
    """What the catalogue's KPIs lack when their figure rests on no case at
    all (their `no_cases` line: "no deal won" of a ROI), flagged in its place."""
    cp = catalogue()
    return [cp.get(k, "no_cases") for k in cp.sections() if cp.has_option(k, "no_cases")]


def check_design(msg, text, body, metrics=None):
    """The subject, the inline picture, nothing about JSON, no empty paragraph.
    With metrics: a report that goes out with data-health warnings says so
    first in its subject."""
    subject = str(msg["Subject"])
    # the MQLs, then the movements outside their usual range, if any can be judged
    m = re.match(r"MQL report, week \d+ \(\d+.*\): (?:(\d+) data warnings?; )?\d+ MQLs \([+\u2212\u00b1][\d.]+%\)(, |$)",
                 subject)
    check(m, f"the subject has the week's dates and the headline movements: {subject}")
    if m and metrics is not None:
        warns = sum(1 for r in metrics["data_quality"].get("health", []) if r["status"] == "warn")
        check(int(m.group(1) or 0) == warns,
              f"the subject says {m.group(1) or 0} data warnings, metrics.json has {warns}: {subject}")
    if metrics is not None:
        # the rows no figure counts are said in both bodies, by source
        rejected = [(r["source"], r["rows_rejected"]) for r in metrics["data_quality"]["sources"]
                    if r.get("rows_rejected")]
        total = sum(n for _, n in rejected)
        said = "Left out of every figure: %d row%s the exports hold but the report could not " \
               "read (%s)" % (total, "" if total == 1 else "s", ", ".join(f"{s} {n}" for s, n in rejected))
        for name, b in (("text", text), ("HTML", body)):
            flat = " ".join(b.split())
            check((said in flat) == bool(total),
                  f"the {name} body says the {total} rejected rows by source: {said!r}")
    # a change not yet comparable with last week (a cohort still converting)
    # is no headline, and neither body calls it better or worse
    check("MQL \u2192 SQL rate" not in subject and "time to SQL" not in subject,
          f"the subject leaves out the changes not yet comparable: {subject}")
    line = next((ln for ln in text.splitlines() if ln.startswith("MQL \u2192 SQL rate ")), "")
    flat = " ".join(text.split())
    why = flat[flat.find("Not judged better or worse, as not yet comparable with last week:"):]
    check(line and not line.rstrip().endswith(("better", "worse"))
          and why and "MQL \u2192 SQL rate: this week's MQLs have had at most 7 days" in why[:600],
          f"the text body leaves the MQL \u2192 SQL rate unjudged and says why: {line!r}")
    # so every such KPI in the table: the lead → MQL rate's leads are days old too
    young = young_labels()
    check("Lead \u2192 MQL rate" in young, f"the catalogue's young KPIs: {young}")
    for label in young:
        row = next((ln for ln in text.splitlines() if ln.startswith(label + " ")), None)
        if row is None:
            continue
        # a dash this week has nothing to compare: not called so
        dash = row[len(label):].split()[:1] == ["\u2014"]
        check(not row.rstrip().endswith(("better", "worse")) and (label + ":" in why[:900]) != dash,
              f"the text body judges {label}, or calls a dash not yet comparable: {row!r}")
    check(msg.get_content_type() == "multipart/mixed", "the message is multipart/mixed")
    alt = next((p for p in msg.walk() if p.get_content_type() == "multipart/alternative"), None)
    rel = next((p for p in msg.walk() if p.get_content_type() == "multipart/related"), None)
    check(alt is not None and rel is not None and rel in list(alt.iter_parts()),
          "the HTML and its picture are multipart/related inside multipart/alternative")
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    check(len(images) == 1, f"one inline picture ({len(images)})")
    if images:
        img = images[0]
        cid = (img["Content-ID"] or "").strip("<>")
        data = img.get_payload(decode=True) or b""
        check(img.get_content_disposition() == "inline" and data.startswith(b"\x89PNG"),
              "the picture is a PNG attached inline")
        m = re.search(r'<img src="cid:([^"]+)" alt="([^"]+)"', body)
        check(m is not None and m.group(1) == cid and len(m.group(2)) > 20,
              f"the HTML shows the picture by cid:{cid} with alt text")
    for name, b in (("text", text), ("HTML", body)):
        check("JSON" not in b and "json" not in b.lower(), f"the {name} body says nothing about JSON")
        # points: a decimal only under 100 ("−25.6 pp", "−1,286 pp")
        big = re.findall(r"\d{1,3}(?:,\d{3})+\.\d pp|\d{3,}\.\d pp", b)
        check(not big, f"the {name} body writes a change of 100 points or more with a decimal: {big}")
        # which way the threshold errs, in both bodies (REPORTS.md)
        check(re.search(r"(QUALIFICATION|>Qualification</h2>)", b) is not None
              and "Over the last 13 weeks sales" in " ".join(b.split()),
              f"the {name} body says which way the threshold errs")
        # after the week's figures: a phone's first screens show what
        # changed and the figures, the 13 weeks' diagnosis after them
        q = re.search(r"(QUALIFICATION|>Qualification</h2>)", b)
        f = re.search(r"(THE WEEK'S FIGURES|>The week's figures</h2>)", b)
        check(q is not None and f is not None and f.start() < q.start(),
              f"the {name} body puts the qualification after the week's figures")
    check(not re.search(r"<p[^>]*>\s*(<strong>\s*</strong>)?\s*</p>", body), "the HTML has no empty paragraph")
    check('max-width:600px' in body and "<style" not in body and "http://" not in body.replace("http://www.w3.org", "")
          and "https://" not in body, "one column of at most 600 px, inline styles, nothing fetched")


def fresh(tmp, name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return d


def main():
    tmp = scratch("mql-mail-")
    cert, key = make_cert(tmp)

    # 1. a normal run: one message with both reports to to + cc, over STARTTLS with AUTH
    srv = smtp_server.Server("ok", cert, key)
    d = fresh(tmp, "normal")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert))
    rc, out = opsrun.run(BIN, cfg, env={"MQLREPORT_SMTP_DEBUG": "1"})
    week_dir = os.path.join(d, "out", W)
    check(rc == 0, f"run with e-mail: exit 0 ({rc})\n{out}")
    # AUTH PLAIN carries base64("\0user\0password"): neither form may be logged
    plain = base64.b64encode(f"\0{opsrun.SMTP_USER}\0{opsrun.SMTP_PASS}".encode()).decode()
    check("smtp > [redacted]" in out and "STARTTLS" in out and plain not in out,
          "the SMTP debug log shows the dialogue with AUTH redacted")
    check(len(srv.rec.messages) == 1, f"one message accepted ({len(srv.rec.messages)})")
    check(srv.rec.commands[:3] == ["EHLO", "STARTTLS", "EHLO"] and "AUTH" in srv.rec.commands,
          f"STARTTLS before AUTH: {srv.rec.commands}")
    check(srv.rec.logins == [(opsrun.SMTP_USER, opsrun.SMTP_PASS)], "the credentials come from the environment")
    check(opsrun.SMTP_PASS not in out, "the SMTP password appears in no output")
    if srv.rec.messages:
        mail_from, rcpts, raw = srv.rec.messages[0]
        msg = parse(raw)
        check(mail_from == "reports@example.com", "envelope sender is [email] from")
        check(sorted(rcpts) == ["archive@example.com", "ceo@example.com", "cmo@example.com"],
              f"envelope recipients are to + cc: {rcpts}")
        check(msg["To"] == "ceo@example.com, cmo@example.com" and msg["Cc"] == "archive@example.com",
              "To and Cc headers")
        check(msg["Message-ID"].startswith(f"<mqlreport.{W}.workbook+pdf.") or
              msg["Message-ID"].startswith(f"<mqlreport.{W}.workbook-pdf."),
              f"Message-ID names the week: {msg['Message-ID']}")
        att = attachments(msg)
        check(sorted(att) == sorted([XLSX, PDF]), f"both reports attached: {sorted(att)}")
        for name in (XLSX, PDF):
            with open(os.path.join(week_dir, name), "rb") as f:
                check(att.get(name) == f.read(), f"{name}: the attachment decodes to the written file's bytes")
        text, html = bodies(msg)
        # hand-worked in tests/fixtures/ops/README.md: MQLs 2 (1 last week), leads 3 (1)
        rows = kpi_rows(html)
        check(["MQLs", "2", "1", "+100%"] in rows and ["Leads", "3", "1", "+200%"] in rows,
              f"the HTML KPI table holds this week, last week and the change: {rows[:4]}")
        check(len(rows) >= 11, f"the HTML KPI table has every headline KPI ({len(rows)} rows)")
        few = young = 0
        none = "|".join(re.escape(t) for t in no_cases_texts() + ["no case"])
        for cells in rows:
            # a figure on few cases, or not yet comparable, is flagged beside
            # its label in HTML, after its change in text: "Lead → MQL rate
            # (only 3 cases)", "MQL → SQL rate (not yet comparable)", one on
            # no case at all with what it lacks: "ROI (no deal won)"
            m = re.fullmatch(r"(.*) \((only \d+ cases?|not yet comparable|%s)\)" % none, cells[0])
            label, flag = (m.group(1), m.group(2)) if m else (cells[0], None)
            line = next((ln for ln in text.splitlines() if ln.startswith(label + " ")), "")
            check(all(c in line for c in [label] + cells[1:]),
                  f"the plain text carries the KPI {cells} ({line!r})")
            check(len(line) <= 78, f"the plain text's KPI row fits 78 characters ({len(line)}: {line!r})")
            if flag:
                few += flag != "not yet comparable"
                young += flag == "not yet comparable"
                check(line.endswith("  " + flag) and "better" not in line and "worse" not in line,
                      f"the plain text flags {label} as {flag}, unjudged ({line!r})")
        with open(os.path.join(week_dir, "metrics.json")) as f:
            summary = json.load(f)["summary"]
        # a KPI whose cohort is still converting, with a figure this week
        # and on enough cases (a dash has nothing to compare)
        keys = young_keys()
        want = sum(1 for r in summary if r["kpi"] in keys and r.get("this_week") is not None
                   and not r.get("low_sample"))
        check(young == want, f"{young} KPIs flagged not yet comparable, {want} in metrics.json")
        flagged = sum(1 for r in summary if r.get("low_sample"))
        check(few == flagged and few > 0,
              f"the KPIs on few cases are flagged: {few} in the mail, {flagged} in metrics.json")
        with open(os.path.join(week_dir, "metrics.json")) as f:
            metrics = json.load(f)
        check_design(msg, text, html, metrics)
        # under the title: what an MQL is here, and when the data ends, in the report's zone
        flat = " ".join(text.split())
        check("MQLs: the leads export's MQL date. Data before Mon " in flat
              and metrics["report"]["timezone"] in flat.split("Data before", 1)[-1][:60],
              f"the text part says what decides an MQL and the data's cut-off:\n{text[:400]}")
        cut = [ln for ln in text.splitlines() if ln.startswith("Data before ")]
        check(len(cut) == 1 and cut[0].endswith(" " + metrics["report"]["timezone"] + "."),
              f"the cut-off is one line, its time beside its zone: {cut}\n{text[:400]}")
        check("MQLs: the leads export" in html, "the HTML part says what decides an MQL")
        for row in metrics.get("summary", []):
            if row["kpi"] in ("leads", "mqls", "sqls", "wins") and row["this_week"] is not None:
                check(f" {row['this_week']:,}" in text, f"text body holds {row['kpi']} = {row['this_week']} of metrics.json")
        check(f"week {int(W.split('W')[1])} (" in msg["Subject"], f"subject names the week: {msg['Subject']}")
    check(os.path.exists(os.path.join(week_dir, "delivery.ini")), "the week is marked sent")
    with open(os.path.join(week_dir, "manifest.json")) as f:
        man = json.load(f)
    msgs = man["email"]["messages"]
    check(man["exit_status"] == 0 and msgs and msgs[0]["status"] == "sent"
          and msgs[0]["to"] == ["ceo@example.com", "cmo@example.com"], "the manifest says what was sent to whom")
    # the server's whole reply, queue id included, not its code alone
    queued = "250 2.0.0 Ok: queued as Q00001"
    check(msgs and msgs[0].get("html_left_out") is False and msgs[0].get("left_out") == [],
          f"the manifest: nothing left out of a message within the limit, its HTML version neither: {msgs[:1]}")
    check(msgs and msgs[0].get("server_reply") == 250 and msgs[0].get("server_reply_text") == queued,
          f"the manifest records the server's reply line: {msgs[:1]}")
    with open(os.path.join(week_dir, "delivery.ini")) as f:
        check(f"reply_text={queued}" in f.read(), "delivery.ini records the reply line")
    check(sorted(o["kind"] for o in man["outputs"]) == ["json", "pdf", "rejects", "workbook"]
          and all(len(o["sha256"]) == 64 for o in man["outputs"]), "the manifest lists the outputs with SHA-256")
    check(len(man["inputs"]) == 3 and all(len(i["sha256"]) == 64 and i["bytes"] > 0 for i in man["inputs"]),
          "the manifest lists the inputs with bytes and SHA-256")

    # 2. the same week again: nothing sent; 3. --resend: sent again
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and len(srv.rec.messages) == 1, f"rerun of a sent week sends nothing ({rc}, {len(srv.rec.messages)})")
    check("already sent" in out and "other figures" not in out, "the log says the week was already sent")
    with open(os.path.join(week_dir, "manifest.json")) as f:
        man = json.load(f)
    check([m.get("figures") for m in man["email"]["messages"]] == ["as_sent"],
          f"the rerun's manifest: the figures are those sent ({man['email']})")
    # this run attached nothing, and the earlier one's attachments are not
    # recorded: null, not an empty list read as "nothing attached"
    check([(m.get("attached", 0), m.get("left_out", 0)) for m in man["email"]["messages"]]
          == [(None, None)], f"the rerun's manifest: no attachments claimed ({man['email']})")
    check([m.get("html_left_out", 0) for m in man["email"]["messages"]] == [None],
          f"the rerun's manifest: nothing said of the earlier run's HTML version ({man['email']})")
    # 2a. the week again on a later export, which adds only rows after the week: the
    # report's figures are the same (data_quality counts the rows past as_of)
    with open(os.path.join(opsrun.FIXTURE, "leads.csv")) as f:
        later = f.read().rstrip("\n") + "\nL900,2026-12-01T10:00:00Z,webinar,q4_webinar,,\n"
    with open(os.path.join(d, "leads-later.csv"), "w") as f:
        f.write(later)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert),
                              sources={"leads": {"location": os.path.join(d, "leads-later.csv")}})
    rc, out = opsrun.run(BIN, cfg)
    with open(os.path.join(week_dir, "metrics.json")) as f:
        after = json.load(f)["data_quality"]["sources"]
    past = [r.get("timestamps_after_as_of") for r in after if r["source"] == "leads"]
    check(rc == 0 and len(srv.rec.messages) == 1 and "already sent" in out
          and "other figures" not in out and past and past[0] >= 1,
          f"a rerun on a later export with rows after the week only: the same figures, nothing "
          f"sent ({rc}, {len(srv.rec.messages)}, rows after as_of {past})\n{out}")
    # 2b. an export corrected after the week was sent: the published outputs are the new
    # figures, the recipients hold the old ones; the run says so and sends nothing
    with open(os.path.join(opsrun.FIXTURE, "spend.csv")) as f:
        spend = f.read().splitlines()
    fields = spend[-1].split(",")
    amount = next(i for i, h in enumerate(spend[0].split(",")) if h == "amount")
    fields[amount] = str(float(fields[amount]) + 1000)
    with open(os.path.join(d, "spend.csv"), "w") as f:
        f.write("\n".join(spend[:-1] + [",".join(fields)]) + "\n")
    opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert),
                        sources={"spend": {"location": os.path.join(d, "spend.csv")}})
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and len(srv.rec.messages) == 1 and "with other figures than this run's" in out
          and "use --resend to send these" in out,
          f"a rerun on a corrected export: nothing sent, the changed figures said ({rc}, "
          f"{len(srv.rec.messages)})\n{out}")
    with open(os.path.join(week_dir, "manifest.json")) as f:
        man = json.load(f)
    check([m.get("figures") for m in man["email"]["messages"]] == ["changed"]
          and "with other figures than these" in man["email"]["result"],
          f"the manifest says the figures sent were other ones ({man['email']})")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert))
    # The footer says when the report was generated, to the minute: both runs below are pinned
    # to one second, so that the sent message and the .eml match also across a minute boundary.
    pinned = {"SOURCE_DATE_EPOCH": str(int(time.time()))}
    rc, out = opsrun.run(BIN, cfg, "--resend", env=pinned)
    check(rc == 0 and len(srv.rec.messages) == 2, f"--resend sends again ({rc}, {len(srv.rec.messages)})")
    if len(srv.rec.messages) == 2:
        ids = [parse(m[2])["Message-ID"] for m in srv.rec.messages]
        check(ids[0] != ids[1] and ".resent" in ids[1], f"a resent copy has its own Message-ID: {ids}")

    # 4. --eml writes the message instead; 5. --no-email sends nothing
    eml = os.path.join(tmp, "out.eml")
    rc, out = opsrun.run(BIN, cfg, "--eml", eml, "--resend", env=pinned)
    check(rc == 0 and len(srv.rec.messages) == 2 and os.path.exists(eml), f"--eml writes the message, sends nothing ({rc})")
    if os.path.exists(eml):
        with open(eml, "rb") as f:
            msg = parse(f.read())
        check(sorted(attachments(msg)) == sorted([XLSX, PDF]), "the .eml holds both attachments")
        sent = parse(srv.rec.messages[-1][2])
        def images(m):
            return [p.get_payload(decode=True) for p in m.walk() if p.get_content_maintype() == "image"]
        (text, html), (sent_text, sent_html) = bodies(msg), bodies(sent)
        differ = [what for what, a, b in (("subject", msg["Subject"], sent["Subject"]),
                                          ("text body", text, sent_text), ("HTML body", html, sent_html),
                                          ("picture", images(msg), images(sent))) if a != b]
        check(not differ, f"the .eml holds the same subject, bodies and picture as the message sent (differ: {differ})")
        check_design(msg, text, html)
    # the same figures made again (a send cut off before it was recorded,
    # then the week rerun): another moment of making, so other bytes in
    # every output, but the same Message-ID, by which mail systems drop the
    # second copy
    d6 = fresh(tmp, "again")
    cfg6 = opsrun.write_config(d6, email=opsrun.email_keys(srv.port, cert))
    ids, made = [], []
    for k in range(2):
        eml6 = os.path.join(tmp, f"again-{k}.eml")
        rc, out = opsrun.run(BIN, cfg6, "--eml", eml6, env={"SOURCE_DATE_EPOCH": str(1764000000 + 3600 * k)})
        if check(rc == 0 and os.path.exists(eml6), f"--eml, made again ({rc})\n{out}"):
            with open(eml6, "rb") as f:
                ids.append(parse(f.read())["Message-ID"])
            with open(os.path.join(d6, "out", W, "manifest.json")) as f:
                made.append(sorted(o["sha256"] for o in json.load(f)["outputs"]))
    check(len(ids) == 2 and ids[0] == ids[1] and made[0] != made[1],
          f"the same figures made at another moment: other bytes, the same Message-ID ({ids})")
    d5 = fresh(tmp, "noemail")
    cfg5 = opsrun.write_config(d5, email=opsrun.email_keys(srv.port, cert))
    rc, out = opsrun.run(BIN, cfg5, "--no-email")
    check(rc == 0 and len(srv.rec.messages) == 2, f"--no-email sends nothing ({rc})")
    check(not os.path.exists(os.path.join(d5, "out", W, "delivery.ini")), "--no-email marks nothing sent")

    # 5b. --out names one folder for every week: each week is sent once, the
    # week before does not count as this one sent
    y, wk = (int(x) for x in W.split("-W"))
    before = datetime.date.fromisocalendar(y, wk, 1) - datetime.timedelta(days=7)
    W0 = "%d-W%02d" % before.isocalendar()[:2]
    d = fresh(tmp, "fixed-out")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert))
    with open(cfg, "a") as f:  # the fixture's events all fall in the later week
        f.write("\n[health]\nsource_stale = warn\n")
    fixed = os.path.join(d, "reports")
    sent = len(srv.rec.messages)
    rc0, out0 = opsrun.run(BIN, cfg, "--week", W0, "--out", fixed)
    rc1, out1 = opsrun.run(BIN, cfg, "--week", W, "--out", fixed)
    subjects = [parse(m[2])["Subject"] for m in srv.rec.messages[sent:]]
    check(rc0 == 0 and rc1 == 0 and len(subjects) == 2 and "already sent" not in out1
          and f"week {wk - 1} (" in subjects[0] and f"week {wk} (" in subjects[1],
          f"one --out folder for two weeks: both weeks sent ({rc0}, {rc1}, {subjects})\n{out1}")
    rc2, out2 = opsrun.run(BIN, cfg, "--week", W, "--out", fixed)
    check(rc2 == 0 and len(srv.rec.messages) == sent + 2 and "already sent" in out2,
          f"the same week again into that folder: not sent twice ({rc2})\n{out2}")
    with open(os.path.join(fixed, "delivery.ini")) as f:
        state = f.read()
    check(f"week={W}" in state and W0 not in state, f"delivery.ini records the week sent:\n{state}")

    # 5c. a spend row the reader rejects (a negative amount): both bodies say
    # that rows are left out of every figure, and how many of which export
    d = fresh(tmp, "rejected")
    with open(os.path.join(opsrun.FIXTURE, "spend.csv")) as f:
        spend = f.read().splitlines()
    fields = spend[-1].split(",")
    fields[next(i for i, h in enumerate(spend[0].split(",")) if h == "amount")] = "-40"
    with open(os.path.join(d, "spend.csv"), "w") as f:
        f.write("\n".join(spend + [",".join(fields)]) + "\n")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert),
                              sources={"spend": {"location": os.path.join(d, "spend.csv")}})
    with open(cfg, "a") as f:  # one row in three rejected: above the default limit
        f.write("\n[health]\nmax_rejected_share = 0.5\n")
    eml = os.path.join(d, "m.eml")
    rc, out = opsrun.run(BIN, cfg, "--eml", eml)
    check(rc == 0 and os.path.exists(eml), f"a rejected spend row: the report is written ({rc})\n{out}")
    if os.path.exists(eml):
        with open(eml, "rb") as f:
            msg = parse(f.read())
        text, html = bodies(msg)
        with open(os.path.join(d, "out", W, "metrics.json")) as f:
            metrics = json.load(f)
        check([r["rows_rejected"] for r in metrics["data_quality"]["sources"] if r["source"] == "spend"] == [1],
              "the negative amount is rejected")
        check("Left out of every figure: 1 row the exports hold but the report could not read "
              "(spend 1)" in " ".join(text.split()), "the text body says the rejected spend row")
        check_design(msg, text, html, metrics)
    srv.stop()

    # 6. a server without STARTTLS: the send fails before any AUTH
    plain = smtp_server.Server("ok")
    d = fresh(tmp, "nostarttls")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(plain.port, cert))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 69, f"no STARTTLS: exit 69 ({rc})\n{out}")
    check("AUTH" not in plain.rec.commands and "MAIL" not in plain.rec.commands,
          f"no STARTTLS: no AUTH or MAIL sent: {plain.rec.commands}")
    check(not plain.rec.messages and not plain.rec.logins, "no STARTTLS: nothing delivered, no credentials")
    check(os.path.exists(os.path.join(d, "out", W, XLSX)), "no STARTTLS: the outputs are kept")
    plain.stop()

    # 6b. smtps://: TLS from the first byte
    tls = smtp_server.Server("ok", cert, key, implicit_tls=True)
    d = fresh(tmp, "smtps")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(tls.port, cert, smtp_url=f"smtps://127.0.0.1:{tls.port}"))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and len(tls.rec.messages) == 1 and "STARTTLS" not in tls.rec.commands
          and tls.rec.logins == [(opsrun.SMTP_USER, opsrun.SMTP_PASS)], f"smtps:// delivers over TLS ({rc})\n{out}")
    tls.stop()

    # 6c. an address whose local part is not ASCII (RFC 6531): where the server offers
    # SMTPUTF8 the message goes with it (MAIL FROM ... SMTPUTF8), over STARTTLS with AUTH;
    # where it does not, no such address reaches the server, even one that would take the
    # raw bytes without having offered to: exit 69 naming the address and why, the
    # outputs kept, the week not marked sent
    wide_to = "j\u00f6rg@example.com, ceo@example.com"
    envelope = "j\u00f6rg@example.com, ceo@example.com, archive@example.com"
    for offered in (True, False):
        srv = smtp_server.Server("ok", cert, key, utf8="offer" if offered else "silent")
        d = fresh(tmp, f"utf8-{offered}")
        cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, to=wide_to))
        rc, out = opsrun.run(BIN, cfg)
        week_dir = os.path.join(d, "out", W)
        mail_args = [a for verb, a in srv.rec.envelope_args if verb == "MAIL"]
        wide = [a for _, a in srv.rec.envelope_args if not a.isascii()]
        if offered:
            check(rc == 0 and len(srv.rec.messages) == 1
                  and sorted(srv.rec.messages[0][1]) == sorted(envelope.split(", "))
                  and mail_args == ["FROM:<reports@example.com> SMTPUTF8"] and "AUTH" in srv.rec.commands,
                  f"SMTPUTF8 offered: delivered to j\u00f6rg@ with MAIL FROM ... SMTPUTF8 ({rc}, {mail_args}, "
                  f"{[m[1] for m in srv.rec.messages]})\n{out}")
            continue
        want = (f"e-mail to {envelope}: the SMTP server 127.0.0.1:{srv.port} does not accept addresses "
                "that are not ASCII (it offers no SMTPUTF8), and the recipient j\u00f6rg@example.com is one; "
                "nothing was sent")
        check(rc == 69 and want in out, f"no SMTPUTF8: exit 69 naming the address and why ({rc})\n{out}")
        check(not wide and all(m[1] == ["oncall@example.com"] for m in srv.rec.messages)
              and "SMTPUTF8" not in " ".join(a for _, a in srv.rec.envelope_args),
              f"no SMTPUTF8: no address that is not ASCII sent, only the operator's notice delivered "
              f"({srv.rec.envelope_args})")
        check(os.path.exists(os.path.join(week_dir, XLSX))
              and not os.path.exists(os.path.join(week_dir, "delivery.ini")),
              "no SMTPUTF8: the outputs kept, the week not marked sent")
        with open(os.path.join(week_dir, "manifest.json")) as f:
            error = json.load(f)["error"] or ""
        check(want in error, f"no SMTPUTF8: the manifest says why: {error}")
        srv.stop()
        # the sender's address is checked as the recipients' are
        srv = smtp_server.Server("ok", cert, key, utf8="silent")
        d = fresh(tmp, "utf8-from")
        cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, operator=None,
                                                             **{"from": "r\u00e9ports@example.com"}))
        rc, out = opsrun.run(BIN, cfg)
        check(rc == 69 and "and the sender r\u00e9ports@example.com is one; nothing was sent" in out
              and "MAIL" not in srv.rec.commands and not srv.rec.messages,
              f"no SMTPUTF8, a sender that is not ASCII: exit 69, no MAIL sent ({rc}, {srv.rec.commands})\n{out}")
    srv.stop()
    # check --connect says so before a run does: the server offers SMTPUTF8 or not
    for offered in (True, False):
        srv = smtp_server.Server("ok", cert, key, utf8="offer" if offered else "silent")
        d = fresh(tmp, f"utf8-check-{offered}")
        cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, to=wide_to))
        p = subprocess.run([BIN, "check", "--connect", "--config", cfg], capture_output=True, timeout=120,
                           env=dict(os.environ, MQL_TEST_SMTP_USER=opsrun.SMTP_USER,
                                    MQL_TEST_SMTP_PASS=opsrun.SMTP_PASS, LC_ALL="C"))
        out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        if offered:
            check(p.returncode == 0 and "check: OK" in out, f"check --connect, SMTPUTF8 offered: OK ({p.returncode})\n{out}")
        else:
            check(p.returncode == 69 and "does not accept addresses that are not ASCII (it offers no SMTPUTF8), "
                  "and the recipient j\u00f6rg@example.com is one" in out and not srv.rec.messages,
                  f"check --connect, no SMTPUTF8: exit 69 naming the address, as the run would ({p.returncode})\n{out}")
        srv.stop()

    # 7. a 4xx is retried
    srv = smtp_server.Server("tempfail", cert, key)
    d = fresh(tmp, "tempfail")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and srv.rec.data_attempts == 2 and len(srv.rec.messages) == 1,
          f"451 then 250: retried and accepted ({rc}, {srv.rec.data_attempts} DATA)\n{out}")
    srv.stop()

    # 7b. a server that takes the message and then says nothing (200 s): [email] timeout
    # bounds that wait too, and the QUIT after it, as it bounds the greeting; the run ends
    # soon after the timeout with 69, the week not marked sent, the operator told
    srv = smtp_server.Server("stall:oncall@example.com", cert, key, hold=200)
    d = fresh(tmp, "stalled")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, timeout="10", retries="0"))
    env = dict(os.environ, MQL_TEST_SMTP_USER=opsrun.SMTP_USER, MQL_TEST_SMTP_PASS=opsrun.SMTP_PASS)
    proc = subprocess.Popen([BIN, "run", "--config", cfg], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    t0 = time.monotonic()
    while srv.rec.data_attempts < 1 and time.monotonic() - t0 < 60:
        time.sleep(0.05)
    t0 = time.monotonic()
    try:
        out = proc.communicate(timeout=200)[0].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        proc.kill()
        out = proc.communicate()[0].decode("utf-8", "replace")
    took = time.monotonic() - t0
    check(srv.rec.data_attempts >= 1 and proc.returncode == 69 and took < 10 + 15,
          f"the end of DATA unanswered: exit 69 within the timeout of 10 s and a little "
          f"({proc.returncode}, {took:.1f} s after the message)\n{out}")
    check(f"the SMTP server 127.0.0.1:{srv.port} did not answer the end of the message within "
          "10 s ([email] timeout); it may have been delivered all the same, so it is not sent "
          "again in this run; the message is not recorded as sent" in out,
          f"the log says the server did not answer the end of the message in time\n{out}")
    check(not os.path.exists(os.path.join(d, "out", W, "delivery.ini"))
          and [r for _, r, _ in srv.rec.messages] == [["oncall@example.com"]],
          "the stalled message is not marked sent; the operator is told")
    # the notice, like the error, says the message may have been delivered, not that
    # nothing reached the server, and asks for a look before the week is run again
    notice = [raw for _, r, raw in srv.rec.messages if r == ["oncall@example.com"]]
    flat = " ".join(bodies(parse(notice[0]))[0].split()) if notice else ""
    check("no report message reached the mail server" not in flat
          and "The report message may have reached its recipients all the same: the mail "
          "server took it whole but did not confirm it before the run failed." in flat
          and "ask a recipient whether the report arrived first" in flat
          and "it may have been delivered all the same" in flat,
          f"the notice says the unconfirmed message may have been delivered:\n{flat}")
    srv.stop()

    # 7c. the same with retries: the server took the whole message, which it may deliver
    # all the same, so it is not sent again in this run (a retry gave the recipients up to
    # four copies with exit 0); the log says so
    srv = smtp_server.Server("stall:oncall@example.com", cert, key, hold=200)
    d = fresh(tmp, "stalled-retries")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, timeout="3", retries="3",
                                                         backoff="0.1"))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 69 and srv.rec.data_attempts == 2,
          f"the end of DATA unanswered, retries = 3: one report message and the notice, "
          f"not a retry ({rc}, {srv.rec.data_attempts} DATA)\n{out}")
    check("did not answer the end of the message within 3 s ([email] timeout); it may have been "
          "delivered all the same, so it is not sent again in this run" in out,
          f"the log says the message may have been delivered, and is not sent again\n{out}")
    srv.stop()

    # 8. a 5xx is reported: exit 69, outputs kept, not marked sent, operator told. The
    # smtp_url carries user info (which libcurl would log in): the message names the
    # server by host and port only, never that password nor the configured one
    srv = smtp_server.Server("reject", cert, key)
    d = fresh(tmp, "reject")
    url_pass = "url-pa55-never-logged"
    cfg = opsrun.write_config(d, email=opsrun.email_keys(
        srv.port, cert, operator=None, smtp_url=f"smtp://relay-user:{url_pass}@127.0.0.1:{srv.port}"))
    rc, out = opsrun.run(BIN, cfg)
    week_dir = os.path.join(d, "out", W)
    check(rc == 69 and srv.rec.data_attempts == 1, f"554: exit 69, not retried ({rc}, {srv.rec.data_attempts})\n{out}")
    check(all(os.path.exists(os.path.join(week_dir, n)) for n in ("metrics.json", XLSX, PDF)), "554: the outputs are kept")
    check(not os.path.exists(os.path.join(week_dir, "delivery.ini")), "554: the week is not marked sent")
    check("554" in out, "554: the server's reply is reported")
    with open(os.path.join(week_dir, "manifest.json")) as f:
        error = json.load(f)["error"] or ""
    for where, text in (("log", out), ("manifest", error)):
        check(f"127.0.0.1:{srv.port}" in text and "554 5.7.1 Message rejected by policy" in text
              and "ceo@example.com, cmo@example.com, archive@example.com" in text,
              f"554: the {where} names the server, the recipients and the server's reply in its words\n{text}")
        check(url_pass not in text and opsrun.SMTP_PASS not in text and "relay-user" not in text,
              f"554: the {where} shows no password and no user info of the URL")
    srv.stop()
    srv = smtp_server.Server("ok", cert, key)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and len(srv.rec.messages) == 1, f"after a 554 the next run sends the week ({rc})")

    # 9. size limit: reports that do not fit are left out and the body says so
    d = fresh(tmp, "size")
    before = len(srv.rec.messages)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, max_bytes="30000"))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and len(srv.rec.messages) == before + 1, f"over the limit: still sent ({rc})\n{out}")
    if len(srv.rec.messages) == before + 1:
        msg = parse(srv.rec.messages[-1][2])
        text, html = bodies(msg)
        att = attachments(msg)
        sizes = {n: os.path.getsize(os.path.join(d, "out", W, n)) for n in (XLSX, PDF)}
        # base64 grows a file by 4/3 plus line breaks: a file over 10,000 bytes
        # cannot fit in 30,000 bytes together with the bodies (about 20 kB
        # with the KPI table in both parts)
        for n, size in sizes.items():
            if size > 10000:
                check(n not in att, f"{n} ({size} bytes) is left out")
                check(n in text and "not attached" in text and "limit" in text, f"the body says {n} is not attached")
        check(len(srv.rec.messages[-1][2]) <= 30000 + 200, f"the message keeps to the limit ({len(srv.rec.messages[-1][2])} bytes)")
        check(not [p for p in msg.walk() if p.get_content_maintype() == "image"] and "cid:" not in html,
              "the picture that does not fit is left out, and so is its reference")

    # 9c. a report is left out only when the message with it would not fit: measured at
    # the limit itself, the workbook's own message (the PDF goes to another list)
    d = fresh(tmp, "tight")
    eml = os.path.join(d, "m.eml")

    def workbook_message(limit):
        cfg = opsrun.write_config(d, email=opsrun.email_keys(
            srv.port, cert, to=None, cc=None, workbook_to="ceo@example.com",
            pdf_to="marketing@example.com", max_bytes=str(limit)))
        # the same bytes each run (the workbook's stamp changes its zipped size)
        rc, out = opsrun.run(BIN, cfg, "--eml", eml, env={"SOURCE_DATE_EPOCH": "1764000000"})
        with open(eml, "rb") as f:
            raw = f.read()
        msg = parse(raw)
        return (rc, len(raw), sorted(attachments(msg)),
                bool([p for p in msg.walk() if p.get_content_maintype() == "image"]))

    _, full, att, pic = workbook_message(10_000_000)
    check(att == [XLSX] and pic, f"the workbook's message: the workbook and the picture ({att})")
    _, without, att, pic = workbook_message(full - 1)
    check(att == [XLSX] and not pic and without <= full - 1,
          f"a byte short of both: the picture goes, the workbook stays ({att}, {without} bytes)")
    rc, size, att, _ = workbook_message(without)
    check(rc == 0 and att == [XLSX] and size == without,
          f"a limit of exactly the message's size: the workbook is attached ({att}, {size} bytes)")
    rc, size, att, _ = workbook_message(without - 1)
    check(rc == 0 and att == [] and size <= without - 1,
          f"a byte less: the workbook is left out and the message keeps to it ({att}, {size})")

    # 9d. a limit the two bodies alone exceed (the least max_bytes takes, 10,000 bytes):
    # the HTML version goes as well, and the plain text, complete on its own, keeps to it
    d = fresh(tmp, "textonly")
    eml = os.path.join(d, "m.eml")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, max_bytes="10000"))
    rc, out = opsrun.run(BIN, cfg, "--eml", eml)
    with open(eml, "rb") as f:
        raw = f.read()
    msg = parse(raw)
    types = [p.get_content_type() for p in msg.walk() if not p.is_multipart()]
    text = msg.get_body(preferencelist=("plain",)).get_content() if types else ""
    flat = " ".join(text.split())
    check(rc == 0 and len(raw) <= 10000 and types == ["text/plain"],
          f"max_bytes = 10000: the message keeps to it in plain text alone ({rc}, {len(raw)} bytes, {types})\n{out}")
    check("THE WEEK'S FIGURES" in text and re.search(r"^MQLs +2 +1 +\+100%", text, re.M)
          and "This message is in plain text only: with its HTML version it would exceed the "
          "10.0 kB limit." in flat and XLSX in flat and PDF in flat,
          f"the plain text carries the figures and says what was left out for size:\n{text}")
    check("This message is in plain text only" in out, f"the log says the HTML version was left out\n{out}")
    # the manifest records it beside the reports left out
    with open(os.path.join(d, "out", W, "manifest.json")) as f:
        msgs = json.load(f)["email"]["messages"]
    check([(m["status"], m.get("html_left_out"), sorted(m["left_out"]), m["attached"]) for m in msgs]
          == [("written", True, sorted([XLSX, PDF]), [])],
          f"the manifest: the HTML version left out for size, and both reports: {msgs}")

    # 9b. the default output folder, relative to the working folder the service starts in:
    # the note of a report left out, its log line and a failure notice name absolute paths,
    # which mean something to a reader of the e-mail
    d = fresh(tmp, "relative")
    before = len(srv.rec.messages)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, max_bytes="30000"), report={"out": None})
    rc, out = opsrun.run(BIN, cfg, cwd=d)
    where = os.path.join(d, "out", W, PDF)
    check(rc == 0 and os.path.exists(where), f"the default out/ lands in the working folder ({rc})\n{out}")
    check(f"It is in the report folder: {where}." in out, f"the log names the left-out report by its absolute path\n{out}")
    if len(srv.rec.messages) == before + 1:
        text, _ = bodies(parse(srv.rec.messages[-1][2]))
        check(where in " ".join(text.split()), "the e-mail names the left-out report by its absolute path")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert), report={"out": None, "week": "2026-W46"},
                              sources={"leads": {"location": os.path.join(d, "missing.csv")}})
    rc, out = opsrun.run(BIN, cfg, cwd=d)
    failed = os.path.join(d, "out", "2026-W46.failed.json")
    notice = [raw for _, r, raw in srv.rec.messages[before + 1:] if r == ["oncall@example.com"]]
    check(rc == 66 and os.path.exists(failed) and len(notice) == 1, f"a failed run: 66, its manifest, a notice ({rc})\n{out}")
    if notice:
        text, _ = bodies(parse(notice[0]))
        check(f"Manifest:     {failed}" in text, f"the notice names the manifest by its absolute path:\n{text}")

    # 10. recipient lists per report: two messages, one report each
    d = fresh(tmp, "perreport")
    before = len(srv.rec.messages)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert, to=None, cc=None,
                                                         workbook_to="ceo@example.com", pdf_to="marketing@example.com"))
    rc, out = opsrun.run(BIN, cfg)
    new = srv.rec.messages[before:]
    check(rc == 0 and len(new) == 2, f"per-report recipients: two messages ({rc}, {len(new)})\n{out}")
    got = {tuple(r): sorted(attachments(parse(raw))) for _, r, raw in new}
    check(got.get(("ceo@example.com",)) == [XLSX] and got.get(("marketing@example.com",)) == [PDF],
          f"the workbook goes to its list and the PDF to its own: {got}")
    # each worded for what it carries: the PDF's reader has no workbook and no folder
    for _, r, raw in new:
        text, html = bodies(parse(raw))
        flat = " ".join(text.split())
        if r == ["marketing@example.com"]:
            for word in ("workbook", "folder", "attached reports"):
                check(word not in flat and word not in html,
                      f"the PDF's message refers to {word!r}, which it does not carry:\n{flat}")
            check("in the attached campaign-ROI report, they follow" in flat,
                  f"the PDF's message does not say its report follows the model:\n{flat}")
        elif r == ["ceo@example.com"]:
            check("in the attached workbook, they follow" in flat and "attached reports" not in flat,
                  f"the workbook's message does not name the report it carries:\n{flat}")

    # 10b. a report refused at one recipient after another was delivered: the
    # operator's notice says what went out, not that nothing did
    d = fresh(tmp, "partial")
    part = smtp_server.Server("refuse:marketing@example.com", cert, key)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(part.port, cert, to=None, cc=None,
                                                         workbook_to="ceo@example.com", pdf_to="marketing@example.com"))
    rc, out = opsrun.run(BIN, cfg)
    got = [r for _, r, _ in part.rec.messages]
    notice = [raw for _, r, raw in part.rec.messages if r == ["oncall@example.com"]]
    check(rc == 69 and ["ceo@example.com"] in got and len(notice) == 1,
          f"the PDF refused at its recipient: exit 69, the workbook sent, a notice ({rc}, {got})\n{out}")
    check("refused the recipient <marketing@example.com>" in out
          and "550 5.1.1 <marketing@example.com>: no such user" in out and f"127.0.0.1:{part.port}" in out,
          f"the log names the refused recipient, the server and its reply\n{out}")
    if notice:
        text, _ = bodies(parse(notice[0]))
        flat = " ".join(text.split())
        check("No report was sent" not in text and "1 of its 2 report messages" in flat,
              f"the notice says one of two messages went out:\n{text}")
        check("refused the recipient <marketing@example.com>" in flat and "no such user" in flat,
              "the notice names the refused recipient and the server's reply")
    part.stop()

    # 10c. addresses with display names: a quoted name holding the list's separator, a
    # plain name, a name that is not ASCII; the envelope takes the addresses, the
    # headers show the names before them
    d = fresh(tmp, "names")
    before = len(srv.rec.messages)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(
        srv.port, cert, to='"Doe, Jane" <jane@example.com>; J\u00f6rg M\u00fcller <jm@example.com>',
        cc="Archive <archive@example.com>", **{"from": "MQL Reports <reports@example.com>"}))
    rc, out = opsrun.run(BIN, cfg)
    new = srv.rec.messages[before:]
    check(rc == 0 and len(new) == 1, f"names in the addresses: sent ({rc})\n{out}")
    if new:
        mail_from, rcpts, raw = new[0]
        msg = parse(raw)
        check(mail_from == "reports@example.com"
              and sorted(rcpts) == ["archive@example.com", "jane@example.com", "jm@example.com"],
              f"the envelope holds the addresses alone: {mail_from} {rcpts}")
        shown = {h: [(a.display_name, a.addr_spec) for a in msg[h].addresses] for h in ("From", "To", "Cc")}
        check(shown == {"From": [("MQL Reports", "reports@example.com")],
                        "To": [("Doe, Jane", "jane@example.com"), ("J\u00f6rg M\u00fcller", "jm@example.com")],
                        "Cc": [("Archive", "archive@example.com")]},
              f"the headers show each name before its address: {shown}")
        field, long = None, []
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            field = field if line[:1] in (b" ", b"\t") else line.split(b":", 1)[0]
            if field in (b"From", b"To", b"Cc") and (len(line) > 78 or not line.isascii()):
                long.append(line)
        check(not long, f"the address headers are ASCII (a name as encoded words) within 78 columns: {long}")
    man = os.path.join(d, "out", W, "manifest.json")
    msgs = []
    if os.path.exists(man):
        with open(man) as f:
            msgs = json.load(f)["email"]["messages"]
    check(msgs and msgs[0]["to"] == ["jane@example.com", "jm@example.com"] and msgs[0]["cc"] == ["archive@example.com"],
          f"the manifest lists the addresses: {msgs[:1]}")

    # 11. a failed run sends the operator a notice, and no report
    d = fresh(tmp, "notice")
    before = len(srv.rec.messages)
    cfg = opsrun.write_config(d, email=opsrun.email_keys(srv.port, cert),
                              sources={"leads": {"location": os.path.join(d, "missing.csv")}})
    rc, out = opsrun.run(BIN, cfg)
    new = srv.rec.messages[before:]
    check(rc == 66, f"missing source: exit 66 ({rc})\n{out}")
    check(len(new) == 1 and new[0][1] == ["oncall@example.com"], f"one notice, to the operator only: {[r for _, r, _ in new]}")
    if new:
        msg = parse(new[0][2])
        text, _ = bodies(msg)
        check("66" in msg["Subject"] and "missing.csv" in text and W in text,
              "the notice names the week, the exit status and the error")
        check(not list(msg.iter_attachments()), "the notice carries no report")
        check("No report was sent" in text, "the notice says no report was sent")
        # the command it gives runs that week with that configuration as it is written,
        # into the week's folder the run used
        rerun = [line.strip() for line in text.splitlines() if line.startswith("    mqlreport run")]
        want = f"mqlreport run --config {os.path.realpath(cfg)} --out {os.path.join(d, 'out', W)} --week {W}"
        check(rerun == [want], f"the notice gives the command to run the week again: {rerun}")
        if rerun:
            args = shlex.split(rerun[0])[1:]
            r = subprocess.run([BIN] + args + ["--no-email"], capture_output=True, text=True)
            check(r.returncode == 66, f"the notice's command runs as written (the source is still "
                  f"missing: 66, not a usage error): {r.returncode} {r.stderr}")
        # the options that decide the figures come along, as given
        before = len(srv.rec.messages)
        rc, out = opsrun.run(BIN, cfg, "--threshold", "70", "--attribution", "w_shaped",
                             "--out", os.path.join(d, "my out"))
        again = [bodies(parse(raw))[0] for _, r, raw in srv.rec.messages[before:]
                 if r == ["oncall@example.com"]]
        want = (f"mqlreport run --config {os.path.realpath(cfg)} --out "
                f"'{os.path.join(os.path.realpath(d), 'my out')}' --threshold 70 "
                f"--attribution w_shaped --week {W}")
        check(again and want in again[0], f"the notice's command keeps the run's options: {again}")
        long = [line for line in text.splitlines() if len(line) > 78 and "mqlreport run" not in line
                and not line.startswith(("Manifest:", "Host:"))]
        check(not long, f"the notice's paragraphs and its error are wrapped: {long}")
        # the error's lines after the first stand under its label's column
        err = text.split("\nError:        ", 1)[-1].split("\nHost:", 1)[0].split("\n")
        check(len(text.split("\nError:        ")) == 2 and all(l.startswith(" " * 14) for l in err[1:]),
              f"the notice's error is set under its label: {err}")
        check(text.startswith("The mqlreport run failed.\n"), f"no \"scheduled\": a run by hand fails too:\n{text}")
    check(not os.path.exists(os.path.join(d, "out", W)), "the failed run published nothing")
    failed = os.path.join(d, "out", f"{W}.failed.json")
    if check(os.path.exists(failed), "the failed run's manifest is beside the week's folder"):
        with open(failed) as f:
            t = json.load(f)["timings_s"]
        # every step's key, null for the steps the run did not reach
        check(list(t) == ["load", "metrics", "render", "deliver", "total"] and t["deliver"] is None
              and t["total"] is not None, f"the failed run's manifest times every step: {t}")
    srv.stop()

    # 12. bad [email] settings stop the run with exit 78 naming file, line and key
    bad_cases = [
        # (override, text the message must hold)
        ({"smtp_url": "http://127.0.0.1:25"}, "[email] smtp_url"),
        # a URL libcurl cannot read would pass until the Monday run failed to mail anyone
        ({"smtp_url": "smtp://mail.example.com:5870x"},
         "[email] smtp_url: its port \"5870x\" is not a number from 1 to 65535"),
        ({"smtp_url": "smtp://127.0.0.1:99999"}, "its port \"99999\" is not a number"),
        ({"smtp_url": "smtps://"}, "[email] smtp_url: it names no host"),
        # a / in a password cuts the URL there: nothing of it is quoted back
        ({"smtp_url": "smtp://relay:pa/ss@127.0.0.1:25"},
         "[email] smtp_url: its port is not a number from 1 to 65535 (a / ? or # in the user "
         "information must be percent-encoded)"),
        ({"to": "ceo@example.com, not-an-address"}, "not-an-address"),
        # a name without angle brackets, an unclosed quote: the message says which forms are taken
        ({"to": "Jane Doe jane@example.com"},
         '"Jane Doe jane@example.com" is not an e-mail address (a name needs the address after it in '
         'angle brackets): write it as jane@example.com, or as a name and the address in angle '
         'brackets, Jane Doe <jane@example.com>'),
        ({"to": '"Doe, Jane <jane@example.com>'}, "(its quote is not closed)"),
        ({"operator": "a@example.com, b@example.com"}, "[email] operator: it takes one address"),
        ({"starttls": "never"}, "[email] starttls"),  # with credentials: refused
        ({"starttls": "sometimes"}, "[email] starttls"),
        ({"password_env": None}, "password_env"),
        ({"max_bytes": "lots"}, "[email] max_bytes"),
        ({"sender": "x@example.com"}, "[email] sender: unknown key"),
        # a misspelt placeholder would go out as written, a KPI unknown as nothing
        ({"subject": "Week {{weak}}"}, "unknown placeholder {{weak}}"),
        ({"subject": "{{week}} {{kpi:nope}}"}, "unknown placeholder {{kpi:nope}}"),
        # the bodies' variables are not given to the subject: it would show them as written
        ({"subject": "{{week_short}} {{note}}"}, "unknown placeholder {{note}}"),
        # a placeholder left open would go out with its braces
        ({"subject": "ROI {{kpi:roi}"}, '[email] subject: "{{kpi:roi}" is no placeholder'),
        ({"subject": "Week {{week"}, '[email] subject: "{{week" is no placeholder'),
        ({"subject": "{{kpi:roi} and {{week}}"}, '[email] subject: "{{kpi:roi}" is no placeholder'),
    ]
    for over, want in bad_cases:
        d = fresh(tmp, "bad%d" % bad_cases.index((over, want)))
        cfg = opsrun.write_config(d, email=opsrun.email_keys(2525, cert, **over))
        rc, out = opsrun.run(BIN, cfg, "--no-email")
        check(rc == 78 and want in out and "mqlreport.ini:" in out, f"{over}: exit 78 naming \"{want}\" ({rc}: {out.strip()})")
        check(not os.path.exists(os.path.join(d, "out", W)), f"{over}: nothing published")
    # check stops on a placeholder left open too, where the schedule is set up
    for subject, shown in (("ROI {{kpi:roi}", "{{kpi:roi}"), ("Week {{week", "{{week")):
        d = fresh(tmp, "open" + shown.strip("{}:"))
        cfg = opsrun.write_config(d, email=opsrun.email_keys(2525, cert, subject=subject))
        r = subprocess.run([BIN, "check", "--config", cfg, "--week", W], capture_output=True, text=True)
        check(r.returncode == 78 and re.search(r"mqlreport\.ini:\d+: \[email\] subject: \"%s\" is no placeholder"
                                               % re.escape(shown), r.stderr),
              f"check with subject {subject!r}: exit 78 naming the file, line, key and text "
              f"({r.returncode}: {r.stderr.strip()})")
    # a credential variable that is named but unset: 78, outputs kept, nothing sent
    d = fresh(tmp, "unset")
    cfg = opsrun.write_config(d, email=opsrun.email_keys(2525, cert, password_env="MQL_TEST_NO_SUCH_VAR"))
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 78 and "MQL_TEST_NO_SUCH_VAR" in out, f"an unset SMTP password variable: exit 78 naming it ({rc})")

    # recipients but no server: the run goes on, and says on stderr that nothing is sent
    d = fresh(tmp, "noserver")
    cfg = opsrun.write_config(d, email={"to": "ceo@example.com"})
    where = f"{cfg}:{opsrun.ini_line(cfg, 'email', 'to')}: [email] to names recipients but no smtp_url"
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 0 and "e-mail: not sent: " + where in out,
          f"recipients without smtp_url: exit 0 and a line saying nothing is sent, naming the file "
          f"and line ({rc}: {out.strip()})")
    # check, where the schedule is set up, says it too
    r = subprocess.run([BIN, "check", "--config", cfg, "--week", W], capture_output=True, text=True)
    check(r.returncode == 0 and "warning: " + where + ": a run publishes the reports, "
          "mails nobody" in r.stderr and "e-mail to nobody (no smtp_url)" in r.stdout,
          f"check with recipients but no smtp_url warns ({r.returncode}: {r.stdout} {r.stderr})")
    # the line named is that of the recipient key the file gives first
    cfg = opsrun.write_config(d, email={"pdf_to": "agency@example.com", "workbook_to": "ceo@example.com"})
    where = f"{cfg}:{opsrun.ini_line(cfg, 'email', 'pdf_to')}: [email] pdf_to names recipients but no smtp_url"
    r = subprocess.run([BIN, "check", "--config", cfg, "--week", W], capture_output=True, text=True)
    check(r.returncode == 0 and "warning: " + where in r.stderr,
          f"check names the first recipient key, pdf_to ({r.returncode}: {r.stderr})")

    check.done("mail")


if __name__ == "__main__":
    main()
