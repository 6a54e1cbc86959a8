#include "server/cluster/redisconnection.h"

#include <QtCore/QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {

RedisReply copyReply(const redisReply *reply)
{
    RedisReply copy;
    if (!reply)
        return copy;
    switch (reply->type) {
    case REDIS_REPLY_STATUS:
        copy.type = RedisReply::Type::Status;
        copy.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        copy.type = RedisReply::Type::Error;
        copy.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_INTEGER:
        copy.type = RedisReply::Type::Integer;
        copy.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
        copy.type = RedisReply::Type::String;
        copy.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        copy.type = RedisReply::Type::Array;
        for (size_t i = 0; i < reply->elements; ++i)
            copy.elements.append(copyReply(reply->element[i]));
        break;
    default:
        break;
    }
    return copy;
}

using ReplyHandler = std::function<void(const RedisReply &)>;

} // namespace

/// The C hooks hiredis calls: the connection is `data` of the context (null once we closed it) and of the
/// event hooks.
struct RedisHooks
{
    static RedisConnection *owner(const redisAsyncContext *context)
    {
        return static_cast<RedisConnection *>(context->data);
    }
    static void addRead(void *data)
    {
        if (auto *c = static_cast<RedisConnection *>(data); c && c->m_read)
            c->m_read->setEnabled(true);
    }
    static void delRead(void *data)
    {
        if (auto *c = static_cast<RedisConnection *>(data); c && c->m_read)
            c->m_read->setEnabled(false);
    }
    static void addWrite(void *data)
    {
        if (auto *c = static_cast<RedisConnection *>(data); c && c->m_write)
            c->m_write->setEnabled(true);
    }
    static void delWrite(void *data)
    {
        if (auto *c = static_cast<RedisConnection *>(data); c && c->m_write)
            c->m_write->setEnabled(false);
    }
    /// hiredis frees the context, possibly from inside a read.
    static void cleanup(void *data)
    {
        if (auto *c = static_cast<RedisConnection *>(data))
            c->dropNotifiers();
    }
    static void onConnect(const redisAsyncContext *context, int status)
    {
        RedisConnection *c = owner(context);
        if (!c)
            return;
        if (status != REDIS_OK) {
            // hiredis frees the context when this returns.
            c->m_context = nullptr;
            c->lost(QString::fromUtf8(context->errstr));
            return;
        }
        c->m_connected = true;
        QMetaObject::invokeMethod(c, &RedisConnection::connected, Qt::QueuedConnection);
    }
    static void onDisconnect(const redisAsyncContext *context, int status)
    {
        RedisConnection *c = owner(context);
        if (!c)
            return;
        c->m_context = nullptr; // hiredis frees it when this returns
        c->lost(status == REDIS_OK ? u"closed"_s : QString::fromUtf8(context->errstr));
    }
    static void onReply(redisAsyncContext *context, void *reply, void *privdata)
    {
        std::unique_ptr<ReplyHandler> handler(static_cast<ReplyHandler *>(privdata));
        // No reply: the context is being freed (connection lost or closed); disconnected() tells.
        if (!reply || !owner(context) || !handler || !*handler)
            return;
        (*handler)(copyReply(static_cast<redisReply *>(reply)));
    }
    /// Every reply on a subscribed connection: ["subscribe", channel, count] or ["message", channel, payload].
    static void onSubscription(redisAsyncContext *context, void *reply, void *)
    {
        RedisConnection *c = owner(context);
        const auto *r = static_cast<const redisReply *>(reply);
        if (!c || !r || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
            return;
        const RedisReply copy = copyReply(r);
        const QByteArray kind = copy.elements.at(0).text;
        if (kind == "message")
            Q_EMIT c->message(copy.elements.at(1).text, copy.elements.at(2).text);
        else if (kind == "subscribe")
            Q_EMIT c->subscribed(copy.elements.at(1).text);
    }
};

RedisConnection::RedisConnection(const RedisAddress &address, QObject *parent) : QObject(parent), m_address(address)
{
}

RedisConnection::~RedisConnection() { close(); }

bool RedisConnection::open(QString *errorMessage)
{
    close();
    redisAsyncContext *context = m_address.socketPath.isEmpty()
                                     ? redisAsyncConnect(m_address.host.toUtf8().constData(), m_address.port)
                                     : redisAsyncConnectUnix(m_address.socketPath.toUtf8().constData());
    if (!context || context->err) {
        *errorMessage = QStringLiteral("cannot connect to Redis at %1: %2")
                            .arg(m_address.displayUrl(),
                                 context ? QString::fromUtf8(context->errstr) : u"out of memory"_s);
        if (context)
            redisAsyncFree(context);
        return false;
    }
    m_context = context;
    m_connected = false;
    context->data = this;
    m_read = new QSocketNotifier(qintptr(context->c.fd), QSocketNotifier::Read, this);
    m_write = new QSocketNotifier(qintptr(context->c.fd), QSocketNotifier::Write, this);
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &RedisConnection::handleRead);
    connect(m_write, &QSocketNotifier::activated, this, &RedisConnection::handleWrite);
    context->ev.data = this;
    context->ev.addRead = &RedisHooks::addRead;
    context->ev.delRead = &RedisHooks::delRead;
    context->ev.addWrite = &RedisHooks::addWrite;
    context->ev.delWrite = &RedisHooks::delWrite;
    context->ev.cleanup = &RedisHooks::cleanup;
    redisAsyncSetConnectCallback(context, &RedisHooks::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisHooks::onDisconnect);
    // The connection completes when the socket becomes writable.
    m_write->setEnabled(true);
    if (!m_address.password.isEmpty()) {
        command({"AUTH", m_address.password.toUtf8()}, [this](const RedisReply &reply) {
            if (!reply.isError())
                return;
            close();
            lost(u"AUTH refused: "_s + QString::fromUtf8(reply.text));
        });
    }
    return true;
}

void RedisConnection::dropNotifiers()
{
    // Possibly inside one of their signals: they go later.
    for (QPointer<QSocketNotifier> *notifier : {&m_read, &m_write}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
        }
        *notifier = nullptr;
    }
}

void RedisConnection::close()
{
    redisAsyncContext *context = std::exchange(m_context, nullptr);
    m_connected = false;
    if (!context)
        return;
    // No callback or event hook reaches us any more (hiredis may free the context later, after we opened
    // another one).
    context->data = nullptr;
    context->ev.data = nullptr;
    dropNotifiers();
    if (m_inLibrary > 0)
        redisAsyncDisconnect(context); // hiredis frees it when the running callback returns
    else
        redisAsyncFree(context);
}

bool RedisConnection::command(const QList<QByteArray> &arguments, std::function<void(const RedisReply &)> onReply)
{
    if (!m_context)
        return false;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    auto *handler = onReply ? new ReplyHandler(std::move(onReply)) : nullptr;
    if (redisAsyncCommandArgv(m_context, handler ? &RedisHooks::onReply : nullptr, handler, int(argv.size()),
                              argv.data(), lengths.data())
        != REDIS_OK) {
        delete handler;
        return false;
    }
    return true;
}

bool RedisConnection::subscribe(const QList<QByteArray> &channels)
{
    if (!m_context)
        return false;
    QList<QByteArray> arguments{"SUBSCRIBE"};
    arguments.append(channels);
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    return redisAsyncCommandArgv(m_context, &RedisHooks::onSubscription, nullptr, int(argv.size()), argv.data(),
                                 lengths.data())
           == REDIS_OK;
}

void RedisConnection::readPending()
{
    if (!m_context || !m_connected || m_inLibrary > 0)
        return;
    handleRead();
}

void RedisConnection::handleRead()
{
    if (!m_context)
        return;
    ++m_inLibrary;
    redisAsyncHandleRead(m_context); // may free the context (onDisconnect cleared m_context)
    --m_inLibrary;
}

void RedisConnection::handleWrite()
{
    if (!m_context)
        return;
    ++m_inLibrary;
    redisAsyncHandleWrite(m_context);
    --m_inLibrary;
}

void RedisConnection::lost(const QString &reason)
{
    // From the event loop: whoever hears it may close, reopen or delete us.
    QMetaObject::invokeMethod(
        this, [this, reason] { Q_EMIT disconnected(reason); }, Qt::QueuedConnection);
}

} // namespace Tertulia
