#include "app/ui/certificatedialog.h"

#include "app/ui/appearance.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QApplication>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
QLabel *fingerprintBox(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setFrameShape(QFrame::StyledPanel);
    label->setMargin(6);
    return label;
}
} // namespace

CertificateDialog::CertificateDialog(const CertificateCheck &check, QWidget *parent)
    : QDialog(parent), m_check(check), m_icon(new QLabel(this)), m_heading(new QLabel(this)),
      m_explanation(new QLabel(this)), m_fingerprintTitle(new QLabel(this)), m_fingerprint(fingerprintBox(this)),
      m_previousTitle(new QLabel(this)), m_previous(fingerprintBox(this)), m_howTo(new QLabel(this)),
      m_details(new QLabel(this)), m_compared(new QCheckBox(this)), m_trust(new QPushButton(this)),
      m_cancel(new QPushButton(this))
{
    setObjectName(isMismatch() ? u"certificateChangedDialog"_s : u"certificateFirstUseDialog"_s);
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    const QStyle::StandardPixmap icon = isMismatch() ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxQuestion;
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(48, 48));
    m_icon->setAlignment(Qt::AlignTop);
    top->addWidget(m_icon);
    auto *texts = new QVBoxLayout;
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_heading->setFont(headingFont);
    for (QLabel *label : {m_heading, m_explanation, m_howTo, m_details})
        label->setWordWrap(true);
    m_explanation->setTextFormat(Qt::RichText);
    m_howTo->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    texts->addWidget(m_heading);
    texts->addWidget(m_explanation);
    texts->addSpacing(4);
    texts->addWidget(m_previousTitle);
    texts->addWidget(m_previous);
    texts->addWidget(m_fingerprintTitle);
    texts->addWidget(m_fingerprint);
    texts->addWidget(m_howTo);
    texts->addWidget(m_details);
    texts->addWidget(m_compared);
    top->addLayout(texts, 1);
    layout->addLayout(top);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_trust, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    connect(m_trust, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);

    // After a change the safe answer is the easy one: Enter keeps it blocked, and accepting the new
    // certificate needs the tick first.
    const bool mismatch = isMismatch();
    m_previousTitle->setVisible(mismatch);
    m_previous->setVisible(mismatch);
    m_compared->setVisible(mismatch);
    m_trust->setEnabled(!mismatch);
    connect(m_compared, &QCheckBox::toggled, m_trust, &QPushButton::setEnabled);
    m_trust->setAutoDefault(false);
    m_cancel->setAutoDefault(false);
    (mismatch ? m_cancel : m_trust)->setDefault(true);
    if (mismatch) {
        m_explanation->setAutoFillBackground(true);
        m_explanation->setMargin(8);
        m_explanation->setPalette(Appearance::tinted(palette(), QColor(0xd3, 0x2f, 0x2f), 0.18));
    }
    retranslate();
}

void CertificateDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void CertificateDialog::retranslate()
{
    const QString server = m_check.server.toHtmlEscaped();
    m_fingerprint->setText(m_check.presented.toHexLines());
    m_fingerprint->setAccessibleName(tr("Fingerprint of the certificate presented now"));
    const QStringList cn = m_check.certificate.subjectInfo(QSslCertificate::CommonName);
    const QStringList issuer = m_check.certificate.issuerInfo(QSslCertificate::CommonName);
    QStringList details;
    details << tr("Certificate: %1, issued by %2").arg(cn.isEmpty() ? tr("no name") : cn.join(u", "_s),
                                                      issuer.isEmpty() ? tr("no name") : issuer.join(u", "_s));
    if (!m_check.certificate.isNull())
        details << tr("Valid from %1 until %2")
                       .arg(UiText::dateTime(m_check.certificate.effectiveDate()), UiText::dateTime(m_check.certificate.expiryDate()));
    if (!m_check.errors.isEmpty())
        details << tr("What the system's check said: %1").arg(m_check.errors.join(u"; "_s));
    m_details->setText(details.join(u'\n'));

    if (!isMismatch()) {
        setWindowTitle(tr("Check this chat's certificate"));
        m_heading->setText(tr("First connection to %1").arg(m_check.server));
        m_explanation->setText(
            tr("<p>This server proves who it is with a certificate that no certificate authority vouches for. That "
               "is normal for a chat someone hosts on their own computer, but it means Tertulia cannot tell by "
               "itself that it is talking to that computer and not to someone else on the network.</p>"
               "<p><b>Nothing has been sent to it yet.</b></p>"));
        m_fingerprintTitle->setText(tr("Its fingerprint (SHA-256):"));
        m_howTo->setText(tr("<p>Compare it with the fingerprint on the host's screen (<i>Share your chat</i>), or ask "
                            "the host to read out the first groups. If they match, trust it: Tertulia remembers it for "
                            "%1 and warns you if it ever changes.</p><p>Next time, use the host's link or QR code, or "
                            "pick the chat under “On your network”: they carry the fingerprint, so there is nothing "
                            "to compare.</p>").arg(server));
        m_trust->setText(tr("&Trust and connect"));
        m_cancel->setText(tr("Cancel"));
        return;
    }

    setWindowTitle(tr("The certificate has changed"));
    const bool pinned = m_check.pin.has_value();
    m_heading->setText(pinned ? tr("%1 is not the server Tertulia knows").arg(m_check.server)
                              : tr("%1 is not the server that was announced").arg(m_check.server));
    m_explanation->setText(
        (pinned ? tr("<p>The server at this address presented a different certificate from the one Tertulia "
                     "trusts for it, so the connection was stopped.</p>")
                : tr("<p>The server at this address presented a different certificate from the one named by the "
                     "link, QR code or network announcement you used, so the connection was stopped.</p>"))
        + tr("<p><b>Nothing was sent to it: not your password and not your sign-in.</b></p>"
             "<p>What may have happened:</p><ul>"
             "<li>The host moved the chat to another computer, reinstalled Tertulia or deleted its profile, and the "
             "chat made a new certificate.</li>"
             "<li>Another device now has this address (the network gave it to someone else).</li>"
             "<li>Someone on the network is trying to intercept the connection.</li></ul>"));
    const CertificateFingerprint before = pinned ? m_check.pin->fingerprint : m_check.expected.value_or(CertificateFingerprint());
    m_previousTitle->setText(pinned ? tr("Trusted until now (SHA-256):") : tr("Announced for it (SHA-256):"));
    m_previous->setText(before.toHexLines());
    m_previous->setAccessibleName(m_previousTitle->text());
    m_fingerprintTitle->setText(tr("Presented now (SHA-256):"));
    m_howTo->setText(tr("<p><b>To accept a legitimately new certificate:</b> ask the host to open <i>Share your "
                        "chat</i> and read you the fingerprint shown there, or check it on their screen. Only if it "
                        "is exactly the one presented now, tick the box and accept it. If in doubt, keep it blocked "
                        "and try again later, or from another network.</p>"));
    m_compared->setText(tr("I &compared the new fingerprint with the host's, and it is the same"));
    m_trust->setText(tr("&Accept the new certificate"));
    m_cancel->setText(tr("&Keep blocked"));
}

} // namespace Tertulia
