#!/bin/sh
# Boots the kernel rig once: QEMU (TCG, no KVM needed) with a Debian 6.1
# kernel taken from its package (downloaded once into the build tree, never
# installed), the initramfs from mkinitramfs.sh, the host root shared
# read-only over 9p and $B/kernel-rig shared writable. The guest runs
# tools/kernel-rig/guest.sh; its results land in $B/kernel-rig/out/results.
#   B=build sh tools/kernel-rig/run.sh [quick|full]
# Prints "KRIG-SKIP: reason" and exits 0 when the rig cannot run here
# (no qemu-system-x86_64, no kernel package to be had); exits non-zero when
# the guest did not finish.
set -u
B=${B:-build}
mode=${1:-quick}
top=$(pwd)
rig=$top/$B/kernel-rig
out=$rig/out
here=$top/tools/kernel-rig
# Guest wall time limit: a quick run needs well under a minute on 2 cores.
case $mode in
quick) limit=${KRIG_TIMEOUT:-150} ;;
*) limit=${KRIG_TIMEOUT:-1500} ;;
esac

skip() { echo "KRIG-SKIP: $*"; exit 0; }

QEMU=${QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null 2>&1 || skip "$QEMU not installed (./configure --install-deps installs qemu-system-x86)"
[ -x "$rig/tcmu-vrec" ] || skip "$rig/tcmu-vrec not built (make kernel-rig)"

# The newest Debian 6.1 kernel the archive offers, as the metapackage names it.
kernel_package() {
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6\.1\.0-[0-9]+-amd64$/ { print $2; exit }')
    [ -n "$pkg" ] || pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null | awk '{ print $1 }' | sort -V | tail -n 1)
    echo "$pkg"
}

fetch_kernel() {
    ls "$rig"/kx/boot/vmlinuz-* >/dev/null 2>&1 && return 0
    mkdir -p "$rig/deb"
    if ! ls "$rig"/deb/linux-image-*.deb >/dev/null 2>&1; then
        pkg=$(kernel_package)
        [ -n "$pkg" ] || return 1
        echo "kernel-rig: downloading $pkg (once; cached in $rig/deb)"
        (cd "$rig/deb" && apt-get download "$pkg" >/dev/null 2>&1) || return 1
    fi
    rm -rf "$rig/kx.tmp" && mkdir -p "$rig/kx.tmp" &&
        dpkg-deb -x "$(ls "$rig"/deb/linux-image-*.deb | head -n 1)" "$rig/kx.tmp" &&
        rm -rf "$rig/kx" && mv "$rig/kx.tmp" "$rig/kx"
}
fetch_kernel || skip "no Debian linux-image-6.1.0-*-amd64 package could be had (apt-get download failed)"
kernel=$(ls "$rig"/kx/boot/vmlinuz-* | head -n 1)

initrd=$rig/initramfs.cpio
if [ ! -f "$initrd" ] || [ "$here/init" -nt "$initrd" ] || [ "$here/mkinitramfs.sh" -nt "$initrd" ]; then
    sh "$here/mkinitramfs.sh" "$rig/kx" "$initrd" || { echo "kernel-rig: initramfs build failed"; exit 1; }
fi

# Full runs also take Wine into the guest; its prefix is made here, on the
# host, where wineboot is fast, with X: declared a CD drive (the guest links
# dosdevices/x:: to /dev/sr0 in its own copy).
make_wine_prefix() {
    prefix=$rig/wineprefix
    [ -f "$prefix/system.reg" ] && return 0
    command -v "${WINE:-wine}" >/dev/null 2>&1 || return 0
    echo "kernel-rig: creating Wine prefix $prefix"
    (
        export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
        "${WINE:-wine}" wineboot -i >/dev/null 2>&1
        "${WINE:-wine}" reg add 'HKLM\Software\Wine\Drives' /v x: /d cdrom /f >/dev/null 2>&1
        "${WINESERVER:-wineserver}" -w
    )
}
# The DLL registered in that prefix (the guest sees it at the same path),
# for the COM checks over imapi2-sghelper. Each boot: the build may have
# moved on since the prefix was made.
register_dll() {
    dll=$top/$B/x86_64/imapi2.dll
    [ -f "$rig/wineprefix/system.reg" ] && [ -f "$dll" ] || return 0
    (
        export WINEPREFIX=$rig/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
        "${WINE:-wine}" regsvr32 /s "$dll" >/dev/null 2>&1 || echo "kernel-rig: regsvr32 $dll failed"
        "${WINESERVER:-wineserver}" -w
    )
}
[ "$mode" = quick ] || { make_wine_prefix; register_dll; }

rm -rf "$out"
mkdir -p "$out/results"
echo "kernel-rig: booting $(basename "$kernel") under TCG ($mode)"
start=$(date +%s.%N)
timeout --kill-after=10 "$limit" "$QEMU" -accel tcg -cpu ${KRIG_CPU:-qemu64} -smp 2 -m 2048 -nographic -no-reboot \
    -nic none -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 quiet loglevel=4 panic=-1 krig.script=$here/guest.sh krig.out=$out krig.rw=$rig krig.args=$top,$B,$mode" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on \
    -virtfs "local,path=$rig,mount_tag=rw,security_model=none" \
    </dev/null >"$out/console.log" 2>&1
status=$?
end=$(date +%s.%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
tr -d '\r' <"$out/console.log" | grep -E '^(init|guest):|OKAY-RESULT|Kernel panic' | sed 's/^/  /'
echo "kernel-rig: qemu exit $status, wall ${wall} s, drive up at $(cat "$out/drive-up" 2>/dev/null || echo never) s guest time, finished at $(cat "$out/finished" 2>/dev/null || echo never) s"
[ -f "$out/finished" ]
