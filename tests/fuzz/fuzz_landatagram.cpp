// A LAN discovery datagram: anyone on the network can send one to the discovery port.
#include "fuzzcheck.h"
#include "app/lan/lanmessage.h"

using namespace Tertulia;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray datagram = Fuzz::bytesOf(data, size).toByteArray();
    const auto message = LanMessage::parse(datagram);
    if (!message)
        return 0;
    FUZZ_CHECK(datagram.size() <= LanMessage::kMaxDatagramBytes);
    FUZZ_CHECK(message->intervalMs >= LanMessage::kMinIntervalMs && message->intervalMs <= LanMessage::kMaxIntervalMs);
    // A parsed datagram, announced again, reads back the same and still fits one datagram.
    const QByteArray encoded = message->encode();
    FUZZ_CHECK(encoded.size() <= LanMessage::kMaxDatagramBytes);
    const auto again = LanMessage::parse(encoded);
    FUZZ_CHECK(again && *again == *message);
    return 0;
}
