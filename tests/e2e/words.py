"""How the outputs show a channel: the key in words (SPEC keys such as
paid_search are what metrics.json holds; a reader sees "Paid search").

The rule is the catalogue's (templates/metrics.ini, [channel]): each "_" a
space, the words of its `spelling` list written that way whatever their
case, a first letter a to z a capital; a value with a space or a capital is not
a key and shows as it is."""
import configparser
import os


def _spelling():
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    src = os.environ.get("MQL_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
    ini.read(os.path.join(src, "templates", "metrics.ini"), encoding="utf-8")
    words = ini.get("channel", "spelling", fallback="")
    return {w.strip().lower(): w.strip() for w in words.split(";") if w.strip()}


SPELLING = _spelling()


def channel_words(key):
    """The text the workbook and the PDF show for channel `key`."""
    if key is None or key == "" or any(c == " " or ("A" <= c <= "Z") for c in key):
        return key
    s = " ".join(SPELLING.get(w.lower(), w) for w in key.split("_"))
    return s[:1].upper() + s[1:] if "a" <= s[:1] <= "z" else s
