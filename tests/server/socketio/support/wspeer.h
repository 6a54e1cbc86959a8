#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

namespace Tertulia::Testing {

/// A WebSocket peer for protocol tests: records every text and binary message it receives, in order.
class WsPeer : public QObject
{
    Q_OBJECT

public:
    explicit WsPeer(const QUrl &url, const QString &origin = {}, QObject *parent = nullptr);

    bool waitConnected(int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);
    /// Waits for the text message at `index` (0-based, in arrival order) and returns it.
    QString text(qsizetype index, int timeoutMs = 5000);
    /// Waits for the next text message after those already taken with next() and returns it.
    QString next(int timeoutMs = 5000);
    void send(const QString &text) { m_socket.sendTextMessage(text); }
    QWebSocket &socket() { return m_socket; }

    QStringList texts;
    QList<QByteArray> binaries;

private:
    QWebSocket m_socket;
    qsizetype m_taken = 0;
};

} // namespace Tertulia::Testing
