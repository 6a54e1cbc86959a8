#include "server/handlers/accounthandler.h"

#include "server/accounts/accountservice.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

AccountHandler::AccountHandler(ServerContext &context, AccountService &accounts, QObject *parent)
    : QObject(parent), RequestHandler(context), m_accounts(accounts)
{
}

QList<RequestType> AccountHandler::types() const
{
    return {RequestType::ChangePassword, RequestType::Devices, RequestType::RevokeDevice,
            RequestType::RevokeOtherDevices, RequestType::DeleteAccount};
}

void AccountHandler::handle(Session &session, const Request &request)
{
    const AccountActor actor{session.user(), session.loginId(), session.peerAddress()};
    // The answers that take a password check come later: the session may be gone by then.
    QPointer<Session> target(&session);
    const QString id = request.id;
    auto failed = [target, id](const AccountFailure &failure) {
        if (target)
            target->reply(Reply::failure(id, failure.error));
    };
    switch (request.type) {
    case RequestType::ChangePassword: {
        const auto p = params<ChangePasswordParams>(session, request);
        if (!p)
            return;
        m_accounts.changePassword(actor, p->currentPassword, p->newPassword, this,
                                  [target, id, failed](const AccountResult<int> &result) {
                                      if (const auto *failure = std::get_if<AccountFailure>(&result))
                                          return failed(*failure);
                                      if (target)
                                          target->reply(Reply::ok(id, RevokedResult{std::get<int>(result)}.toJson()));
                                  });
        return;
    }
    // Off the event loop (Store::async()); the session's later requests wait for the answer.
    case RequestType::Devices:
        session.holdRequests();
        m_accounts.devices(actor, this, [target, id](const QList<DeviceInfo> &devices) {
            if (!target)
                return;
            target->reply(Reply::ok(id, DeviceList{devices}.toJson()));
            target->releaseRequests();
        });
        return;
    case RequestType::RevokeDevice: {
        const auto p = params<DeviceParams>(session, request);
        if (!p)
            return;
        // Revoking this very device closes this socket (4004) right after the answer.
        session.holdRequests();
        m_accounts.revokeDevice(actor, p->device, this, [target, id, failed](const std::optional<AccountFailure> &failure) {
            if (failure)
                failed(*failure);
            else if (target)
                target->reply(Reply::ok(id));
            if (target)
                target->releaseRequests();
        });
        return;
    }
    case RequestType::RevokeOtherDevices: {
        session.holdRequests();
        m_accounts.revokeOtherDevices(actor, this, [target, id, failed](const AccountResult<int> &result) {
            if (const auto *failure = std::get_if<AccountFailure>(&result))
                failed(*failure);
            else if (target)
                target->reply(Reply::ok(id, RevokedResult{std::get<int>(result)}.toJson()));
            if (target)
                target->releaseRequests();
        });
        return;
    }
    case RequestType::DeleteAccount: {
        const auto p = params<PasswordParams>(session, request);
        if (!p)
            return;
        // On success the answer goes first; then every socket of the account closes with 4006.
        m_accounts.deleteAccount(actor, p->password, this, [target, id, failed](const std::optional<AccountFailure> &failure) {
            if (failure)
                return failed(*failure);
            if (target)
                target->reply(Reply::ok(id));
        });
        return;
    }
    default:
        fail(session, request, ErrorCode::UnknownType, QStringLiteral("not an account request"));
        return;
    }
}

} // namespace Tertulia
