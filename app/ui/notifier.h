#pragma once

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class QSystemTrayIcon;

namespace Tertulia {

/// Desktop notifications: through the tray icon when the desktop has a tray, otherwise (Linux) a
/// direct org.freedesktop.Notifications call on the session bus (stock GNOME has no tray). One
/// notification per room is kept and replaced, so a busy room does not pile up bubbles. Clicking
/// one asks to show that room (activated()).
class Notifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)

public:
    enum class Backend { None, Tray, DBus };
    Q_ENUM(Backend)

    static constexpr int kMaxBodyLength = 200;

    explicit Notifier(QObject *parent = nullptr);
    ~Notifier() override;

    /// The tray icon to show messages on when a tray is available (not owned; may be null).
    void setTrayIcon(QSystemTrayIcon *tray);
    Backend backend() const;

    void notify(const QString &room, const QString &title, const QString &body);

Q_SIGNALS:
    /// The user clicked the notification of this room.
    void activated(const QString &room);
    /// A notification went out (tests, logs): how, and for which room.
    void notified(Tertulia::Notifier::Backend backend, const QString &room);

private Q_SLOTS:
    // Slots by name: QDBusConnection::connect() only takes SLOT() strings.
    void onDBusAction(uint id, const QString &action);
    void onDBusClosed(uint id, uint reason);

private:
    void notifyDBus(const QString &room, const QString &title, const QString &body);

    QPointer<QSystemTrayIcon> m_tray;
    QString m_trayRoom;          ///< the room of the tray's latest message (it shows one at a time)
    bool m_dbusConnected = false;
    QHash<QString, uint> m_idByRoom;
};

} // namespace Tertulia
