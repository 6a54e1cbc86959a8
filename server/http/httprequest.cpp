#include "server/http/httprequest.h"

#include <QtCore/QUrl>

#include <cstring>

namespace Tertulia::Http {

namespace {
constexpr QByteArrayView kHeadEnd("\r\n\r\n");

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (char c : bytes) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isFieldValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

QByteArrayView trimmed(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && (bytes.front() == ' ' || bytes.front() == '\t'))
        bytes = bytes.sliced(1);
    while (!bytes.isEmpty() && (bytes.back() == ' ' || bytes.back() == '\t'))
        bytes.chop(1);
    return bytes;
}

/// Whether a comma-separated header value contains `token`, ignoring case ("keep-alive, Upgrade").
bool listContains(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView part : QByteArray(value.toByteArray()).split(',')) {
        if (trimmed(part).compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

/// Where the first CRLF at or after `from` starts, or -1. A memchr for the CR: QByteArrayView::indexOf() of a
/// two-byte needle sets up a general search on every call, which made up half of parsing an upgrade's head.
qsizetype indexOfCrlf(QByteArrayView bytes, qsizetype from = 0)
{
    while (from < bytes.size()) {
        const auto *cr = static_cast<const char *>(std::memchr(bytes.data() + from, '\r', size_t(bytes.size() - from)));
        if (!cr)
            return -1;
        const qsizetype at = cr - bytes.data();
        if (at + 1 < bytes.size() && bytes[at + 1] == '\n')
            return at;
        from = at + 1;
    }
    return -1;
}

/// Where the blank line that ends a head (CRLF CRLF) starts, or -1.
qsizetype indexOfHeadEnd(QByteArrayView bytes)
{
    for (qsizetype at = indexOfCrlf(bytes); at >= 0; at = indexOfCrlf(bytes, at + 2)) {
        if (bytes.sliced(at + 2).startsWith("\r\n"))
            return at;
    }
    return -1;
}

HeadError fail(ParseError error, const char *message)
{
    return HeadError{error, QString::fromLatin1(message)};
}
} // namespace

QByteArray Request::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool Request::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (name.compare(header.first, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qint64 Request::contentLength() const
{
    const QByteArray value = header("content-length");
    return value.isEmpty() ? 0 : value.toLongLong();
}

bool Request::keepAlive() const
{
    const QByteArray connection = header("connection");
    if (minorVersion == 0)
        return listContains(connection, "keep-alive");
    return !listContains(connection, "close");
}

bool Request::isWebSocketUpgrade() const
{
    return method == "GET" && listContains(header("upgrade"), "websocket")
        && listContains(header("connection"), "upgrade");
}

std::variant<ParsedHead, HeadError> parseRequestHead(QByteArrayView bytes, qsizetype maxHeadBytes)
{
    const qsizetype end = indexOfHeadEnd(bytes.first(std::min(bytes.size(), maxHeadBytes)));
    if (end < 0) {
        if (bytes.size() >= maxHeadBytes)
            return fail(ParseError::HeadTooLarge, "request head too large");
        // Reject garbage early instead of waiting for a blank line that will never come.
        const qsizetype firstSpace = bytes.indexOf(' ');
        const QByteArrayView method = firstSpace < 0 ? bytes.first(std::min<qsizetype>(bytes.size(), 16))
                                                     : bytes.first(firstSpace);
        for (char c : method) {
            if (!isTokenChar(c) && c != '\r' && c != '\n')
                return fail(ParseError::BadRequest, "malformed request line");
        }
        return fail(ParseError::Incomplete, "incomplete head");
    }

    ParsedHead parsed;
    parsed.headLength = end + kHeadEnd.size();
    Request &request = parsed.request;
    request.headLength = parsed.headLength;
    const QByteArrayView head = bytes.first(end);

    // Request line: METHOD SP request-target SP HTTP/1.x
    qsizetype lineEnd = indexOfCrlf(head);
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return fail(ParseError::BadRequest, "malformed request line");
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method))
        return fail(ParseError::BadRequest, "malformed method");
    if (target.isEmpty() || target.front() != '/')
        return fail(ParseError::BadRequest, "the request target must be an absolute path");
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return fail(ParseError::BadRequest, "malformed request target");
    }
    if (version == "HTTP/1.1")
        request.minorVersion = 1;
    else if (version == "HTTP/1.0")
        request.minorVersion = 0;
    else if (version.startsWith("HTTP/"))
        return fail(ParseError::BadVersion, "only HTTP/1.0 and HTTP/1.1 are supported");
    else
        return fail(ParseError::BadRequest, "malformed HTTP version");

    request.method = method.toByteArray();
    request.target = target.toByteArray();
    const qsizetype queryStart = target.indexOf('?');
    const QByteArrayView rawPath = queryStart < 0 ? target : target.first(queryStart);
    request.path = QUrl::fromPercentEncoding(rawPath.toByteArray());
    if (queryStart >= 0)
        request.query.setQuery(QString::fromLatin1(target.sliced(queryStart + 1)));

    // Header fields.
    QByteArrayView rest = lineEnd < 0 ? QByteArrayView() : head.sliced(lineEnd + 2);
    std::optional<QByteArray> contentLength;
    while (!rest.isEmpty()) {
        lineEnd = indexOfCrlf(rest);
        const QByteArrayView line = lineEnd < 0 ? rest : rest.first(lineEnd);
        rest = lineEnd < 0 ? QByteArrayView() : rest.sliced(lineEnd + 2);
        if (line.front() == ' ' || line.front() == '\t')
            return fail(ParseError::BadRequest, "obsolete line folding is not accepted");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(ParseError::BadRequest, "malformed header field");
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        for (char c : value) {
            if (!isFieldValueChar(c))
                return fail(ParseError::BadRequest, "control character in a header value");
        }
        QByteArray name = line.first(colon).toByteArray().toLower();
        if (name == "content-length") {
            bool ok = !value.isEmpty() && value.size() <= 15
                && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
            const qint64 length = ok ? value.toByteArray().toLongLong(&ok) : -1;
            if (!ok || length < 0)
                return fail(ParseError::BadRequest, "malformed Content-Length");
            if (contentLength && *contentLength != value)
                return fail(ParseError::BadRequest, "conflicting Content-Length headers");
            contentLength = value.toByteArray();
        } else if (name == "transfer-encoding") {
            return fail(ParseError::NotImplemented, "Transfer-Encoding is not supported; send Content-Length");
        }
        request.headers.append({std::move(name), value.toByteArray()});
    }
    if (request.minorVersion == 1 && !request.hasHeader("host"))
        return fail(ParseError::BadRequest, "HTTP/1.1 requires a Host header");
    return parsed;
}

} // namespace Tertulia::Http
