"""E-mail delivery as the operator meets it: the real binary, an SMTP
server on 127.0.0.1 where one is needed. Each function says what it
proves. argv: mqlreport."""
import email
import email.policy
import json
import os
import shlex
import shutil
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "servers"))
import opsrun  # noqa: E402
import smtp_server  # noqa: E402
from tlsutil import make_cert  # noqa: E402

BIN = sys.argv[1]
SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
check = opsrun.Checks()
W = opsrun.WEEK


def fresh(tmp, name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return d


def command(args, cwd=None, env=None):
    """mqlreport ARGS: (exit status, standard output and error)."""
    e = dict(os.environ, MQL_TEST_SMTP_USER=opsrun.SMTP_USER, MQL_TEST_SMTP_PASS=opsrun.SMTP_PASS,
             LC_ALL="C")
    e.update(env or {})
    p = subprocess.run([BIN] + args, capture_output=True, env=e, cwd=cwd, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")


def notice_text(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg.get_body(preferencelist=("plain",)).get_content()


def rerun_elsewhere(tmp, cert, key):
    """A run with the default out/ of its working folder fails half-way
    (the PDF's recipient refused, the workbook sent); the notice's command,
    pasted in another folder once the cause is fixed, writes that same
    week's folder and sends only what its delivery.ini lacks."""
    d = fresh(tmp, "rerun")
    service, home = fresh(d, "varlib"), fresh(d, "home")
    srv = smtp_server.Server("refuse:agency@example.com", cert, key)
    try:
        cfg = opsrun.write_config(d, report={"out": None}, email=opsrun.email_keys(
            srv.port, cert, to=None, cc=None, workbook_to="ceo@example.com", pdf_to="agency@example.com"))
        rc, out = opsrun.run(BIN, cfg, cwd=service)
        week_dir = os.path.join(os.path.realpath(service), "out", W)
        notices = [raw for _, r, raw in srv.rec.messages if r == ["oncall@example.com"]]
        check(rc == 69 and len(notices) == 1 and os.path.isdir(week_dir),
              f"the PDF refused: exit 69, published in the working folder, one notice ({rc})\n{out}")
        if not notices:
            return
        text = notice_text(notices[0])
        rerun = [ln.strip() for ln in text.splitlines() if ln.startswith("    mqlreport run")]
        want = f"mqlreport run --config {os.path.realpath(cfg)} --out {week_dir} --week {W}"
        check(rerun == [want], f"the notice's command names the week's folder the run used: {rerun}")
        if not rerun:
            return
        srv.rec.mode = "ok"  # the cause fixed
        before = len(srv.rec.messages)
        rc, out = command(shlex.split(rerun[0])[1:], cwd=home)
        got = [r for _, r, _ in srv.rec.messages[before:]]
        check(rc == 0 and got == [["agency@example.com"]],
              f"the command pasted in another folder sends the PDF alone, not the workbook again "
              f"({rc}, {got})\n{out}")
        check(not os.path.exists(os.path.join(home, "out")),
              f"and publishes no second copy in that folder: {os.listdir(home)}")
        with open(os.path.join(week_dir, "delivery.ini")) as f:
            state = f.read()
        check("[message workbook]" in state and "[message pdf]" in state,
              f"the week's delivery.ini records both messages:\n{state}")
    finally:
        srv.stop()


def eml_inputs(tmp):
    """--eml naming an export the run reads or its configuration file (by
    its name or a link): refused with 64 before anything is read, as
    score --out; the file untouched, nothing published."""
    d = fresh(tmp, "eml-inputs")
    for src in ("leads", "events", "spend"):
        shutil.copy(os.path.join(opsrun.FIXTURE, f"{src}.csv"), d)
    opsrun.write_config(d, email={"from": "reports@example.com", "to": "ceo@example.com"},
                              sources={s: {"location": f"{s}.csv"} for s in ("leads", "events", "spend")})
    os.symlink("spend.csv", os.path.join(d, "spend-link.eml"))
    for given, what in (("leads.csv", "the leads export this run reads (leads.csv)"),
                        ("mqlreport.ini", "the configuration file this run reads"),
                        ("spend-link.eml", "the spend export this run reads (spend.csv)")):
        before = opsrun.snapshot(d)
        rc, out = command(["run", "--config", "mqlreport.ini", "--eml", given], cwd=d)
        check(rc == 64 and f"--eml {given} is {what}" in out and "name another file" in out,
              f"--eml {given}: refused with 64, naming the input ({rc})\n{out}")
        check(opsrun.snapshot(d) == before, f"--eml {given}: no file written or changed")
    rc, out = command(["score", "--config", "mqlreport.ini", "--out", "events.csv"], cwd=d)
    check(rc == 64 and "--out events.csv is the events export this run reads (events.csv): the scores "
          "would replace it" in out, f"score --out an export: still refused with 64 ({rc})\n{out}")
    rc, out = command(["run", "--config", "mqlreport.ini", "--eml", "week.eml"], cwd=d)
    check(rc == 0 and os.path.exists(os.path.join(d, "week.eml")),
          f"--eml a new file: written ({rc})\n{out}")


def eml_state(tmp):
    """--eml naming a file of the run's own: the lock file, a file in the
    week's folder (the manifest, delivery.ini, an output, by any spelling or
    through a link), the failed manifest beside it; or, when the reports go
    in a message each, a second file FILE.2 that is an export or the lock.
    Each refused with 64, naming the option and what the file is, before
    anything is read or written; the week's folder and lock as they were."""
    d = fresh(tmp, "eml-state")
    for src in ("leads", "events", "spend"):
        shutil.copy(os.path.join(opsrun.FIXTURE, f"{src}.csv"), d)
    shutil.copy(os.path.join(d, "spend.csv"), os.path.join(d, "spend.2"))
    split = {"from": "reports@example.com", "workbook_to": "ceo@example.com", "pdf_to": "agency@example.com"}
    sources = {"leads": {"location": "leads.csv"}, "events": {"location": "events.csv"},
               "spend": {"location": "spend.2"}}
    opsrun.write_config(d, email=split, sources=sources)
    week = os.path.join(d, "out", W)
    folder = f"the week's folder this run publishes ({week})"
    lock = os.path.join(d, "out", f".{W}.lock")
    cases = [
        # (--eml, what the error says)
        (f"out/{W}/manifest.json", f"--eml out/{W}/manifest.json is in {folder}"),
        ("spend", "--eml spend: the second message's file spend.2 is the spend export this run reads (spend.2): "
         "the second message would replace it"),
    ]

    def refused(cases, when):
        for given, said in cases:
            before = opsrun.snapshot(d)
            rc, out = command(["run", "--config", "mqlreport.ini", "--eml", given], cwd=d)
            check(rc == 64 and said in out and "read " not in out,
                  f"{when}: --eml {given}: refused with 64 before anything is read: {said} ({rc})\n{out}")
            check(opsrun.snapshot(d) == before, f"{when}: --eml {given}: no file written or changed")

    refused(cases, "no week published yet")
    check(not os.path.exists(os.path.join(d, "out")), "no week published yet: the refusals made no folder")
    rc, out = command(["run", "--config", "mqlreport.ini", "--eml", "week.eml"], cwd=d)
    check(rc == 0 and os.path.exists(os.path.join(d, "week.eml")) and os.path.exists(os.path.join(d, "week.eml.2"))
          and os.path.exists(lock), f"--eml a new file: both messages written ({rc})\n{out}")
    os.symlink(os.path.join("out", W), os.path.join(d, "week-link"))
    with open(os.path.join(d, "out", f"{W}.failed.json"), "w") as f:
        f.write("{}\n")
    refused(cases + [
        (f"out/{W}/delivery.ini", f"--eml out/{W}/delivery.ini is in {folder}"),
        (f"./out/../out/{W}/campaign-roi-{W}.pdf", f"--eml ./out/../out/{W}/campaign-roi-{W}.pdf is in {folder}"),
        ("week-link/new.eml", f"--eml week-link/new.eml is in {folder}"),
        (f"out/.{W}.lock", f"--eml out/.{W}.lock is the lock file of the week's folder ({lock})"),
        (f"out/{W}.failed.json", f"--eml out/{W}.failed.json is the failed manifest of the week's folder"),
    ], "the week published")
    # a [lock] path named by the second message's file
    opsrun.write_config(d, email=split, sources=sources, lock=os.path.join(d, "run.lock.2"))
    refused([("run.lock", "--eml run.lock: the second message's file run.lock.2 is the lock file of the "
              "week's folder")], "a [lock] path")
    # both reports in one message: FILE.2 is not written, so not refused
    opsrun.write_config(d, email={"from": "reports@example.com", "to": "ceo@example.com"}, sources=sources)
    rc, out = command(["run", "--config", "mqlreport.ini", "--eml", "spend"], cwd=d)
    check(rc == 0 and os.path.exists(os.path.join(d, "spend")) and "spend.2" not in out,
          f"one message: --eml spend is written, spend.2 is only read ({rc})\n{out}")


def eml_unwritten(tmp):
    """--eml into a folder that does not exist: 73, and the manifest
    records the message as failed with why, not as written."""
    d = fresh(tmp, "eml-unwritten")
    cfg = opsrun.write_config(d, email={"from": "reports@example.com", "to": "ceo@example.com"})
    target = os.path.join(d, "no-such-folder", "msg.eml")
    rc, out = opsrun.run(BIN, cfg, "--eml", target)
    check(rc == 73 and not os.path.exists(target), f"--eml into no folder: exit 73 ({rc})\n{out}")
    man = os.path.join(d, "out", W, "manifest.json")
    msgs = []
    if os.path.exists(man):
        with open(man) as f:
            msgs = json.load(f)["email"]["messages"]
    check(len(msgs) == 1 and msgs[0]["status"] == "failed" and msgs[0].get("eml") == target
          and "cannot create" in (msgs[0].get("error") or ""),
          f"the manifest records the message as failed, with the error: {msgs}")


def lists_nobody(tmp):
    """Recipient lists that reach nobody are warned of, with the file and
    line, by check and by run; lists that all reach someone are not."""
    d = fresh(tmp, "lists")
    cases = [
        # (lists, the warning's key, what it says)
        ({"to": "ceo@example.com", "cc": "revops@example.com", "workbook_to": "exec@example.com",
          "pdf_to": "marketing@example.com"},
         "to", "goes to nobody: workbook_to and pdf_to replace it for both reports"),
        ({"cc": "revops@example.com", "workbook_cc": "fin@example.com", "pdf_cc": "agency@example.com",
          "to": "ceo@example.com"},
         "cc", "goes to nobody: workbook_cc and pdf_cc replace it for both reports"),
        ({"workbook_to": "ceo@example.com"},
         "workbook_to", "the PDF goes to nobody: neither pdf_to nor to is set"),
        ({"pdf_to": "agency@example.com", "workbook_cc": "fin@example.com"},
         "workbook_cc", "the workbook goes to nobody: neither workbook_to nor to is set"),
    ]
    for i, (lists, key, said) in enumerate(cases):
        c = fresh(d, str(i))
        cfg = opsrun.write_config(c, email=dict({"smtp_url": "smtp://127.0.0.1:9", "from": "reports@example.com"},
                                                **lists))
        where = f"{cfg}:{opsrun.ini_line(cfg, 'email', key)}: [email] {key}: "
        rc, out = command(["check", "--config", cfg])
        check(rc == 0 and where + said in out, f"check warns of {key} ({rc}): {where + said}\n{out}")
        rc, out = opsrun.run(BIN, cfg, "--eml", os.path.join(c, "msg.eml"))
        check(rc == 0 and where + said in out, f"run warns of {key} ({rc})\n{out}")
        rc, out = command(["check", "--config", cfg, "--no-email"])
        check(rc == 0 and "nobody" not in out, f"check --no-email: no word of the lists\n{out}")
    c = fresh(d, "fine")
    cfg = opsrun.write_config(c, email={"smtp_url": "smtp://127.0.0.1:9", "from": "reports@example.com",
                                        "to": "ceo@example.com", "cc": "revops@example.com",
                                        "pdf_to": "marketing@example.com", "operator": "oncall@example.com"})
    rc, out = command(["check", "--config", cfg])
    check(rc == 0 and "nobody" not in out, f"lists that each reach someone: no warning ({rc})\n{out}")
    # the example of docs/operations.md: whoever it names gets a report
    with open(os.path.join(SOURCE_DIR, "docs", "operations.md")) as f:
        doc = f.read()
    block = doc[doc.index("## E-mail\n"):].split("\n\n")[1]
    example = [ln[4:] for ln in block.splitlines()]
    check(example[0] == "[email]", f"the documentation's [email] example: {example[:1]}")
    c = fresh(d, "doc")
    cfg = opsrun.write_config(c)
    with open(cfg, "a") as f:
        f.write("\n".join(example) + "\n")
    env = {"SMTP_USER": "u", "SMTP_PASSWORD": "p"}
    rc, out = command(["check", "--config", cfg], env=env)
    check(rc == 0 and "nobody" not in out, f"the documentation's example: check warns of nothing ({rc})\n{out}")
    eml = os.path.join(c, "msg.eml")
    rc, out = opsrun.run(BIN, cfg, "--eml", eml, env=env)
    heads = ""
    for path in (eml, eml + ".2"):
        if os.path.exists(path):
            with open(path, "rb") as f:
                m = email.message_from_bytes(f.read(), policy=email.policy.default)
            heads += f"{m['To']} {m['Cc']} "
    named = [a for ln in example if ln.split("=")[0].strip() in ("to", "cc", "workbook_to", "pdf_to",
                                                                  "workbook_cc", "pdf_cc")
             for a in ln.split("=", 1)[1].replace(",", " ").split()]
    check(rc == 0 and named and all(a in heads for a in named),
          f"the documentation's example: every address it names gets a message ({rc}): {named} in {heads}\n{out}")


def operator_without_server(tmp):
    """An operator without smtp_url: check warns, and a failed run says
    that no notice went out, each naming the file and line."""
    d = fresh(tmp, "operator")
    cfg = opsrun.write_config(d, email={"operator": "oncall@example.com"})
    where = f"{cfg}:{opsrun.ini_line(cfg, 'email', 'operator')}: [email] operator: oncall@example.com is set, but no smtp_url"
    rc, out = command(["check", "--config", cfg])
    check(rc == 0 and "warning: " + where in out and "a failed run notifies nobody" in out,
          f"check warns of the operator without a server ({rc})\n{out}")
    cfg = opsrun.write_config(d, email={"operator": "oncall@example.com"},
                              sources={"leads": {"location": os.path.join(d, "missing.csv")}})
    rc, out = opsrun.run(BIN, cfg)
    check(rc == 66 and "failure notice not sent: " + where in out,
          f"a failed run says its notice went nowhere ({rc})\n{out}")
    rc, out = opsrun.run(BIN, cfg, "--no-email")
    check(rc == 66 and "smtp_url" not in out, f"with --no-email: not said ({rc})\n{out}")


def ca_file_unreadable(tmp, cert):
    """An [email] ca_file that cannot be read stops check and run with 78,
    naming the file, line and setting, before anything is published."""
    d = fresh(tmp, "ca")
    os.makedirs(os.path.join(d, "a-folder.pem"))
    for bad, why in (("privat-ca.pem", "No such file or directory"), ("a-folder.pem", "Is a directory")):
        cfg = opsrun.write_config(d, email={"smtp_url": "smtp://127.0.0.1:9", "from": "reports@example.com",
                                            "to": "ceo@example.com", "operator": "oncall@example.com",
                                            "ca_file": bad, "retries": "0"})
        path = os.path.join(d, bad)
        said = f"{cfg}:{opsrun.ini_line(cfg, 'email', 'ca_file')}: [email] ca_file: {path} cannot be read: {why}"
        rc, out = command(["check", "--config", cfg])
        check(rc == 78 and said in out, f"check: ca_file {bad}: 78 naming file, line, setting ({rc})\n{out}")
        rc, out = opsrun.run(BIN, cfg)
        check(rc == 78 and said in out, f"run: ca_file {bad}: 78 ({rc})\n{out}")
        check(not os.path.exists(os.path.join(d, "out")), "run: nothing published, nothing written")
        rc, out = opsrun.run(BIN, cfg, "--no-email")
        check(rc == 0 and os.path.isdir(os.path.join(d, "out", W)),
              f"run --no-email: the CA file is not needed ({rc})\n{out}")
        shutil.rmtree(os.path.join(d, "out"))
    cfg = opsrun.write_config(d, email={"smtp_url": "smtp://127.0.0.1:9", "from": "reports@example.com",
                                        "to": "ceo@example.com", "ca_file": cert})
    rc, out = command(["check", "--config", cfg])
    check(rc == 0 and "ca_file" not in out, f"a CA file that can be read passes ({rc})\n{out}")


def ca_file_not_pem(tmp, cert):
    """An [email] ca_file that can be read but holds no PEM certificate (the
    certificate in DER, a text file) stops check and run with 78, naming the
    file, line and setting and how to convert a DER certificate, before
    anything is published; it would otherwise fail only at the send."""
    d = fresh(tmp, "ca-not-pem")
    with open(cert) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    with open(os.path.join(d, "private-ca.der"), "wb") as f:
        f.write(der)
    with open(os.path.join(d, "notes.txt"), "w") as f:
        f.write("the CA of the mail relay\n")
    for bad, pem in (("private-ca.der", "private-ca.pem"), ("notes.txt", "notes.txt.pem")):
        cfg = opsrun.write_config(d, email={"smtp_url": "smtp://127.0.0.1:9", "from": "reports@example.com",
                                            "to": "ceo@example.com", "ca_file": bad, "retries": "0"})
        path = os.path.join(d, bad)
        said = (f"{cfg}:{opsrun.ini_line(cfg, 'email', 'ca_file')}: [email] ca_file: {path} holds no PEM "
                f"certificate")
        how = f"openssl x509 -inform der -in {path} -out {os.path.join(d, pem)}"
        rc, out = command(["check", "--config", cfg])
        check(rc == 78 and said in out and how in out,
              f"check: ca_file {bad}: 78 naming file, line, setting and the conversion ({rc})\n{out}")
        rc, out = opsrun.run(BIN, cfg)
        check(rc == 78 and said in out, f"run: ca_file {bad}: 78 ({rc})\n{out}")
        check(not os.path.exists(os.path.join(d, "out")), f"run: ca_file {bad}: nothing published")


def main():
    tmp = tempfile.mkdtemp(prefix="mql-delivery-")
    try:
        cert, key = make_cert(tmp)
        rerun_elsewhere(tmp, cert, key)
        eml_inputs(tmp)
        eml_state(tmp)
        eml_unwritten(tmp)
        lists_nobody(tmp)
        operator_without_server(tmp)
        ca_file_unreadable(tmp, cert)
        ca_file_not_pem(tmp, cert)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    check.done("delivery")


if __name__ == "__main__":
    main()
