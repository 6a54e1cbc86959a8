#pragma once

#include "app/net/certificatecheck.h"

#include <QtWidgets/QDialog>

class QCheckBox;
class QLabel;
class QPushButton;

namespace Tertulia {

/// What to do about a certificate the app stopped at, before anything was sent. Two faces:
/// - first use (nobody vouches for it: a chat hosted on someone's computer, a self-signed server): the
///   fingerprint to compare with the host's screen, and "Trust and connect";
/// - mismatch (not the pinned or announced certificate): what may have happened, that nothing was sent,
///   both fingerprints, and how to accept a legitimately new certificate. Accepting needs a tick that says
///   the person compared the fingerprint with the host; "Keep blocked" is the default button.
/// accept() means "pin it" (ChatClient::trustCertificate), reject() leaves everything as it is.
class CertificateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateDialog)

public:
    explicit CertificateDialog(const CertificateCheck &check, QWidget *parent = nullptr);

    const CertificateCheck &check() const { return m_check; }
    bool isMismatch() const { return m_check.outcome == CertificateCheck::Outcome::Mismatch; }

    QLabel *headingLabel() const { return m_heading; }
    QLabel *explanationLabel() const { return m_explanation; }
    QLabel *fingerprintLabel() const { return m_fingerprint; }
    QLabel *previousLabel() const { return m_previous; }
    QLabel *detailsLabel() const { return m_details; }
    QCheckBox *comparedBox() const { return m_compared; }
    QPushButton *trustButton() const { return m_trust; }
    QPushButton *cancelButton() const { return m_cancel; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    CertificateCheck m_check;
    QLabel *m_icon;
    QLabel *m_heading;
    QLabel *m_explanation;
    QLabel *m_fingerprintTitle;
    QLabel *m_fingerprint;
    QLabel *m_previousTitle;
    QLabel *m_previous;
    QLabel *m_howTo;
    QLabel *m_details;
    QCheckBox *m_compared;
    QPushButton *m_trust;
    QPushButton *m_cancel;
};

} // namespace Tertulia
