"""The campaign-ROI PDF read back for what its figures claim: words and their
boxes from pdftotext -bbox-layout, their colours from the page rendered by
pdftoppm (poppler).

usage: test_pdf_honesty.py MQLREPORT

Five reports: the sample exports (samples/, week 2026-W47), 30 generated
leads (gen --leads 30 --seed 11), where nearly every figure rests on a
handful of cases, 20,000 (--seed 7), the sample with each campaign split
in 15 (315 campaigns, most of them without revenue) and the HubSpot
sample. Checked:

- campaigns of equal revenue are ranked by spend, the largest first: the 15
  of page 2 and the 200 of the campaign table are the first by revenue, then
  spend, then name;

- a figure from fewer MQLs than the low-sample minimum is in the muted grey,
  never green, red, shaded or in the text's black: the ROI at the end of a
  campaign's bars (page 2), the ROI of the campaign table, the cohort heat
  map's shares (a week of one MQL is not the darkest cell); a note says so;
- the campaign "unknown" (leads and spend without a campaign) is no
  campaign: not ranked on page 2 (its grey bar comes last, without a ROI)
  and not named on the scatter;
- page 2's caption names each bar cut at the axis' end by what it is, and
  only the bar that is cut, with its figure;
- on the scatter's log scales, zero revenue or spend sits in a band of its
  own marked "$0", apart from the first tick (it sat on it); its axes are
  the campaigns', the circle of the leads without a campaign past them at
  their end, its figure in the caption (HubSpot's stretched the revenue axis
  to $150k for campaigns of $30k);
- on the scatter, no circle, grid line or the ROI = 0 line shows inside the
  box of a campaign's label, of the line's label or of a tick label: in
  each word's box every pixel is the word's ink (or its anti-aliased edge,
  within 3 pixels of it) or white;
- a campaign without MQLs is a ring on the scatter, as its caption and key
  say; on the sample and the HubSpot sample the three campaigns that spent
  most are named there, also HubSpot's field_roadshow, without MQLs and
  drawn on the circle of a campaign of nearly the same spend;
- on the trend's small multiples, a week without a value (a cost per MQL
  without MQLs) reads "—" and a week at zero shows a flat bar on the axis,
  so that the two never look alike;
- on page 4, a channel without a closed deal shows "—" alone, as the note
  explains it (not "— low sample: 0 closed deals"), and no grid line runs
  through a close rate's label (also on 40 leads without an opportunities
  export); the leads without a channel ("Unknown") come last on its close
  rate chart and its funnel, not ranked among the channels, and a note says
  what they hold (the sample with its paid search leads' channel left blank:
  by its close rate, first);
- the trend's count panels have whole-number ticks (no "0.5" win), its
  money panels' ticks carry the currency, also in a week before the data
  (2026-W01 of the sample) where no panel has a value above zero;
- on the trend's small multiples of the sample's first week (2026-W22) and
  of the week whose 13 weeks start one before the sample's (2026-W33), a
  week before the exports begin (kpi_trend's before_data) shows neither a
  zero's flat bar nor "—" in any panel, and the note under them names those
  weeks ("W10–W21") as lying before the exports begin;
- the attribution chart writes every amount on one scale: "$0.3k" beside
  "$9.0k", never "$304.62" (a zero is "$0" on any scale);
- page 2's subtitle speaks of "all others as one bar" only when there are
  more campaigns than bars; a campaign named in Arabic (written right to
  left) ends against the axis as the others do, not at the page's margin;
- the cohort heat map of a week whose 13 weeks begin before the exports
  gives those weeks no "(0 MQLs)" and says why;
- with one channel, the attribution note gives that as the reason every
  model agrees (not "one touch per won lead");
- a figure of page 1 with no value this week ("—") is not called "not yet
  comparable": it has nothing to compare;
- an emoji in a campaign's name ("\U0001F680 Launch week") is drawn in its
  colours in the campaign table, not as a box of its code.
"""
import glob
import json
import os
import re
import sys
import tempfile
import shutil
import xml.etree.ElementTree as ET

from test_pdf_layout import SAMPLES, check, finish, generate, produce, rewrite, run, split_campaigns
from words import channel_words

DPI = 300
PERCENT_RE = re.compile(r"^[-\u2212+]?\d[\d,]*(\.\d)?%$")


class Word:
    def __init__(self, e):
        self.x0, self.y0 = float(e.get("xMin")), float(e.get("yMin"))
        self.x1, self.y1 = float(e.get("xMax")), float(e.get("yMax"))
        self.text = e.text or ""

    @property
    def cy(self):
        return (self.y0 + self.y1) / 2

    def __repr__(self):
        return "%r at (%.0f,%.0f)" % (self.text, self.x0, self.y0)


def page_words(pdf, page):
    r = run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", pdf, "-"])
    xml = re.sub(r'\sxmlns="[^"]+"', "", r.stdout, count=1)
    root = ET.fromstring(xml)
    return [Word(e) for e in root.iter("word")]


def find_page(pdf, title, last=False):
    """The number of the first page after the summary (whose contents name
    every section) that holds title; last: the last such page (a note on
    an earlier page may name the section)."""
    pages = int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout).group(1))
    order = range(pages, 1, -1) if last else range(2, pages + 1)
    for p in order:
        t = " ".join(run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"]).stdout.split())
        if title in t:
            return p
    raise SystemExit("FAIL: no page of %s holds %r" % (pdf, title))


def page_text(pdf, page):
    return " ".join(run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"]).stdout.split())


class Picture:
    """A page rendered by pdftoppm at DPI as RGB (binary PPM)."""

    def __init__(self, pdf, page, tmp):
        prefix = os.path.join(tmp, "page-%d" % page)
        r = run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                 pdf, prefix])
        if r.returncode != 0:
            raise SystemExit("FAIL: pdftoppm: %s" % r.stderr)
        with open(prefix + ".ppm", "rb") as f:
            data = f.read()
        m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        self.w, self.h = int(m.group(1)), int(m.group(2))
        self.px = data[m.end():]

    def rgb(self, x, y):
        k = 3 * (y * self.w + x)
        return self.px[k], self.px[k + 1], self.px[k + 2]

    def box(self, w, pad=0.0):
        """The pixels (x, y) of a word's box in points, grown by pad points."""
        s = DPI / 72.0
        x0, y0 = max(0, int((w.x0 - pad) * s)), max(0, int((w.y0 - pad) * s))
        x1, y1 = min(self.w, int((w.x1 + pad) * s) + 1), min(self.h, int((w.y1 + pad) * s) + 1)
        return [(x, y) for y in range(y0, y1) for x in range(x0, x1)]

    def tone(self, w):
        """'colour' when a word's box holds a saturated pixel (green, red, a
        shaded cell), 'dark' when its darkest ink is the text's black,
        else 'muted' (the grey of few cases)."""
        darkest = 255
        for x, y in self.box(w):
            r, g, b = self.rgb(x, y)
            if max(r, g, b) - min(r, g, b) > 60:
                return "colour"
            darkest = min(darkest, max(r, g, b))
        return "dark" if darkest < 75 else "muted"


def lines(words, pred=lambda w: True):
    """Words grouped into lines by their top edge, each line left to right."""
    out = []
    for w in sorted((w for w in words if pred(w)), key=lambda w: (round(w.y0), w.x0)):
        if out and abs(out[-1][0].y0 - w.y0) < 1.5:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def low_campaigns(metrics):
    return {r["campaign"]: bool(r["low_sample"]) for r in metrics["by_campaign"]["13w"]}


def ranked_names(words, split):
    """The lines of names left of the bars, above the note under the chart
    (which starts at the margin with "Revenue by")."""
    note = min((w.y0 for w in words if w.text == "Revenue" and w.x0 < 45 and w.y0 > 150),
               default=1e9)
    return lines(words, lambda w: w.x1 < split and 100 < w.y0 < note - 1)


def by_display(rows):
    """Campaigns as the PDF orders them: by revenue, those of equal revenue
    by spend (the money-losers first), then by name, case ignored."""
    def key(r):
        rev, sp, name = r.get("revenue"), r.get("spend"), r["campaign"]
        lower = "".join(c.lower() if c.isascii() else c for c in name)
        return (rev is None, -(rev or 0), sp is None, -(sp or 0), lower.encode(), name.encode())
    return sorted((r for r in rows if r["campaign"] != "unknown"), key=key)


def check_ranking_roi(label, pdf, metrics, tmp):
    """Page 2: a ROI from few MQLs is muted, the others are coloured."""
    page = find_page(pdf, "Campaigns by revenue, with spend and ROI")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    low = low_campaigns(metrics)
    split = 222.0  # the names end at 0.34 of the width (A4), the bars start after
    names = ranked_names(words, split)
    seen = 0
    for w in words:
        if w.x0 < split or not PERCENT_RE.match(w.text):
            continue
        near = min(names, key=lambda ln: abs(sum(x.cy for x in ln) / len(ln) - w.cy), default=None)
        if not near:
            continue
        name = " ".join(x.text for x in near)
        m = re.match(r"All other (\d+) campaigns$", name)
        if m:
            # their ROI rests on their MQLs together: the campaigns left
            # out of the ranking are the ones after the shown, by revenue
            rows = by_display(metrics["by_campaign"]["13w"])
            rest = rows[len(rows) - int(m.group(1)):]
            few = sum(r["mqls"] for r in rest) < 30
            tone = pic.tone(w)
            check(tone == ("muted" if few else "colour"),
                  "%s: page %d, the ROI %s of the other campaigns (%d MQLs together) is %s"
                  % (label, page, w.text, sum(r["mqls"] for r in rest), tone))
            continue
        if name not in low:
            continue  # a wrapped name
        seen += 1
        tone = pic.tone(w)
        if low[name]:
            check(tone == "muted", "%s: page %d, the ROI %s of %s (low sample) is %s, not muted"
                  % (label, page, w.text, name, tone))
        else:
            check(tone == "colour", "%s: page %d, the ROI %s of %s is %s, not green or red"
                  % (label, page, w.text, name, tone))
    check(seen >= 1, "%s: page %d shows no campaign's ROI" % (label, page))
    if any(low.values()):
        check("rests on fewer than 30 MQLs" in page_text(pdf, page),
              "%s: page %d does not say what a grey ROI means" % (label, page))


def check_ties_by_spend(label, pdf, metrics):
    """Campaigns of equal revenue (most often none) are ranked by spend, the
    largest first: the 15 on page 2 and the rows of the capped campaign
    table are the first by revenue, then spend, so that a campaign that spent
    much and earned nothing is never left out for one that spent nothing."""
    order = by_display(metrics["by_campaign"]["13w"])
    names = {r["campaign"] for r in order}
    page = find_page(pdf, "Campaigns by revenue, with spend and ROI")
    ranked = [" ".join(w.text for w in ln) for ln in ranked_names(page_words(pdf, page), 222.0)]
    ranked = [n for n in ranked if n in names]
    want = [r["campaign"] for r in order[:15]]
    check(ranked == want, "%s: page %d ranks %s, not the first by revenue, then spend: %s"
          % (label, page, ranked, want))
    # the campaign table, over its pages, down to the channels' table
    first = find_page(pdf, "Campaigns, last 13 weeks")
    pages = int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout).group(1))
    listed = []
    for p in range(first, pages + 1):
        words = page_words(pdf, p)
        heads = [w for w in words if w.text == "Leads"]
        end = min((w.y0 for w in words if w.text == "Channels," and w.y1 - w.y0 > 12), default=1e9)
        if not heads:
            break
        for ln in lines(words, lambda w: heads[0].y1 < w.y0 < end):
            name = " ".join(w.text for w in ln if w.x1 < heads[0].x0 - 10)
            if name in names:
                listed.append(name)
        if end < 1e9:
            break
    want = [r["campaign"] for r in order[:200]]
    check(listed == want, "%s: the campaign table lists %d campaigns, not the first %d by "
          "revenue, then spend (first difference at %s)"
          % (label, len(listed), len(want),
             next((i for i, (a, b) in enumerate(zip(listed, want)) if a != b), min(len(listed), len(want)))))


def check_ranking_cuts(label, pdf, metrics):
    """Page 2's caption names the bars cut at the axis' end, each by what
    it is and only the bar that is cut ("The revenue bar of the leads and
    spend without a campaign is cut at the axis' end: $113,100."), never a
    bar that is not ("revenue $0" beside a cut spend bar) nor "the bars of
    without a campaign (unknown)"."""
    page = find_page(pdf, "Campaigns by revenue, with spend and ROI")
    words = page_words(pdf, page)
    note = min((w.y0 for w in words if w.text == "Revenue" and w.x0 < 45 and w.y0 > 150),
               default=1e9)
    ticks = [(w, TICK_RE.match(w.text)) for w in words if w.y0 < note and TICK_RE.match(w.text)]
    if not check(ticks, "%s: page %d, the ranking's axis has no ticks" % (label, page)):
        return
    low = max(w.y0 for w, _ in ticks)
    end = max(float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[m.group(2)]
              for w, m in ticks if abs(w.y0 - low) < 1)
    text = " ".join(page_text(pdf, page).split())
    order = by_display(metrics["by_campaign"]["13w"])
    groups = []
    if len(order) > 15:
        rest = order[15:]
        groups.append(("all other %d campaigns" % len(rest),
                       sum(r.get("revenue") or 0 for r in rest), sum(r.get("spend") or 0 for r in rest)))
    none = next((r for r in metrics["by_campaign"]["13w"] if r["campaign"] == "unknown"), None)
    if none:
        groups.append(("the leads and spend without a campaign", none.get("revenue") or 0,
                       none.get("spend") or 0))

    def money(v):
        return "${:,.0f}".format(v)
    said = re.findall(r"The (?:revenue bar|spend bar|bars) of .*? (?:is|are) cut at the axis' end: "
                      r"[^.]*\.", text)
    want = []
    for who, rev, sp in groups:
        if rev > end and sp > end:
            want.append("The bars of %s are cut at the axis' end: revenue %s, spend %s."
                        % (who, money(rev), money(sp)))
        elif rev > end or sp > end:
            want.append("The %s bar of %s is cut at the axis' end: %s."
                        % ("revenue" if rev > end else "spend", who, money(rev if rev > end else sp)))
    check(said == want, "%s: page %d, on an axis ending at %s the caption says %s, not %s"
          % (label, page, money(end), said, want))


def check_table_roi(label, pdf, metrics, tmp):
    """The campaign table: a low-sample row's ROI is muted, any other's black."""
    page = find_page(pdf, "Campaigns, last 13 weeks")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    heads = [w for w in words if w.text == "ROI"]
    leads = [w for w in words if w.text == "Leads"]
    if not check(heads and leads, "%s: page %d has no ROI or Leads header" % (label, page)):
        return
    roi_head, leads_head = heads[0], leads[0]
    low = low_campaigns(metrics)
    seen = 0
    for ln in lines(words, lambda w: w.y0 > roi_head.y1):
        name = " ".join(w.text for w in ln if w.x1 < leads_head.x0 - 10)
        if name not in low:
            continue
        cells = [w for w in ln if abs(w.x1 - roi_head.x1) < 3 and PERCENT_RE.match(w.text)]
        for c in cells:
            seen += 1
            tone = pic.tone(c)
            # the bucket without a campaign is grey as well: its ROI is no campaign's
            want = "muted" if low[name] or name == "unknown" else "dark"
            check(tone == want, "%s: page %d, the ROI %s of %s is %s, not %s"
                  % (label, page, c.text, name, tone, want))
    check(seen >= 1, "%s: page %d, no ROI cell found" % (label, page))


def check_table_close_rate(label, pdf, metrics, tmp):
    """The channel table: a close rate on fewer closed deals than the
    minimum (its close_rate_n), or of a low-sample row, is muted, any other
    black; a note says what a grey close rate rests on."""
    page = find_page(pdf, "Channels, last 13 weeks", last=True)
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    top = min((w.y0 for w in words if w.text == "Channels,"), default=0)
    # the "rate" under "Close" (the MQL → SQL rate's header also ends in "rate")
    closes = [w for w in words if w.text == "Close" and w.y0 > top][:1]
    heads = [w for w in words if w.text == "rate" and w.y0 > top and closes
             and abs(w.x1 - closes[0].x1) < 3 and w.y0 > closes[0].y0][:1]
    leads = [w for w in words if w.text == "Leads" and w.y0 > top]
    if not check(heads and leads, "%s: page %d has no Close rate or Leads header" % (label, page)):
        return
    rate_head, leads_head = heads[0], leads[0]
    rows = {channel_words(r["channel"]): r for r in metrics["by_channel"]["13w"]}
    seen = own = 0
    for ln in lines(words, lambda w: w.y0 > rate_head.y1):
        name = " ".join(w.text for w in ln if w.x1 < leads_head.x0 - 10)
        if name not in rows:
            continue
        r = rows[name]
        n = r.get("close_rate_n")
        few = bool(r["low_sample"]) or r["channel"] == "unknown" or (n is not None and 1 <= n < 30)
        own += n is not None and 1 <= n < 30 and not r["low_sample"]
        for c in [w for w in ln if abs(w.x1 - rate_head.x1) < 3 and PERCENT_RE.match(w.text)]:
            seen += 1
            tone = pic.tone(c)
            want = "muted" if few else "dark"
            check(tone == want, "%s: page %d, the close rate %s of %s (%r closed deals) is %s, not %s"
                  % (label, page, c.text, name, n, tone, want))
    check(seen >= 1, "%s: page %d, no close rate found" % (label, page))
    if own:
        check("A grey close rate rests on fewer than 30 closed deals" in page_text(pdf, page),
              "%s: page %d does not say what a grey close rate rests on" % (label, page))
    return own


def check_close_rate_labels(label, pdf, metrics, tmp):
    """Page 4's close rates: a channel without a closed deal has no rate and
    shows "—" alone, as the note under the chart explains it, not "— low
    sample: 0 closed deals"; no grid line runs through a label."""
    page = find_page(pdf, "Channels: close rate and funnel")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    funnel = min((w.y0 for w in words if w.text == "Funnel"), default=1e9)
    ticks = [w for w in words if w.text == "0.0%" and w.y0 < funnel]
    axis = max((w.y0 for w in ticks), default=funnel)  # the axis' labels, under the rows
    top = min((w.y1 for w in words if w.text == "Wilson"), default=80)
    chart = [w for w in words if top < w.y0 < axis - 1]
    rows = {channel_words(r["channel"]): r for r in metrics["by_channel"]["13w"]}
    text = " ".join(page_text(pdf, page).split())
    check(not re.search(r"(?<![\d,])0 closed deals", text),
          "%s: page %d flags a rate of 0 closed deals, which has none" % (label, page))
    split = max((w.x1 for w in chart if w.text in {x.split()[-1] for x in rows}), default=0) + 4
    nulls = 0
    for ln in lines(chart):
        name = " ".join(w.text for w in ln if w.x1 < split)
        if name not in rows:
            continue
        shown = [w.text for w in ln if w.x0 >= split]
        if rows[name].get("close_rate") is None:
            nulls += 1
            check(shown == ["\u2014"], "%s: page %d, %s has no closed deal and shows %s, not \u2014"
                  % (label, page, name, shown))
    if nulls:
        check("A \u2014 has no closed deal" in text, "%s: page %d shows a \u2014 the note does not "
              "explain" % (label, page))
    for w in chart:
        if w.x0 >= split:
            stray = stray_pixels(pic, w)
            check(len(stray) <= 2, "%s: page %d, %d pixels of a line inside the label %s"
                  % (label, page, len(stray), w))


def check_cohorts(label, pdf, metrics, tmp):
    """The heat map: a week of fewer MQLs than the minimum is muted, unshaded."""
    page = find_page(pdf, "MQL cohorts: share reaching SQL by age")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    few = {r["week"] for r in metrics["cohorts"] if 0 < r["mqls"] < 30}
    seen = 0
    for ln in lines(words):
        if ln[0].text not in few:
            continue
        for w in ln:
            if PERCENT_RE.match(w.text):
                seen += 1
                tone = pic.tone(w)
                check(tone == "muted", "%s: page %d, the cohort %s's %s (few MQLs) is %s, not muted"
                      % (label, page, ln[0].text, w.text, tone))
    if few:
        check(seen >= 1, "%s: page %d, no share of a cohort of few MQLs found" % (label, page))
        check("weeks of fewer than 30 MQLs" in page_text(pdf, page),
              "%s: page %d does not say what a grey cohort means" % (label, page))


def check_ranking_subtitle(label, pdf, metrics):
    """Page 2's subtitle: "and all others as one bar" only when more
    campaigns than its 15 bars. Returns whether every campaign has one."""
    known = [r for r in metrics["by_campaign"]["13w"] if r["campaign"] != "unknown"]
    text = page_text(pdf, find_page(pdf, "Campaigns by revenue, with spend and ROI"))
    every = len(known) <= 15
    check(("and all others as one bar" in text) != every
          and ("The campaigns of the last 13 weeks" in text) == every,
          "%s: %d campaigns, page 2 says %r" % (label, len(known), text[:300]))
    return every


def check_rtl_labels(label, pdf, metrics):
    """Page 2: the labels written right to left (Arabic) end where the
    others (campaigns' names of one line) do, against the axis."""
    page = find_page(pdf, "Campaigns by revenue, with spend and ROI")
    words = page_words(pdf, page)
    names = {r["campaign"] for r in metrics["by_campaign"]["13w"]}
    arabic = lambda w: any("\u0600" <= ch <= "\u06ff" for ch in w.text)
    rtl, ltr = [], []
    for ln in lines(words, lambda w: w.x1 < 250):  # the labels, left of the bars
        if any(arabic(w) for w in ln):
            rtl.append(max(w.x1 for w in ln))
        elif " ".join(w.text for w in ln) in names:
            ltr.append(max(w.x1 for w in ln))
    if not check(rtl and ltr, "%s: page %d has no Arabic label (%d) or no other (%d)"
                 % (label, page, len(rtl), len(ltr))):
        return
    edge = sorted(ltr)[len(ltr) // 2]
    for x in rtl:
        check(abs(x - edge) < 3, "%s: page %d, an Arabic label ends at %.0f pt, the others at "
              "%.0f: it is not against the axis" % (label, page, x, edge))


def check_cohorts_before(label, pdf, metrics):
    """The heat map: a week before the exports begin has no count beside
    it (its zeros are no figures) and the note says so."""
    page = find_page(pdf, "MQL cohorts: share reaching SQL by age")
    text = page_text(pdf, page)
    before = [r["week"] for r in metrics["kpi_trend"] if r.get("before_data")]
    if not check(before, "%s: no week before the data" % label):
        return
    for w in before:
        check(w + " (" not in text, "%s: page %d gives %s a count: %r" % (label, page, w, text[:400]))
    check("Weeks without a count lie before the exports begin" in text,
          "%s: page %d does not say why some weeks have no count" % (label, page))


def renamed(tmp, name, column, rename):
    """The sample in tmp/name with each value of `column` of its leads,
    events and spend passed through rename."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    for f in ("leads.csv", "events.csv", "spend.csv"):
        rewrite(os.path.join(SAMPLES, f), os.path.join(d, f), column, rename)
    shutil.copy(os.path.join(SAMPLES, "opportunities.csv"), d)
    return d


def one_channel(tmp):
    """The sample with every lead, event and spend row in one channel."""
    return renamed(tmp, "onechannel", "channel", lambda c: "paid_search")


def few_campaigns(tmp):
    """The sample with its campaigns merged into 5."""
    return renamed(tmp, "few", "campaign", lambda c: "camp_%d" % (sum(c.encode()) % 5))


def emoji_names(tmp):
    """The sample with one campaign named with an emoji."""
    return renamed(tmp, "emoji", "campaign",
                   lambda c: "\U0001F680 Launch week" if c == "seo_blog" else c)


def check_emoji(label, pdf, tmp):
    """The campaign table: the emoji before "Launch" has colour (the rocket),
    where a font without it leaves a grey box of its code."""
    page = find_page(pdf, "Campaigns, last 13 weeks")
    words = page_words(pdf, page)
    w = next((w for w in words if w.text == "Launch"), None)
    if not check(w is not None, "%s: page %d has no \"Launch\"" % (label, page)):
        return
    pic = Picture(pdf, page, tmp)
    s = DPI / 72.0
    left = [(x, y) for y in range(int(w.y0 * s), int(w.y1 * s))
            for x in range(int((w.x0 - 14) * s), int((w.x0 - 1) * s))]
    coloured = sum(1 for x, y in left if max(pic.rgb(x, y)) - min(pic.rgb(x, y)) > 60)
    check(coloured > 20, "%s: page %d, the emoji before %r has %d pixels of colour: drawn as a "
          "box of its code?" % (label, page, w.text, coloured))


def arabic_names(tmp):
    """The sample with two of its campaigns named in Arabic."""
    names = {"seo_product_pages": "\u062d\u0645\u0644\u0629 \u0627\u0644\u0631\u0628\u064a\u0639",
             "ig_retargeting": "\u062a\u0633\u0648\u064a\u0642 \u0631\u0642\u0645\u064a #2"}
    return renamed(tmp, "arabic", "campaign", lambda c: names.get(c, c))


def no_paid_search(tmp):
    """The sample with the channel of its paid search leads (the highest
    close rate) left blank: those leads without a channel (a spend row
    needs one)."""
    d = os.path.join(tmp, "nochannel")
    os.makedirs(d)
    rewrite(os.path.join(SAMPLES, "leads.csv"), os.path.join(d, "leads.csv"), "channel",
            lambda c: "" if c == "paid_search" else c)
    for f in ("events.csv", "spend.csv", "opportunities.csv"):
        shutil.copy(os.path.join(SAMPLES, f), d)
    return d


def check_unknown_channel(label, pdf):
    """Page 4: the leads and spend without a channel ("Unknown") are no
    channel: last on the close rate chart and on the funnel, not ranked
    among the channels (by its close rate it came first), and a note says
    what they are, as the Overview and the channel table do."""
    page = find_page(pdf, "Channels: close rate and funnel")
    words = page_words(pdf, page)
    text = page_text(pdf, page)
    check("Unknown holds the leads and spend without a channel" in text,
          "%s: page %d does not say what Unknown holds: %r" % (label, page, text[:600]))
    bands = (("the close rate chart", min(w.y1 for w in words if w.text == "Channels:"),
              # the note under the chart, which names Unknown too
              min((w.y0 for w in words if w.text in ("Pale", "Funnel")), default=1e9)),
             ("the funnel", min((w.y1 for w in words if w.text == "Leads"), default=1e9),
              min((w.y0 for w in words if w.text == "Counts"), default=1e9)))
    for what, top, bottom in bands:
        unknown = [w for w in words if w.text == "Unknown" and top < w.y0 < bottom]
        if not check(len(unknown) == 1, "%s: page %d names Unknown %d times on %s"
                     % (label, page, len(unknown), what)):
            continue
        # the names end at one edge, left of the bars
        u = unknown[0]
        names = lines(words, lambda w: top < w.y0 < bottom and abs(w.x1 - u.x1) < 2)
        check(len(names) > 2 and u in names[-1],
              "%s: page %d ranks Unknown among the channels on %s: %s" % (
                  label, page, what, [" ".join(w.text for w in ln) for ln in names]))


def check_unknown(label, pdf, metrics, tmp):
    """The bucket without a campaign: last on page 2 without a ROI, not
    named on the scatter."""
    if "unknown" not in low_campaigns(metrics):
        return
    page = find_page(pdf, "Campaigns by revenue, with spend and ROI")
    words = page_words(pdf, page)
    split = 222.0
    names = ranked_names(words, split)
    rows = [ln for ln in names if any("unknown" in w.text for w in ln)]
    if check(rows, "%s: page %d does not show the leads without a campaign" % (label, page)):
        row = rows[0]
        cy = sum(w.cy for w in row) / len(row)
        check(row is names[-1], "%s: page %d ranks %r above other campaigns"
              % (label, page, " ".join(w.text for w in row)))
        rois = [w.text for w in words if w.x0 > split and PERCENT_RE.match(w.text)
                and abs(w.cy - cy) < 6]
        check(not rois, "%s: page %d gives the leads without a campaign a ROI %s"
              % (label, page, rois))
    page = find_page(pdf, "Spend vs revenue by campaign")
    named = [w for w in page_words(pdf, page) if w.text == "unknown"]
    check(not named, "%s: page %d names %s as a campaign" % (label, page, named))


def stray_pixels(pic, w):
    """Pixels in a word's box that belong to no glyph: grey (a circle, a
    grid line, a dashed line) and more than 3 pixels from the word's ink.
    The ink is what is as dark as the word's darkest tenth: black text, or
    the grey of a tick label."""
    box = pic.box(w)
    lum = {(x, y): max(pic.rgb(x, y)) for x, y in box}
    darkest = min(lum.values())
    ink = {k for k, v in lum.items() if v <= darkest + 40}
    stray = []
    for (x, y), v in lum.items():
        if v >= 245 or (x, y) in ink:
            continue
        if not any((x + dx, y + dy) in ink for dx in range(-3, 4) for dy in range(-3, 4)):
            stray.append((x, y))
    return stray


def check_scatter_clear(label, pdf, tmp):
    """Nothing drawn over the scatter's labels and tick labels."""
    page = find_page(pdf, "Spend vs revenue by campaign")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    sub = max((w.y1 for w in words if w.text == "spend" and w.y0 < 120), default=90)
    # the note under the chart starts "Revenue by …" at the margin; the
    # y axis's title "Revenue ↑" does too, above the chart: the note is the lower
    note = max((w.y0 for w in words if w.text == "Revenue" and w.x0 < 45 and w.y0 > sub),
               default=1e9)
    # each axis is named: "Revenue" above the highest tick, "Spend" under the x ticks
    ticks = [w for w in words if sub < w.y0 < note and re.match(r"^[$\u20ac\u00a3]\d", w.text)]
    if check(ticks, "%s: page %d, the scatter has no tick labels" % (label, page)):
        top, low = min(t.y0 for t in ticks), max(t.y1 for t in ticks)
        check(any(w.text == "Revenue" and w.y1 <= top and sub < w.y0 for w in words),
              "%s: page %d, the scatter's y axis is not named (Revenue)" % (label, page))
        check(any(w.text == "Spend" and w.y0 >= low - 0.5 and w.y1 < note for w in words),
              "%s: page %d, the scatter's x axis is not named (Spend)" % (label, page))
    for w in words:
        if not (sub < w.y0 and w.y1 < note):
            continue
        stray = stray_pixels(pic, w)
        check(len(stray) <= 2, "%s: page %d, %d pixels of a mark or line inside the label %s"
              % (label, page, len(stray), w))


TICK_RE = re.compile(r"^[$\u20ac\u00a3]([\d.]+)([kM]?)$")


def scatter_ticks(pdf):
    """The scatter's page, its text, and its tick labels as (word, value),
    split into the x axis's (the lowest row) and the y axis's (the others)."""
    page = find_page(pdf, "Spend vs revenue by campaign")
    words = page_words(pdf, page)
    sub = max((w.y1 for w in words if w.text == "spend" and w.y0 < 120), default=90)
    note = max((w.y0 for w in words if w.text == "Revenue" and w.x0 < 45 and w.y0 > sub),
               default=1e9)
    ticks = []
    for w in words:
        m = TICK_RE.match(w.text)
        if m and sub < w.y0 < note:
            ticks.append((w, float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[m.group(2)]))
    low = max((w.y0 for w, _ in ticks), default=0)
    xs = [t for t in ticks if abs(t[0].y0 - low) < 1]
    ys = [t for t in ticks if abs(t[0].y0 - low) >= 1]
    return page, page_text(pdf, page), xs, ys


def check_scatter_zero(label, pdf, metrics):
    """On log scales zero has a place of its own: a campaign of no revenue
    (no spend) sits in a band marked "$0" well below (left of) the first
    tick, not on it as if it had earned (spent) the first tick's amount."""
    page, text, xs, ys = scatter_ticks(pdf)
    if "(log scale)" not in text:
        return False
    rows = [r for r in metrics["by_campaign"]["13w"] if r["campaign"] != "unknown"]
    for axis, ticks, key, away in (("y", ys, "revenue", lambda z, t: z[0].y0 - t[0].y0),
                                   ("x", xs, "spend", lambda z, t: t[0].x0 - z[0].x1)):
        if not any(not r.get(key) for r in rows):
            continue
        zero = [t for t in ticks if t[1] == 0]
        rest = [t for t in ticks if t[1] > 0]
        if not check(zero and rest, "%s: page %d, campaigns of no %s but the log scale's %s "
                     "axis has no $0 of its own: %s" % (label, page, key, axis,
                                                        [t[0].text for t in ticks])):
            continue
        first = min(rest, key=lambda t: t[1])
        gap = away(zero[0], first)
        check(gap >= 12, "%s: page %d, zero's %s sits %.1f pt from the first tick %s"
              % (label, page, key, gap, first[0].text))
    check("in the shaded band marked $0" in text,
          "%s: page %d does not say where zero sits on the log scales" % (label, page))
    return True


def check_scatter_campaigns_axes(label, pdf, metrics):
    """The scatter's axes are the campaigns', as page 2's: the light circle
    of the leads and spend without a campaign, far past them, is drawn at
    the axis' end and its figure given in the caption, rather than the axis
    stretched for it."""
    rows = metrics["by_campaign"]["13w"]
    none = next((r for r in rows if r["campaign"] == "unknown"), None)
    camps = [r for r in rows if r["campaign"] != "unknown"]
    if not none or not camps:
        return False
    page, text, xs, ys = scatter_ticks(pdf)
    seen = False
    for axis, ticks, key in (("revenue", ys, "revenue"), ("spend", xs, "spend")):
        most = max(r.get(key) or 0 for r in camps)
        own = none.get(key) or 0
        if not (most > 0 and own > 2 * most and "(log scale)" not in text):
            continue
        seen = True
        top = max((t[1] for t in ticks), default=0)
        check(most <= top < own, "%s: page %d, the %s axis ends at %s for campaigns of at most "
              "%s, sized by the leads without a campaign (%s)" % (label, page, axis, top, most, own))
        check("past the end of the %s axis" % axis in text or "past the end of both axes" in text,
              "%s: page %d does not say the light circle lies past the %s axis" % (label, page, axis))
    return seen


def check_scatter_named(label, pdf, metrics, spenders):
    """A campaign without MQLs is drawn as a ring, which the caption (and
    the key, where there is one) says in words, so that it does not read
    as a circle of a few MQLs; with `spenders`, the three campaigns that
    spent most are named in the plot, also one without MQLs that lies on
    another's circle (HubSpot's field_roadshow: $3,453, no revenue, no
    MQLs, a dot inside saas_connect_2026's circle of $3,456, not named)."""
    page = find_page(pdf, "Spend vs revenue by campaign")
    words = page_words(pdf, page)
    text = page_text(pdf, page)
    sub = max((w.y1 for w in words if w.text == "spend" and w.y0 < 120), default=90)
    note = max((w.y0 for w in words if w.text == "Revenue" and w.x0 < 45 and w.y0 > sub),
               default=1e9)
    plot = [w.text for w in words if sub < w.y0 and w.y1 < note]
    camps = [r for r in metrics["by_campaign"]["13w"] if r["campaign"] != "unknown"]
    if any(not r.get("mqls") for r in camps):
        check("A ring is a campaign without MQLs" in text,
              "%s: page %d, campaigns without MQLs but the caption does not say how they "
              "are drawn" % (label, page))
        check("Circle area, MQLs:" not in text or "no MQLs" in " ".join(plot),
              "%s: page %d, the key to the circles does not name the ring of no MQLs"
              % (label, page))
    if not spenders:
        return
    for top in sorted(camps, key=lambda r: -(r.get("spend") or 0))[:3]:
        name = top["campaign"]
        named = name in plot if " " not in name else name in " ".join(plot)
        check(named, "%s: page %d does not name %s on the scatter, of the three campaigns that "
              "spent most (spend %s, revenue %s, %s MQLs)"
              % (label, page, name, top.get("spend"), top.get("revenue"), top.get("mqls")))


TREND = ["leads", "mqls", "sqls", "wins", "cost_per_mql", "revenue"]


def check_trend(label, pdf, metrics, tmp):
    """Page 5: "—" for every null of the panels, a visible bar for a zero."""
    page = find_page(pdf, "The funnel week by week")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    rows = metrics["trend"]
    nulls = sum(1 for r in rows for k in TREND if r.get(k) is None)
    dashes = sum(1 for w in words if w.text == "\u2014")
    check(dashes >= nulls, "%s: page %d has %d weeks without a value but shows %d \u2014"
          % (label, page, nulls, dashes))
    # the first panel (leads, top left): a week at zero has a bar on the axis
    s = DPI / 72.0
    for r in rows:
        if r.get("leads") != 0:
            continue
        short = r["week"].split("-")[-1]
        marks = [w for w in words if w.text == short and w.x1 < 297]
        if not marks:
            continue  # its label thinned out
        w = min(marks, key=lambda w: w.y0)
        cx, base = (w.x0 + w.x1) / 2, w.y0 - 2  # the label hangs 2 pt under the axis
        px = [max(pic.rgb(int(x), int(y)))
              for x in range(int((cx - 3) * s), int((cx + 3) * s))
              for y in range(int((base - 1.0) * s), int((base - 0.2) * s))]
        check(px and min(px) < 0xC8, "%s: page %d, leads of %s are 0 and nothing is drawn"
              % (label, page, r["week"]))


def check_trend_before(label, pdf, metrics, tmp):
    """Page 5 when the 13 weeks begin before the exports: a week before
    the data (kpi_trend's before_data; SPEC's trend has zeros for it) has
    no bar in any panel, not even a zero's flat one on the axis, and no
    "—"; the note names those weeks. Weeks of the data keep theirs
    (check_trend)."""
    page = find_page(pdf, "The funnel week by week")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    before = [r["week"] for r in metrics["kpi_trend"] if r.get("before_data")]
    if not check(before, "%s: kpi_trend has no week before the data" % label):
        return
    short = [w.split("-")[-1] for w in before]
    s = DPI / 72.0
    seen = 0
    for w in words:
        if w.text not in short:
            continue  # a week of the data, or the note
        seen += 1
        cx, base = (w.x0 + w.x1) / 2, w.y0 - 2  # the label hangs 2 pt under the axis
        px = [max(pic.rgb(int(x), int(y)))
              for x in range(int((cx - 3) * s), int((cx + 3) * s))
              for y in range(int((base - 1.0) * s), int((base - 0.2) * s))]
        check(px and min(px) >= 0xC8, "%s: page %d, %s lies before the exports begin but has a "
              "bar on the axis (at %.0f, %.0f), as if it were a week of zeros"
              % (label, page, w.text, w.x0, w.y0))
    check(seen >= len(PANELS), "%s: page %d names a week before the data under %d panels only"
          % (label, page, seen))
    # "—" only for a week of the data without the figure
    nulls = sum(1 for r in metrics["trend"] if r["week"] not in before
                for k in TREND if r.get(k) is None)
    dashes = sum(1 for w in words if w.text == "\u2014")
    check(dashes == nulls, "%s: page %d shows %d \u2014 for %d weeks of the data without a "
          "value: a week before the data is no week without the figure"
          % (label, page, dashes, nulls))
    text = page_text(pdf, page)
    weeks = short[0] if len(short) == 1 else "%s\u2013%s" % (short[0], short[-1])
    check(re.search(r"%s lies? before the exports begin" % weeks, text),
          "%s: page %d does not say that %s lie before the exports begin: %r"
          % (label, page, weeks, text[-400:]))


PANELS = {"Leads": "count", "MQLs": "count", "SQLs": "count", "Wins": "count",
          "Cost per MQL": "money", "Revenue": "money"}


def check_trend_ticks(label, pdf):
    """Page 5's panels: a count's axis ticks are whole numbers (no half a
    win: "0.0 0.5 1.0"), a money axis's carry the currency, also when no
    week has a value ("—" all along a cost per MQL)."""
    page = find_page(pdf, "The funnel week by week")
    words = page_words(pdf, page)
    mid = 297.0
    titles = []  # (right column?, y0, kind, name)
    for ln in lines(words):
        for col in (False, True):
            part = [w for w in ln if (w.x0 >= mid) == col]
            for name, kind in PANELS.items():
                n = len(name.split())
                if part and " ".join(w.text for w in part[:n]) == name and len(part) == n + 1:
                    titles.append((col, part[0].y0, kind, name))
    check(len(titles) == len(PANELS), "%s: page %d, panels found: %s"
          % (label, page, [t[3] for t in titles]))
    seen = {}
    for w in words:
        if not re.match(r"^[$\u20ac\u00a3]?\d[\d.,]*[kM]?$", w.text):
            continue
        col = w.x0 >= mid
        above = [t for t in titles if t[0] == col and t[1] < w.y0 - 2]
        if not above or w.x1 > (mid + 10 if col else 40) + 40:
            continue  # the tick labels are at the panel's left edge
        t = max(above, key=lambda t: t[1])
        seen.setdefault(t[3], []).append(w.text)
        if t[2] == "count":
            check(re.fullmatch(r"\d[\d,]*k?", w.text), "%s: page %d, the %s panel has a tick %r, "
                  "not a whole number" % (label, page, t[3], w.text))
        else:
            check(w.text[0] in "$\u20ac\u00a3", "%s: page %d, the %s panel's tick %r has no "
                  "currency" % (label, page, t[3], w.text))
    for t in titles:
        check(len(seen.get(t[3], [])) >= 2, "%s: page %d, the %s panel shows ticks %s"
              % (label, page, t[3], seen.get(t[3])))


AMOUNT_RE = re.compile(r"^[$\u20ac\u00a3]?(-?\d[\d,]*)(\.(\d+))?([kMB]?)$")


def check_attribution_scale(label, pdf, tmp):
    page = find_page(pdf, "Revenue by channel under the six attribution models")
    words = page_words(pdf, page)
    head = min((w.y1 for w in words if w.text == "First"), default=None)
    end = min((w.y0 for w in words if w.text == "MQL" and head and w.y0 > head), default=1e9)
    if not check(head, "%s: page %d has no header First touch" % (label, page)):
        return
    scales = {}
    for w in words:
        m = AMOUNT_RE.match(w.text)
        if not (head < w.y0 < end and m and w.text[0] in "$\u20ac\u00a3"):
            continue
        if float(m.group(1).replace(",", "") + (m.group(2) or "")) == 0:
            # a true zero is "$0"; "$0.0k" is an amount too small for the unit
            check(not m.group(4), "%s: page %d writes an amount as %s, as if it were nothing"
                  % (label, page, w.text))
            continue  # zero is zero on every scale
        scales.setdefault((m.group(4), len(m.group(3) or "")), []).append(w.text)
    check(len(scales) <= 1, "%s: page %d, the attribution chart mixes scales: %s"
          % (label, page, sorted(scales.values())))


def check_funnel_counts(label, pdf, metrics, tmp):
    """The funnel by channel shows counts, not a share of the stage before
    ("144 · 59%"): SQLs over MQLs of one window is another figure than the
    MQL → SQL rate of the tables, over the MQL cohort. A count is exact
    however small: a channel of few MQLs has its name and counts in the
    text's black, as every other (pale, they read as another channel)."""
    page = find_page(pdf, "Funnel by channel")
    words, pic = page_words(pdf, page), Picture(pdf, page, tmp)
    top = min((w.y1 for w in words if w.text == "Funnel"), default=0)
    heads = [w for w in words if w.text == "Leads" and w.y0 > top][:1]
    few = {channel_words(r["channel"]) for r in metrics["by_channel"]["13w"] if r.get("low_sample")}
    seen = 0
    for ln in lines(words, lambda w: heads and w.y0 > heads[0].y1):
        name = " ".join(w.text for w in ln if w.x1 < heads[0].x0 - 4)
        if name not in few:
            continue
        for w in ln:
            if w.x1 < heads[0].x0 - 4 or re.fullmatch(r"[\d,]+", w.text):
                seen += 1
                tone = pic.tone(w)
                check(tone == "dark", "%s: page %d, the funnel's %r of %s (few MQLs) is %s, not dark"
                      % (label, page, w.text, name, tone))
    check(seen or not few, "%s: page %d, no funnel row of a channel of few MQLs found" % (label, page))
    text = " ".join(page_text(pdf, page).split())
    shares = re.findall(r"\d \u00b7 \d+%", text)
    check("the percentage is a stage's count" not in text,
          "%s: page %d's note still explains a share of the stage before" % (label, page))
    check(not shares, "%s: page %d's funnel shows shares of the stage before: %s"
          % (label, page, shares[:3]))


def hubspot(mqlreport, out):
    """The HubSpot sample (its own configuration): the PDF and metrics.json."""
    r = run([mqlreport, "run", "--config", os.path.join(SAMPLES, "hubspot", "mqlreport.ini"),
             "--out", out, "--no-email"])
    if r.returncode != 0:
        raise SystemExit("FAIL: mqlreport run on the HubSpot sample exited %d: %s"
                         % (r.returncode, r.stderr))
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        return glob.glob(os.path.join(out, "*.pdf"))[0], json.load(f)


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: test_pdf_honesty.py MQLREPORT")
    mqlreport = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="mql-honesty-")
    try:
        reports = (("sample", SAMPLES), ("30 leads", generate(mqlreport, tmp, "tiny", 30, 11)),
                   ("20,000 leads", generate(mqlreport, tmp, "big", 20000, 7)),
                   ("315 campaigns split from the sample", split_campaigns(tmp)),
                   ("HubSpot sample", None))
        every = set()
        for k, (label, data) in enumerate(reports):
            out = os.path.join(tmp, "out-%d" % k)
            pdf, metrics = produce(mqlreport, data, out) if data else hubspot(mqlreport, out)
            every.add(check_ranking_subtitle(label, pdf, metrics))
            check_ties_by_spend(label, pdf, metrics)
            check_ranking_cuts(label, pdf, metrics)
            zero = check_scatter_zero(label, pdf, metrics)
            past = check_scatter_campaigns_axes(label, pdf, metrics)
            if label.startswith("315"):
                check(zero, "%s: the scatter is not on log scales" % label)
            if label.startswith("HubSpot"):
                check(past, "%s: the light circle does not lie past the campaigns' axes" % label)
            check_ranking_roi(label, pdf, metrics, tmp)
            check_table_roi(label, pdf, metrics, tmp)
            own = check_table_close_rate(label, pdf, metrics, tmp)
            if label == "sample":  # its channels close few deals: the rule is seen at work
                check(own, "sample: no channel of 30 MQLs or more with few closed deals")
            check_cohorts(label, pdf, metrics, tmp)
            check_close_rate_labels(label, pdf, metrics, tmp)
            check_unknown(label, pdf, metrics, tmp)
            check_scatter_clear(label, pdf, tmp)
            check_scatter_named(label, pdf, metrics, label in ("sample", "HubSpot sample"))
            check_trend(label, pdf, metrics, tmp)
            check_trend_ticks(label, pdf)
            check_attribution_scale(label, pdf, tmp)
            check_funnel_counts(label, pdf, metrics, tmp)
        pdf, metrics = produce(mqlreport, few_campaigns(tmp), os.path.join(tmp, "out-few"))
        every.add(check_ranking_subtitle("the sample in 5 campaigns", pdf, metrics))
        check(every == {True, False}, "page 2's subtitle seen with only %s" % every)
        pdf, metrics = produce(mqlreport, arabic_names(tmp), os.path.join(tmp, "out-arabic"))
        check_rtl_labels("campaigns named in Arabic", pdf, metrics)
        pdf, metrics = produce(mqlreport, emoji_names(tmp), os.path.join(tmp, "out-emoji"))
        check_emoji("a campaign named with an emoji", pdf, tmp)
        pdf, metrics = produce(mqlreport, no_paid_search(tmp), os.path.join(tmp, "out-nochannel"))
        check_unknown_channel("the sample without paid search's channel", pdf)
        pdf, metrics = produce(mqlreport, one_channel(tmp), os.path.join(tmp, "out-onechannel"))
        text = page_text(pdf, find_page(pdf, "Revenue by channel under the six attribution models"))
        check("(one channel earns all of it)" in text, "one channel: the attribution note says %r"
              % text[:600])
        # 40 generated leads without an opportunities export: no channel
        # has a closed deal
        nodeals = os.path.join(tmp, "nodeals")
        r = run([mqlreport, "gen", "--leads", "40", "--seed", "7", "--weeks", "13", "--end-week",
                 "2026-W47", "--out", nodeals])
        if check(r.returncode == 0, "gen: exit %d: %s" % (r.returncode, r.stderr)):
            os.remove(os.path.join(nodeals, "opportunities.csv"))
            pdf, metrics = produce(mqlreport, nodeals, os.path.join(tmp, "out-nodeals"))
            check_close_rate_labels("40 leads without deals", pdf, metrics, tmp)
        # a week before the samples begin: every panel of the trend without
        # a value above zero, a cost per MQL without a week of MQLs
        quiet = os.path.join(tmp, "quiet.ini")
        with open(quiet, "w", encoding="utf-8") as f:
            f.write("[health]\nsource_stale = warn\nno_leads = warn\n")
        out = os.path.join(tmp, "out-w01")
        r = run([mqlreport, "run", "--config", quiet, "--data", SAMPLES, "--week", "2026-W01",
                 "--out", out, "--no-email"])
        if check(r.returncode == 0, "week 2026-W01 of the sample: exit %d: %s" % (r.returncode, r.stderr)):
            pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
            check_trend_ticks("week 2026-W01", pdf)
            # no MQL → SQL rate, time to SQL or speed to lead: dashes, not
            # "not yet comparable"
            check("not yet comparable" not in page_text(pdf, 1),
                  "week 2026-W01: a dash on page 1 is called not yet comparable")
        # the sample's first week, whose 12 weeks before lie before the
        # exports, and a week whose 13 begin one before them
        for week in ("2026-W22", "2026-W33"):
            out = os.path.join(tmp, "out-" + week)
            r = run([mqlreport, "run", "--config", quiet, "--data", SAMPLES, "--week", week,
                     "--out", out, "--no-email"])
            if check(r.returncode == 0, "week %s of the sample: exit %d: %s"
                     % (week, r.returncode, r.stderr)):
                with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
                    metrics = json.load(f)
                pdf = glob.glob(os.path.join(out, "*.pdf"))[0]
                check_trend_before("week " + week, pdf, metrics, tmp)
                check_cohorts_before("week " + week, pdf, metrics)
                check_trend_ticks("week " + week, pdf)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("what the PDF shows", "figures of few cases muted and explained; no campaign ranked "
           "as one; scatter labels clear; trend dashes and zeros, no bar before the data; one money "
           "scale")


if __name__ == "__main__":
    main()
