#pragma once

#include "app/net/autherror.h"
#include "app/net/serveraddress.h"
#include "app/net/serverlink.h"
#include "app/storage/serverlist.h"

#include <QtWidgets/QWidget>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;

namespace Tertulia {

/// The sign-in screen: the server (recent ones, ones found on the network, or typed as host:port or
/// a URL), user name, password, "remember me", Sign in / Create account, errors in plain words, and
/// "Host a chat" to start a server on this computer. It checks what it can before asking the server
/// and emits requests; the MainWindow talks to the ChatClient.
class SignInPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInPage)

public:
    explicit SignInPage(QWidget *parent = nullptr);

    void setRecentServers(const QList<ServerList::Entry> &servers);
    /// Servers found on the LAN; urlRole gives the address to connect to, DisplayRole the label.
    void setNetworkServers(QAbstractItemModel *model, int urlRole);
    void setServer(const QString &address);
    void setUser(const QString &user);
    void setHostPort(quint16 port);
    void setHostWebPage(bool enabled);
    void setHostingAvailable(bool available);

    /// While a request is out: buttons off, a line saying what is happening.
    void setBusy(bool busy, const QString &status = {});
    /// A sign-in is out (setBusy(true)).
    bool isBusy() const;
    void setHostBusy(bool busy, const QString &status = {});
    void showError(const QString &message);
    void showAuthError(const AuthError &error);
    void clearError();
    void clearPassword();
    /// Puts the cursor where the user should type next.
    void focusFirstEmpty();

    QComboBox *serverBox() const { return m_server; }
    QListView *networkList() const { return m_network; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    /// "Repeat the password": shown once Create account is chosen.
    QLineEdit *confirmEdit() const { return m_confirm; }
    QCheckBox *rememberBox() const { return m_remember; }
    QPushButton *signInButton() const { return m_signIn; }
    QPushButton *createAccountButton() const { return m_create; }
    QLabel *errorLabel() const { return m_error; }
    QSpinBox *portBox() const { return m_port; }
    QCheckBox *webPageBox() const { return m_webPage; }
    QPushButton *hostButton() const { return m_host; }

Q_SIGNALS:
    /// server may carry the certificate fingerprint to expect (a pasted link, or a chat picked under "On your
    /// network": then fromNetworkList is true).
    void signInRequested(const Tertulia::ServerLink &server, bool fromNetworkList, const QString &user,
                         const QString &password, bool remember);
    void createAccountRequested(const Tertulia::ServerLink &server, bool fromNetworkList, const QString &user,
                                const QString &password, bool remember);
    void hostRequested(quint16 port, bool webPage);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void tintError();
    void submit(bool create);
    void updateNetworkHint();
    void onRecentServerChosen(int index);

    QLabel *m_title;
    QLabel *m_subtitle;
    QLabel *m_serverLabel;
    QComboBox *m_server;
    QLabel *m_networkLabel;
    QListView *m_network;
    QLabel *m_networkHint;
    QAbstractItemModel *m_networkModel = nullptr;
    QString m_networkChoice; ///< the Server field's text as a chat picked from the network list set it
    int m_urlRole = Qt::UserRole;
    QLabel *m_userLabel;
    QLineEdit *m_user;
    QLabel *m_passwordLabel;
    QLineEdit *m_password;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QCheckBox *m_remember;
    QLabel *m_error;
    QLabel *m_status;
    QPushButton *m_signIn;
    QPushButton *m_create;
    QGroupBox *m_hostGroup;
    QLabel *m_hostIntro;
    QLabel *m_portLabel;
    QSpinBox *m_port;
    QCheckBox *m_webPage;
    QPushButton *m_host;
    QLabel *m_hostStatus;
    bool m_hostingAvailable = true;
};

} // namespace Tertulia
