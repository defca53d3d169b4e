# Bus bandwidth against size, as nccl-tests reports it: one line per
# algorithm/protocol the model chose, and the measured points of the
# corpus for the same profile, collective, ranks and nodes (black circles).
# Fed by `llmroof plot comm SWEEP.csv` (from `llmroof comm COLLECTIVE
# --sweep --format csv`): `out`, `term`, `ptitle`, `nblocks`, the array
# `bname` (algorithm/protocol), `nmeasured` and `lines` (blocks of size in
# bytes and busbw in GB/s; the measured points are block `nblocks`).
set terminal @term
set output out
set title ptitle noenhanced
set xlabel "size (bytes)"
set ylabel "bus bandwidth (GB/s)"
set grid lc rgb "#dddddd"
set key outside right top noenhanced
set logscale x 2
set format x "2^{%L}"
set logscale y
set mytics 10
if (nmeasured > 0) {
    plot for [b = 0:nblocks - 1] lines index b using 1:2 with linespoints lw 2 pt 7 ps 0.6 title bname[b + 1], \
         lines index nblocks using 1:2 with points pt 6 ps 1.2 lc rgb "black" title "measured (corpus)"
} else {
    plot for [b = 0:nblocks - 1] lines index b using 1:2 with linespoints lw 2 pt 7 ps 0.6 title bname[b + 1]
}
