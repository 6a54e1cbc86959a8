#!/usr/bin/env bash
# Renders the SVG sources here into the PNGs the app embeds (1x and @2x for high-DPI screens).
# PNGs rather than SVGs at run time: Qt's SVG plugin (libqt6svg6) would be one more package to install
# everywhere for five small icons. Needs rsvg-convert (Debian: librsvg2-bin). Rerun after editing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256; do
    rsvg-convert -w "$size" -h "$size" tertulia.svg -o "tertulia-$size.png"
done
for icon in lock presence-online presence-away presence-offline; do
    rsvg-convert -w 16 -h 16 "$icon.svg" -o "$icon.png"
    rsvg-convert -w 32 -h 32 "$icon.svg" -o "$icon@2x.png"
done
# The installers' icons (packaging/): Windows' .ico with every size (ImageMagick) and macOS' .icns
# (icnsutils' png2icns takes 16, 32, 128 and 256).
convert tertulia-16.png tertulia-24.png tertulia-32.png tertulia-48.png tertulia-64.png tertulia-128.png \
    tertulia-256.png tertulia.ico
png2icns tertulia.icns tertulia-16.png tertulia-32.png tertulia-128.png tertulia-256.png
