#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QLatin1StringView>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringView>

namespace Tertulia::Protocol {

/// Writes compact JSON straight from values, appending to a QByteArray: the output is byte for byte what
/// `QJsonDocument(object).toJson(QJsonDocument::Compact)` writes for the same content (Qt 6.4's escaping:
/// `"` `\` and control characters escaped, \b \f \n \r \t by name and the others as \u00xx; everything else,
/// DEL and non-ASCII included, as UTF-8; a lone surrogate as \udxxx; integers exact, whatever their size).
///
/// Hand-written because the standard path needs a QJsonObject built first, and building it is what the
/// connect path paid for (three frames per connect took a third of its instructions; docs/benchmarks.md,
/// issue 14): walking a built QJsonObject with a writer saves only a fifth of toJson()'s cost. No maintained
/// Qt-only library writes JSON straight from values, and the format is small enough to own.
///
/// The writer checks nothing: the caller writes the keys of an object in QJsonObject's order (sorted by
/// UTF-16 code unit) when the output must match toJson(), one value per key, and closes what it opens. The
/// tests (tests/shared/tst_jsonwriter) compare every frame written this way with toJson().
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &out) : m_out(out) { }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    /// An object's key; its value follows. Keys are escaped as strings are.
    void key(QLatin1StringView name);
    void key(QStringView name);

    void string(QStringView value);
    void integer(qint64 value);
    void boolean(bool value);
    void null();

    // Members of an object: a key and its value.
    void string(QLatin1StringView name, QStringView value)
    {
        key(name);
        string(value);
    }
    void integer(QLatin1StringView name, qint64 value)
    {
        key(name);
        integer(value);
    }
    void boolean(QLatin1StringView name, bool value)
    {
        key(name);
        boolean(value);
    }
    /// A member whose value is an object: `write(*this)` writes its members.
    template<typename Members>
    void object(QLatin1StringView name, Members &&write)
    {
        key(name);
        beginObject();
        write(*this);
        endObject();
    }
    /// A member whose value is an object of strings; QMap's order is QJsonObject's.
    void stringMap(QLatin1StringView name, const QMap<QString, QString> &map);

private:
    /// Writes the comma before a value or a key, unless it is the first of its object or array (or the value of
    /// the key just written).
    void separate()
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
    }
    void open(char bracket)
    {
        separate();
        m_out.append(bracket);
        m_first = true;
    }
    void close(char bracket)
    {
        m_out.append(bracket);
        m_first = false;
    }
    void quoted(QStringView text);
    void quoted(QLatin1StringView text);

    QByteArray &m_out;
    bool m_first = true;
};

} // namespace Tertulia::Protocol
