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
    if [ "$tool" = cdrdao ]; then
        # cdrdao's 16-byte P-Q frames carry the Q CRC not inverted (e.g.
        # 3c ee where ECMA-130 gives c3 11); vrec checks the CRC, learns no
        # TOC from them and leaves the disc indeterminate. See
        # docs/kernel-rig.md.
        tool_todo "vrec rejects the Q CRC of cdrdao's P-Q frames" "$tool-cd-info-leadout" \
            "^170: 00:06:00  000300 leadout" cd-info --no-cddb --no-device-info /dev/sr0
    else
        check_disc_closed "$tool"
    fi
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
}

run_wine() { # name exe
    run "$1" sh -c "timeout 300 wine '$2' 2>&1 | tr -d '\r'"
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

# Last, as it may leave the kernel's SCSI error handler busy: a command
# the drive stalls (8 s) past its timeout (2 s), natively over sgio and
# through Wine's SPTI. The handler restarts with a fault script.
check_stall() {
    stall_opcode=5c # READ BUFFER CAPACITY: nothing else sends it now
    echo "delay opcode 0x$stall_opcode ms 8000" >"$work/stall.faults"
    stop_handler
    if ! start_handler "$work/stall.faults"; then
        say "handler with the fault script did not start; stall checks not run"
        start_handler
        return 0
    fi
    run kernel-stall "$rig/kernel_stall" /dev/sg0 $stall_opcode
    if wine_ready; then
        export IMAPI2_SPTI_STALL_OPCODE=$stall_opcode
        run_wine wine-stall "$top/$B/x86_64/kernel-rig/spti_drive.exe"
        unset IMAPI2_SPTI_STALL_OPCODE
    fi
    dmesg | tail -n 30 >"$res/stall-dmesg.txt"
    wine_ready && wineserver -k 2>/dev/null
}

run_full_checks() {
    check_edc_ecc
    check_wine_spti
    check_stall
}
