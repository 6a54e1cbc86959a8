#pragma once

#include <QtCore/QHash>
#include <QtCore/QtGlobal>

#include <algorithm>
#include <optional>
#include <vector>

namespace Tertulia {

/// A hashed timing wheel: one deadline per key, in milliseconds of a monotonic clock. Each slot holds the
/// keys whose deadline falls in one tick (of any turn of the wheel), so a pass looks only at the slots of the
/// ticks since the previous pass: at tens of thousands of idle connections pinged every 20 s, a pass every
/// 250 ms looks at about 1/80 of them instead of all.
///
/// Rescheduling or cancelling does not search the slots: the key's entry says which scheduling is current,
/// and an outdated slot item is dropped when its slot comes round. A deadline further away than one turn
/// waits in its slot for the right turn (looked at, not fired, on the turns before). A deadline already past
/// fires on the next pass.
///
/// Key: a cheap hashable value (a pointer, an id). Not thread-safe.
template <typename Key>
class DeadlineWheel
{
public:
    /// `startMs`: the clock's time now (the first pass looks at the slots from here on).
    DeadlineWheel(qint64 tickMs, int slotCount, qint64 startMs)
        : m_tickMs(std::max<qint64>(1, tickMs)),
          m_slots(size_t(std::max(1, slotCount))),
          m_nextTick(tickOf(startMs))
    {
    }

    qint64 tickMs() const { return m_tickMs; }
    int slotCount() const { return int(m_slots.size()); }
    /// Keys with a deadline.
    qsizetype size() const { return m_entries.size(); }
    bool contains(const Key &key) const { return m_entries.contains(key); }
    std::optional<qint64> deadlineOf(const Key &key) const
    {
        const auto it = m_entries.constFind(key);
        return it == m_entries.cend() ? std::nullopt : std::optional<qint64>(it->deadlineMs);
    }

    /// Sets the key's deadline, replacing any earlier one.
    void schedule(const Key &key, qint64 deadlineMs)
    {
        const quint64 serial = ++m_serial;
        m_entries.insert(key, Entry{deadlineMs, serial});
        const qint64 tick = std::max(tickOf(deadlineMs), m_nextTick);
        m_slots[slotOf(tick)].push_back(Item{key, serial});
    }

    /// Forgets the key's deadline (its slot item goes when the slot comes round).
    void cancel(const Key &key) { m_entries.remove(key); }

    /// Fires every key whose deadline is at or before `nowMs`: removes it, then calls `onDue(key)`. The
    /// callbacks run after the slots are done with, so they may schedule or cancel any key. Returns how many
    /// slot items the pass looked at (the pass's work: due keys, keys waiting for a later turn in the same
    /// slots, outdated items).
    template <typename OnDue>
    qsizetype expire(qint64 nowMs, OnDue &&onDue)
    {
        const qint64 nowTick = tickOf(nowMs);
        // Every tick since the last pass, the current one included (it is looked at again next time: its
        // deadlines later than now are not due yet). After a gap longer than a turn, every slot once.
        const qint64 lastTick = std::min(nowTick, m_nextTick + qint64(m_slots.size()) - 1);
        qsizetype visited = 0;
        std::vector<Key> due;
        for (qint64 tick = m_nextTick; tick <= lastTick; ++tick) {
            std::vector<Item> &slot = m_slots[slotOf(tick)];
            auto kept = slot.begin();
            for (const Item &item : slot) {
                ++visited;
                const auto entry = m_entries.find(item.key);
                if (entry == m_entries.end() || entry->serial != item.serial)
                    continue; // cancelled or rescheduled since
                if (entry->deadlineMs <= nowMs) {
                    due.push_back(item.key);
                    m_entries.erase(entry);
                    continue;
                }
                *kept++ = item;
            }
            slot.erase(kept, slot.end());
        }
        m_nextTick = std::max(m_nextTick, nowTick);
        for (const Key &key : due)
            onDue(key);
        return visited;
    }

private:
    struct Entry
    {
        qint64 deadlineMs;
        quint64 serial; ///< which slot item is current
    };
    struct Item
    {
        Key key;
        quint64 serial;
    };

    qint64 tickOf(qint64 ms) const { return ms >= 0 ? ms / m_tickMs : -((-ms + m_tickMs - 1) / m_tickMs); }
    size_t slotOf(qint64 tick) const
    {
        const qint64 size = qint64(m_slots.size());
        return size_t(((tick % size) + size) % size);
    }

    qint64 m_tickMs;
    std::vector<std::vector<Item>> m_slots;
    QHash<Key, Entry> m_entries;
    qint64 m_nextTick;     ///< the first tick the next pass looks at
    quint64 m_serial = 0;
};

} // namespace Tertulia
