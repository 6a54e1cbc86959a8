#include "app/ui/sharecard.h"

#include "app/hosting/hostcontroller.h"
#include "app/ui/qrcodewidget.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

ShareCard::ShareCard(HostController &host, QWidget *parent)
    : QDialog(parent), m_host(host), m_title(new QLabel(this)), m_intro(new QLabel(this)),
      m_addressRows(new QVBoxLayout), m_noAddress(new QLabel(this)), m_qr(new QrCodeWidget(this)),
      m_qrCaption(new QLabel(this)), m_online(new QLabel(this)), m_copied(new QLabel(this)),
      m_stop(new QPushButton(this)), m_close(new QPushButton(this))
{
    setObjectName(u"shareCard"_s);
    setMinimumWidth(600);
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
    rebuildAddresses();
    refresh();
}

void ShareCard::refresh()
{
    const QList<QUrl> addresses = m_host.shareAddresses();
    if (addresses != m_addresses) {
        m_addresses = addresses;
        rebuildAddresses();
    }
    const bool webPage = m_host.options().webPage;
    m_title->setText(m_host.isRunning() ? tr("“%1” is open").arg(m_host.serverName()) : tr("Hosting has stopped"));
    m_intro->setText(webPage ? tr("People on your network can open one of these addresses in a web browser, or "
                                  "type it in Tertulia's Server field:")
                             : tr("People on your network can type one of these addresses in Tertulia's Server "
                                  "field, or pick your chat under “On your network”:"));
    const QUrl preferred = m_host.preferredAddress();
    m_qr->setText(preferred.isEmpty() ? QString() : preferred.toString());
    m_qr->setVisible(!preferred.isEmpty());
    m_qrCaption->setText(preferred.isEmpty() ? QString()
                         : webPage ? tr("Scan with a phone to join from its browser: %1").arg(preferred.toString())
                                   : tr("The address as a QR code: %1").arg(preferred.toString()));
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
    while (QLayoutItem *item = m_addressRows->takeAt(0)) {
        if (QLayout *row = item->layout()) {
            while (QLayoutItem *child = row->takeAt(0)) {
                delete child->widget();
                delete child;
            }
        }
        delete item;
    }
    m_copyButtons.clear();
    for (const QUrl &url : std::as_const(m_addresses)) {
        auto *row = new QHBoxLayout;
        auto *field = new QLineEdit(url.toString(), this);
        field->setReadOnly(true);
        field->setAccessibleName(tr("Address"));
        auto *copy = new QPushButton(tr("Copy"), this);
        copy->setAutoDefault(false);
        copy->setAccessibleName(tr("Copy %1").arg(url.toString()));
        connect(copy, &QPushButton::clicked, this, [this, url] {
            QGuiApplication::clipboard()->setText(url.toString());
            m_copied->setText(tr("Copied %1").arg(url.toString()));
            QTimer::singleShot(3000, m_copied, &QLabel::clear);
        });
        row->addWidget(field, 1);
        row->addWidget(copy);
        m_addressRows->addLayout(row);
        m_copyButtons.append(copy);
    }
}

} // namespace Tertulia
