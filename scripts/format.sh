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
if [ $check = 1 ]; then
    # One file a line; the loop runs in a subshell, so its verdict is its
    # exit status.
    if git ls-files '*.c' '*.h' | {
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
# -z and xargs -0: a file name is never split.
git ls-files -z '*.c' '*.h' | xargs -0 "$cf" --style=file -i
