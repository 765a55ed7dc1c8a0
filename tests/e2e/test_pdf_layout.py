"""The campaign-ROI PDF read back word by word.

usage: test_pdf_layout.py MQLREPORT

Six reports: the sample exports (samples/, week 2026-W47) on A4 and on US
Letter ([report] paper = letter), the same with every campaign renamed to 60
characters, the same with 50,000 more campaigns (spend rows written
here), the same with each campaign split in 15 (its scatter on log scales),
and 50 generated leads without revenue to attribute. On every page of each, every word's box
(pdftotext -bbox-layout) must overlap no other word and stay inside the
margins. Also: every channel of metrics.json is named on the channels page,
the attribution model on page 1, the outline lists every section (qpdf
--json), the metadata is set (and its date follows SOURCE_DATE_EPOCH), and
50,000 campaigns give at most 30 pages.
"""
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from words import channel_words

SOURCE_DIR = os.environ.get("MQL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(SOURCE_DIR, "samples")
WEEK = "2026-W47"
MARGIN = 36.0  # the layout's margin is 40 pt; a glyph's box may reach 4 pt beyond
TOLERANCE = 0.3  # overlap allowed between two word boxes, in points (rounding)
SECTIONS = ["Summary", "Campaigns by revenue, with spend and ROI", "Spend vs revenue by campaign",
            "Channels: close rate and funnel", "The funnel week by week",
            "Revenue by channel under the six attribution models",
            "MQL cohorts: share reaching SQL by age", "Campaigns, last 13 weeks",
            "Channels, last 13 weeks"]

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def words_by_page(pdf):
    r = run(["pdftotext", "-bbox-layout", pdf, "-"])
    if r.returncode != 0:
        raise SystemExit("FAIL: pdftotext -bbox-layout %s: %s" % (pdf, r.stderr))
    xml = re.sub(r'\sxmlns="[^"]+"', "", r.stdout, count=1)
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter("page"):
        w, h = float(page.get("width")), float(page.get("height"))
        words = [(float(e.get("xMin")), float(e.get("yMin")), float(e.get("xMax")),
                  float(e.get("yMax")), e.text or "") for e in page.iter("word")]
        pages.append((w, h, words))
    return pages


def check_words(label, pdf):
    pages = words_by_page(pdf)
    for n, (pw, ph, words) in enumerate(pages, 1):
        for x0, y0, x1, y1, t in words:
            check(x0 >= MARGIN and y0 >= MARGIN and x1 <= pw - MARGIN and y1 <= ph - MARGIN,
                  "%s page %d: %r at (%.1f,%.1f)-(%.1f,%.1f) crosses the margins"
                  % (label, n, t, x0, y0, x1, y1))
        # sweep by top edge: only words whose vertical spans meet are compared
        ws = sorted(words, key=lambda w: w[1])
        for i, a in enumerate(ws):
            for b in ws[i + 1:]:
                if b[1] >= a[3] - TOLERANCE:
                    break
                ox = min(a[2], b[2]) - max(a[0], b[0])
                oy = min(a[3], b[3]) - max(a[1], b[1])
                check(not (ox > TOLERANCE and oy > TOLERANCE),
                      "%s page %d: %r and %r overlap (%.1f x %.1f pt)"
                      % (label, n, a[4], b[4], ox, oy))
    return pages


def check_heading_gaps(label, pages):
    """A section's heading that follows another section on its page stands
    clear of the text above it (at least 12 pt), not against its last note."""
    for n, (pw, ph, words) in enumerate(pages, 1):
        for title in SECTIONS[1:]:
            first = title.split()[0]
            for x0, y0, x1, y1, t in words:
                if t != first or y1 - y0 < 12:  # a heading's size, not the contents' line
                    continue
                line = " ".join(w[4] for w in sorted(words, key=lambda w: w[0])
                                if abs(w[1] - y0) < 1.5 and w[0] >= x0 - 1)
                if not line.startswith(title):
                    continue
                above = [w[3] for w in words if w[3] <= y0 + 0.5 and w[3] > MARGIN + 30]
                if above:
                    gap = y0 - max(above)
                    check(gap >= 12, "%s page %d: the heading %r stands %.1f pt under the text "
                          "above it" % (label, n, title, gap))


MONEY_RE = re.compile(r"^-?[$\u20ac\u00a3]\d{1,3}(,\d{3})*(\.\d\d)?$")


def check_money_columns(label, pdf):
    """The amounts of one table column (right-aligned: one right edge) share
    one precision: "$8,077" beside "$19,937", not "$8,077.03"."""
    for no, (w, h, words) in enumerate(words_by_page(pdf), 1):
        columns = {}
        for x0, y0, x1, y1, t in words:
            if MONEY_RE.match(t):
                columns.setdefault(round(x1), []).append(t)
        for edge, amounts in columns.items():
            if len(amounts) < 3:
                continue  # a tile's figure, a sentence's amount
            cents = {"." in a for a in amounts}
            check(len(cents) == 1, "%s: page %d, the column ending at x=%d mixes precisions: %s"
                  % (label, no, edge, amounts[:8]))


def check_metadata(label, pdf, year):
    info = run(["pdfinfo", pdf]).stdout
    fields = dict(l.split(":", 1) for l in info.splitlines() if ":" in l)
    for key in ("Title", "Subject", "Keywords", "Creator"):
        check(fields.get(key, "").strip(), "%s: the PDF has no %s" % (label, key))
    check("first touch" in fields.get("Subject", ""), "%s: the subject does not name the model" % label)
    check(year in fields.get("CreationDate", ""),
          "%s: CreationDate %r is not in %s" % (label, fields.get("CreationDate"), year))


def page_text(pdf, page):
    return run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-"]).stdout


def check_content(label, pdf, metrics):
    r = run(["pdfinfo", pdf])
    pages = int(re.search(r"Pages:\s+(\d+)", r.stdout).group(1))
    first = page_text(pdf, 1)
    check("first touch attribution" in first, "%s: page 1 does not name the attribution model" % label)
    channels = sorted({row["channel"] for rows in metrics["by_channel"].values() for row in rows})
    # the channels page, and its continuations when there are many channels
    found = None
    for p in range(2, pages + 1):
        t = page_text(pdf, p)
        if t.lstrip().startswith("Channels: close rate and funnel"):  # not the contents
            found = (found or "") + t
        elif found is not None:
            break
    if check(found is not None, "%s: no channels page" % label):
        for ch in channels:
            check(re.search(r"(^|\s)%s(\s|$)" % re.escape(channel_words(ch)), found, re.M),
                  "%s: the channels page does not name %r as %r" % (label, ch, channel_words(ch)))
    r = run(["qpdf", "--json", "--json-key=outlines", pdf])
    titles = [o["title"] for o in json.loads(r.stdout).get("outlines", [])]
    for s in SECTIONS:
        check(s in titles, "%s: the outline lacks %r (it has %s)" % (label, s, titles))
    return pages


def produce(mqlreport, data, out, config=None, env=None):
    r = subprocess.run([mqlreport, "run"] + (["--config", config] if config else []) +
                       ["--data", data, "--week", WEEK, "--out", out, "--no-email"],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport run on %s exited %d: %s" % (data, r.returncode, r.stderr))
    pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        return pdf, json.load(f)


def rewrite(src, dst, column, rename):
    with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as g:
        rd, wr = csv.reader(f), csv.writer(g)
        header = next(rd)
        wr.writerow(header)
        k = header.index(column)
        for row in rd:
            if len(row) == len(header) and row[k]:
                row[k] = rename(row[k])
            wr.writerow(row)


def long_names(tmp):
    d = os.path.join(tmp, "long")
    os.makedirs(d)

    def rename(c):
        s = (c + " \u2014 Q4 pipeline acceleration programme for enterprise EMEA accounts")
        return s[:60]
    for name, col in (("leads.csv", "campaign"), ("spend.csv", "campaign"), ("events.csv", "campaign")):
        rewrite(os.path.join(SAMPLES, name), os.path.join(d, name), col, rename)
    shutil.copy(os.path.join(SAMPLES, "opportunities.csv"), d)
    return d


def many_campaigns(tmp, n=50000):
    d = os.path.join(tmp, "many")
    os.makedirs(d)
    for name in ("leads.csv", "events.csv", "opportunities.csv"):
        shutil.copy(os.path.join(SAMPLES, name), d)
    shutil.copy(os.path.join(SAMPLES, "spend.csv"), d)
    # 60 more channels too, some with long names: every one must be named
    channels = ["paid_search", "paid_social", "linkedin", "events", "content_syndication"]
    channels += ["partner_%02d%s" % (k, "_co_marketing_programme_emea" * (k % 3 == 0)) for k in range(60)]
    with open(os.path.join(d, "spend.csv"), "a", newline="", encoding="utf-8") as f:
        wr = csv.writer(f)
        for i in range(n):
            day = 17 + i % 6  # within 2026-W47
            name = "campaign %05d %s" % (i, "long tail " * (i % 4))
            wr.writerow(["2026-11-%02d" % day, channels[i % len(channels)], name.strip(),
                         "%.2f" % (5 + (i * 7919) % 5000 / 10.0), "USD"])
    return d


def split_campaigns(tmp, parts=15):
    """The sample with each campaign split in `parts` by the row's number
    ("gs_brand_07"): over 300 campaigns, most with no revenue, many with
    spend, on log scales."""
    d = os.path.join(tmp, "split")
    os.makedirs(d)
    for name in ("leads.csv", "spend.csv", "events.csv"):
        seen = [0]

        def rename(c):
            seen[0] += 1
            return "%s_%02d" % (c, seen[0] % parts)
        rewrite(os.path.join(SAMPLES, name), os.path.join(d, name), "campaign", rename)
    shutil.copy(os.path.join(SAMPLES, "opportunities.csv"), d)
    return d


def many_warnings(tmp, src=SAMPLES, name="warnings"):
    """The sample with each channel split in 40 (the spend's in 60, so that
    some have spend and no lead: the health checks name long lists of
    channels) and a configuration under which eight health checks warn: a
    banner that fills most of page 1."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    seen = {}
    for csvname in ("leads.csv", "spend.csv", "events.csv", "opportunities.csv"):
        def rename(c, parts=60 if csvname == "spend.csv" else 40):
            seen[c] = seen.get(c, -1) + 1
            return "%s_paid_programme_%d" % (c, seen[c] * 7 % parts)
        with open(os.path.join(src, csvname), encoding="utf-8") as f:
            has = "channel" in f.readline().strip().split(",")
        if has:
            rewrite(os.path.join(src, csvname), os.path.join(d, csvname), "channel", rename)
        else:
            shutil.copy(os.path.join(src, csvname), d)
    config = os.path.join(tmp, name + ".ini")
    with open(config, "w", encoding="utf-8") as f:
        f.write("[health]\nrejected_share = warn\nmax_rejected_share = 0\nmax_orphaned_share = 0\n"
                "orphaned_opportunities = warn\nmax_lag_days = 0\nunparseable_share = warn\n"
                "max_unparseable_share = 0\n")
    # on Letter paper, with the score's MQLs out of reach: more warnings and
    # a shorter page; with the stale data of stale_warnings(), the tiles
    # themselves no longer fit below the banner
    letter = os.path.join(tmp, name + "-letter.ini")
    with open(config, encoding="utf-8") as f, open(letter, "w", encoding="utf-8") as g:
        g.write(f.read() + "mql_unreachable = warn\n[report]\npaper = letter\nmql_source = score\n"
                "[scoring]\nthreshold = 100000\n")
    return d, config, letter


def stale_warnings(mqlreport, tmp):
    """Generated data that ends two weeks before the report week, with bad
    rows of every kind, split as many_warnings() splits the sample: each
    source is stale too, and the leads file cut off: fourteen warnings on
    Letter paper."""
    g = os.path.join(tmp, "stale-gen")
    r = run([mqlreport, "gen", "--leads", "3000", "--seed", "5", "--end-week", "2026-W45",
             "--bad-rows", "3", "--out", g])
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport gen exited %d: %s" % (r.returncode, r.stderr))
    d, _, letter = many_warnings(tmp, g, "stale")
    with open(os.path.join(d, "leads.csv"), "a", encoding="utf-8") as f:
        f.write("L9999999,2026-11-0")  # cut off in its second field: truncated
    with open(letter, encoding="utf-8") as f:
        text = f.read().replace("[health]\n", "[health]\nsource_stale = warn\nno_leads = warn\n"
                                "source_lag = warn\nsource_truncated = warn\n", 1)
    with open(letter, "w", encoding="utf-8") as f:
        f.write(text)
    return d, letter


def generate(mqlreport, tmp, name, leads, seed):
    """tmp/name holding `leads` generated leads ending with the report week."""
    d = os.path.join(tmp, name)
    r = run([mqlreport, "gen", "--leads", str(leads), "--seed", str(seed), "--end-week", WEEK,
             "--out", d])
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport gen exited %d: %s" % (r.returncode, r.stderr))
    return d


def tiny(mqlreport, tmp):
    """50 generated leads: a handful in the report week, no revenue shared."""
    return generate(mqlreport, tmp, "tiny", 50, 7)


def finish(what, ok):
    """Exit 1 listing the problems check() kept, each of them `what`; else say ok."""
    if errors:
        print("FAIL: %d problem(s) in %s:" % (len(errors), what), file=sys.stderr)
        for e in errors[:60]:
            print("  - " + e, file=sys.stderr)
        sys.exit(1)
    print("ok: " + ok)


def check_contents_whole(label, pages):
    """The contents name every section in full: a title too long for its
    column (two columns on a page that has little room left) wraps there,
    never cut in the middle ("Revenue by channel un\u2026ix attribution
    models")."""
    found = []
    for n, (pw, ph, words) in enumerate(pages[:3], 1):
        heads = [w for w in words if w[4] == "Contents" and w[3] - w[1] > 10]
        if not heads:
            continue
        top = heads[0][3]
        # the page numbers, right-aligned at the end of either column
        ends = (pw - 40, 40 + (pw - 80 - 20) / 2)
        below = [w for w in words if w[1] > top + 1 and w[3] < ph - MARGIN - 14
                 and not (re.fullmatch(r"\d+", w[4]) and min(abs(w[2] - e) for e in ends) < 2)]
        cols = ([w for w in below if w[0] < pw / 2], [w for w in below if w[0] >= pw / 2])
        for col in cols:
            found += [w[4] for w in sorted(col, key=lambda w: (round(w[1]), w[0]))]
    text = " ".join(found)
    check("\u2026" not in text, "%s: a contents entry is cut: %s" % (label, text))
    for title in SECTIONS[1:]:
        check(title in text, "%s: the contents do not name %r in full: %s" % (label, title, text))


def check_attribution_sentence(label, pdf, metrics):
    """The sentence under the attribution chart names a channel that moves
    between two models only when one does."""
    text = " ".join(run(["pdftotext", pdf, "-"]).stdout.split())
    m = re.search(r"(\S+) moves most, from (\S+) \(([^)]*)\) to (\S+) \(([^)]*)\)", text)
    if m:
        check(m.group(2) != m.group(4) and m.group(3) != m.group(5),
              "%s: the attribution sentence moves %s from %s (%s) to %s (%s)" % ((label,) + m.groups()))
    else:
        check("every model gives each channel the same" in text,
              "%s: no attribution sentence in the PDF" % label)


def check_cjk_names(mqlreport, tmp):
    """A campaign named in Japanese is drawn in its own letters (the setup
    installs a font with them), not as empty boxes: the PDF carries it as
    text, and a font beside DejaVu is embedded for it."""
    d = os.path.join(tmp, "cjk")
    os.makedirs(d)
    name = "\u7af6\u5408\u4ed6\u793e\u30ad\u30e3\u30f3\u30da\u30fc\u30f3"
    for f in ("leads.csv", "spend.csv", "events.csv"):
        rewrite(os.path.join(SAMPLES, f), os.path.join(d, f), "campaign",
                lambda c: name if c == "gs_competitor" else c)
    shutil.copy(os.path.join(SAMPLES, "opportunities.csv"), d)
    pdf, _ = produce(mqlreport, d, os.path.join(tmp, "out-cjk"))
    text = run(["pdftotext", pdf, "-"]).stdout
    check(name in text, "a campaign named in Japanese is not in the PDF's text (drawn as boxes?)")
    fonts = run(["pdffonts", pdf]).stdout
    check(any("DejaVu" not in line for line in fonts.splitlines()[2:]),
          "no font beside DejaVu is embedded for the Japanese name:\n" + fonts)


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: test_pdf_layout.py MQLREPORT")
    mqlreport = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="mql-pdf-")
    letter = os.path.join(tmp, "letter.ini")
    with open(letter, "w", encoding="utf-8") as f:
        f.write("[report]\npaper = letter\n")
    try:
        warned, warnings, _ = many_warnings(tmp)
        stale, warnings_letter = stale_warnings(mqlreport, tmp)
        for k, (label, data, config) in enumerate((
                ("sample", SAMPLES, None), ("sample on US Letter", SAMPLES, letter),
                ("eight data-health warnings", warned, warnings),
                ("stale data and fourteen warnings on US Letter", stale, warnings_letter),
                ("60-character names", long_names(tmp), None),
                ("50,000 campaigns", many_campaigns(tmp), None),
                ("315 campaigns split from the sample", split_campaigns(tmp), None),
                ("50 leads", tiny(mqlreport, tmp), None))):
            out = os.path.join(tmp, "out-%d" % k)
            # the Letter run also pins the document's dates (SOURCE_DATE_EPOCH)
            env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000") if config == letter else None
            pdf, metrics = produce(mqlreport, data, out, config, env)
            check_metadata(label, pdf, "2023" if config == letter else "2026")
            if config in (warnings, warnings_letter):
                # the banner, the tiles, "What changed", "Qualification" and the
                # contents: past page 1 onto page 2 rather than over its footer
                warns = sum(1 for h in metrics["data_quality"]["health"] if h["status"] == "warn")
                least = 14 if config == warnings_letter else 8
                check(warns >= least, "%s: %d warnings, fewer than %d" % (label, warns, least))
                start = " ".join((page_text(pdf, 1) + page_text(pdf, 2)).split())
                for s in SECTIONS[1:]:  # page 1 is the summary
                    check(s in start, "%s: the contents on pages 1 and 2 lack %r" % (label, s))
            if config == letter:
                size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", run(["pdfinfo", pdf]).stdout)
                check(size and (size.group(1), size.group(2)) == ("612", "792"),
                      "%s: the pages are not 612 x 792 pt" % label)
            pages_words = check_words(label, pdf)
            check_heading_gaps(label, pages_words)
            check_contents_whole(label, pages_words)
            # log scales are said, on both axes and in the caption, and only
            # then (a log axis drew zero at its first tick without a word)
            scatter_page = next((" ".join(page_text(pdf, k).split()) for k in range(1, 40)
                                 if "ROI = 0 (revenue = spend)" in page_text(pdf, k)), "")
            axes_log = scatter_page.count("(log scale)")
            said_log = "both axes are on log scales" in scatter_page
            check(axes_log in (0, 2) and (axes_log == 2) == said_log,
                  "%s: the scatter's axes say log scale %d times, its caption %s" %
                  (label, axes_log, "says so" if said_log else "does not"))
            if label.startswith("sample") or label.startswith("315"):
                check(said_log == label.startswith("315"),
                      "%s: the scatter is %s log scales" % (label, "on" if said_log else "not on"))
            # the contents do not leave one or two entries alone on a page of
            # their own: what does not fit under its heading goes in two columns
            for n in (2, 3):
                text = " ".join(page_text(pdf, n).split())
                if "Contents (continued)" in text:
                    rest = text[text.index("Contents (continued)"):]
                    entries = sum(1 for t in SECTIONS[1:] if t in rest)
                    check(entries >= 3, "%s: page %d holds %d contents entries alone under "
                          "\"Contents (continued)\"" % (label, n, entries))
            pages = check_content(label, pdf, metrics)
            check_attribution_sentence(label, pdf, metrics)
            check_money_columns(label, pdf)
            if label == "50 leads":  # tiles without a value: the note says why
                first = " ".join(page_text(pdf, 1).split())
                check("A dash (\u2014) marks a figure with nothing to measure" in first,
                      "%s: page 1 shows dashes on its tiles without the note that explains them" % label)
            if label.startswith("50,000"):
                check(len(metrics["by_campaign"]["13w"]) >= 50000,
                      "the 50,000-campaign input gives %d campaign rows" % len(metrics["by_campaign"]["13w"]))
                check(pages <= 30, "50,000 campaigns give %d pages (at most 30)" % pages)
                # the bar of all other campaigns, far past the fifteen ranked,
                # is cut at the axis' end, its figures in the caption, so that
                # the campaigns keep a scale they can be read on
                # (the ranking's page: the one under its subtitle, which the
                # contents do not repeat; a long data-health banner moves it)
                at = next((n for n in range(2, pages + 1) if "campaigns with the most revenue in "
                           "the last" in " ".join(page_text(pdf, n).split())), 2)
                ranking = " ".join(page_text(pdf, at).split())
                # (their spend bar only: their revenue, the sample's, is on the axis)
                m = re.search(r"The spend bar of all other ([\d,]+) campaigns is cut at the axis' "
                              r"end: \$([\d,]+)\.", ranking)
                if check(m, "%s: page %d does not say that the bar of all other campaigns is cut:\n%s"
                         % (label, at, ranking[-600:])):
                    ticks = [int(t.replace(",", "")) for t in re.findall(r"\$([\d,]+)(?![\d,]*\.)", ranking[:ranking.find("Revenue by")])]
                    spend = int(m.group(2).replace(",", ""))
                    check(ticks and max(ticks) < spend,
                          "%s: the ranking's axis reaches %s, the cut bar's spend is %s"
                          % (label, max(ticks) if ticks else None, spend))
            elif label.startswith("sample"):
                check(6 <= pages <= 10, "the sample report has %d pages (6 to 10)" % pages)
                # the three campaigns that spent most are named on the scatter,
                # whatever they earned (one of the sample's earned nothing)
                camps = [r for r in metrics["by_campaign"]["13w"] if r["campaign"] != "unknown"]
                page = next((page_text(pdf, k) for k in range(1, pages + 1)
                             if "Spend vs revenue by campaign" in page_text(pdf, k)
                             and "ROI = 0" in page_text(pdf, k)), "")
                for top in sorted(camps, key=lambda r: -(r.get("spend") or 0))[:3]:
                    check(top["campaign"] in page, "%s: the scatter does not name %s, of the three "
                          "campaigns that spent most (%s, revenue %s)"
                          % (label, top["campaign"], top.get("spend"), top.get("revenue")))
        check_cjk_names(mqlreport, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("the PDF's layout",
           "no two words overlap, none crosses the margins; channels, model and outline present")


if __name__ == "__main__":
    main()
