#include "app/lan/discoveredhostsmodel.h"

#include "app/lan/lanbrowser.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

DiscoveredHostsModel::DiscoveredHostsModel(QObject *parent) : QAbstractListModel(parent) { }

DiscoveredHostsModel::DiscoveredHostsModel(LanBrowser *browser, QObject *parent) : QAbstractListModel(parent)
{
    setBrowser(browser);
}

DiscoveredHostsModel::~DiscoveredHostsModel() = default;

void DiscoveredHostsModel::setBrowser(LanBrowser *browser)
{
    beginResetModel();
    if (m_browser)
        m_browser->disconnect(this);
    m_browser = browser;
    m_hosts.clear();
    if (m_browser) {
        connect(m_browser, &LanBrowser::hostsChanged, this, &DiscoveredHostsModel::sync);
        connect(m_browser, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_hosts.clear();
            endResetModel();
        });
        m_hosts = m_browser->hosts();
    }
    endResetModel();
}

void DiscoveredHostsModel::sync()
{
    const QList<DiscoveredHost> current = m_browser ? m_browser->hosts() : QList<DiscoveredHost>();
    auto indexIn = [](const QList<DiscoveredHost> &list, const QByteArray &id) -> qsizetype {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list.at(i).instanceId == id)
                return i;
        }
        return -1;
    };
    // Both lists are in first-heard order, so what stays keeps its relative order: removals, then
    // updates in place, then appends turn the old list into the new one.
    for (qsizetype row = m_hosts.size() - 1; row >= 0; --row) {
        if (indexIn(current, m_hosts.at(row).instanceId) < 0) {
            beginRemoveRows({}, int(row), int(row));
            m_hosts.removeAt(row);
            endRemoveRows();
        }
    }
    for (qsizetype row = 0; row < m_hosts.size(); ++row) {
        const DiscoveredHost &now = current.at(indexIn(current, m_hosts.at(row).instanceId));
        const bool changed = !m_hosts.at(row).sameContent(now);
        m_hosts[row] = now;
        if (changed) {
            const QModelIndex index = createIndex(int(row), 0);
            Q_EMIT dataChanged(index, index);
        }
    }
    QList<DiscoveredHost> added;
    for (const DiscoveredHost &host : current) {
        if (indexIn(m_hosts, host.instanceId) < 0)
            added.append(host);
    }
    if (!added.isEmpty()) {
        const int first = int(m_hosts.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_hosts.append(added);
        endInsertRows();
    }
}

int DiscoveredHostsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hosts.size());
}

QString DiscoveredHostsModel::displayName(const DiscoveredHost &host) const
{
    return host.name.isEmpty() ? tr("Chat at %1").arg(host.address.toString()) : host.name;
}

QString DiscoveredHostsModel::description(const DiscoveredHost &host) const
{
    const QString where = host.address.toString() + u':' + QString::number(host.port);
    //: %1 is the server's name, %2 its address and port, %3 its version, %4 how many people are online.
    QString text = tr("%1 at %2, version %3, %4 online")
                       .arg(displayName(host), where, host.version.isEmpty() ? tr("unknown") : host.version,
                            QString::number(host.users));
    if (host.fingerprint.isNull())
        text += u'\n' + tr("Not encrypted (an older version of Tertulia)");
    else if (host.fingerprintConflict)
        text += u'\n' + tr("Two different certificates were announced for it: you will be asked to check the fingerprint");
    else
        //: %1 is the start of the certificate's SHA-256 fingerprint, e.g. "AB:CD:EF:01".
        text += u'\n' + tr("Encrypted; certificate %1…").arg(host.fingerprint.shortHex());
    return text;
}

QVariant DiscoveredHostsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DiscoveredHost &host = m_hosts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayName(host);
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
        return description(host);
    case NameRole:
        return host.name;
    case UrlRole:
        return host.url();
    case UsersRole:
        return host.users;
    case VersionRole:
        return host.version;
    case AddressRole:
        return host.address.toString();
    case PortRole:
        return int(host.port);
    case WebPageRole:
        return host.webPage;
    case InstanceIdRole:
        return host.instanceId;
    case LastSeenRole:
        return host.lastSeen;
    case FingerprintRole:
        return host.fingerprint.isNull() ? QString() : host.fingerprint.toHex();
    case FingerprintConflictRole:
        return host.fingerprintConflict;
    default:
        return {};
    }
}

QHash<int, QByteArray> DiscoveredHostsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(UrlRole, "url");
    names.insert(UsersRole, "users");
    names.insert(VersionRole, "version");
    names.insert(AddressRole, "address");
    names.insert(PortRole, "port");
    names.insert(WebPageRole, "webPage");
    names.insert(InstanceIdRole, "instanceId");
    names.insert(LastSeenRole, "lastSeen");
    names.insert(FingerprintRole, "fingerprint");
    names.insert(FingerprintConflictRole, "fingerprintConflict");
    return names;
}

} // namespace Tertulia
