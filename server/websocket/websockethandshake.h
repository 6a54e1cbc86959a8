#pragma once

#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <variant>

namespace Tertulia::WebSocket {

/// The server side of the RFC 6455 opening handshake (section 4.2), for every WebSocket the server serves
/// (/ws on either path, Engine.IO). The caller has already routed the request and checked its Origin.
///
/// Checks: GET over HTTP/1.1 or later with a Host, `Upgrade: websocket`, `Connection: upgrade`,
/// `Sec-WebSocket-Version: 13` (otherwise 426 with the version we speak), a `Sec-WebSocket-Key` that is
/// base64 of 16 bytes, and, when `subprotocol` is not empty, that the client offered it. No extension is
/// negotiated (permessage-deflate offers are ignored, as RFC 6455 allows).
///
/// Returns the `101 Switching Protocols` bytes to send, or an HTTP error with the project's JSON body.
std::variant<QByteArray, Http::Response> acceptHandshake(const Http::Request &request, QByteArrayView subprotocol);

/// Sec-WebSocket-Accept for a client's key: base64(SHA-1(key + the RFC 6455 GUID)).
QByteArray secWebSocketAccept(QByteArrayView key);

} // namespace Tertulia::WebSocket
