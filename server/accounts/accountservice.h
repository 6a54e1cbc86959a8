#pragma once

#include "server/auth/loginthrottle.h"
#include "server/store/store.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <optional>
#include <variant>

namespace Tertulia {

class MonotonicClock;
class PasswordHasher;
class RoomRegistry;
class SessionRegistry;
class TokenService;

/// Who asks for an account operation: the signed-in user, the device the request came from, and where from.
struct AccountActor
{
    QString user;      ///< as the access token names it
    QString loginId;   ///< the login (device) of the request: a password change keeps it, the device list marks it
    QString address;   ///< the client's address, for the per-account throttle's known addresses
};

/// Why an account operation failed: the error as both protocols carry it, and for `rate_limited` how long
/// to wait (HTTP's Retry-After).
struct AccountFailure
{
    Protocol::Error error;
    int retryAfterSeconds = 0;

    /// The status of the HTTP API's answer.
    int httpStatus() const;
};

template<typename T>
using AccountResult = std::variant<T, AccountFailure>;

/// The accounts of a server, for the HTTP API (AccountApi) and the native protocol (AccountHandler) alike:
/// password checks with per-account throttling, password changes, devices (logins) and account deletion.
///
/// Two layers, so that an administrator's variant (issue 13) reuses the second one without a password:
/// - self-service, for the signed-in user (an AccountActor), with the current password where it matters:
///   changePassword(), devices(), revokeDevice(), revokeOtherDevices(), deleteAccount();
/// - the operations themselves, on any user: setPassword(), revokeDevices(), removeAccount().
///
/// What a deleted account leaves behind: its messages stay, under its name; its memberships and invitations
/// go (its rooms hear `member_left`); its logins end and its sockets close (4006) at once; its name is never
/// given out again, so nobody can later post under the name those messages carry.
///
/// Everything asynchronous (the Argon2id hashing runs on PasswordHasher's threads) answers on the thread
/// of `context`, always later than the call, and never once `context` is gone.
class AccountService : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountService)

public:
    AccountService(Store &store, TokenService &tokens, PasswordHasher &hasher, RoomRegistry &rooms,
                   SessionRegistry &sessions, const MonotonicClock &clock, const LoginThrottle::Options &throttle,
                   QObject *parent = nullptr);

    template<typename T>
    using Callback = std::function<void(const T &)>;
    using DoneCallback = std::function<void(const std::optional<AccountFailure> &)>;

    /// Checks the password of the account `name`, throttled per account (LoginThrottle): the account when
    /// right, otherwise auth_failed, or rate_limited when a check of this account is due only later. Names
    /// that are no account get the same answers, at the same speed. A request that finds a check of the same
    /// account running waits for it (two devices signing in at once both get in), up to kMaxWaiting of them.
    void checkPassword(const QString &name, const QString &password, const QString &address, QObject *context,
                       Callback<AccountResult<UserRecord>> done);

    /// What a client calls itself ("Tertulia 0.1 on Linux", or a User-Agent), made fit for the device list:
    /// control characters removed, spaces collapsed, at most Protocol::kMaxDeviceLabelLength characters.
    static QString deviceLabel(const QString &text);

    /// Requests held per account while one of its checks runs; more are refused (rate_limited).
    static constexpr int kMaxWaiting = 16;

    // ---- self-service -------------------------------------------------------------------------------
    /// A new password, given the current one; every other login of the user ends (their sockets close with
    /// 4004), the actor's own stays. The result is how many other logins ended.
    void changePassword(const AccountActor &actor, const QString &currentPassword, const QString &newPassword,
                        QObject *context, Callback<AccountResult<int>> done);
    /// The user's signed-in devices, oldest sign-in first, the actor's own marked current.
    QList<Protocol::DeviceInfo> devices(const AccountActor &actor) const;
    /// Signs one of the user's devices out (the actor's own too); not_found for any other id.
    std::optional<AccountFailure> revokeDevice(const AccountActor &actor, const QString &deviceId);
    /// Signs every device of the user but the actor's out; how many.
    AccountResult<int> revokeOtherDevices(const AccountActor &actor);
    /// devices(), revokeDevice() and revokeOtherDevices() with the store's reads and writes off the event loop
    /// (Store::async()): `done` runs later, on the loop, unless `context` is gone (what was revoked stays so).
    void devices(const AccountActor &actor, QObject *context, Callback<QList<Protocol::DeviceInfo>> done);
    void revokeDevice(const AccountActor &actor, const QString &deviceId, QObject *context, DoneCallback done);
    void revokeOtherDevices(const AccountActor &actor, QObject *context, Callback<AccountResult<int>> done);
    /// Deletes the actor's account, given its password (see removeAccount()). `done` runs before the
    /// account's sockets close, so the request that asked is answered first.
    void deleteAccount(const AccountActor &actor, const QString &password, QObject *context, DoneCallback done);

    // ---- the operations themselves (no password asked) ---------------------------------------------
    /// Sets a new password and ends every login of the user but `keepLoginId` (empty: all of them).
    void setPassword(const QString &user, const QString &newPassword, const QString &keepLoginId, QObject *context,
                     Callback<AccountResult<int>> done);
    /// Ends every login of the user but `keepLoginId` (empty: all of them); how many.
    AccountResult<int> revokeDevices(const QString &user, const QString &keepLoginId);
    /// revokeDevices() with the store's write off the event loop (Store::async()): `done` runs later, on the
    /// loop, unless `context` is gone (what was revoked stays so, and the sockets close all the same).
    void revokeDevices(const QString &user, const QString &keepLoginId, QObject *context,
                       Callback<AccountResult<int>> done);
    /// The count revokeDevices() answers, from what TokenService::forgetRevoked() answered.
    static AccountResult<int> countRevoked(const StoreResult<QList<QString>> &revoked);
    /// Deletes the account: the store's tombstone, its rooms told `member_left`, its tokens refused at once,
    /// its sockets closed with 4006 (after `beforeClosing`, if given).
    std::optional<AccountFailure> removeAccount(const QString &user, const std::function<void()> &beforeClosing = {});

private:
    /// Answers from the event loop (always asynchronously), unless `context` is gone by then.
    template<typename T>
    void answerLater(QObject *context, Callback<T> done, T value);
    /// The refusals common to the requests that take the password: a bad new password, an account that has
    /// none (the host's own account signs in through the app that hosts the chat).
    static std::optional<AccountFailure> passwordRefusal(const std::optional<UserRecord> &record);
    /// Reads the account off the event loop (Store::async()) and runs `then` with passwordRefusal()'s answer.
    /// deleteAccount() once the account may be asked for its password.
    void verifyAndRemove(const AccountActor &actor, const QString &password, const QPointer<QObject> &guard,
                         DoneCallback done);
    /// The loop's half of removeAccount(), once the store answered (`record` as found, `deleted` its tombstone).
    std::optional<AccountFailure> finishRemoval(const std::optional<UserRecord> &record, bool deleted,
                                                const std::function<void()> &beforeClosing);
    void whenPasswordAllowed(const QString &user, std::function<void(const std::optional<AccountFailure> &)> then);

    Store &m_store;
    TokenService &m_tokens;
    PasswordHasher &m_hasher;
    RoomRegistry &m_rooms;
    SessionRegistry &m_sessions;
    const MonotonicClock &m_clock;
    LoginThrottle m_throttle;
    QHash<QString, QList<std::function<void()>>> m_waiting;   ///< account key -> checks held until it is free
};

} // namespace Tertulia
