#include "chaos/chaoschecks.h"

#include "shared/names.h"
#include "support/wsclient.h"

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

using namespace Protocol;

std::optional<QList<ChatMessage>> readRoom(const QUrl &wsUrl, const QString &accessToken, const QString &room,
                                           QString *error)
{
    Test::WsClient reader;
    if (!reader.openAndAuth(wsUrl, accessToken)) {
        *error = u"cannot sign in to read %1"_s.arg(room);
        return std::nullopt;
    }
    QList<ChatMessage> messages;
    qint64 after = 0;
    for (;;) {
        const Reply reply = reader.request(Request::history({}, HistoryParams{room, std::nullopt, after, kMaxHistoryPage}));
        if (!reply.isOk()) {
            *error = u"history of %1: %2"_s.arg(room, describe(*reply.error));
            return std::nullopt;
        }
        auto parsed = HistoryPage::fromJson(reply.data);
        const auto *page = std::get_if<HistoryPage>(&parsed);
        if (!page) {
            *error = u"undecodable history page"_s;
            return std::nullopt;
        }
        messages += page->messages;
        if (!page->hasMore || page->messages.isEmpty())
            return messages;
        after = page->messages.last().seq;
    }
}

QStringList checkRoom(const QString &room, const QList<ChatMessage> &stored, const QList<const ChaosClient *> &clients)
{
    QStringList problems;
    auto problem = [&problems](const QString &line) {
        if (problems.size() < 20)
            problems.append(line);
    };
    QHash<std::pair<QString, QString>, const ChatMessage *> byClientId;
    for (qsizetype i = 0; i < stored.size(); ++i) {
        const ChatMessage &message = stored[i];
        if (message.seq != i + 1)
            problem(u"%1: position %2 holds seq %3 (a hole or a repeat)"_s.arg(room).arg(i + 1).arg(message.seq));
        const auto key = std::make_pair(Names::canonical(message.sender), message.clientMsgId);
        if (byClientId.contains(key))
            problem(u"%1: %2 stored twice (#%3 and #%4)"_s.arg(room, message.clientMsgId).arg(byClientId[key]->seq).arg(message.seq));
        byClientId.insert(key, &message);
    }
    QHash<QString, const ChaosClient *> senders;
    for (const ChaosClient *client : clients)
        senders.insert(Names::canonical(client->user()), client);
    for (const ChatMessage &message : stored) {
        const ChaosClient *sender = senders.value(Names::canonical(message.sender));
        if (sender && !sender->acked().contains(message.clientMsgId) && !sender->refused().contains(message.clientMsgId)
            && sender->unackedCount() == 0)
            problem(u"%1: #%2 (%3) is stored but its sender never had it acknowledged"_s.arg(room).arg(message.seq).arg(message.clientMsgId));
    }
    for (const ChaosClient *client : clients) {
        const QString user = Names::canonical(client->user());
        for (auto it = client->acked().cbegin(); it != client->acked().cend(); ++it) {
            if (it->room != room)
                continue;
            const ChatMessage *message = byClientId.value({user, it.key()});
            if (!message)
                problem(u"%1: %2 was acknowledged as #%3 but is not stored"_s.arg(room, it.key()).arg(it->seq));
            else if (message->seq != it->seq || message->text != it->text)
                problem(u"%1: %2 was acknowledged as #%3 but stored as #%4"_s.arg(room, it.key()).arg(it->seq).arg(message->seq));
        }
        if (!client->views().contains(room))
            continue;
        const RoomView view = client->views().value(room);
        if (view.size() != stored.size())
            problem(u"%1: %2 holds %3 messages, the server %4"_s.arg(room, client->user()).arg(view.size()).arg(stored.size()));
        for (const ChatMessage &message : stored) {
            const auto held = view.constFind(message.seq);
            if (held == view.cend()) {
                problem(u"%1: %2 never got #%3"_s.arg(room, client->user()).arg(message.seq));
            } else if (*held != message) {
                problem(u"%1: %2 holds %3 where the server has %4"_s.arg(room, client->user(), describe(*held), describe(message)));
            }
        }
        for (auto it = view.cbegin(); it != view.cend(); ++it) {
            if (it.key() < 1 || it.key() > stored.size())
                problem(u"%1: %2 holds #%3, which the server does not have"_s.arg(room, client->user()).arg(it.key()));
        }
    }
    return problems;
}

QStringList anomaliesOf(const QList<const ChaosClient *> &clients)
{
    QStringList all;
    for (const ChaosClient *client : clients)
        all += client->anomalies();
    return all;
}

QString summary(const QList<const ChaosClient *> &clients)
{
    ChaosClient::Counters total;
    qsizetype acked = 0;
    for (const ChaosClient *client : clients) {
        const ChaosClient::Counters &c = client->counters();
        acked += client->acked().size();
        total.connections += c.connections;
        total.drops += c.drops;
        total.resends += c.resends;
        total.internalErrors += c.internalErrors;
        total.rateLimited += c.rateLimited;
        total.duplicates += c.duplicates;
        total.replayed += c.replayed;
        total.historyPages += c.historyPages;
        total.live += c.live;
    }
    return u"acked %1, sessions %2, drops %3, resends %4, duplicate acks %5, internal errors %6, rate limited %7,"
           u" live %8, replayed %9, gap pages %10"_s.arg(acked)
        .arg(total.connections)
        .arg(total.drops)
        .arg(total.resends)
        .arg(total.duplicates)
        .arg(total.internalErrors)
        .arg(total.rateLimited)
        .arg(total.live)
        .arg(total.replayed)
        .arg(total.historyPages);
}

QMap<QString, qint64> lastAckedSeqs(const QList<const ChaosClient *> &clients)
{
    QMap<QString, qint64> lastSeq;
    for (const ChaosClient *client : clients) {
        for (const ChaosClient::Ack &ack : client->acked())
            lastSeq[ack.room] = std::max(lastSeq.value(ack.room), ack.seq);
    }
    return lastSeq;
}

bool allCaughtUp(const QList<const ChaosClient *> &clients, const QMap<QString, qint64> &lastSeq)
{
    for (const ChaosClient *client : clients) {
        if (client->unackedCount() > 0)
            return false;
        for (auto it = lastSeq.cbegin(); it != lastSeq.cend(); ++it) {
            // Contiguously: a client may hold later live messages while a gap page it asked for is still on its
            // way (a resume's replay stops at the replay limit; what came live meanwhile is released before
            // its answer), and that is not caught up yet.
            if (client->views().contains(it.key()) && client->contiguousHeld(it.key()) < it.value())
                return false;
        }
    }
    return true;
}

} // namespace Tertulia::Chaos
