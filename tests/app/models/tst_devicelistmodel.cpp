// DeviceListModel under QAbstractItemModelTester: the account's devices as a table, this device marked,
// unknown labels and times said so, a new list replacing the old one.
#include "app/models/devicelistmodel.h"

#include <QtCore/QDateTime>
#include <QtCore/QLocale>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using Protocol::DeviceInfo;

class TestDeviceListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Rows, columns, roles and texts: the current device says so and was used "now"; a device without a
        label or times (an older server's login) is an unknown device with unknown times. */
    void rowsAndTexts()
    {
        QLocale::setDefault(QLocale::c());
        DeviceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(DeviceListModel::LastUsedColumn, Qt::Horizontal).toString(), DeviceListModel::tr("Last used"));

        const qint64 created = QDateTime::fromString(u"2025-05-12T09:30:00Z"_s, Qt::ISODate).toMSecsSinceEpoch();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDevices({DeviceInfo{u"L1"_s, u"Tertulia 0.1.0 on desk (Debian)"_s, created, created + 60000, true},
                          DeviceInfo{u"L2"_s, {}, 0, 0, false}});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(u"L2"_s), 1);
        QCOMPARE(model.rowOf(u"nope"_s), -1);

        const auto cell = [&](int row, int column, int role = Qt::DisplayRole) { return model.index(row, column).data(role); };
        QCOMPARE(cell(0, DeviceListModel::DeviceColumn).toString(),
                 DeviceListModel::tr("%1 (this device)").arg(u"Tertulia 0.1.0 on desk (Debian)"_s));
        QCOMPARE(cell(0, DeviceListModel::SignedInColumn).toString(),
                 QLocale().toString(QDateTime::fromMSecsSinceEpoch(created).toLocalTime(), QLocale::ShortFormat));
        QCOMPARE(cell(0, DeviceListModel::LastUsedColumn).toString(), DeviceListModel::tr("Now"));
        QCOMPARE(cell(0, 0, DeviceListModel::IdRole).toString(), u"L1"_s);
        QCOMPARE(cell(0, 2, DeviceListModel::CurrentRole).toBool(), true);
        QCOMPARE(cell(0, 0, DeviceListModel::CreatedAtRole).toDateTime().toMSecsSinceEpoch(), created);
        QCOMPARE(cell(0, 0, DeviceListModel::LastUsedAtRole).toDateTime().toMSecsSinceEpoch(), created + 60000);

        QCOMPARE(cell(1, DeviceListModel::DeviceColumn).toString(), DeviceListModel::tr("Unknown device"));
        QCOMPARE(cell(1, DeviceListModel::SignedInColumn).toString(), DeviceListModel::tr("Unknown"));
        QCOMPARE(cell(1, DeviceListModel::LastUsedColumn).toString(), DeviceListModel::tr("Unknown"));
        QVERIFY(!cell(1, 0, DeviceListModel::CreatedAtRole).toDateTime().isValid());
        QCOMPARE(cell(1, 0, DeviceListModel::CurrentRole).toBool(), false);
        QVERIFY(!cell(1, 0, Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(model.roleNames().contains(DeviceListModel::CurrentRole));

        model.setDevices({DeviceInfo{u"L3"_s, u"phone"_s, created, created, false}});
        QCOMPARE(reset.size(), 2);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(0, DeviceListModel::LastUsedColumn).toString(),
                 QLocale().toString(QDateTime::fromMSecsSinceEpoch(created).toLocalTime(), QLocale::ShortFormat));
        model.setDevices({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDeviceListModel)
#include "tst_devicelistmodel.moc"
