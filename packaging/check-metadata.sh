#!/usr/bin/env bash
# Checks the packaging files that need no build: the .desktop file (desktop-file-validate), the AppStream
# metainfo (appstreamcli), the systemd unit's exposure score (systemd-analyze security, at most 2.0), the
# macOS Info.plist template (well-formed, with the keys macOS needs) and the man pages (groff warnings).
#   bash packaging/check-metadata.sh
set -euo pipefail
cd "$(dirname "$0")"

desktop-file-validate linux/org.tertulia.Tertulia.desktop
appstreamcli validate --no-net --explain linux/org.tertulia.Tertulia.metainfo.xml

# The score: "→ Overall exposure level for tertulia-server.service: 1.1 OK".
score=$(systemd-analyze security --offline=yes linux/tertulia-server.service 2>/dev/null \
    | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "check-metadata: no exposure score from systemd-analyze" >&2; exit 1; }
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
    echo "check-metadata: tertulia-server.service scores $score, above 2.0:" >&2
    systemd-analyze security --offline=yes linux/tertulia-server.service | grep '✗' >&2
    exit 1
fi
echo "check-metadata: tertulia-server.service exposure $score (limit 2.0)"

python3 - macos/Info.plist.in <<'EOF'
import plistlib, sys
plist = plistlib.load(open(sys.argv[1], 'rb'))
need = ['NSLocalNetworkUsageDescription', 'CFBundleURLTypes', 'CFBundleIconFile', 'CFBundleIdentifier']
missing = [k for k in need if k not in plist]
schemes = [s for t in plist.get('CFBundleURLTypes', []) for s in t.get('CFBundleURLSchemes', [])]
if missing or 'tertulia' not in schemes:
    sys.exit(f"check-metadata: Info.plist.in lacks {missing or 'the tertulia:// scheme'}")
print("check-metadata: Info.plist.in has the local-network text, tertulia:// and the icon")
EOF

for page in man/*.1; do
    warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
    [ -z "$warnings" ] || { echo "check-metadata: $page: $warnings" >&2; exit 1; }
done
echo "check-metadata: ok"
