#pragma once

#include "server/http/httprouter.h"
#include "server/metrics/metrics.h"
#include "server/session/tokenbuckettable.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>
#include <optional>

namespace Tertulia {

class AccountService;
class MonotonicClock;
class PasswordHasher;
class Store;
struct AccountActor;
struct AccountFailure;
class TokenService;
struct ServerConfig;

/// The HTTP API: accounts (register, login, refresh, logout; password, devices, deletion under
/// /api/v1/account/, through AccountService), /healthz and /metrics. JSON in, JSON out, errors in the one shape
/// of Http::Response::error.
class AccountApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountApi)

public:
    AccountApi(const ServerConfig &config, Store &store, TokenService &tokens, PasswordHasher &hasher,
               AccountService &accounts, Metrics &metrics, const MonotonicClock &clock,
               std::function<Metrics::Gauges()> gauges, QObject *parent = nullptr);

    void addRoutes(Http::Router &router);

private:
    void registerUser(const Http::Request &request, const Http::Responder &responder);
    void login(const Http::Request &request, const Http::Responder &responder);
    void refresh(const Http::Request &request, const Http::Responder &responder);
    void logout(const Http::Request &request, const Http::Responder &responder);
    void changePassword(const Http::Request &request, const Http::Responder &responder);
    void listDevices(const Http::Request &request, const Http::Responder &responder);
    void revokeOtherDevices(const Http::Request &request, const Http::Responder &responder);
    void revokeDevice(const Http::Request &request, const Http::Responder &responder);
    void deleteAccount(const Http::Request &request, const Http::Responder &responder);
    void health(const Http::Request &request, const Http::Responder &responder);
    void metrics(const Http::Request &request, const Http::Responder &responder);

    /// Per-address limit on the password and token endpoints, kept across connections; answers 429 and
    /// returns false when hit.
    bool admit(const Http::Request &request, const Http::Responder &responder);
    /// The JSON object body, or answers 415/400 and returns nothing.
    std::optional<QJsonObject> jsonBody(const Http::Request &request, const Http::Responder &responder);
    void answer(const Http::Responder &responder, const Http::Response &response);
    using ActorThen = std::function<void(const AccountActor &actor)>;
    /// Runs `then` with the signed-in user of a request with `Authorization: Bearer <access token>`, or
    /// answers 401. A login another node made is looked up off the event loop: `then` may run later.
    void signedIn(const Http::Request &request, const Http::Responder &responder, ActorThen then);
    /// changePassword() and deleteAccount() once signedIn() knows who asks.
    void changePasswordAs(const AccountActor &actor, const Http::Request &request, const Http::Responder &responder);
    void deleteAccountAs(const AccountActor &actor, const Http::Request &request, const Http::Responder &responder);
    /// An AccountService failure as an HTTP answer (429 with Retry-After when throttled).
    void fail(const Http::Responder &responder, const AccountFailure &failure);

    const ServerConfig &m_config;
    Store &m_store;
    TokenService &m_tokens;
    PasswordHasher &m_hasher;
    AccountService &m_accounts;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    std::function<Metrics::Gauges()> m_gauges;
    TokenBucketTable m_buckets;   ///< per address; bounded, and a flood of addresses cannot reset anyone's
};

} // namespace Tertulia
