#include "server/websocket/utf8validator.h"

#include <cstring>

namespace Tertulia::WebSocket {

bool Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_failed)
        return false;
    const auto *p = reinterpret_cast<const quint8 *>(bytes.data());
    const quint8 *const end = p + bytes.size();
    while (p < end) {
        if (m_pending == 0) {
            // JSON is mostly ASCII: skip eight such bytes at a time.
            while (end - p >= 8) {
                quint64 word;
                std::memcpy(&word, p, 8);
                if (word & 0x8080808080808080ull)
                    break;
                p += 8;
            }
            if (p == end)
                break;
            const quint8 lead = *p++;
            if (lead < 0x80)
                continue;
            m_lower = 0x80;
            m_upper = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                m_pending = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                m_pending = 2;
                if (lead == 0xE0)
                    m_lower = 0xA0; // overlong below U+0800
                else if (lead == 0xED)
                    m_upper = 0x9F; // surrogates U+D800-U+DFFF
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                m_pending = 3;
                if (lead == 0xF0)
                    m_lower = 0x90; // overlong below U+10000
                else if (lead == 0xF4)
                    m_upper = 0x8F; // above U+10FFFF
            } else {
                // 80-BF: a continuation byte without a lead; C0, C1: overlong; F5-FF: never in UTF-8.
                m_failed = true;
                return false;
            }
        } else {
            const quint8 next = *p++;
            if (next < m_lower || next > m_upper) {
                m_failed = true;
                return false;
            }
            m_lower = 0x80;
            m_upper = 0xBF;
            --m_pending;
        }
    }
    return true;
}

} // namespace Tertulia::WebSocket
