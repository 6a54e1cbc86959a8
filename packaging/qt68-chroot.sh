#!/usr/bin/env bash
# Builds the whole project against Debian 13's Qt 6.8 with warnings as errors, in a chroot made from Debian's
# own packages (mmdebstrap), and runs the unit tests there: proof that the code (Qt 6.4 signatures, `_s`
# literals, QT_DISABLE_DEPRECATED_UP_TO=0x060400) still builds and passes on the Qt that Windows and macOS
# users get. Run before every release (docs/packaging.md says why it is not part of .ci/run).
#   sudo bash packaging/qt68-chroot.sh [WORKDIR]       (default /var/tmp/tertulia-qt68; root: mmdebstrap, chroot)
# The chroot and its build tree (/build/qt68 inside it) are kept between runs, the sources copied again each
# time; delete WORKDIR to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-/var/tmp/tertulia-qt68}
chroot_dir="$work/trixie"
mirror=${TERTULIA_DEBIAN_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" -eq 0 ] || { echo "qt68-chroot: run as root (mmdebstrap, mount, chroot)" >&2; exit 1; }
for tool in mmdebstrap rsync; do
    command -v "$tool" >/dev/null || { echo "qt68-chroot: install $tool" >&2; exit 1; }
done

# What the build and the unit tests need, from Debian 13 (trixie): Qt 6.8 and the same libraries as
# .ci/deps.sh names for Debian 12.
packages=(build-essential cmake ninja-build pkg-config git ca-certificates
    qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6sql6-sqlite
    libgl-dev qtkeychain-qt6-dev libsodium-dev libqrencode-dev libssl-dev libcpp-jwt-dev nodejs npm)

if [ ! -x "$chroot_dir/usr/bin/cmake" ]; then
    mkdir -p "$work"
    rm -rf "$chroot_dir"
    echo "qt68-chroot: making the Debian 13 chroot in $chroot_dir from $mirror"
    mmdebstrap --variant=apt --include="$(IFS=,; echo "${packages[*]}")" trixie "$chroot_dir" "$mirror"
fi
echo "qt68-chroot: Qt $(chroot "$chroot_dir" dpkg-query -W -f='${Version}' qt6-base-dev)"

# The working tree without build trees. rsync by content and without the source's times: a changed file gets
# a new time (so the kept build tree rebuilds it), an unchanged one keeps its own (so it does not). A copy
# that kept the source's times let a checkout older than the last build look up to date.
mkdir -p "$chroot_dir/src"
rsync -rlc --no-times --delete --exclude=/build --exclude=node_modules --exclude=/.git "$root/" "$chroot_dir/src/"

mounts=(proc sys dev dev/pts)
# Lazily if busy: a build stopped by a signal can still hold /dev/null in the chroot for a moment.
cleanup() {
    for m in $(printf '%s\n' "${mounts[@]}" | tac); do
        umount "$chroot_dir/$m" 2>/dev/null || umount -l "$chroot_dir/$m" 2>/dev/null || true
    done
}
trap cleanup EXIT
for m in "${mounts[@]}"; do mount --bind "/$m" "$chroot_dir/$m"; done
# npm fetches socket.io-client for the guest page: the chroot resolves names and trusts the certificate
# authorities this machine added locally (a TLS-inspecting proxy's, say), as the host's npm does.
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$chroot_dir/usr/local/share/ca-certificates/"
    chroot "$chroot_dir" update-ca-certificates >/dev/null
fi

# The app too (TERTULIA_BUILD_APP defaults ON); warnings as errors; the unit tests.
chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    bash -c 'cd /src && cmake -S . -B /build/qt68 -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
                 -DTERTULIA_WERROR=ON >/dev/null \
             && cmake --build /build/qt68 -j"$(nproc)" -- -k 0 \
             && ctest --test-dir /build/qt68 -L unit -j2 --output-on-failure'
echo "qt68-chroot: the project builds with warnings as errors on Qt 6.8 and its unit tests pass" \
     "($((SECONDS / 60)) min $((SECONDS % 60)) s)"
