#include "app/ui/sharecard.h"

#include "app/hosting/hostcontroller.h"
#include "app/ui/appearance.h"
#include "app/ui/qrcodewidget.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtGui/QClipboard>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

ShareCard::ShareCard(HostController &host, QWidget *parent)
    : QDialog(parent), m_host(host), m_title(new QLabel(this)), m_intro(new QLabel(this)),
      m_addressRows(new QVBoxLayout), m_fingerprintTitle(new QLabel(this)), m_fingerprint(new QLabel(this)),
      m_fingerprintHint(new QLabel(this)), m_browserNote(new QLabel(this)), m_plainWarning(new QLabel(this)),
      m_plainRows(new QVBoxLayout), m_noAddress(new QLabel(this)), m_qr(new QrCodeWidget(this)),
      m_qrCaption(new QLabel(this)), m_online(new QLabel(this)), m_copied(new QLabel(this)),
      m_stop(new QPushButton(this)), m_close(new QPushButton(this))
{
    setObjectName(u"shareCard"_s);
    setMinimumWidth(760);
    auto *layout = new QHBoxLayout(this);
    auto *left = new QVBoxLayout;
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_intro->setWordWrap(true);
    left->addWidget(m_title);
    left->addWidget(m_intro);
    left->addLayout(m_addressRows);
    m_noAddress->setWordWrap(true);
    left->addWidget(m_noAddress);
    // The fingerprint people compare by eye (browsers show it as colon-separated hex, too).
    QFont bold = m_fingerprintTitle->font();
    bold.setBold(true);
    m_fingerprintTitle->setFont(bold);
    left->addSpacing(6);
    left->addWidget(m_fingerprintTitle);
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fingerprint->setFrameShape(QFrame::StyledPanel);
    m_fingerprint->setMargin(6);
    left->addWidget(m_fingerprint);
    for (QLabel *label : {m_fingerprintHint, m_browserNote, m_plainWarning})
        label->setWordWrap(true);
    left->addWidget(m_fingerprintHint);
    left->addWidget(m_browserNote);
    // The unencrypted addresses stand apart, on a red tint, and only when the host turned them on.
    m_plainWarning->setAutoFillBackground(true);
    m_plainWarning->setMargin(6);
    m_plainWarning->setPalette(Appearance::tinted(palette(), QColor(0xd3, 0x2f, 0x2f), 0.18));
    left->addSpacing(6);
    left->addWidget(m_plainWarning);
    left->addLayout(m_plainRows);
    QFont onlineFont = m_online->font();
    onlineFont.setBold(true);
    m_online->setFont(onlineFont);
    left->addWidget(m_online);
    left->addWidget(m_copied);
    left->addStretch(1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    left->addLayout(buttons);
    layout->addLayout(left, 1);

    auto *right = new QVBoxLayout;
    m_qr->setFixedSize(220, 220);
    right->addWidget(m_qr, 0, Qt::AlignHCenter);
    m_qrCaption->setWordWrap(true);
    m_qrCaption->setAlignment(Qt::AlignHCenter);
    m_qrCaption->setMaximumWidth(220);
    right->addWidget(m_qrCaption);
    right->addStretch(1);
    layout->addLayout(right);

    m_stop->setAutoDefault(false);
    m_close->setDefault(true);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_stop, &QPushButton::clicked, this, &ShareCard::stopRequested);
    connect(&m_host, &HostController::onlineUsersChanged, this, &ShareCard::refresh);
    connect(&m_host, &HostController::started, this, &ShareCard::refresh);
    connect(&m_host, &HostController::stopped, this, &ShareCard::refresh);
    retranslate();
}

void ShareCard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ShareCard::showEvent(QShowEvent *event)
{
    refresh();
    QDialog::showEvent(event);
}

QPushButton *ShareCard::copyButton(int index) const { return m_copyButtons.value(index); }

void ShareCard::retranslate()
{
    setWindowTitle(tr("Share your chat"));
    m_stop->setText(tr("&Stop hosting"));
    m_close->setText(tr("&Close"));
    m_noAddress->setText(tr("This computer is not connected to a network, so nobody else can join yet."));
    m_fingerprintTitle->setText(tr("Certificate fingerprint (SHA-256)"));
    m_fingerprint->setAccessibleName(tr("Certificate fingerprint"));
    m_fingerprintHint->setText(tr("The links and the QR code carry it, so Tertulia checks it by itself. Someone "
                                  "who types the address by hand is asked to compare it with this."));
    m_browserNote->setText(tr("Browsers will warn that the connection is not private: this chat made its own "
                              "certificate, and no authority vouches for it. The connection is still encrypted. "
                              "Guests who want to be sure can open the certificate details from the warning (or "
                              "the address bar) and compare its SHA-256 fingerprint with the one above, then "
                              "continue to the site."));
    m_plainWarning->setText(tr("<b>Unencrypted addresses</b> (you turned them on in Preferences): anyone on this "
                               "network can read what is sent over them, passwords included. Use them only "
                               "where a browser refuses the encrypted ones."));
    m_plainWarning->setTextFormat(Qt::RichText);
    rebuildAddresses();
    refresh();
}

void ShareCard::refresh()
{
    const QList<QUrl> addresses = m_host.shareAddresses();
    const QList<QUrl> plain = m_host.plainAddresses();
    if (addresses != m_addresses || plain != m_plainAddresses) {
        m_addresses = addresses;
        m_plainAddresses = plain;
        rebuildAddresses();
    }
    const bool webPage = m_host.options().webPage;
    m_title->setText(m_host.isRunning() ? tr("“%1” is open").arg(m_host.serverName()) : tr("Hosting has stopped"));
    m_intro->setText(webPage ? tr("Encrypted. People on your network can open one of these links in a web browser, "
                                  "or paste it into Tertulia's Server field:")
                             : tr("Encrypted. People on your network can pick your chat under “On your network”, "
                                  "or paste one of these links into Tertulia's Server field:"));
    m_fingerprint->setText(m_host.isRunning() ? m_host.fingerprint().toHexLines() : QString());
    m_fingerprintTitle->setVisible(m_host.isRunning());
    m_fingerprint->setVisible(m_host.isRunning());
    m_fingerprintHint->setVisible(m_host.isRunning());
    m_browserNote->setVisible(m_host.isRunning() && webPage);
    m_plainWarning->setVisible(m_host.isRunning() && !m_plainAddresses.isEmpty());
    const QUrl preferred = m_host.preferredAddress();
    // A QR code is for a phone's browser: without the browser page its link would only answer
    // "not found", so there is none, and the caption says how to get one.
    const bool showQr = webPage && !preferred.isEmpty();
    m_qr->setText(showQr ? preferred.toString() : QString());
    m_qr->setVisible(showQr);
    const QString shown = preferred.toString(QUrl::RemoveFragment);
    m_qrCaption->setText(preferred.isEmpty() ? QString()
                         : showQr ? tr("Scan with a phone to join from its browser: %1 (the link also carries the "
                                       "certificate's fingerprint)").arg(shown)
                                  : tr("No QR code: phones would need the browser page. Host with “Let people join "
                                       "from a browser” to get one."));
    m_noAddress->setVisible(m_host.isRunning() && m_addresses.isEmpty());
    // onlineUsers() counts the host too.
    const int others = std::max(0, m_host.onlineUsers() - 1);
    m_online->setText(!m_host.isRunning() ? QString()
                      : others == 0       ? tr("Nobody else is connected yet.")
                      : others == 1       ? tr("1 other person is connected.")
                                          : tr("%1 other people are connected.").arg(others));
    m_stop->setEnabled(m_host.isRunning());
}

void ShareCard::rebuildAddresses()
{
    for (QVBoxLayout *rows : {m_addressRows, m_plainRows}) {
        while (QLayoutItem *item = rows->takeAt(0)) {
            if (QLayout *row = item->layout()) {
                while (QLayoutItem *child = row->takeAt(0)) {
                    delete child->widget();
                    delete child;
                }
            }
            delete item;
        }
    }
    m_copyButtons.clear();
    addRows(m_addressRows, m_addresses);
    addRows(m_plainRows, m_plainAddresses);
}

void ShareCard::addRows(QVBoxLayout *rows, const QList<QUrl> &urls)
{
    for (const QUrl &url : urls) {
        auto *row = new QHBoxLayout;
        auto *field = new QLineEdit(url.toString(), this);
        field->setReadOnly(true);
        field->setCursorPosition(0); // the address part in view; the fingerprint follows
        field->setAccessibleName(url.scheme() == u"http"_s ? tr("Unencrypted address") : tr("Address"));
        field->setToolTip(url.toString());
        auto *copy = new QPushButton(tr("Copy"), this);
        copy->setAutoDefault(false);
        copy->setAccessibleName(tr("Copy %1").arg(url.toString()));
        connect(copy, &QPushButton::clicked, this, [this, url] {
            QGuiApplication::clipboard()->setText(url.toString());
            m_copied->setText(tr("Copied %1").arg(url.toString(QUrl::RemoveFragment)));
            QTimer::singleShot(3000, m_copied, &QLabel::clear);
        });
        row->addWidget(field, 1);
        row->addWidget(copy);
        rows->addLayout(row);
        m_copyButtons.append(copy);
    }
}

} // namespace Tertulia
