#pragma once

// QTest::toString overloads for protocol value types, found by ADL, so QCOMPARE failures are readable;
// payloadOf() for reading a reply's or event's data in tests.
#include "shared/protocol/frames.h"

#include <QtTest/QTest>

namespace Tertulia::Test {

/// The payload of a reply or event as its value type; a payload that does not parse is reported (and
/// comes back default-constructed), so the comparison that follows fails readably.
template<typename T>
T payloadOf(const QJsonObject &data)
{
    auto parsed = T::fromJson(data);
    if (auto *error = std::get_if<Protocol::Error>(&parsed)) {
        qWarning() << "payload did not parse:" << Protocol::describe(*error);
        return T{};
    }
    return std::get<T>(parsed);
}

} // namespace Tertulia::Test

namespace Tertulia::Protocol {

inline char *toString(const ChatMessage &message)
{
    return QTest::toString(Tertulia::Protocol::describe(message));
}

inline char *toString(const Error &error) { return QTest::toString(Tertulia::Protocol::describe(error)); }

inline char *toString(const Request &request) { return QTest::toString(QString::fromUtf8(encode(request))); }

inline char *toString(const Reply &reply) { return QTest::toString(QString::fromUtf8(encode(reply))); }

inline char *toString(const Event &event) { return QTest::toString(QString::fromUtf8(encode(event))); }

} // namespace Tertulia::Protocol
