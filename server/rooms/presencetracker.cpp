#include "server/rooms/presencetracker.h"

#include "server/rooms/eventbus.h"
#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "shared/names.h"

#include <algorithm>

namespace Tertulia {

using Protocol::PresenceStatus;

PresenceTracker::PresenceTracker(RoomRegistry &rooms, SessionRegistry &sessions, EventBus &bus,
                                 const MonotonicClock &clock, QObject *parent)
    : QObject(parent),
      m_rooms(rooms),
      m_sessions(sessions),
      m_bus(bus),
      m_clock(clock),
      m_skipped(clock.onSkip([this] { onFadeDue(); }))
{
    connect(&m_bus, &EventBus::received, this, &PresenceTracker::onFact);
    m_fadeTimer.setSingleShot(true);
    connect(&m_fadeTimer, &QTimer::timeout, this, &PresenceTracker::onFadeDue);
}

PresenceStatus PresenceTracker::best(PresenceStatus a, PresenceStatus b)
{
    if (a == PresenceStatus::Online || b == PresenceStatus::Online)
        return PresenceStatus::Online;
    if (a == PresenceStatus::Away || b == PresenceStatus::Away)
        return PresenceStatus::Away;
    return PresenceStatus::Offline;
}

PresenceStatus PresenceTracker::status(const QString &userKey) const
{
    return m_shown.value(userKey, PresenceStatus::Offline);
}

void PresenceTracker::refresh(const QString &userKey, const QString &userName)
{
    PresenceStatus now = PresenceStatus::Offline;
    for (Session *session : m_sessions.sessionsOf(userKey)) {
        if (session->state() == Session::State::Closing)
            continue;
        if (session->presence() == PresenceStatus::Online) {
            now = PresenceStatus::Online;
            break;
        }
        now = PresenceStatus::Away;
    }
    const PresenceStatus before = m_views.value(userKey).value(m_bus.nodeId(), PresenceStatus::Offline);
    if (now != before)
        m_bus.publish(BusEvent::presence(userName, now));
}

void PresenceTracker::onFact(const BusEvent &event)
{
    if (event.kind == BusEvent::Kind::PresenceRequest) {
        // The asking node started (what we hold of it is stale) or missed facts; it says its own views
        // right after asking.
        if (event.originNode != m_bus.nodeId()) {
            fade(event.originNode);
            republish();
        }
        return;
    }
    if (event.kind != BusEvent::Kind::Presence)
        return;
    const QString userKey = Names::canonical(event.user);
    m_names.insert(userKey, event.user);
    auto &views = m_views[userKey];
    if (event.status == PresenceStatus::Offline)
        views.remove(event.originNode);
    else
        views.insert(event.originNode, event.status);
    if (views.isEmpty())
        m_views.remove(userKey);
    show(userKey);
}

void PresenceTracker::show(const QString &userKey)
{
    PresenceStatus merged = PresenceStatus::Offline;
    for (const PresenceStatus status : m_views.value(userKey))
        merged = best(merged, status);
    for (const PresenceStatus status : m_fading.value(userKey))
        merged = best(merged, status);
    if (merged == status(userKey))
        return;
    const QString name = m_names.value(userKey);
    if (merged == PresenceStatus::Offline) {
        m_shown.remove(userKey);
        if (!m_views.contains(userKey) && !m_fading.contains(userKey))
            m_names.remove(userKey);
    } else {
        m_shown.insert(userKey, merged);
    }
    m_rooms.deliverToContacts(userKey, makeEvent(OutboundEvent::presence({name, merged})));
}

void PresenceTracker::nodeLost(const QString &node)
{
    if (node != m_bus.nodeId())
        fade(node);
}

void PresenceTracker::fade(const QString &node)
{
    const QString self = m_bus.nodeId();
    QList<std::pair<QString, QString>> faded; // (user key, node)
    for (auto it = m_views.begin(); it != m_views.end();) {
        for (auto view = it->begin(); view != it->end();) {
            if (view.key() == self || (!node.isEmpty() && view.key() != node)) {
                ++view;
                continue;
            }
            m_fading[it.key()].insert(view.key(), *view);
            faded.append({it.key(), view.key()});
            view = it->erase(view);
        }
        it = it->isEmpty() ? m_views.erase(it) : std::next(it);
    }
    if (faded.isEmpty())
        return;
    // The deadline is on the server's clock, not the timer's: a test that skips the clock ends the fade.
    m_fades.push_back(Fade{m_clock.nowMs() + m_nodeGrace.count(), std::move(faded)});
    if (!m_fadeTimer.isActive())
        armFade();
}

void PresenceTracker::armFade()
{
    if (!m_fades.empty())
        m_fadeTimer.start(std::chrono::milliseconds(std::max<qint64>(0, m_fades.front().dueMs - m_clock.nowMs())));
}

void PresenceTracker::onFadeDue()
{
    const qint64 now = m_clock.nowMs();
    // The grace may have been changed between two fades: stop at the first not due, the timer comes back.
    while (!m_fades.empty() && m_fades.front().dueMs <= now) {
        const Fade due = std::move(m_fades.front());
        m_fades.pop_front();
        for (const auto &[userKey, fadedNode] : due.views) {
            auto it = m_fading.find(userKey);
            if (it == m_fading.end())
                continue;
            it->remove(fadedNode);
            if (it->isEmpty())
                m_fading.erase(it);
            show(userKey);
        }
    }
    if (m_fades.empty())
        m_fadeTimer.stop();
    else
        armFade();
}

void PresenceTracker::republish()
{
    const QString self = m_bus.nodeId();
    for (auto it = m_views.cbegin(); it != m_views.cend(); ++it) {
        const auto own = it->constFind(self);
        if (own != it->cend())
            m_bus.publish(BusEvent::presence(m_names.value(it.key()), *own));
    }
}

void PresenceTracker::resynchronise()
{
    fade({});
    m_bus.publish(BusEvent::presenceRequest());
    republish();
}

} // namespace Tertulia
