#pragma once

#include "server/store/postgresstore.h"

#include <QtCore/QString>
#include <QtCore/QTemporaryDir>

#include <memory>

namespace Tertulia::Test {

/// A throw-away PostgreSQL cluster for tests: initdb into a temporary directory, a server that listens only
/// on a Unix socket in that directory (no TCP port at all), trust authentication, fsync off. Stopped and
/// deleted with this object. As root (CI containers) the server runs as the `postgres` user through runuser,
/// because PostgreSQL refuses to run as root.
///
///     PgTestCluster pg;
///     if (!pg.start()) QFAIL(qPrintable(pg.errorString()));
///     const QString url = pg.createDatabase(u"t1"_s);   // postgresql:///t1?host=/tmp/...&port=...&user=tertulia
class PgTestCluster
{
public:
    PgTestCluster();
    ~PgTestCluster();

    /// Where PostgreSQL's server programs are (Debian: /usr/lib/postgresql/<version>/bin), or empty.
    static QString binDir();
    /// Whether the tests must fail rather than skip when PostgreSQL is missing (TERTULIA_REQUIRE_POSTGRES=1,
    /// set by the CI script that installs it).
    static bool required();

    bool start();
    QString errorString() const { return m_error; }
    /// Creates a fresh database and returns its URL.
    QString createDatabase(const QString &name);
    /// The URL of a database of this cluster (created or not).
    QString url(const QString &database) const;
    /// The same as an address, for a QPSQL connection of a test's own: `pg.address(name).applyTo(db)`.
    PostgresAddress address(const QString &database) const;
    QString socketDir() const { return m_dir.path(); }
    int port() const { return m_port; }
    /// Runs SQL as the superuser on `database` (for tests that break things on purpose); false on error.
    bool execute(const QString &database, const QString &sql);
    /// Stops the server fast and starts it again (the same data): connections of the store break.
    bool restart();

private:
    bool run(const QString &program, const QStringList &arguments, int timeoutMs);
    bool ctl(const QStringList &arguments);

    QTemporaryDir m_dir;
    int m_port = 0;
    bool m_running = false;
    QString m_error;
};

} // namespace Tertulia::Test
