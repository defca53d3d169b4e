#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Formats the C sources with clang-format and the project's .clang-format.
#   scripts/format.sh          format every tracked .c and .h file in place
#   scripts/format.sh --check  change nothing; list unformatted files, exit 1
# Generated files (build folders) are not tracked, so never formatted.
set -eu
cd "$(dirname "$0")/.."
check=0
case "${1:-}" in
--check) check=1 ;;
'') ;;
-h | --help)
    sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "format.sh: unknown argument '$1' (try --help)" >&2
    exit 2
    ;;
esac
cf="${CLANG_FORMAT:-clang-format}"
if ! command -v "$cf" >/dev/null 2>&1; then
    echo "format.sh: $cf not found: install it (apt-get install clang-format)" >&2
    exit 1
fi
# The C files: git's list in a clone, the source folders otherwise (a
# tarball).
sources() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files '*.c' '*.h'
    else
        find core hw model dag report analysis validation plots cli fuzz tests -name '*.[ch]' | sort
    fi
}
if [ $check = 1 ]; then
    # One file a line; the loop runs in a subshell, so its verdict is its
    # exit status.
    if sources | {
        bad=0
        while IFS= read -r f; do
            if ! "$cf" --style=file "$f" | cmp -s "$f" -; then
                echo "format.sh: $f is not formatted (run scripts/format.sh)" >&2
                bad=1
            fi
        done
        exit $bad
    }; then
        echo "format.sh: every C file is formatted"
        exit 0
    fi
    exit 1
fi
# One name a line (the project's names hold no newline), never split on
# spaces.
sources | while IFS= read -r f; do "$cf" --style=file -i "$f"; done
