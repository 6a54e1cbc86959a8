// The outbox: client message ids, the sending → sent / failed life of an entry, and persistence in
// the client's SQLite file across a restart of the app.
#include "app/session/outbox.h"
#include "app/storage/clientdatabase.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimeZone>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using State = OutboxEntry::State;

class TestOutbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    /*! Every message gets a unique client id (random by default, injectable, collisions avoided). */
    void clientMessageIds();
    /*! Queued → sending → sent, or failed → retry / discard; illegal moves are refused. */
    void lifecycle();
    /*! The unsent count (the "outbox length") follows every change and is signalled. */
    void unsentCount();
    /*! Unacknowledged entries survive a restart in order, sending ones come back queued, failed ones
     *  keep their error, acknowledged ones are gone; accounts do not see each other's entries. */
    void survivesRestart();
    /*! Without a database the outbox still works, in memory. */
    void memoryOnly();
    /*! A message with a file to upload (issue 12) is saved with its copy's path and, once uploaded, the file's
     *  description (also without a caption); it comes back after a restart; the copy goes when the message is
     *  sent or discarded. One whose bytes are in memory only is not saved, and counts as unkept. */
    void uploadsSurviveRestart();
    /*! A file whose copy is made after its message was queued (off the GUI thread, issue 12): held in memory and
     *  unsaved until keepUploadCopy() names the copy, then saved in its place, before the messages written
     *  after it (their rows move after it), so a restart sends them in the order written. A copy for a message
     *  that is gone, or that names one already, is refused. Accounts share the directory: savedUploadPaths()
     *  names the copies of every account's rows. */
    void copyKeptLater();

private:
    QDateTime at(int minute) const { return QDateTime(QDate(2025, 3, 14), QTime(10, minute), QTimeZone::utc()); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestOutbox::initTestCase()
{
    // Nothing here may touch the real profile.
    QStandardPaths::setTestModeEnabled(true);
}

void TestOutbox::init() { m_dir = std::make_unique<QTemporaryDir>(); }

void TestOutbox::clientMessageIds()
{
    Outbox outbox;
    QSet<QString> ids;
    for (int i = 0; i < 200; ++i)
        ids.insert(outbox.enqueue(u"general"_s, u"m"_s, at(0)));
    QCOMPARE(ids.size(), 200);
    for (const QString &id : std::as_const(ids))
        QVERIFY(id.size() >= 1 && id.size() <= 64); // the protocol's bound

    Outbox scripted;
    QStringList script{u"a"_s, u"a"_s, u"b"_s};
    scripted.setIdGenerator([&script] { return script.takeFirst(); });
    QCOMPARE(scripted.enqueue(u"general"_s, u"one"_s, at(0)), u"a"_s);
    QCOMPARE(scripted.enqueue(u"general"_s, u"two"_s, at(1)), u"b"_s); // "a" again is skipped
}

void TestOutbox::lifecycle()
{
    Outbox outbox;
    QSignalSpy changed(&outbox, &Outbox::entryChanged);
    QSignalSpy removed(&outbox, &Outbox::entryRemoved);
    const QString id = outbox.enqueue(u"general"_s, u"hola"_s, at(0));
    QCOMPARE(outbox.find(id)->state, State::Queued);
    QVERIFY(!outbox.requeue(id));  // only from Sending
    QVERIFY(!outbox.markSent(u"nope"_s, 1));
    QVERIFY(outbox.markSending(id));
    QVERIFY(!outbox.markSending(id));
    QVERIFY(!outbox.discard(id)); // on the wire: cannot be taken back
    QVERIFY(outbox.requeue(id, true));
    QCOMPARE(outbox.find(id)->transientFailures, 1);
    QVERIFY(outbox.markSending(id));
    QVERIFY(outbox.markSent(id, 42));
    QCOMPARE(outbox.find(id)->seq, 42);
    QVERIFY(!outbox.markFailed(id, {Protocol::ErrorCode::Forbidden, u"x"_s}));
    QVERIFY(!outbox.discard(id));
    QVERIFY(outbox.confirm(id));
    QVERIFY(outbox.isEmpty());
    QCOMPARE(removed.size(), 1);

    const QString bad = outbox.enqueue(u"general"_s, u"too big"_s, at(1));
    outbox.markSending(bad);
    QVERIFY(outbox.markFailed(bad, {Protocol::ErrorCode::TooLarge, u"limit"_s}));
    QCOMPARE(outbox.find(bad)->state, State::Failed);
    QCOMPARE(outbox.find(bad)->error->code, Protocol::ErrorCode::TooLarge);
    QVERIFY(outbox.retry(bad));
    QCOMPARE(outbox.find(bad)->state, State::Queued);
    QVERIFY(!outbox.find(bad)->error);
    outbox.markSending(bad);
    outbox.markFailed(bad, {Protocol::ErrorCode::TooLarge, u"limit"_s});
    QVERIFY(outbox.discard(bad));
    QVERIFY(outbox.isEmpty());
    QVERIFY(changed.size() >= 8);
}

void TestOutbox::unsentCount()
{
    Outbox outbox;
    QSignalSpy count(&outbox, &Outbox::unsentCountChanged);
    const QString a = outbox.enqueue(u"r"_s, u"a"_s, at(0));
    const QString b = outbox.enqueue(u"r"_s, u"b"_s, at(0));
    QCOMPARE(outbox.unsentCount(), 2);
    outbox.markSending(a);
    QCOMPARE(outbox.unsentCount(), 2);
    outbox.markSent(a, 1);
    QCOMPARE(outbox.unsentCount(), 1);
    outbox.markSending(b);
    outbox.markFailed(b, {Protocol::ErrorCode::Forbidden, {}});
    QCOMPARE(outbox.unsentCount(), 1); // failed still counts: it is not on the server
    outbox.discard(b);
    outbox.confirm(a);
    QCOMPARE(outbox.unsentCount(), 0);
    QList<int> seen;
    for (const auto &args : std::as_const(count))
        seen << args.first().toInt();
    QCOMPARE(seen, (QList<int>{1, 2, 1, 0}));
}

void TestOutbox::survivesRestart()
{
    const QString path = m_dir->filePath(u"profile/client.sqlite"_s);
    QStringList ids;
    {
        auto database = ClientDatabase::open(path);
        QVERIFY(database);
        Outbox outbox;
        outbox.attach(database.get(), u"127.0.0.1:7420/alice"_s);
        for (const QString &text : {u"uno"_s, u"dos 👋"_s, u"tres"_s, u"cuatro"_s})
            ids << outbox.enqueue(u"general"_s, text, at(int(ids.size())), text == u"cuatro"_s ? 41 : 0);
        outbox.markSending(ids[0]);                                    // on the wire when the app died
        outbox.markSending(ids[1]);
        outbox.markFailed(ids[1], {Protocol::ErrorCode::Forbidden, u"join first"_s});
        outbox.markSending(ids[2]);
        outbox.markSent(ids[2], 17);                                   // the server has it

        Outbox other;
        other.attach(database.get(), u"127.0.0.1:7420/bob"_s);
        other.enqueue(u"general"_s, u"bob's"_s, at(9));
    }
    QVERIFY(QFile::exists(path));

    auto database = ClientDatabase::open(path);
    QVERIFY(database);
    Outbox outbox;
    QSignalSpy added(&outbox, &Outbox::entryAdded);
    outbox.attach(database.get(), u"127.0.0.1:7420/alice"_s);
    const QList<OutboxEntry> entries = outbox.entries();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(added.size(), 3);
    QCOMPARE(entries.at(0).clientMsgId, ids[0]);
    QCOMPARE(entries.at(0).state, State::Queued);
    QCOMPARE(entries.at(0).text, u"uno"_s);
    QCOMPARE(entries.at(0).createdAt, at(0));
    QCOMPARE(entries.at(1).clientMsgId, ids[1]);
    QCOMPARE(entries.at(1).state, State::Failed);
    QCOMPARE(entries.at(1).error->code, Protocol::ErrorCode::Forbidden);
    QCOMPARE(entries.at(1).error->message, u"join first"_s);
    QCOMPARE(entries.at(1).text, u"dos 👋"_s);
    QCOMPARE(entries.at(2).clientMsgId, ids[3]);
    QCOMPARE(entries.at(2).replyTo, 41); // a reply written offline is still a reply after a restart
    QCOMPARE(entries.at(0).replyTo, 0);
    QCOMPARE(outbox.unsentCount(), 3);

    // A retried entry is saved as no longer failed; a confirmed one leaves the file.
    outbox.retry(ids[1]);
    outbox.markSending(ids[0]);
    outbox.markSent(ids[0], 18);
    outbox.confirm(ids[0]);
    outbox.detach();
    QVERIFY(outbox.isEmpty());
    outbox.attach(database.get(), u"127.0.0.1:7420/alice"_s);
    QCOMPARE(outbox.entries().size(), 2);
    QCOMPARE(outbox.entries().at(0).clientMsgId, ids[1]);
    QCOMPARE(outbox.entries().at(0).state, State::Queued);

    Outbox bob;
    bob.attach(database.get(), u"127.0.0.1:7420/bob"_s);
    QCOMPARE(bob.entries().size(), 1);
    QCOMPARE(bob.entries().first().text, u"bob's"_s);
}

void TestOutbox::memoryOnly()
{
    Outbox outbox;
    outbox.attach(nullptr, u"acct"_s);
    QVERIFY(!outbox.isPersistent());
    const QString id = outbox.enqueue(u"r"_s, u"x"_s, at(0));
    QVERIFY(outbox.markSending(id));
    QCOMPARE(outbox.entries().size(), 1);
}

void TestOutbox::uploadsSurviveRestart()
{
    const QString path = m_dir->filePath(u"profile/client.sqlite"_s);
    const auto copyOf = [this](const QString &name) {
        QFile copy(m_dir->filePath(name));
        return copy.open(QIODevice::WriteOnly) && copy.write("bytes") == 5 ? copy.fileName() : QString();
    };
    const QString first = copyOf(u"first"_s);
    const QString second = copyOf(u"second"_s);
    const Protocol::FileInfo uploaded{u"AbCdEfGhIjKlMnOpQrStUvWx"_s, u"b.png"_s, u"image/png"_s, 5, 2, 1};
    QStringList ids;
    {
        auto database = ClientDatabase::open(path);
        QVERIFY(database);
        Outbox outbox;
        outbox.attach(database.get(), u"acct"_s);
        ids << outbox.enqueueUpload(u"general"_s, u"una foto"_s, at(0), {u"a.png"_s, first, 5, {}});
        ids << outbox.enqueueUpload(u"general"_s, {}, at(1), {u"b.png"_s, second, 5, {}});
        ids << outbox.enqueueUpload(u"general"_s, {}, at(2), {u"c.png"_s, {}, 3, "abc"});
        QVERIFY(outbox.entries().at(0).awaitsUpload());
        QVERIFY(outbox.setUploaded(ids[1], uploaded));
        QVERIFY(!outbox.entries().at(1).awaitsUpload());
        QVERIFY(!outbox.setUploaded(ids[1], uploaded)); // once
        QCOMPARE(outbox.unsentCount(), 3);
        QCOMPARE(outbox.unkeptCount(), 1); // the one held in memory
    }
    auto database = ClientDatabase::open(path);
    QVERIFY(database);
    Outbox outbox;
    outbox.attach(database.get(), u"acct"_s);
    QCOMPARE(outbox.entries().size(), 2);
    const OutboxEntry a = outbox.entries().at(0);
    QCOMPARE(a.clientMsgId, ids[0]);
    QCOMPARE(a.text, u"una foto"_s);
    QVERIFY(a.awaitsUpload());
    QCOMPARE(a.upload->name, u"a.png"_s);
    QCOMPARE(a.upload->path, first);
    QCOMPARE(a.upload->size, 5);
    const OutboxEntry b = outbox.entries().at(1);
    QCOMPARE(b.clientMsgId, ids[1]);
    QVERIFY(b.text.isEmpty());
    QVERIFY(!b.awaitsUpload());
    QCOMPARE(b.file, std::optional<Protocol::FileInfo>(uploaded)); // not uploaded again
    QCOMPARE(outbox.unkeptCount(), 0);

    QVERIFY(outbox.markSending(ids[1]));
    QVERIFY(outbox.markSent(ids[1], 5));
    QVERIFY(!QFile::exists(second)); // sent: the copy goes
    QVERIFY(QFile::exists(first));
    QVERIFY(outbox.discard(ids[0]));
    QVERIFY(!QFile::exists(first)); // discarded: too
}

void TestOutbox::copyKeptLater()
{
    const QString path = m_dir->filePath(u"later/client.sqlite"_s);
    QVERIFY(QDir().mkpath(m_dir->filePath(u"later"_s)));
    const QString copy = m_dir->filePath(u"later/copy"_s);
    {
        QFile file(copy);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("bytes") == 5);
    }
    QStringList ids;
    {
        auto database = ClientDatabase::open(path);
        QVERIFY(database);
        Outbox outbox;
        outbox.attach(database.get(), u"acct"_s);
        ids << outbox.enqueue(u"general"_s, u"antes"_s, at(0));
        ids << outbox.enqueueUpload(u"general"_s, u"la foto"_s, at(1), {u"a.png"_s, {}, 5, "bytes"});
        ids << outbox.enqueue(u"general"_s, u"después"_s, at(2));
        ids << outbox.enqueue(u"otra"_s, u"en otra sala"_s, at(3));
        QCOMPARE(outbox.unkeptCount(), 1);
        QVERIFY(!outbox.keepUploadCopy(u"nobody"_s, copy));
        QVERIFY(!outbox.keepUploadCopy(ids[0], copy)); // no file
        QVERIFY(outbox.keepUploadCopy(ids[1], copy));
        QVERIFY(!outbox.keepUploadCopy(ids[1], copy)); // names one already
        QCOMPARE(outbox.unkeptCount(), 0);
        QCOMPARE(outbox.entries().at(1).upload->path, copy);
        QVERIFY(outbox.entries().at(1).upload->data.isEmpty()); // out of memory: on disk now
        QCOMPARE(outbox.savedUploadPaths(), QSet<QString>{copy});
        QVERIFY(outbox.markSending(ids[3]));
        QVERIFY(outbox.markSent(ids[3], 9)); // acknowledged: its row goes, and stays gone
    }
    auto database = ClientDatabase::open(path);
    QVERIFY(database);
    Outbox outbox;
    outbox.attach(database.get(), u"acct"_s);
    QStringList order;
    for (const OutboxEntry &entry : outbox.entries())
        order << entry.clientMsgId;
    QCOMPARE(order, (QStringList{ids[0], ids[1], ids[2]}));
    QCOMPARE(outbox.entries().at(1).upload->path, copy);
    QCOMPARE(outbox.entries().at(1).text, u"la foto"_s);
    Outbox other;
    other.attach(database.get(), u"someone else"_s);
    QCOMPARE(other.savedUploadPaths(), QSet<QString>{copy});
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
