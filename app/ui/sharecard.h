#pragma once

#include <QtCore/QUrl>
#include <QtWidgets/QDialog>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace Tertulia {

class HostController;
class QrCodeWidget;

/// "People can join your chat": shown while hosting. Every address of this machine with a Copy
/// button, the QR code of the preferred one (the browser page when "join from a browser" is on), how
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
    QLabel *onlineLabel() const { return m_online; }
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

    HostController &m_host;
    QList<QUrl> m_addresses;
    QLabel *m_title;
    QLabel *m_intro;
    QVBoxLayout *m_addressRows;
    QList<QPushButton *> m_copyButtons;
    QLabel *m_noAddress;
    QrCodeWidget *m_qr;
    QLabel *m_qrCaption;
    QLabel *m_online;
    QLabel *m_copied;
    QPushButton *m_stop;
    QPushButton *m_close;
};

} // namespace Tertulia
