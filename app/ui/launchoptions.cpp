#include "app/ui/launchoptions.h"

#include "app/ui/profile.h"

#include <QtCore/QCommandLineParser>

using namespace Qt::StringLiterals;

namespace Tertulia {

std::variant<LaunchOptions, QString> LaunchOptions::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Tertulia: chat with the people around you, or on a server you trust."));
    const QCommandLineOption help({u"h"_s, u"help"_s}, tr("Show this help and quit."));
    const QCommandLineOption version({u"v"_s, u"version"_s}, tr("Show the version and quit."));
    const QCommandLineOption host(u"host"_s, tr("Start hosting a chat on this computer at once (on PORT if given)."));
    const QCommandLineOption connect(u"connect"_s, tr("Open the sign-in screen for the server at URL."), tr("URL"));
    const QCommandLineOption profile(u"profile"_s,
                                     tr("Use the profile NAME: its own settings, remembered servers and data."),
                                     tr("NAME"));
    parser.addOptions({help, version, host, connect, profile});
    // QCommandLineParser has no optional option values, so "--host 7421" reads PORT as a positional.
    parser.addPositionalArgument(tr("PORT"), tr("With --host: the port to listen on (default 7420)."), tr("[PORT]"));
    parser.addPositionalArgument(tr("LINK"),
                                 tr("A tertulia://host:port/room link to open, as with --connect. A Tertulia "
                                    "already running with the same profile opens it instead."),
                                 tr("[LINK]"));

    if (!parser.parse(arguments))
        return parser.errorText();

    LaunchOptions options;
    options.showHelp = parser.isSet(help);
    options.showVersion = parser.isSet(version);
    options.helpText = parser.helpText();
    options.host = parser.isSet(host);
    options.profile = parser.value(profile);
    if (parser.isSet(profile) && !Profile::isValidName(options.profile))
        return Profile::invalidNameText(options.profile);

    QStringList positional = parser.positionalArguments();
    // A tertulia:// link alone: what the desktop passes when such a link is opened.
    if (!options.host && positional.size() == 1
        && positional.first().startsWith(QLatin1StringView(ServerLink::kScheme) + u':', Qt::CaseInsensitive)) {
        const auto link = ServerLink::parse(positional.first());
        if (!link)
            return tr("“%1” is not a server address (try host:port or ws://host:port).").arg(positional.first());
        if (parser.isSet(connect))
            return tr("Give the server once: with --connect or as a link.");
        options.connect = link->address;
        options.connectFingerprint = link->fingerprint;
        options.connectRoom = link->room;
        positional.clear();
    }
    if (!positional.isEmpty()) {
        if (!options.host)
            return tr("Unexpected argument “%1” (a port is only given after --host).").arg(positional.first());
        if (positional.size() > 1)
            return tr("Only one port can follow --host.");
        bool ok = false;
        const uint port = positional.first().toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return tr("“%1” is not a port number (1–65535).").arg(positional.first());
        options.hostPort = quint16(port);
    }
    if (parser.isSet(connect)) {
        const auto link = ServerLink::parse(parser.value(connect));
        if (link) {
            options.connect = link->address;
            options.connectFingerprint = link->fingerprint;
            options.connectRoom = link->room;
        }
        if (!options.connect)
            return tr("“%1” is not a server address (try host:port or ws://host:port).").arg(parser.value(connect));
    }
    if (options.host && options.connect)
        return tr("--host and --connect cannot be used together.");
    return options;
}

} // namespace Tertulia
