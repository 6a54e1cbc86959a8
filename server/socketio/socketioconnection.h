#pragma once

#include "server/socketio/socketiodecoder.h"
#include "server/socketio/socketiosocket.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Tertulia::EngineIo {
class Socket;
}

namespace Tertulia::SocketIo {

class Server;

/// The Socket.IO side of one Engine.IO session: decodes its messages (reassembling binary packets),
/// routes them to the namespace sockets, and closes the session on any protocol violation, as the
/// reference server does. Lives as a child of the Engine.IO socket.
class Connection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    Connection(EngineIo::Socket &engine, Server &server);
    ~Connection() override;

    EngineIo::Socket &engine() const { return m_engine; }
    /// Sends one encoded packet and its attachments.
    void write(const QString &text, const QList<QByteArray> &attachments);
    /// The socket has left (refused, or disconnected from its namespace).
    void remove(Socket *socket);
    /// The socket's CONNECT was accepted: the connect deadline no longer applies.
    void accepted();
    /// Closes the Engine.IO session after a protocol violation.
    void fail(DecodeError error);

private:
    void onText(const QString &text);
    void onBinary(const QByteArray &bytes);
    void onDecoded(const Decoder::Result &result);
    void dispatch(const CompletePacket &complete);
    void onEngineClosed(int reason);

    EngineIo::Socket &m_engine;
    Server &m_server;
    Decoder m_decoder;
    QHash<QString, QPointer<Socket>> m_sockets;   ///< by namespace
    QTimer m_connectTimer;
    bool m_failed = false;
};

} // namespace Tertulia::SocketIo
