#pragma once

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class QSystemTrayIcon;

namespace Tertulia {

/// What decides whether a new message notifies, as the window sees it when the message arrives.
struct NotificationCase
{
    bool enabled = true;       ///< Preferences::notificationsEnabled()
    bool doNotDisturb = false; ///< Preferences::doNotDisturb(): silences everything, mentions too
    bool looking = false;      ///< the room is in front of the person (window active, room open)
    bool muted = false;        ///< ChatRoom::isMuted(): only a mention gets through
    bool mentionsYou = false;  ///< someone else's message naming us (Mentions::mentions)
};

/// The one rule: nothing while notifications are off, in do-not-disturb, or for the room being looked
/// at; a muted room only for a mention of you; any other room always.
bool shouldNotify(const NotificationCase &c);

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

    /// A sound with each notification (off by default; Preferences::notificationSound()).
    void setSoundEnabled(bool enabled) { m_soundEnabled = enabled; }
    bool soundEnabled() const { return m_soundEnabled; }
    /// How the sound is made: QApplication::beep() (the desktop's alert sound, no multimedia library);
    /// tests count calls instead.
    void setSound(std::function<void()> sound) { m_sound = std::move(sound); }

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
    bool m_soundEnabled = false;
    std::function<void()> m_sound;
};

} // namespace Tertulia
