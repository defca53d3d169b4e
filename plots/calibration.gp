# Stated against observed coverage of the error bars' central intervals,
# out of sample (each row's source held out of the error model) and in
# sample, with the diagonal of perfect calibration and the 75-85% goal at
# 80%. Fed by `llmroof plot calibration CAL.csv` (from `llmroof validate
# published --cv --calibration --format csv`): `out`, `term`, `ptitle` and
# `levels` (a file of rows: stated %, observed cv %, observed in sample %).
set terminal @term
set output out
set title ptitle noenhanced
set xrange [0:100]
set yrange [0:100]
set xlabel "stated coverage of the central interval (%)"
set ylabel "observed coverage (%)"
set grid lc rgb "#dddddd"
set key top left noenhanced
set size ratio -1
set object 1 rect from 80, 75 to 80.6, 85 fc rgb "#999999" fs solid 0.6 noborder
set label 1 "goal at 80%: 75-85%" at 81.5, 72 font ",9" tc rgb "#666666"
plot x with lines lc rgb "#333333" title "stated = observed", \
     levels using 1:2 with linespoints pt 7 ps 1.3 lw 2 lc rgb "#d62728" title "out of sample (source held out)", \
     levels using 1:3 with linespoints pt 5 ps 1.1 lw 2 dt 2 lc rgb "#1f77b4" title "in sample"
