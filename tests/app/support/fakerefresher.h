#pragma once

#include "app/net/authclient.h"

#include <QtCore/QList>
#include <QtCore/QPointer>

namespace Tertulia::Testing {

/// A TokenRefresher whose answers the test gives explicitly (always after the call returned, as
/// the real one does).
class FakeRefresher final : public TokenRefresher
{
public:
    struct Call
    {
        ServerAddress server;
        QString refreshToken;
        QPointer<QObject> context;
        TokenCallback done;
    };

    void refreshTokens(const ServerAddress &server, const QString &refreshToken, QObject *context,
                       TokenCallback done) override
    {
        m_calls.append({server, refreshToken, context, std::move(done)});
    }

    int pendingCount() const { return int(m_calls.size()); }
    QString lastToken() const { return m_calls.isEmpty() ? QString() : m_calls.last().refreshToken; }
    int totalCalls() const { return m_total + int(m_calls.size()); }

    /// Answers the oldest outstanding call.
    void answer(const AuthResult<Protocol::TokenPair> &result)
    {
        Q_ASSERT(!m_calls.isEmpty());
        Call call = m_calls.takeFirst();
        ++m_total;
        if (call.context)
            call.done(result);
    }

private:
    QList<Call> m_calls;
    int m_total = 0;
};

} // namespace Tertulia::Testing
