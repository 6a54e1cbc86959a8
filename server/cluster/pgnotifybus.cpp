#include "server/cluster/pgnotifybus.h"

#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
const QString kHeartbeatChannel = u"tertulia_hb"_s;
} // namespace

PgNotifyBus::PgNotifyBus(const QString &nodeId, const PostgresAddress &address, const Options &options, Store &store,
                         QObject *parent)
    : ClusterBus(nodeId, options, store, parent), m_address(address)
{
}

PgNotifyBus::~PgNotifyBus() { closeTransport(); }

QString PgNotifyBus::transportName() const { return u"postgres"_s; }

bool PgNotifyBus::openTransport(QString *errorMessage)
{
    m_connectionName = u"tertulia-listen-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    const PostgresAddress &a = m_address;
    a.applyTo(db);
    if (!db.open()) {
        *errorMessage = QStringLiteral("cannot listen on %1: %2").arg(a.displayUrl(), db.lastError().text());
        return false;
    }
    QSqlDriver *driver = db.driver();
    if (!driver->subscribeToNotification(QString::fromLatin1(PostgresStore::kNotifyChannel))
        || !driver->subscribeToNotification(kHeartbeatChannel)) {
        *errorMessage = QStringLiteral("cannot LISTEN on %1: %2").arg(a.displayUrl(), driver->lastError().text());
        return false;
    }
    connect(driver, &QSqlDriver::notification, this, &PgNotifyBus::onNotification);
    transportReady(); // LISTEN took effect: from now on every notice reaches us
    return true;
}

void PgNotifyBus::closeTransport()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid()) {
            if (QSqlDriver *driver = db.driver())
                disconnect(driver, nullptr, this, nullptr);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool PgNotifyBus::sendHeartbeat(const QByteArray &payload)
{
    QSqlQuery notify(QSqlDatabase::database(m_connectionName, false));
    if (!notify.exec(QStringLiteral("NOTIFY %1, '%2'").arg(kHeartbeatChannel, QString::fromUtf8(payload)))) {
        qCWarning(lcCluster) << "heartbeat failed:" << notify.lastError().text();
        return false;
    }
    return true;
}

void PgNotifyBus::sendFact(const QByteArray &notice) { store().notify(notice); }

void PgNotifyBus::onNotification(const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload)
{
    Q_UNUSED(source); // the store's connection is another backend: our own notices come as OtherSource too
    const QByteArray text = payload.toString().toUtf8();
    if (name == kHeartbeatChannel)
        heardHeartbeat(text);
    else
        heardNotice(text);
}

} // namespace Tertulia
