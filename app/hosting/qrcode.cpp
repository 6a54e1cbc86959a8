#include "app/hosting/qrcode.h"

#include <qrencode.h>

#include <memory>

namespace Tertulia {

std::optional<QrMatrix> encodeQr(const QByteArray &text)
{
    if (text.isEmpty())
        return std::nullopt;
    // encodeData, not encodeString: the bytes go in as they are (a NUL or a non-ASCII byte included),
    // with no mode guessing that could change a URL's case.
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(text.size()), reinterpret_cast<const unsigned char *>(text.constData()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return std::nullopt;
    QrMatrix matrix;
    matrix.size = code->width;
    matrix.version = code->version;
    matrix.modules.resize(matrix.size * matrix.size);
    for (int i = 0; i < matrix.size * matrix.size; ++i)
        matrix.modules.setBit(i, code->data[i] & 1); // bit 0 is dark; the others describe the module's role
    return matrix;
}

} // namespace Tertulia
