# The longer checks of `make check-kernel` (sourced by guest-checks.sh).

edc_data=$work/edc.data
EDC_SECTORS=300

# A fresh blank CD-R in the drive: the recorder re-reads its media file at
# every medium command, so replacing the file is a disc change.
new_blank_disc() {
    "$rig/kernel_edc" blank "$media"
    sg_turs /dev/sg0 >/dev/null 2>&1 # let the drive report the change
}

# cdrdao, generic-mmc-raw driver: a raw DAO write with its own encoder.
# Its first choice is data block type 1 (2352 + 16 bytes P-Q).
burn_with_cdrdao() {
    printf 'CD_ROM\nTRACK MODE1\nDATAFILE "%s"\n' "$edc_data" >"$work/edc.toc"
    timeout 300 cdrdao write --device /dev/sg0 --driver generic-mmc-raw -n --speed 16 "$work/edc.toc" \
        >"$res/cdrdao-write.txt" 2>&1
}

# wodim -raw96r: raw mode with 96 raw P-W bytes, its own encoder again.
burn_with_wodim() {
    timeout 300 wodim dev=/dev/sg0 -raw96r gracetime=2 -data "$edc_data" >"$res/wodim-write.txt" 2>&1
}

# The disc a tool burnt must read back closed with its one data track:
# the recorder builds the TOC from the lead-in Q the tool wrote.
check_disc_closed() {
    tool_check "$1-cd-info-track" "^ +1: 00:02:00  000000 data" cd-info --no-cddb --no-device-info /dev/sr0
    tool_check "$1-cd-info-leadout" "^170: 00:06:00  000300 leadout" cd-info --no-cddb --no-device-info /dev/sr0
}

layout_of() { # tool: the data block type it writes with
    case $1 in cdrdao) echo 1 ;; *) echo 3 ;; esac
}

# burn_and_compare TOOL FUNCTION: burn EDC_SECTORS of random user data as
# track 1 (LBA 0) and compare every data sector the recorder got.
burn_and_compare() {
    tool=$1 burner=$2
    new_blank_disc
    if $burner; then
        say "$tool wrote the disc"
    else
        say "$tool failed (exit $?), see $tool-write.txt"
    fi
    run "edc-$tool" "$rig/kernel_edc" compare "edc-$tool" "$media" "$edc_data" 0
    # kept for a look at what the tool wrote (state, first lead-in records)
    cp "$media" "$res/$tool-disc.media"
    head -c $((2448 * 200)) "$media.sectors" >"$res/$tool-disc.leadin"
    group_begin "disc-$tool"
    # which data block type the tool chose: cdrdao's first choice is 1 (the
    # 16-byte P-Q, whose Q CRC the drive builds), wodim -raw96r's is 3
    tool_check "$tool-layout" "^layout $(layout_of "$tool")\$" cat "$media"
    check_disc_closed "$tool"
    group_end
}

check_edc_ecc() {
    head -c $((EDC_SECTORS * 2048)) /dev/urandom >"$edc_data"
    if have cdrdao; then burn_and_compare cdrdao burn_with_cdrdao; fi
    if have wodim; then burn_and_compare wodim burn_with_wodim; fi
}

# Wine inside the guest: the x86_64 spti.exe (the conformance test, whose
# probe lists the drive) and spti_drive.exe (sense, limits, split READ)
# against a drive letter whose dosdevices link points at /dev/sr0. The
# prefix was made on the host (run.sh); too big for the guest's tmpfs, it
# is used in place over 9p.
wine_ready() {
    [ -f "$top/$B/x86_64/tests/spti.exe" ] && [ -f "$rig/wineprefix/system.reg" ] && have wine
}

setup_wine() {
    WINEPREFIX=$rig/wineprefix # writable: run.sh shares all of $B/kernel-rig
    ln -sfn /dev/sr0 "$WINEPREFIX/dosdevices/x::"
    mkdir -p "$work/xdrive" && ln -sfn "$work/xdrive" "$WINEPREFIX/dosdevices/x:"
    export WINEPREFIX WINEDEBUG=${KRIG_WINEDEBUG:--all} WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
    export IMAPI2_SPTI_EXPECT_INQUIRY="$VENDOR/$PRODUCT/$REVISION"
    # The DLL finds imapi2-sghelper next to itself ($B/x86_64/); a test
    # program that links sgpipe_win.c is its own module, so it is told
    # (a Unix path is accepted). The pipe carries at most 1 MiB a command,
    # below the queue's limit; the program applies that cap itself.
    export IMAPI2_SGHELPER="$top/$B/x86_64/imapi2-sghelper" KRIG_SG_NODE=/dev/sg0
    export KRIG_MAX_TRANSFER=$(($(cat /sys/block/sr0/queue/max_hw_sectors_kb) * 1024))
}

# Each Wine start costs a minute or more under TCG: wine-sghelper starts
# Wine twice (itself and the child that holds the drive) and burns a disc.
run_wine() { # name exe [seconds]
    run "$1" sh -c "timeout ${3:-300} wine '$2' 2>&1 | tr -d '\r'"
}

check_wine_spti() {
    if ! wine_ready; then
        group_begin wine
        tool_skip wine "no Wine, spti.exe or prefix (make check-kernel builds them)"
        group_end
        return 0
    fi
    setup_wine
    run_wine wine-spti "$top/$B/x86_64/tests/spti.exe"
    run_wine wine-spti-drive "$top/$B/x86_64/kernel-rig/spti_drive.exe"
    dmesg | tail -n 40 >"$res/wine-dmesg.txt"
    group_begin wine-probe
    tool_check wine-inquiry "inquiry 1 '$VENDOR' '$PRODUCT' '$REVISION'" cat "$res/wine-spti.log"
    group_end
}

# stall_drive: the handler restarts with the fault script that delays
# stall_opcode by 8 s; false (and the plain handler back) when it fails.
stall_drive() {
    stop_handler
    start_handler "$work/stall.faults" && return 0
    say "handler with the fault script did not start; stall checks not run"
    start_handler
    return 1
}

# The DLL's helper path in one Wine process (each start costs a minute
# under TCG): identity and sense on /dev/sg0, a raw burn through the COM
# API onto a blank disc, then the stall through the helper and through
# Wine's SPTI on X:. The burn polls READ BUFFER CAPACITY, the stalled
# opcode, so the program asks for the stalling drive only after it
# (stall-wanted / stall-ready under $work, Z: in Wine).
check_wine_sghelper() {
    new_blank_disc
    rm -f "$work/stall-wanted" "$work/stall-ready"
    export IMAPI2_SPTI_STALL_OPCODE=$stall_opcode KRIG_HANDSHAKE=$work KRIG_SECTORS=$media.sectors
    export IMAPI2_SGHELPER_DEVICES=/dev/sg0 IMAPI2_NO_REAL_DRIVES=1
    run_wine wine-sghelper "$top/$B/x86_64/kernel-rig/sghelper_drive.exe" 900 &
    wine_job=$!
    while kill -0 $wine_job 2>/dev/null && [ ! -e "$work/stall-wanted" ]; do sleep 0.5; done
    if [ -e "$work/stall-wanted" ]; then
        say "stall asked for at $(uptime_s) s"
        stall_drive && stalling=1 && touch "$work/stall-ready"
    fi
    wait $wine_job
    unset IMAPI2_SPTI_STALL_OPCODE KRIG_HANDSHAKE KRIG_SECTORS IMAPI2_SGHELPER_DEVICES IMAPI2_NO_REAL_DRIVES
}

# Last, as it may leave the kernel's SCSI error handler busy: a command
# the drive stalls (8 s) past its timeout (2 s), under Wine (above) and
# natively over sgio.
check_stall() {
    stall_opcode=5c # READ BUFFER CAPACITY: the only checks sending it are the burns
    echo "delay opcode 0x$stall_opcode ms 8000" >"$work/stall.faults"
    stalling=0
    wine_ready && check_wine_sghelper
    [ $stalling = 1 ] || stall_drive || return 0
    run kernel-stall "$rig/kernel_stall" /dev/sg0 $stall_opcode
    dmesg | tail -n 30 >"$res/stall-dmesg.txt"
    wine_ready && wineserver -k 2>/dev/null
}

# A data disc, as MsftDiscFormat2Data writes one: kernel_data burns an
# ISO 9660 + Joliet + UDF image of a generated tree with the data write
# engine over sgio (closing the disc) and writes the tree's files to
# data_ref; then the kernel's own file systems mount the disc and every
# file must equal its reference.
data_ref=$work/data-ref
data_mnt=$work/mnt

# The sr driver keeps the capacity it read when it last saw a disc change;
# an eject and a load make the drive report new media (GET EVENT STATUS
# NOTIFICATION and 06/28/00), so the next open re-reads the disc.
reload_disc() {
    sg_start --eject /dev/sr0 >/dev/null 2>&1
    sg_start --load /dev/sr0 >/dev/null 2>&1
}

# check_mount FS OPTIONS: mount, the same names, every file equal, umount.
check_mount() {
    fs=$1
    tool_check "mount-$fs" "^/dev/sr0 $data_mnt $fs ro" \
        sh -c "mount -t $fs -o $2 /dev/sr0 $data_mnt && grep '^/dev/sr0 ' /proc/mounts"
    grep -q "^/dev/sr0 $data_mnt " /proc/mounts || return 0
    tool_check "$fs-names" "^same\$" sh -c "cd '$data_ref' && find . | sort >'$work/ref.list' &&
        cd '$data_mnt' && find . | sort >'$work/$fs.list' && diff '$work/ref.list' '$work/$fs.list' && echo same"
    (cd "$data_ref" && find . -type f | sort) >"$work/ref.files"
    n=0
    while read -r f; do
        n=$((n + 1))
        tool_check "$fs-file-$n" "^equal\$" sh -c 'cmp "$1" "$2" && echo equal' cmp "$data_ref/$f" "$data_mnt/$f"
    done <"$work/ref.files"
    tool_check "umount-$fs" "^unmounted\$" sh -c "umount $data_mnt && echo unmounted"
}

# The primary volume descriptor's tree (ISO 9660 level 2 names, which
# isofs shows in lower case without ";1"): a few files by those names.
check_iso_primary() {
    tool_check mount-iso9660-primary "^/dev/sr0 $data_mnt iso9660 ro" \
        sh -c "mount -t iso9660 -o ro,nojoliet /dev/sr0 $data_mnt && grep '^/dev/sr0 ' /proc/mounts"
    grep -q "^/dev/sr0 $data_mnt " /proc/mounts || return 0
    tool_check primary-big "^equal\$" sh -c 'cmp "$1" "$2" && echo equal' cmp "$data_ref/big data.bin" \
        "$data_mnt/big_data.bin"
    tool_check primary-nested "^equal\$" sh -c 'cmp "$1" "$2" && echo equal' cmp "$data_ref/nested/guide.md" \
        "$data_mnt/nested/guide.md"
    tool_check umount-iso9660-primary "^unmounted\$" sh -c "umount $data_mnt && echo unmounted"
}

check_data_disc() {
    new_blank_disc
    rm -rf "$data_ref" && mkdir -p "$data_mnt"
    run kernel-data "$rig/kernel_data" /dev/sg0 "$data_ref"
    # what sr says before the reload (kept for a look, not checked)
    blockdev --getsize64 /dev/sr0 >"$res/sr0-size-before-reload.txt" 2>&1
    reload_disc
    group_begin data-mount
    # the track, its 150-sector post-gap and the 2 run-out blocks
    sectors=$(sed -n 's/^kernel_data: .* image \([0-9]*\) sectors.*/\1/p' "$res/kernel-data.log")
    tool_check sr0-size "^$(((${sectors:-0} + 152) * 2048))\$" blockdev --getsize64 /dev/sr0
    check_mount iso9660 ro,iocharset=utf8
    tool_check iso9660-joliet "ISO 9660 Extensions: Microsoft Joliet" dmesg
    check_iso_primary
    grep -qw udf /proc/filesystems || modprobe udf >/dev/null 2>&1
    if grep -qw udf /proc/filesystems; then
        check_mount udf ro,iocharset=utf8
        tool_check udf-volume "UDF-fs: INFO Mounting volume 'KRIG_DATA'" dmesg
    else
        tool_skip udf "the guest kernel has no udf file system"
    fi
    group_end
    dmesg | tail -n 20 >"$res/data-dmesg.txt"
}

# An audio disc written track at once (libs/mmc/taowrite over sgio, what
# IDiscFormat2TrackAtOnce drives): kernel_tao checks READ TOC and READ CD
# through the kernel; then cd-info, after a reload, must list both audio
# tracks where the engine put them and the lead-out after them.
check_tao_disc() {
    new_blank_disc
    run kernel-tao "$rig/kernel_tao" /dev/sg0
    reload_disc
    group_begin tao-disc
    if have cd-info; then
        for n in 1 2; do
            lba=$(sed -n "s/^kernel_tao: track $n, [0-9]* sectors at LBA \([0-9]*\)$/\1/p" "$res/kernel-tao.log")
            tool_check "cd-info-tao-track$n" "^ +$n: [0-9:]+  $(printf %06d "${lba:-999999}") audio" \
                cd-info --no-cddb --no-device-info /dev/sr0
        done
        tool_check cd-info-tao-leadout "^170: " cd-info --no-cddb --no-device-info /dev/sr0
    else
        tool_skip cd-info "libcdio-utils not installed"
    fi
    group_end
}

run_full_checks() {
    check_data_disc
    check_tao_disc
    check_edc_ecc
    check_wine_spti
    check_stall
}
