#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace Tertulia::Http {

class Router;
class Responder;

struct ConnectionLimits
{
    qsizetype maxHeadBytes = 8 * 1024;
    int headTimeoutMs = 5000;   ///< the whole head must arrive this soon after its first byte (slowloris)
    /// A request body must keep coming, not arrive within a total: in every window of this length at least
    /// minBodyBytesPerSecond × the window (or all that is still missing, when less) must arrive. A large upload
    /// on a slow link goes through; a peer that stalls, or trickles a byte now and then (slowloris), is cut off
    /// after one window (408). The total is thereby bounded too: body size / rate + one window.
    int bodyTimeoutMs = 10000;
    int minBodyBytesPerSecond = 1024;
    int firstRequestTimeoutMs = 5000; ///< a new connection must send its first request this soon
    int idleTimeoutMs = 30000;  ///< keep-alive connection without a further request
};

/// Serves HTTP/1.1 requests on one accepted socket, one at a time (a pipelined request waits until the
/// previous one is answered). It peeks at the socket until a whole head has arrived, so that a WebSocket
/// upgrade can be handed to its handler with the request bytes still unread.
class Connection : public QObject
{
    Q_OBJECT

public:
    /// Takes ownership of the socket. With a refusal, the first request is answered with it and the
    /// connection closed (over-limit connections get a clear HTTP error, not a reset).
    Connection(QTcpSocket *socket, const Router &router, const ConnectionLimits &limits,
               std::optional<Response> refusal = std::nullopt, QObject *parent = nullptr);
    ~Connection() override;

    void respond(quint64 serial, const Response &response);
    bool isAwaiting(quint64 serial) const { return m_state == State::Awaiting && serial == m_serial; }
    QString peerAddress() const { return m_peer; }

Q_SIGNALS:
    /// The socket closed (or was handed over); the object deletes itself afterwards.
    void closed();

private:
    enum class State { Head, Body, Awaiting, Closing, Lingering, HandedOver };

    void onReadyRead();
    void processHead();
    void processBody();
    void dispatch();
    void finish(const Response &response, bool keepAlive);
    void fail(int status, Protocol::ErrorCode code, const QString &message);
    void close();
    void armTimer(int ms);
    /// The body window ended: enough arrived (another window begins), or 408.
    void checkBodyProgress();

    QTcpSocket *m_socket;
    const Router &m_router;
    ConnectionLimits m_limits;
    std::optional<Response> m_refusal;
    State m_state = State::Head;
    Request m_request;
    const std::function<void(const Request &, const Responder &)> *m_handler = nullptr;
    qint64 m_bodyExpected = 0;
    qint64 m_windowMissing = 0;  ///< body bytes still missing when the current body window began
    qint64 m_windowReceived = 0; ///< body bytes received in the current window
    quint64 m_serial = 0;
    bool m_headStarted = false;
    QTimer m_timer;
    QString m_peer;
};

} // namespace Tertulia::Http
