// Socket.IO v5 packets as the server reassembles them from one connection's Engine.IO messages: the first
// byte of each chunk says text or binary, so binary events with attachments are reached too.
#include "fuzzcheck.h"
#include "server/socketio/socketiodecoder.h"

using namespace Tertulia;
using namespace Tertulia::SocketIo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Fuzz::bytesOf(data, size);
    // One packet on its own, as decode() sees a text frame.
    const QString whole = QString::fromUtf8(bytes);
    const auto single = decode(whole);
    if (const auto *packet = std::get_if<Packet>(&single)) {
        FUZZ_CHECK(packet->attachments >= 0 && packet->attachments <= 10);
        if (!packet->isBinary()) {
            const auto again = decode(encode(*packet));
            FUZZ_CHECK(std::holds_alternative<Packet>(again) && std::get<Packet>(again) == *packet);
        }
    }
    (void)parseJsonValue(whole);

    // A connection: messages separated by 0x1e; a message starting with 'B' is binary.
    Decoder decoder;
    for (QByteArrayView chunk : QByteArray::fromRawData(bytes.data(), bytes.size()).split('\x1e')) {
        const bool binary = chunk.startsWith('B');
        const auto result = binary ? decoder.addBinary(chunk.sliced(1).toByteArray())
                                   : decoder.addText(QString::fromUtf8(chunk));
        if (std::holds_alternative<DecodeError>(result))
            break; // the connection closes on any error
        if (const auto &complete = std::get<std::optional<CompletePacket>>(result)) {
            FUZZ_CHECK(complete->attachments.size() == complete->packet.attachments);
            FUZZ_CHECK(placeholdersValid(complete->packet.data, int(complete->attachments.size())));
        }
        FUZZ_CHECK(decoder.bufferedBytes() >= 0);
    }
    return 0;
}
