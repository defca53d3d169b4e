#!/usr/bin/env python3
# Re-runs the `$ llmroof ...` commands of README.md's example blocks and
# puts their real output in place (a block whose output has a '...' line
# keeps only the lines before it). Run from the repository root after a
# build; with a regex argument, only the commands matching it are re-run
# (the bench and the host GEMM timings are noisy: leave them unless asked).
# --file PATH refreshes another page (docs/tour.md). A command's stderr is
# shown only when it fails (the examples of errors); progress lines that
# go to stderr stay out. A command written with ' ... ' for arguments it
# leaves out is kept with its output as they are.
#   scripts/readme_refresh.py 'validate published|train'
#   scripts/readme_refresh.py --file docs/tour.md
import os, re, subprocess, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
path = os.path.join(root, 'README.md')
if len(args) >= 2 and args[0] == '--file':
    path = os.path.join(root, args[1])
    args = args[2:]
only = re.compile(args[0]) if args else None
# The binary embeds the profiles and the error model: outputs printed by a
# binary older than them would show stale numbers (intervals included).
import glob, shutil
binary = shutil.which('llmroof')
if not binary:
    sys.exit('readme_refresh.py: no llmroof on PATH (PATH=build:$PATH)')
embedded = [os.path.join(root, 'validation', 'data', 'error_model.csv')] + \
    glob.glob(os.path.join(root, 'hw', 'profiles', '*.cfg'))
newer = [f for f in embedded if os.path.getmtime(f) > os.path.getmtime(binary)]
if newer:
    sys.exit('readme_refresh.py: %s is newer than %s: rebuild first (cmake --build build)' %
             (os.path.relpath(newer[0], root), binary))
lines = open(path).read().split('\n')
out = []
i = 0
changed = 0
while i < len(lines):
    l = lines[i]
    out.append(l)
    if l.startswith('```') and i + 1 < len(lines) and lines[i+1].startswith('$ llmroof'):
        # a block of commands and outputs
        j = i + 1
        block = []
        while j < len(lines) and not lines[j].startswith('```'):
            block.append(lines[j]); j += 1
        # split into (command, original output lines)
        segs = []
        for b in block:
            if b.startswith('$ '):
                segs.append([b, []])
            elif segs:
                segs[-1][1].append(b)
        for cmd, orig in segs:
            c = cmd[2:]
            # A command shortened with '...' (docs/serving.md's "search ...
            # --disagg") is not runnable as written: its output stays.
            if (only and not only.search(c)) or ' ... ' in c:
                out.append(cmd)
                out.extend(orig)
                continue
            sh = re.sub(r'^llmroof\b', 'build/llmroof', c)
            sh = sh.replace('| llmroof', '| build/llmroof')
            r = subprocess.run(['bash', '-c', sh], capture_output=True, text=True, cwd=root)
            text = r.stdout + (r.stderr if r.returncode != 0 else '')
            new = text.rstrip('\n').split('\n') if text.strip() else []
            elided = any(x.strip() in ('...', '…') for x in orig)
            if elided:
                keep = [k for k, x in enumerate(orig) if x.strip() in ('...', '…')][0]
                new = new[:keep] + ['...']
            out.append(cmd)
            out.extend(new)
            if new != orig: changed += 1
        out.append(lines[j])
        i = j + 1
        continue
    i += 1
open(path, 'w').write('\n'.join(out))
print('blocks changed:', changed)
