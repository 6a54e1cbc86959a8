#include "app/session/displayreports.h"

#include "app/logging.h"
#include "app/session/connectionmanager.h"
#include "shared/names.h"
#include "shared/protocol/frames.h"

namespace Tertulia {

DisplayReports::DisplayReports(ConnectionManager &connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{
}

void DisplayReports::noteTraced(const QString &room, qint64 seq)
{
    const QString key = Names::canonical(room);
    if (seq < 1 || !m_traced[key].insert(seq).second)
        return;
    m_names.insert(key, room);
    if (++m_count <= kMaxRemembered)
        return;
    // Over the bound: forget the lowest seq of the room holding the most (old traces matter least).
    auto fullest = m_traced.begin();
    for (auto it = m_traced.begin(); it != m_traced.end(); ++it) {
        if (it->size() > fullest->size())
            fullest = it;
    }
    fullest->erase(fullest->begin());
    --m_count;
}

void DisplayReports::noteRead(const QString &room, qint64 seq)
{
    const QString key = Names::canonical(room);
    const auto it = m_traced.find(key);
    if (it == m_traced.end())
        return;
    std::set<qint64> &seqs = *it;
    const QString name = m_names.value(key, room);
    while (!seqs.empty() && *seqs.begin() <= seq) {
        const qint64 shown = *seqs.begin();
        seqs.erase(seqs.begin());
        --m_count;
        // Nothing to do with the answer: a report the server could not keep (the trace is gone) is no error.
        m_connection.request(Protocol::Request::displayed({}, {name, shown}), this, [](const Protocol::Reply &reply) {
            if (!reply.isOk())
                qCInfo(lcClientSession) << "displayed failed:" << Protocol::describe(*reply.error);
        });
        Q_EMIT reported(name, shown);
    }
    if (seqs.empty()) {
        m_traced.erase(it);
        m_names.remove(key);
    }
}

void DisplayReports::reset()
{
    m_traced.clear();
    m_names.clear();
    m_count = 0;
}

} // namespace Tertulia
