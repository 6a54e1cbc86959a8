#include "server/fastpath/sockettakeover.h"

#include <QtNetwork/QTcpSocket>

#include <cerrno>
#include <fcntl.h>

using namespace Qt::StringLiterals;

namespace Tertulia::FastPath {

std::optional<TakenSocket> takeOverSocket(QTcpSocket *socket, QString *error)
{
    auto failed = [error](const QString &why) -> std::optional<TakenSocket> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (socket->state() != QAbstractSocket::ConnectedState || socket->socketDescriptor() < 0)
        return failed(u"the socket is not connected"_s);
    if (socket->bytesToWrite() > 0)
        return failed(u"the socket still has bytes to write"_s);
    const int descriptor = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (descriptor < 0)
        return failed(QStringLiteral("cannot duplicate the descriptor: %1").arg(qt_error_string(errno)));
    TakenSocket taken;
    taken.descriptor = descriptor;
    taken.peerAddress = socket->peerAddress().toString();
    taken.alreadyRead = socket->readAll();
    socket->abort();
    socket->deleteLater();
    return taken;
}

} // namespace Tertulia::FastPath
