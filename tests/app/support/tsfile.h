// Reads a Qt Linguist .ts file for the translation tests: the messages that count (vanished and
// obsolete ones left out) and the %1…%n placeholders of a text.
#pragma once

#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>
#include <QtCore/QXmlStreamReader>

#include <optional>

namespace Tertulia::TsFile {

struct Message
{
    QString source;
    QString translation;
    bool finished = false; ///< translated, not marked "unfinished"
};

/// The live messages of the .ts at `path`, or nothing with `error` set when it cannot be read or parsed.
inline std::optional<QList<Message>> read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return std::nullopt;
    }
    QXmlStreamReader xml(&file);
    QList<Message> messages;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"source") {
            source = xml.readElementText();
        } else if (xml.name() == u"translation") {
            const QString type = xml.attributes().value(QStringLiteral("type")).toString();
            const QString translation = xml.readElementText();
            if (type == u"vanished" || type == u"obsolete")
                continue;
            messages.append({source, translation, type != u"unfinished" && !translation.isEmpty()});
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString() + QStringLiteral(" at line ") + QString::number(xml.lineNumber());
        return std::nullopt;
    }
    return messages;
}

/// The %1…%n placeholders of `text`, sorted: a translation must keep the same ones.
inline QStringList placeholders(const QString &text)
{
    static const QRegularExpression placeholder(QStringLiteral("%\\d+"));
    QStringList found;
    for (auto it = placeholder.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

} // namespace Tertulia::TsFile
