#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

namespace Tertulia::Files {

/// What an upload's first bytes say it is (docs/protocol.md#files). Only these four image formats are
/// shown inline; everything else is stored as it came and served as an attachment.
enum class Kind { Other, Png, Jpeg, Gif, WebP };

struct Sniffed
{
    Kind kind = Kind::Other;
    int width = 0;   ///< pixels, from the image's header; 0 when it could not be read (then it is not an image)
    int height = 0;
    bool isImage() const { return kind != Kind::Other; }
};

/// The media type the server stores and serves for a kind ("application/octet-stream" for Other).
QString mediaType(Kind kind);

/// Reads the format and the size of an image from its header: the magic bytes, then PNG's IHDR, GIF's logical
/// screen, JPEG's first SOFn segment, WebP's VP8/VP8L/VP8X chunk. Written by hand because the server does not
/// link QtGui (QImageReader would bring the GUI library and its image plugins into a headless server, and
/// would decode more than it needs to from untrusted bytes); each parser only reads within `bytes`, so a
/// truncated or hostile header gives Other, never a read past the end (tests/server/files, fuzz_filetype).
/// An image whose size cannot be read, or is 0 or above 65 535 in either direction for the formats that
/// allow more, is Other: it is then served as an attachment, never inline.
Sniffed sniff(QByteArrayView bytes);

/// Whether a declared Content-Type agrees with what the bytes are: an image must be declared as its own
/// type; anything else may be declared as anything but one of the four image types (then it would be served
/// as something it is not).
bool declaredTypeAgrees(QByteArrayView declaredContentType, Kind kind);

} // namespace Tertulia::Files
