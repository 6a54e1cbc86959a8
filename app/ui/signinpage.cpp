#include "app/ui/signinpage.h"

#include "app/ui/appearance.h"
#include "app/ui/icons.h"
#include "shared/names.h"

#include <QtCore/QEvent>
#include <QtCore/QAbstractItemModel>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSpinBox>

using namespace Qt::StringLiterals;

namespace Tertulia {

SignInPage::SignInPage(QWidget *parent)
    : QWidget(parent), m_title(new QLabel), m_subtitle(new QLabel), m_serverLabel(new QLabel), m_server(new QComboBox),
      m_networkLabel(new QLabel), m_network(new QListView), m_networkHint(new QLabel), m_userLabel(new QLabel),
      m_user(new QLineEdit), m_passwordLabel(new QLabel), m_password(new QLineEdit), m_confirmLabel(new QLabel),
      m_confirm(new QLineEdit), m_remember(new QCheckBox),
      m_error(new QLabel), m_status(new QLabel), m_signIn(new QPushButton), m_create(new QPushButton),
      m_hostGroup(new QGroupBox), m_hostIntro(new QLabel), m_portLabel(new QLabel), m_port(new QSpinBox),
      m_webPage(new QCheckBox), m_host(new QPushButton), m_hostStatus(new QLabel)
{
    auto *card = new QWidget;
    card->setMaximumWidth(500);
    auto *layout = new QVBoxLayout(card);
    layout->setSpacing(10);

    auto *header = new QHBoxLayout;
    auto *logo = new QLabel;
    logo->setPixmap(Icons::app().pixmap(QSize(48, 48), devicePixelRatioF()));
    header->addWidget(logo);
    auto *titles = new QVBoxLayout;
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_subtitle->setWordWrap(true);
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    header->addLayout(titles, 1);
    layout->addLayout(header);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_server->setEditable(true);
    m_server->setInsertPolicy(QComboBox::NoInsert);
    form->addRow(m_serverLabel, m_server);
    m_network->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_network->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_network->setTextElideMode(Qt::ElideRight);
    m_network->setVisible(false);
    m_networkLabel->setVisible(false);
    m_networkHint->setWordWrap(true);
    m_networkHint->setVisible(false);
    auto *networkBox = new QWidget;
    auto *networkLayout = new QVBoxLayout(networkBox);
    networkLayout->setContentsMargins(0, 0, 0, 0);
    networkLayout->addWidget(m_network);
    networkLayout->addWidget(m_networkHint);
    form->addRow(m_networkLabel, networkBox);
    m_user->setMaxLength(Names::kMaxUserNameLength);
    form->addRow(m_userLabel, m_user);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(Names::kMaxPasswordLength);
    form->addRow(m_passwordLabel, m_password);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_confirm->setMaxLength(Names::kMaxPasswordLength);
    m_confirmLabel->setBuddy(m_confirm);
    form->addRow(m_confirmLabel, m_confirm);
    m_confirmLabel->setVisible(false);
    m_confirm->setVisible(false);
    m_remember->setChecked(true);
    form->addRow(QString(), m_remember);
    m_serverLabel->setBuddy(m_server);
    m_networkLabel->setBuddy(m_network);
    m_userLabel->setBuddy(m_user);
    m_passwordLabel->setBuddy(m_password);
    layout->addLayout(form);

    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setFrameShape(QFrame::StyledPanel);
    m_error->setMargin(8);
    m_error->setAutoFillBackground(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);
    m_status->setVisible(false);
    layout->addWidget(m_status);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_create->setAutoDefault(false);
    m_signIn->setDefault(true);
    buttons->addWidget(m_create);
    buttons->addWidget(m_signIn);
    layout->addLayout(buttons);

    auto *hostLayout = new QVBoxLayout(m_hostGroup);
    m_hostIntro->setWordWrap(true);
    hostLayout->addWidget(m_hostIntro);
    auto *hostForm = new QFormLayout;
    m_port->setRange(1024, 65535);
    m_port->setValue(7420);
    m_port->setGroupSeparatorShown(false);
    m_portLabel->setBuddy(m_port);
    hostForm->addRow(m_portLabel, m_port);
    hostForm->addRow(QString(), m_webPage);
    hostLayout->addLayout(hostForm);
    auto *hostButtons = new QHBoxLayout;
    m_hostStatus->setWordWrap(true);
    hostButtons->addWidget(m_hostStatus, 1);
    m_host->setAutoDefault(false);
    hostButtons->addWidget(m_host);
    hostLayout->addLayout(hostButtons);
    layout->addSpacing(8);
    layout->addWidget(m_hostGroup);

    // Centre the card and let it scroll when the window is small or the text is large.
    auto *centre = new QWidget;
    auto *rows = new QVBoxLayout(centre);
    auto *centreLayout = new QHBoxLayout;
    centreLayout->addStretch(1);
    centreLayout->addWidget(card, 3);
    centreLayout->addStretch(1);
    rows->addStretch(1);
    rows->addLayout(centreLayout);
    rows->addStretch(2);
    auto *scroll = new QScrollArea;
    scroll->setWidget(centre);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    setTabOrder(m_server, m_network);
    setTabOrder(m_network, m_user);
    setTabOrder(m_user, m_password);
    setTabOrder(m_password, m_confirm);
    setTabOrder(m_confirm, m_remember);
    setTabOrder(m_remember, m_signIn);
    setTabOrder(m_signIn, m_create);
    setTabOrder(m_create, m_port);
    setTabOrder(m_port, m_webPage);
    setTabOrder(m_webPage, m_host);

    connect(m_signIn, &QPushButton::clicked, this, [this] { submit(false); });
    connect(m_create, &QPushButton::clicked, this, [this] { submit(true); });
    for (QLineEdit *edit : {m_user, m_password})
        connect(edit, &QLineEdit::returnPressed, this, [this] { submit(false); });
    connect(m_server->lineEdit(), &QLineEdit::returnPressed, this, [this] { submit(false); });
    connect(m_confirm, &QLineEdit::returnPressed, this, [this] { submit(true); });
    // An error is about what was typed: once the person starts correcting it, it has done its job.
    for (QLineEdit *edit : {m_server->lineEdit(), m_user, m_password, m_confirm})
        connect(edit, &QLineEdit::textEdited, this, &SignInPage::clearError);
    connect(m_server, &QComboBox::activated, this, &SignInPage::onRecentServerChosen);
    connect(m_network, &QListView::activated, this, [this](const QModelIndex &index) {
        m_networkChoice = index.data(m_urlRole).toString();
        m_server->setEditText(m_networkChoice);
        m_user->setFocus();
    });
    connect(m_network, &QListView::clicked, this, [this](const QModelIndex &index) {
        m_networkChoice = index.data(m_urlRole).toString();
        m_server->setEditText(m_networkChoice);
    });
    connect(m_host, &QPushButton::clicked, this, [this] {
        clearError();
        Q_EMIT hostRequested(quint16(m_port->value()), m_webPage->isChecked());
    });
    tintError();
    retranslate();
}

void SignInPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        tintError();
    }
    QWidget::changeEvent(event);
}

void SignInPage::tintError()
{
    // A red tint of the window colour: reads as an error on light and dark palettes alike.
    m_error->setPalette(Appearance::tinted(palette(), QColor(0xd3, 0x2f, 0x2f), 0.18));
}

void SignInPage::retranslate()
{
    m_title->setText(tr("Tertulia"));
    m_subtitle->setText(tr("Sign in to a chat server, or host a chat for the people around you."));
    m_serverLabel->setText(tr("Serv&er:"));
    m_server->lineEdit()->setPlaceholderText(tr("host:port, e.g. 192.168.1.20:7420"));
    m_server->setAccessibleName(tr("Server address"));
    m_server->setToolTip(tr("A recent server, an address such as 192.168.1.20:7420 or wss://chat.example.org, or a "
                            "link from the host's share card (it carries the certificate's fingerprint)"));
    m_networkLabel->setText(tr("On your &network:"));
    m_network->setAccessibleName(tr("Chats found on your network"));
    m_userLabel->setText(tr("&User name:"));
    m_user->setAccessibleName(tr("User name"));
    m_passwordLabel->setText(tr("&Password:"));
    m_password->setAccessibleName(tr("Password"));
    m_confirmLabel->setText(tr("Password a&gain:"));
    m_confirm->setAccessibleName(tr("Repeat the password"));
    m_confirm->setToolTip(tr("Type the new account's password again, to be sure it is the one you meant"));
    m_remember->setText(tr("Re&member me on this computer"));
    m_remember->setToolTip(tr("Keeps your sign-in in the system keychain, never in a file"));
    m_signIn->setText(tr("Sign &in"));
    m_create->setText(tr("Create &account"));
    m_create->setToolTip(tr("Register this user name and password on the server, then sign in"));
    m_error->setAccessibleName(tr("Error"));
    m_hostGroup->setTitle(tr("Host a chat"));
    m_hostIntro->setText(tr("Start a chat server on this computer. People on your network can join it, and "
                            "you are signed in as its administrator (with the user name above, if you typed one)."));
    m_portLabel->setText(tr("P&ort:"));
    m_port->setAccessibleName(tr("Port"));
    m_webPage->setText(tr("Let people join from a &browser"));
    m_webPage->setToolTip(tr("Also serve a chat page, so people without the app can join with a web browser"));
    m_host->setText(tr("Hos&t a chat"));
    updateNetworkHint();
}

void SignInPage::setRecentServers(const QList<ServerList::Entry> &servers)
{
    const QString typed = m_server->currentText();
    m_server->clear();
    for (const ServerList::Entry &entry : servers) {
        m_server->addItem(entry.address.id(), entry.lastUser);
        if (!entry.displayName.isEmpty())
            m_server->setItemData(m_server->count() - 1, entry.displayName, Qt::ToolTipRole);
    }
    m_server->setEditText(typed.isEmpty() && !servers.isEmpty() ? servers.first().address.id() : typed);
}

void SignInPage::onRecentServerChosen(int index)
{
    const QString user = m_server->itemData(index).toString();
    if (!user.isEmpty())
        m_user->setText(user);
    focusFirstEmpty();
}

void SignInPage::setNetworkServers(QAbstractItemModel *model, int urlRole)
{
    if (m_networkModel)
        m_networkModel->disconnect(this);
    m_networkModel = model;
    m_urlRole = urlRole;
    m_network->setModel(model);
    if (model) {
        for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(model, signal, this, &SignInPage::updateNetworkHint);
        connect(model, &QAbstractItemModel::modelReset, this, &SignInPage::updateNetworkHint);
    }
    updateNetworkHint();
}

void SignInPage::updateNetworkHint()
{
    const bool hasModel = m_networkModel != nullptr;
    const bool any = hasModel && m_networkModel->rowCount() > 0;
    m_networkLabel->setVisible(hasModel);
    m_network->setVisible(any);
    if (any) {
        // As tall as its rows (up to four): a short list should not look like an empty box.
        const int rows = std::min(m_networkModel->rowCount(), 4);
        const int rowHeight = std::max({m_network->sizeHintForRow(0), fontMetrics().height() + 8, 24});
        m_network->setFixedHeight(rows * rowHeight + 2 * m_network->frameWidth() + 2);
    }
    m_networkHint->setVisible(hasModel && !any);
    m_networkHint->setText(tr("Looking for chats on your network… none found yet."));
}

void SignInPage::setServer(const QString &address) { m_server->setEditText(address); }
void SignInPage::setUser(const QString &user) { m_user->setText(user); }
void SignInPage::setHostPort(quint16 port) { m_port->setValue(port); }
void SignInPage::setHostWebPage(bool enabled) { m_webPage->setChecked(enabled); }

void SignInPage::setHostingAvailable(bool available)
{
    m_hostingAvailable = available;
    m_hostGroup->setVisible(available);
}

void SignInPage::setBusy(bool busy, const QString &status)
{
    for (QWidget *widget : std::initializer_list<QWidget *>{m_server, m_user, m_password, m_confirm, m_remember,
                                                            m_signIn, m_create})
        widget->setEnabled(!busy);
    m_status->setText(status);
    m_status->setVisible(busy && !status.isEmpty());
    if (busy)
        clearError();
}

bool SignInPage::isBusy() const { return !m_signIn->isEnabled(); }

void SignInPage::setHostBusy(bool busy, const QString &status)
{
    for (QWidget *widget : std::initializer_list<QWidget *>{m_port, m_webPage, m_host})
        widget->setEnabled(!busy);
    m_hostStatus->setText(status);
}

void SignInPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setAccessibleDescription(message);
    m_error->setVisible(!message.isEmpty());
}

void SignInPage::clearError() { showError({}); }
void SignInPage::clearPassword()
{
    m_password->clear();
    m_confirm->clear();
}

void SignInPage::showAuthError(const AuthError &error)
{
    using Code = AuthError::Code;
    QString message = error.message();
    QWidget *focus = m_password;
    switch (error.code) {
    case Code::ServerUnreachable:
        message += u' ' + tr("Check the address, and that the server is running and reachable from this computer.");
        focus = m_server;
        break;
    case Code::TlsFailure:
    case Code::CertificateUnknown:
    case Code::CertificateChanged:
        focus = m_server;
        break;
    case Code::NameTaken:
        message += u' ' + tr("Choose another name, or sign in if it is yours.");
        focus = m_user;
        break;
    case Code::InvalidName:
        focus = m_user;
        break;
    case Code::RegistrationClosed:
        message += u' ' + tr("Ask the person who runs it for an account.");
        focus = m_user;
        break;
    default:
        break;
    }
    showError(message);
    focus->setFocus();
    if (auto *edit = qobject_cast<QLineEdit *>(focus))
        edit->selectAll();
}

void SignInPage::focusFirstEmpty()
{
    if (m_server->currentText().trimmed().isEmpty())
        m_server->setFocus();
    else if (m_user->text().trimmed().isEmpty())
        m_user->setFocus();
    else
        m_password->setFocus();
}

void SignInPage::submit(bool create)
{
    if (!m_signIn->isEnabled())
        return;
    const QString typed = m_server->currentText().trimmed();
    const QString user = m_user->text().trimmed();
    const QString password = m_password->text();
    const auto fail = [this](const QString &message, QWidget *field) {
        showError(message);
        field->setFocus();
    };
    if (typed.isEmpty())
        return fail(tr("Enter the server's address, for example 192.168.1.20:7420."), m_server);
    const auto address = ServerLink::parse(typed);
    if (!address)
        return fail(tr("“%1” is not a server address or link. Try host:port, for example 192.168.1.20:7420, or "
                       "paste the link from the host's share card.").arg(typed),
                    m_server);
    const bool fromNetworkList = !m_networkChoice.isEmpty() && typed == m_networkChoice.trimmed();
    if (user.isEmpty())
        return fail(tr("Enter your user name."), m_user);
    if (create && !Names::isValidUserName(user))
        return fail(AuthError{AuthError::Code::InvalidName, {}}.message(), m_user);
    if (password.isEmpty())
        return fail(tr("Enter your password."), m_password);
    if (create && (password.size() < Names::kMinPasswordLength || password.size() > Names::kMaxPasswordLength))
        return fail(AuthError{AuthError::Code::InvalidPassword, {}}.message(), m_password);
    if (create && !m_confirm->isVisible()) {
        // A new password is typed blind: ask for it twice before the account is made with a typo in it.
        m_confirmLabel->setVisible(true);
        m_confirm->setVisible(true);
        m_confirm->clear();
        m_confirm->setFocus();
        return;
    }
    if (create && m_confirm->text() != password)
        return fail(tr("The two passwords are not the same. Type the password again in both fields."), m_confirm);
    if (!create) {
        m_confirmLabel->setVisible(false);
        m_confirm->setVisible(false);
    }
    clearError();
    if (create)
        Q_EMIT createAccountRequested(*address, fromNetworkList, user, password, m_remember->isChecked());
    else
        Q_EMIT signInRequested(*address, fromNetworkList, user, password, m_remember->isChecked());
}

} // namespace Tertulia
