// The account API's errors mapped to what the sign-in screen says: HTTP status plus JSON error body,
// or the network error when no server answered.
#include "app/net/autherror.h"

#include <QtTest/QTest>

using namespace Tertulia;
using Code = AuthError::Code;
using Endpoint = AuthError::Endpoint;

Q_DECLARE_METATYPE(Tertulia::AuthError::Code)
Q_DECLARE_METATYPE(Tertulia::AuthError::Endpoint)

class TestAuthError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Every documented error reply maps to its own code; unknown bodies fall back by status. */
    void mapping_data();
    void mapping();
    /*! Only errors that may go away by themselves are transient; every code has a message. */
    void transientAndMessages();
};

void TestAuthError::mapping_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QNetworkReply::NetworkError>("network");
    QTest::addColumn<Code>("expected");
    QTest::addColumn<QString>("detail");

    const auto body = [](const char *code, const char *message) {
        return QByteArray(R"({"error":{"code":")") + code + R"(","message":")" + message + R"("}})";
    };
    const auto none = QNetworkReply::NoError;
    QTest::newRow("login 401") << Endpoint::Login << 401 << body("auth_failed", "bad credentials")
                               << QNetworkReply::AuthenticationRequiredError << Code::WrongCredentials
                               << QStringLiteral("bad credentials");
    QTest::newRow("refresh 401") << Endpoint::Refresh << 401 << body("auth_failed", "revoked")
                                 << QNetworkReply::AuthenticationRequiredError << Code::SessionExpired
                                 << QStringLiteral("revoked");
    QTest::newRow("logout 401") << Endpoint::Logout << 401 << body("auth_failed", "x") << none
                                << Code::SessionExpired << QStringLiteral("x");
    QTest::newRow("name taken") << Endpoint::Register << 409 << body("conflict", "the name 'alice' is taken")
                                << QNetworkReply::ContentConflictError << Code::NameTaken
                                << QStringLiteral("the name 'alice' is taken");
    QTest::newRow("invalid name") << Endpoint::Register << 400 << body("invalid_name", "bad name") << none
                                  << Code::InvalidName << QStringLiteral("bad name");
    QTest::newRow("short password") << Endpoint::Register << 400 << body("bad_request", "password too short")
                                    << none << Code::InvalidPassword << QStringLiteral("password too short");
    QTest::newRow("registration closed") << Endpoint::Register << 403 << body("registration_closed", "closed")
                                         << QNetworkReply::ContentAccessDenied << Code::RegistrationClosed
                                         << QStringLiteral("closed");
    QTest::newRow("rate limited") << Endpoint::Login << 429 << body("rate_limited", "retry in 3 s") << none
                                  << Code::RateLimited << QStringLiteral("retry in 3 s");
    QTest::newRow("busy") << Endpoint::Login << 503 << body("unavailable", "shutting down") << none
                          << Code::ServerBusy << QStringLiteral("shutting down");
    QTest::newRow("internal") << Endpoint::Login << 500 << body("internal", "disk") << none << Code::ServerError
                              << QStringLiteral("disk");
    QTest::newRow("not json 502") << Endpoint::Login << 502 << QByteArray("<html>bad gateway</html>") << none
                                  << Code::ServerError << QStringLiteral("HTTP 502");
    QTest::newRow("unknown code 401") << Endpoint::Login << 401 << body("no_such_code", "?") << none
                                      << Code::WrongCredentials << QStringLiteral("HTTP 401");
    QTest::newRow("refused") << Endpoint::Login << 0 << QByteArray() << QNetworkReply::ConnectionRefusedError
                             << Code::ServerUnreachable << QStringLiteral("Connection refused");
    QTest::newRow("no such host") << Endpoint::Register << 0 << QByteArray() << QNetworkReply::HostNotFoundError
                                  << Code::ServerUnreachable << QStringLiteral("Connection refused");
    QTest::newRow("timeout") << Endpoint::Refresh << 0 << QByteArray() << QNetworkReply::OperationCanceledError
                             << Code::ServerUnreachable << QStringLiteral("Connection refused");
    QTest::newRow("tls") << Endpoint::Login << 0 << QByteArray() << QNetworkReply::SslHandshakeFailedError
                         << Code::TlsFailure << QStringLiteral("Connection refused");
}

void TestAuthError::mapping()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QNetworkReply::NetworkError, network);
    QFETCH(Code, expected);
    QFETCH(QString, detail);
    const AuthError error = AuthError::fromReply(endpoint, status, body, network, QStringLiteral("Connection refused"));
    QCOMPARE(error.code, expected);
    QCOMPARE(error.detail, detail);
}

void TestAuthError::transientAndMessages()
{
    const QList<Code> transient{Code::RateLimited, Code::ServerBusy, Code::ServerUnreachable, Code::ServerError,
                                Code::TlsFailure};
    QSet<QString> messages;
    for (int i = 0; i <= int(Code::ServerError); ++i) {
        const AuthError error{Code(i), {}};
        QCOMPARE(error.isTransient(), transient.contains(Code(i)));
        QVERIFY(!error.message().isEmpty());
        messages.insert(error.message());
    }
    QCOMPARE(messages.size(), int(Code::ServerError) + 1); // every code says something different
}

QTEST_APPLESS_MAIN(TestAuthError)
#include "tst_autherror.moc"
