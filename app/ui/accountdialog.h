#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class QDialogButtonBox;
class QImage;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPushButton;
class QTabWidget;
class QTreeView;

namespace Tertulia {

class AvatarPictures;
class ChatClient;
class DeviceListModel;
struct FileError;

namespace Protocol {
struct Error;
}

/// The signed-in account's own settings (Chat → Account…): the devices signed in to it, each of which can
/// be signed out (this one through the app's usual sign-out), a password change, and deleting the account
/// after a confirmation. Its Profile tab sets the display name (issue 12), and the avatar picture: one chosen
/// from a file is cropped to its middle square and scaled to 256 pixels here, sent as PNG (the avatar API), and
/// shown in the preview; it can be removed again (the generated avatar shows). Everything goes through the
/// ChatClient over the open connection (pictures over HTTP with its token); every failure is shown in the tab
/// it belongs to. The dialog never holds a password longer than its request.
class AccountDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountDialog)

public:
    enum class Tab { Devices, Password, Delete, Profile };

    explicit AccountDialog(ChatClient &client, QWidget *parent = nullptr);
    ~AccountDialog() override;

    void showTab(Tab tab);
    /// Asks the server for the device list again.
    void refreshDevices();
    /// Where pictures are loaded and sent (the chat page's); without it the picture buttons are disabled.
    void setAvatarPictures(AvatarPictures *pictures);
    /// Sends the picture in this file (as Choose picture… does once a file is picked); false, with the reason
    /// shown, when it cannot be read as an image.
    bool usePictureFile(const QString &path);
    /// Sends this image as the picture (its middle square at 256 pixels, PNG).
    void usePicture(const QImage &image);
    /// Removes the picture (as Remove picture does).
    void removePicture();

    // For tests and screenshots.
    QTabWidget *tabs() const { return m_tabs; }
    QTreeView *deviceView() const { return m_deviceView; }
    DeviceListModel *deviceModel() const { return m_devices; }
    QPushButton *signOutDeviceButton() const { return m_signOutDevice; }
    QPushButton *signOutOthersButton() const { return m_signOutOthers; }
    QLabel *devicesStatus() const { return m_devicesStatus; }
    QLineEdit *currentPasswordEdit() const { return m_currentPassword; }
    QLineEdit *newPasswordEdit() const { return m_newPassword; }
    QLineEdit *repeatPasswordEdit() const { return m_repeatPassword; }
    QPushButton *changePasswordButton() const { return m_changePassword; }
    QLabel *passwordStatus() const { return m_passwordStatus; }
    QLineEdit *deletePasswordEdit() const { return m_deletePassword; }
    QPushButton *deleteAccountButton() const { return m_deleteAccount; }
    QLabel *deleteStatus() const { return m_deleteStatus; }
    QPushButton *closeButton() const { return m_close; }
    // Profile (issue 12)
    QLineEdit *displayNameEdit() const { return m_displayName; }
    QPushButton *saveProfileButton() const { return m_saveProfile; }
    QLabel *profileStatus() const { return m_profileStatus; }
    QLabel *avatarPreview() const { return m_avatarPreview; }
    QPushButton *choosePictureButton() const { return m_choosePicture; }
    QPushButton *removePictureButton() const { return m_removePicture; }
    /// The "Delete the account?" question while it is open.
    QMessageBox *deleteQuestion() const { return m_deleteQuestion; }

Q_SIGNALS:
    /// The person chose to sign this device out: the window's usual sign-out does it.
    void signOutRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *createDevicesTab();
    QWidget *createPasswordTab();
    QWidget *createDeleteTab();
    QWidget *createProfileTab();
    void saveProfile();
    void updateAvatarPreview();
    void updatePictureButtons();
    void choosePicture();
    void sendPicture(const QByteArray &png, const QImage &shown);
    QString pictureError(const FileError &error) const;
    void retranslate();
    void updateDeviceButtons();
    void signOutSelected();
    void signOutOthers();
    void changePassword();
    void askToDelete();
    void deleteAccount();
    void setBusy(QPushButton *button, bool busy);
    /// A result under a tab: an error tinted red, anything else plain.
    void showStatus(QLabel *label, const QString &text, bool error);
    void tintStatus(QLabel *label);
    int selectedRow() const;

    ChatClient &m_client;
    DeviceListModel *m_devices;
    QTabWidget *m_tabs;
    // Profile (issue 12)
    QLabel *m_profileIntro = nullptr;
    QLabel *m_avatarPreview = nullptr;
    QLabel *m_displayNameLabel = nullptr;
    QLineEdit *m_displayName = nullptr;
    QPushButton *m_saveProfile = nullptr;
    QLabel *m_profileStatus = nullptr;
    QLabel *m_pictureNote = nullptr;
    QPushButton *m_choosePicture = nullptr;
    QPushButton *m_removePicture = nullptr;
    QPointer<AvatarPictures> m_pictures;
    bool m_sendingPicture = false;
    QLabel *m_devicesIntro = nullptr;
    QTreeView *m_deviceView = nullptr;
    QPushButton *m_signOutDevice = nullptr;
    QPushButton *m_signOutOthers = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_devicesStatus = nullptr;
    QLabel *m_passwordIntro = nullptr;
    QLabel *m_currentLabel = nullptr;
    QLineEdit *m_currentPassword = nullptr;
    QLabel *m_newLabel = nullptr;
    QLineEdit *m_newPassword = nullptr;
    QLabel *m_repeatLabel = nullptr;
    QLineEdit *m_repeatPassword = nullptr;
    QPushButton *m_changePassword = nullptr;
    QLabel *m_passwordStatus = nullptr;
    QLabel *m_deleteWarning = nullptr;
    QLabel *m_deleteIntro = nullptr;
    QLabel *m_deletePasswordLabel = nullptr;
    QLineEdit *m_deletePassword = nullptr;
    QPushButton *m_deleteAccount = nullptr;
    QLabel *m_deleteStatus = nullptr;
    QDialogButtonBox *m_buttons;
    QPushButton *m_close = nullptr;
    QMessageBox *m_deleteQuestion = nullptr;
    bool m_loadingDevices = false;
};

} // namespace Tertulia
