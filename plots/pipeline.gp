# A Gantt chart of pipeline stages x microbatches over time: the bubble is
# the white space. Fed by `llmroof plot pipeline`: `out`, `term`, `ptitle`,
# `nstages`, and `bars` (a file: stage, start s, end s, microbatch).
set terminal @term
set output out
set title ptitle noenhanced
set xlabel "time (ms)"
set ylabel "pipeline stage"
set yrange [-0.6:nstages - 0.4] reverse
set ytics 1
set grid xtics lc rgb "#dddddd"
set style fill solid 0.85 border lc rgb "#333333"
set key off
plot bars using (($2 + $3) / 2 * 1e3):1:(($3 - $2) / 2 * 1e3):(0.38):(int($4) % 8 + 1) with boxxyerror lc variable, \
     bars using (($2 + $3) / 2 * 1e3):1:(sprintf("%d", int($4))) with labels font ",8"
