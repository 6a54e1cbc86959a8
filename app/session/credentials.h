#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QString>

namespace Tertulia {

/// The tokens of one signed-in user. The access token only ever lives in memory; the refresh token
/// is what the CredentialStore keeps in the OS keychain.
struct Credentials
{
    QString user;
    QString accessToken;
    QString refreshToken;
    qint64 accessExpiresAtMs = 0; ///< on the ConnectionManager's clock; 0 when unknown
    qint64 accessLifetimeMs = 0;  ///< the lifetime the server granted, for the refresh margin

    bool isValid() const { return !user.isEmpty() && (!accessToken.isEmpty() || !refreshToken.isEmpty()); }

    /// Takes a fresh pair from login or refresh; nowMs on the ConnectionManager's clock.
    void apply(const Protocol::TokenPair &pair, qint64 nowMs)
    {
        accessToken = pair.accessToken;
        if (!pair.refreshToken.isEmpty())
            refreshToken = pair.refreshToken;
        setExpiry(pair.expiresIn, nowMs);
    }
    void setExpiry(qint64 expiresInSeconds, qint64 nowMs)
    {
        if (expiresInSeconds <= 0)
            return;
        accessLifetimeMs = expiresInSeconds * 1000;
        accessExpiresAtMs = nowMs + accessLifetimeMs;
    }

    friend bool operator==(const Credentials &, const Credentials &) = default;
};

} // namespace Tertulia
