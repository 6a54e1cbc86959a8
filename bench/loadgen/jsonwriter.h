#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Tertulia::Bench {

/// Writes the one-line JSON result. Keys and string values are escaped for quotes, backslashes and
/// control characters; numbers that are not finite are written as null.
class JsonWriter
{
public:
    JsonWriter &beginObject(std::string_view key = {}) { return open(key, '{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray(std::string_view key = {}) { return open(key, '['); }
    JsonWriter &endArray() { return close(']'); }
    JsonWriter &value(std::string_view key, std::string_view text);
    JsonWriter &value(std::string_view key, const char *text) { return value(key, std::string_view(text)); }
    JsonWriter &value(std::string_view key, int64_t number);
    JsonWriter &value(std::string_view key, uint64_t number) { return value(key, int64_t(number)); }
    JsonWriter &value(std::string_view key, int number) { return value(key, int64_t(number)); }
    JsonWriter &value(std::string_view key, double number);
    JsonWriter &value(std::string_view key, bool flag);
    /// An element of the current array.
    JsonWriter &element(std::string_view text);
    JsonWriter &element(double number);

    const std::string &text() const { return m_out; }

private:
    JsonWriter &open(std::string_view key, char bracket);
    JsonWriter &close(char bracket);
    void prefix(std::string_view key);
    void appendString(std::string_view text);
    std::string m_out;
    std::vector<bool> m_needComma;
};

} // namespace Tertulia::Bench
