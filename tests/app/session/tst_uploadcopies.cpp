// The copies of unsent uploads (issue 12), on a real temporary data directory: written off the GUI thread under a
// partial name and renamed when complete, bounded, waited for on destruction, and swept of what no outbox row of
// the client database names.
#include "app/session/uploadcopies.h"
#include "app/storage/clientdatabase.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <atomic>
#include <memory>
#include <utility>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
void write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

/// Writes a file last modified a minute ago (as one a crash left behind before this run).
void writeOld(const QString &path, const QByteArray &bytes)
{
    write(path, bytes);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-60), QFileDevice::FileModificationTime));
}
/// What UploadCopies reported, as the GUI thread receives it (queued; QSignalSpy would record on the pool's thread).
struct Reports
{
    explicit Reports(UploadCopies &copies)
    {
        QObject::connect(&copies, &UploadCopies::copied, &context, [this](const QString &key, const QString &path) {
            copied.append({key, path});
            threads.append(QThread::currentThread());
        });
        QObject::connect(&copies, &UploadCopies::swept, &context, [this](const QString &directory, int removed) {
            swept.append({directory, removed});
        });
    }
    QObject context;
    QList<std::pair<QString, QString>> copied;
    QList<QThread *> threads;
    QList<std::pair<QString, int>> swept;
};
} // namespace

class TestUploadCopies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    /*! A copy is written on the pool's thread, never the caller's, and reported back on the caller's thread by a
        queued signal: copy() returns before the report; the file holds every byte, under a name without the
        partial suffix, and no partial file is left. The directory is made when missing. */
    void copiesOffTheCallingThread()
    {
        QTemporaryDir data;
        const QString directory = data.filePath(u"uploads"_s);
        UploadCopies copies;
        std::atomic<QThread *> writer = nullptr;
        connect(&copies, &UploadCopies::copied, this, [&] { writer = QThread::currentThread(); }, Qt::DirectConnection);
        Reports reports(copies);
        const QByteArray bytes(3 * 1024 * 1024, 'x');
        copies.copy(u"m1"_s, bytes, directory, 16 * 1024 * 1024);
        QCOMPARE(copies.pending(), 1);
        QVERIFY(reports.copied.isEmpty()); // queued: nothing reported while the caller has not returned to its loop
        QTRY_COMPARE(reports.copied.size(), 1);
        QTRY_COMPARE(copies.pending(), 0);
        QVERIFY(writer.load() && writer.load() != QThread::currentThread());
        QCOMPARE(reports.threads.first(), QThread::currentThread());
        QCOMPARE(reports.copied.first().first, u"m1"_s);
        const QString path = reports.copied.first().second;
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(directory).absoluteFilePath());
        QVERIFY(!path.endsWith(QLatin1StringView(UploadCopies::kPartialSuffix)));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes);
        QCOMPARE(QDir(directory).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()});
    }

    /*! Complete copies and the new one together stay under the bound (partial ones do not count): past it the
        copy is not made, and the report says so with an empty path. */
    void boundedByTheKeptBytes()
    {
        QTemporaryDir data;
        const QString directory = data.filePath(u"uploads"_s);
        QVERIFY(QDir().mkpath(directory));
        write(QDir(directory).filePath(u"earlier"_s), QByteArray(600, 'a'));
        write(QDir(directory).filePath(u"stale.part"_s), QByteArray(5000, 'p'));
        UploadCopies copies;
        Reports reports(copies);
        copies.copy(u"fits"_s, QByteArray(400, 'b'), directory, 1000);
        copies.copy(u"over"_s, QByteArray(1, 'c'), directory, 1000);
        QTRY_COMPARE(reports.copied.size(), 2);
        QCOMPARE(reports.copied.at(0).first, u"fits"_s);
        QVERIFY(!reports.copied.at(0).second.isEmpty());
        QCOMPARE(reports.copied.at(1).first, u"over"_s);
        QVERIFY(reports.copied.at(1).second.isEmpty());
        QCOMPARE(QDir(directory).entryList(QDir::Files).size(), 3); // earlier, stale.part, the one that fitted
    }

    /*! Destroyed with copies under way (the app quits mid-copy): the destructor waits, every copy is complete and
        no partial file remains. */
    void destructionFinishesTheCopies()
    {
        QTemporaryDir data;
        const QString directory = data.filePath(u"uploads"_s);
        const QByteArray bytes(8 * 1024 * 1024, 'z');
        {
            UploadCopies copies;
            for (int i = 0; i < 4; ++i)
                copies.copy(QString::number(i), bytes, directory, 1024 * 1024 * 1024);
        }
        const QFileInfoList files = QDir(directory).entryInfoList(QDir::Files);
        QCOMPARE(files.size(), 4);
        for (const QFileInfo &file : files) {
            QVERIFY(!file.fileName().endsWith(QLatin1StringView(UploadCopies::kPartialSuffix)));
            QCOMPARE(file.size(), bytes.size());
        }
    }

    /*! The sweep at start-up, on a real data directory and client database (schema 5's upload_path): the copy a
        saved row names (of either account) stays; one no row names (a crash between writing it and saving its
        row) and a partial copy go; a file written after the sweep was asked for is spared (another client of
        the same data directory may be about to save its row). */
    void sweepRemovesWhatNoRowNames()
    {
        QTemporaryDir data;
        const QString directory = data.filePath(u"uploads"_s);
        QVERIFY(QDir().mkpath(directory));
        const auto path = [&](const QString &name) { return QDir(directory).filePath(name); };
        auto database = ClientDatabase::open(data.filePath(u"client.sqlite"_s));
        QVERIFY(database);
        ClientDatabase::OutboxRow row{u"c1"_s, u"general"_s, u"a caption"_s, 1000, false, {}, {}, 0,
                                      path(u"named"_s), u"photo.png"_s, 4};
        QVERIFY(database->addOutbox(u"server/alice"_s, row));
        row.clientMsgId = u"c2"_s;
        row.uploadPath = path(u"bobs"_s);
        QVERIFY(database->addOutbox(u"server/bob"_s, row));
        row.clientMsgId = u"c3"_s; // a text message: no copy
        row.uploadPath.clear();
        QVERIFY(database->addOutbox(u"server/bob"_s, row));
        writeOld(path(u"named"_s), "1234");
        writeOld(path(u"bobs"_s), "1234");
        writeOld(path(u"orphan"_s), "lost");
        writeOld(path(u"cut.part"_s), "half");
        writeOld(path(u"named.part"_s), "half"); // partial, even beside a complete copy of that name
        QCOMPARE(database->uploadPaths(), (QSet<QString>{path(u"named"_s), path(u"bobs"_s)}));

        // A file last written after the moment the sweep is asked for (dated ahead, so the job sees it whenever it
        // runs): another client's copy whose row is on its way.
        write(path(u"fresh"_s), "new");
        {
            QFile fresh(path(u"fresh"_s));
            QVERIFY(fresh.open(QIODevice::ReadWrite));
            QVERIFY(fresh.setFileTime(QDateTime::currentDateTimeUtc().addSecs(5), QFileDevice::FileModificationTime));
        }
        // A row saved just before the sweep (its write queued, maybe not on disk yet): the sweep's read, on the
        // pool's thread and a connection of its own, waits for it and keeps its copy. Read on the GUI thread's
        // connection there, it would fail (a connection belongs to the thread that made it) and remove nothing.
        writeOld(path(u"late"_s), "1234");
        row.clientMsgId = u"c4"_s;
        row.uploadPath = path(u"late"_s);
        QVERIFY(database->addOutbox(u"server/carol"_s, row));
        UploadCopies copies;
        Reports reports(copies);
        copies.sweep(directory, [&database] { return database->uploadPathsOnThisThread(); });
        QTRY_COMPARE(reports.swept.size(), 1);
        QCOMPARE(reports.swept.first().first, directory);
        QCOMPARE(reports.swept.first().second, 3);
        QStringList left = QDir(directory).entryList(QDir::Files);
        left.sort();
        QCOMPARE(left, (QStringList{u"bobs"_s, u"fresh"_s, u"late"_s, u"named"_s}));
    }

    /*! When what is in use cannot be known (the database cannot be read), the sweep removes nothing. */
    void sweepKeepsAllWhenUnsure()
    {
        QTemporaryDir data;
        writeOld(data.filePath(u"orphan"_s), "lost?");
        writeOld(data.filePath(u"cut.part"_s), "half");
        UploadCopies copies;
        Reports reports(copies);
        copies.sweep(data.path(), [] { return std::optional<QSet<QString>>(); });
        QTRY_COMPARE(reports.swept.size(), 1);
        QCOMPARE(reports.swept.first().second, 0);
        QCOMPARE(QDir(data.path()).entryList(QDir::Files).size(), 2);
    }

    /*! Nothing to sweep: a directory that does not exist, or holds only named copies, is left as it is. */
    void sweepOfNothing()
    {
        QTemporaryDir data;
        UploadCopies copies;
        Reports reports(copies);
        copies.sweep(data.filePath(u"missing"_s), [] { return QSet<QString>(); });
        QTRY_COMPARE(reports.swept.size(), 1);
        QCOMPARE(reports.swept.first().second, 0);
        QVERIFY(!QFileInfo::exists(data.filePath(u"missing"_s)));
    }
};

QTEST_GUILESS_MAIN(TestUploadCopies)
#include "tst_uploadcopies.moc"
