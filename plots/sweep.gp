# A metric against a parameter, one line per value of a second parameter.
# Fed by `llmroof plot sweep SWEEP.csv` (from `llmroof sweep --format csv`):
# `out`, `term`, `ptitle`, `xname`, `yname` (with its unit), `yscale` (from
# the metric's base unit to the axis unit: 1e3 for s to ms), `nblocks`, the
# array `bname` (the second parameter's values) and `lines` (a file of
# blocks: x, y).
set terminal @term
set output out
set title ptitle noenhanced
set xlabel xname noenhanced
set ylabel yname noenhanced
set grid lc rgb "#dddddd"
set key outside right top noenhanced
set logscale x
set ytics
set mytics 2
plot for [b = 0:nblocks - 1] lines index b using 1:($2 * yscale) with linespoints lw 2 pt 7 title bname[b + 1]
