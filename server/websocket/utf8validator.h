#pragma once

#include <QtCore/QByteArrayView>

namespace Tertulia::WebSocket {

/// Checks UTF-8 incrementally: a text message may arrive in fragments cut anywhere, even inside a character,
/// and must still fail as early as its first invalid byte (RFC 6455 section 8.1). Strict UTF-8 as in the
/// Unicode standard (table 3-7): no overlong forms, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF.
///
/// Written by hand because Qt offers only whole-buffer checks (QByteArrayView::isValidUtf8, QStringDecoder
/// per call); QtWebSockets uses one per frame and so rejects a valid character split across two frames.
class Utf8Validator
{
public:
    /// Consumes the next bytes. False as soon as they cannot be part of valid UTF-8; the validator then stays
    /// failed until reset().
    bool feed(QByteArrayView bytes);
    /// True when everything fed so far is valid and no character is left unfinished.
    bool isComplete() const { return !m_failed && m_pending == 0; }
    bool hasFailed() const { return m_failed; }
    void reset() { *this = Utf8Validator(); }

private:
    quint8 m_pending = 0;   ///< continuation bytes still expected for the current character
    quint8 m_lower = 0x80;  ///< the range the next continuation byte must be in (narrower for the first one
    quint8 m_upper = 0xBF;  ///< after E0, ED, F0 and F4)
    bool m_failed = false;
};

} // namespace Tertulia::WebSocket
