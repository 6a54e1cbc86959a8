#pragma once

// A raw Socket.IO client for tests (WebSocket-only Engine.IO session, "/" namespace): what the chat
// gateway tests and the cluster tests use to see every frame as sent.
#include "support/wspeer.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>
#include <QtTest/QTest>

namespace Tertulia::Testing {

using namespace Qt::StringLiterals;

inline QJsonArray arrayOf(QStringView json) { return QJsonDocument::fromJson(json.toUtf8()).array(); }
inline QJsonObject objectOf(QStringView json) { return QJsonDocument::fromJson(json.toUtf8()).object(); }
inline QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

/// A Socket.IO client speaking raw frames on the "/" namespace over a WebSocket-only Engine.IO session.
class SioClient
{
public:
    explicit SioClient(const QUrl &httpUrl, const QString &origin = {})
        : m_peer(wsUrl(httpUrl), origin)
    {
    }

    static QUrl wsUrl(const QUrl &httpUrl)
    {
        QUrl url = httpUrl;
        url.setScheme(u"ws"_s);
        url.setPath(u"/socket.io/"_s);
        url.setQuery(u"EIO=4&transport=websocket"_s);
        return url;
    }

    /// Opens the Engine.IO session and sends CONNECT; returns the answer (40... or 44...).
    QString connect(const QJsonObject &auth)
    {
        if (!m_peer.waitConnected() || !m_peer.next().startsWith(u'0'))
            return {};
        m_peer.send(u"40"_s + compact(auth));
        return m_peer.next();
    }

    /// Emits `type` with `data` and an ack id; returns the ack's argument.
    QJsonObject request(const QString &type, const QJsonObject &data)
    {
        const int id = ++m_lastId;
        m_peer.send(QStringLiteral("42%1[\"%2\",%3]").arg(id).arg(type, compact(data)));
        const QString prefix = QStringLiteral("43%1[").arg(id);
        QString ack;
        if (!QTest::qWaitFor([&] {
                for (const QString &text : std::as_const(m_peer.texts)) {
                    if (text.startsWith(prefix))
                        ack = text;
                }
                return !ack.isEmpty();
            }, 10000))
            return QJsonObject{{QLatin1StringView("type"), u"no ack"_s}};
        return arrayOf(QStringView(ack).sliced(prefix.size() - 1)).first().toObject();
    }

    /// Every `name` event received so far, as its argument arrays.
    QList<QJsonArray> events(const QString &name) const
    {
        QList<QJsonArray> found;
        const QString prefix = u"42[\""_s + name + u"\","_s;
        for (const QString &text : m_peer.texts) {
            if (text.startsWith(prefix))
                found.append(arrayOf(QStringView(text).sliced(2)));
        }
        return found;
    }
    bool waitForEvents(const QString &name, qsizetype count, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return events(name).size() >= count; }, timeoutMs);
    }
    /// The seqs of the `message` events of a room, in arrival order.
    QList<qint64> seqs(const QString &room) const
    {
        QList<qint64> seqs;
        for (const QJsonArray &args : events(u"message"_s)) {
            if (args.at(1).toObject().value(QLatin1StringView("room")).toString() == room)
                seqs.append(args.at(1).toObject().value(QLatin1StringView("seq")).toInteger());
        }
        return seqs;
    }
    WsPeer &peer() { return m_peer; }

private:
    WsPeer m_peer;
    int m_lastId = 0;
};

} // namespace Tertulia::Testing
