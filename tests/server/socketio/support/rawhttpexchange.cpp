#include "rawhttpexchange.h"

#include <QtTest/QTest>

namespace Tertulia::Testing {

RawHttpExchange::RawHttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                                 const QByteArray &body, const Headers &headers, QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawHttpExchange::onReadyRead);
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_socket.write(request);
}

bool RawHttpExchange::waitForFinished(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_finished; }, timeoutMs);
}

QByteArray RawHttpExchange::header(const QByteArray &name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void RawHttpExchange::onReadyRead()
{
    m_buffer += m_socket.readAll();
    if (m_finished)
        return;
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QList<QByteArray> lines = m_buffer.first(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    m_status = statusLine.value(1).toInt();
    m_headers.clear();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = lines[i].first(colon).trimmed();
        const QByteArray value = lines[i].sliced(colon + 1).trimmed();
        m_headers.append({name, value});
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            length = value.toLongLong();
    }
    if (m_buffer.size() < headEnd + 4 + length)
        return;
    m_body = m_buffer.sliced(headEnd + 4, length);
    m_finished = true;
}

} // namespace Tertulia::Testing
