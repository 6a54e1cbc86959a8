#pragma once

// The contract every CredentialStore keeps, written once and run against each implementation.
#include "app/storage/credentialstore.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

namespace Tertulia::Testing {

/// Runs one store call and waits for its answer; checks that the answer never comes inside the call.
template<typename Call>
std::optional<CredentialStore::Result> await(Call call, int timeoutMs = 15000)
{
    QObject context;
    std::optional<CredentialStore::Result> result;
    bool returned = false;
    bool answeredInside = false;
    call(&context, [&](const CredentialStore::Result &r) {
        answeredInside = !returned;
        result = r;
    });
    returned = true;
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return std::nullopt;
    if (answeredInside)
        qWarning("the store answered synchronously");
    return answeredInside ? std::nullopt : result;
}

/// Stores, reads, overwrites, deletes; a deleted or unknown key reads as NotFound; keys are apart.
inline void checkRoundTrip(CredentialStore &store, const QString &key, const QString &otherKey)
{
    using Error = CredentialStore::Error;
    const QString token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-ñ");

    auto result = await([&](QObject *c, auto done) { store.read(key, c, done); });
    QVERIFY(result);
    QCOMPARE(result->error, Error::NotFound);

    result = await([&](QObject *c, auto done) { store.write(key, token, c, done); });
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->message));

    result = await([&](QObject *c, auto done) { store.read(key, c, done); });
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->message));
    QCOMPARE(result->secret, token);

    result = await([&](QObject *c, auto done) { store.read(otherKey, c, done); });
    QVERIFY(result);
    QCOMPARE(result->error, Error::NotFound);

    result = await([&](QObject *c, auto done) { store.write(key, QStringLiteral("rotated"), c, done); });
    QVERIFY(result && result->ok());
    result = await([&](QObject *c, auto done) { store.read(key, c, done); });
    QVERIFY(result && result->ok());
    QCOMPARE(result->secret, QStringLiteral("rotated"));

    result = await([&](QObject *c, auto done) { store.remove(key, c, done); });
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->message));
    result = await([&](QObject *c, auto done) { store.read(key, c, done); });
    QVERIFY(result);
    QCOMPARE(result->error, Error::NotFound);
}

/// A context that dies before the answer: the callback never runs.
inline void checkDeadContextIsNotCalled(CredentialStore &store, const QString &key)
{
    bool called = false;
    {
        QObject context;
        store.read(key, &context, [&called](const CredentialStore::Result &) { called = true; });
    }
    // The answer (if any) would come from the event loop; a later call on a live context proves
    // the earlier one had its chance.
    const auto after = await([&](QObject *c, auto done) { store.read(key, c, done); });
    QVERIFY(after);
    QVERIFY(!called);
}

} // namespace Tertulia::Testing
