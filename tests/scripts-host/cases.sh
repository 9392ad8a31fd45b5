# Sourced by tools/run-tests (run_host_script_tests): runs the example
# scripts and the host's own test scripts under imapi2script.exe against
# virtual recorders, one count per script run, passing on exact output.
# Uses run-tests' WINE, B, top, logs and record_single.

hs_dir=$top/tests/scripts-host
hs_work=$top/$B/scripts-host
hs_host=$top/$B/x86_64/programs/imapi2script.exe

# A Unix path as the Windows path Wine's Z: drive gives it.
hs_winpath() {
    printf 'Z:%s' "$1" | tr / '\\'
}

# Four bytes, little-endian, as printf escapes.
hs_le32() {
    printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# A 44.1 kHz 16-bit stereo PCM WAV file of $2 seconds (a buzz, not silence).
hs_make_wav() { # path seconds
    bytes=$(($2 * 44100 * 4))
    {
        printf "RIFF$(hs_le32 $((bytes + 36)))WAVEfmt "
        printf "$(hs_le32 16)\\001\\000\\002\\000$(hs_le32 44100)$(hs_le32 176400)\\004\\000\\020\\000"
        printf "data$(hs_le32 $bytes)"
        yes 'imapi2-open test' | head -c "$bytes"
    } >"$1"
}

# Replaces HKCU's virtual recorders with fresh discs: "name=kind,..." or "-".
hs_set_recorders() { # spec
    reg=$hs_work/recorders.reg
    "$WINE" reg delete 'HKCU\Software\imapi2-open\VirtualRecorders' /f >/dev/null 2>&1
    rm -f "$hs_work"/*.media "$hs_work"/*.media.sectors
    [ "$1" = - ] && return 0
    {
        printf 'REGEDIT4\r\n\r\n'
        for pair in $(printf '%s' "$1" | tr , ' '); do
            media=$(hs_winpath "$hs_work/${pair%%=*}.media" | sed 's/\\/\\\\/g')
            printf '[HKEY_CURRENT_USER\\Software\\imapi2-open\\VirtualRecorders\\%s]\r\n' "${pair%%=*}"
            printf '"MediaPath"="%s"\r\n"MediaKind"="%s"\r\n"Unthrottled"=dword:00000001\r\n\r\n' \
                "$media" "${pair#*=}"
        done
    } >"$reg"
    "$WINE" reg import "$(hs_winpath "$reg")" >/dev/null 2>&1
}

hs_run_case() { # name script recorders args...
    name=$1 script=$2 recorders=$3
    shift 3
    top_win=$(hs_winpath "$top" | sed 's/\\/\\\\/g')
    for ext in vbs js; do
        [ -f "$top/$script.$ext" ] || continue
        log=$logs/scripts-host-$name.$ext.log
        expected=$hs_dir/$name.$ext.expected # where the engines' texts differ
        [ -f "$expected" ] || expected=$hs_dir/$name.expected
        hs_set_recorders "$recorders"
        (
            cd "$hs_work" || exit 1
            timeout "$TEST_TIMEOUT" "$WINE" "$hs_host" "$top/$script.$ext" "$@" 2>&1
            echo "exit status $?"
            # <name>.check, when there is one, looks at what the run left
            # (the disc it burned) and prints what it found.
            [ -f "$hs_dir/$name.check" ] && . "$hs_dir/$name.check"
        ) | tr -d '\r' | sed "s|$top_win|<top>|g" >"$log"
        if [ -f "$expected" ] && cmp -s "$expected" "$log"; then ok=1; else
            ok=0
            [ -f "$expected" ] && diff -u "$expected" "$log" | head -n 30
        fi
        record_single "scripts-host/$name.$ext" $ok "$log"
    done
}

mkdir -p "$hs_work"
hs_make_wav "$hs_work/track1.wav" 4
hs_make_wav "$hs_work/track2.wav" 5
# The folder make_image lays out: two files and a directory of known sizes.
rm -rf "$hs_work/image-src"
mkdir -p "$hs_work/image-src/docs"
head -c 5000 /dev/zero | tr '\0' 'a' >"$hs_work/image-src/readme.txt"
head -c 70000 /dev/zero | tr '\0' 'b' >"$hs_work/image-src/docs/manual.txt"
# The user data of a sequentially recorded disc (DVD+R, DVD-R, BD-R) as an
# ISO image: libs/vrec keeps one 2448-byte record a sector from LBA 0, the
# 2048 user bytes first.
hs_disc_iso() { # sectors-file iso
    perl -e 'binmode STDIN; binmode STDOUT; print substr($r, 0, 2048) while read(STDIN, $r, 2448) == 2448' \
        <"$1" >"$2"
}

# A 2.4 MB disc image of whole 2048-byte sectors (1200 of them).
yes 'imapi2-open data image' | head -c $((1200 * 2048)) >"$hs_work/image.iso"
# A redirect, not a pipe: the loop must run in this shell to add to the counts.
while read -r line; do
    case $line in '#'* | '') continue ;; esac
    eval "set -- $line"
    hs_run_case "$@" </dev/null
done <"$hs_dir/cases"
"$WINE" reg delete 'HKCU\Software\imapi2-open\VirtualRecorders' /f >/dev/null 2>&1
