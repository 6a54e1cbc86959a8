#pragma once

#include "server/core/serverconfig.h"

#include <QtCore/QString>

namespace Tertulia::LogSink {

/// Formats one log record. Text: "2026-11-26T03:10:00.123Z info tertulia.server.session conn=3 user=alice
/// authenticated" (with a node name, "node=n1" after the category). JSON: one object per line with ts,
/// level, category, node (when named), conn and user lifted out of the "conn=... user=..." prefix, and msg.
QByteArray format(LogFormat format, QtMsgType type, const char *category, const QString &message,
                  const QString &timestamp, const QString &node = {});

/// Installs the standalone server's message handler: every record to stderr and appended to `filePath`,
/// tagged with `node` (--node-id) when it is not empty, so the logs of several nodes can be merged.
/// The handler is process-wide by nature (qInstallMessageHandler), so only main() calls this.
void install(LogFormat format, const QString &filePath, const QString &node = {});

} // namespace Tertulia::LogSink
