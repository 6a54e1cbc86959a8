#include "support/wsclient.h"

#include <QtNetwork/QNetworkRequest>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocketHandshakeOptions>

namespace Tertulia::Test {

using namespace Protocol;

WsClient::WsClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &WsClient::onText);
}

WsClient::~WsClient() { m_socket.abort(); }

bool WsClient::open(const QUrl &url, const OpenOptions &options)
{
    QNetworkRequest request(url);
    if (!options.bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + options.bearer.toLatin1());
    if (!options.origin.isEmpty())
        request.setRawHeader("Origin", options.origin);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(options.subprotocols);
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    m_socket.open(request, handshake);
    QDeadlineTimer deadline(10000);
    while (connected.isEmpty() && disconnected.isEmpty() && !deadline.hasExpired()) {
        QSignalSpy state(&m_socket, &QWebSocket::stateChanged);
        state.wait(100);
    }
    return !connected.isEmpty() && m_socket.state() == QAbstractSocket::ConnectedState;
}

bool WsClient::openAndAuth(const QUrl &url, const QString &accessToken)
{
    if (!open(url))
        return false;
    const Reply reply = request(Request::auth(nextId(), accessToken));
    return reply.isOk();
}

void WsClient::post(const Request &request) { m_socket.sendTextMessage(QString::fromUtf8(encode(request))); }

Reply WsClient::request(Request request)
{
    if (request.id.isEmpty())
        request.id = nextId();
    const qsizetype before = m_replies.size();
    post(request);
    const QString id = request.id;
    auto find = [&]() -> std::optional<Reply> {
        for (qsizetype i = before; i < m_replies.size(); ++i) {
            if (m_replies[i].id == id)
                return m_replies[i];
        }
        return std::nullopt;
    };
    QDeadlineTimer deadline(10000);
    while (!find() && !deadline.hasExpired() && m_socket.state() == QAbstractSocket::ConnectedState) {
        QSignalSpy spy(&m_socket, &QWebSocket::textMessageReceived);
        spy.wait(50);
    }
    return find().value_or(Reply::failure(id, ErrorCode::Internal, QStringLiteral("no reply")));
}

std::optional<Event> WsClient::waitForEvent(EventType type, const std::function<bool(const Event &)> &match,
                                            int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        for (qsizetype i = m_consumed; i < m_events.size(); ++i) {
            if (m_events[i].type == type && (!match || match(m_events[i]))) {
                m_consumed = i + 1;
                return m_events[i];
            }
        }
        if (deadline.hasExpired())
            return std::nullopt;
        QSignalSpy spy(&m_socket, &QWebSocket::textMessageReceived);
        spy.wait(50);
    }
}

QList<ChatMessage> WsClient::messages(const QString &room) const
{
    QList<ChatMessage> result;
    for (const Event &event : m_events) {
        if (event.type != EventType::Message)
            continue;
        auto parsed = ChatMessage::fromJson(event.data);
        if (const auto *message = std::get_if<ChatMessage>(&parsed); message && (room.isEmpty() || message->room == room))
            result.append(*message);
    }
    return result;
}

bool WsClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&m_socket, &QWebSocket::disconnected);
    return spy.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

void WsClient::onText(const QString &text)
{
    auto decoded = decodeServerFrame(text.toUtf8());
    if (auto *reply = std::get_if<Reply>(&decoded))
        m_replies.append(*reply);
    else if (auto *event = std::get_if<Event>(&decoded))
        m_events.append(*event);
    else
        qWarning() << "undecodable server frame:" << text.left(200);
}

} // namespace Tertulia::Test
