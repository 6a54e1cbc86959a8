#pragma once

#include "shared/protocol/closecode.h"
#include "shared/protocol/frames.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <functional>
#include <optional>

namespace Tertulia::Test {

/// A native-protocol client on a real QWebSocket for tests: sends requests and waits for their replies,
/// records every event and the close code.
class WsClient : public QObject
{
    Q_OBJECT

public:
    explicit WsClient(QObject *parent = nullptr);
    ~WsClient() override;

    struct OpenOptions
    {
        QString bearer;
        QByteArray origin;
        QStringList subprotocols{QStringLiteral("tertulia.v1")};
    };
    /// Connects and waits for the handshake; false when refused or timed out.
    bool open(const QUrl &url, const OpenOptions &options);
    bool open(const QUrl &url) { return open(url, OpenOptions{}); }
    /// Connects with the token in the first frame; true when `auth` was answered ok.
    bool openAndAuth(const QUrl &url, const QString &accessToken);

    /// Sends and waits (up to 10 s) for the reply with the request's id. A missing reply is an error reply
    /// with the code Internal and the message "no reply".
    Protocol::Reply request(Protocol::Request request);
    /// Sends without waiting.
    void post(const Protocol::Request &request);
    QString nextId() { return QString::number(++m_lastId); }

    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }
    void sendBinary(const QByteArray &bytes) { m_socket.sendBinaryMessage(bytes); }

    /// Waits for an event of the type (and matching the predicate) that arrived since the last call
    /// consumed events up to it.
    std::optional<Protocol::Event> waitForEvent(Protocol::EventType type,
                                                const std::function<bool(const Protocol::Event &)> &match = {},
                                                int timeoutMs = 10000);
    const QList<Protocol::Event> &events() const { return m_events; }
    /// The `message` events received so far, in arrival order.
    QList<Protocol::ChatMessage> messages(const QString &room = {}) const;
    /// Every reply received (including ones no request waits for).
    const QList<Protocol::Reply> &replies() const { return m_replies; }

    bool waitForDisconnected(int timeoutMs = 10000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return int(m_socket.closeCode()); }
    QString closeReason() const { return m_socket.closeReason(); }
    QWebSocket &socket() { return m_socket; }

private:
    void onText(const QString &text);

    QWebSocket m_socket;
    QList<Protocol::Event> m_events;
    QList<Protocol::Reply> m_replies;
    qsizetype m_consumed = 0;
    int m_lastId = 0;
};

/// A reply's error code, or nullopt for a success: for QCOMPARE against an expected refusal (or none).
inline std::optional<Protocol::ErrorCode> errorCodeOf(const Protocol::Reply &reply)
{
    return reply.error ? std::optional<Protocol::ErrorCode>(reply.error->code) : std::nullopt;
}

} // namespace Tertulia::Test
