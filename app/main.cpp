// The desktop app: parses the command line, opens the profile, and shows the window. Everything
// else lives in app/ui (widgets) and tertulia_client (the core).
#include "app/storage/keychaincredentialstore.h"
#include "app/ui/languagemanager.h"
#include "app/ui/launchoptions.h"
#include "app/ui/mainwindow.h"
#include "app/ui/profile.h"
#include "app/ui/signinpage.h"
#include "app/ui/uilogging.h"
#include "shared/version.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTextStream>
#include <QtGui/QFileOpenEvent>
#include <QtNetwork/QLocalServer>
#include <QtNetwork/QLocalSocket>
#include <QtWidgets/QApplication>

#include <cstdio>
#include <memory>
#include <variant>

using namespace Qt::StringLiterals;

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(u"Tertulia"_s);
    QCoreApplication::setApplicationName(u"tertulia"_s);
    QCoreApplication::setApplicationVersion(Tertulia::versionString());
}

bool wantsTextOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

/// --help and --version print and quit without a display (a QApplication would need one).
int printAndQuit(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setIdentity();
    Tertulia::LanguageManager language;
    language.setLanguage({});
    const auto parsed = Tertulia::LaunchOptions::parse(QCoreApplication::arguments());
    QTextStream out(stdout);
    if (const auto *error = std::get_if<QString>(&parsed)) {
        QTextStream(stderr) << *error << '\n';
        return 2;
    }
    const auto &options = std::get<Tertulia::LaunchOptions>(parsed);
    if (options.showVersion)
        out << "tertulia " << Tertulia::versionString() << '\n';
    else
        out << options.helpText;
    return 0;
}

// One window per profile: a second launch (a tertulia:// link opened in a browser, a second click on the
// icon) hands its arguments to the running instance over a local socket and quits. The running instance
// brings its window forward and, while it shows the sign-in screen, opens the link's server there.

/// The local socket's name: per user and per profile (a file in the user's temporary directory on Unix,
/// a named pipe on Windows, where names are machine-wide: hence the user in the hash).
QString instanceName(const QString &profile)
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const QByteArray hash = QCryptographicHash::hash((user + u'\n' + profile).toUtf8(), QCryptographicHash::Sha256);
    return u"org.tertulia.Tertulia-"_s + QString::fromLatin1(hash.toHex().left(16));
}

/// Hands `arguments` to the instance already running for `name`; false when none answers (then this launch
/// is the first). Blocking, before any window exists: one short exchange on the local machine.
bool handToRunningInstance(const QString &name, const QStringList &arguments)
{
    QLocalSocket socket;
    socket.connectToServer(name);
    if (!socket.waitForConnected(1000))
        return false;
    socket.write(QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(2000))
        return false;
    // The running instance answers one byte once it has the arguments.
    return socket.waitForReadyRead(5000) && socket.read(1) == "1";
}

/// What the running window does with a second launch's arguments (or a URL macOS hands over).
void takeOver(Tertulia::MainWindow &window, const QStringList &arguments)
{
    window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    window.show();
    window.raise();
    window.activateWindow();
    const auto parsed = Tertulia::LaunchOptions::parse(arguments);
    const auto *options = std::get_if<Tertulia::LaunchOptions>(&parsed);
    if (!options) {
        qCWarning(lcUi) << "a second launch's arguments were not understood:" << std::get<QString>(parsed);
        return;
    }
    if (!options->connect && !options->host) {
        qCInfo(lcUi) << "a second launch brought the window forward";
        return;
    }
    // Signed in (or signing in): the window keeps its session; a link only opens on the sign-in screen.
    if (!window.signInPage()->isVisible()) {
        qCInfo(lcUi).noquote() << "a second launch asked for" << arguments.mid(1).join(u' ')
                               << "while signed in: the window stays as it is";
        return;
    }
    qCInfo(lcUi).noquote() << "a second launch handed over:" << arguments.mid(1).join(u' ');
    window.start(*options);
}

/// macOS delivers a tertulia:// link opened elsewhere as an event, not as arguments.
class UrlOpenFilter final : public QObject
{
public:
    explicit UrlOpenFilter(Tertulia::MainWindow &window) : m_window(window) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::FileOpen) {
            const QUrl url = static_cast<QFileOpenEvent *>(event)->url();
            if (url.scheme() == QLatin1StringView(Tertulia::ServerLink::kScheme)) {
                takeOver(m_window, {QCoreApplication::applicationFilePath(), url.toString()});
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    Tertulia::MainWindow &m_window;
};

} // namespace

int main(int argc, char **argv)
{
    if (wantsTextOnly(argc, argv))
        return printAndQuit(argc, argv);

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setApplicationDisplayName(u"Tertulia"_s);
    QGuiApplication::setDesktopFileName(u"org.tertulia.Tertulia"_s);

    const auto parsed = Tertulia::LaunchOptions::parse(QCoreApplication::arguments());
    if (const auto *error = std::get_if<QString>(&parsed)) {
        std::fprintf(stderr, "tertulia: %s\n", qPrintable(*error));
        return 2;
    }
    const auto &options = std::get<Tertulia::LaunchOptions>(parsed);

    const QString instance = instanceName(options.profile);
    if (handToRunningInstance(instance, QCoreApplication::arguments())) {
        std::fprintf(stdout, "tertulia: handed over to the Tertulia already running with this profile\n");
        return 0;
    }

    QString profileError;
    const auto profile = Tertulia::Profile::open(options.profile, &profileError);
    if (!profile) {
        std::fprintf(stderr, "tertulia: %s\n", qPrintable(profileError));
        return 1;
    }

    Tertulia::KeychainCredentialStore keychain(profile->keychainService());
    Tertulia::MainWindow window(*profile, keychain);
    window.show();

    QLocalServer instanceServer;
    instanceServer.setSocketOptions(QLocalServer::UserAccessOption);
    if (!instanceServer.listen(instance)) {
        QLocalServer::removeServer(instance); // left by an instance that crashed: nobody answered above
        instanceServer.listen(instance);
    }
    if (instanceServer.isListening())
        qCInfo(lcUi) << "other launches of this profile hand over to this window";
    else
        qCWarning(lcUi) << "other launches cannot hand over to this window:" << instanceServer.errorString();
    QObject::connect(&instanceServer, &QLocalServer::newConnection, &window, [&instanceServer, &window] {
        while (QLocalSocket *peer = instanceServer.nextPendingConnection()) {
            QObject::connect(peer, &QLocalSocket::disconnected, peer, &QObject::deleteLater);
            QObject::connect(peer, &QLocalSocket::readyRead, &window, [peer, &window] {
                if (!peer->canReadLine())
                    return;
                const QJsonArray arguments = QJsonDocument::fromJson(peer->readLine()).array();
                peer->write("1");
                peer->flush();
                QStringList list;
                for (const QJsonValue &argument : arguments)
                    list << argument.toString();
                if (!list.isEmpty())
                    takeOver(window, list);
            });
        }
    });
    UrlOpenFilter urlOpenFilter(window);
    app.installEventFilter(&urlOpenFilter);

    window.start(options);
    return app.exec();
}
