// The sign-in screen's list of LAN servers, driven by a real LanBrowser hearing real datagrams on the
// loopback interface, under QAbstractItemModelTester.
#include "app/lan/discoveredhostsmodel.h"
#include "app/lan/lanbrowser.h"
#include "app/lan/lantestkit.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Tertulia;
using namespace Tertulia::LanTest;
using namespace Qt::StringLiterals;
using Roles = DiscoveredHostsModel::Roles;

class TestDiscoveredHostsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    /*! Hosts appear as inserted rows, in the order heard, with every role filled. */
    void rowsFollowTheBrowser();
    /*! A change to one host changes that row only; a bye removes exactly its row. */
    void changeAndRemoveOneRow();
    /*! Switching browsers resets; a destroyed browser leaves an empty model. */
    void switchAndDestroy();

private:
    QList<QVariant> rowNames() const;

    LanDiscoverySettings m_settings;
    std::unique_ptr<LanBrowser> m_browser;
    std::unique_ptr<DiscoveredHostsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestDiscoveredHostsModel::init()
{
    m_settings = loopbackSettings(freeUdpPort(), 10000);
    m_browser = std::make_unique<LanBrowser>();
    m_browser->setSettings(m_settings);
    m_model = std::make_unique<DiscoveredHostsModel>();
    // The tester watches from before the model has data.
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setBrowser(m_browser.get());
    QVERIFY(m_browser->start());
}

void TestDiscoveredHostsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_browser.reset();
}

QList<QVariant> TestDiscoveredHostsModel::rowNames() const
{
    QList<QVariant> names;
    for (int row = 0; row < m_model->rowCount(); ++row)
        names << m_model->index(row).data(Roles::NameRole);
    return names;
}

void TestDiscoveredHostsModel::rowsFollowTheBrowser()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    RawSender sender(m_settings);
    const auto fingerprint = CertificateFingerprint::fromBytes(QByteArray::fromHex("abcdef01") + QByteArray(28, '\0'));
    QVERIFY(sender.announce("a", u"Kitchen"_s, 3, 10000, 7420, fingerprint));
    QTRY_COMPARE(m_model->rowCount(), 1);
    QVERIFY(sender.announce("b", QString(), 0, 10000, 7500));
    QTRY_COMPARE(m_model->rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);

    const QModelIndex kitchen = m_model->index(0);
    QCOMPARE(kitchen.data(Qt::DisplayRole).toString(), u"Kitchen"_s);
    QCOMPARE(kitchen.data(Roles::NameRole).toString(), u"Kitchen"_s);
    QCOMPARE(kitchen.data(Roles::UrlRole).toUrl(), QUrl(u"https://127.0.0.1:7420/#sha256="_s + fingerprint.toBase64Url()));
    QCOMPARE(kitchen.data(Roles::FingerprintRole).toString(), fingerprint.toHex());
    QCOMPARE(kitchen.data(Roles::FingerprintConflictRole).toBool(), false);
    QCOMPARE(kitchen.data(Roles::UsersRole).toInt(), 3);
    QCOMPARE(kitchen.data(Roles::VersionRole).toString(), u"9.9.9"_s);
    QCOMPARE(kitchen.data(Roles::AddressRole).toString(), u"127.0.0.1"_s);
    QCOMPARE(kitchen.data(Roles::PortRole).toInt(), 7420);
    QCOMPARE(kitchen.data(Roles::WebPageRole).toBool(), false);
    QCOMPARE(kitchen.data(Roles::InstanceIdRole).toByteArray(), QByteArray("a"));
    QVERIFY(kitchen.data(Roles::LastSeenRole).toDateTime().isValid());
    QCOMPARE(kitchen.data(Qt::ToolTipRole).toString(),
             u"Kitchen at 127.0.0.1:7420, version 9.9.9, 3 online\nEncrypted; certificate AB:CD:EF:01…"_s);
    QCOMPARE(kitchen.data(Qt::AccessibleDescriptionRole), kitchen.data(Qt::ToolTipRole));
    // A host without a name is shown by its address; one without TLS (an older version) says so.
    QCOMPARE(m_model->index(1).data(Qt::DisplayRole).toString(), u"Chat at 127.0.0.1"_s);
    QCOMPARE(m_model->index(1).data(Roles::UrlRole).toUrl(), QUrl(u"http://127.0.0.1:7500/"_s));
    QVERIFY(m_model->index(1).data(Qt::ToolTipRole).toString().endsWith(u"\nNot encrypted (an older version of Tertulia)"_s));
    QCOMPARE(m_model->roleNames().value(Roles::UrlRole), QByteArray("url"));
    QCOMPARE(m_model->host(1).port, quint16(7500));
}

void TestDiscoveredHostsModel::changeAndRemoveOneRow()
{
    RawSender sender(m_settings);
    for (const char *id : {"a", "b", "c"})
        QVERIFY(sender.announce(id, QString::fromLatin1(id).toUpper(), 0, 10000));
    QTRY_COMPARE(m_model->rowCount(), 3);
    QCOMPARE(rowNames(), (QList<QVariant>{u"A"_s, u"B"_s, u"C"_s}));

    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(sender.announce("c", u"C"_s, 4, 10000));
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(m_model->index(2).data(Roles::UsersRole).toInt(), 4);

    QVERIFY(sender.bye("b"));
    QTRY_COMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(rowNames(), (QList<QVariant>{u"A"_s, u"C"_s}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(reset.size(), 0);

    // B comes back: appended after C, as the browser lists it.
    QVERIFY(sender.announce("b", u"B"_s, 0, 10000));
    QTRY_COMPARE(m_model->rowCount(), 3);
    QCOMPARE(rowNames(), (QList<QVariant>{u"A"_s, u"C"_s, u"B"_s}));
}

void TestDiscoveredHostsModel::switchAndDestroy()
{
    RawSender sender(m_settings);
    QVERIFY(sender.announce("a", u"A"_s, 0, 10000));
    QTRY_COMPARE(m_model->rowCount(), 1);

    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    LanBrowser other;
    m_model->setBrowser(&other);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setBrowser(m_browser.get());
    QCOMPARE(m_model->rowCount(), 1);

    m_browser.reset();
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->browser(), nullptr);
    QVERIFY(sender.announce("z", u"Z"_s, 0, 10000)); // nobody listens; nothing may happen
    QCOMPARE(m_model->rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestDiscoveredHostsModel)
#include "tst_discoveredhostsmodel.moc"
