#include "app/ui/singleinstance.h"

#include "app/ui/uilogging.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtNetwork/QLocalServer>
#include <QtNetwork/QLocalSocket>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
// The exchange: the arguments as one line of compact JSON (an array of strings), answered by one byte,
// '1' once they are taken. A command line is far below this; a peer sending more is not a launch.
constexpr qint64 kMaxLineBytes = 64 * 1024;
constexpr char kTaken = '1';
constexpr char kRefused = '0';
} // namespace

SingleInstance::SingleInstance(QObject *parent) : QObject(parent), m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::nameFor(const QString &profile)
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const QByteArray hash = QCryptographicHash::hash((user + u'\n' + profile).toUtf8(), QCryptographicHash::Sha256);
    return u"org.tertulia.Tertulia-"_s + QString::fromLatin1(hash.toHex().left(16));
}

bool SingleInstance::handOver(const QString &name, const QStringList &arguments)
{
    QLocalSocket socket;
    socket.connectToServer(name);
    if (!socket.waitForConnected(1000))
        return false;
    socket.write(QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(2000))
        return false;
    return socket.waitForReadyRead(5000) && socket.read(1) == QByteArray(1, kTaken);
}

bool SingleInstance::listen(const QString &name)
{
    if (m_server->listen(name))
        return true;
    // Left by an instance that crashed: nobody answered handOver(), so nobody is listening there.
    QLocalServer::removeServer(name);
    return m_server->listen(name);
}

bool SingleInstance::isListening() const { return m_server->isListening(); }

QString SingleInstance::errorString() const { return m_server->errorString(); }

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *peer = m_server->nextPendingConnection()) {
        connect(peer, &QLocalSocket::disconnected, peer, &QObject::deleteLater);
        connect(peer, &QLocalSocket::readyRead, this, [this, peer] {
            if (!peer->canReadLine()) {
                if (peer->bytesAvailable() > kMaxLineBytes) {
                    qCWarning(lcUi) << "a local connection sent more than a command line: closed";
                    peer->abort();
                }
                return;
            }
            const QJsonDocument document = QJsonDocument::fromJson(peer->readLine(kMaxLineBytes + 1));
            QStringList arguments;
            bool valid = document.isArray() && !document.array().isEmpty();
            for (const QJsonValue &argument : document.array()) {
                valid = valid && argument.isString();
                arguments << argument.toString();
            }
            peer->write(QByteArray(1, valid ? kTaken : kRefused));
            peer->flush();
            peer->disconnectFromServer();
            if (!valid) {
                qCWarning(lcUi) << "a local connection sent something other than a launch's arguments";
                return;
            }
            Q_EMIT argumentsReceived(arguments);
        });
    }
}

} // namespace Tertulia
