#pragma once

#include "shared/protocol/errorcode.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>

#include <utility>

namespace Tertulia::Http {

struct Response
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static Response json(int status, const QJsonObject &body);
    /// The one error body of the HTTP API: {"error": {"code": "...", "message": "..."}}.
    static Response error(int status, Protocol::ErrorCode code, const QString &message);
    /// error() with the HTTP status that fits the protocol error (statusOf()).
    static Response error(const Protocol::Error &error);
    static Response text(int status, const QByteArray &body, const QByteArray &contentType);

    /// Replaces a header of the same name (any case).
    Response &setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;

    /// The bytes on the wire. Adds Content-Length, Date-less (clients do not need it) and Connection.
    QByteArray serialize(bool keepAlive) const;
};

QByteArray reasonPhrase(int status);
/// The HTTP status of a protocol error code, for the HTTP API's answers (400, 401, 403, 404, 409, 413, 429,
/// 503; 500 for the rest).
int statusOf(Protocol::ErrorCode code);

} // namespace Tertulia::Http
