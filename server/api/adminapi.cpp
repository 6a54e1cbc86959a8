#include "server/api/adminapi.h"

#include "server/accounts/accountservice.h"
#include "server/auth/tokenservice.h"
#include "server/core/servercore.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/room.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/session/sessiontransport.h"
#include "server/store/store.h"
#include "server/trace/tracer.h"
#include "shared/names.h"
#include "shared/protocol/jsonfields.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMap>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtCore/QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Http::Response;
using Protocol::ErrorCode;
using L1 = QLatin1StringView;

namespace {
QString stateName(Session::State state)
{
    switch (state) {
    case Session::State::AwaitingAuth: return u"awaiting_auth"_s;
    case Session::State::Ready: return u"ready"_s;
    case Session::State::Closing: return u"closing"_s;
    }
    return u"unknown"_s;
}

/// Users are listed a page at a time (the store's list, read off the event loop).
constexpr int kDefaultUserPage = 500;
constexpr int kMaxUserPage = 5000;
constexpr int kDefaultTracePage = 100;
constexpr int kDefaultAuditPage = 100;
constexpr int kMaxAuditPage = 1000;

/// The request of `pending` (an asker's requests by id) that a node's answer is for: only an answer addressed
/// to this node (`self`) to a request still awaited; nullptr otherwise (its wait is over: answered already).
/// Valid until `pending` changes.
template<typename Pending>
Pending *awaitedRequest(QHash<QString, Pending> &pending, const BusEvent &answer, const QString &self)
{
    if (answer.node != self)
        return nullptr;
    const auto it = pending.find(answer.request);
    return it == pending.end() ? nullptr : &it.value();
}
} // namespace

AdminApi::AdminApi(ServerCore &core, Metrics &metrics, std::function<qint64()> wallClockMs, QObject *parent)
    : QObject(parent),
      m_core(core),
      m_metrics(metrics),
      m_wallClockMs(std::move(wallClockMs)),
      m_auth(core.tokens(), core.store(), metrics),
      m_moderation(core.context()),
      m_roomSettings(core.context())
{
    // The route table: one line per endpoint, one small handler each.
    route("GET", u"connections"_s, &AdminApi::listConnections);
    route("GET", u"rooms"_s, &AdminApi::listRooms);
    route("GET", u"users"_s, &AdminApi::listUsers);
    route("POST", u"connections/{}/disconnect"_s, &AdminApi::disconnect);
    route("POST", u"users/{}/sign-out-everywhere"_s, &AdminApi::signOutEverywhere);
    route("POST", u"users/{}/admin"_s, &AdminApi::setAdmin);
    route("GET", u"traces"_s, &AdminApi::listTraces);
    route("GET", u"traces/{}/{}"_s, &AdminApi::showTrace);
    route("POST", u"users/{}/disable"_s, &AdminApi::setDisabled);
    route("POST", u"users/{}/password"_s, &AdminApi::resetPassword);
    route("GET", u"audit"_s, &AdminApi::listAudit);
    route("POST", u"rooms/{}/members/{}/remove"_s, &AdminApi::removeMember);
    route("POST", u"rooms/{}/bans/{}"_s, &AdminApi::ban);
    route("DELETE", u"rooms/{}/bans/{}"_s, &AdminApi::unban);
    route("POST", u"rooms/{}/mutes/{}"_s, &AdminApi::mute);
    route("DELETE", u"rooms/{}/mutes/{}"_s, &AdminApi::unmute);
    route("GET", u"rooms/{}/sanctions"_s, &AdminApi::listSanctions);
    route("GET", u"rooms/{}/members"_s, &AdminApi::listMembers);
    route("POST", u"rooms/{}/roles/{}"_s, &AdminApi::setRole);
    route("POST", u"rooms/{}/owner/{}"_s, &AdminApi::transferOwnership);
    route("GET", u"rooms/{}"_s, &AdminApi::showRoom);
    route("PATCH", u"rooms/{}"_s, &AdminApi::updateRoom);
    route("DELETE", u"rooms/{}"_s, &AdminApi::deleteRoom);
    // Other nodes' requests of the admin API, and their answers to this node's (a cluster bus carries them).
    connect(&m_core.bus(), &EventBus::received, this, &AdminApi::onBusEvent);
}

void AdminApi::route(const QByteArray &method, const QString &pattern, Handler handler)
{
    const int number = m_table.add(method, pattern);
    Q_ASSERT(number == m_handlers.size());
    Q_UNUSED(number);
    m_handlers.append(handler);
}

void AdminApi::addRoutes(Http::Router &router)
{
    router.addPrefixRoute(QString(kPrefix), [this](const Http::Request &request, const Http::Responder &responder) {
        ++m_metrics.httpRequests;
        serve(request, responder);
    }, kMaxBodyBytes);
}

void AdminApi::serve(const Http::Request &request, const Http::Responder &responder)
{
    // Who first: nobody learns which admin paths exist without being an administrator. The check reads the
    // account off the event loop; its answer is dropped if this API is gone (shutdown), and one for a client
    // that went away meanwhile is sent nowhere (the Responder knows its connection is gone).
    m_auth.check(request, this, [this, request, responder](const AdminAuth::Checked &checked) {
        if (const auto *refusal = std::get_if<Response>(&checked))
            return responder.send(*refusal);
        const AdminActor &actor = std::get<AdminActor>(checked);
        const auto resolved = m_table.resolve(request.method, QStringView(request.path).sliced(kPrefix.size()));
        if (const auto *refusal = std::get_if<Response>(&resolved))
            return responder.send(*refusal);
        const Admin::RouteTable::Match &match = std::get<Admin::RouteTable::Match>(resolved);
        qCDebug(lcAdmin).noquote() << auditTag(actor) << request.method << request.target.left(200);
        (this->*m_handlers.at(match.route))(Call{request, responder, actor, match.params});
    });
}

QString AdminApi::auditTag(const AdminActor &actor) const
{
    return QStringLiteral("admin=%1 from=%2 at=%3")
        .arg(actor.user, actor.address,
             QDateTime::fromMSecsSinceEpoch(m_wallClockMs()).toUTC().toString(Qt::ISODateWithMs));
}

// ---- views --------------------------------------------------------------------------------------------

Admin::ConnectionView AdminApi::viewOf(const Session &session, qint64 nowMonotonicMs, qint64 nowWallMs) const
{
    const SessionTransport *transport = session.transport();
    return Admin::ConnectionView{session.id(),
                                 session.user(),
                                 stateName(session.state()),
                                 session.peerAddress(),
                                 transport->protocolName(),
                                 transport->transportName(),
                                 Admin::wallTimeOf(session.connectedAtMs(), nowMonotonicMs, nowWallMs),
                                 session.lastRttMs(),
                                 transport->bytesQueued(),
                                 session.subscribedRooms(),
                                 m_core.bus().nodeId()};
}

QList<Admin::ConnectionView> AdminApi::connections() const
{
    const qint64 nowMono = m_core.context().clock.nowMs();
    const qint64 nowWall = m_wallClockMs();
    QList<Session *> sessions = m_core.sessions().all();
    std::sort(sessions.begin(), sessions.end(), [](const Session *a, const Session *b) { return a->id() < b->id(); });
    QList<Admin::ConnectionView> views;
    views.reserve(sessions.size());
    for (const Session *session : std::as_const(sessions))
        views.append(viewOf(*session, nowMono, nowWall));
    return views;
}

Admin::RoomView AdminApi::roomView(const Room &room) const
{
    const RoomRegistry &registry = m_core.rooms();
    return roomView(room, registry.clock() ? registry.clock()->nowMs() : 0);
}

Admin::RoomView AdminApi::roomView(const Room &room, qint64 nowMs) const
{
    QSet<QString> online;
    for (const Session *session : room.subscribers())
        online.insert(session->userKey());
    const RoomRecord &record = room.record();
    Admin::RoomView view{record.name, record.isPrivate, record.creator, record.createdAt * 1000,
                         room.memberCount(), int(online.size()), int(room.subscribers().size()), room.lastSeq()};
    view.title = record.title;
    view.topic = record.topic;
    view.archived = record.archived;
    view.messagesLastMinute = room.messagesLastMinute(nowMs);
    return view;
}

QList<Admin::RoomView> AdminApi::rooms(int *directConversations) const
{
    const RoomRegistry &registry = m_core.rooms();
    const qint64 now = registry.clock() ? registry.clock()->nowMs() : 0;
    QList<Admin::RoomView> views;
    int direct = 0;
    for (const Room *room : registry.rooms()) {
        // Who talks to whom is nobody's business, an administrator's neither: direct conversations are
        // counted, never listed (their address names their two people).
        if (room->isDirect()) {
            ++direct;
            continue;
        }
        views.append(roomView(*room, now));
    }
    std::sort(views.begin(), views.end(), [](const Admin::RoomView &a, const Admin::RoomView &b) {
        return Names::canonical(a.name) < Names::canonical(b.name);
    });
    if (directConversations)
        *directConversations = direct;
    return views;
}

QList<Admin::UserView> AdminApi::userViews(const QList<UserRecord> &accounts, const QHash<QString, int> &logins) const
{
    QHash<QString, int> connections;
    for (const Session *session : m_core.sessions().all()) {
        if (session->isAuthenticated())
            ++connections[session->userKey()];
    }
    QList<Admin::UserView> views;
    views.reserve(accounts.size());
    for (const UserRecord &user : accounts) {
        const QString key = Names::canonical(user.name);
        views.append(Admin::UserView{user.name, user.isAdmin, user.createdAt * 1000, m_core.sessions().isOnline(key),
                                     connections.value(key), logins.value(key), user.disabled});
    }
    return views;
}

// ---- handlers -----------------------------------------------------------------------------------------

void AdminApi::listConnections(const Call &call)
{
    QJsonObject body = Admin::listJson(L1("connections"), connections());
    const QString self = m_core.bus().nodeId();
    const QStringList peers = m_core.bus().peers();
    if (peers.isEmpty()) { // one node (or the only one heard now): nobody else to ask
        body.insert(L1("nodes"), QJsonArray{QJsonObject{{L1("node"), self}, {L1("answered"), true},
                                                        {L1("connections"), body.value(L1("count"))}}});
        call.responder.send(Response::json(200, body));
        return;
    }
    // Every live peer answers through the store (its list may be far bigger than a fact can carry); a node
    // that does not answer within kClusterWaitMs is reported, not waited for.
    const QString request = newRequestId();
    m_pendingLists.insert(request, PendingList{call.responder, body.value(L1("connections")).toArray(), peers,
                                               QSet<QString>(peers.cbegin(), peers.cend())});
    QTimer::singleShot(kClusterWaitMs, this, [this, request] { finishConnections(request); });
    m_core.bus().publish(BusEvent::connectionsAsked(request));
}

QString AdminApi::newRequestId() const
{
    return m_core.bus().nodeId() + u'-' + QUuid::createUuid().toString(QUuid::Id128);
}

void AdminApi::onBusEvent(const BusEvent &event)
{
    const QString &self = m_core.bus().nodeId();
    switch (event.kind) {
    case BusEvent::Kind::ConnectionsAsked:
        if (event.originNode != self)
            answerConnections(event);
        return;
    case BusEvent::Kind::ConnectionsListed: {
        PendingList *pending = awaitedRequest(m_pendingLists, event, self);
        if (!pending)
            return; // another node's, or answered already (the wait was over)
        if (!event.active)
            qCWarning(lcAdmin).noquote() << "node" << event.originNode << "could not store its connections";
        pending->waiting.remove(event.originNode);
        if (pending->waiting.isEmpty())
            finishConnections(event.request);
        return;
    }
    case BusEvent::Kind::DisconnectAsked:
        if (event.node == self && event.originNode != self)
            answerDisconnect(event);
        return;
    case BusEvent::Kind::DisconnectDone: {
        const PendingDisconnect *pending = awaitedRequest(m_pendingDisconnects, event, self);
        if (!pending || pending->ref.node != event.originNode)
            return; // another node's, answered already (504), or not the node asked
        const PendingDisconnect done = *pending;
        m_pendingDisconnects.remove(event.request);
        const Admin::ConnectionRef &ref = done.ref;
        if (!event.active) {
            done.call.responder.send(Response::error(
                404, ErrorCode::NotFound, QStringLiteral("no connection %1 on node %2").arg(ref.id).arg(ref.node)));
            return;
        }
        const QString user = event.detail.value(L1("user")).toString();
        const QString address = event.detail.value(L1("address")).toString();
        qCInfo(lcAdmin).noquote() << auditTag(done.call.actor) << "action=disconnect"
                                  << u"node="_s + ref.node + u" conn="_s + QString::number(ref.id)
                                  << u"address="_s + address << u"reason="_s + done.reason;
        audit(done.call, u"disconnect"_s, user, done.reason,
              u"connection="_s + QString::number(ref.id) + u" node="_s + ref.node + u" address="_s + address);
        done.call.responder.send(Response::json(200, QJsonObject{{L1("disconnected"), event.detail}}));
        return;
    }
    default:
        return;
    }
}

void AdminApi::answerConnections(const BusEvent &asked)
{
    QJsonArray list;
    for (const Admin::ConnectionView &view : connections())
        list.append(view.toJson());
    const NodeSnapshot snapshot{asked.request, m_core.bus().nodeId(), m_wallClockMs(),
                                QJsonDocument(list).toJson(QJsonDocument::Compact)};
    // Stored off the event loop; the fact follows the commit, so the asker finds the row when it hears it.
    m_core.store().async<bool>(
        this, [snapshot](Store &store) { return store.putNodeSnapshot(snapshot); },
        [this, request = asked.request, asker = asked.originNode](bool stored) {
            m_core.bus().publish(BusEvent::connectionsListed(request, asker, stored));
        });
}

void AdminApi::finishConnections(const QString &request)
{
    const auto pending = m_pendingLists.find(request);
    if (pending == m_pendingLists.end())
        return; // finished already
    PendingList list = *pending;
    m_pendingLists.erase(pending);
    // Answers are taken (read and removed) with the stale ones of requests whose asker stopped waiting.
    m_core.store().async<QList<NodeSnapshot>>(
        this,
        [request, staleBefore = m_wallClockMs() - kSnapshotLifetimeMs](Store &store) {
            return store.takeNodeSnapshots(request, staleBefore);
        },
        [this, list](const QList<NodeSnapshot> &answers) {
            QList<QJsonObject> entries;
            for (const QJsonValue &value : list.local)
                entries.append(value.toObject());
            QMap<QString, int> answered; // node -> its connections
            for (const NodeSnapshot &answer : answers) {
                const QJsonDocument document = QJsonDocument::fromJson(answer.body);
                if (!document.isArray() || !Admin::isNodeName(answer.node)) {
                    qCWarning(lcAdmin).noquote() << "node" << answer.node.left(64) << "stored connections that do not parse";
                    continue;
                }
                int count = 0;
                for (const QJsonValue &value : document.array()) {
                    if (!value.isObject())
                        continue;
                    QJsonObject entry = value.toObject();
                    entry.insert(L1("node"), answer.node);
                    entry.insert(L1("key"), answer.node + u':' + entry.value(L1("id")).toString());
                    entries.append(entry);
                    ++count;
                }
                answered.insert(answer.node, count);
            }
            // By node, then by id within it (this node's first when names sort so).
            std::stable_sort(entries.begin(), entries.end(), [](const QJsonObject &a, const QJsonObject &b) {
                const QString na = a.value(L1("node")).toString(), nb = b.value(L1("node")).toString();
                if (na != nb)
                    return na < nb;
                return a.value(L1("id")).toString().toULongLong() < b.value(L1("id")).toString().toULongLong();
            });
            QJsonArray connections;
            for (const QJsonObject &entry : std::as_const(entries))
                connections.append(entry);
            const QString self = m_core.bus().nodeId();
            QStringList nodes = list.asked;
            for (auto it = answered.cbegin(); it != answered.cend(); ++it) {
                if (!nodes.contains(it.key()))
                    nodes.append(it.key());
            }
            nodes.append(self);
            std::sort(nodes.begin(), nodes.end());
            QJsonArray nodeList;
            QStringList silent;
            for (const QString &node : std::as_const(nodes)) {
                QJsonObject entry{{L1("node"), node}};
                if (node == self) {
                    entry.insert(L1("answered"), true);
                    entry.insert(L1("connections"), list.local.size());
                } else if (answered.contains(node)) {
                    entry.insert(L1("answered"), true);
                    entry.insert(L1("connections"), answered.value(node));
                } else {
                    entry.insert(L1("answered"), false);
                    silent.append(node);
                }
                nodeList.append(entry);
            }
            if (!silent.isEmpty())
                qCWarning(lcAdmin).noquote() << "connections listed without node(s)" << silent.join(u", "_s)
                                             << "(no answer within" << kClusterWaitMs << "ms)";
            list.responder.send(Response::json(200, QJsonObject{{L1("connections"), connections},
                                                                {L1("count"), connections.size()},
                                                                {L1("nodes"), nodeList}}));
        });
}

void AdminApi::listRooms(const Call &call)
{
    int direct = 0;
    QJsonObject body = Admin::listJson(L1("rooms"), rooms(&direct));
    body.insert(L1("direct_conversations"), direct);
    call.responder.send(Response::json(200, body));
}

void AdminApi::listUsers(const Call &call)
{
    // ?limit=N (1..5000) and ?after=<name>: a page of the list, in canonical name order.
    int limit = kDefaultUserPage;
    if (call.request.query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = call.request.query.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > kMaxUserPage) {
            call.responder.send(Response::error(400, ErrorCode::BadRequest,
                                                QStringLiteral("limit is a number from 1 to %1").arg(kMaxUserPage)));
            return;
        }
    }
    // Every account, disabled ones included: a page of the store's list (one index range) and the live logins
    // (one range), read off the event loop. One more than asked tells whether others follow.
    struct Page
    {
        QList<UserRecord> users;
        QHash<QString, int> logins;   ///< canonical name -> live logins
    };
    const QString afterKey = Names::canonical(call.request.query.queryItemValue(u"after"_s, QUrl::FullyDecoded));
    m_core.store().async<Page>(
        this,
        [afterKey, limit, now = m_wallClockMs() / 1000](Store &store) {
            Page page{store.users(afterKey, limit + 1), {}};
            for (const LoginRecord &login : store.liveLogins(now))
                ++page.logins[Names::canonical(login.user)];
            return page;
        },
        [this, responder = call.responder, limit](const Page &page) {
            const bool more = page.users.size() > limit;
            const QList<Admin::UserView> views = userViews(more ? page.users.first(limit) : page.users, page.logins);
            QJsonObject body = Admin::listJson(L1("users"), views);
            body.insert(L1("more"), more);
            if (more)
                body.insert(L1("next_after"), views.last().name);
            responder.send(Response::json(200, body));
        });
}

void AdminApi::listTraces(const Call &call)
{
    // ?limit=N (1..ring size): the newest traces first.
    const Trace::TraceRing &ring = m_core.tracer().ring();
    int limit = kDefaultTracePage;
    if (call.request.query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = call.request.query.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > ring.capacity()) {
            call.responder.send(Response::error(
                400, ErrorCode::BadRequest, QStringLiteral("limit is a number from 1 to %1").arg(ring.capacity())));
            return;
        }
    }
    QJsonArray traces;
    for (const Trace::MessageTrace &trace : ring.recent(limit))
        traces.append(trace.toJson());
    call.responder.send(Response::json(
        200, QJsonObject{{u"traces"_s, traces}, {u"kept"_s, ring.size()}, {u"capacity"_s, ring.capacity()}}));
}

void AdminApi::showTrace(const Call &call)
{
    const QString &room = call.params.at(0);
    bool ok = false;
    const qint64 seq = call.params.at(1).toLongLong(&ok);
    if (!ok || seq < 1) {
        call.responder.send(Response::error(400, ErrorCode::BadRequest, u"seq is a message's number, from 1"_s));
        return;
    }
    const auto trace = m_core.tracer().ring().find(Names::canonical(room), seq);
    if (!trace) {
        // Not traced (sampling), or older than the ring: the answer says which ring it looked in.
        call.responder.send(Response::error(
            404, ErrorCode::NotFound,
            QStringLiteral("no trace of message %1 in '%2' on this node (not traced, or older than the last %3)")
                .arg(seq)
                .arg(room)
                .arg(m_core.tracer().ring().capacity())));
        return;
    }
    call.responder.send(Response::json(200, trace->toJson()));
}

Session *AdminApi::findSession(quint64 id) const
{
    // A walk over this node's sessions: an administrator's action, not a hot path.
    for (Session *session : m_core.sessions().all()) {
        if (session->id() == id)
            return session;
    }
    return nullptr;
}

void AdminApi::disconnect(const Call &call)
{
    const QString &idText = call.params.at(0);
    const std::optional<Admin::ConnectionRef> ref = Admin::parseConnectionRef(idText);
    if (!ref) {
        call.responder.send(Response::error(
            400, ErrorCode::BadRequest,
            u"a connection is named by its id, a positive decimal number, or its key, <node>:<id> (GET connections)"_s));
        return;
    }
    const std::optional<quint64> id = ref->id;
    QString reason = u"disconnected by an administrator"_s;
    const std::optional<QJsonObject> body = optionalJsonBody(call);
    if (!body)
        return;
    const QJsonValue given = body->value(L1("reason"));
    if (!given.isUndefined()) {
        QString problem;
        const std::optional<QString> checked = given.isString() ? Admin::checkedReason(given.toString(), &problem)
                                                                : std::nullopt;
        if (!checked) {
            call.responder.send(Response::error(400, ErrorCode::BadRequest,
                                                given.isString() ? problem : u"give 'reason' as a string"_s));
            return;
        }
        if (!checked->isEmpty())
            reason = *checked;
    }
    if (!ref->node.isEmpty() && ref->node != m_core.bus().nodeId())
        return disconnectElsewhere(call, *ref, reason);
    Session *session = findSession(*id);
    if (!session) {
        call.responder.send(Response::error(404, ErrorCode::NotFound,
                                            QStringLiteral("no connection %1 on this node").arg(*id)));
        return;
    }
    const Admin::ConnectionView view = viewOf(*session, m_core.context().clock.nowMs(), m_wallClockMs());
    qCInfo(lcAdmin).noquote() << auditTag(call.actor) << "action=disconnect" << session->logTag()
                              << u"address="_s + session->peerAddress() << u"reason="_s + reason;
    audit(call, u"disconnect"_s, session->user(), reason,
          u"connection="_s + QString::number(*id) + u" address="_s + session->peerAddress());
    call.responder.send(Response::json(200, QJsonObject{{L1("disconnected"), view.toJson()}}));
    // 4005: the client is told an administrator removed it, and does not reconnect by itself.
    session->closeWith(Protocol::CloseCode::Kicked, reason);
}

void AdminApi::disconnectElsewhere(const Call &call, const Admin::ConnectionRef &ref, const QString &reason)
{
    if (!m_core.bus().peers().contains(ref.node)) {
        call.responder.send(Response::error(
            404, ErrorCode::NotFound,
            QStringLiteral("no node %1 is heard in this cluster now (GET connections lists the nodes)").arg(ref.node)));
        return;
    }
    // That node closes it and answers with what it closed; the audit line is written here, by the node the
    // administrator asked. No answer within the wait: the node may be gone, or slow; the connection may be
    // closed or not (GET connections tells).
    const QString request = newRequestId();
    m_pendingDisconnects.insert(request, PendingDisconnect{call, ref, reason});
    QTimer::singleShot(kClusterWaitMs * 2, this, [this, request] {
        const auto pending = m_pendingDisconnects.find(request);
        if (pending == m_pendingDisconnects.end())
            return;
        const PendingDisconnect late = *pending;
        m_pendingDisconnects.erase(pending);
        qCWarning(lcAdmin).noquote() << auditTag(late.call.actor) << "action=disconnect"
                                     << u"node="_s + late.ref.node + u" conn="_s + QString::number(late.ref.id)
                                     << "no answer from that node";
        late.call.responder.send(Response::error(
            504, ErrorCode::Unavailable,
            QStringLiteral("node %1 did not answer within %2 ms: the connection may or may not be closed")
                .arg(late.ref.node)
                .arg(kClusterWaitMs * 2)));
    });
    m_core.bus().publish(BusEvent::disconnectAsked(request, ref.node, ref.id, reason, call.actor.user));
}

void AdminApi::answerDisconnect(const BusEvent &asked)
{
    Session *session = findSession(asked.session);
    if (!session) {
        m_core.bus().publish(BusEvent::disconnectDone(asked.request, asked.originNode, std::nullopt));
        return;
    }
    const Admin::ConnectionView view = viewOf(*session, m_core.context().clock.nowMs(), m_wallClockMs());
    qCInfo(lcAdmin).noquote() << u"admin="_s + asked.by << u"via="_s + asked.originNode << "action=disconnect"
                              << session->logTag() << u"address="_s + session->peerAddress()
                              << u"reason="_s + asked.reason;
    m_core.bus().publish(BusEvent::disconnectDone(asked.request, asked.originNode, view.toJson()));
    // 4005, as for one of the asking node's own connections.
    session->closeWith(Protocol::CloseCode::Kicked, asked.reason.isEmpty() ? u"disconnected by an administrator"_s : asked.reason);
}

void AdminApi::signOutEverywhere(const Call &call)
{
    withUser(call, [this, call](const UserRecord &user) {
        // The operation the account owner's "sign out every device" uses, for every login: the store marks them
        // revoked (off the event loop), the tokens are refused at once, and the revocations travel the bus, on
        // which every node closes the logins' sockets (4004).
        m_core.accounts().revokeDevices(user.name, QString(), this, [this, call, name = user.name](const AccountResult<int> &revoked) {
            const int open = int(m_core.sessions().sessionsOf(Names::canonical(name)).size());
            if (const auto *failure = std::get_if<AccountFailure>(&revoked)) {
                qCWarning(lcAdmin).noquote() << auditTag(call.actor) << u"action=sign-out-everywhere user="_s + name
                                             << "failed:" << failure->error.message;
                call.responder.send(Response::error(failure->httpStatus(), failure->error.code, failure->error.message));
                return;
            }
            qCInfo(lcAdmin).noquote() << auditTag(call.actor) << u"action=sign-out-everywhere user="_s + name
                                      << u"logins_revoked="_s + QString::number(std::get<int>(revoked))
                                      << u"connections_here="_s + QString::number(open);
            audit(call, u"sign_out_everywhere"_s, name, QString(),
                  u"logins_revoked="_s + QString::number(std::get<int>(revoked)));
            call.responder.send(Response::json(200, QJsonObject{{L1("user"), name},
                                                                {L1("logins_revoked"), std::get<int>(revoked)},
                                                                {L1("connections"), open}}));
        });
    });
}

void AdminApi::withUser(const Call &call, std::function<void(const UserRecord &)> then)
{
    const QString name = call.params.at(0);
    const auto notFound = [responder = call.responder, name] {
        const QString shown = name.size() > 64 ? name.left(64) + u"…"_s : name;
        responder.send(Response::error(404, ErrorCode::NotFound, QStringLiteral("no such user: %1").arg(shown)));
    };
    if (!Names::isValidUserName(name))
        return notFound();
    m_core.store().async<std::optional<UserRecord>>(
        this, [name](Store &store) { return store.findUser(name); },
        [notFound, then = std::move(then)](const std::optional<UserRecord> &user) {
            if (!user)
                return notFound();
            then(*user);
        });
}

std::optional<QJsonObject> AdminApi::optionalJsonBody(const Call &call) const
{
    if (call.request.body.isEmpty())
        return QJsonObject();
    return jsonBody(call);
}

std::optional<QJsonObject> AdminApi::jsonBody(const Call &call) const
{
    if (!call.request.header("content-type").toLower().startsWith("application/json")) {
        call.responder.send(
            Response::error(415, ErrorCode::BadRequest, u"send a JSON body (Content-Type: application/json)"_s));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(call.request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        call.responder.send(Response::error(400, ErrorCode::BadRequest, u"the body is not a JSON object"_s));
        return std::nullopt;
    }
    return document.object();
}

void AdminApi::setAdmin(const Call &call)
{
    const std::optional<QJsonObject> body = jsonBody(call);
    if (!body)
        return;
    const QJsonValue wanted = body->value(L1("admin"));
    if (!wanted.isBool()) {
        call.responder.send(
            Response::error(400, ErrorCode::BadRequest, u"send {\"admin\": true} or {\"admin\": false}"_s));
        return;
    }
    const bool admin = wanted.toBool();
    withUser(call, [this, call, admin](const UserRecord &user) {
        // The store counts the administrators and changes the flag in one transaction (off the event loop): the
        // last one is never demoted (409), even by two administrators demoting each other at once on two nodes.
        // AdminAuth reads the flag on every request, so the change holds from the target's next admin request on.
        m_core.store().async<StoreResult<bool>>(
            this, [name = user.name, admin](Store &store) { return store.setAdmin(name, admin); },
            [this, call, admin, name = user.name](const StoreResult<bool> &changed) {
                const QString what = u"action=set-admin user="_s + name + u" admin="_s + (admin ? u"true"_s : u"false"_s);
                if (const auto *failure = std::get_if<Protocol::Error>(&changed)) {
                    const int status = failure->code == ErrorCode::NotFound ? 404
                                       : failure->code == ErrorCode::Conflict ? 409
                                                                              : 500;
                    qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << "refused:" << failure->message;
                    call.responder.send(Response::error(status, failure->code, failure->message));
                    return;
                }
                const bool didChange = std::get<bool>(changed);
                qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what
                                          << (didChange ? u"changed"_s : u"unchanged (already so)"_s);
                if (didChange) {
                    audit(call, u"set_admin"_s, name, QString(), admin ? u"admin=true"_s : u"admin=false"_s);
                    // Stored: every node tells the account's open sessions now (admin_changed), so its apps
                    // offer or stop offering what the flag allows without waiting for a reconnect.
                    m_core.bus().publish(BusEvent::adminChanged(name, admin, call.actor.user));
                }
                call.responder.send(Response::json(200, QJsonObject{{L1("user"), name},
                                                                    {L1("admin"), admin},
                                                                    {L1("changed"), didChange}}));
            });
    });
}

void AdminApi::audit(const Call &call, const QString &action, const QString &target, const QString &reason,
                     const QString &detail)
{
    audit(call.actor, action, target, reason, detail);
}

void AdminApi::audit(const AdminActor &actor, const QString &action, const QString &target, const QString &reason,
                     const QString &detail)
{
    const QString where = u"from="_s + actor.address;
    const AuditRecord line{0, m_wallClockMs(), actor.user, action, target, QString(), reason,
                           detail.isEmpty() ? where : detail + u' ' + where};
    // Written off the event loop; the action it records stands either way.
    m_core.store().async<bool>(
        this, [line](Store &store) { return store.appendAudit(line); },
        [this, actor, action](bool recorded) {
            if (!recorded)
                qCWarning(lcAdmin).noquote() << auditTag(actor) << "could not record" << action << "in the audit log";
        });
}

void AdminApi::setDisabled(const Call &call)
{
    const std::optional<QJsonObject> body = jsonBody(call);
    if (!body)
        return;
    const QJsonValue wanted = body->value(L1("disabled"));
    if (!wanted.isBool()) {
        call.responder.send(
            Response::error(400, ErrorCode::BadRequest, u"send {\"disabled\": true} or {\"disabled\": false}"_s));
        return;
    }
    const bool disabled = wanted.toBool();
    withUser(call, [this, call, disabled](const UserRecord &user) {
        if (disabled && Names::canonical(user.name) == Names::canonical(call.actor.user)) {
            call.responder.send(Response::error(400, ErrorCode::BadRequest, u"you cannot disable your own account"_s));
            return;
        }
        // One job off the event loop: the flag, then (disabled) every login, as for sign-out-everywhere (tokens
        // refused at once, sockets closed with 4004 on every node), also when it was disabled already (a login
        // made in between by another node).
        struct Outcome
        {
            StoreResult<bool> changed;
            StoreResult<QList<QString>> revoked = QList<QString>();
        };
        m_core.store().async<Outcome>(
            this,
            [name = user.name, disabled](Store &store) {
                Outcome outcome{store.setDisabled(name, disabled)};
                if (disabled && std::holds_alternative<bool>(outcome.changed))
                    outcome.revoked = store.revokeLoginsOf(name, QString());
                return outcome;
            },
            [this, call, disabled, name = user.name](const Outcome &outcome) {
                const QString what =
                    u"action=disable user="_s + name + u" disabled="_s + (disabled ? u"true"_s : u"false"_s);
                if (const auto *failure = std::get_if<Protocol::Error>(&outcome.changed)) {
                    qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << "refused:" << failure->message;
                    call.responder.send(Response::error(failure->code == ErrorCode::NotFound ? 404 : 500, failure->code,
                                                        failure->message));
                    return;
                }
                const AccountResult<int> result =
                    AccountService::countRevoked(m_core.tokens().forgetRevoked(name, QString(), outcome.revoked));
                if (const auto *failure = std::get_if<AccountFailure>(&result)) {
                    call.responder.send(Response::error(500, ErrorCode::Internal,
                                                        u"the account is disabled, but its logins could not be revoked: "_s
                                                            + failure->error.message));
                    return;
                }
                const int revoked = std::get<int>(result);
                const bool didChange = std::get<bool>(outcome.changed);
                qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << u"logins_revoked="_s + QString::number(revoked)
                                          << (didChange ? u"changed"_s : u"unchanged (already so)"_s);
                if (didChange)
                    audit(call, disabled ? u"disable_account"_s : u"enable_account"_s, name, QString(),
                          u"logins_revoked="_s + QString::number(revoked));
                call.responder.send(Response::json(200, QJsonObject{{L1("user"), name},
                                                                    {L1("disabled"), disabled},
                                                                    {L1("changed"), didChange},
                                                                    {L1("logins_revoked"), revoked}}));
            });
    });
}

void AdminApi::resetPassword(const Call &call)
{
    const std::optional<QJsonObject> body = jsonBody(call);
    if (!body)
        return;
    const QJsonValue password = body->value(L1("password"));
    if (!password.isString() || password.toString().size() < Names::kMinPasswordLength
        || password.toString().size() > Names::kMaxPasswordLength) {
        call.responder.send(Response::error(400, ErrorCode::BadRequest,
                                            QStringLiteral("send {\"password\": \"...\"} with %1 to %2 characters")
                                                .arg(Names::kMinPasswordLength)
                                                .arg(Names::kMaxPasswordLength)));
        return;
    }
    withUser(call, [this, call, password = password.toString()](const UserRecord &user) {
        // The account owner's own operation without the current password: hashed off the loop, stored, and every
        // login revoked (sockets close with 4004), so whoever held the account signs in with the new one.
        m_core.accounts().setPassword(
            user.name, password, QString(), this, [this, call, target = user.name](const AccountResult<int> &result) {
                if (const auto *failure = std::get_if<AccountFailure>(&result)) {
                    qCWarning(lcAdmin).noquote() << auditTag(call.actor) << u"action=reset-password user="_s + target
                                                 << "failed:" << failure->error.message;
                    call.responder.send(Response::error(failure->httpStatus(), failure->error.code, failure->error.message));
                    return;
                }
                const int revoked = std::get<int>(result);
                qCInfo(lcAdmin).noquote() << auditTag(call.actor) << u"action=reset-password user="_s + target
                                          << u"logins_revoked="_s + QString::number(revoked);
                audit(call, u"reset_password"_s, target, QString(), u"logins_revoked="_s + QString::number(revoked));
                call.responder.send(
                    Response::json(200, QJsonObject{{L1("user"), target}, {L1("logins_revoked"), revoked}}));
            });
    });
}

void AdminApi::listAudit(const Call &call)
{
    // ?limit=N (1..1000, default 100) and ?before=<id>: the page of lines older than that one, newest first.
    const auto number = [&call](const QString &name, qint64 fallback, qint64 max) -> std::optional<qint64> {
        if (!call.request.query.hasQueryItem(name))
            return fallback;
        bool ok = false;
        const qint64 value = call.request.query.queryItemValue(name).toLongLong(&ok);
        if (!ok || value < 1 || value > max)
            return std::nullopt;
        return value;
    };
    const std::optional<qint64> limit = number(u"limit"_s, kDefaultAuditPage, kMaxAuditPage);
    const std::optional<qint64> before = number(u"before"_s, 0, Protocol::kMaxJsonInteger);
    if (!limit || !before) {
        call.responder.send(Response::error(
            400, ErrorCode::BadRequest,
            QStringLiteral("limit is a number from 1 to %1; before is a positive line id").arg(kMaxAuditPage)));
        return;
    }
    // One more than asked tells whether older lines follow; read off the event loop.
    m_core.store().async<QList<AuditRecord>>(
        this, [before = *before, limit = int(*limit)](Store &store) { return store.auditLog(before, limit + 1); },
        [responder = call.responder, limit = *limit](QList<AuditRecord> lines) {
            const bool more = lines.size() > limit;
            if (more)
                lines.removeLast();
            QList<Admin::AuditView> views;
            views.reserve(lines.size());
            for (const AuditRecord &line : std::as_const(lines))
                views.append(Admin::AuditView{line});
            QJsonObject body = Admin::listJson(L1("audit"), views);
            body.insert(L1("more"), more);
            if (more)
                body.insert(L1("next_before"), lines.last().id);
            responder.send(Response::json(200, body));
        });
}

// ---- moderation -----------------------------------------------------------------------------------------

void AdminApi::removeMember(const Call &call) { moderate(call, Protocol::RequestType::RemoveMember); }
void AdminApi::ban(const Call &call) { moderate(call, Protocol::RequestType::Ban); }
void AdminApi::unban(const Call &call) { moderate(call, Protocol::RequestType::Unban); }
void AdminApi::mute(const Call &call) { moderate(call, Protocol::RequestType::Mute); }
void AdminApi::unmute(const Call &call) { moderate(call, Protocol::RequestType::Unmute); }

void AdminApi::setRole(const Call &call) { moderate(call, Protocol::RequestType::SetRole); }
void AdminApi::transferOwnership(const Call &call) { moderate(call, Protocol::RequestType::TransferOwnership); }

void AdminApi::listMembers(const Call &call)
{
    // The same look-up and checks as the sanctions (Moderation::inspect()): a direct conversation is not
    // found by an administrator who is not one of its two people.
    const auto refused = [responder = call.responder](const Moderation::Outcome &outcome) {
        responder.send(Response::error(std::get<Protocol::Error>(outcome)));
    };
    m_moderation.inspect(
        {call.actor.user, auditTag(call.actor)}, call.params.at(0),
        [this, responder = call.responder](const Room &room) {
            const qint64 now = m_wallClockMs();
            QList<Admin::MemberView> views;
            views.reserve(room.memberCount());
            for (auto member = room.members().cbegin(); member != room.members().cend(); ++member) {
                Admin::MemberView view{member.value(), Protocol::roleName(room.role(member.key())),
                                       m_core.sessions().isOnline(member.key())};
                if (const auto muted = room.sanction(member.key(), SanctionKind::Mute, now))
                    view.mutedUntil = muted->until;
                views.append(view);
            }
            // Owner first, then moderators, then members, each by name.
            const auto rank = [](const QString &role) { return role == u"owner" ? 0 : role == u"moderator" ? 1 : 2; };
            std::sort(views.begin(), views.end(), [&rank](const Admin::MemberView &a, const Admin::MemberView &b) {
                const int ra = rank(a.role), rb = rank(b.role);
                return ra != rb ? ra < rb : Names::canonical(a.user) < Names::canonical(b.user);
            });
            QJsonObject body = Admin::listJson(L1("members"), views);
            body.insert(L1("room"), room.name());
            responder.send(Response::json(200, body));
        },
        refused);
}

void AdminApi::listSanctions(const Call &call)
{
    m_moderation.listSanctions({call.actor.user, auditTag(call.actor)}, call.params.at(0),
                               [responder = call.responder](const Moderation::Outcome &outcome) {
                                   if (const auto *error = std::get_if<Protocol::Error>(&outcome))
                                       return responder.send(Response::error(*error));
                                   responder.send(Response::json(200, std::get<QJsonObject>(outcome)));
                               });
}

void AdminApi::moderate(const Call &call, Protocol::RequestType type)
{
    std::optional<QJsonObject> body = optionalJsonBody(call);
    if (!body)
        return;
    // The request of the chat protocols, checked the same way: the path gives the room and the user, the body
    // the optional reason and duration.
    body->insert(L1("room"), call.params.at(0));
    body->insert(L1("user"), call.params.at(1));
    auto parsed = Protocol::ModerationParams::fromJson(*body);
    if (const auto *error = std::get_if<Protocol::Error>(&parsed))
        return call.responder.send(Response::error(*error));
    const Protocol::ModerationParams params = std::get<Protocol::ModerationParams>(std::move(parsed));
    const QString action = Protocol::requestTypeName(type);
    m_moderation.run({call.actor.user, auditTag(call.actor)}, type, params,
                     [this, call, params, action](const Moderation::Outcome &outcome) {
                         const QString what = u"action="_s + action + u" room="_s + params.room + u" user="_s + params.user;
                         if (const auto *error = std::get_if<Protocol::Error>(&outcome)) {
                             qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << "refused:" << error->message;
                             return call.responder.send(Response::error(*error));
                         }
                         QJsonObject answer = std::get<QJsonObject>(outcome);
                         answer.insert(L1("room"), params.room);
                         answer.insert(L1("user"), params.user);
                         answer.insert(L1("action"), action);
                         call.responder.send(Response::json(200, answer));
                     });
}

// ---- room settings ----------------------------------------------------------------------------------------

void AdminApi::showRoom(const Call &call)
{
    // The same look-up and checks as the member list (Moderation::inspect()): 404 for a direct conversation.
    m_moderation.inspect(
        {call.actor.user, auditTag(call.actor)}, call.params.at(0),
        [this, responder = call.responder](const Room &room) {
            responder.send(Response::json(200, QJsonObject{{L1("room"), roomView(room).toJson()}}));
        },
        [responder = call.responder](const Moderation::Outcome &outcome) {
            responder.send(Response::error(std::get<Protocol::Error>(outcome)));
        });
}

void AdminApi::updateRoom(const Call &call)
{
    std::optional<QJsonObject> body = jsonBody(call);
    if (!body)
        return;
    // update_room of the chat protocols, checked the same way (RoomSettings): the path names the room, the
    // body has the settings to change and the optional reason.
    body->insert(L1("room"), call.params.at(0));
    auto parsed = Protocol::UpdateRoomParams::fromJson(*body);
    if (const auto *error = std::get_if<Protocol::Error>(&parsed))
        return call.responder.send(Response::error(*error));
    const Protocol::UpdateRoomParams params = std::get<Protocol::UpdateRoomParams>(std::move(parsed));
    m_roomSettings.update({call.actor.user, auditTag(call.actor)}, params,
                          [this, call, room = params.room](const RoomSettings::Updated &outcome) {
                              const QString what = u"action=update_room room="_s + room;
                              if (const auto *error = std::get_if<Protocol::Error>(&outcome)) {
                                  qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << "refused:" << error->message;
                                  return call.responder.send(Response::error(*error));
                              }
                              qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what;
                              // The room as this node holds it now (the fact was applied before the answer).
                              const RoomRecord &stored = std::get<RoomRecord>(outcome);
                              QJsonObject view;
                              if (const Room *held = m_core.rooms().loaded(stored.name))
                                  view = roomView(*held).toJson();
                              call.responder.send(Response::json(200, QJsonObject{{L1("room"), view}}));
                          });
}

void AdminApi::deleteRoom(const Call &call)
{
    std::optional<QJsonObject> body = jsonBody(call);
    if (!body)
        return;
    // delete_room: `keep_history` is required (what happens to the messages is never a default).
    body->insert(L1("room"), call.params.at(0));
    auto parsed = Protocol::DeleteRoomParams::fromJson(*body);
    if (const auto *error = std::get_if<Protocol::Error>(&parsed))
        return call.responder.send(Response::error(*error));
    const Protocol::DeleteRoomParams params = std::get<Protocol::DeleteRoomParams>(std::move(parsed));
    m_roomSettings.remove({call.actor.user, auditTag(call.actor)}, params,
                          [this, call, params](const std::optional<Protocol::Error> &error) {
                              const QString what = u"action=delete_room room="_s + params.room
                                  + (params.keepHistory ? u" history=kept"_s : u" history=deleted"_s);
                              if (error) {
                                  qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what << "refused:" << error->message;
                                  return call.responder.send(Response::error(*error));
                              }
                              qCInfo(lcAdmin).noquote() << auditTag(call.actor) << what;
                              call.responder.send(Response::json(200, QJsonObject{{L1("room"), params.room},
                                                                                  {L1("deleted"), true},
                                                                                  {L1("history_kept"), params.keepHistory}}));
                          });
}

} // namespace Tertulia
