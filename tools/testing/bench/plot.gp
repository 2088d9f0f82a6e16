# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmark's plot (tools/testing/bench/run):
#   gnuplot -e "dat='results.dat'; live='live.dat'; png='out.png'; title='...'" plot.gp
# Top: the ratio stock/ours of the minima per case (above 1: ours faster).
# Bottom: the cost of one map and one unmap against the number of live
# 4 KiB mappings, minimum per N, both modules.

set terminal pngcairo size 1280,1200 font ",10" noenhanced
set output png
set multiplot layout 2,1 title title

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
set xtics rotate by 45 right scale 0 nomirror
set grid ytics
set ylabel "stock / ours (minimum): above 1, ours is faster"
set yrange [0:*]
set bmargin 10
unset key
plot dat using 8:xtic(1) lc rgb "#4477aa", \
	1 with lines lc rgb "#cc3311" dt 2 lw 2

set style data linespoints
set xtics norotate auto mirror
set bmargin
set logscale x 2
set yrange [0:*]
set xlabel "live 4 KiB mappings (N)"
set ylabel "µs per call (minimum)"
set key bottom right
plot live using 1:2:xtic(1) title "ours: map one" lc rgb "#4477aa" pt 7, \
	live using 1:4 title "stock: map one" lc rgb "#cc3311" pt 7, \
	live using 1:6 title "ours: unmap one" lc rgb "#4477aa" pt 5 dt 2, \
	live using 1:8 title "stock: unmap one" lc rgb "#cc3311" pt 5 dt 2

unset multiplot
