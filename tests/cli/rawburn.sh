#!/bin/sh
# rawburn.exe as a user runs it, under Wine in the runner's private prefix:
# every command's exit status and the message it must print, bad inputs
# first (nothing may be written before every check passed), then burns of
# a cue sheet, a CloneCD image, cancel, busy, erase and verify on virtual
# recorders. Prints an OKAY-RESULT line that tools/run-tests adds up.
#   env: B (build dir), WINE, WINEPREFIX etc. set by tools/run-tests
set -u
B=${B:-build}
WINE=${WINE:-wine}
top=$(pwd)
exe=$top/$B/x86_64/programs/rawburn.exe
work=$top/$B/cli-test
passed=0 failed=0
rm -rf "$work"
mkdir -p "$work"

# rawburn ARGS...: output in $work/out (CRs removed), status in $rc.
rawburn() {
    "$WINE" "$exe" "$@" >"$work/out.raw" 2>&1
    rc=$?
    tr -d '\r' <"$work/out.raw" >"$work/out"
}

# expect NAME STATUS TEXT: the last rawburn run ended with STATUS and said TEXT.
expect() {
    if [ "$rc" -eq "$2" ] && grep -q -- "$3" "$work/out"; then
        passed=$((passed + 1))
        [ -n "${OKAY_VERBOSE:-}" ] && echo "ok   $1"
    else
        failed=$((failed + 1))
        echo "rawburn.sh: Test failed: $1: exit status $rc (expected $2), output lacks '$3' or differs:"
        sed 's/^/    /' "$work/out" | tail -n 15
    fi
}

# --------------------------------------------------------- command line
rawburn --help
expect "help shows the exit-status table" 0 "13  virtual recorder configuration problem"
rawburn burn --help
expect "burn --help: its own usage" 0 "rawburn burn \[options\] A.wav B.wav"
grep -q "rawburn erase" "$work/out" && rc=99
expect "burn --help: not the other commands" 0 "Exit statuses and every option: rawburn --help"
rawburn show --help
expect "show --help" 0 "the planned disc: tracks, indexes, pregaps"
rawburn
expect "no command" 1 "usage:"
rawburn burn --frobnicate x.cue
expect "unknown option" 1 "unknown option --frobnicate"
rawburn burn --speed fast x.cue
expect "bad speed" 1 "bad speed 'fast'"
rawburn frobnicate
expect "unknown command" 1 "unknown command 'frobnicate'"

# ------------------------------------------------------- a moved DLL
# The tree moved after regsvr32: the registration names a file that is gone.
# rawburn names it and the fix; registering the build's DLL again (over our
# own stale registration, which the journal lists) is allowed.
mkdir -p "$work/moved"
cp "$top/$B/x86_64/imapi2.dll" "$work/moved/imapi2.dll"
"$WINE" regsvr32 /s "$work/moved/imapi2.dll" >/dev/null 2>&1
rm -f "$work/moved/imapi2.dll"
rawburn list
expect "a registration whose file is gone: named, with the fix" 14 "moved.imapi2.dll, which no longer exists: run regsvr32 on the copy you want"
"$WINE" regsvr32 /s "$top/$B/x86_64/imapi2.dll" >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "regsvr32 over our own stale registration" 0 "which no longer exists; registering"
rawburn list
expect "registered again: list works" 0 ""

# ------------------------------------------------------- virtual setup
rawburn virtual remove cli-a
rawburn virtual remove cli-b
rawburn virtual add "bad name"
expect "virtual add: bad name" 13 "bad recorder name"
rawburn virtual add cli-x --kind floppy
expect "virtual add: unknown kind" 13 "unknown disc kind 'floppy'"
rawburn virtual remove cli-nosuch
expect "virtual remove: unknown" 13 "no virtual recorder 'cli-nosuch'"
rawburn virtual add cli-a --kind cdr80 --unthrottled
expect "virtual add" 0 "virtual recorder cli-a: cdr80 disc"
rawburn virtual add cli-a
expect "virtual add: exists" 13 "exists already"
printf 'bogus rule here\n' >"$work/faults.txt"
rawburn virtual add cli-f --faults "$work/faults.txt"
expect "virtual add: bad fault script names its line" 13 "faults.txt:1:"
rawburn virtual add cli-b --kind cdrw --unthrottled
expect "virtual add cdrw" 0 "cdrw disc"
rawburn virtual list --json
expect "virtual list --json" 0 '"event":"virtual","name":"cli-a","kind":"cdr80","media":"'
rawburn virtual add cli-j --unthrottled --json
expect "virtual add --json" 0 '"event":"virtual-added","name":"cli-j","kind":"cdr80"'
rawburn virtual remove cli-j --json
expect "virtual remove --json" 0 '"event":"virtual-removed","name":"cli-j"'
rawburn list
expect "list shows the recorders" 0 "cli-a"
expect "list shows the disc" 0 "blank CD-R"
expect "list shows sector types" 0 "2448 (raw P-W)"
# Names are the stable way to pick a recorder: list prints them first;
# virtual recorders come after real drives, sorted by name, whatever the
# order they were added in, so a new one shifts the numbers, not the names.
rawburn virtual add cli-0 --unthrottled
rawburn list
grep -v '^ ' "$work/out" | grep -n 'cli-' >"$work/order"
[ "$(sed -n 1p "$work/order")" != "$(grep -m1 'cli-0' "$work/order")" ] && rc=99
expect "list: virtual recorders by name, the new one first" 0 "cli-a  *(number"
rawburn erase -d cli-b --plain
expect "-d NAME still finds its recorder after another was added" 0 "the CD-RW in cli-b is blank"
rawburn virtual remove cli-0
# Linux device nodes: -d /dev/srN and cdrecord's dev=/dev/srN.
rawburn eject -d /dev/sr7
expect "-d /dev/sr7: no such node, said so" 6 "no recorder has device node /dev/sr7"
rawburn eject dev=/dev/sr7
expect "dev=/dev/sr7 (cdrecord style)" 6 "no recorder has device node /dev/sr7"
rawburn eject dev=
expect "dev= without a value" 1 "dev= needs a recorder"
if [ -x "$top/$B/x86_64/imapi2-sghelper" ]; then
    # A recorder the helper serves, named by its node path as -d /dev/sr0 is.
    IMAPI2_SGHELPER_DEVICES="vrec:$work/node.media" rawburn eject -d "vrec:$work/node.media"
    [ -s "$work/out" ] && rc=99 # silent on success
    echo "(ejected)" >>"$work/out"
    expect "-d NODE picks the helper's recorder of that node" 0 "(ejected)"
else
    echo "rawburn.sh: skipping the helper-node test: no $B/x86_64/imapi2-sghelper (make sghelper)"
fi

# ------------------------------------------------------ sample inputs
rawburn demo "$work/demo"            # makes demo.cue + files, burns to rawburn-demo
expect "demo runs end to end" 0 "the disc matches the image"
expect "demo exports" 0 "demo-export.cue"
cp "$work/demo/demo.cue" "$work/demo/demo-data.iso" "$work/demo/demo-audio.bin" "$work/"

# --------------------------------------------------------- bad inputs
rawburn burn -d cli-a "$work/nosuch.cue"
expect "missing image" 2 "cannot open"
printf 'FILE "demo-audio.bin" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:99:00\n' >"$work/bad.cue"
rawburn burn -d cli-a "$work/bad.cue"
expect "cue syntax error names its line" 3 "bad.cue:3: bad time '00:99:00'"
printf 'FILE "gone.bin" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n' >"$work/gone.cue"
rawburn burn -d cli-a "$work/gone.cue"
expect "missing file named in the cue" 2 "gone.cue:1: file gone.bin cannot be found"
printf 'FILE "short.bin" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n' >"$work/short.cue"
head -c $((2352 * 100)) /dev/zero >"$work/short.bin"
rawburn burn -d cli-a "$work/short.cue"
expect "track shorter than 4 s" 3 "at least 4 seconds"
head -c 1000 /dev/zero >"$work/odd.raw"
rawburn burn -d cli-a "$work/odd.raw"
expect "raw image of a wrong size" 5 "not a whole number of 2448- or 2368-byte sectors"
head -c $((2448 * 30000)) /dev/zero >"$work/notoc.raw"
rawburn burn -d cli-a "$work/notoc.raw"
expect "raw image without a TOC" 3 "no table of contents"
rawburn burn -d cli-a --sector-type 2368 "$work/notoc.raw"
expect "raw image, sector type given and wrong" 5 "2368-byte"
rawburn burn -d cli-nosuch "$work/demo.cue"
expect "no such recorder" 6 "no recorder 'cli-nosuch'"
rawburn burn "$work/demo.cue"
expect "several recorders and no -d" 1 "choose one with -d"
# 340000 sectors of (sparse) audio: more than a 74-minute disc holds
printf 'FILE "big.bin" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n' >"$work/big.cue"
truncate -s $((2352 * 340000)) "$work/big.bin"
rawburn virtual add cli-c --kind cdr74 --unthrottled
rawburn burn -d cli-c "$work/big.cue"
expect "image larger than the disc" 4 "does not fit\|holds"
rawburn virtual insert cli-c --kind dvd
rawburn burn -d cli-c "$work/demo.cue"
expect "a DVD in the recorder" 8 "is a DVD"
rawburn virtual insert cli-c --kind none
rawburn burn -d cli-c "$work/demo.cue"
expect "no disc" 8 "no disc in recorder cli-c"
rawburn virtual remove cli-c

# ----------------------------------------------------------- burning
rawburn burn -d cli-a --simulate "$work/demo.cue"
expect "simulation is a dry run" 0 "nothing was written"
rawburn list
expect "simulation left the disc blank" 0 "blank CD-R"
rawburn burn -d cli-a --json "$work/demo.cue"
expect "burn with --json progress" 0 '"event":"progress"'
expect "burn with --json end" 0 '"event":"end","what":"burn","ok":true'
rawburn verify -d cli-a "$work/demo.cue"
expect "verify a good disc" 0 "the disc matches the image"
rawburn burn -d cli-a "$work/demo.cue"
expect "media not blank" 8 "not blank"
# one changed sample in track 2: verify names the sector
cp "$work/demo-audio.bin" "$work/demo-audio.orig"
printf '\177' | dd of="$work/demo-audio.bin" bs=1 seek=$((2352 * 10 + 100)) conv=notrunc 2>/dev/null
rawburn verify -d cli-a "$work/demo.cue"
expect "verify finds the first difference" 11 "first difference at LBA 460 .*track 2): main-channel byte 100"
mv "$work/demo-audio.orig" "$work/demo-audio.bin"

# CloneCD: the demo's exported .ccd/.img/.sub burnt again, sub-channel as given
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/demo/demo-export.ccd"
expect "CloneCD burn and verify" 0 "the disc matches the image"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --sector-type 2368 --verify "$work/demo.cue"
expect "burn with 2368-byte sectors" 0 "the disc matches the image"

# audio only: through IMAPI2's MsftRawCDImageCreator, ISRCs and index 2 included
printf 'CATALOG 0000000000017\nFILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    ISRC ZZRBN2500001\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    ISRC ZZRBN2500002\n    INDEX 00 00:04:00\n    INDEX 01 00:06:00\n    INDEX 02 00:09:00\n' >"$work/audio.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify --plain "$work/audio.cue"
expect "audio cue through the image creator" 0 "the disc matches the image"
# CD-Text from the cue's lines (through the IMAPI2Open.CDText extension)
printf 'TITLE "CLI Album"\nPERFORMER "CLI Band"\nFILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    TITLE "Caf\303\251"\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    TITLE "Second"\n    SONGWRITER "Writer"\n    INDEX 01 00:06:00\n' >"$work/cdtext.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/cdtext.cue"
expect "cue with CD-Text lines: burnt and verified" 0 "the disc matches the image"
rawburn image "$work/cdtext.cue" "$work/cdtext.raw"
expect "cue with CD-Text lines: image" 0 "from MSF 95:00:00"
# the image's first sector starts the first pack (type 0x80): R-W symbol 0x20
first=$(od -An -tu1 -j 2352 -N 1 "$work/cdtext.raw" | tr -d ' ')
rc=$(( (first & 63) == 32 ? 0 : 1 ))
echo "first R-W symbol $((first & 63))" >"$work/out"
expect "cue with CD-Text lines: lead-in R-W carries the packs" 0 "symbol 32"
rm -f "$work/cdtext.raw"
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    TITLE "euro \342\202\254"\n    INDEX 01 00:00:00\n' >"$work/badtext.cue"
rawburn image "$work/badtext.cue" "$work/bad.raw"
expect "CD-Text beyond ISO 8859-1 names its line" 3 "badtext.cue:3: TITLE: text has a control character or a character outside ISO 8859-1"
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    DISC_ID "X1"\n    INDEX 01 00:00:00\n' >"$work/badtext.cue"
rawburn image "$work/badtext.cue" "$work/bad.raw"
expect "DISC_ID for a track is refused" 3 "badtext.cue:3: DISC_ID: track number outside the disc"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --sector-type 2368 "$work/cdtext.cue"
expect "2368-byte sectors: CD-Text dropped with a note" 0 "2368-byte sectors have no R-W"
rm -f "$work/bad.raw"

# One sub-channel encoder under both generators (issue 19): the same
# two-track audio disc as a cue sheet (laid out by IMAPI2's image creator,
# libs/mmc/rawimage.c) and as a CloneCD .ccd + .img without a .sub (laid out
# by rawburn's own sheet generator) is the same stream byte for byte: the
# lead-in TOC, MCN and ISRC frames, pregap, lead-out P, in every sector type.
printf 'CATALOG 0000000000017\nFILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    ISRC ZZRBN2500001\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    ISRC ZZRBN2500002\n    PREGAP 00:02:00\n    INDEX 01 00:06:00\n' >"$work/same.cue"
{ head -c $((450 * 2352)) "$work/demo-audio.bin"; head -c $((150 * 2352)) /dev/zero
  tail -c +$((450 * 2352 + 1)) "$work/demo-audio.bin"; } >"$work/same.img"
toc_entry() { # N POINT PMIN PSEC PFRAME PLBA
    printf '[Entry %d]\nSession=1\nPoint=%s\nADR=0x01\nControl=0x00\nTrackNo=0\nAMin=0\nASec=0\nAFrame=0\nALBA=-150\nZero=0\nPMin=%d\nPSec=%d\nPFrame=%d\nPLBA=%d\n' "$@"
}
{ printf '[CloneCD]\nVersion=3\n[Disc]\nTocEntries=5\nSessions=1\nDataTracksScrambled=0\nCDTextLength=0\nCATALOG=0000000000017\n[Session 1]\nPreGapMode=0\nPreGapSubC=0\n'
  toc_entry 0 0xa0 1 0 0 -150; toc_entry 1 0xa1 2 0 0 -150; toc_entry 2 0xa2 0 17 0 1125
  toc_entry 3 0x01 0 2 0 0; toc_entry 4 0x02 0 10 0 600
  printf '[TRACK 1]\nMODE=0\nISRC=ZZRBN2500001\nINDEX 1=0\n[TRACK 2]\nMODE=0\nISRC=ZZRBN2500002\nINDEX 0=450\nINDEX 1=600\n'
} >"$work/same.ccd"
for type in 2448 cooked 2368; do
    rawburn image --sector-type $type "$work/same.cue" "$work/same-cue.raw"
    expect "same disc, cue sheet (image creator), $type: image" 0 "from MSF 95:00:00"
    rawburn image --sector-type $type "$work/same.ccd" "$work/same-ccd.raw"
    expect "same disc, CloneCD without .sub (rawburn's layout), $type: image" 0 "from MSF 95:00:00"
    cmp "$work/same-cue.raw" "$work/same-ccd.raw" >"$work/out" 2>&1
    rc=$?
    echo "(compared)" >>"$work/out"
    expect "same disc, $type: both generators give the same bytes" 0 "(compared)"
done
rm -f "$work/same-cue.raw" "$work/same-ccd.raw" "$work/same.img"

# Audio sheets are burnt as written (issue 18, point 1): no INDEX 00 and no
# PREGAP means no gap between the tracks; only track 1 keeps the Red Book's
# 2 s, with a note. show prints the disc before anything is burnt.
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:06:00\n' >"$work/gapless.cue"
rawburn show "$work/gapless.cue"
expect "show: layout follows the sheet" 0 "layout: as the sheet says, made by rawburn"
expect "show: track 2 right after track 1" 0 "  index 01 at 00:08:00 (LBA 450)"
expect "show: no gap before track 2" 0 "track 02 AUDIO, 00:07:00 (525 sectors)"
expect "show: the lead-out where the audio ends" 0 "^lead-out at 00:15:00 (LBA 975)"
expect "show: track 1's pregap is the Red Book's" 0 "pregap   150 sectors (00:02:00): 150 of silence; the Red Book requires 2 s before track 1"
expect "show: the Red Book note" 0 "the Red Book requires this pregap on every disc"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify --plain "$work/gapless.cue"
expect "gapless audio sheet: burnt and verified as the sheet says" 0 "the disc matches the image (975 sectors, TOC and sub-channel), laid out as the sheet says"
rawburn show "$work/audio.cue"
expect "show: 150 INDEX 00 sectors: the image creator is exact" 0 "layout: as the sheet says, made by IMAPI2's image creator"
expect "show: index 0 from the file" 0 "150 from the file (INDEX 00)"
expect "show: MCN" 0 "^MCN      0000000000017"
expect "show: ISRC" 0 "ISRC     ZZRBN2500002"
rawburn show "$work/cdtext.cue"
expect "show: CD-Text of the album" 0 '^CD-Text  TITLE "CLI Album", PERFORMER "CLI Band"'
expect "show: CD-Text of a track" 0 '  CD-Text  TITLE "Caf'

rawburn image --json "$work/gapless.cue" "$work/g.raw"
expect "image --json" 0 '"event":"image","out":".*g.raw","sectors":30375,"sector_size":2448,"leadout_lba":975}'
rm -f "$work/g.raw"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify --imapi-gaps "$work/gapless.cue"
expect "--imapi-gaps: the creator's gaps, and verify says so" 0 "its gaps are IMAPI2's, not the sheet's"
rawburn show --imapi-gaps "$work/gapless.cue"
expect "show --imapi-gaps warns" 0 "NOT as the sheet says"

# the raw DAO stream as a file, then burnt straight through
rawburn image "$work/audio.cue" "$work/audio.raw"
expect "image writes the raw stream" 0 "from MSF 95:00:00"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/audio.raw"
expect "raw DAO image passed straight through" 0 "the disc matches the image"
rm -f "$work/audio.raw"

# ------------------------------------- inputs people have (issue 18, point 6)
le() { # VALUE BYTES: VALUE as BYTES little-endian bytes
    v=$1 n=$2
    while [ "$n" -gt 0 ]; do
        printf "\\$(printf %o $((v & 255)))"
        v=$((v >> 8)) n=$((n - 1))
    done
}
mkwav() { # OUT CHANNELS RATE PCMFILE
    size=$(wc -c <"$4")
    { printf RIFF; le $((size + 36)) 4; printf 'WAVEfmt '; le 16 4; le 1 2; le "$2" 2; le "$3" 4
      le $(($3 * $2 * 2)) 4; le $(($2 * 2)) 2; le 16 2; printf data; le "$size" 4; cat "$4"; } >"$1"
}
head -c $((2352 * 450)) "$work/demo-audio.bin" >"$work/a.pcm"
tail -c $((2352 * 525)) "$work/demo-audio.bin" >"$work/b.pcm"
head -c $((2352 * 150)) "$work/demo-audio.bin" >"$work/s.pcm"
mkwav "$work/a.wav" 2 44100 "$work/a.pcm"
mkwav "$work/b.wav" 2 44100 "$work/b.pcm"
mkwav "$work/mono.wav" 1 44100 "$work/a.pcm"
mkwav "$work/short.wav" 2 44100 "$work/s.pcm"
rawburn show "$work/a.wav" "$work/b.wav"
expect "WAV files: one track each, 2 s apart" 0 "  index 01 at 00:10:00 (LBA 600)"
expect "WAV files: through IMAPI2's image creator" 0 "made by IMAPI2's image creator"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/a.wav" "$work/b.wav"
expect "WAV files burnt and verified" 0 "the disc matches the image (1125 sectors"
rawburn virtual export cli-a "$work/wavcopy"
expect "virtual export" 0 "exported the disc of cli-a"
[ -s "$work/wavcopy.cue" ] && [ -s "$work/wavcopy.ccd" ] || rc=99
expect "virtual export wrote the .cue and the .ccd" 0 "exported the disc of cli-a"
rawburn virtual export cli-nosuch "$work/x"
expect "virtual export: no such recorder" 13 "there is no virtual recorder 'cli-nosuch'"
rawburn burn -d cli-a "$work/mono.wav"
expect "mono WAV: says what it needs" 3 "mono.wav is not CD audio (needs PCM, 44100 Hz, 16 bit, stereo; it has format 1, 44100 Hz, 16 bit, 1 channels)"
rawburn burn -d cli-a "$work/short.wav"
expect "2-s WAV: too short, before the disc is looked at" 3 "track 1 is 150 sectors long; a track needs at least 4 seconds"
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:12:00\n' >"$work/short2.cue"
rawburn show "$work/short2.cue"
expect "a 1-s track in a sheet rawburn lays out is refused too" 3 "short2.cue:4: track 2 is 75 sectors long"
rawburn burn -d cli-a "$work/a.wav" "$work/demo-data.iso"
expect "WAV and ISO mixed" 1 "only WAV files can be given several at a time"
head -c 1000 /dev/zero >"$work/odd.iso"
rawburn burn -d cli-a "$work/odd.iso"
expect "ISO of a wrong size" 5 "odd.iso: 1000 bytes is not a whole number of 2048-byte sectors"
rawburn virtual insert cli-a --kind cdr80
rawburn virtual export cli-a "$work/x"
expect "virtual export of a blank disc" 8 "is blank: nothing to export"
rawburn show "$work/demo-data.iso"
expect "ISO: one Mode 1 track" 0 "track 01 MODE1/2048"
rawburn burn -d cli-a --verify "$work/demo-data.iso"
expect "ISO burnt and verified" 0 "the disc matches the image"
rm -f "$work"/*.pcm "$work"/wavcopy.*

# A MediaPath in a folder that does not exist yet: the folders are made.
winpath() { "$WINE" winepath -w "$1" | tr -d '\r'; }
"$WINE" reg add 'HKCU\Software\imapi2-open\VirtualRecorders\cli-r' /v MediaPath /d "$(winpath "$work/newdir/sub/r.media")" /f >/dev/null 2>&1
"$WINE" reg add 'HKCU\Software\imapi2-open\VirtualRecorders\cli-r' /v Unthrottled /t REG_DWORD /d 1 /f >/dev/null 2>&1
rawburn list
expect "MediaPath in a missing folder: the recorder works" 0 "cli-r"
[ -d "$work/newdir/sub" ] || rc=98
expect "MediaPath in a missing folder: the folder was made" 0 "cli-r"
rawburn virtual remove cli-r

# ------------------------------------ sheets as real-world tools write them
# Own sheets with the features of libcdio's, FLAC's and Dreamcast-style
# sheets (several FILE lines, INDEX 00/02, PREGAP/POSTGAP, ISRC, CATALOG,
# FLAGS, audio + MODE1 and audio + MODE2 XA), their raw DAO streams checked
# sector by sector by tests/cli/rawcheck.c, an independent decoder.
rawcheck=$top/$B/x86_64/cli-tests/rawcheck.exe
# rawcheck_image NAME CUE [MCN]: rawburn image CUE, then rawcheck on it.
rawcheck_image() {
    rawburn image "$work/$2" "$work/sheet.raw"
    "$WINE" "$rawcheck" "$work/sheet.raw" ${3:-} >"$work/out.raw" 2>&1
    rc=$?
    tr -d '\r' <"$work/out.raw" >"$work/out"
    expect "$1: rawcheck" 0 "rawcheck: ok"
    rm -f "$work/sheet.raw"
}
head -c $((2352 * 1200)) /dev/urandom >"$work/sh-audio.bin" # tracks of at least 4 s (300 sectors)
head -c $((2048 * 400)) /dev/urandom >"$work/sh-data.iso"
head -c $((2336 * 600)) /dev/zero >"$work/sh-xa.bin"
# data right after audio, no pregap: a note, and MCN frames still 100 apart at most
printf 'CATALOG 4006381333931\nFILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    ISRC ZZRBN2500001\n    INDEX 01 00:00:00\nFILE "sh-data.iso" BINARY\n  TRACK 02 MODE1/2048\n    INDEX 01 00:00:00\n' >"$work/nogap.cue"
rawburn image "$work/nogap.cue" "$work/nogap.raw"
expect "data track after audio without pregap: warned" 0 "nogap.cue:7: track 2 is data after audio with 0 sectors of pregap: the standard wants at least 150"
rm -f "$work/nogap.raw"
rawcheck_image "data after audio, no pregap" nogap.cue 4006381333931
# the usual mixed-mode sheet: audio with INDEX 00/02, FLAGS, POSTGAP, then a
# data track with a PREGAP, from two files; burnt, verified (data pregap
# read back descrambled) and decoded
printf 'CATALOG 4006381333931\nFILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    FLAGS DCP PRE\n    ISRC ZZRBN2500001\n    INDEX 01 00:00:00\n    INDEX 02 00:02:00\n  TRACK 02 AUDIO\n    FLAGS 4CH\n    ISRC ZZRBN2500002\n    INDEX 00 00:05:00\n    INDEX 01 00:06:00\n    POSTGAP 00:01:00\nFILE "sh-data.iso" BINARY\n  TRACK 03 MODE1/2048\n    PREGAP 00:02:00\n    INDEX 01 00:00:00\n' >"$work/mixed.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/mixed.cue"
expect "mixed-mode sheet: burnt and verified" 0 "the disc matches the image"
rawcheck_image "mixed-mode sheet" mixed.cue 4006381333931
# CD-ROM XA after audio, index 0 from the file (a Dreamcast-style last track)
printf 'FILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\nFILE "sh-xa.bin" BINARY\n  TRACK 02 MODE2/2336\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n' >"$work/xa.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/xa.cue"
expect "audio + XA sheet: burnt and verified" 0 "the disc matches the image"
rawcheck_image "audio + XA sheet" xa.cue
# the same with MODE2/2352 (sectors as the file gives them, Form 2 with EDC)
"$WINE" "$top/$B/x86_64/cli-tests/xasectors.exe" "$work/sh-xa.2352" 1200 600 >/dev/null 2>&1
printf 'FILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\nFILE "sh-xa.2352" BINARY\n  TRACK 02 MODE2/2352\n    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n' >"$work/xa2352.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/xa2352.cue"
expect "audio + MODE2/2352 sheet: burnt and verified" 0 "the disc matches the image"
rawcheck_image "audio + MODE2/2352 sheet" xa2352.cue
# a catalog number whose EAN-13 check digit is wrong (as in real sheets):
# burnt as given, with a note; audio-only, so past IMAPI2's image creator
printf 'CATALOG 1234567890123\nFILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$work/badmcn.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/badmcn.cue"
expect "CATALOG with a wrong check digit: burnt" 0 "the disc matches the image"
expect "CATALOG with a wrong check digit: the note says so" 0 "check digit is wrong (EAN-13 gives 8, not 3); it is written as given"
rawcheck_image "CATALOG with a wrong check digit" badmcn.cue 1234567890123
# indexes closer than IMAPI2 takes: the INDEX line is named, not the TRACK line
printf 'FILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    INDEX 02 00:00:05\n' >"$work/close.cue"
rawburn image "$work/close.cue" "$work/close.raw"
expect "indexes too close: the INDEX line is named" 3 "close.cue:4: INDEX 02 of track 1 refused"
rm -f "$work/close.raw"
# CD-Text lines are written: no note may say they are dropped
rawburn image "$work/cdtext.cue" "$work/cdtext.raw"
if grep -q "only a CD-Text writer keeps\|not kept" "$work/out"; then rc=99; fi
expect "cue CD-Text lines: no note saying they are dropped" 0 "from MSF 95:00:00"
# a CDTEXTFILE with two blocks (languages) and a libburn-style genre pack
"$WINE" "$top/$B/x86_64/cli-tests/cdtpacks.exe" "$work/two.cdt" >/dev/null 2>&1
printf 'CDTEXTFILE "two.cdt"\nFILE "sh-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:04:00\n' >"$work/two.cue"
rawburn virtual insert cli-a --kind cdr80
rawburn burn -d cli-a --verify "$work/two.cue"
expect "CDTEXTFILE of two blocks: burnt" 0 "the disc matches the image"
expect "CDTEXTFILE of two blocks: the note names the block not written" 0 "two.cdt: block 1 (language code 8) is read, but only block 0"
rm -f "$work/cdtext.raw" "$work/sh-audio.bin" "$work/sh-data.iso" "$work/sh-xa.bin" "$work/sh-xa.2352" "$work/two.cdt"

# --------------------------------------------- cancel, busy, erase (CD-RW)
rawburn virtual add cli-slow --kind cdrw --speed 4 --replace
RAWBURN_TEST_CANCEL_AT=20 "$WINE" "$exe" burn -d cli-slow "$work/demo.cue" >"$work/bg.raw" 2>&1 &
bg=$!
sleep 3
rawburn burn -d cli-slow "$work/demo.cue"
expect "recorder busy names the other program" 7 "in use by rawburn"
wait "$bg"
rc=$?
tr -d '\r' <"$work/bg.raw" >"$work/out"
expect "Ctrl+C cancels cleanly" 12 "cancelled by Ctrl+C"
expect "after cancel: what to do with the CD-RW" 12 "rawburn erase -d cli-slow"
rawburn burn -d cli-slow "$work/demo.cue"
expect "written CD-RW must be erased first" 8 "erase it first"
rawburn erase -d cli-slow
expect "erase a CD-RW" 0 "is blank"
rawburn virtual remove cli-slow

# A real Ctrl+C: tests/cli/ctrlc.c starts rawburn on a pipe and, once the
# progress says N %, sends GenerateConsoleCtrlEvent(CTRL_C_EVENT) to the
# console they share. Wine 8 cannot send CTRL_BREAK_EVENT to a process
# group (GenerateConsoleCtrlEvent fails, error 6), so only Ctrl+C is tested.
ctrlc=$top/$B/x86_64/cli-tests/ctrlc.exe
winpath() { "$WINE" winepath -w "$1" | tr -d '\r'; }
rawburn virtual add cli-cc --kind cdrw --speed 4 --replace
for pct in 0 50; do
    "$WINE" "$ctrlc" c $pct "$(winpath "$exe")" burn -d cli-cc "$(winpath "$work/demo.cue")" >"$work/out.raw" 2>&1
    rc=$?
    tr -d '\r' <"$work/out.raw" >"$work/out"
    expect "console Ctrl+C at $pct %: the event was sent" 12 "CTRL_C_EVENT sent at .*GenerateConsoleCtrlEvent ok"
    expect "console Ctrl+C at $pct %: cancelled" 12 "rawburn: cancelled by Ctrl+C"
    expect "console Ctrl+C at $pct %: the disc is described" 12 "rawburn erase -d cli-cc"
    rawburn list
    if grep -A4 "cli-cc" "$work/out" | grep -q "in use"; then
        rc=99 # the drive is still held: fail the next check
    fi
    expect "console Ctrl+C at $pct %: the recorder is released" 0 "cli-cc"
    rawburn erase -d cli-cc
    expect "console Ctrl+C at $pct %: erase afterwards" 0 "is blank"
done
# A second Ctrl+C ends rawburn at once, still with status 12 and the
# state of the disc; Ctrl+C during an erase is answered and reported.
"$WINE" "$ctrlc" cc 20 "$(winpath "$exe")" burn -d cli-cc "$(winpath "$work/demo.cue")" >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "second Ctrl+C: both events sent" 12 "CTRL_C_EVENT twice sent at .*GenerateConsoleCtrlEvent ok"
expect "second Ctrl+C: status 12, never 0" 12 "exit status 12"
expect "second Ctrl+C: the disc is described" 12 "rawburn erase -d cli-cc"
rawburn list
if grep -A4 "cli-cc" "$work/out" | grep -q "in use"; then
    rc=99
fi
expect "second Ctrl+C: the recorder is free again" 0 "cli-cc"
# Erases on a fast CD-RW recorder (a minimal blank at 52x takes about 8 s).
rawburn virtual add cli-er --kind cdrw-written --speed 52 --replace
"$WINE" "$ctrlc" c 0 "$(winpath "$exe")" erase -d cli-er >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "Ctrl+C during an erase is answered" 12 "Ctrl+C: an erase cannot be cancelled through IMAPI2"
expect "Ctrl+C during an erase: status 12 and the disc's state" 12 "rawburn: interrupted by Ctrl+C: the erase could not be stopped and has finished: the CD-RW in cli-er is blank"
rawburn virtual insert cli-er --kind cdrw-written
"$WINE" "$ctrlc" cc 0 "$(winpath "$exe")" erase -d cli-er >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "two Ctrl+C during an erase: status 12 and the disc's state" 12 "stopped at once by a second Ctrl+C: the CD-RW in cli-er was being erased and is left partly erased"
rawburn virtual remove cli-er
rawburn virtual remove cli-cc

# ------------------------------------------------- --tao (track-at-once)
# Audio through MsftDiscFormat2TrackAtOnce: one and three tracks, read back
# from the virtual recorder's export (track n's audio at its start: 2 s gap
# and 2 run-out blocks after each earlier track); refusals before anything
# is written; cancel by the test hook and by a real Ctrl+C.
bps=2352
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$work/tao1.cue"
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:06:00\n  TRACK 03 AUDIO\n    INDEX 01 00:10:00\n' >"$work/tao3.cue"
rawburn virtual add cli-t --kind cdr80 --unthrottled --replace
rawburn burn -d cli-t --tao --plain "$work/tao1.cue"
expect "--tao, one track: burnt" 0 "done: 1 track written track-at-once; the disc in cli-t is closed"
expect "--tao, one track: progress per track" 0 "writing: 100% (track 1/1"
rawburn virtual export cli-t "$work/tao1-out"
cmp -n $((975 * bps)) "$work/demo-audio.bin" "$work/tao1-out.bin" >"$work/out" 2>&1
rc=$?; echo "(compared)" >>"$work/out"
expect "--tao, one track: the disc holds the audio" 0 "(compared)"
rawburn virtual insert cli-t --kind cdr80
rawburn burn -d cli-t --tao --json "$work/tao3.cue"
expect "--tao --json: progress events name the track" 0 '"event":"progress","what":"burn","action":"writing",.*"where":"track 3/3"'
expect "--tao --json: ends ok" 0 '"event":"end","what":"burn","ok":true'
rawburn virtual export cli-t "$work/tao3-out"
[ "$(grep -c 'TRACK' "$work/tao3-out.cue")" = 3 ] || rc=99
grep 'TRACK\|INDEX' "$work/tao3-out.cue" >"$work/out"
expect "--tao, three tracks: three tracks on the disc, 2 s before tracks 2 and 3" 0 "INDEX 00 00:06:02"
ok=0
cmp -n $((450 * bps)) "$work/demo-audio.bin" "$work/tao3-out.bin" >/dev/null 2>&1 || ok=1
cmp -n $((300 * bps)) -i $((450 * bps)):$((602 * bps)) "$work/demo-audio.bin" "$work/tao3-out.bin" >/dev/null 2>&1 || ok=2
cmp -n $((225 * bps)) -i $((750 * bps)):$((1054 * bps)) "$work/demo-audio.bin" "$work/tao3-out.bin" >/dev/null 2>&1 || ok=3
rc=$ok; echo "first differing track: $ok" >"$work/out"
expect "--tao, three tracks: each track's audio where the TOC puts it" 0 "differing track: 0"
rm -f "$work/tao1-out".* "$work/tao3-out".*
# refusals: nothing written, the disc stays blank
rawburn virtual insert cli-t --kind cdr80
printf 'FILE "demo-audio.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 MODE1/2352\n    INDEX 01 00:06:00\n' >"$work/taodata.cue"
rawburn burn -d cli-t --tao "$work/taodata.cue"
expect "--tao refuses a data track" 3 "track 2 is MODE1/2352: --tao writes audio tracks only"
head -c $((400 * bps + 2)) "$work/demo-audio.bin" >"$work/odd.bin"
printf 'FILE "odd.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' >"$work/taoodd.cue"
rawburn burn -d cli-t --tao "$work/taoodd.cue"
expect "--tao: a BINARY track of a bad length is refused by the sheet" 3 "track 1: 940802 bytes are not a whole number of 2352-byte sectors"
# a WAVE of whole samples but not whole sectors (940804 bytes): Disc-At-Once
# pads it, the track-at-once writer takes whole sectors only
{ printf 'RIFF\050\133\016\000WAVEfmt \020\000\000\000\001\000\002\000\104\254\000\000\020\261\002\000\004\000\020\000'
  printf 'data\004\133\016\000'; head -c 940804 "$work/demo-audio.bin"; } >"$work/odd.wav"
rawburn burn -d cli-t --tao "$work/odd.wav"
expect "--tao refuses a WAVE track of a bad length" 5 "track 1 (.*odd.wav) has 940804 bytes of audio, not a whole number of 2352-byte sectors: the track-at-once writer takes whole sectors only"
rawburn burn -d cli-t --tao --verify "$work/tao1.cue"
expect "--tao with --verify is a usage error" 1 "--tao cannot be used with --verify"
rawburn burn -d cli-t --tao "$work/demo/demo-export.ccd"
expect "--tao refuses a CloneCD image" 1 "--tao burns audio tracks"
rawburn list
grep -A3 "^cli-t " "$work/out" >"$work/out.t"
mv "$work/out.t" "$work/out"
expect "refusals left the disc blank" 0 "blank CD-R"
rawburn virtual add cli-nt --kind cdr80 --unthrottled --no-tao --replace
rawburn burn -d cli-nt --tao "$work/tao1.cue"
expect "--tao on a recorder without track-at-once" 9 "recorder cli-nt cannot write track-at-once"
rawburn virtual remove cli-nt
rm -f "$work/odd.bin" "$work/odd.wav" "$work/taoodd.cue" "$work/taodata.cue"
# cancel: the test hook, then a real Ctrl+C (tests/cli/ctrlc.c)
rawburn virtual add cli-tc --kind cdrw --speed 8 --replace
RAWBURN_TEST_CANCEL_AT=40 "$WINE" "$exe" burn -d cli-tc --tao --plain "$work/tao3.cue" >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "--tao: cancelled" 12 "cancelled by Ctrl+C \(during\|before\) track"
expect "--tao: cancel says what is on the disc" 12 "The disc in cli-tc holds .* of the 3 tracks"
rawburn erase -d cli-tc
expect "--tao: the cancelled CD-RW erases" 0 "is blank"
"$WINE" "$ctrlc" c 30 "$(winpath "$exe")" burn -d cli-tc --tao "$(winpath "$work/tao3.cue")" >"$work/out.raw" 2>&1
rc=$?
tr -d '\r' <"$work/out.raw" >"$work/out"
expect "--tao: console Ctrl+C cancels the track" 12 "rawburn: cancelled by Ctrl+C \(during\|before\) track"
rawburn virtual remove cli-tc
rawburn virtual remove cli-t
rm -f "$work/tao1.cue" "$work/tao3.cue"

rawburn erase -d cli-a
expect "erase refuses a CD-R" 8 "only CD-RW discs can be erased"

rawburn virtual remove cli-a
expect "virtual remove" 0 "removed"
rawburn virtual remove cli-b
rawburn virtual remove rawburn-demo

rm -f "$work/big.bin" "$work/notoc.raw" # large (if sparse) inputs
echo "OKAY-RESULT cli passed=$passed failed=$failed skipped=0 todo=0"
[ "$failed" -eq 0 ]
