#pragma once

#include "shared/protocol/errorcode.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>

namespace Tertulia::Protocol {

/// Reads typed fields out of a JSON object and remembers the first problem, so that a payload parser
/// reads like a list of its fields and still reports exactly which one was wrong.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object) : m_object(object) { }

    /// What to do with a lone surrogate (valid JSON, invalid Unicode: "\ud800").
    enum class LoneSurrogates {
        Refuse, ///< a bad field: what is stored must read back exactly as it was received
        Keep,   ///< the caller cleans the text itself (display-only text such as a LAN host's name)
    };

    /// A string of at most maxLength UTF-16 code units; empty strings are refused when required, and so are
    /// strings with a lone surrogate unless the caller keeps them.
    QString string(QLatin1StringView key, qsizetype maxLength);
    std::optional<QString> optionalString(QLatin1StringView key, qsizetype maxLength,
                                          LoneSurrogates surrogates = LoneSurrogates::Refuse);
    /// An integral number in [min, max]; JSON numbers with a fraction are refused.
    qint64 integer(QLatin1StringView key, qint64 min, qint64 max);
    std::optional<qint64> optionalInteger(QLatin1StringView key, qint64 min, qint64 max);
    bool boolean(QLatin1StringView key);
    bool optionalBoolean(QLatin1StringView key, bool fallback);
    QJsonObject object(QLatin1StringView key);
    QJsonArray array(QLatin1StringView key);

    bool ok() const { return !m_error; }
    const Error &error() const { return *m_error; }
    /// Records a problem found by the caller (a semantic check), unless one is already recorded.
    void fail(const QString &message);

private:
    QJsonValue take(QLatin1StringView key, bool required);

    const QJsonObject &m_object;
    std::optional<Error> m_error;
};

/// Largest integer a JSON number holds exactly (2^53 - 1): sequence numbers and timestamps stay below.
inline constexpr qint64 kMaxJsonInteger = (qint64(1) << 53) - 1;

} // namespace Tertulia::Protocol
