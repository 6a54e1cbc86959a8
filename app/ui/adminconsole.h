#pragma once

#include "app/admin/adminclient.h"
#include "app/admin/admintablemodel.h"
#include "app/session/connectionhealth.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtWidgets/QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace Tertulia {

class RoomSettingsDialog;
class RttChart;

/// Server administration (Chat → Server administration…): what the server's admin API and /metrics say,
/// refreshed every few seconds while the window is open: its live connections (disconnect one, with a
/// reason), rooms (their members and roles, and their settings, whether or not you are in them), users (sign one out everywhere, disable or enable, reset the password), the audit log
/// (newest first, older pages on demand), the node's recent delivery traces (a message's stages, who had it
/// and when, who is offline; any message looked up by room and number), and charts of connections, messages per second, delivery
/// latency and ping round trips over the last minutes. For the chat you host, and for any server where your
/// account is an administrator; anyone else is told so, and sees nothing of it.
class AdminConsole final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminConsole)

public:
    static constexpr int kDefaultRefreshMs = 2000;
    /// The connections' "Node" column, hidden unless they are on more than one node of a cluster.
    static constexpr int kNodeColumn = 7;
    /// Audit log lines read at a time (the newest page at each refresh, older ones on demand).
    static constexpr int kAuditPageSize = 100;
    /// How much activity the charts keep.
    static constexpr std::chrono::minutes kChartWindow{5};
    /// Recent traces listed (the ring keeps more: older ones are found by room and number).
    static constexpr int kTracePageSize = 100;

    explicit AdminConsole(AdminClient &client, QWidget *parent = nullptr);
    ~AdminConsole() override;

    /// Reads everything again now (the timer does it every refresh interval while the window is shown).
    void refresh();
    void setRefreshInterval(std::chrono::milliseconds interval);

    // For tests and screenshots.
    QTabWidget *tabs() const { return m_tabs; }
    QTableView *connectionsView() const { return m_connectionsView; }
    QTableView *roomsView() const { return m_roomsView; }
    /// The selected room's members with their roles, and its banned users (read when a room is selected, and
    /// at each refresh).
    QTableView *membersView() const { return m_membersView; }
    const AdminTableModel<Admin::RoomMember> &memberModel() const { return m_members; }
    /// The room whose members are shown (empty: none selected).
    QString membersRoom() const { return m_membersRoom; }
    QPushButton *roleButton() const { return m_role; }
    QPushButton *transferButton() const { return m_transfer; }
    QPushButton *muteButton() const { return m_mute; }
    QPushButton *unmuteButton() const { return m_unmute; }
    QPushButton *unbanButton() const { return m_unban; }
    /// Room settings… of the selected room (any room: the administrator need not be in it).
    QPushButton *roomSettingsButton() const { return m_roomSettings; }
    /// The open Room settings… dialog, if any.
    RoomSettingsDialog *roomSettingsDialog() const { return m_roomSettingsDialog; }
    QTableView *usersView() const { return m_usersView; }
    QPushButton *disconnectButton() const { return m_disconnect; }
    QPushButton *signOutButton() const { return m_signOut; }
    QPushButton *disableButton() const { return m_disable; }
    QPushButton *resetPasswordButton() const { return m_resetPassword; }
    QPushButton *administratorButton() const { return m_administrator; }
    QPushButton *removeFromRoomButton() const { return m_removeFromRoom; }
    QPushButton *banFromRoomButton() const { return m_banFromRoom; }
    QTableView *auditView() const { return m_auditView; }
    QPushButton *olderAuditButton() const { return m_olderAudit; }
    const AdminTableModel<Admin::AuditEntry> &auditModel() const { return m_audit; }
    /// Lines per audit page (tests page with fewer).
    void setAuditPageSize(int lines) { m_auditPageSize = lines; }
    /// Reads the page of the audit log older than what is shown.
    void loadOlderAudit();
    QLabel *status() const { return m_status; }
    QTableView *tracesView() const { return m_tracesView; }
    const AdminTableModel<Admin::Trace> &traceModel() const { return m_traces; }
    QLineEdit *traceRoomEdit() const { return m_traceRoom; }
    QSpinBox *traceSeqEdit() const { return m_traceSeq; }
    QPushButton *findTraceButton() const { return m_findTrace; }
    QTextBrowser *traceDetail() const { return m_traceDetail; }
    /// The trace the detail pane shows (none: nothing selected or found).
    const std::optional<Admin::Trace> &shownTrace() const { return m_shownTrace; }
    /// Looks up message (room, seq) on the server and shows its trace, or why there is none.
    void findTrace();
    QList<RttChart *> charts() const;
    const AdminTableModel<Admin::Connection> &connectionModel() const { return m_connections; }
    const AdminTableModel<Admin::User> &userModel() const { return m_users; }
    const AdminTableModel<Admin::Room> &roomModel() const { return m_rooms; }
    /// The reason and confirmation dialogs ask through these; tests answer them.
    std::function<std::optional<QString>(const Admin::Connection &)> askDisconnectReason;
    std::function<bool(const QString &user)> confirmSignOut;
    /// Disable (true) or enable (false) `user`? Enabling asks nothing by default.
    std::function<bool(const QString &user, bool disable)> confirmDisable;
    /// Make `user` a server administrator (true), or take that away (false)? Both ask first by default.
    std::function<bool(const QString &user, bool admin)> confirmAdministrator;
    /// The new password for `user` (PasswordResetDialog), or nothing when cancelled.
    std::function<std::optional<QString>(const QString &user)> askNewPassword;
    /// Remove from room… and Ban from room…: which room, why and (a ban) for how long; nullopt: cancelled.
    struct RoomAction
    {
        QString room;
        QString reason;
        std::optional<qint64> duration;
    };
    std::function<std::optional<RoomAction>(bool ban, const QString &user, const QStringList &rooms)> askRoomAction;
    /// Mute…: why and for how long (`room` is set); nullopt: cancelled.
    std::function<std::optional<RoomAction>(const QString &user, const QString &room)> askMute;
    /// Transfer ownership…: hand `room` over to `user`?
    std::function<bool(const QString &user, const QString &room)> confirmTransfer;

Q_SIGNALS:
    /// A refresh finished (its six requests answered), successfully or not.
    void refreshed();
    /// The selected room's members were read (or could not be: the status line says why).
    void membersLoaded();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *createConnectionsTab();
    QWidget *createRoomsTab();
    QWidget *createUsersTab();
    QWidget *createActivityTab();
    QWidget *createAuditTab();
    QWidget *createTracesTab();
    void showSelectedTrace();
    void showTrace(const std::optional<Admin::Trace> &trace, const QString &note = {});
    void retranslate();
    void updateButtons();
    void disconnectSelected();
    void signOutSelected();
    void disableSelected();
    void resetPasswordSelected();
    void toggleAdministratorSelected();
    /// Removes the selected user from a room, or bans them from one (askRoomAction()).
    void moderateSelected(bool ban);
    const Admin::User *selectedUser() const;
    // The rooms tab's members (issue 13).
    const Admin::RoomMember *selectedMember() const;
    /// Reads the selected room's members again (another room selected: the list starts empty).
    void loadMembers();
    void updateMembersTitle();
    void toggleRoleSelected();
    /// Opens the selected room's settings (RoomSettingsDialog, through the admin API).
    void openRoomSettings();
    void transferSelected();
    void muteSelected();
    /// Lifts the selected member's mute (false) or ban (true).
    void liftSelected(bool ban);
    /// What the member actions answer: the text on success (and the members read again), the refusal otherwise.
    void memberActionDone(const AdminClient::Result<std::monostate> &result, const QString &text);
    /// A failed refresh: shown until the next refresh that works.
    void showError(const AdminError &error);
    /// An action refused (or failed): shown, and kept beside later refreshes' time until the next action.
    void showRefused(const AdminError &error);
    void showDone(const QString &text);
    QString errorStyle() const;
    void addActivity(const Admin::Activity &activity);
    void oneAnswered();

    AdminClient &m_client;
    AdminTableModel<Admin::Connection> m_connections;
    AdminTableModel<Admin::Room> m_rooms;
    AdminTableModel<Admin::User> m_users;
    AdminTableModel<Admin::AuditEntry> m_audit;
    AdminTableModel<Admin::Trace> m_traces;
    QTabWidget *m_tabs;
    QTableView *m_connectionsView = nullptr;
    QTableView *m_roomsView = nullptr;
    AdminTableModel<Admin::RoomMember> m_members;
    QTableView *m_membersView = nullptr;
    QLabel *m_membersTitle = nullptr;
    QString m_membersRoom;
    quint64 m_membersRequest = 0;   ///< the latest read: older answers are dropped
    QPushButton *m_role = nullptr;
    QPushButton *m_transfer = nullptr;
    QPushButton *m_mute = nullptr;
    QPushButton *m_unmute = nullptr;
    QPushButton *m_unban = nullptr;
    QPushButton *m_roomSettings = nullptr;
    QPointer<RoomSettingsDialog> m_roomSettingsDialog;
    QTableView *m_usersView = nullptr;
    QPushButton *m_disconnect = nullptr;
    QPushButton *m_signOut = nullptr;
    QPushButton *m_disable = nullptr;
    QPushButton *m_resetPassword = nullptr;
    QPushButton *m_administrator = nullptr;
    QPushButton *m_removeFromRoom = nullptr;
    QPushButton *m_banFromRoom = nullptr;
    QTableView *m_auditView = nullptr;
    QPushButton *m_olderAudit = nullptr;
    QLabel *m_auditHelp = nullptr;
    int m_auditPageSize = kAuditPageSize;
    bool m_auditMore = false;        ///< older lines than those shown exist
    qint64 m_auditBefore = 0;        ///< the `before` of the next older page
    bool m_auditPagedBack = false;   ///< older pages were read: the newest page no longer says what is next
    QLabel *m_tracesHelp = nullptr;
    QTableView *m_tracesView = nullptr;
    QLabel *m_findLabel = nullptr;
    QLineEdit *m_traceRoom = nullptr;
    QSpinBox *m_traceSeq = nullptr;
    QPushButton *m_findTrace = nullptr;
    QTextBrowser *m_traceDetail = nullptr;
    std::optional<Admin::Trace> m_shownTrace;
    QString m_traceNote;            ///< why no trace is shown (a lookup found none), until the next one
    QPushButton *m_close = nullptr;
    QLabel *m_status;
    QLabel *m_activityHelp = nullptr;
    RttChart *m_connectionsChart = nullptr;
    RttChart *m_messagesChart = nullptr;
    RttChart *m_deliveryChart = nullptr;
    RttChart *m_rttChart = nullptr;
    QList<QLabel *> m_chartTitles;
    QTimer m_timer;
    std::optional<Admin::MetricsScrape> m_lastScrape;
    QList<Admin::Activity> m_activity;
    int m_pending = 0;              ///< requests of the refresh in progress still unanswered
    std::optional<AdminError> m_refreshError;
    QString m_lastAction;           ///< what the last action did, shown until the next one
    bool m_lastActionRefused = false; ///< m_lastAction is a refusal (shown in red)
};

} // namespace Tertulia
