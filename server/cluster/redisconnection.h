#pragma once

#include "server/cluster/redisaddress.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

struct redisAsyncContext;
class QSocketNotifier;

namespace Tertulia {

/// A Redis reply as a value (hiredis's redisReply, copied out of the library's memory).
struct RedisReply
{
    enum class Type { Nil, Status, Error, Integer, String, Array };
    Type type = Type::Nil;
    QByteArray text;            ///< Status, Error, String
    qint64 integer = 0;         ///< Integer
    QList<RedisReply> elements; ///< Array

    bool isError() const { return type == Type::Error; }
};

/// One hiredis asynchronous connection driven by Qt's event loop: two QSocketNotifiers (read, write) that
/// hiredis switches through its event hooks. hiredis (0.14 on Debian 12) ships adapters for ae, glib,
/// ivykis, libev, libevent, libuv and macOS run loops, and a Qt one (adapters/qt.h) that does not fit: it is
/// a Q_OBJECT class in a system header (AUTOMOC never sees it; every user would need moc on /usr/include),
/// it connects through the string-based, moc-compat `activated(int)` signal, and it deletes the notifier
/// whose signal is being handled when hiredis frees the context from inside a read. This one enables and
/// disables two notifiers it owns, defers their deletion, and never lets a callback re-enter hiredis.
///
/// Commands may be sent at once after open(), before the connection is up (hiredis buffers them). A lost
/// connection is reported once by disconnected(), from the event loop (never from inside hiredis), and the
/// connection is then closed: open() again, or make a new one.
class RedisConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisConnection)

public:
    explicit RedisConnection(const RedisAddress &address, QObject *parent = nullptr);
    ~RedisConnection() override;

    /// Starts connecting. False with `errorMessage` when that fails at once (no such socket, no memory).
    bool open(QString *errorMessage);
    void close();
    bool isOpen() const { return m_context != nullptr; }
    /// Whether the connection is established (open() started it; connected() said so).
    bool isConnected() const { return m_context != nullptr && m_connected; }

    /// Sends a command, argument by argument (binary-safe). `onReply` is called with its reply; not when the
    /// connection is lost first (disconnected() says so). False when the connection is closed.
    bool command(const QList<QByteArray> &arguments, std::function<void(const RedisReply &)> onReply = {});
    /// SUBSCRIBE: subscribed() for each channel the server confirms, then message() for every message.
    bool subscribe(const QList<QByteArray> &channels);
    /// Handles what already arrived on the socket now, not at the next pass of the event loop.
    void readPending();

Q_SIGNALS:
    void connected();
    void subscribed(const QByteArray &channel);
    void message(const QByteArray &channel, const QByteArray &payload);
    void disconnected(const QString &reason);

private:
    friend struct RedisHooks;

    void dropNotifiers();
    void handleRead();
    void handleWrite();
    void lost(const QString &reason);

    RedisAddress m_address;
    redisAsyncContext *m_context = nullptr;
    bool m_connected = false;
    int m_inLibrary = 0;                   ///< > 0 while hiredis runs on our stack (callbacks must not free it)
    QPointer<QSocketNotifier> m_read;
    QPointer<QSocketNotifier> m_write;
};

} // namespace Tertulia
