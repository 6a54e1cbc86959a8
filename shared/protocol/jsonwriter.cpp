#include "shared/protocol/jsonwriter.h"

#include <QtCore/QChar>

#include <array>

namespace Tertulia::Protocol {

namespace {
constexpr char kHex[] = "0123456789abcdef";

/// How Qt's JSON writer writes each ASCII character: 0 as itself, 'u' as \u00xx, any other letter as a
/// backslash and that letter.
constexpr std::array<char, 128> kAsciiEscapes = [] {
    std::array<char, 128> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = 'u';
    table['\b'] = 'b';
    table['\f'] = 'f';
    table['\n'] = 'n';
    table['\r'] = 'r';
    table['\t'] = 't';
    table['"'] = '"';
    table['\\'] = '\\';
    return table;
}();

/// The most bytes one UTF-16 code unit (or Latin-1 character) can take: \u00xx, \udxxx.
constexpr qsizetype kMaxBytesPerUnit = 6;

char *writeAscii(char *p, char16_t c)
{
    const char escape = kAsciiEscapes[c];
    if (!escape) {
        *p++ = char(c);
        return p;
    }
    *p++ = '\\';
    *p++ = escape;
    if (escape == 'u') {
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xf];
    }
    return p;
}
} // namespace

void JsonWriter::quoted(QStringView text)
{
    const qsizetype start = m_out.size();
    m_out.resize(start + kMaxBytesPerUnit * text.size() + 2); // never shrinks the capacity: truncated below
    char *p = m_out.data() + start;
    *p++ = '"';
    const char16_t *src = text.utf16();
    const char16_t *const end = src + text.size();
    while (src != end) {
        const char16_t u = *src++;
        if (u < 0x80) {
            p = writeAscii(p, u);
        } else if (u < 0x800) {
            *p++ = char(0xc0 | (u >> 6));
            *p++ = char(0x80 | (u & 0x3f));
        } else if (!QChar::isSurrogate(u)) {
            *p++ = char(0xe0 | (u >> 12));
            *p++ = char(0x80 | ((u >> 6) & 0x3f));
            *p++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && src != end && QChar::isLowSurrogate(*src)) {
            const char32_t c = QChar::surrogateToUcs4(u, *src++);
            *p++ = char(0xf0 | (c >> 18));
            *p++ = char(0x80 | ((c >> 12) & 0x3f));
            *p++ = char(0x80 | ((c >> 6) & 0x3f));
            *p++ = char(0x80 | (c & 0x3f));
        } else {
            // A lone surrogate has no UTF-8: Qt writes it as an escape (valid JSON, read back as it was).
            *p++ = '\\';
            *p++ = 'u';
            *p++ = kHex[u >> 12];
            *p++ = kHex[(u >> 8) & 0xf];
            *p++ = kHex[(u >> 4) & 0xf];
            *p++ = kHex[u & 0xf];
        }
    }
    *p++ = '"';
    m_out.truncate(p - m_out.constData());
}

void JsonWriter::quoted(QLatin1StringView text)
{
    const qsizetype start = m_out.size();
    m_out.resize(start + kMaxBytesPerUnit * text.size() + 2);
    char *p = m_out.data() + start;
    *p++ = '"';
    for (const char ch : text) {
        const auto c = char16_t(uchar(ch));
        if (c < 0x80) {
            p = writeAscii(p, c);
        } else {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        }
    }
    *p++ = '"';
    m_out.truncate(p - m_out.constData());
}

void JsonWriter::key(QLatin1StringView name)
{
    separate();
    quoted(name);
    m_out.append(':');
    m_first = true; // the value takes no comma
}

void JsonWriter::key(QStringView name)
{
    separate();
    quoted(name);
    m_out.append(':');
    m_first = true;
}

void JsonWriter::string(QStringView value)
{
    separate();
    quoted(value);
}

void JsonWriter::integer(qint64 value)
{
    separate();
    // Digits backwards into a buffer: QByteArray::number() would allocate a QByteArray for each.
    char digits[20];
    char *p = digits + sizeof digits;
    // The magnitude as unsigned: -INT64_MIN does not fit in a qint64.
    quint64 magnitude = value < 0 ? quint64(0) - quint64(value) : quint64(value);
    do {
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        m_out.append('-');
    m_out.append(p, digits + sizeof digits - p);
}

void JsonWriter::boolean(bool value)
{
    separate();
    m_out.append(value ? QByteArrayView("true") : QByteArrayView("false"));
}

void JsonWriter::null()
{
    separate();
    m_out.append(QByteArrayView("null"));
}

void JsonWriter::stringMap(QLatin1StringView name, const QMap<QString, QString> &map)
{
    key(name);
    beginObject();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        key(QStringView(it.key()));
        string(it.value());
    }
    endObject();
}

} // namespace Tertulia::Protocol
