#!/bin/sh
# Runs inside the rig's guest, chrooted into the host root (read-only 9p),
# as root: sets up LIO (a TCMU backstore answered by tcmu-vrec, exported
# through a tcm_loop LUN), waits for /dev/sr0 and /dev/sg0, then runs the
# checks. Each check program writes RESULTS/NAME.log (OKAY-RESULT lines)
# and RESULTS/NAME.status; the host's tools/run-tests counts them.
#   guest.sh OUT TOP BUILD MODE      (MODE: quick | full)
set -u
out=$1 top=$2 B=$3 mode=${4:-quick}
cd "$top" || exit 1
res=$out/results
mkdir -p "$res"
rig=$top/$B/kernel-rig
work=/tmp/krig
mkdir -p "$work"
media=$work/disc.media
# What the drive says in INQUIRY; the sgio test checks it gets these back.
VENDOR=IMAPI2KR PRODUCT=KERNEL-RIG-CDRW REVISION=K1.0
export VENDOR PRODUCT REVISION

say() { echo "guest: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# run NAME COMMAND...: one check program, its output kept for the host.
run() {
    name=$1; shift
    say "running $name at $(uptime_s) s"
    "$@" >"$res/$name.log" 2>&1
    echo $? >"$res/$name.status"
    grep '^OKAY-RESULT' "$res/$name.log" || tail -n 5 "$res/$name.log"
}

wait_for() { # path seconds
    n=0
    while [ ! -e "$1" ] && [ $n -lt $(($2 * 10)) ]; do sleep 0.1; n=$((n + 1)); done
    [ -e "$1" ]
}

cfs=/sys/kernel/config/target
backstore=$cfs/core/user_1/vrec
loop=$cfs/loopback/naa.5001405000000a01

setup_lio() {
    mkdir -p "$backstore" || return 1
    echo -n "dev_config=vrec/cd0" >"$backstore/control"
    echo -n "dev_size=734003200" >"$backstore/control"
    # BLANK / SYNCHRONIZE CACHE emulation may take long; default is 30 s.
    echo 600 >"$backstore/attrib/cmd_time_out" 2>/dev/null
    echo 1 >"$backstore/enable" || return 1
    wait_for /dev/uio0 10 || { say "no /dev/uio0"; return 1; }
    start_handler
    mkdir -p "$loop/tpgt_1/lun/lun_0" || return 1
    echo naa.5001405000000a02 >"$loop/tpgt_1/nexus"
    ln -s "$backstore" "$loop/tpgt_1/lun/lun_0/vrec0" || return 1
    wait_for /dev/sr0 20 && wait_for /dev/sg0 5
}

# start_handler [FAULT_SCRIPT_FILE]: the TCMU handler, one stderr line a
# command (handler.out). A restarted handler picks the ring up where the
# previous one left it.
handler_runs=0
start_handler() {
    handler_runs=$((handler_runs + 1))
    log=$res/handler.out
    [ $handler_runs -eq 1 ] || log=$res/handler-$handler_runs.out
    TCMU_VREC_TRACE=1 TCMU_VREC_FAULTS=${1:-} "$rig/tcmu-vrec" /dev/uio0 "$media" "$VENDOR" "$PRODUCT" "$REVISION" \
        >"$log" 2>&1 &
    handler_pid=$!
    n=0
    while ! grep -q ready "$log" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    grep -q ready "$log"
}

stop_handler() {
    [ -n "${handler_pid:-}" ] || return 0
    kill -TERM "$handler_pid" 2>/dev/null
    wait "$handler_pid" 2>/dev/null
    handler_pid=
}

# The guest has no network card, and nothing brings the loopback interface
# up: the DLL reaches imapi2-sghelper over 127.0.0.1.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null || say "loopback not up"

say "LIO setup at $(uptime_s) s"
if ! setup_lio; then
    say "FAILED to get /dev/sr0"
    dmesg | tail -n 30
    echo "setup failed" >"$out/setup-failed"
    exit 1
fi
say "/dev/sr0 and /dev/sg0 up at $(uptime_s) s"
echo "$(uptime_s)" >"$out/drive-up"
dmesg | grep -iE 'scsi|sr0|sr 0|cdrom|tcmu|loopback' >"$res/dmesg-drive.txt" 2>/dev/null

. "$top/tools/kernel-rig/guest-checks.sh"
run_checks

stop_handler
say "all done at $(uptime_s) s"
echo "$(uptime_s)" >"$out/finished"
