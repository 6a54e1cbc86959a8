#!/usr/bin/env bash
# Installs the system packages Tertulia needs, only those missing. Debian 12 / Ubuntu 22.04+.
#   bash .ci/deps.sh build     # compile the app and the server
#   bash .ci/deps.sh test      # build + everything the test suite starts (keyring, Xvfb, Node, Chromium,
#                              # strace and iproute2 for the chaos suite, curl for tests/chaos/soak.sh,
#                              # hiredis and redis-server for the Redis cluster bus and its tests,
#                              # prometheus for promtool: the example alert rules and their tests)
#                              # and the packaging tools (.ci/package-test)
# Elsewhere: install Qt >= 6.4 (Core, Network, WebSockets, Widgets, Sql, Test, LinguistTools), QtKeychain
# for Qt 6, libsodium, libqrencode, OpenSSL >= 3.0 (libcrypto and its headers), CMake >= 3.21 and Ninja,
# then run cmake --preset dev.
set -euo pipefail

what=${1:-build}
# nodejs/npm at build time: the guest web page bundles socket.io-client from the npm registry.
build_pkgs=(cmake ninja-build g++ pkg-config git
    qt6-base-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libqt6sql6-sqlite libgl-dev qtkeychain-qt6-dev libsodium-dev libqrencode-dev libssl-dev nodejs npm)
test_pkgs=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools imagemagick libcpp-jwt-dev
    chromium iproute2 procps zbar-tools postgresql libqt6sql6-psql clang libclang-rt-dev haproxy strace
    libhiredis-dev redis-server prometheus)
# The packages and their checks (.ci/package-test): CPack's DEB (dpkg-dev for dpkg-shlibdeps) and RPM, the
# linters, makensis for the Windows installer's script, the desktop and AppStream validators, systemd-analyze,
# hardening-check (devscripts: 2.7 MB and seven small Perl modules without recommends).
package_pkgs=(dpkg-dev file rpm lintian rpmlint nsis osslsigncode openssl desktop-file-utils appstream systemd curl
    man-db groff-base mmdebstrap devscripts)

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}" "${package_pkgs[@]}")

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: not a Debian/Ubuntu system; install the equivalents of: ${pkgs[*]}" >&2
    exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm may come from elsewhere (nvm, nodesource): accept them when they run.
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
