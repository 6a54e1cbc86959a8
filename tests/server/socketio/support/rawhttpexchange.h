#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtNetwork/QTcpSocket>

#include <utility>

namespace Tertulia::Testing {

/// One HTTP/1.1 request on its own TCP connection, byte for byte, and its response: for protocol tests
/// that need requests in flight at the same time (long polls) or a client that drops a connection.
class RawHttpExchange : public QObject
{
    Q_OBJECT

public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    RawHttpExchange(quint16 port, const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                    const Headers &headers = {}, QObject *parent = nullptr);

    /// Processes events until the whole response is in (false on timeout).
    bool waitForFinished(int timeoutMs = 5000);
    bool isFinished() const { return m_finished; }
    int status() const { return m_status; }
    QByteArray body() const { return m_body; }
    QByteArray header(const QByteArray &name) const;
    /// Drops the connection (a client that gives up).
    void abort() { m_socket.abort(); }

private:
    void onReadyRead();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_finished = false;
    int m_status = 0;
    Headers m_headers;
    QByteArray m_body;
};

} // namespace Tertulia::Testing
