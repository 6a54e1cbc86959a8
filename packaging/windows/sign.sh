#!/usr/bin/env bash
# Signs a Windows executable or installer with Authenticode (osslsigncode: Debian, Ubuntu, macOS) and checks
# the signature. Releases sign bin\*.exe after `cmake --install` and before `cpack`, then the installer;
# on Windows `signtool sign /fd sha256 /tr URL /td sha256 /f cert.pfx FILE` does the same.
#   packaging/windows/sign.sh FILE CERT.pfx [TIMESTAMP_URL]      (the .pfx password in $TERTULIA_SIGN_PASSWORD)
# .ci/package-test signs the compiled NSIS installer with a throw-away certificate to keep this path working.
set -euo pipefail
file=$1 pfx=$2 timestamp=${3:-}
signed="$file.signed"
args=(sign -pkcs12 "$pfx" -pass "${TERTULIA_SIGN_PASSWORD:-}" -h sha256 -n Tertulia -i https://example.invalid/tertulia
      -in "$file" -out "$signed")
[ -n "$timestamp" ] && args+=(-ts "$timestamp")
osslsigncode "${args[@]}" >/dev/null
mv "$signed" "$file"
osslsigncode verify -in "$file" ${TERTULIA_SIGN_CA:+-CAfile "$TERTULIA_SIGN_CA"} >/dev/null
echo "sign: $file signed and verified"
