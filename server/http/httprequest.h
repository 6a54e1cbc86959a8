#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrlQuery>

#include <optional>
#include <utility>
#include <variant>

namespace Tertulia::Http {

/// One parsed HTTP/1.1 request. Header names are stored lower-case.
struct Request
{
    QByteArray method;
    QByteArray target;          ///< as received, e.g. "/socket.io/?EIO=4&transport=polling"
    QString path;               ///< percent-decoded path without the query
    QUrlQuery query;
    int minorVersion = 1;       ///< HTTP/1.<minorVersion>
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString peerAddress;        ///< filled in by the connection, for logs and per-IP limits
    /// Bytes of the head on the wire, up to and including the blank line: an upgrade handler gets the socket
    /// with the head still unread and reads exactly this much before the WebSocket's own bytes.
    qsizetype headLength = 0;

    /// The first value of a header (name in any case), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    /// Content-Length, 0 when absent.
    qint64 contentLength() const;
    bool keepAlive() const;
    /// A GET with "Upgrade: websocket" and "Connection: upgrade".
    bool isWebSocketUpgrade() const;
};

enum class ParseError {
    Incomplete,      ///< need more bytes (not an error yet)
    BadRequest,      ///< 400: malformed request line, header or length
    HeadTooLarge,    ///< 431: the head exceeds the limit
    NotImplemented,  ///< 501: Transfer-Encoding and other features this server does not speak
    BadVersion,      ///< 505
};

struct ParsedHead
{
    Request request;
    qsizetype headLength = 0;   ///< bytes of the head including the final CRLFCRLF
};

struct HeadError
{
    ParseError error;
    QString message;
};

/// Parses the request head at the start of `bytes` (request line and headers up to the blank line).
/// A pure function: the connection peeks at the socket, so a WebSocket upgrade can be handed on with its
/// bytes still unread. Written by hand instead of using QtHttpServer because that module is a technology
/// preview whose API changed between Qt 6.4 and 6.8, and because one parser must serve HTTP, WebSocket
/// upgrades and Socket.IO on one port; the parser is fuzzed in the tests.
std::variant<ParsedHead, HeadError> parseRequestHead(QByteArrayView bytes, qsizetype maxHeadBytes);

} // namespace Tertulia::Http
