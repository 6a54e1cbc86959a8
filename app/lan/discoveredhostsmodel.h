#pragma once

#include "app/lan/discoveredhost.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>

namespace Tertulia {

class LanBrowser;

/// The sign-in screen's "servers found on the LAN": one row per LanBrowser host, in the order they
/// were first heard. Rows are inserted, changed and removed one by one (a selection survives other
/// hosts coming and going), never reset while a browser is attached.
class DiscoveredHostsModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscoveredHostsModel)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        UrlRole,          ///< QUrl https://address:port/#sha256=… (http://address:port/ for a host without TLS)
        UsersRole,        ///< int, people online
        VersionRole,
        AddressRole,      ///< QString of the best address
        PortRole,         ///< int
        WebPageRole,      ///< bool: a browser can join at UrlRole
        InstanceIdRole,   ///< QByteArray
        LastSeenRole,     ///< QDateTime (UTC)
        FingerprintRole,  ///< QString: the announced certificate fingerprint in hex (empty without TLS)
        FingerprintConflictRole, ///< bool: two fingerprints were announced for it (not pre-verified)
    };
    Q_ENUM(Roles)

    explicit DiscoveredHostsModel(QObject *parent = nullptr);
    explicit DiscoveredHostsModel(LanBrowser *browser, QObject *parent = nullptr);
    ~DiscoveredHostsModel() override;

    /// Follows `browser` (nullptr: empty); a reset of the model.
    void setBrowser(LanBrowser *browser);
    LanBrowser *browser() const { return m_browser; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    /// DisplayRole is the name (or "Chat at <address>" when it has none); ToolTipRole says address,
    /// version and people online; AccessibleDescriptionRole the same for screen readers.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    DiscoveredHost host(int row) const { return m_hosts.value(row); }

private:
    void sync();
    QString displayName(const DiscoveredHost &host) const;
    QString description(const DiscoveredHost &host) const;

    QPointer<LanBrowser> m_browser;
    QList<DiscoveredHost> m_hosts;
};

} // namespace Tertulia
