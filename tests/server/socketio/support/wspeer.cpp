#include "wspeer.h"

#include <QtTest/QTest>

namespace Tertulia::Testing {

WsPeer::WsPeer(const QUrl &url, const QString &origin, QObject *parent) : QObject(parent), m_socket(origin)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) { texts.append(text); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &bytes) { binaries.append(bytes); });
    m_socket.open(url);
}

bool WsPeer::waitConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

bool WsPeer::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

QString WsPeer::text(qsizetype index, int timeoutMs)
{
    if (!QTest::qWaitFor([this, index] { return texts.size() > index; }, timeoutMs))
        return QStringLiteral("<nothing received>");
    return texts.at(index);
}

QString WsPeer::next(int timeoutMs)
{
    const QString text = this->text(m_taken, timeoutMs);
    if (m_taken < texts.size())
        ++m_taken;
    return text;
}

} // namespace Tertulia::Testing
