#include "support/serverprocess.h"

#include <QtCore/QDebug>
#include <QtCore/QDeadlineTimer>

using namespace Qt::StringLiterals;

namespace Tertulia::Test {

ServerProcess::ServerProcess(const QString &binary, const QStringList &args, const QStringList &environment)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &entry : environment)
        env.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
    m_process.setProcessEnvironment(env);
    m_process.start(binary, QStringList{u"--listen"_s, u"127.0.0.1:0"_s} + args);
    QDeadlineTimer deadline(20000);
    while (!m_process.canReadLine() && !deadline.hasExpired() && m_process.state() != QProcess::NotRunning)
        m_process.waitForReadyRead(200);
    m_url = QUrl(QString::fromUtf8(m_process.readLine().trimmed()));
    if (!m_url.isValid() || m_url.port() <= 0)
        qWarning().noquote() << "tertulia-server did not start:" << QString::fromLocal8Bit(m_process.readAllStandardError());
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

QUrl ServerProcess::wsUrl() const
{
    QUrl url = m_url;
    url.setScheme(u"ws"_s);
    url.setPath(u"/ws"_s);
    return url;
}

bool ServerProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    return m_process.waitForFinished(timeoutMs);
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished();
}

} // namespace Tertulia::Test
