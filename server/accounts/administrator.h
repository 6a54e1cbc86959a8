#pragma once

#include "shared/protocol/errorcode.h"

#include <QtCore/QString>

#include <functional>
#include <optional>

class QObject;

namespace Tertulia {

class PasswordHasher;
class Store;

/// Creates the account `user` as an administrator with `password`: the first administrator of a standalone
/// server (tertulia-server --create-admin, ChatServer::createAdministrator). `done` runs later, on `context`'s
/// thread, with nothing or the error: invalid_name, bad_request (the password's length), conflict (the name
/// is taken: an existing account is never promoted, so nobody who registered the name first becomes an
/// administrator), internal. The password is hashed off the event loop (PasswordHasher).
void createAdministratorAccount(Store &store, PasswordHasher &hasher, const QString &user, const QString &password,
                                QObject *context, std::function<void(const std::optional<Protocol::Error> &)> done);

} // namespace Tertulia
