#pragma once

#include "server/socketio/socketiopacket.h"

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <optional>

namespace Tertulia::EngineIo {
class Socket;
}

namespace Tertulia::SocketIo {

class Connection;

/// An event a client emitted: its name, its arguments (binary ones as placeholders naming
/// `attachments`), and the ack id when the client waits for an acknowledgement.
struct Event
{
    QString name;
    QJsonArray args;
    QList<QByteArray> attachments;
    std::optional<qint64> ackId;
};

/// The arguments of an acknowledgement the client sent for one of our events.
struct AckArguments
{
    QJsonArray args;
    QList<QByteArray> attachments;
};

/// One client's connection to one namespace. Created on the client's CONNECT; the namespace's
/// handler accepts or refuses it (now or later). Owned by the Engine.IO connection it runs on.
class Socket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Socket)

public:
    enum class State { Connecting, Connected, Disconnected };
    enum class DisconnectReason {
        ClientNamespaceDisconnect, ///< the client left the namespace
        ServerNamespaceDisconnect, ///< disconnectFromNamespace()
        TransportClose,            ///< the connection went away (or the client closed it)
        TransportError,
        PingTimeout,
        ParseError,                ///< the client sent a malformed packet; the connection was closed
        ServerClose,               ///< the server closed the connection
    };
    using AckCallback = std::function<void(const AckArguments &)>;

    Socket(const QString &id, const QString &nsp, const QJsonObject &auth, Connection &connection);
    ~Socket() override;

    const QString &id() const { return m_id; }
    /// Before accept(): a restored session keeps its former id.
    void setId(const QString &id) { if (m_state == State::Connecting) m_id = id; }
    const QString &nsp() const { return m_nsp; }
    /// The CONNECT packet's payload ({} when there was none).
    const QJsonObject &auth() const { return m_auth; }
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    EngineIo::Socket *engine() const;

    /// Answers the CONNECT: {"sid": id, ...extra}. `greet` runs right after the answer is written and may
    /// emit (an application's greeting, which then precedes everything else); events emitted before accept()
    /// go out after it.
    void accept(const QJsonObject &extra = {}, const std::function<void()> &greet = {});
    /// Answers the CONNECT with CONNECT_ERROR {"message", "data"}; the socket is then gone.
    void refuse(const QString &message, const QJsonValue &data = QJsonValue(QJsonValue::Undefined));

    void emitEvent(const QString &name, const QJsonArray &args = {}, const QList<QByteArray> &attachments = {});
    void emitWithAck(const QString &name, const QJsonArray &args, const QList<QByteArray> &attachments,
                     AckCallback callback);
    void ack(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments = {});
    /// Writes an EVENT or ACK packet encoded elsewhere (one encoding shared by many recipients). It must
    /// be a packet of this socket's namespace without attachments.
    void sendEncoded(const QString &packet);

    /// Leaves the namespace (DISCONNECT packet); the Engine.IO connection stays for other namespaces.
    void disconnectFromNamespace();
    /// Closes the whole Engine.IO connection (every namespace on it).
    void closeConnection();
    /// Drops the connection at once.
    void abortConnection();
    qint64 bytesQueued() const;

    static QString describe(DisconnectReason reason);

Q_SIGNALS:
    void eventReceived(const Tertulia::SocketIo::Event &event);
    /// Emitted once (not after refuse()); the socket is deleted soon after.
    void disconnected(Tertulia::SocketIo::Socket::DisconnectReason reason);

private:
    friend class Connection;
    void write(const Packet &packet, const QList<QByteArray> &attachments);
    void writeEncoded(const QString &text, const QList<QByteArray> &attachments);
    void onPacket(const Packet &packet, const QList<QByteArray> &attachments);
    void markDisconnected(DisconnectReason reason);

    QString m_id;
    QString m_nsp;
    QJsonObject m_auth;
    QPointer<Connection> m_connection;
    State m_state = State::Connecting;
    QList<std::pair<QString, QList<QByteArray>>> m_beforeAccept; ///< encoded packets waiting for accept()
    QHash<qint64, AckCallback> m_acks;
    qint64 m_nextAckId = 0;
};

} // namespace Tertulia::SocketIo
