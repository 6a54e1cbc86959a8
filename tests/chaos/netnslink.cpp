#include "chaos/netnslink.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

namespace {
bool ip(const QStringList &arguments, QString *output = nullptr)
{
    static const QString binary =
        QStandardPaths::findExecutable(u"ip"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s});
    if (binary.isEmpty()) {
        if (output)
            *output = u"ip (iproute2) is not installed"_s;
        return false;
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(binary, arguments);
    const bool finished = process.waitForFinished(10000);
    if (output)
        *output = QString::fromUtf8(process.readAll()).trimmed();
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}
} // namespace

std::unique_ptr<NetnsLink> NetnsLink::create(QString *why)
{
    // Names and a /30 of our own per process: parallel test runs do not collide (10.231/16 is tst_lannetns').
    const qint64 pid = QCoreApplication::applicationPid();
    std::unique_ptr<NetnsLink> link(new NetnsLink);
    link->m_name = u"tchaos%1"_s.arg(pid);
    link->m_outside = u"tch%1o"_s.arg(pid);
    link->m_inside = u"tch%1i"_s.arg(pid);
    const QString subnet = u"10.232.%1.%2"_s.arg((pid >> 6) & 0xff).arg((pid & 0x3f) * 4);
    const QString host = subnet.section(u'.', 0, 2) + u'.' + QString::number(subnet.section(u'.', 3).toInt() + 1);
    const QString peer = subnet.section(u'.', 0, 2) + u'.' + QString::number(subnet.section(u'.', 3).toInt() + 2);
    link->m_host = QHostAddress(host);
    const QString ns = link->m_name;
    const QList<QStringList> steps{
        {u"netns"_s, u"add"_s, ns},
        {u"link"_s, u"add"_s, link->m_outside, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, link->m_inside},
        {u"link"_s, u"set"_s, link->m_inside, u"netns"_s, ns},
        {u"addr"_s, u"add"_s, host + u"/30"_s, u"dev"_s, link->m_outside},
        {u"link"_s, u"set"_s, link->m_outside, u"up"_s},
        {u"-n"_s, ns, u"addr"_s, u"add"_s, peer + u"/30"_s, u"dev"_s, link->m_inside},
        {u"-n"_s, ns, u"link"_s, u"set"_s, link->m_inside, u"up"_s},
        {u"-n"_s, ns, u"link"_s, u"set"_s, u"lo"_s, u"up"_s},
    };
    for (const QStringList &step : steps) {
        QString output;
        if (!ip(step, &output)) {
            *why = u"ip %1: %2"_s.arg(step.join(u' '), output);
            return nullptr; // the destructor removes what was made
        }
    }
    return link;
}

NetnsLink::~NetnsLink()
{
    // Deleting the namespace destroys the inside end, and with it the pair.
    ip({u"link"_s, u"del"_s, m_outside});
    ip({u"netns"_s, u"del"_s, m_name});
}

bool NetnsLink::setPeerLinkUp(bool up)
{
    return ip({u"-n"_s, m_name, u"link"_s, u"set"_s, m_inside, up ? u"up"_s : u"down"_s});
}

} // namespace Tertulia::Chaos
