#include "support/pgtestcluster.h"

#include <QtCore/QDir>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tertulia::Test {

namespace {
const QString kUser = u"tertulia"_s;

bool runningAsRoot() { return ::geteuid() == 0; }
} // namespace

PgTestCluster::PgTestCluster() = default;

PgTestCluster::~PgTestCluster()
{
    if (m_running)
        ctl({u"-m"_s, u"immediate"_s, u"stop"_s});
}

QString PgTestCluster::binDir()
{
    const QDir versions(u"/usr/lib/postgresql"_s);
    QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &version : found) {
        const QString bin = versions.filePath(version + u"/bin"_s);
        if (QFile::exists(bin + u"/initdb"_s) && QFile::exists(bin + u"/pg_ctl"_s))
            return bin;
    }
    return {};
}

bool PgTestCluster::required() { return qEnvironmentVariableIntValue("TERTULIA_REQUIRE_POSTGRES") == 1; }

bool PgTestCluster::run(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (runningAsRoot())
        process.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + arguments);
    else
        process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2").arg(program, QString::fromLocal8Bit(process.readAll()).trimmed());
        if (process.state() != QProcess::NotRunning)
            process.kill();
        return false;
    }
    return true;
}

bool PgTestCluster::ctl(const QStringList &arguments)
{
    return run(binDir() + u"/pg_ctl"_s, QStringList{u"-D"_s, m_dir.filePath(u"data"_s)} + arguments, 60000);
}

bool PgTestCluster::start()
{
    const QString bin = binDir();
    if (bin.isEmpty()) {
        m_error = u"PostgreSQL's server programs are not installed (Debian: postgresql)"_s;
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = u"no temporary directory"_s;
        return false;
    }
    // The socket's name carries the port number; nothing listens on TCP. A random one keeps two clusters of
    // parallel tests apart even if they shared a directory.
    m_port = 20000 + int(QRandomGenerator::global()->bounded(40000));
    if (runningAsRoot()) {
        QProcess::execute(u"chown"_s, {u"postgres"_s, m_dir.path()});
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    if (!run(bin + u"/initdb"_s, {u"-D"_s, m_dir.filePath(u"data"_s), u"-A"_s, u"trust"_s, u"-U"_s, kUser,
                                 u"-E"_s, u"UTF8"_s, u"--no-sync"_s, u"--locale=C"_s},
             120000))
        return false;
    const QString options = QStringLiteral("-k %1 -p %2 -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                                           " -c full_page_writes=off -c max_connections=200")
                                .arg(m_dir.path())
                                .arg(m_port);
    if (!ctl({u"-o"_s, options, u"-l"_s, m_dir.filePath(u"log"_s), u"-w"_s, u"start"_s}))
        return false;
    m_running = true;
    return true;
}

bool PgTestCluster::restart()
{
    return ctl({u"-m"_s, u"fast"_s, u"-w"_s, u"restart"_s});
}

QString PgTestCluster::url(const QString &database) const
{
    return QStringLiteral("postgresql:///%1?host=%2&port=%3&user=%4").arg(database, m_dir.path()).arg(m_port).arg(kUser);
}

PostgresAddress PgTestCluster::address(const QString &database) const
{
    PostgresAddress address;
    address.host = m_dir.path();
    address.port = m_port;
    address.database = database;
    address.user = kUser;
    return address;
}

bool PgTestCluster::execute(const QString &database, const QString &sql)
{
    const QString name = u"pgtestcluster-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        address(database).applyTo(db);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                m_error = query.lastError().text();
        } else {
            m_error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString PgTestCluster::createDatabase(const QString &name)
{
    if (!execute(u"postgres"_s, QStringLiteral("CREATE DATABASE \"%1\"").arg(name)))
        return {};
    return url(name);
}

} // namespace Tertulia::Test
