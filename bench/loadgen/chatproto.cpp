#include "chatproto.h"

#include "jsonreader.h"

#include <charconv>

namespace Tertulia::Bench {

namespace {

using Json::Kind;
using Json::Value;

void appendNumber(std::string &out, uint64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, size_t(result.ptr - digits));
}

// Reads the members of a message delivery's data object.
bool readMessageData(std::string_view data, Inbound &in)
{
    Json::ObjectReader reader(data);
    std::string_view key;
    Value value;
    while (reader.next(key, value)) {
        if (key == "room" && value.kind == Kind::String) {
            in.room = value.text;
        } else if (key == "seq") {
            if (const auto seq = Json::toUnsigned(value); seq && value.kind == Kind::Number) {
                in.hasSeq = true;
                in.seq = *seq;
            }
        } else if (key == "text" && value.kind == Kind::String) {
            in.text = value.text;
        }
    }
    return reader.ok() && in.hasSeq && !in.room.empty();
}

// The body of a reply (native frame or the first element of a Socket.IO ack): type ok/error.
void readReplyBody(std::string_view object, Inbound &in, bool readId)
{
    Json::ObjectReader reader(object);
    std::string_view key;
    Value value;
    std::string_view type;
    std::string_view data;
    std::string_view error;
    while (reader.next(key, value)) {
        if (key == "type" && value.kind == Kind::String)
            type = value.text;
        else if (key == "data" && value.kind == Kind::Object)
            data = value.text;
        else if (key == "error" && value.kind == Kind::Object)
            error = value.text;
        else if (key == "id" && readId) {
            if (const auto id = Json::toUnsigned(value); id && value.kind == Kind::String) {
                in.hasId = true;
                in.id = *id;
            }
        }
    }
    if (!reader.ok() || type.empty()) {
        in.kind = Inbound::Kind::Malformed;
        return;
    }
    if (type == "ok") {
        in.kind = Inbound::Kind::Ok;
    } else if (type == "error") {
        in.kind = Inbound::Kind::Error;
        if (!error.empty()) {
            if (const auto code = Json::member(error, "code"); code && code->kind == Kind::String)
                in.code = code->text;
        }
    } else if (type == "message") {
        in.kind = data.empty() || !readMessageData(data, in) ? Inbound::Kind::Malformed : Inbound::Kind::Message;
    } else if (type == "hello") {
        in.kind = Inbound::Kind::Hello;
    } else {
        in.kind = Inbound::Kind::Ignored;   // other events: presence, member_joined, typing, ...
    }
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

Inbound parseNative(std::string_view frame)
{
    Inbound in;
    readReplyBody(frame, in, true);
    return in;
}

Inbound parseSocketIo(std::string_view frame)
{
    Inbound in;
    const auto as = [&in](Inbound::Kind kind) {
        in.kind = kind;
        return in;
    };
    using K = Inbound::Kind;
    if (frame.empty())
        return as(K::Malformed);
    // Engine.IO packet type first.
    switch (frame[0]) {
    case '0': return as(K::SioOpen);
    case '1': return as(K::SioClose);
    case '2': return as(K::SioPing);
    case '3':
    case '6': return as(K::Ignored);   // pong, noop
    case '4': break;                   // message: a Socket.IO packet follows
    default: return as(K::Malformed);
    }
    // A Socket.IO packet: type digit, optional "/namespace,", optional ack id, JSON payload.
    if (frame.size() < 2)
        return as(K::Malformed);
    const char packetType = frame[1];
    size_t pos = 2;
    if (pos < frame.size() && frame[pos] == '/') {
        const size_t comma = frame.find(',', pos);
        if (comma == std::string_view::npos)
            return as(K::Malformed);
        pos = comma + 1;
    }
    const size_t idStart = pos;
    while (pos < frame.size() && isDigit(frame[pos]))
        ++pos;
    if (pos > idStart) {
        if (const auto id = Json::toUnsigned(Value{Kind::Number, frame.substr(idStart, pos - idStart), false})) {
            in.hasId = true;
            in.id = *id;
        }
    }
    const std::string_view payload = frame.substr(pos);
    switch (packetType) {
    case '0': return as(K::SioConnected);
    case '4': return as(K::SioConnectError);
    case '1': return as(K::SioClose);   // DISCONNECT from the namespace
    case '2': {                          // EVENT ["name", payload...]
        Json::ArrayReader reader(payload);
        Value name;
        Value body;
        if (!reader.next(name) || name.kind != Kind::String)
            return as(K::Malformed);
        if (name.text != "message")
            return as(K::Ignored);
        if (!reader.next(body) || body.kind != Kind::Object || !readMessageData(body.text, in))
            return as(K::Malformed);
        return as(K::Message);
    }
    case '3': {                          // ACK <id>[{"type":"ok",...}]
        Json::ArrayReader reader(payload);
        Value body;
        if (!in.hasId || !reader.next(body) || body.kind != Kind::Object)
            return as(K::Malformed);
        readReplyBody(body.text, in, false);
        return in.kind == K::Ok || in.kind == K::Error ? in : as(K::Malformed);
    }
    default:
        return as(K::Malformed);
    }
}

namespace {
// Native: {"type":"<type>","id":"<id>","data":{ ... }   Socket.IO: 42<id>["<type>",{ ...
void appendHead(std::string &out, Proto proto, std::string_view type, uint32_t id)
{
    if (proto == Proto::Native) {
        out += R"({"type":")";
        out += type;
        out += R"(","id":")";
        appendNumber(out, id);
        out += R"(","data":{)";
    } else {
        out += "42";
        appendNumber(out, id);
        out += R"([")";
        out += type;
        out += R"(",{)";
    }
}

void appendTail(std::string &out, Proto proto)
{
    out += proto == Proto::Native ? "}}" : "}]";
}
} // namespace

void appendJoin(std::string &out, Proto proto, uint32_t id, std::string_view room)
{
    appendHead(out, proto, "join", id);
    out += R"("room":")";
    out += room;
    out += '"';
    appendTail(out, proto);
}

void appendCreateRoom(std::string &out, Proto proto, uint32_t id, std::string_view room)
{
    appendHead(out, proto, "create_room", id);
    out += R"("name":")";
    out += room;
    out += R"(","private":false)";
    appendTail(out, proto);
}

void appendSend(std::string &out, Proto proto, uint32_t id, std::string_view room, std::string_view text,
                uint64_t messageIndex)
{
    appendHead(out, proto, "send", id);
    out += R"("room":")";
    out += room;
    out += R"(","text":")";
    out += text;
    out += R"(","client_msg_id":"c)";
    appendNumber(out, messageIndex);
    out += '"';
    appendTail(out, proto);
}

void appendBenchText(std::string &out, uint64_t index, int64_t scheduledNs, size_t totalBytes)
{
    const size_t start = out.size();
    out += "b:";
    appendNumber(out, index);
    out += ':';
    appendNumber(out, uint64_t(scheduledNs));
    out += ':';
    const size_t written = out.size() - start;
    if (written < totalBytes)
        out.append(totalBytes - written, 'x');
}

bool parseBenchText(std::string_view text, uint64_t &index, int64_t &scheduledNs)
{
    if (text.size() < 6 || text[0] != 'b' || text[1] != ':')
        return false;
    const char *p = text.data() + 2;
    const char *end = text.data() + text.size();
    uint64_t i = 0;
    auto r = std::from_chars(p, end, i);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != ':')
        return false;
    uint64_t ts = 0;
    r = std::from_chars(r.ptr + 1, end, ts);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != ':')
        return false;
    index = i;
    scheduledNs = int64_t(ts);
    return true;
}

} // namespace Tertulia::Bench
