#pragma once

// QTest::toString overloads for protocol value types, found by ADL, so QCOMPARE failures are readable.
#include "shared/protocol/frames.h"

#include <QtTest/QTest>

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
