#!/usr/bin/env python3
"""The layers of docs/architecture.md, checked on the sources.

Every `#include "x.h"` of a folder's .c and .h files must name a header of
that folder or of a layer it may use. The build enforces the same rule (each
library sees only the include folders of the libraries it links); this test
says it in words, with the file and line of every violation, and also
catches a header reachable only by accident of a transitive link.

Usage: check_layers.py SOURCE_DIR
"""
import os
import re
import sys

# folder -> the folders it may include from (besides itself)
MAY_USE = {
    "base": [],
    "net": ["base"],
    "ingest": ["base", "net"],
    "metrics": ["base", "ingest"],
    "engine": ["base", "net", "ingest", "metrics"],
    "reports": ["base", "ingest", "metrics"],
    "deliver": ["base", "net", "ingest", "metrics", "reports"],
    "gen": ["base", "ingest"],
    "cmd": ["base", "net", "ingest", "metrics", "engine", "reports", "deliver", "gen"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    root = sys.argv[1]
    owner = {}  # header file name -> folder
    for folder in MAY_USE:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            print(f"check_layers: missing layer folder {folder}/")
            return 1
        for name in os.listdir(d):
            if name.endswith(".h"):
                if name in owner:
                    print(f"check_layers: {name} is in both {owner[name]}/ and {folder}/")
                    return 1
                owner[name] = folder
    # top-level folders with C sources must be known layers
    for entry in sorted(os.listdir(root)):
        d = os.path.join(root, entry)
        if entry in MAY_USE or entry in ("tests", "bench") or entry.startswith(("build", ".")):
            continue
        if os.path.isdir(d) and any(n.endswith((".c", ".h")) for n in os.listdir(d)):
            print(f"check_layers: {entry}/ holds C sources but is not a layer of docs/architecture.md")
            return 1

    bad = 0
    checked = 0
    for folder, allowed in MAY_USE.items():
        d = os.path.join(root, folder)
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                for lineno, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    checked += 1
                    inc = os.path.basename(m.group(1))
                    home = owner.get(inc)
                    if home is None:
                        continue  # generated or system-like header (e.g. in the build tree)
                    if home != folder and home not in allowed:
                        print(f"{folder}/{name}:{lineno}: includes {home}/{inc}, "
                              f"but {folder}/ may use only {', '.join([folder] + allowed)}")
                        bad += 1
    if checked == 0:
        print("check_layers: no #include found: wrong source folder?")
        return 1
    print(f"check_layers: {checked} includes checked, {bad} against the layers")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
