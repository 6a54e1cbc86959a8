#include "jsonreader.h"

namespace Tertulia::Bench::Json {

namespace {

constexpr int MaxDepth = 64;

void skipSpace(std::string_view s, size_t &pos)
{
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        ++pos;
}

// pos is on the opening quote; on success pos is past the closing quote.
bool readString(std::string_view s, size_t &pos, std::string_view &contents, bool &escapes)
{
    const size_t start = ++pos;
    escapes = false;
    while (pos < s.size()) {
        const char c = s[pos];
        if (c == '"') {
            contents = s.substr(start, pos - start);
            ++pos;
            return true;
        }
        if (c == '\\') {
            escapes = true;
            pos += 2;
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20)
            return false;
        ++pos;
    }
    return false;
}

bool readLiteral(std::string_view s, size_t &pos, std::string_view word)
{
    if (s.substr(pos, word.size()) != word)
        return false;
    pos += word.size();
    return true;
}

bool readNumber(std::string_view s, size_t &pos)
{
    const size_t start = pos;
    if (pos < s.size() && s[pos] == '-')
        ++pos;
    bool digits = false;
    while (pos < s.size()) {
        const char c = s[pos];
        if (c >= '0' && c <= '9')
            digits = true;
        else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            break;
        ++pos;
    }
    return digits && pos > start;
}

bool skipValue(std::string_view s, size_t &pos, Value &out, int depth);

// Skips a whole object or array (pos on the opening bracket).
bool skipContainer(std::string_view s, size_t &pos, int depth)
{
    if (depth > MaxDepth)
        return false;
    const char open = s[pos];
    const char close = open == '{' ? '}' : ']';
    ++pos;
    skipSpace(s, pos);
    if (pos < s.size() && s[pos] == close) {
        ++pos;
        return true;
    }
    while (pos < s.size()) {
        Value ignored;
        if (open == '{') {
            skipSpace(s, pos);
            if (pos >= s.size() || s[pos] != '"' || !readString(s, pos, ignored.text, ignored.hasEscapes))
                return false;
            skipSpace(s, pos);
            if (pos >= s.size() || s[pos] != ':')
                return false;
            ++pos;
        }
        if (!skipValue(s, pos, ignored, depth + 1))
            return false;
        skipSpace(s, pos);
        if (pos >= s.size())
            return false;
        if (s[pos] == close) {
            ++pos;
            return true;
        }
        if (s[pos] != ',')
            return false;
        ++pos;
    }
    return false;
}

bool skipValue(std::string_view s, size_t &pos, Value &out, int depth)
{
    skipSpace(s, pos);
    if (pos >= s.size())
        return false;
    const size_t start = pos;
    switch (s[pos]) {
    case '"':
        out.kind = Kind::String;
        return readString(s, pos, out.text, out.hasEscapes);
    case '{':
    case '[':
        out.kind = s[pos] == '{' ? Kind::Object : Kind::Array;
        if (!skipContainer(s, pos, depth))
            return false;
        break;
    case 't':
        out.kind = Kind::True;
        if (!readLiteral(s, pos, "true"))
            return false;
        break;
    case 'f':
        out.kind = Kind::False;
        if (!readLiteral(s, pos, "false"))
            return false;
        break;
    case 'n':
        out.kind = Kind::Null;
        if (!readLiteral(s, pos, "null"))
            return false;
        break;
    default:
        out.kind = Kind::Number;
        if (!readNumber(s, pos))
            return false;
        break;
    }
    out.text = s.substr(start, pos - start);
    out.hasEscapes = false;
    return true;
}

} // namespace

bool readValue(std::string_view json, size_t &pos, Value &out)
{
    return skipValue(json, pos, out, 0);
}

ContainerReader::ContainerReader(std::string_view text, char open, char close)
    : m_text(text)
    , m_close(close)
{
    skipSpace(m_text, m_pos);
    if (m_pos >= m_text.size() || m_text[m_pos] != open)
        m_failed = true;
    else
        ++m_pos;
}

bool ContainerReader::fail()
{
    m_failed = true;
    return false;
}

bool ContainerReader::advance()
{
    if (m_failed || m_done)
        return false;
    skipSpace(m_text, m_pos);
    if (m_pos >= m_text.size())
        return fail();
    if (m_text[m_pos] == m_close) {
        m_done = true;
        return false;
    }
    if (!m_first) {
        if (m_text[m_pos] != ',')
            return fail();
        ++m_pos;
        skipSpace(m_text, m_pos);
    }
    m_first = false;
    return true;
}

bool ObjectReader::next(std::string_view &key, Value &value)
{
    if (!advance())
        return false;
    bool escapes = false;
    if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !readString(m_text, m_pos, key, escapes))
        return fail();
    skipSpace(m_text, m_pos);
    if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        return fail();
    ++m_pos;
    return readValue(m_text, m_pos, value) || fail();
}

bool ArrayReader::next(Value &value)
{
    return advance() && (readValue(m_text, m_pos, value) || fail());
}

std::optional<Value> member(std::string_view objectText, std::string_view key)
{
    ObjectReader reader(objectText);
    std::string_view k;
    Value v;
    while (reader.next(k, v)) {
        if (k == key)
            return v;
    }
    return std::nullopt;
}

std::optional<uint64_t> toUnsigned(const Value &value)
{
    if ((value.kind != Kind::Number && value.kind != Kind::String) || value.text.empty()
        || value.text.size() > 19)
        return std::nullopt;
    uint64_t result = 0;
    for (const char c : value.text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        result = result * 10 + uint64_t(c - '0');
    }
    return result;
}

} // namespace Tertulia::Bench::Json
