#pragma once

#include <QtCore/QString>

namespace Tertulia {

struct ServerConfig;

struct HealthcheckResult
{
    bool healthy = false;
    QString message; ///< one line for the operator: what answered, or what failed
};

/// `tertulia-server --healthcheck`: asks the server that `config` describes (the same --config and --listen
/// as the service) for GET /healthz and says whether it answered 200 with "status":"ok". The listen address
/// 0.0.0.0 or :: is reached on loopback. With TLS the request goes over https and the certificate is not
/// checked: this asks a local process whether it serves (a container's HEALTHCHECK, a monitoring probe), it
/// sends nothing secret. Runs its own event loop until an answer or `timeoutMs`.
HealthcheckResult checkHealth(const ServerConfig &config, int timeoutMs = 5000);

} // namespace Tertulia
