#include "app/ui/accountdialog.h"

#include "app/models/devicelistmodel.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionmanager.h"
#include "app/session/displaynames.h"
#include "app/ui/appearance.h"
#include "app/session/chatfiles.h"
#include "app/ui/avatar.h"
#include "app/ui/avatarpictures.h"
#include "app/ui/uitext.h"
#include "shared/identity.h"
#include "shared/names.h"

#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtGui/QImageReader>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ErrorCode;

namespace {
QLabel *wrappingLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    return label;
}

QLabel *statusLabel(QWidget *parent)
{
    QLabel *label = wrappingLabel(parent);
    label->setVisible(false);
    label->setFrameShape(QFrame::StyledPanel);
    label->setMargin(8);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLineEdit *passwordEdit(QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setEchoMode(QLineEdit::Password);
    edit->setMaxLength(Names::kMaxPasswordLength);
    return edit;
}
} // namespace

AccountDialog::AccountDialog(ChatClient &client, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_devices(new DeviceListModel(this)),
      m_tabs(new QTabWidget(this)),
      m_buttons(new QDialogButtonBox(this))
{
    setObjectName(u"accountDialog"_s);
    m_tabs->addTab(createDevicesTab(), QString());
    m_tabs->addTab(createPasswordTab(), QString());
    m_tabs->addTab(createDeleteTab(), QString());
    m_tabs->addTab(createProfileTab(), QString());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_buttons);
    setMinimumSize(560, 420);

    // Not a standard button: the box would put Qt's own text back on it at every language change.
    m_close = m_buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    // Enter in a password field answers that field's form, never "Close" (a default button would).
    m_close->setAutoDefault(false);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Whenever the connection is back, the list may have changed meanwhile.
    connect(m_client.connection(), &ConnectionManager::stateChanged, this, [this](ConnectionManager::State state) {
        if (state == ConnectionManager::State::Connected)
            refreshDevices();
    });
    retranslate();
    refreshDevices();
}

AccountDialog::~AccountDialog() = default;

QWidget *AccountDialog::createDevicesTab()
{
    auto *page = new QWidget(this);
    m_devicesIntro = wrappingLabel(page);
    m_deviceView = new QTreeView(page);
    m_deviceView->setObjectName(u"deviceView"_s);
    m_deviceView->setModel(m_devices);
    m_deviceView->setRootIsDecorated(false);
    m_deviceView->setUniformRowHeights(true);
    m_deviceView->setAlternatingRowColors(true);
    m_deviceView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_deviceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_deviceView->header()->setStretchLastSection(false);
    m_deviceView->header()->setSectionResizeMode(DeviceListModel::DeviceColumn, QHeaderView::Stretch);
    m_deviceView->header()->setSectionResizeMode(DeviceListModel::SignedInColumn, QHeaderView::ResizeToContents);
    m_deviceView->header()->setSectionResizeMode(DeviceListModel::LastUsedColumn, QHeaderView::ResizeToContents);
    m_signOutDevice = new QPushButton(page);
    m_signOutOthers = new QPushButton(page);
    m_refresh = new QPushButton(page);
    for (QPushButton *button : {m_signOutDevice, m_signOutOthers, m_refresh})
        button->setAutoDefault(false);
    m_devicesStatus = statusLabel(page);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_signOutDevice);
    buttons->addWidget(m_signOutOthers);
    buttons->addStretch(1);
    buttons->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_devicesIntro);
    layout->addWidget(m_deviceView, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_devicesStatus);

    connect(m_deviceView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccountDialog::updateDeviceButtons);
    connect(m_devices, &QAbstractItemModel::modelReset, this, &AccountDialog::updateDeviceButtons);
    connect(m_signOutDevice, &QPushButton::clicked, this, &AccountDialog::signOutSelected);
    connect(m_signOutOthers, &QPushButton::clicked, this, &AccountDialog::signOutOthers);
    connect(m_refresh, &QPushButton::clicked, this, &AccountDialog::refreshDevices);
    return page;
}

QWidget *AccountDialog::createPasswordTab()
{
    auto *page = new QWidget(this);
    m_passwordIntro = wrappingLabel(page);
    m_currentLabel = new QLabel(page);
    m_currentPassword = passwordEdit(page);
    m_newLabel = new QLabel(page);
    m_newPassword = passwordEdit(page);
    m_repeatLabel = new QLabel(page);
    m_repeatPassword = passwordEdit(page);
    m_currentLabel->setBuddy(m_currentPassword);
    m_newLabel->setBuddy(m_newPassword);
    m_repeatLabel->setBuddy(m_repeatPassword);
    m_changePassword = new QPushButton(page);
    m_changePassword->setAutoDefault(false);
    m_passwordStatus = statusLabel(page);

    auto *form = new QFormLayout;
    form->addRow(m_currentLabel, m_currentPassword);
    form->addRow(m_newLabel, m_newPassword);
    form->addRow(m_repeatLabel, m_repeatPassword);
    auto *button = new QHBoxLayout;
    button->addStretch(1);
    button->addWidget(m_changePassword);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_passwordIntro);
    layout->addLayout(form);
    layout->addLayout(button);
    layout->addWidget(m_passwordStatus);
    layout->addStretch(1);

    connect(m_changePassword, &QPushButton::clicked, this, &AccountDialog::changePassword);
    connect(m_repeatPassword, &QLineEdit::returnPressed, this, &AccountDialog::changePassword);
    return page;
}

QWidget *AccountDialog::createDeleteTab()
{
    auto *page = new QWidget(this);
    m_deleteWarning = wrappingLabel(page);
    QFont bold = m_deleteWarning->font();
    bold.setBold(true);
    m_deleteWarning->setFont(bold);
    m_deleteIntro = wrappingLabel(page);
    m_deletePasswordLabel = new QLabel(page);
    m_deletePassword = passwordEdit(page);
    m_deletePasswordLabel->setBuddy(m_deletePassword);
    m_deleteAccount = new QPushButton(page);
    m_deleteAccount->setAutoDefault(false);
    m_deleteStatus = statusLabel(page);

    auto *form = new QFormLayout;
    form->addRow(m_deletePasswordLabel, m_deletePassword);
    auto *button = new QHBoxLayout;
    button->addStretch(1);
    button->addWidget(m_deleteAccount);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_deleteWarning);
    layout->addWidget(m_deleteIntro);
    layout->addLayout(form);
    layout->addLayout(button);
    layout->addWidget(m_deleteStatus);
    layout->addStretch(1);

    connect(m_deleteAccount, &QPushButton::clicked, this, &AccountDialog::askToDelete);
    // Queued: the Enter key goes on to QDialog after this, which would click the question's default button
    // ("Keep it") at once if the question were already open.
    connect(m_deletePassword, &QLineEdit::returnPressed, this, &AccountDialog::askToDelete, Qt::QueuedConnection);
    return page;
}

QWidget *AccountDialog::createProfileTab()
{
    auto *page = new QWidget(this);
    m_profileIntro = wrappingLabel(page);
    m_avatarPreview = new QLabel(page);
    m_avatarPreview->setObjectName(u"avatarPreview"_s);
    m_avatarPreview->setFixedSize(64, 64);
    m_displayNameLabel = new QLabel(page);
    m_displayName = new QLineEdit(page);
    m_displayName->setObjectName(u"displayNameEdit"_s);
    m_displayName->setMaxLength(Identity::kMaxDisplayNameUnits);
    m_displayName->setClearButtonEnabled(true);
    m_displayName->setText(m_client.displayNames()->of(m_client.user()));
    m_displayNameLabel->setBuddy(m_displayName);
    m_saveProfile = new QPushButton(page);
    m_saveProfile->setAutoDefault(false);
    m_profileStatus = statusLabel(page);
    // The picture (issue 12): chosen from a file, or removed; enabled once the chat page's pictures are known.
    m_choosePicture = new QPushButton(page);
    m_choosePicture->setObjectName(u"choosePicture"_s);
    m_removePicture = new QPushButton(page);
    m_removePicture->setObjectName(u"removePicture"_s);
    for (QPushButton *button : {m_choosePicture, m_removePicture}) {
        button->setAutoDefault(false);
        button->setEnabled(false);
    }
    m_pictureNote = wrappingLabel(page);

    auto *top = new QHBoxLayout;
    top->addWidget(m_avatarPreview, 0, Qt::AlignTop);
    top->addWidget(m_profileIntro, 1);
    auto *form = new QFormLayout;
    form->addRow(m_displayNameLabel, m_displayName);
    auto *button = new QHBoxLayout;
    button->addWidget(m_choosePicture);
    button->addWidget(m_removePicture);
    button->addStretch(1);
    button->addWidget(m_saveProfile);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addLayout(button);
    layout->addWidget(m_profileStatus);
    layout->addWidget(m_pictureNote);
    layout->addStretch(1);

    connect(m_saveProfile, &QPushButton::clicked, this, &AccountDialog::saveProfile);
    connect(m_displayName, &QLineEdit::returnPressed, this, &AccountDialog::saveProfile);
    connect(m_displayName, &QLineEdit::textChanged, this, &AccountDialog::updateAvatarPreview);
    // A rename made on another device shows here too (unless the person is typing one).
    connect(m_client.displayNames(), &DisplayNames::changed, this, [this](const QString &user) {
        if (Names::canonical(user) != Names::canonical(m_client.user()))
            return;
        if (!m_displayName->isModified())
            m_displayName->setText(m_client.displayNames()->of(user));
        // A picture set or removed on another device too.
        updateAvatarPreview();
        updatePictureButtons();
    });
    connect(m_choosePicture, &QPushButton::clicked, this, &AccountDialog::choosePicture);
    connect(m_removePicture, &QPushButton::clicked, this, &AccountDialog::removePicture);
    updateAvatarPreview();
    return page;
}

void AccountDialog::setAvatarPictures(AvatarPictures *pictures)
{
    if (m_pictures)
        m_pictures->disconnect(this);
    m_pictures = pictures;
    if (pictures) {
        connect(pictures, &AvatarPictures::pictureChanged, this, [this](const QString &user) {
            if (Names::canonical(user) == Names::canonical(m_client.user()))
                updateAvatarPreview();
        });
    }
    updatePictureButtons();
    updateAvatarPreview();
}

void AccountDialog::updatePictureButtons()
{
    m_choosePicture->setEnabled(m_pictures && !m_sendingPicture);
    m_removePicture->setEnabled(m_pictures && !m_sendingPicture
                                && !m_client.displayNames()->avatarOf(m_client.user()).isEmpty());
}

void AccountDialog::choosePicture()
{
    if (!m_pictures || m_sendingPicture)
        return;
    // Asynchronous (open(), not exec()): the dialog and the chat keep running behind it.
    auto *chooser = new QFileDialog(this, tr("Choose a picture"), QString(),
                                    tr("Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"));
    chooser->setObjectName(u"pictureChooser"_s);
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setFileMode(QFileDialog::ExistingFile);
    chooser->setAcceptMode(QFileDialog::AcceptOpen);
    connect(chooser, &QFileDialog::fileSelected, this, [this](const QString &path) { usePictureFile(path); });
    chooser->open();
}

bool AccountDialog::usePictureFile(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // Only what the square needs is decoded: a camera's 50-megapixel photo is read at a fraction of its size.
    const QSize size = reader.size();
    constexpr int kReadSide = 2 * Identity::kAvatarPictureSize;
    if (size.isValid() && std::min(size.width(), size.height()) > kReadSide)
        reader.setScaledSize(size * (double(kReadSide) / std::min(size.width(), size.height())));
    const QImage image = reader.read();
    if (image.isNull()) {
        showStatus(m_profileStatus, tr("%1 is not a picture this app can read.").arg(QFileInfo(path).fileName()), true);
        return false;
    }
    usePicture(image);
    return true;
}

void AccountDialog::usePicture(const QImage &image)
{
    const QByteArray png = Avatar::uploadBytes(image);
    if (png.isEmpty()) {
        showStatus(m_profileStatus, tr("That picture cannot be used."), true);
        return;
    }
    sendPicture(png, Avatar::square(image, AvatarPictures::kDecodedSide));
}

void AccountDialog::removePicture() { sendPicture({}, {}); }

void AccountDialog::sendPicture(const QByteArray &png, const QImage &shown)
{
    if (!m_pictures || m_sendingPicture)
        return;
    m_sendingPicture = true;
    updatePictureButtons();
    setCursor(Qt::BusyCursor);
    // Known before it is sent (its version is made from its bytes), so it shows as soon as the server's answer
    // or profile_updated names it, without downloading what this app has.
    if (!png.isNull())
        m_pictures->insert(m_client.user(), Identity::avatarVersion(png), shown);
    FileTransfer *transfer = m_pictures->files().changeAvatar(png);
    connect(transfer, &FileTransfer::finished, this, [this, transfer, removing = png.isNull()] {
        m_sendingPicture = false;
        unsetCursor();
        if (const auto &error = transfer->error()) {
            updatePictureButtons();
            showStatus(m_profileStatus, pictureError(*error), true);
            return;
        }
        updatePictureButtons();
        updateAvatarPreview();
        showStatus(m_profileStatus,
                   removing ? tr("Picture removed: people see your initials again.")
                            : tr("Your picture is saved: people see it beside your name."),
                   false);
    });
}

QString AccountDialog::pictureError(const FileError &error) const
{
    switch (error.code) {
    case FileError::Code::TooLarge:
        if (error.limit > 0)
            return tr("The picture is too large: this server takes pictures up to %1.")
                .arg(QLocale().formattedDataSize(error.limit, 1, QLocale::DataSizeTraditionalFormat));
        return tr("The picture is too large for this server.");
    case FileError::Code::UnsupportedType:
        return tr("The server refused the picture: it takes PNG, JPEG, GIF and WebP images.");
    case FileError::Code::BadRequest: return tr("The server refused the picture: %1").arg(error.detail);
    case FileError::Code::RateLimited:
        if (error.retryAfterS > 0)
            return tr("Too many picture changes. Try again in %1 s.").arg(error.retryAfterS);
        return tr("Too many picture changes. Try again in a moment.");
    default: break;
    }
    return error.text();
}

void AccountDialog::updateAvatarPreview()
{
    const Identity::Validated valid = Identity::validateDisplayName(m_displayName->text());
    const QString shown = Identity::shownName(m_client.user(), valid.ok() ? valid.name : QString());
    const Avatar::Picture picture = m_pictures ? m_pictures->picture(m_client.user()) : Avatar::Picture{};
    m_avatarPreview->setPixmap(Avatar::pixmap(m_client.user(), shown, m_avatarPreview->width(), devicePixelRatioF(),
                                              Appearance::isDark(palette()), picture));
    m_avatarPreview->setAccessibleName(picture.isNull() ? tr("Your avatar: %1").arg(Identity::avatarInitials(shown))
                                                        : tr("Your avatar: your picture"));
}

void AccountDialog::saveProfile()
{
    if (!m_saveProfile->isEnabled())
        return;
    // The server's rules, checked here first so the person hears why at once.
    const Identity::Validated valid = Identity::validateDisplayName(m_displayName->text());
    if (!valid.ok()) {
        showStatus(m_profileStatus,
                   tr("That display name cannot be used: at most %1 characters, one line, no invisible "
                      "formatting characters.")
                       .arg(Identity::kMaxDisplayNameLength),
                   true);
        m_displayName->setFocus();
        return;
    }
    setBusy(m_saveProfile, true);
    m_client.setDisplayName(valid.name, this, [this, name = valid.name](const std::optional<Protocol::Error> &error) {
        setBusy(m_saveProfile, false);
        if (error) {
            showStatus(m_profileStatus, UiText::accountError(*error), true);
            return;
        }
        m_displayName->setText(name);
        m_displayName->setModified(false);
        showStatus(m_profileStatus,
                   name.isEmpty() ? tr("Display name removed: people see your user name, %1.").arg(m_client.user())
                                  : tr("People now see you as %1.").arg(name),
                   false);
    });
}

void AccountDialog::showTab(Tab tab) { m_tabs->setCurrentIndex(int(tab)); }

void AccountDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        for (QLabel *label : {m_devicesStatus, m_passwordStatus, m_deleteStatus, m_profileStatus})
            tintStatus(label);
        if (m_avatarPreview)
            updateAvatarPreview();
    }
    QDialog::changeEvent(event);
}

void AccountDialog::retranslate()
{
    const QString user = m_client.user();
    const QString server = m_client.server().id();
    setWindowTitle(tr("Account %1 on %2").arg(user, server));
    m_tabs->setTabText(int(Tab::Devices), tr("&Devices"));
    m_tabs->setTabText(int(Tab::Password), tr("&Password"));
    m_tabs->setTabText(int(Tab::Delete), tr("De&lete account"));
    m_tabs->setTabText(int(Tab::Profile), tr("P&rofile"));
    m_profileIntro->setText(tr("Your display name is how people see you: any language, spaces allowed, up to %1 "
                               "characters. Your user name, %2, stays the same and is shown beside it. Leave it "
                               "empty to be shown as %2.")
                                .arg(Identity::kMaxDisplayNameLength)
                                .arg(m_client.user()));
    m_displayNameLabel->setText(tr("Display &name:"));
    m_displayName->setAccessibleName(tr("Display name"));
    m_displayName->setPlaceholderText(m_client.user());
    m_saveProfile->setText(tr("&Save"));
    m_choosePicture->setText(tr("Choose p&icture…"));
    m_choosePicture->setToolTip(tr("A photo or image: its middle square is shown, round"));
    m_removePicture->setText(tr("Remo&ve picture"));
    m_removePicture->setToolTip(tr("Show your initials again"));
    m_pictureNote->setText(tr("Without a picture, your initials are shown on your own colour."));

    m_devicesIntro->setText(tr("These devices are signed in as %1. Sign out any you do not recognise: it will need "
                               "the password to come back.")
                                .arg(user));
    m_deviceView->setAccessibleName(tr("Signed-in devices"));
    m_signOutOthers->setText(tr("Sign out all o&ther devices"));
    m_signOutOthers->setToolTip(tr("Every device but this one will need the password again"));
    m_refresh->setText(tr("Re&fresh"));
    updateDeviceButtons();

    m_passwordIntro->setText(tr("Changing the password signs out every other device. This one stays signed in."));
    m_currentLabel->setText(tr("C&urrent password:"));
    m_currentPassword->setAccessibleName(tr("Current password"));
    m_newLabel->setText(tr("&New password:"));
    m_newPassword->setAccessibleName(tr("New password"));
    m_newPassword->setPlaceholderText(tr("At least %1 characters").arg(Names::kMinPasswordLength));
    m_repeatLabel->setText(tr("R&epeat the new password:"));
    m_repeatPassword->setAccessibleName(tr("New password again"));
    m_changePassword->setText(tr("&Change password"));

    m_deleteWarning->setText(tr("Deleting your account cannot be undone."));
    m_deleteIntro->setText(tr("You will be signed out on every device. Your messages stay in their rooms under your "
                              "name, and nobody will be able to use the name %1 on this server again.")
                               .arg(user));
    m_deletePasswordLabel->setText(tr("Pass&word:"));
    m_deletePassword->setAccessibleName(tr("Password"));
    m_deleteAccount->setText(tr("Delete &account…"));
    m_close->setText(tr("Close"));
    for (QLabel *label : {m_devicesStatus, m_passwordStatus, m_deleteStatus, m_profileStatus})
        label->setAccessibleName(tr("Result"));
}

// ---- devices --------------------------------------------------------------------------------------

int AccountDialog::selectedRow() const
{
    const QModelIndexList rows = m_deviceView->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AccountDialog::updateDeviceButtons()
{
    const int row = selectedRow();
    const bool current = row >= 0 && m_devices->index(row, 0).data(DeviceListModel::CurrentRole).toBool();
    m_signOutDevice->setText(current ? tr("Sign &out this device") : tr("Sign &out the selected device"));
    m_signOutDevice->setEnabled(row >= 0);
    const bool others = std::any_of(m_devices->devices().cbegin(), m_devices->devices().cend(),
                                    [](const Protocol::DeviceInfo &device) { return !device.current; });
    m_signOutOthers->setEnabled(others);
    m_refresh->setEnabled(!m_loadingDevices);
}

void AccountDialog::refreshDevices()
{
    if (m_loadingDevices)
        return;
    m_loadingDevices = true;
    updateDeviceButtons();
    m_client.listDevices(this, [this](const std::variant<QList<Protocol::DeviceInfo>, Protocol::Error> &result) {
        m_loadingDevices = false;
        if (const auto *error = std::get_if<Protocol::Error>(&result)) {
            showStatus(m_devicesStatus, UiText::accountError(*error), true);
            updateDeviceButtons();
            return;
        }
        const QString selected = selectedRow() >= 0
                                     ? m_devices->index(selectedRow(), 0).data(DeviceListModel::IdRole).toString()
                                     : QString();
        m_devices->setDevices(std::get<QList<Protocol::DeviceInfo>>(result));
        if (const int row = m_devices->rowOf(selected); row >= 0)
            m_deviceView->selectionModel()->select(m_devices->index(row, 0),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        updateDeviceButtons();
    });
}

void AccountDialog::signOutSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QModelIndex index = m_devices->index(row, 0);
    if (index.data(DeviceListModel::CurrentRole).toBool()) {
        Q_EMIT signOutRequested();
        return;
    }
    const QString name = index.data(DeviceListModel::LabelRole).toString();
    setBusy(m_signOutDevice, true);
    m_client.revokeDevice(index.data(DeviceListModel::IdRole).toString(), this,
                          [this, name](const std::optional<Protocol::Error> &error) {
                              setBusy(m_signOutDevice, false);
                              if (error) {
                                  showStatus(m_devicesStatus, UiText::accountError(*error), true);
                              } else {
                                  showStatus(m_devicesStatus,
                                             tr("Signed out: %1.").arg(name.isEmpty() ? tr("a device") : name), false);
                              }
                              refreshDevices();
                          });
}

void AccountDialog::signOutOthers()
{
    setBusy(m_signOutOthers, true);
    m_client.revokeOtherDevices(this, [this](const std::variant<int, Protocol::Error> &result) {
        setBusy(m_signOutOthers, false);
        if (const auto *error = std::get_if<Protocol::Error>(&result))
            showStatus(m_devicesStatus, UiText::accountError(*error), true);
        else
            showStatus(m_devicesStatus, tr("Other devices signed out: %1.").arg(std::get<int>(result)), false);
        refreshDevices();
    });
}

// ---- password -------------------------------------------------------------------------------------

void AccountDialog::changePassword()
{
    if (!m_changePassword->isEnabled())
        return;
    QString problem;
    QLineEdit *focus = nullptr;
    if (m_currentPassword->text().isEmpty()) {
        problem = tr("Type your current password.");
        focus = m_currentPassword;
    } else if (m_newPassword->text().size() < Names::kMinPasswordLength) {
        problem = tr("The new password must have at least %1 characters.").arg(Names::kMinPasswordLength);
        focus = m_newPassword;
    } else if (m_newPassword->text() != m_repeatPassword->text()) {
        problem = tr("The new password and its repetition differ.");
        focus = m_repeatPassword;
    }
    if (focus) {
        showStatus(m_passwordStatus, problem, true);
        focus->setFocus();
        focus->selectAll();
        return;
    }
    setBusy(m_changePassword, true);
    m_client.changePassword(m_currentPassword->text(), m_newPassword->text(), this,
                            [this](const std::variant<int, Protocol::Error> &result) {
                                setBusy(m_changePassword, false);
                                if (const auto *error = std::get_if<Protocol::Error>(&result)) {
                                    showStatus(m_passwordStatus, UiText::accountError(*error), true);
                                    if (error->code == ErrorCode::WrongPassword) {
                                        m_currentPassword->setFocus();
                                        m_currentPassword->selectAll();
                                    }
                                    return;
                                }
                                for (QLineEdit *edit : {m_currentPassword, m_newPassword, m_repeatPassword})
                                    edit->clear();
                                showStatus(m_passwordStatus,
                                           tr("Your password was changed. Other devices signed out: %1.")
                                               .arg(std::get<int>(result)),
                                           false);
                                refreshDevices();
                            });
}

// ---- deleting the account -------------------------------------------------------------------------

void AccountDialog::askToDelete()
{
    if (!m_deleteAccount->isEnabled())
        return;
    if (m_deletePassword->text().isEmpty()) {
        showStatus(m_deleteStatus, tr("Type your password to delete the account."), true);
        m_deletePassword->setFocus();
        return;
    }
    if (m_deleteQuestion)
        m_deleteQuestion->close();
    const QString user = m_client.user();
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Delete the account?"),
                                     tr("Delete your account %1 on %2?").arg(user, m_client.server().id()),
                                     QMessageBox::NoButton, this);
    question->setObjectName(u"deleteAccountQuestion"_s);
    question->setInformativeText(tr("This cannot be undone. You will be signed out on every device. Your messages "
                                    "stay in their rooms under your name, and nobody will be able to use the name "
                                    "%1 again.")
                                     .arg(user));
    QPushButton *confirm = question->addButton(tr("&Delete the account"), QMessageBox::DestructiveRole);
    QPushButton *keep = question->addButton(tr("&Keep it"), QMessageBox::RejectRole);
    question->setDefaultButton(keep);
    question->setEscapeButton(keep);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, confirm](QAbstractButton *button) {
        if (button == confirm)
            deleteAccount();
    });
    m_deleteQuestion = question;
    connect(question, &QObject::destroyed, this, [this, question] {
        if (m_deleteQuestion == question)
            m_deleteQuestion = nullptr;
    });
    question->open();
}

void AccountDialog::deleteAccount()
{
    setBusy(m_deleteAccount, true);
    const QString password = m_deletePassword->text();
    m_deletePassword->clear();
    // On success the server ends the connection and the client signs out: the window closes this dialog.
    m_client.deleteAccount(password, this, [this](const std::optional<Protocol::Error> &error) {
        setBusy(m_deleteAccount, false);
        if (error) {
            showStatus(m_deleteStatus, UiText::accountError(*error), true);
            m_deletePassword->setFocus();
        }
    });
}

// ---- helpers --------------------------------------------------------------------------------------

void AccountDialog::setBusy(QPushButton *button, bool busy)
{
    button->setEnabled(!busy);
    if (busy)
        setCursor(Qt::BusyCursor);
    else
        unsetCursor();
}

void AccountDialog::showStatus(QLabel *label, const QString &text, bool error)
{
    label->setProperty("error", error);
    label->setText(text);
    label->setAccessibleDescription(text);
    tintStatus(label);
    label->setVisible(true);
}

void AccountDialog::tintStatus(QLabel *label)
{
    // Tints of the window colour, readable on light and dark palettes: red for errors, green for done.
    const bool error = label->property("error").toBool();
    const QColor tint = error ? QColor(0xd3, 0x2f, 0x2f) : QColor(0x2e, 0x7d, 0x32);
    label->setAutoFillBackground(true);
    label->setPalette(Appearance::tinted(palette(), tint, 0.18));
}

} // namespace Tertulia
