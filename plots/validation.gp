# Predicted against measured, log-log, with y = x and +-10% bands. Fed by
# `llmroof plot validation PUB.csv` (from `llmroof validate published
# --format csv`): `out`, `term`, `ptitle`, `ngroups`, the array `gname` and
# `points` (a file of blocks, one per group: measured s, predicted s).
set terminal @term
set output out
set title ptitle noenhanced
set logscale xy
set format xy "10^{%L}"
set xlabel "measured (s)"
set ylabel "predicted (s)"
set grid lc rgb "#dddddd"
set key top left noenhanced
set size ratio -1
plot x with lines lc rgb "#333333" title "y = x", \
     1.1 * x with lines dt 2 lc rgb "#999999" title "+10%", \
     0.9 * x with lines dt 2 lc rgb "#999999" title "-10%", \
     for [g = 0:ngroups - 1] points index g using 1:2 with points pt 7 ps 1.2 title gname[g + 1]
