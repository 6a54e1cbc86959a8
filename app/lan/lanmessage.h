#pragma once

#include "app/lan/lanannouncement.h"

#include <QtCore/QByteArray>

#include <optional>

namespace Tertulia {

/// One discovery datagram: an announcement or a bye. The format is versioned JSON, small enough for one
/// unfragmented UDP datagram on any link (docs/lan-discovery.md). parse() is the only way in from the
/// network: it never trusts a field and refuses rather than guesses.
struct LanMessage
{
    enum class Kind { Announce, Bye };

    /// Value of "proto": tells our datagrams from anything else sent to the port.
    static constexpr char kProtocolName[] = "tertulia-lan";
    /// Value of "v". Readers ignore other versions; new optional fields do not change it.
    static constexpr int kVersion = 1;
    /// Larger datagrams are dropped unread (ours are well under 600 bytes).
    static constexpr int kMaxDatagramBytes = 1024;
    static constexpr int kMaxNameLength = 64;      ///< code points; longer names are cut
    static constexpr int kMaxVersionLength = 32;
    static constexpr int kMaxInstanceIdBytes = 32;
    static constexpr int kMaxUsers = 1000000;
    static constexpr int kMinIntervalMs = 50;      ///< announced intervals are clamped to this range
    static constexpr int kMaxIntervalMs = 60000;

    Kind kind = Kind::Announce;
    LanAnnouncement announcement;  ///< only instanceId for a bye
    int intervalMs = 2000;         ///< how often the sender announces (receivers expire after ~3 misses)

    static LanMessage announce(const LanAnnouncement &announcement, int intervalMs);
    static LanMessage bye(const QByteArray &instanceId);

    /// Compact JSON; the name and version are cleaned and cut to the limits first.
    QByteArray encode() const;
    /// nullopt for anything that is not a valid datagram of this version.
    static std::optional<LanMessage> parse(const QByteArray &datagram);

    /// Removes control and formatting characters (including bidirectional overrides that could make a
    /// name display as something else) and cuts to maxLength code points.
    static QString cleanText(const QString &text, int maxLength);

    friend bool operator==(const LanMessage &, const LanMessage &) = default;
};

} // namespace Tertulia
