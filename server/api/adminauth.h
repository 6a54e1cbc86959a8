#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QtCore/QString>

#include <functional>
#include <variant>

class QObject;

namespace Tertulia {

class Store;
class TokenService;
struct Metrics;

/// Who asks the admin API: the administrator named by the access token, its login and its address (the
/// `tertulia.admin` log lines say who did what).
struct AdminActor
{
    QString user;
    QString loginId;
    QString address;
};

/// The one authorisation of the admin API (/api/v1/admin/...): `Authorization: Bearer <access token>` of a
/// live login (checked by TokenService like every other token) whose account is an administrator
/// (UserRecord::isAdmin: the hosting user of a chat hosted from the app; later, roles). The flag is read from
/// the store on each request (one primary-key probe, off the event loop: Store::async()), so an account that
/// stops being one is refused at once.
class AdminAuth
{
public:
    AdminAuth(TokenService &tokens, Store &store, Metrics &metrics);

    using Checked = std::variant<AdminActor, Http::Response>;
    /// Hands `done` the administrator, or the answer to give: 401 (no, malformed, expired or revoked token:
    /// counted in tertulia_auth_failures_total; at once, from memory), 403 (a valid token of an account that is
    /// not an administrator: after the store's answer, later, on `context`'s thread, never once it is gone).
    void check(const Http::Request &request, QObject *context, std::function<void(const Checked &)> done) const;

private:
    TokenService &m_tokens;
    Store &m_store;
    Metrics &m_metrics;
};

} // namespace Tertulia
