# Hardware side by side: TTFT, TPOT, dollars per million tokens, and memory used
# against capacity. Fed by `llmroof plot compare COMPARE.csv` (from
# `llmroof compare --format csv`): `out`, `term`, `ptitle`, and `rows` (a
# file: "hw\nGPUs, plan", ttft_s, tpot_s, usd_per_mtok,
# memory_used_fraction). Every bar axis starts at zero: a bar's length is
# its value.
set terminal @term
set output out
set multiplot layout 2,2 title ptitle noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border lc rgb "#333333"
set grid ytics lc rgb "#dddddd"
set xtics noenhanced norotate font ",8"
set key top left
set yrange [0:*]
set bmargin 4
set title "time to first token"
set ylabel "ms"
plot rows using ($2 * 1e3):xtic(1) title "TTFT" lc rgb "#d95f02"
set title "time per output token"
plot rows using ($3 * 1e3):xtic(1) title "TPOT" lc rgb "#e7298a"
set title "cost"
set ylabel "USD per million output tokens"
plot rows using 4:xtic(1) title "USD/Mtok" lc rgb "#1b9e77"
set title "memory per GPU"
set ylabel "fraction of capacity"
set yrange [0:1.1]
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#cc0000" dt 2
plot rows using 5:xtic(1) title "used / capacity" lc rgb "#7570b3"
unset multiplot
