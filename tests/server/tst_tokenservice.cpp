// TokenService with a login another node made (issue 9): this node's check of such an access token reads the
// store off the event loop, answers later, and never lets a read that a revocation overtook make the login
// live here. Two services on one SQLite file (its writer on a thread of its own) stand for two nodes.
#include "server/auth/tokenservice.h"
#include "server/store/sqlitestore.h"
#include "support/testmain.h"

#include <QtCore/QDateTime>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <sodium.h>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
/// Two nodes sharing a store and a secret; `here` loaded its logins before `elsewhere` made any.
struct TwoNodes
{
    QTemporaryDir dir;
    SqliteStore store{SqliteStore::Options{dir.filePath(u"t.db"_s)}};
    std::unique_ptr<TokenService> elsewhere;
    std::unique_ptr<TokenService> here;

    bool start()
    {
        QString error;
        if (sodium_init() < 0 || !store.open(&error))
            return false;
        const TokenService::Options options{QByteArray(32, 'k')};
        elsewhere = std::make_unique<TokenService>(options, store);
        here = std::make_unique<TokenService>(options, store);
        here->loadLogins();
        return true;
    }
    /// An account and a login made on the other node: its token pair.
    Protocol::TokenPair signInElsewhere(const QString &user)
    {
        store.createUser(UserRecord{user, QByteArray("x"), false, 1});
        const auto pair = elsewhere->issue(user);
        return std::holds_alternative<Protocol::TokenPair>(pair) ? std::get<Protocol::TokenPair>(pair)
                                                                  : Protocol::TokenPair{};
    }
    /// The login id (`sid`) an access token names.
    QString loginOf(const QString &accessToken)
    {
        const auto verified = elsewhere->verifyAccess(accessToken);
        return std::holds_alternative<Jwt::Claims>(verified) ? std::get<Jwt::Claims>(verified).sessionId : QString();
    }
};

/// What an asynchronous check answered, once it has.
struct Answer
{
    std::optional<TokenService::Verified> verified;
    bool accepted() const { return verified && std::holds_alternative<Jwt::Claims>(*verified); }
    Protocol::ErrorCode refusal() const { return std::get<Protocol::Error>(*verified).code; }
};
} // namespace

class TestTokenService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A login another node made is read from the store later, not in the call; the token is accepted then,
        and from then on the login is held here and answered at once. */
    void otherNodesLoginIsReadLater()
    {
        TwoNodes nodes;
        QVERIFY(nodes.start());
        const Protocol::TokenPair pair = nodes.signInElsewhere(u"ana"_s);
        QVERIFY(!pair.accessToken.isEmpty());
        QObject asker;
        Answer first;
        nodes.here->verifyAccess(pair.accessToken, &asker, [&](const TokenService::Verified &v) { first.verified = v; });
        QVERIFY(!first.verified); // the store answers through the event loop
        QTRY_VERIFY(first.verified);
        QVERIFY(first.accepted());
        Answer second;
        nodes.here->verifyAccess(pair.accessToken, &asker, [&](const TokenService::Verified &v) { second.verified = v; });
        QVERIFY(second.accepted()); // held now: answered in the call
    }

    /*! Not genuine, or a login nobody made: refused; a token of a deleted account: account_deleted. A
        check whose asker is gone answers nobody. */
    void refusals()
    {
        TwoNodes nodes;
        QVERIFY(nodes.start());
        QObject asker;
        Answer forged;
        nodes.here->verifyAccess(u"not.a.token"_s, &asker, [&](const TokenService::Verified &v) { forged.verified = v; });
        QVERIFY(forged.verified); // nothing to ask the store
        QCOMPARE(forged.refusal(), Protocol::ErrorCode::AuthFailed);

        const Protocol::TokenPair gone = nodes.signInElsewhere(u"bob"_s);
        QVERIFY(nodes.store.deleteUser(u"bob"_s, 1));
        Answer deleted;
        nodes.here->verifyAccess(gone.accessToken, &asker, [&](const TokenService::Verified &v) { deleted.verified = v; });
        QTRY_VERIFY(deleted.verified);
        QCOMPARE(deleted.refusal(), Protocol::ErrorCode::AccountDeleted);

        const Protocol::TokenPair pair = nodes.signInElsewhere(u"carl"_s);
        auto leaving = std::make_unique<QObject>();
        bool called = false;
        nodes.here->verifyAccess(pair.accessToken, leaving.get(), [&](const TokenService::Verified &) { called = true; });
        leaving.reset();
        Answer later; // asked after it, answered after it (one read for both)
        nodes.here->verifyAccess(pair.accessToken, &asker, [&](const TokenService::Verified &v) { later.verified = v; });
        QTRY_VERIFY(later.verified);
        QVERIFY(later.accepted());
        QVERIFY(!called);
    }

    /*! A token checked once (checkAccessToken(), as a connect does before reading the account) and handed on:
        accepted like the token itself; its refusal handed on as it is; and claims that expired since the check
        are refused as expired, not taken on the word of the earlier check. */
    void checkedOnceThenVerified()
    {
        TwoNodes nodes;
        QVERIFY(nodes.start());
        const Protocol::TokenPair pair = nodes.signInElsewhere(u"dora"_s);
        QObject asker;
        const TokenService::Verified checked = nodes.here->checkAccessToken(pair.accessToken);
        QVERIFY(std::holds_alternative<Jwt::Claims>(checked));
        Answer accepted;
        nodes.here->verifyAccess(checked, &asker, [&](const TokenService::Verified &v) { accepted.verified = v; });
        QTRY_VERIFY(accepted.verified);
        QVERIFY(accepted.accepted());
        QCOMPARE(std::get<Jwt::Claims>(*accepted.verified).subject, u"dora"_s);

        Answer forged;
        nodes.here->verifyAccess(nodes.here->checkAccessToken(u"not.a.token"_s), &asker,
                                 [&](const TokenService::Verified &v) { forged.verified = v; });
        QVERIFY(forged.verified);
        QCOMPARE(forged.refusal(), Protocol::ErrorCode::AuthFailed);

        Jwt::Claims expired = std::get<Jwt::Claims>(checked);
        expired.expiresAt = QDateTime::currentSecsSinceEpoch() - 1;
        Answer late;
        nodes.here->verifyAccess(TokenService::Verified{expired}, &asker,
                                 [&](const TokenService::Verified &v) { late.verified = v; });
        QVERIFY(late.verified); // answered in the call: nothing to ask the store
        QCOMPARE(late.refusal(), Protocol::ErrorCode::TokenExpired);
    }

    /*! The revocation race: the read of a login starts, the login is revoked (on another node) and this node
        hears of it (forget(), the bus's fact) before the read answers. The read saw the login live, but it
        must not make it live here after the revocation: the check is refused. */
    void revocationHeardDuringTheReadWins()
    {
        TwoNodes nodes;
        QVERIFY(nodes.start());
        const Protocol::TokenPair pair = nodes.signInElsewhere(u"dora"_s);
        const QString login = nodes.loginOf(pair.accessToken);
        QVERIFY(!login.isEmpty());
        QObject asker;
        Answer answer;
        nodes.here->verifyAccess(pair.accessToken, &asker, [&](const TokenService::Verified &v) { answer.verified = v; });
        nodes.elsewhere->revoke(login); // after the read on the writer (one FIFO): the read saw it live
        nodes.here->forget(login);      // the fact, heard before the read's answer
        QTRY_VERIFY(answer.verified);
        QVERIFY(!answer.accepted());
        QCOMPARE(answer.refusal(), Protocol::ErrorCode::AuthFailed);
        // And the login stays refused here.
        Answer again;
        nodes.here->verifyAccess(pair.accessToken, &asker, [&](const TokenService::Verified &v) { again.verified = v; });
        QTRY_VERIFY(again.verified);
        QVERIFY(!again.accepted());
    }

    /*! The same for a user's every login ended (a password change elsewhere, forgetRevoked()) and for an
        account deleted elsewhere (forgetUser()). */
    void userWideRevocationDuringTheRead()
    {
        TwoNodes nodes;
        QVERIFY(nodes.start());
        const Protocol::TokenPair ida = nodes.signInElsewhere(u"ida"_s);
        const Protocol::TokenPair gus = nodes.signInElsewhere(u"gus"_s);
        QObject asker;
        Answer idaAnswer;
        Answer gusAnswer;
        nodes.here->verifyAccess(ida.accessToken, &asker, [&](const TokenService::Verified &v) { idaAnswer.verified = v; });
        nodes.here->verifyAccess(gus.accessToken, &asker, [&](const TokenService::Verified &v) { gusAnswer.verified = v; });
        const auto ended = nodes.elsewhere->revokeAllOf(u"ida"_s);
        QVERIFY(std::holds_alternative<QList<QString>>(ended));
        nodes.here->forgetRevoked(u"ida"_s, {}, ended);
        QVERIFY(nodes.store.deleteUser(u"gus"_s, 1));
        nodes.here->forgetUser(u"gus"_s);
        QTRY_VERIFY(idaAnswer.verified && gusAnswer.verified);
        QVERIFY(!idaAnswer.accepted() && !gusAnswer.accepted());
        QCOMPARE(idaAnswer.refusal(), Protocol::ErrorCode::AuthFailed);
        QCOMPARE(gusAnswer.refusal(), Protocol::ErrorCode::AccountDeleted);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
