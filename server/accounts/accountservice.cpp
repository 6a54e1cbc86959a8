#include "server/accounts/accountservice.h"

#include "server/auth/passwordhasher.h"
#include "server/auth/tokenservice.h"
#include "server/http/httpresponse.h"
#include "server/logging.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "shared/names.h"
#include "shared/protocol/frames.h"

#include <QtCore/QDateTime>
#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ErrorCode;

namespace {
qint64 nowSeconds() { return QDateTime::currentSecsSinceEpoch(); }

AccountFailure failure(ErrorCode code, const QString &message) { return AccountFailure{{code, message}, 0}; }

/// Accounts made by the embedding host have a hash no password matches ("!host-only"), deleted ones too.
bool hasPassword(const UserRecord &user) { return !user.passwordHash.startsWith('!'); }
} // namespace

int AccountFailure::httpStatus() const
{
    // Bad new passwords and unknown accounts answer 400 and 404 like every other API error.
    return Http::statusOf(error.code);
}

AccountService::AccountService(Store &store, TokenService &tokens, PasswordHasher &hasher, RoomRegistry &rooms,
                               SessionRegistry &sessions, const MonotonicClock &clock,
                               const LoginThrottle::Options &throttle, QObject *parent)
    : QObject(parent),
      m_store(store),
      m_tokens(tokens),
      m_hasher(hasher),
      m_rooms(rooms),
      m_sessions(sessions),
      m_clock(clock),
      m_throttle(throttle)
{
}

template<typename T>
void AccountService::answerLater(QObject *context, Callback<T> done, T value)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done), value = std::move(value)] { done(value); }, Qt::QueuedConnection);
}

QString AccountService::deviceLabel(const QString &text)
{
    QString label;
    label.reserve(std::min<qsizetype>(text.size(), Protocol::kMaxDeviceLabelLength));
    for (const QChar c : text) {
        // Shown as plain text in lists: no control characters, no line breaks, nothing invisible that
        // could make two labels look alike (format characters such as bidirectional overrides).
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format || c.isSurrogate())
            label.append(u' ');
        else
            label.append(c);
    }
    label = label.simplified();
    if (label.size() > Protocol::kMaxDeviceLabelLength)
        label.truncate(Protocol::kMaxDeviceLabelLength);
    return label;
}

// ---- passwords ----------------------------------------------------------------------------------------

void AccountService::checkPassword(const QString &name, const QString &password, const QString &address,
                                   QObject *context, Callback<AccountResult<UserRecord>> done)
{
    QPointer<QObject> guard(context);
    auto answer = [guard, done = std::move(done)](const AccountResult<UserRecord> &result) {
        if (guard)
            done(result);
    };
    // Names that cannot be accounts need no throttle (nothing to guess there), but cost the same check.
    std::optional<LoginThrottle::Ticket> ticket;
    const QString key = Names::canonical(name);
    if (Names::isValidUserName(name)) {
        const LoginThrottle::Decision decision = m_throttle.begin(key, address, m_clock.nowMs());
        QList<std::function<void()>> &waiting = m_waiting[key];
        if (decision.busy && waiting.size() < kMaxWaiting) {
            // Asked again when the running check ends: then it runs, or waits its turn, or is refused.
            waiting.append([this, name, password, address, answer = std::move(answer)]() mutable {
                checkPassword(name, password, address, this, std::move(answer));
            });
            return;
        }
        if (waiting.isEmpty())
            m_waiting.remove(key);
        if (!decision.ticket) {
            const int seconds = int((decision.waitMs + 999) / 1000);
            AccountFailure throttled = failure(
                ErrorCode::RateLimited,
                QStringLiteral("too many failed attempts for this account; retry in %1 s").arg(seconds));
            throttled.retryAfterSeconds = seconds;
            answerLater<AccountResult<UserRecord>>(this, std::move(answer), throttled);
            return;
        }
        ticket = decision.ticket;
    }
    // The account is read off the event loop (Store::async()), before the hash check and again after it.
    auto verify = [this, name, key, ticket, password, answer](const std::optional<UserRecord> &user) {
        // Unknown names are checked against a dummy hash (PasswordHasher): the same answer, after the same time.
        m_hasher.verify(user ? user->passwordHash : QByteArray(), password.toUtf8(), this,
                        [this, name, key, user, ticket, answer](bool matches) {
                            auto settle = [this, key, user, ticket, answer](const std::optional<UserRecord> &current) {
                                const bool success = current && current->passwordHash == user->passwordHash;
                                if (ticket) {
                                    m_throttle.finish(*ticket, success, m_clock.nowMs());
                                    for (auto &retry : m_waiting.take(key))
                                        retry();
                                }
                                if (!success) {
                                    answer(failure(ErrorCode::AuthFailed, u"wrong user name or password"_s));
                                    return;
                                }
                                answer(*current);
                            };
                            if (!matches) {
                                settle(std::nullopt);
                                return;
                            }
                            // The account may have been deleted or its password changed while this ran.
                            m_store.async<std::optional<UserRecord>>(
                                this, [name](Store &store) { return store.findUser(name); }, std::move(settle));
                        });
    };
    if (!ticket) {
        verify(std::nullopt);
        return;
    }
    m_store.async<std::optional<UserRecord>>(this, [name](Store &store) { return store.findUser(name); },
                                             std::move(verify));
}

std::optional<AccountFailure> AccountService::passwordRefusal(const std::optional<UserRecord> &record)
{
    if (!record)
        return failure(ErrorCode::AuthFailed, u"this account does not exist"_s);
    if (!hasPassword(*record))
        return failure(ErrorCode::Forbidden,
                       u"this account has no password: it signs in through the app that hosts the chat"_s);
    return std::nullopt;
}

void AccountService::whenPasswordAllowed(const QString &user,
                                         std::function<void(const std::optional<AccountFailure> &)> then)
{
    m_store.async<std::optional<UserRecord>>(
        this, [user](Store &store) { return store.findUser(user); },
        [then = std::move(then)](const std::optional<UserRecord> &record) { then(passwordRefusal(record)); });
}

void AccountService::changePassword(const AccountActor &actor, const QString &currentPassword,
                                    const QString &newPassword, QObject *context, Callback<AccountResult<int>> done)
{
    QPointer<QObject> guard(context);
    whenPasswordAllowed(actor.user, [this, actor, currentPassword, newPassword, guard,
                                     done](const std::optional<AccountFailure> &allowed) {
        if (!guard)
            return;
        std::optional<AccountFailure> refusal = allowed;
        if (!refusal
            && (newPassword.size() < Names::kMinPasswordLength || newPassword.size() > Names::kMaxPasswordLength))
            refusal = failure(ErrorCode::BadRequest,
                              QStringLiteral("the new password must have %1 to %2 characters")
                                  .arg(Names::kMinPasswordLength)
                                  .arg(Names::kMaxPasswordLength));
        if (refusal) {
            done(*refusal);
            return;
        }
        checkPassword(actor.user, currentPassword, actor.address, this,
                      [this, actor, newPassword, guard, done](const AccountResult<UserRecord> &checked) {
                          if (!guard)
                              return;
                          if (const auto *refused = std::get_if<AccountFailure>(&checked)) {
                              if (refused->error.code != ErrorCode::AuthFailed)
                                  return done(*refused);
                              return done(failure(ErrorCode::WrongPassword, u"the current password is wrong"_s));
                          }
                          setPassword(std::get<UserRecord>(checked).name, newPassword, actor.loginId, guard, done);
                      });
    });
}

void AccountService::setPassword(const QString &user, const QString &newPassword, const QString &keepLoginId,
                                 QObject *context, Callback<AccountResult<int>> done)
{
    QPointer<QObject> guard(context);
    m_hasher.hash(newPassword.toUtf8(), this, [this, user, keepLoginId, guard, done](const QByteArray &encoded) {
        if (!guard)
            return;
        if (encoded.isEmpty())
            return done(failure(ErrorCode::Internal, u"could not hash the password"_s));
        // The new hash and the revocation of the other logins in one job off the event loop; the live table
        // follows on the loop (the store's answer, whether the job's asker is still there or not).
        struct Changed
        {
            bool stored = false;
            bool exists = true;
            StoreResult<QList<QString>> revoked = QList<QString>();
        };
        m_store.async<Changed>(
            this,
            [user, encoded, keepLoginId](Store &store) {
                Changed changed;
                changed.stored = store.setPasswordHash(user, encoded);
                if (!changed.stored)
                    changed.exists = store.findUser(user).has_value();
                else
                    changed.revoked = store.revokeLoginsOf(user, keepLoginId);
                return changed;
            },
            [this, user, keepLoginId, guard, done](const Changed &changed) {
                AccountResult<int> answer = failure(ErrorCode::Internal, u"could not store the password; retry"_s);
                if (!changed.stored) {
                    if (!changed.exists)
                        answer = failure(ErrorCode::NotFound, u"this account does not exist"_s);
                } else {
                    const AccountResult<int> revoked = countRevoked(m_tokens.forgetRevoked(user, keepLoginId, changed.revoked));
                    if (std::holds_alternative<AccountFailure>(revoked)) {
                        answer = failure(ErrorCode::Internal, u"the password was changed, but the other devices could "
                                                              "not be signed out; sign them out from the device list"_s);
                    } else {
                        qCInfo(lcAccounts).noquote() << u"user="_s + user
                                                     << "changed the password; other devices signed out:"
                                                     << std::get<int>(revoked);
                        answer = revoked;
                    }
                }
                if (guard)
                    done(answer);
            });
    });
}

// ---- devices ------------------------------------------------------------------------------------------

QList<Protocol::DeviceInfo> AccountService::devices(const AccountActor &actor) const
{
    QList<Protocol::DeviceInfo> devices;
    for (const LoginRecord &login : m_store.loginsOf(actor.user, nowSeconds())) {
        devices.append(Protocol::DeviceInfo{login.id, login.device, login.createdAt * 1000,
                                            m_tokens.lastUsedAt(login.id, login.lastUsedAt) * 1000,
                                            login.id == actor.loginId});
    }
    return devices;
}

std::optional<AccountFailure> AccountService::revokeDevice(const AccountActor &actor, const QString &deviceId)
{
    const std::optional<LoginRecord> login = m_store.findLogin(deviceId);
    // Someone else's device is "not found", like one that never was: ids of others cannot be probed.
    if (!login || login->revoked || login->expiresAt <= nowSeconds()
        || Names::canonical(login->user) != Names::canonical(actor.user))
        return failure(ErrorCode::NotFound, u"no such device"_s);
    m_tokens.revoke(deviceId);
    qCInfo(lcAccounts).noquote() << u"user="_s + actor.user << "signed a device out"
                                 << (deviceId == actor.loginId ? "(this one)" : "");
    return std::nullopt;
}

void AccountService::devices(const AccountActor &actor, QObject *context, Callback<QList<Protocol::DeviceInfo>> done)
{
    m_store.async<QList<LoginRecord>>(
        this, [user = actor.user, now = nowSeconds()](Store &store) { return store.loginsOf(user, now); },
        [this, current = actor.loginId, guard = QPointer<QObject>(context), done](const QList<LoginRecord> &logins) {
            if (!guard)
                return;
            QList<Protocol::DeviceInfo> list;
            for (const LoginRecord &login : logins) {
                list.append(Protocol::DeviceInfo{login.id, login.device, login.createdAt * 1000,
                                                 m_tokens.lastUsedAt(login.id, login.lastUsedAt) * 1000,
                                                 login.id == current});
            }
            done(list);
        });
}

void AccountService::revokeDevice(const AccountActor &actor, const QString &deviceId, QObject *context,
                                  DoneCallback done)
{
    // The lookup and the revocation in one job: nothing of another user's can slip in between.
    m_store.async<bool>(
        this,
        [user = actor.user, deviceId, now = nowSeconds()](Store &store) {
            const std::optional<LoginRecord> login = store.findLogin(deviceId);
            if (!login || login->revoked || login->expiresAt <= now || Names::canonical(login->user) != Names::canonical(user))
                return false;
            store.revokeLogin(deviceId);
            return true;
        },
        [this, actor, deviceId, guard = QPointer<QObject>(context), done](bool revoked) {
            if (!revoked) {
                // Someone else's device is "not found", like one that never was: ids of others cannot be probed.
                if (guard)
                    done(failure(ErrorCode::NotFound, u"no such device"_s));
                return;
            }
            m_tokens.noteRevoked(deviceId);
            qCInfo(lcAccounts).noquote() << u"user="_s + actor.user << "signed a device out"
                                         << (deviceId == actor.loginId ? "(this one)" : "");
            if (guard)
                done(std::nullopt);
        });
}

void AccountService::revokeOtherDevices(const AccountActor &actor, QObject *context, Callback<AccountResult<int>> done)
{
    revokeDevices(actor.user, actor.loginId, context, std::move(done));
}

void AccountService::revokeDevices(const QString &user, const QString &keepLoginId, QObject *context,
                                   Callback<AccountResult<int>> done)
{
    m_store.async<StoreResult<QList<QString>>>(
        this, [user, keepLoginId](Store &store) { return store.revokeLoginsOf(user, keepLoginId); },
        [this, user, keepLoginId, guard = QPointer<QObject>(context), done](const StoreResult<QList<QString>> &stored) {
            const AccountResult<int> revoked = countRevoked(m_tokens.forgetRevoked(user, keepLoginId, stored));
            if (guard)
                done(revoked);
        });
}

AccountResult<int> AccountService::revokeOtherDevices(const AccountActor &actor)
{
    return revokeDevices(actor.user, actor.loginId);
}

AccountResult<int> AccountService::revokeDevices(const QString &user, const QString &keepLoginId)
{
    return countRevoked(m_tokens.revokeAllOf(user, keepLoginId));
}

AccountResult<int> AccountService::countRevoked(const StoreResult<QList<QString>> &revoked)
{
    if (const auto *error = std::get_if<Protocol::Error>(&revoked))
        return AccountFailure{*error, 0};
    return int(std::get<QList<QString>>(revoked).size());
}

// ---- deletion -----------------------------------------------------------------------------------------

void AccountService::deleteAccount(const AccountActor &actor, const QString &password, QObject *context,
                                   DoneCallback done)
{
    QPointer<QObject> guard(context);
    whenPasswordAllowed(actor.user, [this, actor, password, guard, done](const std::optional<AccountFailure> &refusal) {
        if (!guard)
            return;
        if (refusal) {
            done(refusal);
            return;
        }
        verifyAndRemove(actor, password, guard, done);
    });
}

void AccountService::verifyAndRemove(const AccountActor &actor, const QString &password, const QPointer<QObject> &guard,
                                     DoneCallback done)
{
    checkPassword(actor.user, password, actor.address, this,
                  [this, guard, done](const AccountResult<UserRecord> &checked) {
                      if (!guard)
                          return;
                      if (const auto *refused = std::get_if<AccountFailure>(&checked)) {
                          if (refused->error.code != ErrorCode::AuthFailed)
                              return done(*refused);
                          return done(failure(ErrorCode::WrongPassword, u"the password is wrong"_s));
                      }
                      // The account's tombstone is written off the event loop (Store::async()); the rest follows on
                      // the loop even if the asker is gone (the account is deleted either way).
                      const QString user = std::get<UserRecord>(checked).name;
                      struct Removal
                      {
                          std::optional<UserRecord> record;
                          bool deleted = false;
                      };
                      m_store.async<Removal>(
                          this,
                          [user, now = nowSeconds()](Store &store) {
                              Removal removal{store.findUser(user), false};
                              removal.deleted = removal.record && store.deleteUser(removal.record->name, now);
                              return removal;
                          },
                          [this, guard, done](const Removal &removal) {
                              bool answered = false;
                              const auto failed = finishRemoval(removal.record, removal.deleted, [&] {
                                  answered = true;
                                  if (guard)
                                      done(std::nullopt);
                              });
                              if (!answered && guard)
                                  done(failed);
                          });
                  });
}

std::optional<AccountFailure> AccountService::removeAccount(const QString &user,
                                                            const std::function<void()> &beforeClosing)
{
    const std::optional<UserRecord> record = m_store.findUser(user);
    return finishRemoval(record, record && m_store.deleteUser(record->name, nowSeconds()), beforeClosing);
}

std::optional<AccountFailure> AccountService::finishRemoval(const std::optional<UserRecord> &record, bool deleted,
                                                            const std::function<void()> &beforeClosing)
{
    if (!record)
        return failure(ErrorCode::NotFound, u"this account does not exist"_s);
    if (!deleted)
        return failure(ErrorCode::Internal, u"could not delete the account; retry"_s);
    const QString key = Names::canonical(record->name);
    // From here on its tokens are refused: the live-login table forgets them now, not at the next start.
    m_tokens.forgetUser(record->name);
    const QList<Session *> sessions = m_sessions.sessionsOf(key);
    const QList<QPointer<Session>> closing(sessions.cbegin(), sessions.cend());
    // Its display name and picture went too (issue 12): everyone sharing a room shows the user name and the
    // generated avatar again, and every node forgets both. Before the leaves, while they still share rooms.
    m_rooms.publish(BusEvent::profileCleared(record->name));
    // The store's memberships went with the account; the fact tells every node's rooms (and their members)
    // that it left, and unsubscribes its sessions.
    for (Room *room : m_rooms.roomsOf(key))
        m_rooms.publish(BusEvent::memberLeft(room->record(), record->name));
    qCInfo(lcAccounts).noquote() << u"user="_s + record->name << "deleted the account";
    if (beforeClosing)
        beforeClosing();
    for (const QPointer<Session> &session : closing) {
        if (session)
            session->closeWith(Protocol::CloseCode::AccountDeleted, u"the account was deleted"_s);
    }
    return std::nullopt;
}

} // namespace Tertulia
