# The checks the rig's guest runs; sourced by guest.sh once /dev/sr0 and
# /dev/sg0 are up (variables: res, rig, top, B, work, media, mode, VENDOR,
# PRODUCT, REVISION; functions: say, run).
#
# Shell-level checks of independent tools are counted like ok(): each one
# adds a line to a group's log, and the group ends with an OKAY-RESULT line.

group_begin() { # name
    group=$1 group_pass=0 group_fail=0 group_skip=0 group_todo=0
    : >"$res/$group.log"
}

group_end() {
    echo "OKAY-RESULT $group passed=$group_pass failed=$group_fail skipped=$group_skip todo=$group_todo" >>"$res/$group.log"
    echo 0 >"$res/$group.status"
    grep '^OKAY-RESULT' "$res/$group.log"
}

# tool_check WHAT PATTERN COMMAND...: passes when COMMAND exits 0 and its
# output matches the extended regex PATTERN. Output kept in WHAT.txt.
tool_check() {
    what=$1 pattern=$2
    shift 2
    timeout 120 "$@" >"$res/$what.txt" 2>&1
    st=$?
    if [ $st -eq 0 ] && grep -Eq -- "$pattern" "$res/$what.txt"; then
        group_pass=$((group_pass + 1))
        echo "ok: $what ($*)" >>"$res/$group.log"
    else
        group_fail=$((group_fail + 1))
        {
            echo "Test failed: $what: exit $st, /$pattern/ not found in the output of: $*"
            tail -n 15 "$res/$what.txt"
        } >>"$res/$group.log"
    fi
}

# tool_todo WHY WHAT PATTERN COMMAND...: a known difference, like ok()
# inside todo_if: failing counts as todo, passing is a failure (the
# difference went away: remove the todo).
tool_todo() {
    why=$1
    shift
    before=$group_fail
    tool_check "$@"
    if [ "$group_fail" -gt "$before" ]; then
        group_fail=$before group_todo=$((group_todo + 1))
        echo "Test marked todo: $why" >>"$res/$group.log"
    else
        group_pass=$((group_pass - 1)) group_fail=$((group_fail + 1))
        echo "Test succeeded inside todo block: $1 ($why): remove the todo" >>"$res/$group.log"
    fi
}

tool_skip() { # what reason
    group_skip=$((group_skip + 1))
    echo "Tests skipped: $1: $2" >>"$res/$group.log"
}

have() { command -v "$1" >/dev/null 2>&1; }

check_sgio_transport() {
    for node in sr0 sg0; do
        IMAPI2_SGIO_DEVICE=/dev/$node IMAPI2_SGIO_EXPECT_INQUIRY="$VENDOR/$PRODUCT/$REVISION" \
            IMAPI2_SGIO_QUEUE_DIR=/sys/block/sr0/queue ASAN_OPTIONS=detect_leaks=1 \
            run "sgio-$node" "$top/$B/host/tests/test_transport_sgio"
    done
}

# Independent tools on the blank disc, before our burn.
check_tools_blank() {
    group_begin tools-blank
    if have sg_inq; then
        tool_check sg_inq "Vendor identification: $VENDOR" sg_inq /dev/sg0
        tool_check sg_inq_sr0 "Product identification: $PRODUCT" sg_inq /dev/sr0
    else
        tool_skip sg_inq "sg3-utils not installed"
    fi
    if have wodim; then
        # -prcap: the drive's page 2A as wodim decodes it
        tool_check wodim-prcap "Does write CD-R media" wodim dev=/dev/sg0 -prcap
        tool_check wodim-atip "ATIP start of lead in:[[:space:]]+-11634" wodim dev=/dev/sg0 -atip
    else
        tool_skip wodim "wodim not installed"
    fi
    if have cdrdao; then
        tool_check cdrdao-drive-info "Maximum writing speed" cdrdao drive-info --device /dev/sg0
    else
        tool_skip cdrdao "cdrdao not installed"
    fi
    group_end
}

# The kernel's own view of the drive: sr learns the capabilities from
# page 2A through MODE SENSE(6) when it attaches the LUN; without an answer
# it calls the drive "scsi-1" and masks every write capability.
check_sr_capabilities() {
    group_begin sr-capabilities
    tool_check sr-attach "scsi3-mmc drive: [0-9]+x/[0-9]+x writer" cat "$res/dmesg-drive.txt"
    tool_check cdrom-info-cdr "Can write CD-R:[[:space:]]+1" cat /proc/sys/dev/cdrom/info
    tool_check cdrom-info-cdrw "Can write CD-RW:[[:space:]]+1" cat /proc/sys/dev/cdrom/info
    tool_check cdrom-info-speed "drive speed:[[:space:]]+52" cat /proc/sys/dev/cdrom/info
    group_end
}

check_burn() {
    run kernel-burn "$rig/kernel_burn" /dev/sg0 "$media"
}

# Independent readers on the disc our engine burnt: two tracks, Mode 1
# data at LBA 0 (600 sectors) then audio from 750 (after a 150-sector
# pregap), lead-out at 1050.
check_tools_burnt() {
    group_begin tools-burnt
    if have cd-info; then
        tool_check cd-info-track1 "^ +1: 00:02:00  000000 data" cd-info --no-cddb --no-device-info /dev/sr0
        tool_check cd-info-track2 "^ +2: 00:12:00  000750 audio" cd-info --no-cddb --no-device-info /dev/sr0
        tool_check cd-info-leadout "^170: 00:16:00  001050 leadout" cd-info --no-cddb --no-device-info /dev/sr0
    else
        tool_skip cd-info "libcdio-utils not installed"
    fi
    if have xorriso; then
        tool_check xorriso-toc "Media status : is written , is closed" xorriso -outdev /dev/sr0 -toc
    else
        tool_skip xorriso "xorriso not installed"
    fi
    if have sg_raw; then
        # READ TOC format 0 through sg_raw: track 1 at 0, track 2 at 750 (0x2ee)
        tool_check sg_raw-toc "00 00 02 ee" sg_raw -r 64 /dev/sg0 43 00 00 00 00 00 00 00 40 00
    fi
    group_end
}

# quick: make check; full: make check-kernel; wine: only the Wine probe
# (for working on it).
run_checks() {
    if [ "$mode" = wine ]; then
        . "$top/tools/kernel-rig/guest-full.sh"
        check_wine_spti
        check_stall
        return
    fi
    check_sgio_transport
    check_sr_capabilities
    check_tools_blank
    check_burn
    check_tools_burnt
    if [ "$mode" = full ]; then
        . "$top/tools/kernel-rig/guest-full.sh"
        run_full_checks
    fi
}
