// RFC 6455 as the server reads it: a client's bytes after the upgrade, through the decoder every WebSocket
// path uses, and the incremental UTF-8 validator under it. Both are checked against themselves (the same
// bytes cut anywhere give the same messages) and the validator against Qt's own whole-buffer check.
#include "fuzzcheck.h"
#include "server/websocket/utf8validator.h"
#include "server/websocket/websocketdecoder.h"

#include <QtCore/QList>

using namespace Tertulia;
using namespace Tertulia::WebSocket;

namespace {
struct Outcome
{
    WebSocketDecoder::Kind kind;
    QByteArray payload;
    quint16 closeCode;
    friend bool operator==(const Outcome &, const Outcome &) = default;
};

/// Feeds `chunks` as a connection would (keeping an unfinished frame for the next read) and records every
/// result up to the first failure.
QList<Outcome> decodeAll(const QList<QByteArrayView> &chunks)
{
    WebSocketDecoder decoder(4096);
    QList<Outcome> outcomes;
    QByteArray pending;
    for (QByteArrayView chunk : chunks) {
        pending.append(chunk);
        QByteArrayView input(pending);
        for (;;) {
            WebSocketDecoder::Result result = decoder.next(input);
            if (result.kind == WebSocketDecoder::Kind::NeedMore)
                break;
            FUZZ_CHECK(result.kind != WebSocketDecoder::Kind::Failed || !result.error.isEmpty());
            if (result.kind == WebSocketDecoder::Kind::Text)
                FUZZ_CHECK(QByteArrayView(result.payload).isValidUtf8());
            FUZZ_CHECK(result.payload.size() <= 4096);
            outcomes.append({result.kind, result.payload, result.closeCode});
            if (result.kind == WebSocketDecoder::Kind::Failed)
                return outcomes;
        }
        pending = input.toByteArray();
    }
    return outcomes;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte picks where the stream is cut; the rest is the stream.
    const qsizetype step = 1 + data[0] % 7;
    const QByteArrayView stream = Fuzz::bytesOf(data + 1, size - 1);

    QList<QByteArrayView> pieces;
    for (qsizetype at = 0; at < stream.size(); at += step)
        pieces.append(stream.sliced(at, std::min(step, stream.size() - at)));
    FUZZ_CHECK(decodeAll({stream}) == decodeAll(pieces));

    // UTF-8: whole, and fed in pieces, the validator agrees with Qt's check of the whole buffer.
    Utf8Validator whole;
    const bool wholeValid = whole.feed(stream) && whole.isComplete();
    FUZZ_CHECK(wholeValid == stream.isValidUtf8());
    Utf8Validator pieced;
    bool ok = true;
    for (QByteArrayView piece : pieces)
        ok = pieced.feed(piece) && ok;
    FUZZ_CHECK((ok && pieced.isComplete()) == wholeValid);
    return 0;
}
