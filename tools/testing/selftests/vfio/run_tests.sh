#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the VFIO selftests (all, or those named) and reports them as one TAP
# stream in the kselftest runner's format: each binary's own TAP output is
# passed through, indented with "# ".  Exits non-zero if any test failed.
# Meant for the test VM:
#   tools/testing/vm/run [--stock] -- tools/testing/selftests/vfio/run_tests.sh
# BIN_DIR= picks where the binaries are (default build/selftests/vfio).
# TEST_TIMEOUT= bounds each binary in seconds (default 120).

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
BIN_DIR=${BIN_DIR:-$top/build/selftests/vfio}
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
TESTS=${*:-vfio_container_test vfio_group_test vfio_device_test vfio_dma_test}

# The harness exports these; they are also in this file.
if [ -z "$VFIO_EDU0" ] && [ -r /tmp/vfio-test-devices.env ]; then
	set -a
	. /tmp/vfio-test-devices.env
	set +a
fi

# Puts VFIO_BRIDGE_E1000 back on vfio-pci should a test have died before
# its teardown (the tests restore it themselves).
restore_bridge_e1000() {
	dev=${VFIO_BRIDGE_E1000:-}
	[ -n "$dev" ] && [ -e "/sys/bus/pci/devices/$dev" ] || return 0
	drv=$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver" \
		2>/dev/null)" 2>/dev/null)
	[ "$drv" = vfio-pci ] && return 0
	echo "# restoring $dev from '${drv}' to vfio-pci"
	echo vfio-pci >"/sys/bus/pci/devices/$dev/driver_override"
	[ -n "$drv" ] && echo "$dev" >"/sys/bus/pci/devices/$dev/driver/unbind"
	echo "$dev" >/sys/bus/pci/drivers_probe
}

if command -v timeout >/dev/null 2>&1; then
	run_timeout="timeout -k 5 $TEST_TIMEOUT"
else
	run_timeout=
fi

set -- $TESTS
exec 5>&1
echo "TAP version 13"
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: vfio: $t"
	if [ ! -x "$BIN_DIR/$t" ]; then
		echo "not ok $n selftests: vfio: $t # missing $BIN_DIR/$t"
		failed=$((failed + 1))
		continue
	fi
	# The binary's status comes out of the pipe on fd 3, its output
	# goes to the real stdout (fd 5).
	rc=$( { { $run_timeout "$BIN_DIR/$t" 2>&1; echo $? >&3; } |
		sed 's/^/# /' >&5; } 3>&1 )
	restore_bridge_e1000
	case $rc in
	0)	echo "ok $n selftests: vfio: $t" ;;
	4)	echo "ok $n selftests: vfio: $t # SKIP" ;;
	124)	echo "not ok $n selftests: vfio: $t # TIMEOUT $TEST_TIMEOUT seconds"
		failed=$((failed + 1)) ;;
	*)	echo "not ok $n selftests: vfio: $t # exit=$rc"
		failed=$((failed + 1)) ;;
	esac
done
[ $failed -eq 0 ]
