#include "jsonwriter.h"

#include <cmath>
#include <cstdio>

namespace Tertulia::Bench {

void JsonWriter::prefix(std::string_view key)
{
    if (!m_needComma.empty()) {
        if (m_needComma.back())
            m_out += ',';
        m_needComma.back() = true;
    }
    if (!key.empty()) {
        appendString(key);
        m_out += ':';
    }
}

void JsonWriter::appendString(std::string_view text)
{
    m_out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            m_out += '\\';
            m_out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            m_out += escaped;
        } else {
            m_out += c;
        }
    }
    m_out += '"';
}

JsonWriter &JsonWriter::open(std::string_view key, char bracket)
{
    prefix(key);
    m_out += bracket;
    m_needComma.push_back(false);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out += bracket;
    m_needComma.pop_back();
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view key, std::string_view text)
{
    prefix(key);
    appendString(text);
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view key, int64_t number)
{
    prefix(key);
    m_out += std::to_string(number);
    return *this;
}

JsonWriter &JsonWriter::element(double number)
{
    return value({}, number);
}

JsonWriter &JsonWriter::value(std::string_view key, double number)
{
    prefix(key);
    if (!std::isfinite(number)) {
        m_out += "null";
        return *this;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", number);
    m_out += buffer;
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view key, bool flag)
{
    prefix(key);
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::element(std::string_view text)
{
    prefix({});
    appendString(text);
    return *this;
}

} // namespace Tertulia::Bench
