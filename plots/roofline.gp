# The roofline of a hardware profile with the ops of an estimate as points.
# Fed by `llmroof plot roofline`: it sets `out`, `term`, `ptitle`, the arrays
# `peak` (achievable FLOP/s per dtype: peak times the profile's efficiency),
# `peakraw` (the datasheet peak) and `dtname`, `hi` (the index of the
# workload's dtype, drawn bold; 0 if none), `bw` and `bwraw` (achievable and
# peak B/s), the ranges `xmin`..`ymax`, `lbl` (the legend entry of each
# numbered point) and `points` (a file: intensity FLOP/B, achieved FLOP/s,
# number, phase 0 prefill / 1 decode). Ops at one spot share a number.
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
set key outside right top Left reverse noenhanced font ",9"
set xrange [xmin:xmax]
set yrange [ymin:ymax]
set samples 600
roof(x, p, b) = (b * x < p) ? b * x : p
# Solid: what a kernel reaches (efficiency x peak); dashed: the datasheet.
plot for [i = 1:|peak|] roof(x, peak[i], bw) with lines lw (i == hi ? 3.5 : 1.2) lc i \
         title sprintf("%s achievable%s", dtname[i], i == hi ? " (workload)" : ""), \
     for [i = 1:|peak|] roof(x, peakraw[i], bwraw) with lines lw 1 dt 2 lc i \
         title (i == 1 ? "dashed: datasheet peaks" : ""), \
     points using 1:($4 == 0 ? $2 : 1/0) with points pt 7 ps 1.3 lc rgb "#d62728" title "prefill ops", \
     points using 1:($4 == 1 ? $2 : 1/0) with points pt 5 ps 1.2 lc rgb "#1f77b4" title "decode ops", \
     points using 1:2:3 with labels left offset 0.9,0 font ",9" notitle, \
     for [k = 1:|lbl|] 1/0 with points ps 0 title lbl[k]
