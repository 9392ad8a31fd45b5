#!/bin/sh
# Builds the rig's initramfs: static busybox, the kernel modules the rig
# needs (with their dependencies, in load order) and tools/kernel-rig/init.
#   mkinitramfs.sh KERNEL_TREE OUT.cpio
# KERNEL_TREE is a `dpkg-deb -x` of a linux-image package (lib/modules/V/).
# The package ships no modules.dep (depmod runs at install time, and the
# host may have no kmod), so dependencies come from each module's own
# "depends=" modinfo string.
set -eu
tree=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
version=$(ls "$tree/lib/modules" | head -n 1)
moddir=$tree/lib/modules/$version
busybox=${BUSYBOX:-/bin/busybox}
# What the rig loads; everything they depend on comes along.
wanted="configfs target_core_mod target_core_user tcm_loop uio scsi_mod sr_mod cdrom sg
        9pnet_virtio 9p virtio_pci isofs udf nls_utf8"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$moddir/kernel" -name '*.ko' >"$work/all"

module_path() { # name (dashes and underscores are the same thing)
    pattern=$(printf '%s' "$1" | sed 's/[-_]/[-_]/g')
    grep -E "/$pattern\.ko\$" "$work/all" | head -n 1
}

module_depends() { # path
    tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# Depth-first: a module's dependencies are listed before it. (`local`:
# dash and busybox sh have it, and the recursion needs it.)
add_module() { # name
    local path dep
    grep -qx "$1" "$work/seen" 2>/dev/null && return 0
    echo "$1" >>"$work/seen"
    path=$(module_path "$1")
    if [ -z "$path" ]; then
        # built into this kernel (CONFIG_...=y): nothing to load
        return 0
    fi
    for dep in $(module_depends "$path"); do
        add_module "$dep"
    done
    echo "$path" >>"$work/order"
}

: >"$work/order"
for m in $wanted; do add_module "$m"; done

root=$work/root
mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" "$root/host" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
: >"$root/modules.order"
while read -r path; do
    name=$(basename "$path")
    cp "$path" "$root/lib/modules/$name"
    echo "$name" >>"$root/modules.order"
done <"$work/order"
(cd "$root" && find . | "$busybox" cpio -o -H newc >"$work/initramfs.cpio" 2>/dev/null)
mv "$work/initramfs.cpio" "$out"
echo "initramfs: $(wc -l <"$root/modules.order") modules, $(wc -c <"$out") bytes -> $out"
