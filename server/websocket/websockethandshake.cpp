#include "server/websocket/websockethandshake.h"

#include <QtCore/QCryptographicHash>

using namespace Qt::StringLiterals;

namespace Tertulia::WebSocket {

using Protocol::ErrorCode;

namespace {
/// Whether a comma-separated header value lists `token`. Upgrade and Connection tokens ignore case;
/// subprotocol names are compared exactly.
bool tokenListContains(const QByteArray &list, QByteArrayView token, Qt::CaseSensitivity cs = Qt::CaseInsensitive)
{
    for (const QByteArray &part : list.split(',')) {
        if (part.trimmed().compare(token, cs) == 0)
            return true;
    }
    return false;
}
} // namespace

QByteArray secWebSocketAccept(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

std::variant<QByteArray, Http::Response> acceptHandshake(const Http::Request &request, QByteArrayView subprotocol)
{
    if (request.method != "GET" || !tokenListContains(request.header("upgrade"), "websocket")
        || !tokenListContains(request.header("connection"), "upgrade"))
        return Http::Response::error(400, ErrorCode::BadRequest,
                                     u"a WebSocket upgrade is a GET with Upgrade: websocket and Connection: upgrade"_s);
    if (request.minorVersion < 1)
        return Http::Response::error(400, ErrorCode::BadRequest, u"a WebSocket upgrade needs HTTP/1.1"_s);
    if (!request.hasHeader("host"))
        return Http::Response::error(400, ErrorCode::BadRequest, u"the upgrade request has no Host header"_s);
    if (request.header("sec-websocket-version").trimmed() != "13") {
        Http::Response refusal = Http::Response::error(426, ErrorCode::BadRequest,
                                                       u"this server speaks WebSocket version 13"_s);
        refusal.setHeader("Sec-WebSocket-Version", "13");
        return refusal;
    }
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return Http::Response::error(400, ErrorCode::BadRequest,
                                     u"Sec-WebSocket-Key must be 16 bytes in base64"_s);
    if (!subprotocol.isEmpty() && !tokenListContains(request.header("sec-websocket-protocol"), subprotocol, Qt::CaseSensitive))
        return Http::Response::error(400, ErrorCode::BadRequest,
                                     QStringLiteral("ask for the WebSocket subprotocol %1")
                                         .arg(QString::fromLatin1(subprotocol)));

    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: ";
    response += secWebSocketAccept(key);
    response += "\r\n";
    if (!subprotocol.isEmpty()) {
        response += "Sec-WebSocket-Protocol: ";
        response += subprotocol;
        response += "\r\n";
    }
    response += "\r\n";
    return response;
}

} // namespace Tertulia::WebSocket
