#!/bin/sh
# make install / make uninstall into a staging folder (DESTDIR, PREFIX=/usr):
# the exact file list, the launcher, and nothing left after uninstall. And
# the one version number: configure's, rawburn --version's, imapi2script
# --version's and the DLL's VERSIONINFO (GetFileVersionInfo) agree.
# Prints an OKAY-RESULT line that tools/run-tests adds up.
#   env: B (build dir), WINE, WINEPREFIX etc. set by tools/run-tests
set -u
B=${B:-build}
WINE=${WINE:-wine}
MAKE=${MAKE:-make}
top=$(pwd)
work=$top/$B/install-test
passed=0 failed=0
rm -rf "$work"
mkdir -p "$work"

check() { # NAME CONDITION-STATUS DETAIL
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
        [ -n "${OKAY_VERBOSE:-}" ] && echo "ok   $1"
    else
        failed=$((failed + 1))
        echo "install.sh: Test failed: $1${3:+: $3}"
    fi
}

# ------------------------------------------------------------ version
version=$(sh ./configure --version | sed -n '1s/^imapi2 configure //p')
[ -n "$version" ]
check "configure --version names a version" $? "$(sh ./configure --version | head -n 1)"
got=$("$WINE" "$top/$B/x86_64/programs/rawburn.exe" --version 2>&1 | tr -d '\r')
[ "$got" = "rawburn $version (imapi2-open)" ]
check "rawburn --version is configure's version" $? "'$got', configure says $version"
got=$("$WINE" "$top/$B/x86_64/programs/imapi2script.exe" --version 2>&1 | tr -d '\r')
[ "$got" = "imapi2script $version (imapi2-open)" ]
check "imapi2script --version is configure's version" $? "'$got'"
fixed=$(echo "$version.0.0.0.0" | cut -d. -f1-4)
for arch in x86_64 i686; do
    [ -f "$top/$B/$arch/imapi2.dll" ] || continue
    got=$("$WINE" "$top/$B/x86_64/cli-tests/fileversion.exe" "$top/$B/$arch/imapi2.dll" 2>&1 | tr -d '\r')
    [ "$got" = "fixed $fixed
string $version" ]
    check "$arch/imapi2.dll's VERSIONINFO is configure's version" $? "$got"
done

# ------------------------------------------------------------ install
stage=$work/stage
"$MAKE" -s install DESTDIR="$stage" PREFIX=/usr >"$work/install.log" 2>&1
check "make install DESTDIR PREFIX=/usr" $? "$(tail -n 5 "$work/install.log")"
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$work/installed"
{
    for arch in i686 x86_64; do
        echo "usr/lib/imapi2/$arch/imapi2-sghelper"
        echo "usr/lib/imapi2/$arch/imapi2.dll"
    done
    echo usr/lib/imapi2/x86_64/imapi2script.exe
    echo usr/lib/imapi2/x86_64/rawburn.exe
    echo usr/bin/imapi2-rawburn
    echo usr/share/man/man1/rawburn.1
    for f in README.md docs/*.md; do echo "usr/share/doc/imapi2/$(basename "$f")"; done
    for f in examples/*; do echo "usr/share/doc/imapi2/examples/$(basename "$f")"; done
} | LC_ALL=C sort >"$work/expected"
diff -u "$work/expected" "$work/installed" >"$work/list.diff"
check "the installed files are exactly the expected ones" $? "$(cat "$work/list.diff")"
for f in usr/bin/imapi2-rawburn usr/lib/imapi2/x86_64/imapi2-sghelper usr/lib/imapi2/i686/imapi2-sghelper; do
    [ -x "$stage/$f" ]
    check "$f is executable" $?
done
cmp -s "$stage/usr/lib/imapi2/x86_64/imapi2.dll" "$B/x86_64/imapi2.dll"
check "the x86_64 DLL is the build's" $?
launcher=$stage/usr/bin/imapi2-rawburn
sh -n "$launcher"
check "the launcher is a valid shell script" $?
grep -q "^lib='/usr/lib/imapi2'" "$launcher"
check "the launcher runs the installed rawburn (PREFIX, not DESTDIR)" $? "$(grep '^lib=' "$launcher")"
# In a prefix where the DLL is not registered it says how to register it
# (a stand-in wine that answers `reg query` with "not found").
printf '#!/bin/sh\n[ "$1" = reg ] && exit 1\necho "fake wine ran: $*"\n' >"$work/fakewine"
chmod +x "$work/fakewine"
out=$(HOME=$work/home WINEPREFIX= WINE=$work/fakewine sh "$launcher" list 2>&1)
status=$?
[ $status -eq 14 ] && echo "$out" | grep -q "not registered in the Wine prefix $work/home/.wine" &&
    echo "$out" | grep -q "wine regsvr32 /usr/lib/imapi2/x86_64/imapi2.dll"
check "launcher: unregistered prefix (default ~/.wine) is named with the regsvr32 to run" $? "status $status: $out"
out=$(HOME=$work/home WINE=$work/fakewine sh "$launcher" --version 2>&1)
[ "$out" = "fake wine ran: /usr/lib/imapi2/x86_64/rawburn.exe --version" ]
check "launcher: --version runs the installed rawburn.exe" $? "$out"

# ------------------------------------------------------------ uninstall
"$MAKE" -s uninstall DESTDIR="$stage" PREFIX=/usr >"$work/uninstall.log" 2>&1
check "make uninstall" $? "$(tail -n 5 "$work/uninstall.log")"
left=$(cd "$stage" && find . -type f)
[ -z "$left" ]
check "make uninstall leaves no file" $? "$left"
left=$(cd "$stage" && find . -path '*imapi2*')
[ -z "$left" ]
check "make uninstall removes imapi2's own folders" $? "$left"

rm -rf "$work"
echo "OKAY-RESULT cli passed=$passed failed=$failed skipped=0 todo=0"
[ "$failed" -eq 0 ]
