#pragma once

#include <QtWidgets/QFrame>

class QLabel;
class QPushButton;
class QTimer;

namespace Tertulia {

class ChatClient;

/// The strip above the timeline whenever the connection is not up: what is happening in plain
/// words ("Reconnecting in 4 s…"), why the last connection ended, whether unsent messages wait in
/// the outbox ("Offline: messages will be sent when the connection returns"), and the one action that
/// helps ("Retry now", or "Sign in again" when only the user can fix it). Hidden while connected.
class ConnectionBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBanner)

public:
    explicit ConnectionBanner(ChatClient &client, QWidget *parent = nullptr);

    QLabel *messageLabel() const { return m_message; }
    QLabel *detailLabel() const { return m_detail; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *signInButton() const { return m_signIn; }
    QPushButton *certificateButton() const { return m_certificate; }
    /// "Use another server…": offered while a server keeps not answering.
    QPushButton *otherServerButton() const { return m_otherServer; }
    /// Failed attempts after which another server is offered.
    static constexpr int kOfferOtherServerAfter = 2;

Q_SIGNALS:
    /// The connection failed for good (bad credentials, revoked, ...): the user wants the sign-in screen.
    void signInAgainRequested();
    /// The connection stopped at the server's certificate: the user wants to see it (and maybe accept it).
    void certificateReviewRequested();
    /// The person gives up on this server for now and wants to choose another one.
    void otherServerRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void applyTint(const QColor &tint);

    ChatClient &m_client;
    QLabel *m_message;
    QLabel *m_detail;
    QPushButton *m_retry;
    QPushButton *m_signIn;
    QPushButton *m_certificate;
    QPushButton *m_otherServer;
    QTimer *m_countdown;
};

} // namespace Tertulia
