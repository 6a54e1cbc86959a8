// Engine.IO v4: a polling request body (packets joined by the record separator) and a WebSocket text frame.
#include "fuzzcheck.h"
#include "server/socketio/engineiopacket.h"

using namespace Tertulia;
using namespace Tertulia::EngineIo;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Fuzz::bytesOf(data, size);
    const auto payload = decodePayload(bytes);
    if (const auto *packets = std::get_if<QList<Packet>>(&payload)) {
        FUZZ_CHECK(!packets->isEmpty());
        // What the server accepted, written as a response body and read again, is the same packets.
        const auto again = decodePayload(encodePayload(*packets));
        FUZZ_CHECK(std::holds_alternative<QList<Packet>>(again) && std::get<QList<Packet>>(again) == *packets);
    } else {
        FUZZ_CHECK(!describe(std::get<DecodeError>(payload)).isEmpty());
    }
    const QString text = QString::fromUtf8(bytes);
    const auto single = decodeText(text);
    if (const auto *packet = std::get_if<Packet>(&single)) {
        const auto again = decodeText(encodeText(*packet));
        FUZZ_CHECK(std::holds_alternative<Packet>(again) && std::get<Packet>(again) == *packet);
    }
    return 0;
}
