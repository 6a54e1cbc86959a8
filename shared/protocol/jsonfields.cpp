#include "shared/protocol/jsonfields.h"

#include <cmath>

namespace Tertulia::Protocol {

void FieldReader::fail(const QString &message)
{
    if (!m_error)
        m_error = Error{ErrorCode::BadRequest, message};
}

QJsonValue FieldReader::take(QLatin1StringView key, bool required)
{
    if (m_error)
        return {};
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd() || it->isNull()) {
        if (required)
            fail(QStringLiteral("missing field '%1'").arg(key));
        return QJsonValue(QJsonValue::Undefined);
    }
    return *it;
}

QString FieldReader::string(QLatin1StringView key, qsizetype maxLength)
{
    const auto value = optionalString(key, maxLength);
    if (ok() && !value)
        fail(QStringLiteral("missing field '%1'").arg(key));
    else if (ok() && value->isEmpty())
        fail(QStringLiteral("field '%1' must not be empty").arg(key));
    return value.value_or(QString());
}

std::optional<QString> FieldReader::optionalString(QLatin1StringView key, qsizetype maxLength,
                                                   LoneSurrogates surrogates)
{
    const QJsonValue value = take(key, false);
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isString()) {
        fail(QStringLiteral("field '%1' must be a string").arg(key));
        return std::nullopt;
    }
    QString text = value.toString();
    // JSON escapes can spell a lone surrogate ("\ud800"), which has no UTF-8 form: stored, it would read back
    // as something else than what was delivered live. Refused here, for every string of every request.
    if (surrogates == LoneSurrogates::Refuse && !QStringView(text).isValidUtf16()) {
        fail(QStringLiteral("field '%1' is not valid Unicode (a lone surrogate escape)").arg(key));
        return std::nullopt;
    }
    if (text.size() > maxLength) {
        m_error = Error{ErrorCode::TooLarge,
                        QStringLiteral("field '%1' is longer than %2 characters").arg(key).arg(maxLength)};
        return std::nullopt;
    }
    return text;
}

qint64 FieldReader::integer(QLatin1StringView key, qint64 min, qint64 max)
{
    const auto value = optionalInteger(key, min, max);
    if (ok() && !value)
        fail(QStringLiteral("missing field '%1'").arg(key));
    return value.value_or(0);
}

std::optional<qint64> FieldReader::optionalInteger(QLatin1StringView key, qint64 min, qint64 max)
{
    const QJsonValue value = take(key, false);
    if (value.isUndefined())
        return std::nullopt;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || !std::isfinite(number) || std::trunc(number) != number) {
        fail(QStringLiteral("field '%1' must be an integer").arg(key));
        return std::nullopt;
    }
    if (number < double(min) || number > double(max)) {
        fail(QStringLiteral("field '%1' must be between %2 and %3").arg(key).arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(number);
}

bool FieldReader::boolean(QLatin1StringView key)
{
    const QJsonValue value = take(key, true);
    if (!ok())
        return false;
    if (!value.isBool())
        fail(QStringLiteral("field '%1' must be true or false").arg(key));
    return value.toBool();
}

bool FieldReader::optionalBoolean(QLatin1StringView key, bool fallback)
{
    const QJsonValue value = take(key, false);
    if (value.isUndefined())
        return fallback;
    if (!value.isBool()) {
        fail(QStringLiteral("field '%1' must be true or false").arg(key));
        return fallback;
    }
    return value.toBool();
}

QJsonObject FieldReader::object(QLatin1StringView key)
{
    const QJsonValue value = take(key, true);
    if (ok() && !value.isObject())
        fail(QStringLiteral("field '%1' must be an object").arg(key));
    return value.toObject();
}

QJsonArray FieldReader::array(QLatin1StringView key)
{
    const QJsonValue value = take(key, true);
    if (ok() && !value.isArray())
        fail(QStringLiteral("field '%1' must be an array").arg(key));
    return value.toArray();
}

} // namespace Tertulia::Protocol
