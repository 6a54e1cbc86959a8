#pragma once

// The content of tests/data/upgrade/server-schema2.db: what tertulia-store-fixture writes through the Store
// of the release that made the file, and what tst_storeupgrade expects to find after any later release has
// opened (and migrated) it. Never change what is written here: make a new fixture for a new schema instead.
#include "server/store/store.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>

namespace Tertulia::StoreFixture {

inline const QString kUnicode = QStringLiteral("¡Hola, señora! Ünïcödé y emoji 🎉");

/// Appends and waits for the commit (the tool and tests run an event loop meanwhile).
inline bool appendNow(Store &store, const RoomRecord &room, const QString &sender, const QString &id, const QString &text)
{
    bool done = false;
    bool ok = false;
    store.append(AppendRequest{room, sender, id, text}, [&](const StoreResult<AppendResult> &result) {
        ok = std::holds_alternative<AppendResult>(result);
        done = true;
    });
    store.flush();
    QDeadlineTimer deadline(10000);
    while (!done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return ok;
}

/// Writes the fixture's content into an empty store. False on the first failure.
inline bool write(Store &store)
{
    const auto user = [&](const QString &name, bool admin, qint64 at) {
        return std::holds_alternative<UserRecord>(store.createUser(UserRecord{name, "argon2id$fixture-" + name.toUtf8(), admin, at}));
    };
    if (!user(QStringLiteral("alice"), true, 1764000000) || !user(QStringLiteral("bob"), false, 1764000100)
        || !user(QStringLiteral("carol"), false, 1764000200))
        return false;
    if (!store.createLogin(LoginRecord{QStringLiteral("login-alice"), QStringLiteral("alice"), QStringLiteral("jti-a1"),
                                       false, 1999999999, QStringLiteral("Tertulia 0.1.0 on fixture (Linux)"), 1764000300,
                                       1764000400})
        || !store.createLogin(LoginRecord{QStringLiteral("login-bob"), QStringLiteral("bob"), QStringLiteral("jti-b1"), false,
                                          1999999999, QStringLiteral("curl/8"), 1764000500, 1764000500})
        || !store.revokeLogin(QStringLiteral("login-bob")))
        return false;
    const auto room = [&](const QString &name, bool isPrivate) {
        const auto made = store.createRoom(RoomRecord{0, name, isPrivate, QStringLiteral("alice"), 0, 1764000600});
        return std::holds_alternative<RoomRecord>(made) ? std::get<RoomRecord>(made) : RoomRecord{};
    };
    const RoomRecord general = room(QStringLiteral("general"), false);
    const RoomRecord secret = room(QStringLiteral("secret"), true);
    if (general.id == 0 || secret.id == 0)
        return false;
    if (!store.addMember(general.id, QStringLiteral("alice")) || !store.addMember(general.id, QStringLiteral("bob"))
        || !store.addMember(general.id, QStringLiteral("carol")) || !store.addMember(secret.id, QStringLiteral("alice"))
        || !store.addInvite(secret.id, QStringLiteral("bob"), QStringLiteral("alice")))
        return false;
    if (!appendNow(store, general, QStringLiteral("alice"), QStringLiteral("m1"), QStringLiteral("first message"))
        || !appendNow(store, general, QStringLiteral("bob"), QStringLiteral("m2"), kUnicode)
        || !appendNow(store, general, QStringLiteral("carol"), QStringLiteral("m3"), QStringLiteral("carol was here"))
        || !appendNow(store, secret, QStringLiteral("alice"), QStringLiteral("m4"), QStringLiteral("just me")))
        return false;
    return store.deleteUser(QStringLiteral("carol"), 1764000700);
}

} // namespace Tertulia::StoreFixture
