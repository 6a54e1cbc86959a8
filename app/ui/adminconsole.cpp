#include "app/ui/adminconsole.h"

#include "app/ui/appearance.h"
#include "app/ui/moderationdialog.h"
#include "app/ui/passwordresetdialog.h"
#include "app/ui/roomsettingsdialog.h"
#include "app/ui/rttchart.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimeZone>
#include <QtWidgets/QBoxLayout>

#include <cmath>
#include <limits>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextBrowser>

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
        // Shown only when the connections are on more than one node (AdminConsole::kNodeColumn).
        {[] { return AdminConsole::tr("Node"); }, [](const Connection &c, int role) { return shown(role, c.node); }},
    };
}

QList<AdminTableModel<Room>::Column> roomColumns()
{
    return {
        {[] { return AdminConsole::tr("Room"); }, [](const Room &r, int role) { return shown(role, r.name); }},
        {[] { return AdminConsole::tr("Name"); }, [](const Room &r, int role) { return shown(role, r.title); }},
        {[] { return AdminConsole::tr("Private"); }, [](const Room &r, int role) { return shown(role, yesNo(r.isPrivate)); }},
        {[] { return AdminConsole::tr("Archived"); }, [](const Room &r, int role) { return shown(role, yesNo(r.archived)); }},
        {[] { return AdminConsole::tr("Members"); }, [](const Room &r, int role) { return number(role, r.members); }},
        {[] { return AdminConsole::tr("Online"); }, [](const Room &r, int role) { return number(role, r.onlineMembers); }},
        {[] { return AdminConsole::tr("Connections"); }, [](const Room &r, int role) { return number(role, r.connections); }},
        {[] { return AdminConsole::tr("Messages"); }, [](const Room &r, int role) { return number(role, r.lastSeq); }},
        {[] { return AdminConsole::tr("Messages/s"); },
         [](const Room &r, int role) {
             if (role == Qt::ToolTipRole)
                 return QVariant(AdminConsole::tr("Messages per second over the last minute"));
             return shown(role, QLocale().toString(r.messagesPerSecond, 'f', 2), Qt::AlignRight | Qt::AlignVCenter);
         }},
        {[] { return AdminConsole::tr("Topic"); }, [](const Room &r, int role) { return shown(role, r.topic); }},
    };
}

QString roleText(const QString &role)
{
    if (role == u"owner")
        return AdminConsole::tr("owner");
    if (role == u"moderator")
        return AdminConsole::tr("moderator");
    if (role == u"member")
        return AdminConsole::tr("member");
    return role;
}

QList<AdminTableModel<Admin::RoomMember>::Column> memberColumns()
{
    using Admin::RoomMember;
    return {
        {[] { return AdminConsole::tr("User"); }, [](const RoomMember &m, int role) { return shown(role, m.user); }},
        {[] { return AdminConsole::tr("Role"); },
         [](const RoomMember &m, int role) { return shown(role, m.banned ? QString() : roleText(m.role)); }},
        {[] { return AdminConsole::tr("Online"); }, [](const RoomMember &m, int role) { return shown(role, yesNo(m.online)); }},
        {[] { return AdminConsole::tr("Sanction"); },
         [](const RoomMember &m, int role) {
             if (!m.banned && !m.muted)
                 return shown(role, QString());
             const QString until = m.until.isValid() ? AdminConsole::tr("until %1").arg(UiText::dateTime(m.until.toLocalTime()))
                                                     : AdminConsole::tr("until lifted");
             return shown(role, (m.banned ? AdminConsole::tr("banned, %1") : AdminConsole::tr("muted, %1")).arg(until));
         }},
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

QList<AdminTableModel<Admin::Trace>::Column> traceColumns()
{
    using Admin::Trace;
    return {
        {[] { return AdminConsole::tr("Room"); }, [](const Trace &t, int role) { return shown(role, u"#"_s + t.room); }},
        {[] { return AdminConsole::tr("Message"); },
         [](const Trace &t, int role) {
             if (t.seq == 0)
                 return shown(role, AdminConsole::tr("refused"), Qt::AlignRight | Qt::AlignVCenter);
             return number(role, t.seq);
         }},
        {[] { return AdminConsole::tr("Sender"); }, [](const Trace &t, int role) { return shown(role, t.sender); }},
        {[] { return AdminConsole::tr("Received on"); },
         [](const Trace &t, int role) { return shown(role, t.originNode.isEmpty() ? t.node : t.originNode); }},
        {[] { return AdminConsole::tr("Received"); },
         [](const Trace &t, int role) { return shown(role, UiText::dateTime(t.receivedAt().toLocalTime())); }},
        {[] { return AdminConsole::tr("Delivered to"); },
         [](const Trace &t, int role) {
             const QString text = t.queued > 0 ? AdminConsole::tr("%1 (%2 queued)")
                                                     .arg(QLocale().toString(t.delivered), QLocale().toString(t.queued))
                                               : QLocale().toString(t.delivered);
             return shown(role, text, Qt::AlignRight | Qt::AlignVCenter);
         }},
        {[] { return AdminConsole::tr("Offline"); }, [](const Trace &t, int role) { return number(role, t.offlineCount); }},
        {[] { return AdminConsole::tr("Total"); },
         [](const Trace &t, int role) { return shown(role, UiText::milliseconds(t.totalMs()), Qt::AlignRight | Qt::AlignVCenter); }},
        {[] { return AdminConsole::tr("Trace id"); }, [](const Trace &t, int role) { return shown(role, t.traceId); }},
    };
}

QString stageName(Admin::Trace::Stage stage)
{
    using Stage = Admin::Trace::Stage;
    switch (stage) {
    case Stage::Received: return AdminConsole::tr("received");
    case Stage::Validated: return AdminConsole::tr("validated");
    case Stage::Committed: return AdminConsole::tr("stored");
    case Stage::Published: return AdminConsole::tr("published");
    case Stage::Routed: return AdminConsole::tr("routed");
    case Stage::Delivered: return AdminConsole::tr("delivered");
    case Stage::Answered: return AdminConsole::tr("answered");
    }
    return {};
}

/// "+1.25 ms" from the message's reception, or a relayed trace's routing (the node's own clock, so offsets
/// compare across stages).
QString offsetText(const Admin::Trace &trace, std::optional<double> atMs)
{
    const auto start = trace.startMs();
    if (!atMs || !start)
        return u"–"_s;
    return u"+"_s + UiText::milliseconds(*atMs - *start);
}

/// The detail pane: the stages, each session it was handed to, and who was offline; every server-given text
/// escaped (user and room names are anyone's).
QString traceHtml(const Admin::Trace &trace)
{
    using Stage = Admin::Trace::Stage;
    const auto esc = [](const QString &text) { return text.toHtmlEscaped(); };
    QString html;
    const QString title = trace.seq > 0
                              ? AdminConsole::tr("Message %1 in #%2 from %3").arg(trace.seq).arg(esc(trace.room), esc(trace.sender))
                              : AdminConsole::tr("A message refused in #%1 from %2").arg(esc(trace.room), esc(trace.sender));
    html += u"<h3>"_s + title + u"</h3>"_s;
    if (trace.isRelayed()) {
        // The other node has the stages before routing; this one, what it delivered (its offsets from routing).
        html += u"<p>"_s + AdminConsole::tr("Trace %1 on node %2: this node's part of a message received on node %3. "
                                            "That node's part has its earlier stages; times here are from routing.")
                              .arg(esc(trace.traceId), esc(trace.node), esc(trace.originNode));
    } else {
        html += u"<p>"_s + AdminConsole::tr("Trace %1 on node %2, sent on connection %3.")
                              .arg(esc(trace.traceId), esc(trace.node.isEmpty() ? u"–"_s : trace.node))
                              .arg(trace.connection);
    }
    if (trace.duplicate)
        html += u" "_s + AdminConsole::tr("A retry of a message already stored.");
    if (!trace.error.isEmpty())
        html += u" "_s + AdminConsole::tr("It failed: %1").arg(esc(trace.error));
    // The stages side by side, in the order a message goes through them: one line to read left to right.
    QString stageNames, offsets;
    for (int i = 0; i < Admin::Trace::kStages; ++i) {
        const auto stage = Stage(i);
        stageNames += u"<th align=\"right\">%1</th>"_s.arg(esc(stageName(stage)));
        offsets += u"<td align=\"right\">%1</td>"_s.arg(
            trace.at(stage) ? esc(offsetText(trace, trace.at(stage))) : AdminConsole::tr("not reached"));
    }
    html += u"</p><table cellspacing=\"0\" cellpadding=\"4\"><tr>"_s + stageNames + u"</tr><tr>"_s + offsets
            + u"</tr></table>"_s;

    html += u"<h4>"_s + AdminConsole::tr("Sessions it was handed to: %1").arg(QLocale().toString(trace.delivered)) + u"</h4>"_s;
    if (!trace.deliveries.isEmpty()) {
        html += u"<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">%1</th><th align=\"left\">%2</th>"
                u"<th align=\"left\">%3</th><th align=\"right\">%4</th><th align=\"right\">%5</th></tr>"_s
                    .arg(AdminConsole::tr("User"), AdminConsole::tr("Connection"), AdminConsole::tr("How"),
                         AdminConsole::tr("When"), AdminConsole::tr("Shown"));
        for (const Admin::TraceDelivery &d : trace.deliveries) {
            const QString how = d.queuedBehindBytes > 0
                                    ? AdminConsole::tr("queued behind %1").arg(UiText::bytes(quint64(d.queuedBehindBytes)))
                                    : AdminConsole::tr("written");
            // When its client said it showed it (only clients that report do: the desktop app).
            const QString shown = d.displayedAtMs ? esc(offsetText(trace, *d.displayedAtMs)) : u"–"_s;
            html += u"<tr><td>%1</td><td>%2 · %3</td><td>%4</td><td align=\"right\">%5</td><td align=\"right\">%6</td></tr>"_s.arg(
                esc(d.user), QString::number(d.connection), esc(d.protocol), esc(how), esc(offsetText(trace, d.atMs)),
                shown);
        }
        html += u"</table>"_s;
        if (trace.delivered > trace.deliveries.size())
            html += u"<p>"_s + AdminConsole::tr("The first %1 are listed.").arg(trace.deliveries.size()) + u"</p>"_s;
    }
    html += u"<h4>"_s + AdminConsole::tr("Members offline: %1").arg(QLocale().toString(trace.offlineCount)) + u"</h4>"_s;
    if (trace.offlineCount > 0) {
        QStringList names;
        for (const QString &name : trace.offline)
            names.append(esc(name));
        html += u"<p>"_s + names.join(u", "_s);
        if (trace.offlineCount > trace.offline.size())
            html += u" "_s + AdminConsole::tr("and %1 more").arg(QLocale().toString(trace.offlineCount - trace.offline.size()));
        html += u"</p><p>"_s + AdminConsole::tr("They get it when they resume, or from the history.") + u"</p>"_s;
    }
    return html;
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
QString connectionKey(const Connection &c) { return c.ref(); }
QString traceKey(const Admin::Trace &t) { return t.traceId + u'/' + t.room + u'/' + QString::number(t.seq); }
QString userKey(const User &u) { return u.name; }
QString roomKey(const Room &r) { return r.name; }
QString memberKey(const Admin::RoomMember &m) { return m.user + (m.banned ? u"/banned"_s : QString()); }

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
      m_traces(traceColumns(), this),
      m_tabs(new QTabWidget(this)),
      m_members(memberColumns(), this),
      m_status(new QLabel(this))
{
    setObjectName(u"adminConsole"_s);
    m_tabs->addTab(createConnectionsTab(), QString());
    m_tabs->addTab(createRoomsTab(), QString());
    m_tabs->addTab(createUsersTab(), QString());
    m_tabs->addTab(createActivityTab(), QString());
    m_tabs->addTab(createAuditTab(), QString());
    m_tabs->addTab(createTracesTab(), QString());
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
    confirmAdministrator = [this](const QString &user, bool admin) {
        const QString question = admin
            ? tr("Make %1 an administrator of this server? They can see every connection, room and user, disable "
                 "accounts, reset passwords, moderate every room and name other administrators.").arg(user)
            : tr("Take the administrator rights of %1 away? They keep their account and rooms. The last "
                 "administrator cannot be removed.").arg(user);
        return QMessageBox::question(this, admin ? tr("Make administrator") : tr("Remove administrator"), question)
               == QMessageBox::Yes;
    };
    askNewPassword = [this](const QString &user) -> std::optional<QString> {
        PasswordResetDialog dialog(user, this);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.password();
    };

    askRoomAction = [this](bool ban, const QString &user, const QStringList &rooms) -> std::optional<RoomAction> {
        ModerationDialog dialog(ban ? ModerationDialog::Kind::Ban : ModerationDialog::Kind::Remove, user, QString(), this);
        dialog.setRooms(rooms);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return RoomAction{dialog.room(), dialog.reason(), dialog.duration()};
    };
    askMute = [this](const QString &user, const QString &room) -> std::optional<RoomAction> {
        ModerationDialog dialog(ModerationDialog::Kind::Mute, user, room, this);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return RoomAction{room, dialog.reason(), dialog.duration()};
    };
    confirmTransfer = [this](const QString &user, const QString &room) {
        return QMessageBox::question(this, tr("Transfer ownership"),
                                     tr("Make %1 the owner of #%2? Its owner now becomes a moderator; only the new "
                                        "owner (or an administrator) can hand it over again.")
                                         .arg(user, room))
               == QMessageBox::Yes;
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
    m_connectionsView->setColumnHidden(kNodeColumn, true); // until a refresh finds several nodes
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
    // The selected room's people below: its members with their roles, and who is banned from it.
    auto *membersPane = new QWidget(page);
    m_membersTitle = new QLabel(membersPane);
    m_membersView = tableFor(&m_members, membersPane);
    m_membersView->setObjectName(u"adminRoomMembers"_s);
    m_membersTitle->setBuddy(m_membersView);
    const auto button = [this, membersPane](QPushButton **slot, void (AdminConsole::*action)()) {
        *slot = new QPushButton(membersPane);
        (*slot)->setAutoDefault(false);
        connect(*slot, &QPushButton::clicked, this, action);
    };
    button(&m_role, &AdminConsole::toggleRoleSelected);
    button(&m_transfer, &AdminConsole::transferSelected);
    button(&m_mute, &AdminConsole::muteSelected);
    m_unmute = new QPushButton(membersPane);
    m_unmute->setAutoDefault(false);
    connect(m_unmute, &QPushButton::clicked, this, [this] { liftSelected(false); });
    m_unban = new QPushButton(membersPane);
    m_unban->setAutoDefault(false);
    connect(m_unban, &QPushButton::clicked, this, [this] { liftSelected(true); });
    connect(m_roomsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList selected = m_roomsView->selectionModel()->selectedRows();
        const Room *room = selected.isEmpty() ? nullptr : m_rooms.rowAt(selected.first().row());
        if ((room ? room->name : QString()) != m_membersRoom)
            loadMembers();
    });
    connect(m_membersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AdminConsole::updateButtons);
    connect(&m_members, &QAbstractItemModel::modelReset, this, &AdminConsole::updateButtons);
    auto *membersLayout = new QVBoxLayout(membersPane);
    membersLayout->setContentsMargins(0, 0, 0, 0);
    membersLayout->addWidget(m_membersTitle);
    membersLayout->addWidget(m_membersView);
    auto *row = new QHBoxLayout;
    for (QPushButton *action : {m_role, m_transfer, m_mute, m_unmute, m_unban})
        row->addWidget(action);
    row->addStretch();
    membersLayout->addLayout(row);
    // The selected room's settings, as its owner would change them (the administrator need not be in it).
    auto *roomsPane = new QWidget(page);
    m_roomSettings = new QPushButton(roomsPane);
    m_roomSettings->setAutoDefault(false);
    connect(m_roomSettings, &QPushButton::clicked, this, &AdminConsole::openRoomSettings);
    connect(m_roomsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AdminConsole::updateButtons);
    connect(&m_rooms, &QAbstractItemModel::modelReset, this, &AdminConsole::updateButtons);
    auto *roomsLayout = new QVBoxLayout(roomsPane);
    roomsLayout->setContentsMargins(0, 0, 0, 0);
    roomsLayout->addWidget(m_roomsView);
    auto *roomRow = new QHBoxLayout;
    roomRow->addStretch();
    roomRow->addWidget(m_roomSettings);
    roomsLayout->addLayout(roomRow);
    auto *splitter = new QSplitter(Qt::Vertical, page);
    splitter->addWidget(roomsPane);
    splitter->addWidget(membersPane);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(splitter);
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
    m_administrator = new QPushButton(page);
    m_administrator->setAutoDefault(false);
    connect(m_administrator, &QPushButton::clicked, this, &AdminConsole::toggleAdministratorSelected);
    m_removeFromRoom = new QPushButton(page);
    m_removeFromRoom->setAutoDefault(false);
    connect(m_removeFromRoom, &QPushButton::clicked, this, [this] { moderateSelected(false); });
    m_banFromRoom = new QPushButton(page);
    m_banFromRoom->setAutoDefault(false);
    connect(m_banFromRoom, &QPushButton::clicked, this, [this] { moderateSelected(true); });
    connect(m_usersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AdminConsole::updateButtons);
    connect(&m_users, &QAbstractItemModel::modelReset, this, &AdminConsole::updateButtons);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_usersView);
    auto *row = new QHBoxLayout;
    row->addWidget(m_removeFromRoom);
    row->addWidget(m_banFromRoom);
    row->addStretch();
    row->addWidget(m_administrator);
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

QWidget *AdminConsole::createTracesTab()
{
    auto *page = new QWidget(this);
    m_tracesHelp = new QLabel(page);
    m_tracesHelp->setWordWrap(true);
    m_tracesView = tableFor(&m_traces, page);
    m_tracesView->setObjectName(u"adminTraces"_s);
    m_traceDetail = new QTextBrowser(page);
    m_traceDetail->setObjectName(u"adminTraceDetail"_s);
    m_traceDetail->setOpenLinks(false);
    m_findLabel = new QLabel(page);
    m_traceRoom = new QLineEdit(page);
    m_traceRoom->setObjectName(u"adminTraceRoom"_s);
    m_findLabel->setBuddy(m_traceRoom);
    m_traceSeq = new QSpinBox(page);
    m_traceSeq->setObjectName(u"adminTraceSeq"_s);
    m_traceSeq->setRange(1, std::numeric_limits<int>::max());
    m_findTrace = new QPushButton(page);
    m_findTrace->setAutoDefault(false);
    connect(m_findTrace, &QPushButton::clicked, this, &AdminConsole::findTrace);
    connect(m_traceRoom, &QLineEdit::returnPressed, this, &AdminConsole::findTrace);
    connect(m_traceRoom, &QLineEdit::textChanged, this, &AdminConsole::updateButtons);
    connect(m_tracesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdminConsole::showSelectedTrace);

    auto *find = new QHBoxLayout;
    find->addWidget(m_findLabel);
    find->addWidget(m_traceRoom, 1);
    find->addWidget(m_traceSeq);
    find->addWidget(m_findTrace);
    auto *split = new QSplitter(Qt::Vertical, page);
    split->addWidget(m_tracesView);
    split->addWidget(m_traceDetail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_tracesHelp);
    layout->addLayout(find);
    layout->addWidget(split, 1);
    return page;
}

void AdminConsole::showSelectedTrace()
{
    const QModelIndexList selected = m_tracesView->selectionModel()->selectedRows();
    if (selected.isEmpty())
        return; // what was shown stays (a refresh re-selects it, or it left the list)
    if (const Admin::Trace *trace = m_traces.rowAt(selected.first().row()))
        showTrace(*trace);
}

void AdminConsole::showTrace(const std::optional<Admin::Trace> &trace, const QString &note)
{
    // The list is read again at each refresh; a trace does not change once kept, so the pane is drawn again
    // only when another one is shown (and keeps its scroll position meanwhile).
    if (trace == m_shownTrace && note == m_traceNote && !m_traceDetail->document()->isEmpty())
        return;
    m_shownTrace = trace;
    m_traceNote = note;
    if (trace)
        m_traceDetail->setHtml(traceHtml(*trace));
    else if (!note.isEmpty())
        m_traceDetail->setHtml(u"<p>"_s + note.toHtmlEscaped() + u"</p>"_s);
    else
        m_traceDetail->setHtml(u"<p>"_s + tr("Select a trace, or find a message by its room and number.").toHtmlEscaped()
                               + u"</p>"_s);
}

void AdminConsole::findTrace()
{
    QString room = m_traceRoom->text().trimmed();
    if (room.startsWith(u'#'))
        room.remove(0, 1);
    if (room.isEmpty())
        return;
    const qint64 seq = m_traceSeq->value();
    m_findTrace->setEnabled(false); // one lookup at a time
    m_client.trace(room, seq, [this, room, seq](const AdminClient::Result<Admin::Trace> &result) {
        updateButtons();
        if (const auto *error = std::get_if<AdminError>(&result)) {
            if (error->code != AdminError::Code::NotFound)
                return showRefused(*error);
            m_tracesView->clearSelection();
            showTrace(std::nullopt, tr("Message %1 in #%2: this message was not traced, or its trace is older than "
                                       "the ring.").arg(seq).arg(room));
            return;
        }
        const auto &trace = std::get<Admin::Trace>(result);
        for (int i = 0; i < m_traces.rows().size(); ++i) {
            if (traceKey(m_traces.rows().at(i)) == traceKey(trace)) {
                m_tracesView->selectRow(i);
                break;
            }
        }
        showTrace(trace);
    });
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
    m_tabs->setTabText(5, tr("Traces"));
    m_tracesHelp->setText(tr("What happened to the messages this server traced, newest first: the time of each stage, "
                             "who had it and how, and who was offline. Tracing is off unless the server is started "
                             "with it (docs/administration.md, Delivery traces)."));
    m_findLabel->setText(tr("&Find message in room:"));
    m_traceRoom->setPlaceholderText(tr("room"));
    m_traceSeq->setPrefix(tr("number "));
    m_findTrace->setText(tr("Fi&nd"));
    {
        // The pane's words follow the language too.
        const auto shown = m_shownTrace;
        m_shownTrace.reset();
        m_traceDetail->clear();
        showTrace(shown, m_traceNote);
    }
    m_auditHelp->setText(tr("What moderators and administrators did, newest first, as the server recorded it."));
    m_olderAudit->setText(tr("&Older entries"));
    m_resetPassword->setText(tr("&Reset password…"));
    m_removeFromRoom->setText(tr("Re&move from room…"));
    m_banFromRoom->setText(tr("&Ban from room…"));
    m_disconnect->setText(tr("&Disconnect…"));
    m_transfer->setText(tr("&Transfer ownership…"));
    m_mute->setText(tr("M&ute…"));
    m_unmute->setText(tr("Un&mute"));
    m_unban->setText(tr("Un&ban"));
    m_roomSettings->setText(tr("Room &settings…"));
    updateMembersTitle();
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
    m_members.retranslate();
    m_users.retranslate();
    m_audit.retranslate();
    m_traces.retranslate();
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
    m_administrator->setEnabled(user != nullptr);
    m_administrator->setText(user && user->isAdmin ? tr("Remove &administrator…") : tr("Make &administrator…"));
    m_removeFromRoom->setEnabled(user != nullptr);
    m_banFromRoom->setEnabled(user != nullptr);
    // One button that says what it will do to the selected account.
    m_disable->setText(user && user->disabled ? tr("&Enable") : tr("D&isable…"));
    // The member actions as the server rules them for an administrator (server/handlers/moderation.*): roles
    // and ownership for members and moderators, mutes for anyone in the room, unban for the banned.
    const Admin::RoomMember *member = selectedMember();
    const bool ranked = member && !member->banned && member->role != u"owner";
    m_role->setEnabled(ranked);
    m_role->setText(member && member->role == u"moderator" ? tr("Make membe&r") : tr("Make m&oderator"));
    m_transfer->setEnabled(ranked);
    m_mute->setEnabled(member && !member->banned && !member->muted);
    m_unmute->setEnabled(member && member->muted);
    m_unban->setEnabled(member && member->banned);
    m_roomSettings->setEnabled(m_roomsView->selectionModel()->hasSelection());
    m_olderAudit->setEnabled(m_auditMore);
    m_findTrace->setEnabled(!m_traceRoom->text().trimmed().isEmpty());
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
    m_pending = 6;
    m_refreshError.reset();
    m_client.connections([this](const AdminClient::Result<QList<Connection>> &result) {
        if (const auto *rows = std::get_if<QList<Connection>>(&result)) {
            keepSelection(m_connectionsView, m_connections, *rows, &connectionKey);
            // Which node a connection is on matters only where there are several (a cluster).
            QSet<QString> nodes;
            for (const Connection &connection : *rows)
                nodes.insert(connection.node);
            m_connectionsView->setColumnHidden(kNodeColumn, nodes.size() < 2);
        }
        else
            m_refreshError = std::get<AdminError>(result);
        oneAnswered();
    });
    m_client.rooms([this](const AdminClient::Result<QList<Room>> &result) {
        if (const auto *rows = std::get_if<QList<Room>>(&result)) {
            keepSelection(m_roomsView, m_rooms, *rows, &roomKey);
            loadMembers(); // the selected room's members, read again too
        } else
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
    m_client.traces(kTracePageSize, [this](const AdminClient::Result<Admin::TraceList> &result) {
        if (const auto *list = std::get_if<Admin::TraceList>(&result))
            keepSelection(m_tracesView, m_traces, list->traces, &traceKey);
        else
            m_refreshError = std::get<AdminError>(result);
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
            m_traces.setRows({});
            m_shownTrace.reset();
            m_traceDetail->clear();
            m_auditMore = false;
            m_auditPagedBack = false;
            updateButtons();
        }
        showError(*m_refreshError);
    } else {
        // The last action's outcome stays (a refusal too, until the next action), with when the lists were read.
        const QString updated = tr("Updated at %1.").arg(UiText::time(QDateTime::currentDateTime()));
        m_status->setText(m_lastAction.isEmpty() ? updated : m_lastAction + u' ' + updated);
        m_status->setStyleSheet(m_lastActionRefused ? errorStyle() : QString());
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

QString AdminConsole::errorStyle() const
{
    // The red of the other dialogs' errors, toned to the palette (readable light and dark).
    const QColor red = Appearance::mix(palette().color(QPalette::WindowText), QColor(0xd3, 0x2f, 0x2f), 0.8);
    return u"color: %1"_s.arg(red.name());
}

void AdminConsole::showError(const AdminError &error)
{
    m_status->setText(error.text());
    m_status->setStyleSheet(errorStyle());
}

void AdminConsole::showRefused(const AdminError &error)
{
    m_lastAction = error.text();
    m_lastActionRefused = true;
    showError(error);
}

void AdminConsole::showDone(const QString &text)
{
    m_lastAction = text;
    m_lastActionRefused = false;
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
    m_client.disconnect(connection.ref(), *reason, [this, connection](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showRefused(*error);
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
            return showRefused(*error);
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
            return showRefused(*error);
        showDone(disable ? tr("Disabled %1.").arg(user) : tr("Enabled %1.").arg(user));
        refresh();
    });
}

void AdminConsole::toggleAdministratorSelected()
{
    const User *row = selectedUser();
    if (!row)
        return;
    const QString user = row->name;
    const bool admin = !row->isAdmin;
    if (!confirmAdministrator(user, admin))
        return;
    m_client.setAdministrator(user, admin, [this, user, admin](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showRefused(*error);
        showDone(admin ? tr("Made %1 an administrator.").arg(user) : tr("%1 is no longer an administrator.").arg(user));
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
            return showRefused(*error);
        showDone(tr("Set a new password for %1; they were signed out everywhere.").arg(user));
        refresh();
    });
}

void AdminConsole::moderateSelected(bool ban)
{
    const User *row = selectedUser();
    if (!row)
        return;
    const QString user = row->name;
    QStringList rooms;
    for (const Admin::Room &room : m_rooms.rows())
        rooms.append(room.name);
    const std::optional<RoomAction> action = askRoomAction(ban, user, rooms);
    if (!action || action->room.isEmpty())
        return;
    const auto done = [this, ban, user, room = action->room](const AdminClient::Result<std::monostate> &result) {
        if (const auto *error = std::get_if<AdminError>(&result))
            return showRefused(*error);
        showDone(ban ? tr("Banned %1 from #%2.").arg(user, room) : tr("Removed %1 from #%2.").arg(user, room));
        refresh();
    };
    if (ban)
        m_client.ban(action->room, user, action->reason, action->duration, done);
    else
        m_client.removeFromRoom(action->room, user, action->reason, done);
}

const Admin::RoomMember *AdminConsole::selectedMember() const
{
    const QModelIndexList selected = m_membersView->selectionModel()->selectedRows();
    return selected.isEmpty() ? nullptr : m_members.rowAt(selected.first().row());
}

void AdminConsole::loadMembers()
{
    const QModelIndexList selected = m_roomsView->selectionModel()->selectedRows();
    const Room *room = selected.isEmpty() ? nullptr : m_rooms.rowAt(selected.first().row());
    const QString name = room ? room->name : QString();
    if (name != m_membersRoom) {
        m_membersRoom = name;
        m_members.setRows({});
        updateMembersTitle();
    }
    const quint64 request = ++m_membersRequest;
    if (name.isEmpty())
        return;
    m_client.roomMembers(name, [this, request](const AdminClient::Result<QList<Admin::RoomMember>> &result) {
        if (request != m_membersRequest)
            return; // another room was selected, or a later read is under way
        if (const auto *error = std::get_if<AdminError>(&result))
            showError(*error);
        else
            keepSelection(m_membersView, m_members, std::get<QList<Admin::RoomMember>>(result), &memberKey);
        Q_EMIT membersLoaded();
    });
}

void AdminConsole::updateMembersTitle()
{
    m_membersTitle->setText(m_membersRoom.isEmpty() ? tr("Select a room to see its members.")
                                                    : tr("Members of #%1, and who is banned from it:").arg(m_membersRoom));
}

void AdminConsole::memberActionDone(const AdminClient::Result<std::monostate> &result, const QString &text)
{
    if (const auto *error = std::get_if<AdminError>(&result))
        return showRefused(*error);
    showDone(text);
    refresh();
}

void AdminConsole::toggleRoleSelected()
{
    const Admin::RoomMember *row = selectedMember();
    if (!row || row->banned)
        return;
    const QString user = row->user, room = m_membersRoom;
    const bool moderator = row->role != u"moderator";
    m_client.setModerator(room, user, moderator, [this, user, room, moderator](const AdminClient::Result<std::monostate> &result) {
        memberActionDone(result, moderator ? tr("Made %1 a moderator of #%2.").arg(user, room)
                                           : tr("Made %1 a member of #%2.").arg(user, room));
    });
}

void AdminConsole::openRoomSettings()
{
    const QModelIndexList selected = m_roomsView->selectionModel()->selectedRows();
    const Room *room = selected.isEmpty() ? nullptr : m_rooms.rowAt(selected.first().row());
    if (!room)
        return;
    if (m_roomSettingsDialog)
        m_roomSettingsDialog->close();
    // What the dialog answers is shown there (a refusal keeps it open); what was done, here too.
    const auto done = [this](RoomSettingsDialog::Done answer, QString text) {
        return [this, answer = std::move(answer), text](const AdminClient::Result<std::monostate> &result) {
            if (const auto *error = std::get_if<AdminError>(&result))
                return answer(error->text());
            answer(std::nullopt);
            showDone(text);
            refresh();
        };
    };
    RoomSettingsDialog::AdminActions actions{
        [this, done](const Protocol::UpdateRoomParams &params, RoomSettingsDialog::Done answer) {
            m_client.updateRoom(params, done(std::move(answer), tr("Saved the settings of #%1.").arg(params.room)));
        },
        [this, done](const Protocol::DeleteRoomParams &params, RoomSettingsDialog::Done answer) {
            m_client.deleteRoom(params, done(std::move(answer),
                                             params.keepHistory ? tr("Deleted #%1; its messages are kept.").arg(params.room)
                                                                : tr("Deleted #%1 and its messages.").arg(params.room)));
        }};
    auto *dialog = new RoomSettingsDialog({room->name, room->title, room->topic, room->isPrivate, room->archived},
                                          std::move(actions), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_roomSettingsDialog = dialog;
    dialog->open();
}

void AdminConsole::transferSelected()
{
    const Admin::RoomMember *row = selectedMember();
    if (!row || row->banned)
        return;
    const QString user = row->user, room = m_membersRoom;
    if (!confirmTransfer(user, room))
        return;
    m_client.transferOwnership(room, user, [this, user, room](const AdminClient::Result<std::monostate> &result) {
        memberActionDone(result, tr("Made %1 the owner of #%2.").arg(user, room));
    });
}

void AdminConsole::muteSelected()
{
    const Admin::RoomMember *row = selectedMember();
    if (!row || row->banned)
        return;
    const QString user = row->user, room = m_membersRoom;
    const std::optional<RoomAction> action = askMute(user, room);
    if (!action)
        return;
    m_client.mute(room, user, action->reason, action->duration, [this, user, room](const AdminClient::Result<std::monostate> &result) {
        memberActionDone(result, tr("Muted %1 in #%2.").arg(user, room));
    });
}

void AdminConsole::liftSelected(bool ban)
{
    const Admin::RoomMember *row = selectedMember();
    if (!row)
        return;
    const QString user = row->user, room = m_membersRoom;
    const auto done = [this, ban, user, room](const AdminClient::Result<std::monostate> &result) {
        memberActionDone(result, ban ? tr("Lifted the ban of %1 from #%2.").arg(user, room)
                                     : tr("Lifted the mute of %1 in #%2.").arg(user, room));
    };
    if (ban)
        m_client.unban(room, user, done);
    else
        m_client.unmute(room, user, done);
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
            return showRefused(*error);
        showDone(tr("Signed %1 out everywhere.").arg(user));
        refresh();
    });
}

} // namespace Tertulia
