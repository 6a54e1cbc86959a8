#pragma once

#include "server/http/httprouter.h"
#include "server/metrics/metrics.h"
#include "server/session/tokenbuckettable.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

namespace Tertulia {

class MonotonicClock;
class PasswordHasher;
class Store;
class TokenService;
struct ServerConfig;

/// The HTTP API: accounts (register, login, refresh, logout), /healthz and /metrics. JSON in, JSON out,
/// errors in the one shape of Http::Response::error.
class AccountApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountApi)

public:
    AccountApi(const ServerConfig &config, Store &store, TokenService &tokens, PasswordHasher &hasher,
               Metrics &metrics, const MonotonicClock &clock, std::function<Metrics::Gauges()> gauges,
               QObject *parent = nullptr);

    void addRoutes(Http::Router &router);

private:
    void registerUser(const Http::Request &request, const Http::Responder &responder);
    void login(const Http::Request &request, const Http::Responder &responder);
    void refresh(const Http::Request &request, const Http::Responder &responder);
    void logout(const Http::Request &request, const Http::Responder &responder);
    void health(const Http::Request &request, const Http::Responder &responder);
    void metrics(const Http::Request &request, const Http::Responder &responder);

    /// Per-address limit on the password and token endpoints, kept across connections; answers 429 and
    /// returns false when hit.
    bool admit(const Http::Request &request, const Http::Responder &responder);
    /// The JSON object body, or answers 415/400 and returns nothing.
    std::optional<QJsonObject> jsonBody(const Http::Request &request, const Http::Responder &responder);
    void answer(const Http::Responder &responder, const Http::Response &response);

    const ServerConfig &m_config;
    Store &m_store;
    TokenService &m_tokens;
    PasswordHasher &m_hasher;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    std::function<Metrics::Gauges()> m_gauges;
    TokenBucketTable m_buckets;   ///< per address; bounded, and a flood of addresses cannot reset anyone's
};

} // namespace Tertulia
