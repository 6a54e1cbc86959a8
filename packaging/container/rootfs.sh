#!/usr/bin/env bash
# The container image of packaging/container/Containerfile, made without a registry: a Debian 12 root
# filesystem from Debian's own packages (mmdebstrap) with the tertulia-server .deb installed, a user without
# privileges (uid 10001) owning /var/lib/tertulia; then a smoke test that runs the server inside it with
# chroot as that user (podman cannot run containers in every sandbox, chroot can), checks /healthz from
# outside and --healthcheck from inside, stops it with SIGTERM and finds the database it wrote; then a tarball
# that `podman import` turns into the image (done here when podman is installed).
#   sudo bash packaging/container/rootfs.sh build/ci/packages/tertulia-server_0.1.0_amd64.deb [OUT.tar]
set -euo pipefail
deb=$(realpath "$1")
out=$(realpath -m "${2:-tertulia-server-rootfs.tar}")
mirror=${TERTULIA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
fail() { echo "rootfs: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (mmdebstrap, mount, chroot)"
[ -f "$deb" ] || fail "no package at $1 (cpack -G DEB in a build tree makes it)"

work=$(mktemp -d)
rootfs="$work/rootfs"
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    umount "$rootfs/proc" "$rootfs/dev" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mmdebstrap --variant=minbase --include=ca-certificates \
    --customize-hook="copy-in $deb /tmp" \
    --customize-hook="chroot \"\$1\" apt-get install -y -qq --no-install-recommends /tmp/$(basename "$deb")" \
    --customize-hook='chroot "$1" useradd --uid 10001 --no-create-home --home-dir /var/lib/tertulia --shell /usr/sbin/nologin tertulia' \
    --customize-hook='chroot "$1" install -d -o tertulia -g tertulia -m 0700 /var/lib/tertulia' \
    --customize-hook='rm -f "$1"/tmp/*.deb; chroot "$1" apt-get clean' \
    bookworm "$rootfs" "$mirror"

# ---- smoke test: the server in the root filesystem, as uid 10001, on a free port ----
mount --bind /proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"
mkfifo "$work/stdout"
chroot --userspec=10001:10001 "$rootfs" /usr/bin/tertulia-server --config /etc/tertulia/tertulia-server.json \
    --listen 127.0.0.1:0 --data-dir /var/lib/tertulia >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
exec 3<"$work/stdout"
read -r -t 20 url <&3 || fail "the server did not start in the root filesystem: $(cat "$work/stderr")"
url=${url%/}
port=${url##*:}
curl -fsS "$url/healthz" | grep -q '"status":"ok"' || fail "/healthz from outside failed"
chroot --userspec=10001:10001 "$rootfs" /usr/bin/tertulia-server --healthcheck --listen "127.0.0.1:$port" \
    || fail "--healthcheck inside the root filesystem failed"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly"
server_pid=
[ "$(stat -c %u "$rootfs/var/lib/tertulia/tertulia.db")" = 10001 ] || fail "no database written by uid 10001"
umount "$rootfs/proc" "$rootfs/dev"
echo "rootfs: the server ran as uid 10001 in the root filesystem (healthz, --healthcheck, SIGTERM)"

# ---- the image ----
tar -C "$rootfs" --numeric-owner -cf "$out" .
echo "rootfs: $out ($(du -h "$out" | cut -f1))"
if command -v podman >/dev/null; then
    podman import \
        --change 'USER 10001:10001' --change 'VOLUME /var/lib/tertulia' --change 'EXPOSE 7420' \
        --change 'ENTRYPOINT ["/usr/bin/tertulia-server", "--config", "/etc/tertulia/tertulia-server.json", "--listen", "0.0.0.0:7420", "--data-dir", "/var/lib/tertulia"]' \
        "$out" tertulia-server:rootfs
    echo "rootfs: imported as tertulia-server:rootfs"
fi
