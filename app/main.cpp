// The desktop app: parses the command line, opens the profile, and shows the window. Everything
// else lives in app/ui (widgets) and tertulia_client (the core).
#include "app/storage/keychaincredentialstore.h"
#include "app/ui/languagemanager.h"
#include "app/ui/launchoptions.h"
#include "app/ui/mainwindow.h"
#include "app/ui/profile.h"
#include "app/ui/signinpage.h"
#include "app/ui/singleinstance.h"
#include "app/ui/uilogging.h"
#include "shared/version.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtGui/QFileOpenEvent>
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
                m_window.handleSecondLaunch({QCoreApplication::applicationFilePath(), url.toString()});
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

    // One window per profile: a second launch (a tertulia:// link opened in a browser, a second click on
    // the icon) hands its arguments to the window already running and quits.
    const QString instance = Tertulia::SingleInstance::nameFor(options.profile);
    if (Tertulia::SingleInstance::handOver(instance, QCoreApplication::arguments())) {
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

    Tertulia::SingleInstance singleInstance;
    if (singleInstance.listen(instance))
        qCInfo(lcUi) << "other launches of this profile hand over to this window";
    else
        qCWarning(lcUi) << "other launches cannot hand over to this window:" << singleInstance.errorString();
    QObject::connect(&singleInstance, &Tertulia::SingleInstance::argumentsReceived, &window,
                     &Tertulia::MainWindow::handleSecondLaunch);
    UrlOpenFilter urlOpenFilter(window);
    app.installEventFilter(&urlOpenFilter);

    window.start(options);
    return app.exec();
}
