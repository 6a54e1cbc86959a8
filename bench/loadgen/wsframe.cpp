#include "wsframe.h"

#include <cstring>

#include <sodium.h>

namespace Tertulia::Bench::Ws {

void appendClientFrame(std::string &out, Opcode opcode, std::string_view payload, uint32_t maskKey)
{
    const size_t length = payload.size();
    char header[14];
    size_t h = 0;
    header[h++] = static_cast<char>(0x80 | static_cast<uint8_t>(opcode));
    if (length < 126) {
        header[h++] = static_cast<char>(0x80 | length);
    } else if (length <= 0xFFFF) {
        header[h++] = static_cast<char>(0x80 | 126);
        header[h++] = static_cast<char>(length >> 8);
        header[h++] = static_cast<char>(length & 0xFF);
    } else {
        header[h++] = static_cast<char>(0x80 | 127);
        for (int i = 7; i >= 0; --i)
            header[h++] = static_cast<char>((uint64_t(length) >> (8 * i)) & 0xFF);
    }
    std::memcpy(header + h, &maskKey, 4);
    h += 4;
    const size_t start = out.size();
    out.append(header, h);
    out.append(payload);
    applyMask(out.data() + start + h, length, maskKey);
}

ParseStatus parseHeader(std::string_view data, FrameHeader &out, bool expectMasked, uint64_t maxPayload)
{
    if (data.size() < 2)
        return ParseStatus::NeedMore;
    const auto b0 = static_cast<uint8_t>(data[0]);
    const auto b1 = static_cast<uint8_t>(data[1]);
    if (b0 & 0x70)
        return ParseStatus::Error;          // RSV1-3 without a negotiated extension
    const uint8_t op = b0 & 0x0F;
    const bool control = op & 0x08;
    if (op != 0x0 && op != 0x1 && op != 0x2 && op != 0x8 && op != 0x9 && op != 0xA)
        return ParseStatus::Error;
    out.fin = b0 & 0x80;
    out.opcode = static_cast<Opcode>(op);
    out.masked = b1 & 0x80;
    if (out.masked != expectMasked)
        return ParseStatus::Error;
    uint64_t length = b1 & 0x7F;
    size_t h = 2;
    if (length == 126) {
        if (data.size() < 4)
            return ParseStatus::NeedMore;
        length = (uint64_t(static_cast<uint8_t>(data[2])) << 8) | static_cast<uint8_t>(data[3]);
        if (length < 126)
            return ParseStatus::Error;      // not the minimal encoding (RFC 6455 5.2)
        h = 4;
    } else if (length == 127) {
        if (data.size() < 10)
            return ParseStatus::NeedMore;
        length = 0;
        for (size_t i = 2; i < 10; ++i)
            length = (length << 8) | static_cast<uint8_t>(data[i]);
        if (length <= 0xFFFF || (length >> 63))
            return ParseStatus::Error;
        h = 10;
    }
    if (control && (!out.fin || length > 125))
        return ParseStatus::Error;
    if (length > maxPayload)
        return ParseStatus::Error;
    if (out.masked) {
        if (data.size() < h + 4)
            return ParseStatus::NeedMore;
        std::memcpy(&out.maskKey, data.data() + h, 4);
        h += 4;
    } else {
        out.maskKey = 0;
    }
    out.payloadLength = length;
    out.headerLength = h;
    return ParseStatus::Ok;
}

void applyMask(char *data, size_t length, uint32_t maskKey)
{
    // Whole 32-bit words first (the key's byte order matches the wire because it was memcpy'd), then
    // the tail byte by byte.
    size_t i = 0;
    for (; i + 4 <= length; i += 4) {
        uint32_t word;
        std::memcpy(&word, data + i, 4);
        word ^= maskKey;
        std::memcpy(data + i, &word, 4);
    }
    unsigned char key[4];
    std::memcpy(key, &maskKey, 4);
    for (; i < length; ++i)
        data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ key[i % 4]);
}

std::string makeHandshakeKey()
{
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char encoded[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(encoded, sizeof encoded, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
    return encoded;
}

} // namespace Tertulia::Bench::Ws
