#pragma once

#include "app/net/serveraddress.h"
#include "app/net/serverlink.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

#include <optional>
#include <variant>

namespace Tertulia {

/// What the command line asks the app to do at start:
///   tertulia [--profile NAME] [--host [PORT]] [--connect URL | LINK]
/// LINK is a tertulia://host:port/room link alone, as the desktop passes one it was asked to open (the
/// .desktop file's %u, the Windows and macOS URL handlers): the same as --connect, with its room.
/// Parsed without a QApplication so `--help` works without a display; pure, so it is unit-tested.
struct LaunchOptions
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::LaunchOptions)

public:
    QString profile;                       ///< empty: the default profile
    bool host = false;                     ///< start hosting a chat at once
    std::optional<quint16> hostPort;       ///< with --host PORT; otherwise the saved or default port
    std::optional<ServerAddress> connect;  ///< open the sign-in screen for this server
    /// The certificate fingerprint when --connect was given a link that carries one (the share card's
    /// https://…/#sha256=…, or tertulia://…?sha256=…): the sign-in then expects that certificate.
    std::optional<CertificateFingerprint> connectFingerprint;
    /// The room a tertulia:// link names (tertulia://host:port/room), empty if none.
    QString connectRoom;
    bool showHelp = false;
    bool showVersion = false;
    QString helpText;

    /// arguments include the program name (QCoreApplication::arguments() or argv). Returns one
    /// translated sentence on error.
    static std::variant<LaunchOptions, QString> parse(const QStringList &arguments);
};

} // namespace Tertulia
