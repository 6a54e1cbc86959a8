#include "app/ui/adminconsole.h"

#include "app/ui/appearance.h"
#include "app/ui/passwordresetdialog.h"
#include "app/ui/rttchart.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimeZone>
#include <QtWidgets/QBoxLayout>

#include <cmath>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using Admin::Connection;
using Admin::Room;
using Admin::User;

QVariant shown(int role, const QVariant &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    if (role == Qt::DisplayRole)
        return text;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(alignment);
    return {};
}
QVariant number(int role, qint64 value)
{
    return shown(role, QLocale().toString(value), Qt::AlignRight | Qt::AlignVCenter);
}
QString yesNo(bool value) { return value ? AdminConsole::tr("yes") : AdminConsole::tr("no"); }

QList<AdminTableModel<Connection>::Column> connectionColumns()
{
    return {
        {[] { return AdminConsole::tr("User"); },
         [](const Connection &c, int role) { return shown(role, c.user.isEmpty() ? AdminConsole::tr("(signing in)") : c.user); }},
        {[] { return AdminConsole::tr("Address"); }, [](const Connection &c, int role) { return shown(role, c.address); }},
        {[] { return AdminConsole::tr("Protocol"); },
         [](const Connection &c, int role) { return shown(role, c.protocol + u" · "_s + c.transport); }},
        {[] { return AdminConsole::tr("Connected since"); },
         [](const Connection &c, int role) { return shown(role, UiText::dateTime(c.connectedAt.toLocalTime())); }},
        {[] { return AdminConsole::tr("Round trip"); },
         [](const Connection &c, int role) {
             return shown(role, UiText::milliseconds(c.rttMs), Qt::AlignRight | Qt::AlignVCenter);
         }},
        {[] { return AdminConsole::tr("Waiting to be sent"); },
         [](const Connection &c, int role) {
             return shown(role, UiText::bytes(quint64(c.queuedBytes)), Qt::AlignRight | Qt::AlignVCenter);
         }},
        {[] { return AdminConsole::tr("Rooms"); }, [](const Connection &c, int role) { return number(role, c.rooms); }},
    };
}

QList<AdminTableModel<Room>::Column> roomColumns()
{
    return {
        {[] { return AdminConsole::tr("Room"); }, [](const Room &r, int role) { return shown(role, r.name); }},
        {[] { return AdminConsole::tr("Private"); }, [](const Room &r, int role) { return shown(role, yesNo(r.isPrivate)); }},
        {[] { return AdminConsole::tr("Members"); }, [](const Room &r, int role) { return number(role, r.members); }},
        {[] { return AdminConsole::tr("Online"); }, [](const Room &r, int role) { return number(role, r.onlineMembers); }},
        {[] { return AdminConsole::tr("Connections"); }, [](const Room &r, int role) { return number(role, r.connections); }},
        {[] { return AdminConsole::tr("Messages"); }, [](const Room &r, int role) { return number(role, r.lastSeq); }},
    };
}

QList<AdminTableModel<User>::Column> userColumns()
{
    return {
        {[] { return AdminConsole::tr("User"); }, [](const User &u, int role) { return shown(role, u.name); }},
        {[] { return AdminConsole::tr("Administrator"); }, [](const User &u, int role) { return shown(role, yesNo(u.isAdmin)); }},
        {[] { return AdminConsole::tr("Online"); }, [](const User &u, int role) { return shown(role, yesNo(u.online)); }},
        {[] { return AdminConsole::tr("Connections"); }, [](const User &u, int role) { return number(role, u.connections); }},
        {[] { return AdminConsole::tr("Signed-in devices"); }, [](const User &u, int role) { return number(role, u.logins); }},
        {[] { return AdminConsole::tr("Disabled"); }, [](const User &u, int role) { return shown(role, yesNo(u.disabled)); }},
    };
}

/// The audit log's action names, for people (unknown ones as the server wrote them).
QString actionText(const QString &action)
{
    static const QHash<QString, const char *> names{
        {u"set_role"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "changed a role")},
        {u"transfer_ownership"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "transferred ownership")},
        {u"remove_member"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "removed from the room")},
        {u"ban"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "banned")},
        {u"unban"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "lifted a ban")},
        {u"mute"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "muted")},
        {u"unmute"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "lifted a mute")},
        {u"disconnect"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "disconnected")},
        {u"sign_out_everywhere"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "signed out everywhere")},
        {u"reset_password"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "reset the password")},
        {u"set_admin"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "changed administrator")},
        {u"disable_account"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "disabled the account")},
        {u"enable_account"_s, QT_TRANSLATE_NOOP("Tertulia::AdminConsole", "enabled the account")},
    };
    const auto it = names.constFind(action);
    return it == names.cend() ? action : AdminConsole::tr(*it);
}

/// The details as the server wrote them, with its times ("until=<ms since the epoch>") as dates people read.
QString detailText(const QString &detail)
{
    static const QRegularExpression until(u"\\buntil=(\\d{1,16})\\b"_s);
    QString text = detail;
    QRegularExpressionMatch match;
    while ((match = until.match(text)).hasMatch()) {
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(match.captured(1).toLongLong(), QTimeZone::utc());
        text.replace(match.capturedStart(), match.capturedLength(),
                     AdminConsole::tr("until %1").arg(UiText::dateTime(when.toLocalTime())));
    }
    return text;
}

QList<AdminTableModel<Admin::AuditEntry>::Column> auditColumns()
{
    using Admin::AuditEntry;
    return {
        {[] { return AdminConsole::tr("When"); },
         [](const AuditEntry &e, int role) { return shown(role, UiText::dateTime(e.at.toLocalTime())); }},
        {[] { return AdminConsole::tr("Who"); }, [](const AuditEntry &e, int role) { return shown(role, e.actor); }},
        {[] { return AdminConsole::tr("Did"); },
         [](const AuditEntry &e, int role) {
             if (role == Qt::ToolTipRole)
                 return QVariant(e.action);
             return shown(role, actionText(e.action));
         }},
        {[] { return AdminConsole::tr("To"); }, [](const AuditEntry &e, int role) { return shown(role, e.target); }},
        {[] { return AdminConsole::tr("Room"); },
         [](const AuditEntry &e, int role) { return shown(role, e.room.isEmpty() ? QString() : u"#"_s + e.room); }},
        {[] { return AdminConsole::tr("Reason"); }, [](const AuditEntry &e, int role) { return shown(role, e.reason); }},
        {[] { return AdminConsole::tr("Details"); },
         [](const AuditEntry &e, int role) {
             if (role == Qt::ToolTipRole)
                 return QVariant(e.detail);
             return shown(role, detailText(e.detail));
         }},
    };
}

QTableView *tableFor(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setTabKeyNavigation(false);
    return view;
}

/// Re-selects the row whose key was selected before the rows were replaced.
template<typename Row, typename Key>
void keepSelection(QTableView *view, AdminTableModel<Row> &model, QList<Row> rows, Key (*keyOf)(const Row &))
{
    std::optional<Key> selected;
    if (const QModelIndexList rowsSelected = view->selectionModel()->selectedRows(); !rowsSelected.isEmpty())
        if (const Row *row = model.rowAt(rowsSelected.first().row()))
            selected = keyOf(*row);
    model.setRows(std::move(rows));
    if (!selected)
        return;
    for (int i = 0; i < model.rows().size(); ++i) {
        if (keyOf(model.rows().at(i)) == *selected) {
            view->selectRow(i);
            return;
        }
    }
}
quint64 connectionKey(const Connection &c) { return c.id; }
QString userKey(const User &u) { return u.name; }
QString roomKey(const Room &r) { return r.name; }

QList<ConnectionHealth::RttSample> seriesOf(const QList<Admin::Activity> &activity,
                                            std::optional<double> (*valueOf)(const Admin::Activity &))
{
    QList<ConnectionHealth::RttSample> samples;
    for (const Admin::Activity &a : activity) {
        if (const auto value = valueOf(a))
            samples.append({a.at.toMSecsSinceEpoch(), a.at, *value});
    }
    return samples;
}

std::optional<double> meanOf(const QList<ConnectionHealth::RttSample> &samples)
{
    if (samples.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (const auto &sample : samples)
        sum += sample.rttMs;
    return sum / double(samples.size());
}
} // namespace

AdminConsole::AdminConsole(AdminClient &client, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_connections(connectionColumns(), this),
      m_rooms(roomColumns(), this),
      m_users(userColumns(), this),
      m_audit(auditColumns(), this),
      m_tabs(new QTabWidget(this)),
      m_status(new QLabel(this))
{
    setObjectName(u"adminConsole"_s);
    m_tabs->addTab(createConnectionsTab(), QString());
    m_tabs->addTab(createRoomsTab(), QString());
    m_tabs->addTab(createUsersTab(), QString());
    m_tabs->addTab(createActivityTab(), QString());
    m_tabs->addTab(createAuditTab(), QString());
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(this);
    m_close = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    resize(820, 520);

    askDisconnectReason = [this](const Connection &connection) -> std::optional<QString> {
        bool ok = false;
        const QString reason = QInputDialog::getText(
            this, tr("Disconnect"),
            tr("Disconnect %1 (%2)? They see this reason:").arg(connection.user.isEmpty() ? tr("(signing in)") : connection.user,
                                                                 connection.address),
            QLineEdit::Normal, tr("disconnected by an administrator"), &ok);
        return ok ? std::optional(reason) : std::nullopt;
    };
    confirmSignOut = [this](const QString &user) {
        return QMessageBox::question(this, tr("Sign out everywhere"),
                                     tr("Sign %1 out on every device? Their open connections close, and they must "
                                        "sign in again with their password.").arg(user))
               == QMessageBox::Yes;
    };
    confirmDisable = [this](const QString &user, bool disable) {
        if (!disable)
            return true; // giving an account back is not risky
        return QMessageBox::question(this, tr("Disable account"),
                                     tr("Disable %1? They are signed out on every device and cannot sign in until "
                                        "an administrator enables the account again. Their rooms and messages stay.")
                                         .arg(user))
               == QMessageBox::Yes;
    };
    askNewPassword = [this](const QString &user) -> std::optional<QString> {
        PasswordResetDialog dialog(user, this);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.password();
    };

    m_timer.setInterval(kDefaultRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &AdminConsole::refresh);
    retranslate();
    updateButtons();
}

AdminConsole::~AdminConsole() = default;

QWidget *AdminConsole::createConnectionsTab()
{
    auto *page = new QWidget(this);
    m_connectionsView = tableFor(&m_connections, page);
    m_connectionsView->setObjectName(u"adminConnections"_s);
    m_disconnect = new QPushButton(page);
    m_disconnect->setAutoDefault(false);
    connect(m_disconnect, &QPushButton::clicked, this, &AdminConsole::disconnectSelected);
    connect(m_connectionsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AdminConsole::updateButtons);
    connect(&m_connections, &QAbstractItemModel::modelReset, this, &AdminConsole::updateButtons);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_connectionsView);
    auto *row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_disconnect);
    layout->addLayout(row);
    return page;
}

QWidget *AdminConsole::createRoomsTab()
{
    auto *page = new QWidget(this);
    m_roomsView = tableFor(&m_rooms, page);
    m_roomsView->setObjectName(u"adminRooms"_s);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_roomsView);
    return page;
}

QWidget *AdminConsole::createUsersTab()
{
    auto *page = new QWidget(this);
    m_usersView = tableFor(&m_users, page);
    m_usersView->setObjectName(u"adminUsers"_s);
    m_signOut = new QPushButton(page);
    m_signOut->setAutoDefault(false);
    connect(m_signOut, &QPushButton::clicked, this, &AdminConsole::signOutSelected);
    m_disable = new QPushButton(page);
    m_disable->setAutoDefault(false);
    connect(m_disable, &QPushButton::clicked, this, &AdminConsole::disableSelected);
    m_resetPassword = new QPushButton(page);
    m_resetPassword->setAutoDefault(false);
    connect(m_resetPassword, &QPushButton::clicked, this, &AdminConsole::resetPasswordSelected);
    connect(m_usersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AdminConsole::updateButtons);
    connect(&m_users, &QAbstractItemModel::modelReset, this, &AdminConsole::updateButtons);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_usersView);
    auto *row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_disable);
    row->addWidget(m_resetPassword);
    row->addWidget(m_signOut);
    layout->addLayout(row);
    return page;
}

QWidget *AdminConsole::createAuditTab()
{
    auto *page = new QWidget(this);
    m_auditView = tableFor(&m_audit, page);
    m_auditView->setObjectName(u"adminAudit"_s);
    m_auditHelp = new QLabel(page);
    m_auditHelp->setWordWrap(true);
    m_olderAudit = new QPushButton(page);
    m_olderAudit->setAutoDefault(false);
    m_olderAudit->setEnabled(false);
    connect(m_olderAudit, &QPushButton::clicked, this, &AdminConsole::loadOlderAudit);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_auditHelp);
    layout->addWidget(m_auditView);
    auto *row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_olderAudit);
    layout->addLayout(row);
    return page;
}

QWidget *AdminConsole::createActivityTab()
{
    auto *page = new QWidget(this);
    auto *grid = new QGridLayout(page);
    m_activityHelp = new QLabel(page);
    m_activityHelp->setWordWrap(true);
    grid->addWidget(m_activityHelp, 0, 0, 1, 2);
    int index = 0;
    for (RttChart **chart : {&m_connectionsChart, &m_messagesChart, &m_deliveryChart, &m_rttChart}) {
        auto *title = new QLabel(page);
        *chart = new RttChart(page);
        title->setBuddy(*chart);
        m_chartTitles.append(title);
        grid->addWidget(title, 1 + (index / 2) * 2, index % 2);
        grid->addWidget(*chart, 2 + (index / 2) * 2, index % 2);
        ++index;
    }
    grid->setRowStretch(5, 1);
    // Counts are whole; a scale's half-way mark may not be.
    const auto count = [](std::optional<double> v) {
        return v ? QLocale().toString(*v, 'f', *v == std::floor(*v) ? 0 : 1) : u"–"_s;
    };
    const auto rate = [](std::optional<double> v) { return v ? tr("%1/s").arg(QLocale().toString(*v, 'f', *v < 10 ? 1 : 0)) : u"–"_s; };
    m_connectionsChart->setSeries([] { return tr("Connections chart"); }, count);
    m_messagesChart->setSeries([] { return tr("Messages per second chart"); }, rate);
    m_deliveryChart->setSeries([] { return tr("Delivery latency chart"); }, &UiText::milliseconds);
    m_rttChart->setSeries([] { return tr("Ping round-trip chart"); }, &UiText::milliseconds);
    return page;
}

void AdminConsole::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(interval);
    retranslate(); // the activity tab says how often
}

QList<RttChart *> AdminConsole::charts() const { return {m_connectionsChart, m_messagesChart, m_deliveryChart, m_rttChart}; }

void AdminConsole::retranslate()
{
    setWindowTitle(tr("Server administration: %1").arg(m_client.server().host()));
    m_tabs->setTabText(0, tr("Connections"));
    m_tabs->setTabText(1, tr("Rooms"));
    m_tabs->setTabText(2, tr("Users"));
    m_tabs->setTabText(3, tr("Activity"));
    m_tabs->setTabText(4, tr("Audit log"));
    m_auditHelp->setText(tr("What moderators and administrators did, newest first, as the server recorded it."));
    m_olderAudit->setText(tr("&Older entries"));
    m_resetPassword->setText(tr("&Reset password…"));
    m_disconnect->setText(tr("&Disconnect…"));
    m_signOut->setText(tr("&Sign out everywhere…"));
    m_close->setText(tr("Close"));
    m_activityHelp->setText(tr("From the server's own metrics, every %1 s over the last %2 minutes.")
                                .arg(m_timer.interval() / 1000.0)
                                .arg(kChartWindow.count()));
    const QStringList titles{tr("Connections"), tr("Messages per second"), tr("Delivery latency (mean)"),
                             tr("Ping round trip (mean)")};
    for (int i = 0; i < m_chartTitles.size(); ++i)
        m_chartTitles.at(i)->setText(titles.at(i));
    m_connections.retranslate();
    m_rooms.retranslate();
    m_users.retranslate();
    m_audit.retranslate();
    updateButtons();
}

void AdminConsole::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void AdminConsole::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    refresh();
    m_timer.start();
}

void AdminConsole::hideEvent(QHideEvent *event)
{
    m_timer.stop();
    QDialog::hideEvent(event);
}

void AdminConsole::updateButtons()
{
    m_disconnect->setEnabled(m_connectionsView->selectionModel()->hasSelection());
    m_signOut->setEnabled(m_usersView->selectionModel()->hasSelection());
    const User *user = selectedUser();
    m_disable->setEnabled(user != nullptr);
    m_resetPassword->setEnabled(user != nullptr);
    // One button that says what it will do to the selected account.
    m_disable->setText(user && user->disabled ? tr("&Enable") : tr("D&isable…"));
    m_olderAudit->setEnabled(m_auditMore);
}

const User *AdminConsole::selectedUser() const
{
    const QModelIndexList selected = m_usersView->selectionModel()->selectedRows();
    return selected.isEmpty() ? nullptr : m_users.rowAt(selected.first().row());
}

void AdminConsole::refresh()
{
    if (m_pending > 0)
        return; // the last one is still under way
    m_pending = 5;
    m_refreshError.reset();
    m_client.connections([this](const AdminClient::Result<QList<Connection>> &result) {
        if (const auto *rows = std::get_if<QList<Connection>>(&result))
            keepSelection(m_connectionsView, m_connections, *rows, &connectionKey);
        else
            m_refreshError = std::get<AdminError>(result);
        oneAnswered();
    });
    m_client.rooms([this](const AdminClient::Result<QList<Room>> &result) {
        if (const auto *rows = std::get_if<QList<Room>>(&result))
            keepSelection(m_roomsView, m_rooms, *rows, &roomKey);
        else
            m_refreshError = std::get<AdminError>(result);
        oneAnswered();
    });
    m_client.users([this](const AdminClient::Result<QList<User>> &result) {
        if (const auto *rows = std::get_if<QList<User>>(&result))
            keepSelection(m_usersView, m_users, *rows, &userKey);
        else
            m_refreshError = std::get<AdminError>(result);
        oneAnswered();
    });
    m_client.audit(0, m_auditPageSize, [this](const AdminClient::Result<Admin::AuditPage> &result) {
        if (const auto *page = std::get_if<Admin::AuditPage>(&result)) {
            // Older pages read on demand stay below the newest one; otherwise the newest page is all there is.
            m_audit.setRows(m_auditPagedBack ? Admin::AuditPage::merge(page->entries, m_audit.rows()) : page->entries);
            if (!m_auditPagedBack) {
                m_auditMore = page->more;
                m_auditBefore = page->nextBefore;
            }
            updateButtons();
        } else {
            m_refreshError = std::get<AdminError>(result);
        }
        oneAnswered();
    });
    m_client.metrics([this](const AdminClient::Result<Admin::MetricsScrape> &result) {
        if (const auto *scrape = std::get_if<Admin::MetricsScrape>(&result)) {
            if (m_lastScrape) {
                if (const auto activity = Admin::Activity::between(*m_lastScrape, *scrape))
                    addActivity(*activity);
            }
            m_lastScrape = *scrape;
        }
        // /metrics needs no token: its failure says nothing the other three do not.
        oneAnswered();
    });
}

void AdminConsole::oneAnswered()
{
    if (--m_pending > 0)
        return;
    if (m_refreshError) {
        // Nothing of a server the account may not administer stays on screen.
        if (m_refreshError->code == AdminError::Code::NotAdministrator) {
            m_connections.setRows({});
            m_rooms.setRows({});
            m_users.setRows({});
            m_audit.setRows({});
            m_auditMore = false;
            m_auditPagedBack = false;
            updateButtons();
        }
        showError(*m_refreshError);
    } else {
        const QString updated = tr("Updated at %1.").arg(UiText::time(QDateTime::currentDateTime()));
        m_status->setText(m_lastAction.isEmpty() ? updated : m_lastAction + u' ' + updated);
        m_status->setStyleSheet({});
    }
    Q_EMIT refreshed();
}

void AdminConsole::addActivity(const Admin::Activity &activity)
{
    m_activity.append(activity);
    const QDateTime oldest = activity.at.addSecs(-std::chrono::duration_cast<std::chrono::seconds>(kChartWindow).count());
    while (!m_activity.isEmpty() && m_activity.first().at < oldest)
        m_activity.removeFirst();
    const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(kChartWindow);
    const auto draw = [&](RttChart *chart, std::optional<double> (*valueOf)(const Admin::Activity &)) {
        const auto samples = seriesOf(m_activity, valueOf);
        chart->setSamples(samples, meanOf(samples), window, activity.at);
    };
    draw(m_connectionsChart, [](const Admin::Activity &a) { return std::optional(a.connections); });
    draw(m_messagesChart, [](const Admin::Activity &a) { return std::optional(a.messagesPerSecond); });
    draw(m_deliveryChart, [](const Admin::Activity &a) { return a.deliveryMs; });
    draw(m_rttChart, [](const Admin::Activity &a) { return a.pingRttMs; });
}

void AdminConsole::showError(const AdminError &error)
{
    m_status->setText(error.text());
    // The red of the other dialogs' errors, toned to the palette (readable light and dark).
    const QColor red = Appearance::mix(palette().color(QPalette::WindowText), QColor(0xd3, 0x2f, 0x2f), 0.8);
    m_status->setStyleSheet(u"color: %1"_s.arg(red.name()));
}

void AdminConsole::showDone(const QString &text)
{
    m_lastAction = text;
    m_status->setText(text);
    m_status->setStyleSheet({});
}

void AdminConsole::disconnectSelected()
{
    const QModelIndexList selected = m_connectionsView->selectionModel()->selectedRows();
    const Connection *row = selected.isEmpty() ? nullptr : m_connections.rowAt(selected.first().row());
    if (!row)
        return;
    const Connection connection = *row;
    const std::optional<QString> reason = askDisconnectReason(connection);
    if (!reason)
        return;
    m_client.disconnect(connection.id, *reason, [this, connection](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showError(*error);
        showDone(tr("Disconnected %1 (%2).").arg(connection.user.isEmpty() ? tr("(signing in)") : connection.user,
                                                 connection.address));
        refresh();
    });
}

void AdminConsole::loadOlderAudit()
{
    if (!m_auditMore)
        return;
    m_olderAudit->setEnabled(false); // one page at a time
    m_client.audit(m_auditBefore, m_auditPageSize, [this](const AdminClient::Result<Admin::AuditPage> &result) {
        if (const auto *error = std::get_if<AdminError>(&result)) {
            updateButtons();
            return showError(*error);
        }
        const auto &page = std::get<Admin::AuditPage>(result);
        QList<Admin::AuditEntry> rows = m_audit.rows();
        for (const Admin::AuditEntry &entry : page.entries) {
            if (rows.isEmpty() || entry.id < rows.constLast().id)
                rows.append(entry);
        }
        m_audit.setRows(std::move(rows));
        m_auditPagedBack = true;
        m_auditMore = page.more;
        m_auditBefore = page.nextBefore;
        updateButtons();
    });
}

void AdminConsole::disableSelected()
{
    const User *row = selectedUser();
    if (!row)
        return;
    const QString user = row->name;
    const bool disable = !row->disabled;
    if (!confirmDisable(user, disable))
        return;
    m_client.setDisabled(user, disable, [this, user, disable](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showError(*error);
        showDone(disable ? tr("Disabled %1.").arg(user) : tr("Enabled %1.").arg(user));
        refresh();
    });
}

void AdminConsole::resetPasswordSelected()
{
    const User *row = selectedUser();
    if (!row)
        return;
    const QString user = row->name;
    const std::optional<QString> password = askNewPassword(user);
    if (!password)
        return;
    m_client.resetPassword(user, *password, [this, user](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showError(*error);
        showDone(tr("Set a new password for %1; they were signed out everywhere.").arg(user));
        refresh();
    });
}

void AdminConsole::signOutSelected()
{
    const QModelIndexList selected = m_usersView->selectionModel()->selectedRows();
    const User *row = selected.isEmpty() ? nullptr : m_users.rowAt(selected.first().row());
    if (!row)
        return;
    const QString user = row->name;
    if (!confirmSignOut(user))
        return;
    m_client.signOutEverywhere(user, [this, user](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showError(*error);
        showDone(tr("Signed %1 out everywhere.").arg(user));
        refresh();
    });
}

} // namespace Tertulia
