#include "server/http/httpresponse.h"

#include <QtCore/QJsonDocument>

namespace Tertulia::Http {

Response Response::json(int status, const QJsonObject &body)
{
    return text(status, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json");
}

int statusOf(Protocol::ErrorCode code)
{
    using Protocol::ErrorCode;
    switch (code) {
    case ErrorCode::BadRequest:
    case ErrorCode::InvalidName: return 400;
    case ErrorCode::AuthFailed:
    case ErrorCode::AccountDeleted:
    case ErrorCode::TokenExpired:
    case ErrorCode::NotAuthenticated: return 401;
    case ErrorCode::WrongPassword:
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::TooLarge: return 413;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::Unavailable: return 503;
    default: return 500;
    }
}

Response Response::error(const Protocol::Error &error)
{
    return Response::error(statusOf(error.code), error.code, error.message);
}

Response Response::error(int status, Protocol::ErrorCode code, const QString &message)
{
    const QJsonObject error{{QLatin1StringView("code"), Protocol::errorCodeName(code)},
                            {QLatin1StringView("message"), message}};
    return json(status, {{QLatin1StringView("error"), error}});
}

Response Response::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    Response response;
    response.status = status;
    response.body = body;
    response.setHeader("Content-Type", contentType);
    return response;
}

Response &Response::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (name.compare(header.first, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return *this;
        }
    }
    headers.append({name, value});
    return *this;
}

QByteArray Response::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray Response::serialize(bool keepAlive) const
{
    QByteArray out;
    out.reserve(128 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

} // namespace Tertulia::Http
