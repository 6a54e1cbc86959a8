#include "app/ui/notifier.h"

#include "app/ui/uilogging.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QSystemTrayIcon>

#ifdef TERTULIA_HAVE_DBUS
#include <QtDBus/QDBusConnection>
#include <QtDBus/QDBusConnectionInterface>
#include <QtDBus/QDBusMessage>
#include <QtDBus/QDBusPendingCallWatcher>
#include <QtDBus/QDBusPendingReply>
#endif

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
#ifdef TERTULIA_HAVE_DBUS
const QString kService = u"org.freedesktop.Notifications"_s;
const QString kPath = u"/org/freedesktop/Notifications"_s;
const QString kInterface = u"org.freedesktop.Notifications"_s;
#endif
} // namespace

bool shouldNotify(const NotificationCase &c)
{
    if (!c.enabled || c.doNotDisturb || c.looking)
        return false;
    return !c.muted || c.mentionsYou;
}

Notifier::Notifier(QObject *parent) : QObject(parent), m_sound([] { QApplication::beep(); }) { }

Notifier::~Notifier() = default;

void Notifier::setTrayIcon(QSystemTrayIcon *tray)
{
    if (m_tray)
        m_tray->disconnect(this);
    m_tray = tray;
    if (m_tray) {
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_trayRoom.isEmpty())
                Q_EMIT activated(m_trayRoom);
        });
    }
}

Notifier::Backend Notifier::backend() const
{
    if (m_tray && QSystemTrayIcon::isSystemTrayAvailable() && m_tray->isVisible())
        return Backend::Tray;
#ifdef TERTULIA_HAVE_DBUS
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected() && bus.interface() && bus.interface()->isServiceRegistered(kService))
        return Backend::DBus;
#endif
    return Backend::None;
}

void Notifier::notify(const QString &room, const QString &title, const QString &body)
{
    QString text = body.simplified();
    if (text.size() > kMaxBodyLength)
        text = text.left(kMaxBodyLength - 1) + u'…';
    // Also where no bubble can be shown: the sound alone still says something happened.
    if (m_soundEnabled && m_sound)
        m_sound();
    switch (backend()) {
    case Backend::Tray:
        m_trayRoom = room;
        m_tray->showMessage(title, text, QSystemTrayIcon::Information);
        Q_EMIT notified(Backend::Tray, room);
        return;
    case Backend::DBus:
        notifyDBus(room, title, text);
        return;
    case Backend::None:
        qCDebug(lcUi) << "no way to show a notification for" << room;
        return;
    }
}

void Notifier::notifyDBus(const QString &room, const QString &title, const QString &body)
{
#ifdef TERTULIA_HAVE_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!m_dbusConnected) {
        bus.connect(kService, kPath, kInterface, u"ActionInvoked"_s, this, SLOT(onDBusAction(uint, QString)));
        bus.connect(kService, kPath, kInterface, u"NotificationClosed"_s, this, SLOT(onDBusClosed(uint, uint)));
        m_dbusConnected = true;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, u"Notify"_s);
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    const QVariantMap hints{{u"desktop-entry"_s, u"org.tertulia.Tertulia"_s}, {u"category"_s, u"im.received"_s}};
    // Body markup is optional for servers; escape so a message is never read as markup.
    call << u"Tertulia"_s << m_idByRoom.value(room, 0u) << u"org.tertulia.Tertulia"_s << title << body.toHtmlEscaped()
         << QStringList{u"default"_s, tr("Open")} << hints << qint32(-1);
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, room](QDBusPendingCallWatcher *finished) {
        finished->deleteLater();
        const QDBusPendingReply<uint> reply = *finished;
        if (reply.isError()) {
            qCWarning(lcUi) << "notification failed:" << reply.error().message();
            return;
        }
        m_idByRoom.insert(room, reply.value());
        Q_EMIT notified(Backend::DBus, room);
    });
#else
    Q_UNUSED(room)
    Q_UNUSED(title)
    Q_UNUSED(body)
#endif
}

void Notifier::onDBusAction(uint id, const QString &action)
{
    Q_UNUSED(action) // "default" (the bubble) or our "Open" button: both open the room
    for (auto it = m_idByRoom.cbegin(); it != m_idByRoom.cend(); ++it) {
        if (it.value() == id) {
            Q_EMIT activated(it.key());
            return;
        }
    }
}

void Notifier::onDBusClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    for (auto it = m_idByRoom.begin(); it != m_idByRoom.end(); ++it) {
        if (it.value() == id) {
            m_idByRoom.erase(it);
            return;
        }
    }
}

} // namespace Tertulia
