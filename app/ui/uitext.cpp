#include "app/ui/uitext.h"

#include <QtCore/QLocale>

using namespace Qt::StringLiterals;

namespace Tertulia {

QString UiText::day(const QDate &date, const QDate &today)
{
    if (date == today)
        return tr("Today");
    if (date == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(date, QLocale::LongFormat);
}

QString UiText::time(const QDateTime &when) { return QLocale().toString(when.toLocalTime().time(), QLocale::ShortFormat); }

QString UiText::dateTime(const QDateTime &when)
{
    const QDateTime local = when.toLocalTime();
    if (local.date() == QDate::currentDate())
        return QLocale().toString(local.time(), QLocale::ShortFormat);
    return QLocale().toString(local, QLocale::ShortFormat);
}

QString UiText::milliseconds(std::optional<double> ms)
{
    if (!ms)
        return u"–"_s;
    const int decimals = *ms < 10 ? 2 : *ms < 100 ? 1 : 0;
    return tr("%1 ms").arg(QLocale().toString(*ms, 'f', decimals));
}

QString UiText::bytes(quint64 bytes) { return QLocale().formattedDataSize(qint64(bytes)); }

QString UiText::typing(const QStringList &users)
{
    switch (users.size()) {
    case 0: return {};
    case 1: return tr("%1 is typing…").arg(users.at(0));
    case 2: return tr("%1 and %2 are typing…").arg(users.at(0), users.at(1));
    case 3: return tr("%1, %2 and %3 are typing…").arg(users.at(0), users.at(1), users.at(2));
    default: return tr("Several people are typing…");
    }
}

QString UiText::requestError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::RateLimited: return tr("Too many requests. Please wait a moment and try again.");
    case ErrorCode::Unavailable:
    case ErrorCode::NotAuthenticated: return tr("Not connected. Try again when the connection is back.");
    default: break;
    }
    return error.message.isEmpty() ? tr("The server could not do that.")
                                   : tr("The server could not do that: %1").arg(error.message);
}

QString UiText::roomError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::Conflict: return tr("A room with that name already exists.");
    case ErrorCode::NotFound: return tr("There is no room with that name, or it is private and you were not invited.");
    case ErrorCode::Forbidden: return tr("You are not allowed to do that in this room.");
    case ErrorCode::InvalidName:
        return tr("Room names are 1 to 64 letters or digits, dots, dashes or underscores, without spaces.");
    default: break;
    }
    return requestError(error);
}

QString UiText::changeError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::NotFound: return tr("That message is no longer there: it was deleted.");
    case ErrorCode::Forbidden: return tr("Only the person who wrote a message can change it.");
    case ErrorCode::TooLarge:
    case ErrorCode::BadRequest: return tr("The text must not be empty or longer than the server allows.");
    default: break;
    }
    return requestError(error);
}

QString UiText::reactionError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::NotFound: return tr("That message is no longer there: it was deleted.");
    case ErrorCode::Forbidden: return tr("Join the room to react to its messages.");
    case ErrorCode::TooLarge: return tr("That message has as many different reactions as it can take.");
    case ErrorCode::BadRequest: return tr("A reaction is one emoji.");
    default: break;
    }
    return requestError(error);
}

QString UiText::moderationError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::Forbidden:
        return error.message.isEmpty() ? tr("You are not allowed to do that in this room.")
                                       : tr("Not allowed: %1").arg(error.message);
    case ErrorCode::NotFound: return tr("That person is not in the room any more, or the room is gone.");
    default: break;
    }
    return requestError(error);
}

QString UiText::accountError(const Protocol::Error &error)
{
    using Protocol::ErrorCode;
    switch (error.code) {
    case ErrorCode::WrongPassword: return tr("That password is not right.");
    case ErrorCode::RateLimited:
        return tr("Too many wrong passwords for this account. Wait a moment before trying again.");
    case ErrorCode::Forbidden:
        return tr("This account has no password: it signs in through the app that hosts the chat.");
    case ErrorCode::NotFound: return tr("That device is no longer signed in.");
    case ErrorCode::BadRequest:
        // The client core checks what it can first and says so in its own (translated) words.
        if (!error.message.isEmpty())
            return error.message;
        break;
    default: break;
    }
    return requestError(error);
}

QString UiText::sendError(const QString &serverMessage)
{
    return serverMessage.isEmpty() ? tr("Not sent.") : tr("Not sent: %1").arg(serverMessage);
}

QString UiText::sentence(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return trimmed;
    const QChar last = trimmed.back();
    // A message that is already a sentence ("The server cannot be reached.") gets no second full stop.
    if (last == u'.' || last == u'?' || last == u'!' || last == u'…' || last == u'。')
        return trimmed;
    return trimmed + u'.';
}

} // namespace Tertulia
