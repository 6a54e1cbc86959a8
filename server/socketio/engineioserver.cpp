#include "server/socketio/engineioserver.h"

#include "server/socketio/engineiosocket.h"
#include "server/socketio/randomid.h"
#include "server/socketio/socketiologging.h"
#include "server/websocket/websocketconnection.h"
#include "server/websocket/websockethandshake.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace Tertulia::EngineIo {

namespace {
const QString kPolling = QStringLiteral("polling");
const QString kWebSocket = QStringLiteral("websocket");
} // namespace

QString errorMessage(RequestError error)
{
    switch (error) {
    case RequestError::UnknownTransport: return u"Transport unknown"_s;
    case RequestError::UnknownSid: return u"Session ID unknown"_s;
    case RequestError::BadHandshakeMethod: return u"Bad handshake method"_s;
    case RequestError::BadRequest: return u"Bad request"_s;
    case RequestError::Forbidden: return u"Forbidden"_s;
    case RequestError::UnsupportedProtocolVersion: return u"Unsupported protocol version"_s;
    }
    return {};
}

Server::Server(const ServerOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_deferred(this) // a child: it follows moveToThread()
{
}

Server::~Server()
{
    // Sessions are children; make sure none outlives the options they refer to.
    const auto sessions = m_sessions;
    for (const QPointer<Socket> &session : sessions)
        delete session.data();
}

Socket *Server::session(const QString &sid) const { return m_sessions.value(sid); }

void Server::addRoutes(Http::Router &router, const QString &prefix)
{
    router.addPrefixRoute(
        prefix, [this](const Http::Request &request, const Http::Responder &responder) { handleRequest(request, responder); },
        m_options.maxPayload);
    router.addUpgrade(prefix, [this](QTcpSocket *socket, const Http::Request &request) {
        return handleUpgrade(socket, request);
    });
}

void Server::closeAll()
{
    const auto sessions = m_sessions;
    for (const QPointer<Socket> &session : sessions) {
        if (session)
            session->close();
    }
}

std::optional<RequestError> Server::verify(const Http::Request &request, bool upgrade)
{
    // Socket-notifier events run before timers in one event-loop pass: settle a due heartbeat first.
    if (Socket *session = m_sessions.value(request.query.queryItemValue(u"sid"_s)))
        session->applyOverdueDeadline();
    const QString transport = request.query.queryItemValue(u"transport"_s);
    if (!(transport == kPolling && m_options.allowPolling) && !(transport == kWebSocket && m_options.allowWebSocket))
        return RequestError::UnknownTransport;
    if (!originPermitted(m_options, request))
        return RequestError::Forbidden;
    const bool versionOk = request.query.queryItemValue(u"EIO"_s) == u"4";
    const QString sid = request.query.queryItemValue(u"sid"_s);
    if (!sid.isEmpty()) {
        const Socket *session = m_sessions.value(sid);
        if (!session)
            return RequestError::UnknownSid;
        if (!versionOk)
            return RequestError::BadRequest;
        if (upgrade) {
            // Only to WebSocket. Whether the session can take it (it may have upgraded already, or be
            // upgrading) is the probe's decision, after the handshake, as on the reference server.
            if (transport != kWebSocket)
                return RequestError::BadRequest;
        } else if ((session->transport() == Socket::Transport::Polling) != (transport == kPolling)) {
            return RequestError::BadRequest; // e.g. a poll for a session that moved to WebSocket
        }
        return std::nullopt;
    }
    if (request.method != "GET")
        return RequestError::BadHandshakeMethod;
    if ((transport == kWebSocket) != upgrade)
        return RequestError::BadRequest;
    if (!versionOk)
        return RequestError::UnsupportedProtocolVersion;
    return std::nullopt;
}

Http::Response Server::errorResponse(RequestError error, const Http::Request &request)
{
    Q_EMIT refused(error);
    const QJsonObject body{{u"code"_s, int(error)}, {u"message"_s, errorMessage(error)}};
    Http::Response response = Http::Response::text(error == RequestError::Forbidden ? 403 : 400,
                                                   QJsonDocument(body).toJson(QJsonDocument::Compact),
                                                   "application/json");
    addCorsHeaders(m_options, request, response);
    return response;
}

void Server::handleRequest(const Http::Request &request, const Http::Responder &responder)
{
    qCDebug(lcEngineIo) << request.method << request.target << "from" << request.peerAddress;
    if (request.method == "OPTIONS") {
        // CORS preflight (a page of another allowed origin that sends headers a simple request cannot).
        if (!originPermitted(m_options, request)) {
            responder.send(errorResponse(RequestError::Forbidden, request));
            return;
        }
        Http::Response response = Http::Response::text(204, {}, "text/plain");
        addCorsHeaders(m_options, request, response);
        response.setHeader("Access-Control-Allow-Methods", "GET, POST");
        const QByteArray asked = request.header("access-control-request-headers");
        if (!asked.isEmpty())
            response.setHeader("Access-Control-Allow-Headers", asked);
        response.setHeader("Access-Control-Max-Age", "600");
        responder.send(response);
        return;
    }
    if (const auto error = verify(request, false)) {
        qCDebug(lcEngineIo) << "refused" << request.method << request.target << errorMessage(*error);
        responder.send(errorResponse(*error, request));
        return;
    }
    const QString sid = request.query.queryItemValue(u"sid"_s);
    if (sid.isEmpty()) {
        if (auto refusal = overCapacity(request)) {
            responder.send(*refusal);
            return;
        }
        Socket *session = createSession(int(Socket::Transport::Polling), request);
        session->handlePoll(request, responder); // answers with the open packet
        Q_EMIT connection(session);
        return;
    }
    Socket *session = m_sessions.value(sid);
    if (request.method == "GET")
        session->handlePoll(request, responder);
    else if (request.method == "POST")
        session->handlePost(request, responder);
    else
        responder.send(errorResponse(RequestError::BadRequest, request));
}

std::optional<Http::Response> Server::handleUpgrade(QTcpSocket *socket, const Http::Request &request)
{
    if (const auto error = verify(request, true)) {
        qCDebug(lcEngineIo) << "refused upgrade" << request.target << errorMessage(*error);
        return errorResponse(*error, request);
    }
    const QString sid = request.query.queryItemValue(u"sid"_s);
    if (sid.isEmpty()) {
        if (auto refusal = overCapacity(request))
            return refusal;
    }
    auto handshake = WebSocket::acceptHandshake(request, {});
    if (auto *refusal = std::get_if<Http::Response>(&handshake))
        return *refusal;
    // Answered at once: the request head arrived within the HTTP layer's deadline, so the handshake needs no
    // deadline of its own.
    WebSocket::Connection::Options options;
    options.maxMessageBytes = m_options.maxPayload;
    options.closeTimeoutMs = m_options.closeTimeoutMs;
    options.messageTimeoutMs = m_options.messageTimeoutMs;
    auto *webSocket = new WebSocket::Connection(socket, options, this);
    webSocket->start(request, std::get<QByteArray>(handshake));
    if (sid.isEmpty()) {
        Socket *session = createSession(int(Socket::Transport::WebSocket), request);
        session->attachWebSocket(webSocket);
        Q_EMIT connection(session);
        return std::nullopt;
    }
    m_sessions.value(sid)->probe(webSocket); // verify() found the session
    return std::nullopt;
}

Socket *Server::createSession(int transport, const Http::Request &request)
{
    const QString prefix = m_options.sidTag.isEmpty() ? QString() : m_options.sidTag + u'.';
    QString sid = prefix + SocketIo::randomId(15);
    while (m_sessions.contains(sid))
        sid = prefix + SocketIo::randomId(15);
    auto *session = new Socket(sid, Socket::Transport(transport), m_options, request, m_deferred, this);
    m_sessions.insert(sid, session);
    ++m_sessionsPerPeer[request.peerAddress];
    connect(session, &Socket::finished, this, [this, session] {
        m_sessions.remove(session->id());
        auto peer = m_sessionsPerPeer.find(session->peerAddress());
        if (peer != m_sessionsPerPeer.end() && --*peer <= 0)
            m_sessionsPerPeer.erase(peer);
        m_deferred.deleteLater(session);
    });
    session->start();
    qCDebug(lcEngineIo) << "sid" << sid << "opened from" << request.peerAddress
                        << (transport == int(Socket::Transport::Polling) ? "polling" : "websocket");
    return session;
}

std::optional<Http::Response> Server::overCapacity(const Http::Request &request)
{
    const bool full = m_options.maxSessions > 0 && m_sessions.size() >= m_options.maxSessions;
    const bool peerFull = m_options.maxSessionsPerPeer > 0
                       && m_sessionsPerPeer.value(request.peerAddress) >= m_options.maxSessionsPerPeer;
    if (!full && !peerFull)
        return std::nullopt;
    Q_EMIT overloaded(!full);
    const QJsonObject body{{u"code"_s, int(RequestError::BadRequest)},
                           {u"message"_s, full ? u"the server is full; retry later"_s
                                                : u"too many sessions from your address"_s}};
    Http::Response response = Http::Response::text(503, QJsonDocument(body).toJson(QJsonDocument::Compact),
                                                   "application/json");
    response.setHeader("Retry-After", "5");
    addCorsHeaders(m_options, request, response);
    return response;
}

} // namespace Tertulia::EngineIo
