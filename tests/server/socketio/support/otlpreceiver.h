#pragma once

#include "testhttpserver.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

namespace Tertulia::Testing {

/// The smallest OpenTelemetry collector (OTLP over HTTP, JSON): takes POST /v1/traces on 127.0.0.1, keeps
/// each body, answers `status`. For delivery-trace tests (docs/administration.md#delivery-traces), in-process
/// servers and server processes alike.
class OtlpReceiver
{
public:
    OtlpReceiver()
    {
        using namespace Qt::StringLiterals;
        m_http.router().addRoute("POST", u"/v1/traces"_s, [this](const Http::Request &request, const Http::Responder &responder) {
            contentTypes.append(request.header("content-type"));
            bodies.append(QJsonDocument::fromJson(request.body).object());
            responder.send(Http::Response::json(status, QJsonObject()));
        });
        QVERIFY(m_http.listen());
    }
    QString endpoint() const { return m_http.url().toString(); }

    /// Every span received so far.
    QList<QJsonObject> spans() const
    {
        using L1 = QLatin1StringView;
        QList<QJsonObject> result;
        for (const QJsonObject &body : bodies) {
            for (const QJsonValue &resource : body.value(L1("resourceSpans")).toArray()) {
                for (const QJsonValue &scope : resource.toObject().value(L1("scopeSpans")).toArray()) {
                    for (const QJsonValue &span : scope.toObject().value(L1("spans")).toArray())
                        result.append(span.toObject());
                }
            }
        }
        return result;
    }
    /// The spans of one trace, by name (the last of a name, when several have it).
    QHash<QString, QJsonObject> traceSpans(const QString &traceId) const
    {
        QHash<QString, QJsonObject> result;
        for (const QJsonObject &span : spans()) {
            if (span.value(QLatin1StringView("traceId")).toString() == traceId)
                result.insert(span.value(QLatin1StringView("name")).toString(), span);
        }
        return result;
    }
    /// The spans of one trace with that name, in arrival order.
    QList<QJsonObject> spansNamed(const QString &traceId, const QString &name) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &span : spans()) {
            if (span.value(QLatin1StringView("traceId")).toString() == traceId
                && span.value(QLatin1StringView("name")).toString() == name)
                result.append(span);
        }
        return result;
    }
    /// A span's attribute as text (a string, or an integer's decimal string); empty when it has none.
    static QString attribute(const QJsonObject &span, const QString &key)
    {
        using L1 = QLatin1StringView;
        for (const QJsonValue &attribute : span.value(L1("attributes")).toArray()) {
            const QJsonObject object = attribute.toObject();
            if (object.value(L1("key")).toString() == key) {
                const QJsonObject value = object.value(L1("value")).toObject();
                return value.contains(L1("stringValue")) ? value.value(L1("stringValue")).toString()
                                                         : value.value(L1("intValue")).toString();
            }
        }
        return {};
    }

    int status = 200;
    QList<QByteArray> contentTypes;
    QList<QJsonObject> bodies;

private:
    TestHttpServer m_http;
};

} // namespace Tertulia::Testing
