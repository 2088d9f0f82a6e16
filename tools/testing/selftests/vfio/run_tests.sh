#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the VFIO selftests (all, or the binaries named) as one flat TAP
# stream: every test of every binary is one "ok"/"not ok" line, renumbered
# and named "<binary>: <fixture>.<test>"; the binaries' other output is
# passed through as "# " comments, and the plan comes last.  A binary that
# dies or times out without reporting a failure gets a "not ok" line of its
# own.  Exits non-zero if anything failed.  Meant for the test VM:
#   tools/testing/vm/run [--stock] -- tools/testing/selftests/vfio/run_tests.sh
# BIN_DIR= picks where the binaries are (default build/selftests/vfio).
# TEST_TIMEOUT= bounds each binary, in seconds (default 120; a binary that
# needs longer on the debug kernel has its own bound below).

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
BIN_DIR=${BIN_DIR:-$top/build/selftests/vfio}
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
# In this order: vfio_hotplug_test removes its device for good.
DEFAULT_TESTS="
vfio_container_test
vfio_group_test
vfio_device_test
vfio_bounds_test
vfio_irq_test
vfio_rom_test
vfio_cve_test
vfio_fail_nth_test
vfio_dma_test
vfio_dma_mem_test
vfio_bind_test
vfio_robust_test
vfio_client_test
vfio_hotplug_test
vfio_fuzz_test
vfio_noiommu_test
vfio_vga_test
"
TESTS=${*:-$DEFAULT_TESTS}

# The VM harness exports these; they are also in this file.
if [ -z "${VFIO_EDU0:-}" ] && [ -r /tmp/vfio-test-devices.env ]; then
	set -a
	. /tmp/vfio-test-devices.env
	set +a
fi

# Puts VFIO_BRIDGE_E1000 back on vfio-pci should a test have died before
# its teardown (the tests restore it themselves).
restore_bridge_e1000() {
	dev=${VFIO_BRIDGE_E1000:-}
	[ -n "$dev" ] && [ -e "/sys/bus/pci/devices/$dev" ] || return 0
	drv=$(readlink "/sys/bus/pci/devices/$dev/driver" 2>/dev/null)
	drv=${drv##*/}
	[ "$drv" = vfio-pci ] && return 0
	echo "# restoring $dev from '$drv' to vfio-pci"
	echo vfio-pci >"/sys/bus/pci/devices/$dev/driver_override"
	[ -n "$drv" ] && echo "$dev" >"/sys/bus/pci/devices/$dev/driver/unbind"
	echo "$dev" >/sys/bus/pci/drivers_probe
}

if command -v timeout >/dev/null 2>&1; then
	run_timeout="timeout -k 5"
else
	run_timeout=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vfio-selftests.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
n=0
failed=0
for t in $TESTS; do
	echo "# selftests: vfio: $t"
	if [ ! -x "$BIN_DIR/$t" ]; then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n $t # missing $BIN_DIR/$t"
		continue
	fi
	rm -f "$tmp/rc" "$tmp/counts"
	case $t in
	vfio_fail_nth_test) limit=$((TEST_TIMEOUT * 8)) ;;
	vfio_fuzz_test) limit=$((TEST_TIMEOUT * 2)) ;;
	*) limit=$TEST_TIMEOUT ;;
	esac
	{ ${run_timeout:+$run_timeout $limit} "$BIN_DIR/$t" 2>&1
	  echo $? >"$tmp/rc"; } |
	awk -v base="$n" -v bin="$t" -v counts="$tmp/counts" '
		/^(not )?ok [0-9]+ / {
			notok = ($1 == "not")
			rest = $0
			sub(/^(not )?ok [0-9]+ /, "", rest)
			c++
			if (notok)
				f++
			printf "%sok %d %s: %s\n", notok ? "not " : "",
			       base + c, bin, rest
			fflush()
			next
		}
		{ print "# " $0; fflush() }
		END { print c + 0, f + 0 > counts }'
	rc=$(cat "$tmp/rc" 2>/dev/null || echo 255)
	read -r count fails <"$tmp/counts" || { count=0; fails=0; }
	n=$((n + count))
	failed=$((failed + fails))
	restore_bridge_e1000
	case $rc in
	0) ;;
	4)	if [ "$count" -eq 0 ]; then
			n=$((n + 1))
			echo "ok $n $t # SKIP"
		fi ;;
	124 | 137)
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n $t # TIMEOUT after $limit seconds" ;;
	*)	if [ "$fails" -eq 0 ]; then
			n=$((n + 1))
			failed=$((failed + 1))
			echo "not ok $n $t # exit status $rc"
		fi ;;
	esac
done
echo "1..$n"
[ "$failed" -eq 0 ]
