#pragma once

#include "server/auth/jwt.h"
#include "server/store/store.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QObject>
#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <functional>
#include <optional>

namespace Tertulia {

/// Issues, checks, rotates and revokes tokens. Access tokens are checked in memory (signature, claims, and
/// that their login is live: known, not revoked, not expired, and the token's user's); refresh tokens are
/// checked against the store, where each login keeps the id of the one refresh token that may be used next.
/// Presenting an older one means it was stolen or replayed: the whole login is revoked (RFC 6819 5.2.2.3,
/// refresh token rotation).
///
/// A token the server signed is not enough: one for a user that does not exist (or no longer does), or
/// naming a login that was never made, is refused like a revoked one. The live logins are loaded from the
/// store at start and kept in step with it by issue(), refresh() and revoke().
class TokenService : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenService)

public:
    struct Options
    {
        QByteArray secret;             ///< HMAC key, 32 random bytes
        int accessTtlSeconds = 900;
        int refreshTtlSeconds = 30 * 24 * 3600;
    };
    static constexpr char kIssuer[] = "tertulia";

    /// A key for another purpose, derived from the token secret (HMAC of the purpose), so that what it
    /// signs is good on every node that shares the secret and can never pass for a token.
    QByteArray derivedKey(QByteArrayView purpose) const { return Jwt::hmacSha256(purpose, m_options.secret); }
    static constexpr char kAudience[] = "tertulia";

    TokenService(const Options &options, Store &store, QObject *parent = nullptr);

    /// Loads the live logins (call once the store is open).
    void loadLogins();

    /// A new login for the user: a token pair and a login record. `device` is what the client called itself
    /// ("Tertulia 0.1 on Linux"), shown in the user's device list.
    StoreResult<Protocol::TokenPair> issue(const QString &user, const QString &device = {});
    using PairCallback = std::function<void(const StoreResult<Protocol::TokenPair> &)>;
    /// issue() with the login written off the event loop (Store::async()): `done` runs later, on the loop,
    /// unless `context` is gone by then (the login is made and kept all the same).
    void issue(const QString &user, const QString &device, QObject *context, PairCallback done);
    using Verified = std::variant<Jwt::Claims, Protocol::Error>;
    /// Signature, iss, aud, typ=access, exp, nbf, and that the login is live and belongs to the token's user.
    /// A genuine token of a deleted account is refused with account_deleted rather than auth_failed. A login
    /// not in memory is looked up in the store (another node of a cluster made it) and kept. Synchronous: the
    /// lookup runs on the caller's thread (tools and tests; the server's callers use the form below).
    Verified verifyAccess(const QString &token);
    /// The signature and claims of an access token (the login not: that is verifyAccess()'s); in memory, no
    /// store read. A caller that needs the claims before the login check (the hello's administrator flag)
    /// checks once here and hands the result to verifyAccess(const Verified &, ...): the signature is the
    /// largest cost of a connect, so it is not checked twice.
    Verified checkAccessToken(const QString &token) const { return checkToken(token, now()); }
    using VerifyCallback = std::function<void(const Verified &)>;
    /// verifyAccess() with the store's lookup off the event loop (Store::async()): `done` runs now, in this
    /// call, when memory answers (a token that is not genuine, a login this node holds), later otherwise;
    /// never once `context` is gone. Lookups of one login share one read. A revocation this node hears while
    /// the read is under way (forget(), revoke(), forgetUser(), ...) sends it to the store again: a read that
    /// started before the revocation committed must not make the login live here after it.
    void verifyAccess(const QString &token, QObject *context, VerifyCallback done);
    /// The same for a token checkAccessToken() checked already (its error, or its claims, whose expiry is
    /// looked at again: time went by since).
    void verifyAccess(const Verified &checked, QObject *context, VerifyCallback done);
    /// Forgets a login revoked elsewhere (another node): its access tokens are refused from now on.
    void forget(const QString &loginId);
    /// The loop's half of revoke() for a Store::revokeLogin() that ran in a job of Store::async(): its access
    /// tokens are refused from now on and loginRevoked() closes its sockets.
    void noteRevoked(const QString &loginId);
    /// Rotates: returns a new pair and invalidates the presented refresh token.
    StoreResult<Protocol::TokenPair> refresh(const QString &refreshToken);
    /// refresh() with its reads and writes off the event loop (Store::async(), in one job): `done` runs on
    /// the loop, now for a token that is not genuine (nothing to ask the store), later otherwise; never once
    /// `context` is gone (the rotation stands, and a reused token's login is revoked all the same).
    void refresh(const QString &refreshToken, QObject *context, PairCallback done);
    /// Ends a login: its refresh token stops working, its access tokens are refused, its sockets close.
    void revoke(const QString &loginId);
    /// revoke() with the store's write off the event loop (Store::async()): the live table and the signal
    /// follow the write, then `done` runs unless `context` is gone.
    void revoke(const QString &loginId, QObject *context, std::function<void()> done);
    /// Ends every login of the user but `keepLoginId` (empty: all), as revoke() does each; the ids it ended,
    /// or the storage error (then nothing is known to be revoked, and the caller must say so).
    StoreResult<QList<QString>> revokeAllOf(const QString &user, const QString &keepLoginId = {});
    /// The loop's half of revokeAllOf() for a Store::revokeLoginsOf() that ran in a job of Store::async():
    /// the live table forgets the logins it ended and loginRevoked() says so; the ids, or the store's error.
    StoreResult<QList<QString>> forgetRevoked(const QString &user, const QString &keepLoginId,
                                              const StoreResult<QList<QString>> &stored);
    /// Forgets every login of a user whose account was deleted (Store::deleteUser() revoked them already):
    /// their access tokens are refused from now on, without a restart, and their sockets close.
    void forgetUser(const QString &user);

    /// A session or request authenticated with one of the login's access tokens: the login was used now.
    /// Kept in memory (a connect storm must not cost a write per connection) and written with the next
    /// refresh; lastUsedAt() tells the latest either way.
    void noteUse(const QString &loginId);
    /// When this server last saw the login used (seconds since the epoch), at least `stored`.
    qint64 lastUsedAt(const QString &loginId, qint64 stored) const;

    int accessTtlSeconds() const { return m_options.accessTtlSeconds; }

    /// Reads the server secret from `path` (64 hex characters), creating it with mode 0600 on first start.
    static std::optional<QByteArray> loadOrCreateSecret(const QString &path, QString *errorMessage);

Q_SIGNALS:
    void loginRevoked(const QString &loginId);

private:
    Protocol::TokenPair makePair(const QString &user, const QString &loginId, const QString &refreshId,
                                 qint64 now) const;
    static QString randomId();
    static qint64 now();
    /// Signature and claims only (no login check).
    Verified checkToken(const QString &token, qint64 current) const;
    /// What the store says of a login this node does not hold (findLogin, findUser), read in one go.
    struct LoginLookup
    {
        std::optional<LoginRecord> login;
        bool userExists = false;
    };
    static LoginLookup lookUp(Store &store, const QString &loginId);
    /// Keeps a looked-up login that is live (not revoked, not expired, its user there).
    void adopt(const LoginLookup &found, qint64 current);
    /// The answer for genuine `claims` from the live table; `found`, when the store was asked, tells a
    /// deleted account's token from an unknown one.
    Verified judge(const Jwt::Claims &claims, qint64 current, const LoginLookup &found) const;
    /// Reads a login for the waiters of m_lookups (again, when a revocation made the last read stale).
    void startLookup(const QString &loginId);
    /// A login's access tokens are refused from now on: the live table forgets it, a read under way is stale.
    void drop(const QString &loginId);
    /// Every lookup under way of the user's logins but `keepLoginId` is stale.
    void staleLookupsOf(const QString &userKey, const QString &keepLoginId);

    void remember(const QString &loginId, const QString &user, qint64 expiresAt, qint64 lastUsedAt);

    /// What a refresh learns from and does to the store, in one go (in a job of Store::async(), or on the
    /// loop for the synchronous refresh()).
    struct Rotation
    {
        std::optional<Protocol::Error> error;
        QString loginId;
        QString user;
        bool revokedForReuse = false;   ///< an older refresh token came: the login was revoked
    };
    static Rotation rotate(Store &store, const Jwt::Claims &claims, const QString &nextId, qint64 current,
                           qint64 expiresAt);
    /// The loop's half of a refresh: the live table, the signal, the new pair.
    StoreResult<Protocol::TokenPair> finishRefresh(const Rotation &rotation, const Jwt::Claims &claims,
                                                   const QString &nextId, qint64 current);

    struct LiveLogin
    {
        QString userKey;    ///< Names::canonical() of the login's user
        qint64 expiresAt;   ///< the login's (its refresh token's) end; no access token of it outlives it
        qint64 lastUsedAt;  ///< seconds since the epoch (see noteUse())
    };
    Options m_options;
    Store &m_store;
    QHash<QString, LiveLogin> m_live;   ///< by login id (the `sid` claim)
    /// A store read under way for a login this node does not hold, and who waits for it.
    struct Waiter
    {
        QPointer<QObject> context;
        Jwt::Claims claims;
        VerifyCallback done;
    };
    struct Lookup
    {
        QString userKey;   ///< the tokens' user (all waiters name the same login, so the same user)
        bool stale = false; ///< a revocation was heard since the read started: read again
        QList<Waiter> waiters;
    };
    QHash<QString, Lookup> m_lookups;   ///< by login id
    qsizetype m_pruneAt = 1024;         ///< expired logins are dropped when the table grows past this
};

} // namespace Tertulia
