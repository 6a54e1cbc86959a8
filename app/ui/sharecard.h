#pragma once

#include <QtCore/QUrl>
#include <QtWidgets/QDialog>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace Tertulia {

class HostController;
class QrCodeWidget;

/// "People can join your chat": shown while hosting. Every address of this machine as an https:// link
/// carrying the certificate's fingerprint, with a Copy button; the fingerprint itself, to compare by eye;
/// what a browser's certificate warning means (when "join from a browser" is on); the unencrypted
/// addresses, clearly marked, only when the host turned them on; the QR code of the preferred link; how
/// many people are online, and Stop hosting (the window asks first when people are connected).
class ShareCard final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShareCard)

public:
    explicit ShareCard(HostController &host, QWidget *parent = nullptr);

    /// Re-reads addresses (interfaces come and go) and the number of people online.
    void refresh();

    QrCodeWidget *qrCode() const { return m_qr; }
    QList<QUrl> addresses() const { return m_addresses; }
    QList<QUrl> plainAddresses() const { return m_plainAddresses; }
    QLabel *onlineLabel() const { return m_online; }
    QLabel *fingerprintLabel() const { return m_fingerprint; }
    QLabel *browserNoteLabel() const { return m_browserNote; }
    QLabel *plainWarningLabel() const { return m_plainWarning; }
    QLabel *qrCaptionLabel() const { return m_qrCaption; }
    QPushButton *stopButton() const { return m_stop; }
    /// The Copy button of the address at this position.
    QPushButton *copyButton(int index) const;

Q_SIGNALS:
    void stopRequested();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslate();
    void rebuildAddresses();
    void addRows(QVBoxLayout *rows, const QList<QUrl> &urls);

    HostController &m_host;
    QList<QUrl> m_addresses;
    QList<QUrl> m_plainAddresses;
    QLabel *m_title;
    QLabel *m_intro;
    QVBoxLayout *m_addressRows;
    QList<QPushButton *> m_copyButtons;
    QLabel *m_fingerprintTitle;
    QLabel *m_fingerprint;
    QLabel *m_fingerprintHint;
    QLabel *m_browserNote;
    QLabel *m_plainWarning;
    QVBoxLayout *m_plainRows;
    QLabel *m_noAddress;
    QrCodeWidget *m_qr;
    QLabel *m_qrCaption;
    QLabel *m_online;
    QLabel *m_copied;
    QPushButton *m_stop;
    QPushButton *m_close;
};

} // namespace Tertulia
