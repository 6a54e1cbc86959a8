// The command line: --host [PORT], --connect URL, --profile NAME, with every refusal explained.
#include "app/ui/launchoptions.h"
#include "app/ui/profile.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestLaunchOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Good and bad command lines, with what each one asks for. */
    void parse_data();
    void parse();
    /*! A tertulia:// link (alone, as the desktop passes it, or with --connect) carries its room. */
    void linkRoom();
    /*! --help text lists every option. */
    void help();
    /*! A named profile gets its own folders under the config and data locations. */
    void profileFolders();
};

void TestLaunchOptions::parse_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("host");
    QTest::addColumn<int>("hostPort"); // -1: none given
    QTest::addColumn<QString>("connect");
    QTest::addColumn<QString>("profile");

    QTest::newRow("nothing") << QStringList{} << true << false << -1 << QString() << QString();
    QTest::newRow("host") << QStringList{u"--host"_s} << true << true << -1 << QString() << QString();
    QTest::newRow("host with port") << QStringList{u"--host"_s, u"7500"_s} << true << true << 7500 << QString() << QString();
    QTest::newRow("port before --host") << QStringList{u"7500"_s, u"--host"_s} << true << true << 7500 << QString() << QString();
    QTest::newRow("connect host:port") << QStringList{u"--connect"_s, u"192.168.1.20:7420"_s} << true << false << -1
                                       << u"192.168.1.20:7420"_s << QString();
    QTest::newRow("connect ws url") << QStringList{u"--connect=ws://chat.example.org:9000/ws"_s} << true << false << -1
                                    << u"chat.example.org:9000"_s << QString();
    QTest::newRow("connect wss") << QStringList{u"--connect"_s, u"wss://chat.example.org"_s} << true << false << -1
                                 << u"https://chat.example.org:7420"_s << QString();
    QTest::newRow("connect share link") << QStringList{u"--connect"_s, u"https://192.168.1.20:7420/#sha256=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"_s}
                                        << true << false << -1 << u"https://192.168.1.20:7420"_s << QString();
    QTest::newRow("connect app link") << QStringList{u"--connect"_s, u"tertulia://192.168.1.20/general"_s}
                                      << true << false << -1 << u"https://192.168.1.20:7420"_s << QString();
    QTest::newRow("app link alone") << QStringList{u"tertulia://192.168.1.20:7500/general"_s} << true << false << -1
                                    << u"https://192.168.1.20:7500"_s << QString();
    QTest::newRow("app link alone with profile") << QStringList{u"--profile"_s, u"p"_s, u"TERTULIA://h/r"_s} << true
                                                 << false << -1 << u"https://h:7420"_s << u"p"_s;
    QTest::newRow("profile") << QStringList{u"--profile"_s, u"work-2"_s} << true << false << -1 << QString() << u"work-2"_s;
    QTest::newRow("profile and host") << QStringList{u"--profile"_s, u"p"_s, u"--host"_s, u"8000"_s} << true << true
                                      << 8000 << QString() << u"p"_s;

    QTest::newRow("port without --host") << QStringList{u"7500"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("port zero") << QStringList{u"--host"_s, u"0"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("port too big") << QStringList{u"--host"_s, u"70000"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("port not a number") << QStringList{u"--host"_s, u"abc"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("two ports") << QStringList{u"--host"_s, u"1"_s, u"2"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("bad url") << QStringList{u"--connect"_s, u"ftp://x"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("link with a bad fingerprint") << QStringList{u"--connect"_s, u"https://h:1/#sha256=short"_s} << false
                                                 << false << -1 << QString() << QString();
    QTest::newRow("connect without value") << QStringList{u"--connect"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("host and connect") << QStringList{u"--host"_s, u"--connect"_s, u"a:1"_s} << false << false << -1
                                      << QString() << QString();
    QTest::newRow("profile with slash") << QStringList{u"--profile"_s, u"../etc"_s} << false << false << -1 << QString()
                                        << QString();
    QTest::newRow("hidden profile") << QStringList{u"--profile"_s, u".x"_s} << false << false << -1 << QString() << QString();
    QTest::newRow("app link and --connect") << QStringList{u"--connect"_s, u"a:1"_s, u"tertulia://b:2/r"_s} << false
                                            << false << -1 << QString() << QString();
    QTest::newRow("two app links") << QStringList{u"tertulia://a:1/r"_s, u"tertulia://b:2/r"_s} << false << false << -1
                                   << QString() << QString();
    QTest::newRow("app link with a bad fingerprint") << QStringList{u"tertulia://a:1/r?sha256=short"_s} << false << false
                                                     << -1 << QString() << QString();
    QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << false << false << -1 << QString() << QString();
}

void TestLaunchOptions::parse()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, valid);
    arguments.prepend(u"tertulia"_s);
    const auto parsed = LaunchOptions::parse(arguments);
    if (!valid) {
        QVERIFY2(std::holds_alternative<QString>(parsed), "accepted a bad command line");
        QVERIFY(!std::get<QString>(parsed).isEmpty());
        return;
    }
    QVERIFY2(std::holds_alternative<LaunchOptions>(parsed),
             qPrintable(std::holds_alternative<QString>(parsed) ? std::get<QString>(parsed) : QString()));
    const auto &options = std::get<LaunchOptions>(parsed);
    QFETCH(bool, host);
    QFETCH(int, hostPort);
    QFETCH(QString, connect);
    QFETCH(QString, profile);
    QCOMPARE(options.host, host);
    QCOMPARE(options.hostPort.has_value(), hostPort >= 0);
    if (hostPort >= 0)
        QCOMPARE(int(*options.hostPort), hostPort);
    QCOMPARE(options.connect.has_value(), !connect.isEmpty());
    if (options.connect)
        QCOMPARE(options.connect->id(), connect);
    QCOMPARE(options.connectFingerprint.has_value(), arguments.join(u' ').contains(u"sha256="_s));
    QCOMPARE(options.profile, profile);
}

void TestLaunchOptions::linkRoom()
{
    const auto alone = LaunchOptions::parse({u"tertulia"_s, u"tertulia://chat.example.org:7500/plans"_s});
    QVERIFY(std::holds_alternative<LaunchOptions>(alone));
    QCOMPARE(std::get<LaunchOptions>(alone).connectRoom, u"plans"_s);
    const auto option = LaunchOptions::parse({u"tertulia"_s, u"--connect"_s, u"tertulia://h:1/general"_s});
    QCOMPARE(std::get<LaunchOptions>(option).connectRoom, u"general"_s);
    const auto noRoom = LaunchOptions::parse({u"tertulia"_s, u"tertulia://h:1"_s});
    QVERIFY(std::get<LaunchOptions>(noRoom).connectRoom.isEmpty());
}

void TestLaunchOptions::help()
{
    const auto parsed = LaunchOptions::parse({u"tertulia"_s, u"--help"_s});
    QVERIFY(std::holds_alternative<LaunchOptions>(parsed));
    const auto &options = std::get<LaunchOptions>(parsed);
    QVERIFY(options.showHelp);
    for (const QString &option : {u"--host"_s, u"--connect"_s, u"--profile"_s, u"PORT"_s})
        QVERIFY2(options.helpText.contains(option), qPrintable(option));
}

void TestLaunchOptions::profileFolders()
{
    QTemporaryDir dir;
    const auto profile = Profile::openAt(u"alice"_s, dir.filePath(u"config"_s), dir.filePath(u"data"_s));
    QVERIFY(profile);
    QCOMPARE(profile->name(), u"alice"_s);
    QVERIFY(QFileInfo(profile->clientDataDir()).isDir());
    QVERIFY(QFileInfo(profile->hostDataDir()).isDir());
    QVERIFY(profile->settingsFile().startsWith(dir.filePath(u"config"_s)));
    QCOMPARE(profile->keychainService(), u"tertulia-alice"_s);

    QStandardPaths::setTestModeEnabled(true);
    const auto named = Profile::open(u"second"_s);
    const auto standard = Profile::open({});
    QVERIFY(named && standard);
    QVERIFY(named->configDir().endsWith(u"/profiles/second"_s));
    QVERIFY(named->dataDir().startsWith(standard->dataDir()));
    QVERIFY(named->configDir() != standard->configDir());
    QCOMPARE(standard->keychainService(), u"tertulia"_s);
    QString error;
    QVERIFY(!Profile::open(u"a/b"_s, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestLaunchOptions)
#include "tst_launchoptions.moc"
