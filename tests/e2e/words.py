"""How the outputs show a value that is a key: a channel or an industry in
words (SPEC's normalised keys such as paid_search or it_services are what
metrics.json holds; a reader sees "Paid search", "IT services").

The rule is the catalogue's (templates/metrics.ini, a group with
`in_words = true`): each "_" a space, the words of the group's `spelling`
list written that way whatever their case, a first letter a to z a
capital; a value with a space or a capital is not a key and shows as it
is."""
import configparser
import os


def _catalogue():
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    src = os.environ.get("MQL_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    ini.read(os.path.join(src, "templates", "metrics.ini"), encoding="utf-8")
    return ini


CATALOGUE = _catalogue()


def spelling(group):
    words = CATALOGUE.get(group, "spelling", fallback="")
    return {w.strip().lower(): w.strip() for w in words.split(";") if w.strip()}


def in_words(group, key):
    """The text the workbook and the PDF show for `key`, a value of `group`."""
    if not CATALOGUE.getboolean(group, "in_words", fallback=False):
        return key
    if key is None or key == "" or any(c == " " or ("A" <= c <= "Z") for c in key):
        return key
    known = spelling(group)
    s = " ".join(known.get(w.lower(), w) for w in key.split("_"))
    return s[:1].upper() + s[1:] if "a" <= s[:1] <= "z" else s


def channel_words(key):
    """The text the workbook and the PDF show for channel `key`."""
    return in_words("channel", key)
