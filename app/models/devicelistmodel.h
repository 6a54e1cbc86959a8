#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>

namespace Tertulia {

/// The account's signed-in devices (ChatClient::listDevices()), one row each, oldest sign-in first, for the
/// account dialog. A table rather than a list: the columns (device, signed in, last used) are what a person
/// compares to recognise a device, and a header view sorts and sizes them.
class DeviceListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceListModel)

public:
    enum Column { DeviceColumn, SignedInColumn, LastUsedColumn, ColumnCount };
    Q_ENUM(Column)
    enum Roles {
        IdRole = Qt::UserRole + 1,
        LabelRole,        ///< what the device called itself; may be empty
        CreatedAtRole,    ///< QDateTime, invalid when unknown
        LastUsedAtRole,   ///< QDateTime, invalid when unknown
        CurrentRole,      ///< this device
    };
    Q_ENUM(Roles)

    explicit DeviceListModel(QObject *parent = nullptr);
    ~DeviceListModel() override;

    /// Replaces the rows (a reset: the list comes whole from the server each time).
    void setDevices(const QList<Protocol::DeviceInfo> &devices);
    const QList<Protocol::DeviceInfo> &devices() const { return m_devices; }
    /// The row of a device id, -1 if none.
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<Protocol::DeviceInfo> m_devices;
};

} // namespace Tertulia
