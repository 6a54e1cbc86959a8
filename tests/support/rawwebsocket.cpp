#include "support/rawwebsocket.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QRandomGenerator>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

namespace Tertulia::Test {

int RawWebSocket::Frame::closeCode() const
{
    if (opcode != 8 || payload.size() < 2)
        return 0;
    return (quint8(payload[0]) << 8) | quint8(payload[1]);
}

void RawWebSocket::setTls(const QSslConfiguration &configuration)
{
    m_socket.setSslConfiguration(configuration);
    m_tls = true;
}

int RawWebSocket::open(quint16 port, const QByteArray &path, const QList<QByteArray> &extraHeaders)
{
    if (m_tls) {
        // Waits in the event loop: the server's side of the TLS handshake may run in this thread too.
        QSignalSpy encrypted(&m_socket, &QSslSocket::encrypted);
        m_socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
        if (!encrypted.wait(5000))
            return 0;
    } else {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(5000))
            return 0;
    }
    QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Protocol: tertulia.v1\r\n";
    for (const QByteArray &header : extraHeaders)
        request += header + "\r\n";
    m_socket.write(request + "\r\n");
    QDeadlineTimer deadline(10000);
    while (!m_buffer.contains("\r\n\r\n") && !deadline.hasExpired()
           && m_socket.state() == QAbstractSocket::ConnectedState) {
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        spy.wait(100);
        m_buffer += m_socket.readAll();
    }
    m_buffer += m_socket.readAll();
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return 0;
    const QByteArray statusLine = m_buffer.left(m_buffer.indexOf("\r\n"));
    m_buffer.remove(0, end + 4);
    return statusLine.split(' ').value(1).toInt();
}

QByteArray RawWebSocket::maskedFrame(int opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    const quint32 key = QRandomGenerator::global()->generate();
    const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

void RawWebSocket::sendText(const QByteArray &text)
{
    m_socket.write(maskedFrame(1, text));
    m_socket.flush();
}

std::optional<RawWebSocket::Frame> RawWebSocket::takeFrame()
{
    if (m_buffer.size() < 2)
        return std::nullopt;
    const int opcode = quint8(m_buffer[0]) & 0x0f;
    quint64 length = quint8(m_buffer[1]) & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (m_buffer.size() < 4)
            return std::nullopt;
        length = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
        offset = 4;
    } else if (length == 127) {
        if (m_buffer.size() < 10)
            return std::nullopt;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | quint8(m_buffer[2 + i]);
        offset = 10;
    }
    if (quint64(m_buffer.size() - offset) < length)
        return std::nullopt;
    Frame frame{opcode, m_buffer.mid(offset, qsizetype(length))};
    m_buffer.remove(0, offset + qsizetype(length));
    return frame;
}

std::optional<RawWebSocket::Frame> RawWebSocket::readFrame(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        m_buffer += m_socket.readAll();
        if (auto frame = takeFrame())
            return frame;
        if (deadline.hasExpired() || m_socket.state() != QAbstractSocket::ConnectedState)
            return std::nullopt;
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        spy.wait(100);
    }
}

int RawWebSocket::waitForClose(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto frame = readFrame(int(std::max<qint64>(1, deadline.remainingTime())));
        if (!frame)
            return 0;
        if (frame->opcode == 8)
            return frame->closeCode();
    }
    return 0;
}

} // namespace Tertulia::Test
