#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QtCore/QByteArray>

#include <functional>

namespace Tertulia::EngineIo {

/// Settings of an Engine.IO endpoint. The defaults are the reference server's.
struct ServerOptions
{
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    qint64 maxPayload = 1000000;       ///< bytes of a polling POST body or a WebSocket message; announced
    int upgradeTimeoutMs = 10000;      ///< a WebSocket probe must complete the upgrade this soon
    /// A closing polling session waits this long for a GET to say "close"; a WebSocket this long for the
    /// answer to its close frame.
    int closeTimeoutMs = 10000;
    /// A WebSocket frame, or a message in fragments, must arrive whole this soon after its first byte
    /// (WebSocket::Connection; 0: no deadline).
    int messageTimeoutMs = 10000;
    int maxSessions = 0;               ///< open sessions in total (0: no bound); more get HTTP 503
    int maxSessionsPerPeer = 0;        ///< open sessions per client address (0: no bound)
    /// Put in front of every session id as "<tag>.<random>" (the node's id when several nodes serve one
    /// chat), so a load balancer can send each long-polling request to the node that holds its session
    /// without cookies (docs/scaling.md). Empty: plain random ids.
    QString sidTag;
    bool allowPolling = true;
    bool allowWebSocket = true;
    /// Decides whether a browser Origin may connect; requests without an Origin header (non-browser
    /// clients) never reach it. Null: every origin is allowed. Allowed origins get CORS headers.
    std::function<bool(const QByteArray &origin, const Http::Request &request)> originAllowed;
};

/// Whether the request's Origin (if any) may use the endpoint.
bool originPermitted(const ServerOptions &options, const Http::Request &request);
/// Adds the CORS headers a browser needs to read the answer, when the request has a permitted Origin.
void addCorsHeaders(const ServerOptions &options, const Http::Request &request, Http::Response &response);

} // namespace Tertulia::EngineIo
