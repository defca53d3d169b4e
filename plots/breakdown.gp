# Stacked bars of time per op kind for each layer kind and the pipeline ends
# of an estimate, prefill and decode side by side. Fed by `llmroof plot
# breakdown`: `out`, `term`, `ptitle`, and `rows` (a file of two blocks,
# prefill then decode: label, GEMM s, attention s, elementwise s,
# communication s).
set terminal @term
set output out
set multiplot layout 1,2 title ptitle noenhanced
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.7
set ylabel "time (ms)"
set xtics rotate by -30 noenhanced
set grid ytics lc rgb "#dddddd"
# The key above the bars, across: inside the panel it covered the tallest
# bar and its names were cut at the panel's edge.
set key outside bottom center horizontal
set yrange [0:*]
do for [b = 0:1] {
    set title (b == 0 ? "prefill (one microbatch)" : "decode (one step)")
    plot rows index b using ($2 * 1e3):xtic(1) title "GEMM", \
         '' index b using ($3 * 1e3) title "attention", \
         '' index b using ($4 * 1e3) title "elementwise", \
         '' index b using ($5 * 1e3) title "communication"
}
unset multiplot
