#include "server/core/logsink.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMutex>
#include <QtCore/QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Tertulia::LogSink {

namespace {
const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

struct Sink
{
    LogFormat format = LogFormat::Text;
    QString node; ///< --node-id: every record says which node wrote it
    QMutex mutex;
    QFile file;
};

Sink &sink()
{
    static Sink instance; // the process-wide message handler needs process-wide state
    return instance;
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString timestamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    Sink &s = sink();
    const QByteArray line = format(s.format, type, context.category, message, timestamp, s.node);
    QMutexLocker locker(&s.mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    if (s.file.isOpen()) {
        s.file.write(line);
        s.file.flush();
    }
    if (type == QtFatalMsg)
        std::abort();
}
} // namespace

QByteArray format(LogFormat logFormat, QtMsgType type, const char *category, const QString &message,
                  const QString &timestamp, const QString &node)
{
    const QString cat = QString::fromLatin1(category ? category : "default");
    if (logFormat == LogFormat::Text) {
        const QString tag = node.isEmpty() ? QString() : u"node="_s + node + u' ';
        return QStringLiteral("%1 %2 %3 %4%5\n")
            .arg(timestamp, QString::fromLatin1(levelName(type)), cat, tag, message)
            .toUtf8();
    }

    QJsonObject json{{QLatin1StringView("ts"), timestamp},
                     {QLatin1StringView("level"), QString::fromLatin1(levelName(type))},
                     {QLatin1StringView("category"), cat}};
    if (!node.isEmpty())
        json.insert(QLatin1StringView("node"), node);
    static const QRegularExpression prefix(u"^conn=(\\d+) user=(\\S+) "_s);
    QString text = message;
    const QRegularExpressionMatch match = prefix.match(message);
    if (match.hasMatch()) {
        json.insert(QLatin1StringView("conn"), match.captured(1).toLongLong());
        if (match.captured(2) != u"-")
            json.insert(QLatin1StringView("user"), match.captured(2));
        text = message.mid(match.capturedLength());
    } else if (message.startsWith(u"user=")) {
        const qsizetype space = message.indexOf(u' ');
        json.insert(QLatin1StringView("user"), message.mid(5, space < 0 ? -1 : space - 5));
        text = space < 0 ? QString() : message.mid(space + 1);
    }
    json.insert(QLatin1StringView("msg"), text);
    return QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
}

void install(LogFormat logFormat, const QString &filePath, const QString &node)
{
    Sink &s = sink();
    s.format = logFormat;
    s.node = node;
    QDir().mkpath(QFileInfo(filePath).absolutePath());
    s.file.setFileName(filePath);
    if (!s.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        std::fprintf(stderr, "tertulia-server: cannot write the log file %s\n", qPrintable(filePath));
    qInstallMessageHandler(handler);
}

} // namespace Tertulia::LogSink
