# A tornado chart: the metric at -X% and +X% of each parameter, the widest
# swing on top, around the metric's base value. Fed by `llmroof plot
# sensitivity SENS.csv` (SENS.csv from `llmroof sensitivity --format csv`):
# `out`, `term`, `ptitle`, `xname` (with its unit), `xscale` (from the
# metric's base unit to the axis unit), `base`, `nrows`, and `bars` (a
# file: rank, metric at -X%, metric at +X%, path).
set terminal @term
set output out
set title ptitle noenhanced
set yrange [nrows + 0.6:0.4]
set ytics scale 0 noenhanced
set xlabel xname noenhanced
set grid xtics lc rgb "#dddddd"
set style fill solid 0.8 border lc rgb "#333333"
set key outside bottom center horizontal
set arrow from base * xscale, graph 0 to base * xscale, graph 1 nohead lc rgb "#333333" dt 2
plot bars using (($2 + base) / 2 * xscale):1:(abs($2 - base) / 2 * xscale):(0.35):ytic(4) with boxxyerror lc rgb "#d95f02" title "parameter -X%", \
     bars using (($3 + base) / 2 * xscale):1:(abs($3 - base) / 2 * xscale):(0.35) with boxxyerror lc rgb "#1b9e77" title "parameter +X%"
