// Files and images in the desktop window (issue 12) against a real server: a file chosen, pasted or dropped is
// uploaded over HTTP with the session's token and sent through the outbox with its caption; the other person's
// timeline says it is an image of the right size and its thumbnail loads; a file downloads byte for byte; a
// refusal (413 with the limit, 403 while muted) shows the server's reason with Retry; offline, an upload waits
// for the connection.
#include "uifixture.h"

#include "app/models/messagelistmodel.h"
#include "app/session/chatfiles.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/session/uploadcopies.h"
#include "app/storage/clientdatabase.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/filethumbnails.h"
#include "app/ui/fileviewer.h"
#include "app/ui/messageview.h"
#include "app/ui/uploadbar.h"

#include <QtCore/QBuffer>
#include <QtCore/QDir>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QSemaphore>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QMimeData>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtGui/QPainter>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_fixture.reset();
    }

    /*! A picture chosen with its caption: bob's timeline has an image of its size with the caption, the row keeps
        the image's proportions, the thumbnail loads in both apps, and the viewer shows it whole. */
    void sendAnImage()
    {
        setUp();
        const QString path = m_fixture->path(u"gato.png"_s);
        QVERIFY(picture(640, 480).save(path, "PNG"));
        page()->composer()->editor()->setPlainText(u"mi gato"_s);
        QVERIFY(page()->composer()->attachFiles({path}));
        QVERIFY(page()->composer()->editor()->toPlainText().isEmpty()); // the text went as the caption

        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY(bobs.isValid());
        QVariantMap file = bobs.data(MessageListModel::FileRole).toMap();
        QCOMPARE(file.value(u"name"_s).toString(), u"gato.png"_s);
        QCOMPARE(file.value(u"type"_s).toString(), u"image/png"_s);
        QVERIFY(file.value(u"image"_s).toBool());
        QCOMPARE(file.value(u"width"_s).toInt(), 640);
        QCOMPARE(file.value(u"height"_s).toInt(), 480);
        QCOMPARE(file.value(u"size"_s).toLongLong(), QFileInfo(path).size());
        QCOMPARE(bobs.data(MessageListModel::TextRole).toString(), u"mi gato"_s);
        QVERIFY(bobs.data(Qt::AccessibleTextRole).toString().startsWith(u"image gato.png, "_s));

        // alice's own row, once the server has it: the box has the image's proportions before it loads.
        const QModelIndex mine = waitForFile(m_window->client()->messageModel(), true);
        QVERIFY(mine.isValid());
        const QString id = file.value(u"id"_s).toString();
        QCOMPARE(mine.data(MessageListModel::FileRole).toMap().value(u"id"_s).toString(), id);
        const QRect box = page()->messageView()->rowLayout(page()->messageView()->model()->index(mine.row(), 0)).file;
        QCOMPARE(box.size(), FileThumbnails::boxFor({640, 480}));
        QCOMPARE(box.size(), QSize(320, 240));
        QTRY_VERIFY_WITH_TIMEOUT(!page()->thumbnails()->thumbnail(id).isNull(), kTimeoutMs);
        QVERIFY(page()->thumbnails()->thumbnail(id).width() <= 2 * FileThumbnails::kMaxBox.width());

        // bob's app downloads it too (he may read the room).
        ChatFiles bobFiles(*m_bob);
        FileThumbnails bobThumbnails(bobFiles);
        QVERIFY(bobThumbnails.thumbnail(id).isNull()); // starts loading
        QTRY_VERIFY_WITH_TIMEOUT(!bobThumbnails.thumbnail(id).isNull() || !bobThumbnails.error(id).isEmpty(), kTimeoutMs);
        QVERIFY2(bobThumbnails.error(id).isEmpty(), qPrintable(bobThumbnails.error(id)));

        // A click opens it at full size.
        page()->openFile(file);
        QTRY_VERIFY_WITH_TIMEOUT(page()->fileViewer(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(page()->fileViewer()->isLoaded(), kTimeoutMs);
        QCOMPARE(page()->fileViewer()->image().size(), QSize(640, 480));
        QVERIFY(page()->fileViewer()->saveButton()->isEnabled());
    }

    /*! An image pasted into the composer is sent as a PNG. */
    void pasteAnImage()
    {
        setUp();
        QGuiApplication::clipboard()->setImage(picture(200, 100));
        page()->composer()->editor()->setFocus();
        page()->composer()->editor()->paste();
        QVERIFY(page()->composer()->editor()->toPlainText().isEmpty()); // not pasted as text
        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY(bobs.isValid());
        const QVariantMap file = bobs.data(MessageListModel::FileRole).toMap();
        QCOMPARE(file.value(u"type"_s).toString(), u"image/png"_s);
        QCOMPARE(file.value(u"width"_s).toInt(), 200);
        QCOMPARE(file.value(u"height"_s).toInt(), 100);
        QVERIFY(file.value(u"name"_s).toString().endsWith(u".png"_s));
    }

    /*! A file dropped on the page is sent; Save as… writes exactly its bytes, in alice's app and bob's. */
    void dropAFileAndSaveIt()
    {
        setUp();
        QByteArray bytes;
        for (int i = 0; i < 20000; ++i)
            bytes.append(char(i * 7 % 251));
        const QString path = m_fixture->path(u"notas.bin"_s);
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        QMimeData dropped;
        dropped.setUrls({QUrl::fromLocalFile(path)});
        QVERIFY(page()->dropFiles(&dropped));

        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY(bobs.isValid());
        const QVariantMap file = bobs.data(MessageListModel::FileRole).toMap();
        QCOMPARE(file.value(u"name"_s).toString(), u"notas.bin"_s);
        QCOMPARE(file.value(u"type"_s).toString(), u"application/octet-stream"_s);
        QVERIFY(!file.value(u"image"_s).toBool());
        QCOMPARE(file.value(u"size"_s).toLongLong(), bytes.size());
        QVERIFY(bobs.data(Qt::AccessibleTextRole).toString().startsWith(u"file notas.bin, "_s));

        const QString saved = m_fixture->path(u"saved.bin"_s);
        FileTransfer *transfer = page()->saveFileTo(file, saved);
        QSignalSpy done(transfer, &FileTransfer::finished);
        QVERIFY(done.wait(kTimeoutMs));
        QFile in(saved);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll(), bytes);
        QTRY_VERIFY_WITH_TIMEOUT(page()->noticeLabel()->text().startsWith(u"Saved notas.bin"_s), kTimeoutMs);

        ChatFiles bobFiles(*m_bob);
        const QString bobSaved = m_fixture->path(u"bob.bin"_s);
        FileTransfer *bobTransfer = bobFiles.download(file.value(u"id"_s).toString(), bobSaved);
        QSignalSpy bobDone(bobTransfer, &FileTransfer::finished);
        QVERIFY(bobDone.wait(kTimeoutMs));
        QFile bobIn(bobSaved);
        QVERIFY(bobIn.open(QIODevice::ReadOnly));
        QCOMPARE(bobIn.readAll(), bytes);
    }

    /*! Over the server's limit: 413, the line names the limit and offers Retry (which asks again); Cancel drops it,
        and a smaller file goes. */
    void tooLargeShowsTheLimit()
    {
        setUp();
        const QString big = m_fixture->path(u"big.bin"_s);
        QFile out(big);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray(kLimit + 1, 'x'));
        out.close();
        QVERIFY(page()->composer()->attachFiles({big}));
        ChatFiles *files = page()->files();
        QTRY_VERIFY_WITH_TIMEOUT(!files->uploads().isEmpty() && files->uploads().first().state == ChatFiles::State::Failed,
                                 kTimeoutMs);
        const ChatFiles::Upload failed = files->uploads().first();
        QVERIFY(failed.error);
        QCOMPARE(failed.error->code, FileError::Code::TooLarge);
        QCOMPARE(failed.error->limit, kLimit);
        const UploadBar::Line line = page()->composer()->uploadBar()->line(failed.id);
        QVERIFY(line.widget);
        QTRY_VERIFY(page()->composer()->uploadBar()->isVisible());
        QVERIFY2(line.label->text().contains(u"too large"_s) && line.label->text().contains(u"32"_s),
                 qPrintable(line.label->text()));
        QVERIFY(line.retry->isVisible());

        QSignalSpy changed(files, &ChatFiles::uploadsChanged);
        line.retry->click();
        QCOMPARE(files->uploads().first().state, ChatFiles::State::Uploading);
        QTRY_COMPARE_WITH_TIMEOUT(files->uploads().first().state, ChatFiles::State::Failed, kTimeoutMs);
        QCOMPARE(files->uploads().first().error->code, FileError::Code::TooLarge);

        line.cancel->click();
        QVERIFY(files->uploads().isEmpty());
        QTRY_VERIFY(!page()->composer()->uploadBar()->isVisible());

        const QString small = m_fixture->path(u"small.png"_s);
        QVERIFY(picture(64, 64).save(small, "PNG"));
        QVERIFY(page()->composer()->attachFiles({small}));
        QVERIFY(waitForFile(m_bob->messageModel()).isValid());
        QVERIFY(files->uploads().isEmpty());
    }

    /*! Muted, the server refuses the upload (403) and says why; once unmuted, Retry sends it. */
    void retryAfterAMute()
    {
        setUp();
        QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
            m_bob->moderate(Protocol::RequestType::Mute, {u"general"_s, u"alice"_s, {}, {}, {}}, context, done);
        }));
        QTRY_VERIFY_WITH_TIMEOUT(!page()->composer()->isEnabled(), kTimeoutMs);
        ChatFiles *files = page()->files();
        const int id = files->add(u"general"_s, u"a.png"_s, png(picture(30, 30)));
        QTRY_VERIFY_WITH_TIMEOUT(files->find(id) && files->find(id)->state == ChatFiles::State::Failed, kTimeoutMs);
        QCOMPARE(files->find(id)->error->code, FileError::Code::Forbidden);
        QVERIFY(page()->composer()->uploadBar()->line(id).retry->isVisible());

        QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
            m_bob->moderate(Protocol::RequestType::Unmute, {u"general"_s, u"alice"_s, {}, {}, {}}, context, done);
        }));
        // alice hears of it once the room's rules changed (the composer comes back): then the server takes it.
        QTRY_VERIFY_WITH_TIMEOUT(page()->composer()->isEnabled(), kTimeoutMs);
        page()->composer()->uploadBar()->line(id).retry->click();
        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY2(bobs.isValid(), files->find(id) && files->find(id)->error ? qPrintable(files->find(id)->error->text())
                                                                           : "no upload left");
        QCOMPARE(bobs.data(MessageListModel::FileRole).toMap().value(u"name"_s).toString(), u"a.png"_s);
        QVERIFY(!files->find(id));
    }

    /*! Offline, an upload waits (and says so); when the connection is back it goes, and the message with it. */
    void waitsForTheConnection()
    {
        setUp();
        QVERIFY(cutOff());
        ChatFiles *files = page()->files();
        const int id = files->add(u"general"_s, u"offline.png"_s, png(picture(40, 20)), u"sin red"_s);
        QCOMPARE(files->find(id)->state, ChatFiles::State::Waiting);
        QVERIFY(page()->composer()->uploadBar()->line(id).label->text().contains(u"waiting for the connection"_s));
        m_fixture->proxy().setAccepting(true);
        m_window->client()->connection()->retryNow();
        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY(bobs.isValid());
        QCOMPARE(bobs.data(MessageListModel::TextRole).toString(), u"sin red"_s);
        QCOMPARE(bobs.data(MessageListModel::FileRole).toMap().value(u"width"_s).toInt(), 40);
    }

    /*! A file (and a text after it) queued offline survive a restart of the app: the window, its client and outbox
        are destroyed with the server unreachable, Ctrl+Q having counted the upload; started again on the same
        profile with the server reachable, the message with its file arrives once, before the text, and the copy
        kept for it is removed. */
    void uploadSurvivesARestart()
    {
        setUp();
        QVERIFY(cutOff());
        ChatFiles *files = page()->files();
        const int id = files->add(u"general"_s, u"túnel.png"_s, png(picture(48, 32)), u"desde el túnel"_s);
        QVERIFY(id != 0);
        QCOMPARE(files->find(id)->state, ChatFiles::State::Waiting);
        QVERIFY(m_window->client()->sendMessage(u"general"_s, u"después"_s));
        QCOMPARE(m_window->client()->outbox()->unsentCount(), 2);
        // The copy is written off the GUI thread: asked for, not reported yet; the message names it once it is.
        QCOMPARE(files->copies()->pending(), 1);
        QTRY_COMPARE(m_window->client()->outbox()->unkeptCount(), 0);
        const QDir kept(files->keptDirectory());
        QCOMPARE(kept.entryList(QDir::Files).size(), 1);

        // Ctrl+Q counts the file with the text, and says both are kept.
        QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
        QCOMPARE(m_window->quitQuestion()->text(), u"2 messages have not been sent yet."_s);
        QVERIFY(m_window->quitQuestion()->informativeText().startsWith(u"They are kept on this computer"_s));
        QTest::keyClick(m_window->quitQuestion(), Qt::Key_Escape);
        QTRY_VERIFY(!m_window->quitQuestion());

        const QString profile = m_window->profile().name();
        const qint64 bobSeq = m_bob->rooms()->find(u"general"_s)->lastSeq();
        m_window.reset();
        // What a crash leaves behind: a copy no saved message names, and one cut short. The next sign-in
        // removes both (and keeps the named one until its message is sent).
        const QString orphan = kept.filePath(u"orphan"_s);
        const QString partial = kept.filePath(u"cut.part"_s);
        for (const QString &path : {orphan, partial}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly) && file.write("left behind") > 0);
            file.close();
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-60), QFileDevice::FileModificationTime));
        }

        // The server is reachable again; the app starts anew on the same profile and alice signs in: the new
        // window's outbox has both (nothing was added to it), uploads the file and sends both.
        m_fixture->proxy().setAccepting(true);
        m_window = m_fixture->reopenWindow(profile);
        QVERIFY(m_window);
        UiFixture::typeSignIn(*m_window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
        QVERIFY(UiFixture::waitConnected(*m_window->client()));
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(orphan) && !QFile::exists(partial), kTimeoutMs);

        ChatRoom *bobs = m_bob->rooms()->find(u"general"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bobs->lastSeq() >= bobSeq + 2, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
        QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"bienvenida"_s)); // anything sent twice would be before it
        QList<Protocol::ChatMessage> heard;
        for (const Protocol::ChatMessage &message : bobs->messages()) {
            if (message.seq > bobSeq && message.sender == u"alice"_s)
                heard.append(message);
        }
        QCOMPARE(heard.size(), 2);
        QVERIFY(heard.at(0).file);
        QCOMPARE(heard.at(0).file->name, u"túnel.png"_s);
        QCOMPARE(heard.at(0).file->width, 48);
        QCOMPARE(heard.at(0).text, u"desde el túnel"_s);
        QCOMPARE(heard.at(1).text, u"después"_s);
        QVERIFY(!heard.at(1).file);
        QVERIFY(page()->files()->uploads().isEmpty());
        QCOMPARE(kept.entryList(QDir::Files).size(), 0);
    }

    /*! The app quits right after a file is queued, its copy under way (nothing has reached the event loop): the
        copy is finished and its message saved, naming a complete copy; nothing partial is left. */
    void quitMidCopy()
    {
        setUp();
        QVERIFY(cutOff());
        ChatFiles *files = page()->files();
        const QByteArray bytes = png(picture(300, 200));
        const QString data = m_window->client()->dataDirectory();
        const QDir kept(files->keptDirectory());
        QVERIFY(files->add(u"general"_s, u"prisa.png"_s, bytes, u"me voy"_s) != 0);
        QCOMPARE(files->copies()->pending(), 1);
        m_window.reset();

        auto database = ClientDatabase::open(QDir(data).filePath(u"client.sqlite"_s));
        QVERIFY(database);
        const QSet<QString> named = database->uploadPaths();
        QCOMPARE(named.size(), 1);
        QFile copy(*named.cbegin());
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), bytes);
        QCOMPARE(kept.entryList(QDir::Files), QStringList{QFileInfo(copy).fileName()});
    }

    /*! Ctrl+Q while a file's copy is still being written: the quit question does not count it as lost (quitting
        waits for the copy and saves its message); it says the message is kept. */
    void quitQuestionCountsACopyUnderWayAsKept()
    {
        setUp();
        QVERIFY(cutOff());
        ChatFiles *files = page()->files();
        // The copies run one at a time: a job that waits for the gate holds the file's copy back until the
        // question has been asked. Opened (and the job waited for) whatever happens, before the gate goes.
        QSemaphore gate;
        const auto open = qScopeGuard([&gate, files] {
            gate.release();
            files->copies()->waitForDone();
        });
        files->copies()->sweep(m_fixture->path(u"nothing-here"_s), [&gate] {
            gate.acquire();
            return QSet<QString>();
        });
        QVERIFY(files->add(u"general"_s, u"lento.png"_s, png(picture(40, 40)), u"espera"_s) != 0);
        QCOMPARE(m_window->client()->outbox()->unkeptCount(), 1); // its bytes are only in memory so far

        QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
        QCOMPARE(m_window->quitQuestion()->text(), u"1 message has not been sent yet."_s);
        QVERIFY2(m_window->quitQuestion()->informativeText().startsWith(u"They are kept on this computer"_s),
                 qPrintable(m_window->quitQuestion()->informativeText()));
        QTest::keyClick(m_window->quitQuestion(), Qt::Key_Escape);
        QTRY_VERIFY(!m_window->quitQuestion());
        gate.release();
        QTRY_COMPARE(m_window->client()->outbox()->unkeptCount(), 0);
    }

    /*! Images are kept in a disk cache: a second app instance on the same cache folder shows an image without
        downloading it again (the server counts the files it served). */
    void thumbnailsFromTheDiskCache()
    {
        setUp();
        QVERIFY(page()->files()->add(u"general"_s, u"cache.png"_s, png(picture(120, 80))) != 0);
        const QModelIndex bobs = waitForFile(m_bob->messageModel());
        QVERIFY(bobs.isValid());
        const QString id = bobs.data(MessageListModel::FileRole).toMap().value(u"id"_s).toString();
        // alice's own window shows it too: wait for that download before counting.
        QTRY_VERIFY_WITH_TIMEOUT(!page()->thumbnails()->thumbnail(id).isNull(), kTimeoutMs);
        const auto served = [this] {
            const QByteArray metrics = m_fixture->server().http().send("GET", u"/metrics"_s, {}, {}).body;
            const QRegularExpression line(u"^tertulia_files_served_total (\\d+)$"_s,
                                          QRegularExpression::MultilineOption);
            const QRegularExpressionMatch match = line.match(QString::fromUtf8(metrics));
            return match.hasMatch() ? match.captured(1).toInt() : -1;
        };
        const int before = served();
        QVERIFY(before >= 1);

        const QString cache = m_fixture->path(u"bob-cache"_s);
        {
            ChatFiles bobFiles(*m_bob);
            bobFiles.fileClient()->setDiskCache(cache);
            FileThumbnails thumbnails(bobFiles);
            QVERIFY(thumbnails.thumbnail(id).isNull()); // starts loading
            QTRY_VERIFY_WITH_TIMEOUT(!thumbnails.thumbnail(id).isNull() || !thumbnails.error(id).isEmpty(), kTimeoutMs);
            QVERIFY2(thumbnails.error(id).isEmpty(), qPrintable(thumbnails.error(id)));
        }
        QCOMPARE(served(), before + 1);

        // Another instance (nothing in memory) on the same folder: shown, and the server was not asked.
        ChatFiles again(*m_bob);
        again.fileClient()->setDiskCache(cache);
        FileThumbnails thumbnails(again);
        QVERIFY(thumbnails.thumbnail(id).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(!thumbnails.thumbnail(id).isNull() || !thumbnails.error(id).isEmpty(), kTimeoutMs);
        QVERIFY2(thumbnails.error(id).isEmpty(), qPrintable(thumbnails.error(id)));
        QCOMPARE(thumbnails.thumbnail(id).size(), QSize(240, 160)); // decoded at twice its 120×80 box
        QCOMPARE(served(), before + 1);
    }

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;
    static constexpr qint64 kLimit = 32 * 1024;

    static QImage picture(int width, int height)
    {
        QImage image(width, height, QImage::Format_RGB32);
        image.fill(QColor(0x3a, 0x7b, 0xd5));
        QPainter painter(&image);
        painter.fillRect(0, 0, width / 2, height / 2, QColor(0xf2, 0xa9, 0x00));
        return image;
    }
    static QByteArray png(const QImage &image)
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return bytes;
    }

    /// The newest row of `model` that carries a file (stored by the server when `stored`), waiting for it.
    static QModelIndex waitForFile(const QAbstractItemModel *model, bool stored = true)
    {
        const auto find = [model, stored]() -> QModelIndex {
            for (int row = model->rowCount() - 1; row >= 0; --row) {
                const QModelIndex index = model->index(row, 0);
                if (!index.data(MessageListModel::FileRole).toMap().isEmpty()
                    && (!stored || index.data(MessageListModel::SeqRole).toLongLong() > 0))
                    return index;
            }
            return {};
        };
        if (!QTest::qWaitFor([&find] { return find().isValid(); }, kTimeoutMs))
            return {};
        return find();
    }

    /// alice in the window, bob (the owner of #general) as a plain client, both in #general, open in both.
    void setUp()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.limits.maxFileBytes = kLimit;
        m_fixture = std::make_unique<UiFixture>(config);
        m_window = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        m_bob = m_fixture->person(u"bob"_s);
        QVERIFY(UiFixture::shareRoom(*m_bob, *m_window->client(), u"general"_s));
    }
    ChatPage *page() const { return m_window->chatPage(); }
    /// The server out of reach: the proxy refuses new connections and cuts the open ones; true once alice's
    /// client has seen its connection go.
    bool cutOff()
    {
        m_fixture->proxy().setAccepting(false);
        m_fixture->proxy().cutAll();
        return QTest::qWaitFor(
            [this] { return m_window->client()->connection()->state() != ConnectionManager::State::Connected; },
            kTimeoutMs);
    }

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
};

QTEST_MAIN(TestFiles)
#include "tst_files.moc"
