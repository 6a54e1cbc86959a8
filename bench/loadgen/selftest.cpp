#include "selftest.h"

#include "chatproto.h"
#include "histogram.h"
#include "jsonreader.h"
#include "jsonwriter.h"
#include "procstat.h"
#include "token.h"
#include "wsframe.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sodium.h>
#include <string>
#include <unistd.h>

namespace Tertulia::Bench {

namespace {

int g_passed = 0;
int g_failed = 0;

void check(bool condition, const char *what)
{
    if (condition) {
        ++g_passed;
    } else {
        ++g_failed;
        std::printf("FAIL: %s\n", what);
    }
}

std::string bytes(std::initializer_list<int> values)
{
    std::string out;
    for (const int v : values)
        out += static_cast<char>(v);
    return out;
}

uint32_t maskOf(std::initializer_list<int> wire)
{
    const std::string b = bytes(wire);
    uint32_t key = 0;
    std::memcpy(&key, b.data(), 4);
    return key;
}

void testFrames()
{
    using namespace Ws;
    // RFC 6455 5.7: a masked "Hello" from a client.
    std::string out;
    appendClientFrame(out, Opcode::Text, "Hello", maskOf({0x37, 0xfa, 0x21, 0x3d}));
    check(out == bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}), "RFC 6455 masked Hello");

    FrameHeader h;
    check(parseHeader(out, h, true, 1 << 20) == ParseStatus::Ok && h.masked && h.payloadLength == 5
              && h.headerLength == 6, "parse the masked example");
    std::string payload = out.substr(h.headerLength);
    applyMask(payload.data(), payload.size(), h.maskKey);
    check(payload == "Hello", "unmask the example");

    // Unmasked server frames: a single frame, a fragmented message, a ping.
    const std::string single = bytes({0x81, 0x05}) + "Hello";
    check(parseHeader(single, h, false, 1 << 20) == ParseStatus::Ok && h.fin && h.opcode == Opcode::Text
              && h.payloadLength == 5 && h.headerLength == 2, "unmasked Hello");
    const std::string first = bytes({0x01, 0x03}) + "Hel";
    check(parseHeader(first, h, false, 1 << 20) == ParseStatus::Ok && !h.fin && h.opcode == Opcode::Text,
          "first fragment");
    const std::string last = bytes({0x80, 0x02}) + "lo";
    check(parseHeader(last, h, false, 1 << 20) == ParseStatus::Ok && h.fin && h.opcode == Opcode::Continuation,
          "last fragment");
    const std::string ping = bytes({0x89, 0x05}) + "Hello";
    check(parseHeader(ping, h, false, 1 << 20) == ParseStatus::Ok && h.opcode == Opcode::Ping, "ping");

    // Extended lengths, both ways.
    const std::string medium = bytes({0x82, 0x7E, 0x01, 0x00});
    check(parseHeader(medium, h, false, 1 << 20) == ParseStatus::Ok && h.payloadLength == 256
              && h.headerLength == 4, "16-bit length");
    const std::string large = bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0});
    check(parseHeader(large, h, false, 1 << 20) == ParseStatus::Ok && h.payloadLength == 65536
              && h.headerLength == 10, "64-bit length");
    for (const size_t length : {size_t(125), size_t(126), size_t(65535), size_t(65536)}) {
        std::string frame;
        const std::string text(length, 'a');
        appendClientFrame(frame, Opcode::Text, text, 0x12345678u);
        const bool ok = parseHeader(frame, h, true, 1 << 20) == ParseStatus::Ok && h.payloadLength == length
            && frame.size() == h.headerLength + length;
        std::string body = frame.substr(h.headerLength);
        applyMask(body.data(), body.size(), h.maskKey);
        check(ok && body == text, "client frame round trip at a length boundary");
    }

    // Incomplete and invalid headers.
    check(parseHeader(bytes({0x81}), h, false, 1 << 20) == ParseStatus::NeedMore, "one byte needs more");
    check(parseHeader(bytes({0x82, 0x7E, 0x01}), h, false, 1 << 20) == ParseStatus::NeedMore, "short 16-bit length");
    check(parseHeader(bytes({0xC1, 0x00}), h, false, 1 << 20) == ParseStatus::Error, "RSV1 without extension");
    check(parseHeader(bytes({0x83, 0x00}), h, false, 1 << 20) == ParseStatus::Error, "reserved opcode");
    check(parseHeader(bytes({0x81, 0x80, 1, 2, 3, 4}), h, false, 1 << 20) == ParseStatus::Error,
          "masked frame from a server");
    check(parseHeader(bytes({0x09, 0x00}), h, false, 1 << 20) == ParseStatus::Error, "fragmented ping");
    check(parseHeader(bytes({0x89, 0x7E, 0x00, 0x7E}), h, false, 1 << 20) == ParseStatus::Error, "ping over 125 bytes");
    check(parseHeader(bytes({0x81, 0x7E, 0x00, 0x05}), h, false, 1 << 20) == ParseStatus::Error,
          "non-minimal 16-bit length");
    check(parseHeader(bytes({0x81, 0x7E, 0x01, 0x00}), h, false, 100) == ParseStatus::Error, "over the size cap");
    check(makeHandshakeKey().size() == 24, "handshake key is 16 bytes in base64");
}

void testTokens()
{
    // RFC 7515 appendix A.1: the exact header and payload octets (with CR LF) and the 64-byte JWK key.
    const char *k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    unsigned char key[64];
    size_t keyLength = 0;
    const bool decoded = sodium_base642bin(key, sizeof key, k, std::strlen(k), nullptr, &keyLength, nullptr,
                                           sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
    check(decoded && keyLength == 64, "decode the A.1 key");
    const std::string jws = Token::signCompact("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}",
                                               "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n"
                                               " \"http://example.com/is_root\":true}",
                                               std::string_view(reinterpret_cast<const char *>(key), keyLength));
    check(jws == "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                 ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                 ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
          "RFC 7515 A.1 HS256 vector");

    // A minted access token: three parts, the claims tertulia-server checks, a signature that verifies.
    const std::string secret(32, '\x2a');
    const std::string token = Token::mintAccess("u7", secret, 1700000000, 900);
    const size_t dot1 = token.find('.'), dot2 = token.rfind('.');
    check(dot1 != std::string::npos && dot2 > dot1, "access token has three parts");
    std::string payload(token.size(), '\0');
    size_t payloadLength = 0;
    const std::string encoded = token.substr(dot1 + 1, dot2 - dot1 - 1);
    sodium_base642bin(reinterpret_cast<unsigned char *>(payload.data()), payload.size(), encoded.data(),
                      encoded.size(), nullptr, &payloadLength, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    payload.resize(payloadLength);
    auto claim = [&](const char *name) { return Json::member(payload, name); };
    check(claim("iss") && claim("iss")->text == "tertulia" && claim("aud") && claim("aud")->text == "tertulia"
              && claim("sub") && claim("sub")->text == "u7" && claim("typ") && claim("typ")->text == "access",
          "access token string claims");
    check(claim("iat") && claim("iat")->text == "1700000000" && claim("exp") && claim("exp")->text == "1700000900",
          "access token times");
    check(claim("jti") && claim("jti")->text.size() >= 16, "access token random jti");
    check(claim("sid") && claim("sid")->text == "bench-u7", "access token names the seeded login");
    std::string header(64, '\0');
    size_t headerLength = 0;
    sodium_base642bin(reinterpret_cast<unsigned char *>(header.data()), header.size(), token.data(), dot1, nullptr,
                      &headerLength, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    header.resize(headerLength);
    check(Token::signCompact(header, payload, secret) == token, "access token signature verifies");
    check(Token::signCompact(header, payload, std::string(32, '\x2b')) != token, "another key gives another signature");

    // The secret file: 64 hex characters and a newline.
    char path[] = "/tmp/loadgen-selftest-XXXXXX";
    const int fd = mkstemp(path);
    if (fd >= 0) {
        ::close(fd);
        std::ofstream(path) << std::string(62, '0') << "ff\n";
        std::string error;
        const auto read = Token::readSecretFile(path, error);
        check(read && read->size() == 32 && static_cast<unsigned char>(read->back()) == 0xff && (*read)[0] == 0,
              "read a secret file");
        std::ofstream(path) << "xyz\n";
        check(!Token::readSecretFile(path, error) && !error.empty(), "refuse a malformed secret file");
        std::remove(path);
    }
}

void testJsonReader()
{
    using namespace Json;
    const std::string text = R"({"a" : [1, {"b": "x\"y}"}, [true, false, null]], "s": "t\\u00e9", "n": -12.5e3, "o": {}})";
    ObjectReader reader(text);
    std::string_view key;
    Value value;
    int members = 0;
    bool sawString = false;
    while (reader.next(key, value)) {
        ++members;
        if (key == "s")
            sawString = value.kind == Kind::String && value.hasEscapes && value.text == "t\\\\u00e9";
    }
    check(reader.ok() && members == 4, "walk an object with nested values");
    check(sawString, "strings keep their escapes");
    check(member(text, "n") && member(text, "n")->kind == Kind::Number && member(text, "n")->text == "-12.5e3",
          "number text");
    check(member(text, "o") && member(text, "o")->kind == Kind::Object, "empty object");
    check(!member(text, "b"), "nested keys are not top-level members");
    for (const char *bad : {R"({"a":})", R"({"a" 1})", R"({"a":1,})", R"({"a":"x)", R"({"a":[1,2})", R"([1,2])",
                            R"({"a":tru})", "{\"a\":\"\x01\"}"}) {
        ObjectReader r(bad);
        while (r.next(key, value)) {
        }
        check(!r.ok(), bad);
    }
    check(toUnsigned(Value{Kind::String, "123", false}) == 123u, "unsigned from digits");
    check(!toUnsigned(Value{Kind::String, "12a", false}) && !toUnsigned(Value{Kind::Number, "-1", false}),
          "reject non-digits");
}

void testChatProtocol()
{
    // Native frames, in the key order Qt writes (sorted) and in the documented order.
    Inbound in = parseNative(R"({"data":{"client_msg_id":"c5","room":"bench-r0","sender":"u1","seq":42,)"
                             R"("text":"b:5:1000:xx","ts":1795660000000},"type":"message"})");
    check(in.kind == Inbound::Kind::Message && in.room == "bench-r0" && in.seq == 42 && in.text == "b:5:1000:xx",
          "native message, sorted keys");
    in = parseNative(R"({"type":"message","data":{"room":"r","seq":1,"sender":"u","text":"hi","client_msg_id":"x","ts":1}})");
    check(in.kind == Inbound::Kind::Message && in.seq == 1 && in.text == "hi", "native message, documented order");
    in = parseNative(R"({"type":"ok","id":"17","data":{"room":"general","seq":42,"ts":1,"duplicate":false}})");
    check(in.kind == Inbound::Kind::Ok && in.hasId && in.id == 17, "native ok reply");
    in = parseNative(R"({"error":{"code":"rate_limited","message":"slow down"},"id":"3","type":"error"})");
    check(in.kind == Inbound::Kind::Error && in.id == 3 && in.code == "rate_limited", "native error reply");
    in = parseNative(R"({"type":"error","id":null,"error":{"code":"bad_request","message":"?"}})");
    check(in.kind == Inbound::Kind::Error && !in.hasId && in.code == "bad_request", "error without an id");
    in = parseNative(R"({"type":"hello","data":{"user":"u1","server":{"name":"x","version":"0.1.0"},"expires_in":900}})");
    check(in.kind == Inbound::Kind::Hello, "hello");
    in = parseNative(R"({"type":"presence","data":{"user":"bob","status":"away"}})");
    check(in.kind == Inbound::Kind::Ignored, "unknown events are ignored");
    check(parseNative(R"({"type":"message","data":{"room":"r"}})").kind == Inbound::Kind::Malformed,
          "a message without seq is malformed");
    check(parseNative("not json").kind == Inbound::Kind::Malformed, "garbage is malformed");

    // Socket.IO v5 over Engine.IO v4.
    check(parseSocketIo(R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000})").kind
              == Inbound::Kind::SioOpen, "engine.io open");
    check(parseSocketIo("2").kind == Inbound::Kind::SioPing, "engine.io ping");
    check(parseSocketIo(R"(40{"sid":"xyz"})").kind == Inbound::Kind::SioConnected, "socket.io connect");
    check(parseSocketIo(R"(44{"message":"auth_failed"})").kind == Inbound::Kind::SioConnectError, "connect error");
    in = parseSocketIo(R"(42["message",{"room":"bench-r1","seq":9,"sender":"u2","text":"b:1:2:","client_msg_id":"c1","ts":5}])");
    check(in.kind == Inbound::Kind::Message && in.room == "bench-r1" && in.seq == 9 && in.text == "b:1:2:",
          "socket.io message event");
    in = parseSocketIo(R"(431[{"type":"ok","data":{"room":{"name":"r1"}}}])");
    check(in.kind == Inbound::Kind::Ok && in.hasId && in.id == 1, "socket.io ack ok");
    in = parseSocketIo(R"(4312[{"type":"error","error":{"code":"forbidden","message":"no"}}])");
    check(in.kind == Inbound::Kind::Error && in.id == 12 && in.code == "forbidden", "socket.io ack error");
    in = parseSocketIo(R"(42/admin,["message",{"room":"r","seq":3,"text":"t"}])");
    check(in.kind == Inbound::Kind::Message && in.seq == 3, "socket.io event with a namespace");
    check(parseSocketIo(R"(42["typing",{"room":"r"}])").kind == Inbound::Kind::Ignored, "other events ignored");
    check(parseSocketIo(R"(43[{"type":"ok"}])").kind == Inbound::Kind::Malformed, "ack without id");

    // Outgoing requests parse back.
    std::string out;
    appendJoin(out, Proto::Native, 7, "bench-r3");
    check(out == R"({"type":"join","id":"7","data":{"room":"bench-r3"}})", "native join");
    out.clear();
    appendJoin(out, Proto::SocketIo, 7, "bench-r3");
    check(out == R"(427["join",{"room":"bench-r3"}])", "socket.io join");
    out.clear();
    appendCreateRoom(out, Proto::Native, 1, "bench-r0");
    check(out == R"({"type":"create_room","id":"1","data":{"name":"bench-r0","private":false}})", "native create_room");
    std::string text;
    appendBenchText(text, 12345, 987654321012, 64);
    uint64_t index = 0;
    int64_t scheduled = 0;
    check(text.size() == 64 && parseBenchText(text, index, scheduled) && index == 12345 && scheduled == 987654321012,
          "benchmark text round trip");
    check(!parseBenchText("hello", index, scheduled) && !parseBenchText("b:1:", index, scheduled),
          "foreign texts are not benchmark texts");
    out.clear();
    appendSend(out, Proto::Native, 9, "bench-r0", text, 12345);
    const auto data = Json::member(out, "data");
    check(data && Json::member(data->text, "text") && Json::member(data->text, "text")->text == text
              && Json::member(data->text, "client_msg_id")->text == "c12345",
          "native send");
    out.clear();
    appendSend(out, Proto::SocketIo, 9, "bench-r0", "hi", 4);
    check(out == R"(429["send",{"room":"bench-r0","text":"hi","client_msg_id":"c4"}])", "socket.io send");
}

void testHistogram()
{
    for (uint64_t v = 0; v < 100000; v += 7) {
        const int i = Histogram::indexOf(v);
        if (Histogram::lowerBoundOf(i) > v || Histogram::upperBoundOf(i) < v) {
            check(false, "value inside its bucket");
            return;
        }
    }
    check(true, "values fall inside their buckets");
    bool contiguous = true;
    for (int i = 1; i < Histogram::BucketCount; ++i)
        contiguous = contiguous && Histogram::lowerBoundOf(i) == Histogram::upperBoundOf(i - 1) + 1;
    check(contiguous, "buckets are contiguous");

    Histogram h;
    for (int64_t us = 1; us <= 10000; ++us)
        h.record(us * 1000);
    auto near = [](int64_t got, int64_t want) { return got >= want && double(got) <= double(want) * 1.016 + 1; };
    check(h.count() == 10000 && h.max() == 10000000 && h.min() == 1000, "count, min, max");
    check(near(h.percentile(50), 5000000), "p50 within 1.6 %");
    check(near(h.percentile(99), 9900000), "p99 within 1.6 %");
    check(near(h.percentile(99.9), 9990000) && h.percentile(100) == 10000000, "p99.9 and p100");
    Histogram other;
    other.record(50000000);
    h.merge(other);
    check(h.count() == 10001 && h.max() == 50000000 && h.percentile(100) == 50000000, "merge");
    Histogram empty;
    check(empty.percentile(99) == 0 && empty.count() == 0, "empty histogram");
}

void testJsonWriter()
{
    JsonWriter w;
    w.beginObject().value("a", int64_t(1)).value("s", "q\"\n").beginArray("l").element("x").endArray()
        .value("d", 0.5).value("b", true).endObject();
    check(w.text() == R"({"a":1,"s":"q\"\u000a","l":["x"],"d":0.5,"b":true})", "json writer");
}

void testCpuBetween()
{
    using Proc::CpuTimes;
    const CpuTimes start{true, 1'000'000'000, 900'000'000, {10, 11, 12}};
    // Every thread still there (a new one may come): the nanosecond sum.
    const CpuTimes same{true, 1'250'000'000, 1'156'000'000, {10, 11, 12, 13}};
    bool exited = true;
    check(Proc::cpuNsBetween(start, same, &exited) == 256'000'000 && !exited, "cpu: schedstat when no thread exited");
    // A thread exited (its time left the schedstat sum): the ticks of /proc/<pid>/stat, which keep it.
    const CpuTimes lost{true, 1'270'000'000, 1'033'000'000, {10, 12}};
    check(Proc::cpuNsBetween(start, lost, &exited) == 270'000'000 && exited, "cpu: stat ticks when a thread exited");
    // The live process itself.
    const CpuTimes self = Proc::processCpu(getpid());
    check(self.valid && !self.threads.empty() && std::is_sorted(self.threads.begin(), self.threads.end())
              && std::binary_search(self.threads.begin(), self.threads.end(), getpid()),
          "cpu: this process's threads");
}

} // namespace

int runSelfTest()
{
    if (sodium_init() < 0) {
        std::printf("libsodium failed to initialise\n");
        return 1;
    }
    testFrames();
    testTokens();
    testJsonReader();
    testChatProtocol();
    testHistogram();
    testJsonWriter();
    testCpuBetween();
    std::printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}

} // namespace Tertulia::Bench
