#include "server/store/sqlstatement.h"

#include "server/logging.h"

#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QTime>
#include <QtSql/QSqlDriver>
#include <QtSql/QSqlField>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlStatement {

bool isNull(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return true;
    // What QtSql itself takes for NULL when it binds (a null string in a valid QVariant is not isNull()).
    // QVariant's get<T>() would read better but arrived in Qt 6.6.
    switch (value.typeId()) {
    case QMetaType::QString:
        return static_cast<const QString *>(value.constData())->isNull();
    case QMetaType::QByteArray:
        return static_cast<const QByteArray *>(value.constData())->isNull();
    case QMetaType::QDate:
        return static_cast<const QDate *>(value.constData())->isNull();
    case QMetaType::QTime:
        return static_cast<const QTime *>(value.constData())->isNull();
    case QMetaType::QDateTime:
        return static_cast<const QDateTime *>(value.constData())->isNull();
    default:
        return false;
    }
}

QString inlined(const QSqlDriver &driver, const QString &sql, const QVariantList &values, QString *error)
{
    QString text;
    text.reserve(sql.size() + values.size() * 16);
    qsizetype placeholders = 0;
    QChar quote; // the quote we are inside of, or null
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (!quote.isNull()) {
            text.append(c);
            if (c == quote)
                quote = QChar(); // a doubled quote closes and reopens: the same text either way
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            text.append(c);
        } else if (c == u'-' && i + 1 < sql.size() && sql.at(i + 1) == u'-') {
            const qsizetype end = sql.indexOf(u'\n', i);
            const qsizetype stop = end < 0 ? sql.size() : end;
            text.append(QStringView(sql).sliced(i, stop - i));
            i = stop - 1;
        } else if (c == u'?') {
            if (placeholders < values.size()) {
                const QVariant &value = values.at(placeholders);
                QSqlField field(QString(), value.metaType());
                if (!isNull(value))
                    field.setValue(value);
                // In parentheses: a negative number after `-` would start a comment (`a--1`), and a cast binds
                // tighter than a sign (`-9223372036854775808::bigint` overflows); `(…)` is a value anywhere one is.
                text.append(u'(' + driver.formatValue(field) + u')');
            }
            ++placeholders;
        } else {
            text.append(c);
        }
    }
    if (placeholders != values.size()) {
        if (error)
            *error = u"the statement has %1 placeholders for %2 values"_s.arg(placeholders).arg(values.size());
        return QString();
    }
    return text;
}

bool execute(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    query.setForwardOnly(true);
    const QSqlDriver *driver = query.driver();
    if (driver && driver->dbmsType() == QSqlDriver::PostgreSQL) {
        QString error;
        const QString text = values.isEmpty() ? sql : inlined(*driver, sql, values, &error);
        if (text.isNull()) {
            qCCritical(lcStore) << "statement not sent:" << error << sql; // a mistake in our own SQL
            return false;
        }
        return query.exec(text);
    }
    bool ok = query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    return ok && query.exec();
}

} // namespace Tertulia::SqlStatement
