#include "server/auth/tokenservice.h"

#include "server/logging.h"
#include "shared/names.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QPointer>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::Error;
using Protocol::ErrorCode;
using Protocol::TokenPair;

namespace {
Error authFailed(const QString &message) { return Error{ErrorCode::AuthFailed, message}; }
Error accountDeleted() { return Error{ErrorCode::AccountDeleted, QStringLiteral("this account was deleted")}; }
} // namespace

TokenService::TokenService(const Options &options, Store &store, QObject *parent)
    : QObject(parent), m_options(options), m_store(store)
{
}

void TokenService::loadLogins()
{
    m_live.clear();
    for (const LoginRecord &login : m_store.liveLogins(now()))
        remember(login.id, login.user, login.expiresAt, login.lastUsedAt);
    m_pruneAt = std::max<qsizetype>(1024, 2 * m_live.size());
}

void TokenService::remember(const QString &loginId, const QString &user, qint64 expiresAt, qint64 lastUsedAt)
{
    m_live.insert(loginId, LiveLogin{Names::canonical(user), expiresAt, lastUsedAt});
    if (m_live.size() < m_pruneAt)
        return;
    // Amortised: a pass over the table each time it doubles keeps it within twice the live logins.
    const qint64 current = now();
    m_live.removeIf([current](const auto &entry) { return entry.value().expiresAt <= current; });
    m_pruneAt = std::max<qsizetype>(1024, 2 * m_live.size());
}

qint64 TokenService::now() { return QDateTime::currentSecsSinceEpoch(); }

QString TokenService::randomId()
{
    QByteArray bytes(16, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(bytes.size()));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

TokenPair TokenService::makePair(const QString &user, const QString &loginId, const QString &refreshId,
                                 qint64 issuedAt) const
{
    const QString issuer = QString::fromLatin1(kIssuer), audience = QString::fromLatin1(kAudience);
    const Jwt::Claims access{user, randomId(), loginId, u"access"_s, issuedAt,
                             issuedAt + m_options.accessTtlSeconds};
    const Jwt::Claims refresh{user, refreshId, loginId, u"refresh"_s, issuedAt,
                              issuedAt + m_options.refreshTtlSeconds};
    return TokenPair{QString::fromLatin1(Jwt::sign(Jwt::makeClaims(access, issuer, audience), m_options.secret)),
                     QString::fromLatin1(Jwt::sign(Jwt::makeClaims(refresh, issuer, audience), m_options.secret)),
                     m_options.accessTtlSeconds};
}

StoreResult<TokenPair> TokenService::issue(const QString &user, const QString &device)
{
    const qint64 issuedAt = now();
    const LoginRecord login{randomId(), user,     randomId(), false, issuedAt + m_options.refreshTtlSeconds,
                            device,     issuedAt, issuedAt};
    if (!m_store.createLogin(login))
        return Error{ErrorCode::Internal, QStringLiteral("could not record the login")};
    remember(login.id, user, login.expiresAt, issuedAt);
    return makePair(user, login.id, login.refreshTokenId, issuedAt);
}

void TokenService::issue(const QString &user, const QString &device, QObject *context, PairCallback done)
{
    const qint64 issuedAt = now();
    const LoginRecord login{randomId(), user,     randomId(), false, issuedAt + m_options.refreshTtlSeconds,
                            device,     issuedAt, issuedAt};
    m_store.async<bool>(
        this, [login](Store &store) { return store.createLogin(login); },
        [this, login, asker = QPointer<QObject>(context), done = std::move(done)](bool created) {
            StoreResult<TokenPair> pair = Error{ErrorCode::Internal, QStringLiteral("could not record the login")};
            if (created) {
                remember(login.id, login.user, login.expiresAt, login.createdAt);
                pair = makePair(login.user, login.id, login.refreshTokenId, login.createdAt);
            }
            if (asker)
                done(pair);
        });
}

TokenService::Verified TokenService::checkToken(const QString &token, qint64 current) const
{
    const Jwt::Expectations expect{QString::fromLatin1(kIssuer), QString::fromLatin1(kAudience), u"access"_s,
                                   current};
    auto verified = Jwt::verify(token.toLatin1(), m_options.secret, expect);
    if (auto *error = std::get_if<Jwt::Error>(&verified)) {
        if (*error == Jwt::Error::Expired)
            return Error{ErrorCode::TokenExpired, Jwt::errorMessage(*error)};
        return authFailed(Jwt::errorMessage(*error));
    }
    return std::get<Jwt::Claims>(verified);
}

TokenService::LoginLookup TokenService::lookUp(Store &store, const QString &loginId)
{
    LoginLookup found{store.findLogin(loginId), false};
    if (found.login)
        found.userExists = store.findUser(found.login->user).has_value();
    return found;
}

void TokenService::adopt(const LoginLookup &found, qint64 current)
{
    // Made on another node of a cluster since this one loaded its logins: the store has it.
    if (found.login && !found.login->revoked && found.login->expiresAt > current && found.userExists)
        remember(found.login->id, found.login->user, found.login->expiresAt, found.login->lastUsedAt);
}

TokenService::Verified TokenService::judge(const Jwt::Claims &claims, qint64 current, const LoginLookup &found) const
{
    // Revoked, unknown, or not this user's: all the same to the caller, who must sign in again.
    const auto live = m_live.constFind(claims.sessionId);
    if (live == m_live.cend() || live->expiresAt <= current || live->userKey != Names::canonical(claims.subject)) {
        // Only a token this server signed gets here, so telling its holder that the account is gone gives
        // nobody else anything: a device that was offline when its account was deleted can sign out for
        // good rather than ask for a password that no longer exists.
        if (live == m_live.cend() && found.login && !found.userExists
            && Names::canonical(found.login->user) == Names::canonical(claims.subject))
            return accountDeleted();
        return authFailed(QStringLiteral("this login was revoked or is not known here; sign in again"));
    }
    return claims;
}

TokenService::Verified TokenService::verifyAccess(const QString &token)
{
    const qint64 current = now();
    Verified verified = checkToken(token, current);
    const auto *claims = std::get_if<Jwt::Claims>(&verified);
    if (!claims || m_live.contains(claims->sessionId))
        return claims ? judge(*claims, current, {}) : verified;
    const LoginLookup found = lookUp(m_store, claims->sessionId);
    adopt(found, current);
    return judge(*claims, current, found);
}

void TokenService::verifyAccess(const QString &token, QObject *context, VerifyCallback done)
{
    verifyAccess(checkToken(token, now()), context, std::move(done));
}

void TokenService::verifyAccess(const Verified &checked, QObject *context, VerifyCallback done)
{
    const auto *claims = std::get_if<Jwt::Claims>(&checked);
    const qint64 current = now();
    if (claims && current >= claims->expiresAt) { // Jwt::verify()'s rule, for a token checked a moment ago
        done(Error{ErrorCode::TokenExpired, Jwt::errorMessage(Jwt::Error::Expired)});
        return;
    }
    if (!claims || m_live.contains(claims->sessionId)) {
        done(claims ? judge(*claims, current, {}) : checked);
        return;
    }
    Lookup &lookup = m_lookups[claims->sessionId];
    lookup.waiters.append(Waiter{context, *claims, std::move(done)});
    if (lookup.waiters.size() > 1)
        return; // a read of this login is under way already: its answer is for everyone waiting
    lookup.userKey = Names::canonical(claims->subject);
    startLookup(claims->sessionId);
}

void TokenService::startLookup(const QString &loginId)
{
    m_lookups[loginId].stale = false;
    // This service is the job's context: the live table follows the store even if every asker is gone.
    m_store.async<LoginLookup>(
        this, [loginId](Store &store) { return lookUp(store, loginId); },
        [this, loginId](const LoginLookup &found) {
            auto lookup = m_lookups.find(loginId);
            if (lookup == m_lookups.end())
                return;
            // A revocation heard while the read was under way may have committed after it read: asked again,
            // the store answers after the revocation (one FIFO), never with the login as it was before.
            if (lookup->stale) {
                startLookup(loginId);
                return;
            }
            const QList<Waiter> waiters = std::move(lookup->waiters);
            m_lookups.erase(lookup);
            const qint64 current = now();
            adopt(found, current);
            for (const Waiter &waiter : waiters) {
                if (waiter.context)
                    waiter.done(judge(waiter.claims, current, found));
            }
        });
}

void TokenService::drop(const QString &loginId)
{
    m_live.remove(loginId);
    const auto lookup = m_lookups.find(loginId);
    if (lookup != m_lookups.end())
        lookup->stale = true;
}

void TokenService::staleLookupsOf(const QString &userKey, const QString &keepLoginId)
{
    for (auto lookup = m_lookups.begin(); lookup != m_lookups.end(); ++lookup) {
        if (lookup->userKey == userKey && lookup.key() != keepLoginId)
            lookup->stale = true;
    }
}

void TokenService::forget(const QString &loginId) { drop(loginId); }

TokenService::Rotation TokenService::rotate(Store &store, const Jwt::Claims &claims, const QString &nextId,
                                            qint64 current, qint64 expiresAt)
{
    const std::optional<LoginRecord> login = store.findLogin(claims.sessionId);
    const bool sameUser = login && Names::canonical(login->user) == Names::canonical(claims.subject);
    // A genuine token of a deleted account (see judge()).
    if (sameUser && !store.findUser(login->user))
        return Rotation{accountDeleted(), {}, {}, false};
    if (!login || login->revoked)
        return Rotation{authFailed(QStringLiteral("this login was revoked; sign in again")), {}, {}, false};
    // Signed by us is not enough: the token must be its login's user's, and that user must still exist.
    const std::optional<UserRecord> user = store.findUser(login->user);
    if (!sameUser || !user)
        return Rotation{authFailed(QStringLiteral("this login is not known here; sign in again")), {}, {}, false};
    // Disabling revokes the account's logins; this holds even for a login another node had not heard of yet.
    if (user->disabled)
        return Rotation{Error{ErrorCode::Forbidden, QStringLiteral("this account is disabled by an administrator")},
                        {}, {}, false};
    if (login->refreshTokenId != claims.id || !store.rotateLogin(login->id, claims.id, nextId, expiresAt)) {
        store.revokeLogin(login->id);
        return Rotation{authFailed(QStringLiteral("this refresh token was already used; the login is revoked")),
                        login->id, login->user, true};
    }
    // Best effort: a lost write only makes the device list's "last used" older until the next refresh.
    store.touchLogin(login->id, current);
    return Rotation{std::nullopt, login->id, login->user, false};
}

StoreResult<TokenPair> TokenService::finishRefresh(const Rotation &rotation, const Jwt::Claims &claims,
                                                   const QString &nextId, qint64 current)
{
    if (rotation.revokedForReuse) {
        qCWarning(lcAuth).noquote() << u"user="_s + claims.subject << "reused a rotated refresh token; revoked login"
                                    << rotation.loginId;
        drop(rotation.loginId);
        Q_EMIT loginRevoked(rotation.loginId);
    }
    if (rotation.error)
        return *rotation.error;
    remember(rotation.loginId, rotation.user, current + m_options.refreshTtlSeconds, current);
    return makePair(claims.subject, rotation.loginId, nextId, current);
}

StoreResult<TokenPair> TokenService::refresh(const QString &refreshToken)
{
    const qint64 current = now();
    const Jwt::Expectations expect{QString::fromLatin1(kIssuer), QString::fromLatin1(kAudience), u"refresh"_s,
                                   current};
    auto verified = Jwt::verify(refreshToken.toLatin1(), m_options.secret, expect);
    if (auto *error = std::get_if<Jwt::Error>(&verified))
        return authFailed(Jwt::errorMessage(*error));
    const Jwt::Claims &claims = std::get<Jwt::Claims>(verified);
    const QString nextId = randomId();
    return finishRefresh(rotate(m_store, claims, nextId, current, current + m_options.refreshTtlSeconds), claims,
                         nextId, current);
}

void TokenService::refresh(const QString &refreshToken, QObject *context, PairCallback done)
{
    const qint64 current = now();
    const Jwt::Expectations expect{QString::fromLatin1(kIssuer), QString::fromLatin1(kAudience), u"refresh"_s,
                                   current};
    auto verified = Jwt::verify(refreshToken.toLatin1(), m_options.secret, expect);
    if (auto *error = std::get_if<Jwt::Error>(&verified)) {
        done(authFailed(Jwt::errorMessage(*error)));
        return;
    }
    const Jwt::Claims claims = std::get<Jwt::Claims>(verified);
    const QString nextId = randomId();
    const qint64 expiresAt = current + m_options.refreshTtlSeconds;
    // This service is the job's context: the live table follows the store even if the asker is gone.
    m_store.async<Rotation>(
        this, [claims, nextId, current, expiresAt](Store &store) { return rotate(store, claims, nextId, current, expiresAt); },
        [this, claims, nextId, current, asker = QPointer<QObject>(context), done = std::move(done)](const Rotation &rotation) {
            const StoreResult<TokenPair> pair = finishRefresh(rotation, claims, nextId, current);
            if (asker)
                done(pair);
        });
}

void TokenService::revoke(const QString &loginId)
{
    m_store.revokeLogin(loginId);
    drop(loginId);
    Q_EMIT loginRevoked(loginId);
}

void TokenService::noteRevoked(const QString &loginId)
{
    drop(loginId);
    Q_EMIT loginRevoked(loginId);
}

void TokenService::revoke(const QString &loginId, QObject *context, std::function<void()> done)
{
    m_store.async<bool>(
        this, [loginId](Store &store) { return store.revokeLogin(loginId); },
        [this, loginId, asker = QPointer<QObject>(context), done = std::move(done)](bool) {
            drop(loginId);
            Q_EMIT loginRevoked(loginId);
            if (asker)
                done();
        });
}

StoreResult<QList<QString>> TokenService::revokeAllOf(const QString &user, const QString &keepLoginId)
{
    return forgetRevoked(user, keepLoginId, m_store.revokeLoginsOf(user, keepLoginId));
}

StoreResult<QList<QString>> TokenService::forgetRevoked(const QString &user, const QString &keepLoginId,
                                                        const StoreResult<QList<QString>> &stored)
{
    if (const auto *error = std::get_if<Error>(&stored))
        return *error;
    QList<QString> ended = std::get<QList<QString>>(stored);
    // The table mirrors the store; dropping by user as well keeps that true even if it ever did not.
    const QString key = Names::canonical(user);
    staleLookupsOf(key, keepLoginId);
    m_live.removeIf([&](const auto &entry) {
        if (entry.value().userKey != key || entry.key() == keepLoginId)
            return false;
        if (!ended.contains(entry.key()))
            ended.append(entry.key());
        return true;
    });
    for (const QString &loginId : std::as_const(ended))
        Q_EMIT loginRevoked(loginId);
    return ended;
}

void TokenService::forgetUser(const QString &user)
{
    const QString key = Names::canonical(user);
    staleLookupsOf(key, {});
    QList<QString> ended;
    m_live.removeIf([&](const auto &entry) {
        if (entry.value().userKey != key)
            return false;
        ended.append(entry.key());
        return true;
    });
    for (const QString &loginId : std::as_const(ended))
        Q_EMIT loginRevoked(loginId);
}

void TokenService::noteUse(const QString &loginId)
{
    const auto live = m_live.find(loginId);
    if (live != m_live.end())
        live->lastUsedAt = std::max(live->lastUsedAt, now());
}

qint64 TokenService::lastUsedAt(const QString &loginId, qint64 stored) const
{
    const auto live = m_live.constFind(loginId);
    return live == m_live.cend() ? stored : std::max(stored, live->lastUsedAt);
}

std::optional<QByteArray> TokenService::loadOrCreateSecret(const QString &path, QString *errorMessage)
{
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *errorMessage = QStringLiteral("cannot read the server secret %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        const QByteArray secret = QByteArray::fromHex(file.readAll().trimmed());
        if (secret.size() != 32) {
            *errorMessage = QStringLiteral("the server secret %1 is damaged (expected 64 hex characters)").arg(path);
            return std::nullopt;
        }
        return secret;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QByteArray secret(32, Qt::Uninitialized);
    randombytes_buf(secret.data(), size_t(secret.size()));
    // Created 0600 from the first byte: never readable by others, not even briefly.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(secret.toHex() + '\n') != 65 || !file.flush()) {
        *errorMessage = QStringLiteral("cannot create the server secret %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return secret;
}

} // namespace Tertulia
