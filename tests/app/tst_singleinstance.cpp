// The desktop app as a process (offscreen): one window per profile. A second launch with a tertulia:// link
// hands it to the window already running and quits at once; a launch with another profile runs by itself.
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString kApp = QStringLiteral(APP_BINARY);

/// A tertulia process with its own HOME and XDG directories (so its profile, settings and data are the
/// test's), offscreen, LAN discovery off.
std::unique_ptr<QProcess> launch(const QTemporaryDir &home, const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    env.insert(u"XDG_CACHE_HOME"_s, home.filePath(u"cache"_s));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"TERTULIA_LAN_CHANNELS"_s, u"none"_s);
    env.insert(u"QT_LOGGING_RULES"_s, u"tertulia.*.debug=false"_s);
    process->setProcessEnvironment(env);
    process->start(kApp, arguments);
    return process;
}
} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A second launch of the same profile with a link: it says it handed over and exits 0; the running
        window (on its sign-in screen) takes the link. A plain second launch only brings the window forward. */
    void secondLaunchHandsOver()
    {
        QTemporaryDir home;
        const QString profile = u"t"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        auto first = launch(home, {u"--profile"_s, profile});
        QByteArray firstLog;
        const auto readFirst = [&] {
            firstLog += first->readAllStandardError();
            return firstLog;
        };
        QTRY_VERIFY_WITH_TIMEOUT(readFirst().contains("other launches of this profile hand over to this window"), 20000);

        auto second = launch(home, {u"--profile"_s, profile, u"tertulia://127.0.0.1:7599/general"_s});
        QVERIFY(second->waitForFinished(20000));
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QCOMPARE(second->exitCode(), 0);
        QVERIFY(second->readAllStandardOutput().contains("handed over to the Tertulia already running"));
        const QByteArray handedOver = "a second launch handed over: --profile " + profile.toUtf8()
                                      + " tertulia://127.0.0.1:7599/general";
        QTRY_VERIFY2_WITH_TIMEOUT(readFirst().contains(handedOver), firstLog.constData(), 10000);

        auto third = launch(home, {u"--profile"_s, profile});
        QVERIFY(third->waitForFinished(20000));
        QCOMPARE(third->exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(readFirst().contains("a second launch brought the window forward"), 10000);
        QCOMPARE(first->state(), QProcess::Running);

        first->terminate();
        QVERIFY(first->waitForFinished(20000));
    }

    /*! Another profile is another window: it does not hand over, it runs (and listens) by itself. */
    void otherProfileRunsByItself()
    {
        QTemporaryDir home;
        const QString id = QUuid::createUuid().toString(QUuid::Id128).left(12);
        auto first = launch(home, {u"--profile"_s, u"a"_s + id});
        QByteArray firstLog;
        QTRY_VERIFY_WITH_TIMEOUT((firstLog += first->readAllStandardError()).contains("hand over to this window"), 20000);
        auto other = launch(home, {u"--profile"_s, u"b"_s + id});
        QByteArray otherLog;
        QTRY_VERIFY_WITH_TIMEOUT((otherLog += other->readAllStandardError()).contains("hand over to this window"), 20000);
        QCOMPARE(other->state(), QProcess::Running);
        for (auto *process : {first.get(), other.get()}) {
            process->terminate();
            QVERIFY(process->waitForFinished(20000));
        }
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
