// The HTTP/1.1 request-head parser: every byte a client sends before anything else on the port.
#include "fuzzcheck.h"
#include "server/http/httprequest.h"

using namespace Tertulia;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Fuzz::bytesOf(data, size);
    constexpr qsizetype kMaxHead = 8 * 1024;
    const auto parsed = Http::parseRequestHead(bytes, kMaxHead);
    if (const auto *head = std::get_if<Http::ParsedHead>(&parsed)) {
        FUZZ_CHECK(head->headLength > 0 && head->headLength <= bytes.size() && head->headLength <= kMaxHead);
        // The head ends with the blank line, and nothing after it was taken.
        FUZZ_CHECK(bytes.first(head->headLength).endsWith("\r\n\r\n") || bytes.first(head->headLength).endsWith("\n\n"));
        const Http::Request &request = head->request;
        FUZZ_CHECK(!request.method.isEmpty());
        FUZZ_CHECK(request.contentLength() >= 0);
        (void)request.keepAlive();
        (void)request.isWebSocketUpgrade();
        // Parsing is a pure function of the bytes: the same head alone parses the same way.
        const auto again = Http::parseRequestHead(bytes.first(head->headLength), kMaxHead);
        const auto *same = std::get_if<Http::ParsedHead>(&again);
        FUZZ_CHECK(same && same->headLength == head->headLength && same->request.path == request.path
                   && same->request.headers == request.headers);
    } else {
        const auto &error = std::get<Http::HeadError>(parsed);
        FUZZ_CHECK(error.error == Http::ParseError::Incomplete || !error.message.isEmpty());
    }
    return 0;
}
