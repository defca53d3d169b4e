#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# -o FILE where FILE is not a plain new or existing file (security issue,
# item 3). The staged write (temporary file, then rename) must never
# replace what is not a regular file: a FIFO or a device is written
# directly and stays what it was; a symbolic link is followed, and the file
# it ends at is replaced, so the link survives; an existing file keeps its
# mode (and, as root, its owner).
#
# The real /dev/null and /dev/full are tried only as root, only when they
# are character devices, and only after the same check has passed on a FIFO
# and on a device node of our own (mknod), so that a writer that replaces
# nodes fails there first; should /dev/null become a file anyway, it is put
# back.
#   outfile_special.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
catpid=
trap '[ -n "$catpid" ] && kill "$catpid" 2>/dev/null; rm -rf "$dir"' EXIT
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
run() {
    "$llmroof" "$@" >"$dir/out" 2>"$dir/err"
}
# No run may leave a temporary file anywhere in $dir.
no_tmp() {
    if find "$dir" -name '*.tmp.*' | grep -q .; then
        bad "$1: a temporary file was left: $(find "$dir" -name '*.tmp.*')"
        find "$dir" -name '*.tmp.*' -exec rm -f {} +
    fi
}

# A FIFO: written through, the reader gets the output, the FIFO stays.
mkfifo "$dir/fifo"
cat "$dir/fifo" >"$dir/from_fifo" &
catpid=$!
run gettime 1024 1024 1024 -o "$dir/fifo"
rc=$?
i=0
while kill -0 "$catpid" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$catpid" 2>/dev/null; then
    kill "$catpid"
    bad "fifo: the reader never got the output (exit $rc: $(cat "$dir/err"))"
fi
catpid=
fifo_ok=0
if [ ! -p "$dir/fifo" ]; then
    bad "fifo: -o replaced the FIFO: $(ls -l "$dir/fifo")"
elif [ $rc != 0 ] || ! grep -q '^Get_Time(1024, 1024, 1024)' "$dir/from_fifo"; then
    bad "fifo: exit $rc, the reader got: $(head -1 "$dir/from_fifo")"
else
    fifo_ok=1
    echo "ok: fifo"
fi
no_tmp fifo

# A chain of links to an 0600 file in another folder: the file gets the
# output and keeps its mode, both links stay links.
mkdir -p "$dir/a/b"
printf 'old\n' >"$dir/a/b/real"
chmod 600 "$dir/a/b/real"
ln -s b/real "$dir/a/link1"
ln -s a/link1 "$dir/link2"
if [ "$(id -u)" = 0 ]; then
    chown 65534:65534 "$dir/a/b/real"
fi
run estimate "$config" --format json -o "$dir/link2"
rc=$?
if [ $rc != 0 ]; then
    bad "link chain: exit $rc: $(cat "$dir/err")"
elif [ ! -L "$dir/link2" ] || [ ! -L "$dir/a/link1" ]; then
    bad "link chain: a link was replaced: $(ls -l "$dir/link2" "$dir/a/link1")"
elif ! grep -q '"metrics"' "$dir/a/b/real"; then
    bad "link chain: the file at the end of the links was not written"
elif [ "$(stat -c %a "$dir/a/b/real")" != 600 ]; then
    bad "link chain: the mode became $(stat -c %a "$dir/a/b/real") (was 600)"
elif [ "$(id -u)" = 0 ] && [ "$(stat -c %u:%g "$dir/a/b/real")" != 65534:65534 ]; then
    bad "link chain: the owner became $(stat -c %u:%g "$dir/a/b/real") (was 65534:65534)"
else
    echo "ok: link chain to an 0600 file"
fi
no_tmp "link chain"

# A plain existing 0640 file keeps its mode.
printf 'old\n' >"$dir/plain"
chmod 640 "$dir/plain"
run gettime 1 1 1 -o "$dir/plain"
if [ "$(stat -c %a "$dir/plain")" != 640 ] || ! grep -q '^Get_Time' "$dir/plain"; then
    bad "plain file: mode $(stat -c %a "$dir/plain"), content: $(head -1 "$dir/plain")"
else
    echo "ok: plain 0640 file"
fi

# A link to a missing file creates the file; a relative link is read from
# its own folder.
ln -s b/new "$dir/a/dangling"
run gettime 1 1 1 -o "$dir/a/dangling"
if [ ! -L "$dir/a/dangling" ] || ! grep -q '^Get_Time' "$dir/a/b/new"; then
    bad "dangling link: $(ls -l "$dir/a/dangling"; cat "$dir/err")"
else
    echo "ok: link to a missing file"
fi
no_tmp "dangling link"

# A loop of links: the error, not a hang.
ln -s loop1 "$dir/loop2"
ln -s loop2 "$dir/loop1"
run gettime 1 1 1 -o "$dir/loop1"
rc=$?
want="llmroof: $dir/loop1: cannot create output: Too many levels of symbolic links"
[ $rc = 1 ] && [ "$(cat "$dir/err")" = "$want" ] || bad "link loop: exit $rc: $(cat "$dir/err")"

# A link to /dev/stdout, with stdout a pipe (written through) and a
# regular file (the file it ends at is replaced): the link stays.
ln -s /dev/stdout "$dir/so"
"$llmroof" gettime 1 1 1 -o "$dir/so" 2>"$dir/err" | cat >"$dir/piped"
if [ ! -L "$dir/so" ] || ! grep -q '^Get_Time' "$dir/piped"; then
    bad "link to /dev/stdout (pipe): $(ls -l "$dir/so"; head -1 "$dir/piped"; cat "$dir/err")"
else
    echo "ok: link to /dev/stdout, a pipe"
fi
"$llmroof" gettime 1 1 1 -o "$dir/so" >"$dir/captured" 2>"$dir/err"
if [ ! -L "$dir/so" ] || ! grep -q '^Get_Time' "$dir/captured"; then
    bad "link to /dev/stdout (file): $(ls -l "$dir/so"; head -1 "$dir/captured"; cat "$dir/err")"
else
    echo "ok: link to /dev/stdout, a file"
fi
no_tmp "link to /dev/stdout"

# Device nodes, as root only: first one of our own (if this file system
# lets us make one: opening it may still be refused, nodev), then the real
# ones, only if the FIFO and our node survived.
if [ "$(id -u)" != 0 ]; then
    echo "skipped: device nodes (not root)"
    exit $fail
fi
node_ok=$fifo_ok
if mknod "$dir/null" c 1 3 2>/dev/null; then
    run gettime 1 1 1 -o "$dir/null"
    rc=$?
    if [ ! -c "$dir/null" ]; then
        bad "own device node: -o replaced it: $(ls -l "$dir/null")"
        node_ok=0
    else
        echo "ok: own device node (exit $rc)"
    fi
    no_tmp "own device node"
fi
if [ $node_ok != 1 ]; then
    echo "skipped: /dev/null and /dev/full (the checks above failed)"
    exit 1
fi
if [ -c /dev/null ]; then
    "$llmroof" gettime 1 1 1 -o /dev/null >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ ! -c /dev/null ]; then
        bad "/dev/null: -o replaced it: $(ls -l /dev/null); restoring it"
        rm -f /dev/null && mknod -m 666 /dev/null c 1 3
    elif [ $rc != 0 ]; then
        bad "/dev/null: exit $rc: $(cat "$dir/err")"
    else
        echo "ok: /dev/null"
    fi
else
    echo "skipped: /dev/null is not a character device"
fi
if [ -c /dev/full ]; then
    "$llmroof" gettime 1 1 1 -o /dev/full >"$dir/out" 2>"$dir/err"
    rc=$?
    want="llmroof: /dev/full: cannot write output: No space left on device"
    if [ ! -c /dev/full ]; then
        bad "/dev/full: -o replaced it: $(ls -l /dev/full); restoring it"
        rm -f /dev/full && mknod -m 666 /dev/full c 1 7
    elif [ $rc != 1 ] || [ "$(cat "$dir/err")" != "$want" ]; then
        bad "/dev/full: exit $rc: $(cat "$dir/err")"
    else
        echo "ok: /dev/full"
    fi
else
    echo "skipped: /dev/full is not a character device"
fi
exit $fail
