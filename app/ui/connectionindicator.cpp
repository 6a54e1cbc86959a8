#include "app/ui/connectionindicator.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtGui/QPainter>
#include <QtGui/QPixmap>

#include <cmath>

using State = Tertulia::ConnectionManager::State;

namespace Tertulia {

ConnectionIndicator::ConnectionIndicator(ChatClient &client, QWidget *parent)
    : QToolButton(parent), m_client(client), m_tick(new QTimer(this))
{
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setFocusPolicy(Qt::TabFocus);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ConnectionIndicator::refresh);
    m_tick->start();
    connect(m_client.connection(), &ConnectionManager::stateChanged, this, &ConnectionIndicator::refresh);
    connect(m_client.health(), &ConnectionHealth::rttMeasured, this, &ConnectionIndicator::refresh);
    connect(&m_client, &ChatClient::signedOut, this, &ConnectionIndicator::refresh);
    refresh();
}

QColor ConnectionIndicator::stateColor(int state)
{
    switch (State(state)) {
    case State::Connected: return {0x2f, 0xb3, 0x6d};
    case State::Connecting:
    case State::Authenticating:
    case State::Syncing:
    case State::Reconnecting: return {0xf0, 0xa8, 0x24};
    case State::Failed: return {0xd3, 0x2f, 0x2f};
    case State::Disconnected: break;
    }
    return {0x8d, 0x93, 0x9c};
}

void ConnectionIndicator::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QToolButton::changeEvent(event);
}

void ConnectionIndicator::refresh()
{
    const ConnectionManager *connection = m_client.connection();
    const State state = connection->state();
    QString text = ConnectionManager::stateName(state);
    if (state == State::Connected) {
        if (const auto rtt = m_client.health()->currentRtt())
            text = tr("%1 · %2").arg(text, UiText::milliseconds(rtt));
    } else if (state == State::Reconnecting) {
        const qint64 seconds = qint64(std::ceil(double(std::max<qint64>(connection->msUntilNextAttempt(), 0)) / 1000.0));
        text = tr("Reconnecting in %1 s").arg(seconds);
    } else if (state == State::Disconnected && !m_client.isSignedIn()) {
        text = tr("Not signed in");
    }
    setText(text);
    // The countdown ticks with the banner's, so both show the same second.
    m_tick->setInterval(state == State::Reconnecting ? 250 : 1000);
    setToolTip(tr("Connection: %1. Click for connection health.").arg(text));
    setAccessibleName(tr("Connection status: %1").arg(text));

    const qreal ratio = devicePixelRatioF();
    if (m_paintedState != int(state) || !qFuzzyCompare(m_paintedRatio, ratio)) {
        m_paintedState = int(state);
        m_paintedRatio = ratio;
        const int size = 12;
        QPixmap dot(QSize(size, size) * ratio);
        dot.setDevicePixelRatio(ratio);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor color = stateColor(int(state));
        painter.setPen(QPen(color.darker(140), 1));
        painter.setBrush(color);
        painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3));
        painter.end();
        setIcon(QIcon(dot));
        setIconSize(QSize(size, size));
    }
}

} // namespace Tertulia
