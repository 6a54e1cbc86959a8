#pragma once

#include <QtCore/QBitArray>
#include <QtCore/QByteArray>

#include <optional>

namespace Tertulia {

/// A QR code as dark/light modules, for the UI to paint (scaled, with a quiet zone of 4 modules
/// around it, which this matrix does not include).
struct QrMatrix
{
    int size = 0;         ///< modules per side: 21 for version 1, +4 per version
    int version = 0;
    QBitArray modules;    ///< row-major, size * size, true = dark

    bool at(int x, int y) const
    {
        return x >= 0 && y >= 0 && x < size && y < size && modules.testBit(y * size + x);
    }
};

/// Encodes bytes (a URL, as UTF-8) with libqrencode: 8-bit mode, error correction level M (15 %,
/// enough for a screen photographed at an angle), the smallest version that fits. nullopt for empty
/// input or more than a QR code holds (about 2300 bytes at level M).
std::optional<QrMatrix> encodeQr(const QByteArray &text);

} // namespace Tertulia
