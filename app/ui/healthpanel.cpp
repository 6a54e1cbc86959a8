#include "app/ui/healthpanel.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "app/ui/rttchart.h"
#include "app/ui/uitext.h"
#include "shared/version.h"

#include <QtCore/QEvent>
#include <QtCore/QLocale>
#include <QtCore/QSysInfo>
#include <QtCore/QTimer>
#include <QtGui/QClipboard>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QStyle>

using namespace Qt::StringLiterals;
using State = Tertulia::ConnectionManager::State;

namespace Tertulia {

namespace {
constexpr HealthPanel::Field kFields[] = {
    HealthPanel::Field::State,      HealthPanel::Field::Server,        HealthPanel::Field::Address,
    HealthPanel::Field::Encryption, HealthPanel::Field::Identity,      HealthPanel::Field::Fingerprint,
    HealthPanel::Field::RttCurrent, HealthPanel::Field::RttMean,
    HealthPanel::Field::RttDeviation, HealthPanel::Field::Samples,     HealthPanel::Field::Reconnects,
    HealthPanel::Field::LastDisconnect, HealthPanel::Field::Messages,  HealthPanel::Field::Frames,
    HealthPanel::Field::Traffic,
    HealthPanel::Field::Outbox,     HealthPanel::Field::LastResume,
};
} // namespace

HealthPanel::HealthPanel(ChatClient &client, QWidget *parent)
    : QDockWidget(parent), m_client(client), m_form(new QFormLayout), m_chartTitle(new QLabel),
      m_chart(new RttChart), m_copy(new QPushButton), m_copied(new QLabel), m_timer(new QTimer(this))
{
    setObjectName(u"healthPanel"_s);
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    setMinimumWidth(220);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    for (const Field field : kFields) {
        auto *name = new QLabel;
        auto *value = new QLabel;
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        value->setFocusPolicy(Qt::NoFocus);
        name->setBuddy(value);
        if (field == Field::Fingerprint)
            value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_labels.insert(field, name);
        m_values.insert(field, value);
        m_form->addRow(name, value);
    }
    layout->addLayout(m_form);
    QFont bold = m_chartTitle->font();
    bold.setBold(true);
    m_chartTitle->setFont(bold);
    layout->addWidget(m_chartTitle);
    layout->addWidget(m_chart);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_copied, 1);
    layout->addLayout(buttons);
    layout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    setWidget(scroll);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(diagnostics());
        m_copied->setText(tr("Copied."));
        QTimer::singleShot(3000, m_copied, &QLabel::clear);
    });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &HealthPanel::refresh);
    connect(m_client.connection(), &ConnectionManager::stateChanged, this, [this] {
        if (isVisible())
            refresh();
    });
    retranslate();
}

QString HealthPanel::label(Field field) const
{
    switch (field) {
    case Field::State: return tr("State:");
    case Field::Server: return tr("Server:");
    case Field::Address: return tr("Address:");
    case Field::Encryption: return tr("Encryption:");
    case Field::Identity: return tr("Server identity:");
    case Field::Fingerprint: return tr("Certificate:");
    case Field::RttCurrent: return tr("Round trip now:");
    case Field::RttMean: return tr("Round trip mean:");
    case Field::RttDeviation: return tr("Deviation:");
    case Field::Samples: return tr("Measurements:");
    case Field::Reconnects: return tr("Reconnects:");
    case Field::LastDisconnect: return tr("Last disconnect:");
    case Field::Messages: return tr("Messages in / out:");
    case Field::Frames: return tr("Frames in / out:");
    case Field::Traffic: return tr("Data in / out:");
    case Field::Outbox: return tr("Waiting to send:");
    case Field::LastResume: return tr("Last resume:");
    }
    return {};
}

void HealthPanel::retranslate()
{
    setWindowTitle(tr("Connection health"));
    for (const Field field : kFields) {
        m_labels.value(field)->setText(label(field));
        m_values.value(field)->setAccessibleName(label(field).chopped(1));
    }
    m_chartTitle->setText(tr("Round-trip time"));
    m_copy->setText(tr("Copy dia&gnostics"));
    m_copy->setToolTip(tr("Copy these measurements as text, to paste into a bug report"));
    refresh();
}

void HealthPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDockWidget::changeEvent(event);
}

int HealthPanel::sideBySideMinWidth() const
{
    int widestName = 0;
    for (const QLabel *name : m_labels)
        widestName = std::max(widestName, name->sizeHint().width());
    const int margins = 2 * style()->pixelMetric(QStyle::PM_LayoutLeftMargin) + std::max(0, m_form->horizontalSpacing())
                        + style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    return widestName + margins + fontMetrics().averageCharWidth() * kMinValueChars;
}

void HealthPanel::resizeEvent(QResizeEvent *event)
{
    QDockWidget::resizeEvent(event);
    // Side by side in a narrow dock (or at 2×) left the values a character wide: below a width where
    // both fit, each value takes the whole width under its name.
    const auto policy = width() < sideBySideMinWidth() ? QFormLayout::WrapAllRows : QFormLayout::DontWrapRows;
    if (m_form->rowWrapPolicy() != policy)
        m_form->setRowWrapPolicy(policy);
}

void HealthPanel::showEvent(QShowEvent *event)
{
    refresh();
    m_timer->start();
    QDockWidget::showEvent(event);
}

void HealthPanel::hideEvent(QHideEvent *event)
{
    m_timer->stop();
    QDockWidget::hideEvent(event);
}

QString HealthPanel::value(Field field) const { return m_values.value(field)->text(); }

void HealthPanel::refresh()
{
    const ConnectionHealth *health = m_client.health();
    const ConnectionManager *connection = m_client.connection();
    const QLocale locale;
    const auto set = [this](Field field, const QString &text) { m_values.value(field)->setText(text); };
    const QString none = tr("–");

    QString state = ConnectionManager::stateName(connection->state());
    if (connection->state() == State::Reconnecting)
        state = tr("%1 (attempt %2)").arg(state).arg(connection->attempt());
    else if (connection->state() == State::Failed)
        state = tr("%1: %2").arg(state, connection->failureText());
    set(Field::State, state);

    const auto server = health->serverInfo();
    set(Field::Server, server.name.isEmpty() ? none : tr("%1 (version %2)").arg(server.name, server.version));
    set(Field::Address, m_client.isSignedIn() ? m_client.server().webSocketUrl().toString() : none);
    const TlsInfo tls = health->tls();
    const auto blocked = connection->certificateProblem();
    if (blocked && connection->state() == State::Failed) {
        set(Field::Encryption, tr("Not connected: stopped during the TLS handshake, nothing was sent"));
        set(Field::Identity, blocked->summary());
        set(Field::Fingerprint, tr("Presented (SHA-256):") + u'\n' + blocked->presented.toHexLines(8));
    } else if (tls.isEncrypted()) {
        //: %1 is the TLS version (TLSv1.3), %2 the cipher suite.
        set(Field::Encryption, tr("%1, %2").arg(tls.protocol, tls.cipher));
        switch (tls.verification) {
        case TlsInfo::Verification::Pinned:
            //: %1 says where the pin came from ("trusted when you first connected"), %2 when.
            set(Field::Identity, tls.pinnedSince.isValid()
                                     ? tr("Pinned certificate: %1, since %2")
                                           .arg(describePinSource(tls.pinSource.value_or(PinSource::FirstUse)),
                                                UiText::dateTime(tls.pinnedSince))
                                     : tr("Pinned certificate: %1").arg(describePinSource(tls.pinSource.value_or(PinSource::FirstUse))));
            break;
        case TlsInfo::Verification::CaVerified:
            set(Field::Identity, tr("Verified by a certificate authority (%1)").arg(tls.issuer.isEmpty() ? tr("unnamed") : tls.issuer));
            break;
        case TlsInfo::Verification::None:
            set(Field::Identity, tr("Checked by the system's certificate authorities"));
            break;
        }
        //: What the certificate's fingerprint is; the value follows on the next lines.
        set(Field::Fingerprint, tr("SHA-256 fingerprint:") + u'\n' + tls.fingerprint.toHexLines(8));
    } else {
        set(Field::Encryption, connection->isAuthenticated()
                                   ? tr("None: plain ws://, anyone on the network can read this connection")
                                   : none);
        set(Field::Identity, none);
        set(Field::Fingerprint, none);
    }
    set(Field::RttCurrent, UiText::milliseconds(health->currentRtt()));
    set(Field::RttMean, UiText::milliseconds(health->meanRtt()));
    set(Field::RttDeviation, UiText::milliseconds(health->rttDeviation()));
    const auto history = health->rttHistory();
    set(Field::Samples, locale.toString(history.size()));
    set(Field::Reconnects, locale.toString(health->reconnectCount()));
    if (const auto last = health->lastDisconnect()) {
        set(Field::LastDisconnect, tr("%1 (%2)").arg(last->describe(), UiText::dateTime(health->lastDisconnectAt())));
    } else {
        set(Field::LastDisconnect, tr("None"));
    }
    set(Field::Messages,
        tr("%1 / %2").arg(locale.toString(health->messagesReceived()), locale.toString(health->messagesSent())));
    set(Field::Frames, tr("%1 / %2").arg(locale.toString(health->framesIn()), locale.toString(health->framesOut())));
    set(Field::Traffic, tr("%1 / %2").arg(UiText::bytes(health->bytesIn()), UiText::bytes(health->bytesOut())));
    set(Field::Outbox, locale.toString(health->outboxLength()));
    if (const auto resume = health->lastResume()) {
        set(Field::LastResume,
            resume->recovered()
                ? tr("Complete (rooms: %1, missed messages replayed: %2)").arg(resume->rooms).arg(resume->replayed)
                : tr("Incomplete (rooms with a gap: %1 of %2; replayed: %3, paged in: %4)")
                      .arg(resume->roomsWithGap).arg(resume->rooms).arg(resume->replayed).arg(resume->pagedIn));
    } else {
        set(Field::LastResume, tr("None yet"));
    }
    m_chart->setSamples(history, health->meanRtt(), health->historyWindow(), QDateTime::currentDateTime());
}

QString HealthPanel::diagnostics() const
{
    QStringList lines;
    lines << tr("Tertulia %1, Qt %2, %3").arg(versionString(), QString::fromLatin1(qVersion()), QSysInfo::prettyProductName());
    lines << tr("state: %1").arg(ConnectionManager::stateName(m_client.connection()->state()));
    if (m_client.isSignedIn())
        lines << tr("address: %1").arg(m_client.server().webSocketUrl().toString());
    lines << m_client.health()->diagnostics();
    return lines.join(u'\n');
}

} // namespace Tertulia
