#pragma once

#include "chaos/chaosclient.h"

#include <QtCore/QUrl>

#include <optional>

namespace Tertulia::Chaos {

/// Every message of a room, read through a new connection with `history {after}` pages: what the
/// server has stored (after a restart: what survived). nullopt with the reason when it cannot be read.
std::optional<QList<Protocol::ChatMessage>> readRoom(const QUrl &wsUrl, const QString &accessToken,
                                                     const QString &room, QString *error);

/// The invariants every chaos scenario ends with, for one room; each broken one is a line:
/// - the stored seqs are 1..N without holes or repeats;
/// - each (sender, client_msg_id) is stored once, and each stored message is one the clients sent;
/// - every acknowledged message is stored, at the seq its ack named, with its text;
/// - every client's view (live, replayed and paged in) is exactly the stored history.
QStringList checkRoom(const QString &room, const QList<Protocol::ChatMessage> &stored,
                      const QList<const ChaosClient *> &clients);

/// The clients' anomalies (protocol breaches they saw), one per line.
QStringList anomaliesOf(const QList<const ChaosClient *> &clients);

/// One line of counters over all clients, for the test output and the docs.
QString summary(const QList<const ChaosClient *> &clients);

/// Per room, the highest seq any client got an acknowledgement for.
QMap<QString, qint64> lastAckedSeqs(const QList<const ChaosClient *> &clients);

/// Whether every client has acknowledged everything it queued and holds each room up to `lastSeq`, with no
/// hole below it.
bool allCaughtUp(const QList<const ChaosClient *> &clients, const QMap<QString, qint64> &lastSeq);

} // namespace Tertulia::Chaos
