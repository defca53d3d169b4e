# Throughput against interactivity: output tokens/s per GPU against output
# tokens/s per user (1 / TPOT), one line per GPU through its Pareto points,
# both axes logarithmic, as SemiAnalysis' InferenceMAX charts draw them; the
# 80% interval of each point as error bars where the csv has them, and
# each inter-token latency or TPOT objective as a dashed vertical line at
# 1 / limit (points right of it meet it). Fed by `llmroof plot frontier
# FRONTIER.csv [--slo 'itl_p90<=0.05']...` (from `llmroof frontier --format
# csv`): `out`, `term`, `ptitle`, `nblocks`, the array `hname`,
# `intervals`, `nslo`, the arrays `sx` and `sname`, and `lines` (blocks of
# user, gpu, user p10, user p90, gpu p10, gpu p90).
set terminal @term
set output out
set title ptitle noenhanced
set xlabel "output tokens/s per user (interactivity)"
set ylabel "output tokens/s per GPU (throughput)"
set grid lc rgb "#dddddd"
set key outside right top noenhanced
set logscale x
set logscale y
set mxtics 10
set mytics 10
set bars small
do for [k = 1:nslo] {
    set arrow k from first sx[k], graph 0 to first sx[k], graph 1 nohead dt 2 lw 1.5 lc rgb "#cc0000"
    set label k sname[k] at first sx[k], graph 0.97 left offset 0.5, 0 noenhanced tc rgb "#cc0000" font ",8"
}
if (intervals) {
    plot for [b = 0:nblocks - 1] lines index b using 1:2:3:4:5:6 with xyerrorbars lc b + 1 pt 7 ps 0.5 notitle, \
         for [b = 0:nblocks - 1] lines index b using 1:2 with lines lw 2 lc b + 1 title hname[b + 1]
} else {
    plot for [b = 0:nblocks - 1] lines index b using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc b + 1 title hname[b + 1]
}
