#!/bin/sh
# What help2man reads to write mqlreport(1), at build time: `mqlreport --help`,
# then every command's `--help` as a subsection of OPTIONS, then the examples,
# reshaped into the layout help2man recognises. The page thus says what the
# binary says. MQL_BIN names the binary. Not installed.
set -eu
bin=${MQL_BIN:?MQL_BIN must name the mqlreport binary}
case ${1:-} in
--version) exec "$bin" --version ;;
--help) ;;
*) echo "usage: MQL_BIN=BINARY $0 --help|--version" >&2; exit 64 ;;
esac

top=$("$bin" --help)
commands=$(printf '%s\n' "$top" | sed -n '/^Commands:$/,/^$/s/^  \([a-z][a-z0-9-]*\)  .*/\1/p')
[ -n "$commands" ] || { echo "$0: no Commands: in $bin --help" >&2; exit 70; }

# The overview without its examples, which help2man wants last.
printf '%s\n' "$top" | awk '/^Examples:$/ { skip = 1; next } skip && /^$/ { skip = 0; next } !skip'

# Each command: GOption's "Usage:" line becomes a subsection heading and its
# description, its group headings go, and a paragraph that an earlier command
# already printed (the shared exit statuses) is not repeated.
printf '\nOptions:\n'
for c in $commands; do
	printf '\f\n'
	"$bin" "$c" --help
done | awk '
	/^\f$/ { flush(); next }
	/^Usage:$/ { usage = 1; next }
	usage {
		usage = 0
		sub(/^ +/, "")
		name = $0; sub(/ \[.*$/, "", name); sub(/ - .*$/, "", name)
		desc = $0; if (!sub(/^[^-]* - /, "", desc)) desc = ""
		flush()
		printf "\n%s:\n", name
		if (desc != "") printf "  %s\n", desc
		next
	}
	/^[A-Z][A-Za-z ]*Options:$/ || /^Options:$/ { next }
	/^$/ { flush(); next }
	{ para = para $0 "\n" }
	function flush() {
		if (para == "") return
		if (para ~ /^ / || !(para in seen)) printf "\n%s", para
		seen[para] = 1
		para = ""
	}
	END { flush() }
'

# The examples, each marked as a command line.
printf '\nExamples:\n'
printf '%s\n' "$top" | sed -n '/^Examples:$/,/^$/s/^\( *\)\([a-z]\)/\1$ \2/p'
