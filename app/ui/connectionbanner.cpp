#include "app/ui/connectionbanner.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/ui/appearance.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>

#include <cmath>

using State = Tertulia::ConnectionManager::State;

namespace Tertulia {

ConnectionBanner::ConnectionBanner(ChatClient &client, QWidget *parent)
    : QFrame(parent), m_client(client), m_message(new QLabel(this)), m_detail(new QLabel(this)),
      m_retry(new QPushButton(this)), m_signIn(new QPushButton(this)), m_certificate(new QPushButton(this)),
      m_otherServer(new QPushButton(this)),
      m_countdown(new QTimer(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 8, 6);
    auto *texts = new QVBoxLayout;
    texts->setSpacing(1);
    texts->addWidget(m_message);
    texts->addWidget(m_detail);
    layout->addLayout(texts, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_certificate);
    layout->addWidget(m_signIn);
    layout->addWidget(m_otherServer);
    m_otherServer->setAutoDefault(false);
    QFont bold = m_message->font();
    bold.setBold(true);
    m_message->setFont(bold);
    m_message->setWordWrap(true);
    m_detail->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setAutoDefault(false);
    m_signIn->setAutoDefault(false);
    m_certificate->setAutoDefault(false);

    // The countdown is recomputed from the connection's own deadline, so ticks need not be exact.
    m_countdown->setInterval(250);
    connect(m_countdown, &QTimer::timeout, this, &ConnectionBanner::refresh);
    connect(m_retry, &QPushButton::clicked, m_client.connection(), &ConnectionManager::retryNow);
    connect(m_signIn, &QPushButton::clicked, this, &ConnectionBanner::signInAgainRequested);
    connect(m_certificate, &QPushButton::clicked, this, &ConnectionBanner::certificateReviewRequested);
    connect(m_otherServer, &QPushButton::clicked, this, &ConnectionBanner::otherServerRequested);
    connect(m_client.connection(), &ConnectionManager::stateChanged, this, &ConnectionBanner::refresh);
    connect(m_client.connection(), &ConnectionManager::reconnectScheduled, this, &ConnectionBanner::refresh);
    connect(m_client.outbox(), &Outbox::unsentCountChanged, this, &ConnectionBanner::refresh);
    connect(&m_client, &ChatClient::signedIn, this, &ConnectionBanner::refresh);
    connect(&m_client, &ChatClient::signedOut, this, &ConnectionBanner::refresh);
    refresh();
}

void ConnectionBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        refresh();
    QFrame::changeEvent(event);
}

void ConnectionBanner::applyTint(const QColor &tint)
{
    // A tint of the window colour rather than a fixed colour, so it reads on light and dark palettes.
    const QPalette tinted = Appearance::tinted(parentWidget() ? parentWidget()->palette() : palette(), tint, 0.22);
    if (palette().color(QPalette::Window) != tinted.color(QPalette::Window))
        setPalette(tinted);
}

void ConnectionBanner::refresh()
{
    const ConnectionManager *connection = m_client.connection();
    const State state = connection->state();
    const bool signedIn = m_client.isSignedIn();
    if (!signedIn || state == State::Connected) {
        m_countdown->stop();
        setVisible(false);
        return;
    }

    QString message;
    QString detail;
    const int unsent = m_client.outbox()->unsentCount();
    const auto lastDisconnect = connection->lastDisconnect();
    bool canRetry = false;
    bool failed = false;
    switch (state) {
    case State::Reconnecting: {
        const qint64 ms = connection->msUntilNextAttempt();
        const qint64 seconds = qint64(std::ceil(double(std::max<qint64>(ms, 0)) / 1000.0));
        message = seconds > 0 ? tr("Reconnecting in %1 s…").arg(seconds) : tr("Reconnecting…");
        canRetry = true;
        break;
    }
    case State::Connecting: message = tr("Connecting…"); break;
    case State::Authenticating: message = tr("Signing in…"); break;
    case State::Syncing: message = tr("Catching up on missed messages…"); break;
    case State::Disconnected: message = tr("Not connected."); break;
    case State::Failed:
        message = connection->failureText();
        failed = true;
        break;
    case State::Connected: break;
    }

    const auto certificate = connection->certificateProblem();
    const bool certificateStop = failed && certificate.has_value();
    QStringList details;
    if (certificateStop)
        details << (certificate->outcome == CertificateCheck::Outcome::FirstUse
                        ? tr("Check its fingerprint with the host, then trust it to connect.")
                        : tr("This may be a new certificate of the host, or someone intercepting the connection. "
                             "Review it before accepting anything."));
    if (lastDisconnect && !failed && state != State::Syncing)
        details << UiText::sentence(tr("Last connection: %1").arg(lastDisconnect->describe()));
    if (unsent > 0 && !failed)
        details << tr("Offline: messages will be sent when the connection returns (%1 waiting).").arg(unsent);
    else if (unsent > 0)
        details << tr("Unsent messages (%1) are kept and will be sent after you sign in again.").arg(unsent);
    detail = details.join(u'\n');

    m_message->setText(message);
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
    m_retry->setText(tr("Retr&y now"));
    m_retry->setToolTip(tr("Try to connect again without waiting (F5)"));
    m_retry->setVisible(canRetry);
    m_signIn->setText(tr("Sign in &again"));
    m_signIn->setVisible(failed && !certificateStop);
    m_certificate->setText(tr("Review the cer&tificate…"));
    m_certificate->setToolTip(tr("See what the server presented, why it was stopped, and how to accept a new certificate"));
    m_certificate->setVisible(certificateStop);
    // A server that keeps not answering (a hosted chat that has stopped, an old address): the way out
    // is another server, not waiting forever.
    m_otherServer->setText(tr("&Use another server…"));
    m_otherServer->setToolTip(tr("Sign out of %1 and choose another server (unsent messages are kept)")
                                  .arg(m_client.server().id()));
    m_otherServer->setVisible((canRetry && connection->attempt() >= kOfferOtherServerAfter)
                              || (failed && !certificateStop));
    setAccessibleName(tr("Connection status"));
    setAccessibleDescription(detail.isEmpty() ? message : message + u'\n' + detail);
    applyTint(failed ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xf0, 0xa8, 0x24));

    if (state == State::Reconnecting)
        m_countdown->start();
    else
        m_countdown->stop();
    setVisible(true);
}

} // namespace Tertulia
