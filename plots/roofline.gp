# The roofline of a hardware profile with the ops of an estimate as points.
# Fed by `llmroof plot roofline`: it sets `out`, `term`, `ptitle`, the arrays
# `peak` (achievable FLOP/s per dtype) and `dtname`, `bw` (achievable B/s),
# and `points` (a file: intensity FLOP/B, achieved FLOP/s, label, phase).
# Restyle freely: copy this file and pass it with --script.
set terminal @term
set output out
set title ptitle noenhanced
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "arithmetic intensity (FLOP/B)"
set ylabel "FLOP/s"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key bottom right box opaque
set xrange [0.1:1e5]
set yrange [1e9:*]
set samples 400
roof(x, p) = (bw * x < p) ? bw * x : p
plot for [i = 1:|peak|] roof(x, peak[i]) with lines lw 2 title sprintf("%s roof", dtname[i]), \
     points using 1:2:($4 == 0 ? 7 : 3) with points pt 7 ps 1.1 lc variable title "ops (prefill red, decode blue)", \
     points using 1:2:3 with labels offset 0.6,0.5 left font ",8" noenhanced notitle
