#include "server/http/httpconnection.h"

#include "server/http/httprouter.h"

#include <QtCore/QLoggingCategory>
#include <QtNetwork/QTcpSocket>

#include <algorithm>

Q_LOGGING_CATEGORY(lcHttp, "tertulia.server.http", QtInfoMsg)

namespace Tertulia::Http {

using Protocol::ErrorCode;

namespace {
int statusFor(ParseError error)
{
    switch (error) {
    case ParseError::HeadTooLarge: return 431;
    case ParseError::NotImplemented: return 501;
    case ParseError::BadVersion: return 505;
    case ParseError::BadRequest:
    case ParseError::Incomplete: break;
    }
    return 400;
}
} // namespace

Connection::Connection(QTcpSocket *socket, const Router &router, const ConnectionLimits &limits,
                       std::optional<Response> refusal, QObject *parent)
    : QObject(parent), m_socket(socket), m_router(router), m_limits(limits), m_refusal(std::move(refusal))
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress().toString();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        qCDebug(lcHttp) << "peer" << m_peer << "timed out in state" << int(m_state);
        if (m_state == State::Head && m_headStarted)
            fail(408, ErrorCode::BadRequest, QStringLiteral("the request head took too long"));
        else if (m_state == State::Body)
            checkBodyProgress();
        else
            close();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::close);
    armTimer(m_limits.firstRequestTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
}

Connection::~Connection()
{
    // Best effort, without blocking: an answer written just before the connection is destroyed (a long poll
    // answered with the `closing` event at shutdown, when the server deletes its connections right after
    // closing its sessions) goes to the kernel instead of vanishing with the socket's buffer, also when the
    // socket is already closing after a `Connection: close` answer.
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState && m_socket->bytesToWrite() > 0)
        m_socket->flush();
}

void Connection::armTimer(int ms) { m_timer.start(ms); }

void Connection::checkBodyProgress()
{
    const qint64 perWindow = std::max<qint64>(1, qint64(m_limits.minBodyBytesPerSecond) * m_limits.bodyTimeoutMs / 1000);
    if (m_windowReceived < std::min(perWindow, m_windowMissing)) {
        qCDebug(lcHttp) << "peer" << m_peer << "sent" << m_windowReceived << "body bytes in a window, needed"
                        << std::min(perWindow, m_windowMissing);
        fail(408, ErrorCode::BadRequest, QStringLiteral("the request body stalled (fewer than %1 bytes in %2 ms)")
                                             .arg(std::min(perWindow, m_windowMissing))
                                             .arg(m_limits.bodyTimeoutMs));
        return;
    }
    m_windowMissing = m_bodyExpected - m_request.body.size();
    m_windowReceived = 0;
    armTimer(m_limits.bodyTimeoutMs);
}

void Connection::onReadyRead()
{
    if (m_state == State::Head)
        processHead();
    else if (m_state == State::Body)
        processBody();
    else if (m_state == State::Lingering)
        m_socket->readAll(); // the rest of a refused body: read and drop, so closing does not reset
    // In Awaiting, further (pipelined) bytes wait in the socket until the answer is out.
}

void Connection::processHead()
{
    if (m_socket->bytesAvailable() == 0)
        return;
    if (!m_headStarted) {
        m_headStarted = true;
        armTimer(m_limits.headTimeoutMs);
    }
    const QByteArray peeked = m_socket->peek(m_limits.maxHeadBytes);
    auto parsed = parseRequestHead(peeked, m_limits.maxHeadBytes);
    if (auto *error = std::get_if<HeadError>(&parsed)) {
        if (error->error != ParseError::Incomplete)
            fail(statusFor(error->error), ErrorCode::BadRequest, error->message);
        return;
    }
    auto &head = std::get<ParsedHead>(parsed);
    m_request = std::move(head.request);
    m_request.peerAddress = m_peer;

    if (m_refusal) {
        m_socket->read(head.headLength);
        finish(*m_refusal, false);
        return;
    }

    const Router::Match match = m_router.match(m_request);
    if (match.upgrade) {
        // Hand the socket over with the request still unread: the handler reads it itself (the fast path's
        // takeover takes every byte Qt has buffered; WebSocket::Connection reads request.headLength).
        m_timer.stop();
        m_socket->disconnect(this);
        const std::optional<Response> refusal = (*match.upgrade)(m_socket, m_request);
        if (refusal) {
            // The handler refused and gave the socket back.
            connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
            connect(m_socket, &QTcpSocket::disconnected, this, &Connection::close);
            m_socket->setParent(this);
            m_socket->read(head.headLength);
            finish(*refusal, false);
            return;
        }
        m_socket = nullptr;
        m_state = State::HandedOver;
        Q_EMIT closed();
        deleteLater();
        return;
    }
    if (m_request.isWebSocketUpgrade() && !match.handler) {
        m_socket->read(head.headLength);
        finish(Response::error(404, ErrorCode::NotFound,
                               QStringLiteral("no WebSocket endpoint at %1").arg(m_request.path)),
               false);
        return;
    }
    if (match.refusal) {
        m_socket->read(head.headLength);
        finish(*match.refusal, false);
        return;
    }
    m_handler = match.handler;
    m_bodyExpected = m_request.contentLength();
    if (m_bodyExpected > match.maxBodyBytes) {
        // The client is probably still sending the body: answer, then drain it for a moment before closing,
        // or the close would reset the connection and lose the answer.
        m_socket->readAll();
        m_state = State::Lingering;
        armTimer(2000);
        finish(Response::error(413, ErrorCode::TooLarge,
                               QStringLiteral("the request body is larger than %1 bytes").arg(match.maxBodyBytes)),
               false);
        return;
    }
    m_socket->read(head.headLength);
    m_state = State::Body;
    m_windowMissing = m_bodyExpected;
    m_windowReceived = 0;
    armTimer(m_limits.bodyTimeoutMs);
    processBody();
}

void Connection::processBody()
{
    const qint64 missing = m_bodyExpected - m_request.body.size();
    if (missing > 0) {
        const QByteArray bytes = m_socket->read(missing);
        m_windowReceived += bytes.size();
        m_request.body += bytes;
    }
    if (m_request.body.size() < m_bodyExpected)
        return;
    dispatch();
}

void Connection::dispatch()
{
    m_state = State::Awaiting;
    m_timer.stop();
    ++m_serial;
    // The handler may answer synchronously (respond() re-enters) or keep the responder for later.
    const Request request = m_request;
    (*m_handler)(request, Responder(this, m_serial));
}

void Connection::respond(quint64 serial, const Response &response)
{
    if (!isAwaiting(serial))
        return;
    finish(response, m_request.keepAlive());
}

void Connection::finish(const Response &response, bool keepAlive)
{
    if (!m_socket)
        return;
    m_socket->write(response.serialize(keepAlive));
    if (m_state == State::Lingering)
        return;
    m_request = Request();
    m_bodyExpected = 0;
    m_headStarted = false;
    if (!keepAlive) {
        m_state = State::Closing;
        armTimer(m_limits.headTimeoutMs); // a peer that never reads the answer is cut off
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Head;
    armTimer(m_limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
}

void Connection::fail(int status, ErrorCode code, const QString &message)
{
    qCDebug(lcHttp) << "peer" << m_peer << "refused:" << status << message;
    if (m_socket)
        m_socket->readAll(); // discard: the connection closes after the answer
    finish(Response::error(status, code, message), false);
}

void Connection::close()
{
    if (m_state == State::HandedOver)
        return;
    m_state = State::HandedOver;
    m_timer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT closed();
    deleteLater();
}

} // namespace Tertulia::Http
