#include "app/models/devicelistmodel.h"

#include <QtCore/QDateTime>
#include <QtCore/QLocale>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
QDateTime fromMs(qint64 ms) { return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms) : QDateTime(); }

QString shortText(const QDateTime &when)
{
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat) : QString();
}
} // namespace

DeviceListModel::DeviceListModel(QObject *parent) : QAbstractTableModel(parent) { }

DeviceListModel::~DeviceListModel() = default;

void DeviceListModel::setDevices(const QList<Protocol::DeviceInfo> &devices)
{
    beginResetModel();
    m_devices = devices;
    endResetModel();
}

int DeviceListModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_devices.size(); ++i) {
        if (m_devices.at(i).id == id)
            return int(i);
    }
    return -1;
}

int DeviceListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_devices.size()); }

int DeviceListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DeviceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::DeviceInfo &device = m_devices.at(index.row());
    switch (role) {
    case IdRole: return device.id;
    case LabelRole: return device.label;
    case CreatedAtRole: return fromMs(device.createdAt);
    case LastUsedAtRole: return fromMs(device.lastUsedAt);
    case CurrentRole: return device.current;
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case DeviceColumn: {
            const QString label = device.label.isEmpty() ? tr("Unknown device") : device.label;
            return device.current ? tr("%1 (this device)").arg(label) : label;
        }
        case SignedInColumn: {
            const QString text = shortText(fromMs(device.createdAt));
            return text.isEmpty() ? tr("Unknown") : text;
        }
        case LastUsedColumn: {
            if (device.current)
                return tr("Now");
            const QString text = shortText(fromMs(device.lastUsedAt));
            return text.isEmpty() ? tr("Unknown") : text;
        }
        default: return {};
        }
    case Qt::ToolTipRole:
        return device.label.isEmpty() ? tr("This device did not say what it is.") : device.label;
    default: return {};
    }
}

QVariant DeviceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceColumn: return tr("Device");
    case SignedInColumn: return tr("Signed in");
    case LastUsedColumn: return tr("Last used");
    default: return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "deviceId");
    names.insert(LabelRole, "label");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(LastUsedAtRole, "lastUsedAt");
    names.insert(CurrentRole, "current");
    return names;
}

} // namespace Tertulia
