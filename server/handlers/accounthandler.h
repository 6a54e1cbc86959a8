#pragma once

#include "server/handlers/requesthandler.h"

#include <QtCore/QObject>

namespace Tertulia {

class AccountService;

/// The account requests of the native protocol (and of Socket.IO, which maps its events onto them):
/// `change_password`, `devices`, `revoke_device`, `revoke_other_devices`, `delete_account`, for the session's
/// own user; the session's login is the current device. The desktop app uses these rather than the HTTP API
/// (docs/protocol.md): its connection is authenticated already and knows which device it is.
class AccountHandler final : public QObject, public RequestHandler
{
    Q_OBJECT

public:
    AccountHandler(ServerContext &context, AccountService &accounts, QObject *parent = nullptr);

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    AccountService &m_accounts;
};

} // namespace Tertulia
