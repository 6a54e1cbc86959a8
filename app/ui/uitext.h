#pragma once

#include "shared/protocol/errorcode.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QStringList>

#include <optional>

namespace Tertulia {

/// Texts the window builds from values (dates, sizes, errors, who is typing), translated and in
/// the current locale. Kept together so every view says the same thing the same way.
class UiText
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::UiText)

public:
    /// "Today", "Yesterday", or the date in the locale's long form.
    static QString day(const QDate &date, const QDate &today = QDate::currentDate());
    /// The time of day of a message, in the locale's short form.
    static QString time(const QDateTime &when);
    /// When something happened: the time for today, otherwise date and time (short forms).
    static QString dateTime(const QDateTime &when);
    /// "12.3 ms"; "–" without a value.
    static QString milliseconds(std::optional<double> ms);
    /// Bytes in the locale's units ("1.5 KiB").
    static QString bytes(quint64 bytes);
    /// "alice is typing…", "alice and bob are typing…", "Several people are typing…"; empty for none.
    static QString typing(const QStringList &users);
    /// Why any request failed, for the reasons every request shares (rate limits, no connection, the server's
    /// own sentence otherwise); the functions below handle their own reasons first and fall back on it.
    static QString requestError(const Protocol::Error &error);
    /// A failed room operation (create, join, leave) in plain words.
    static QString roomError(const Protocol::Error &error);
    /// A refused edit or deletion of a message, in plain words.
    static QString changeError(const Protocol::Error &error);
    /// Why a reaction was refused, in the person's words.
    static QString reactionError(const Protocol::Error &error);
    /// Why a moderation request (set_role, ban, mute, ...) was refused; the server's own sentence says which rule.
    static QString moderationError(const Protocol::Error &error);
    /// A failed account request (password, devices, deletion) in plain words.
    static QString accountError(const Protocol::Error &error);
    /// A send the server refused, for the failed row.
    static QString sendError(const QString &serverMessage);
    /// The text as a sentence: a full stop added unless it already ends in one (or ? ! …).
    static QString sentence(const QString &text);
};

} // namespace Tertulia
