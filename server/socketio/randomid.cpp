#include "server/socketio/randomid.h"

#include <QtCore/QByteArray>
#include <QtCore/QRandomGenerator>

namespace Tertulia::SocketIo {

QString randomId(int bytes)
{
    QByteArray buffer(qsizetype((bytes + 3) / 4) * 4, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(buffer.data()), buffer.size() / 4);
    buffer.truncate(bytes);
    return QString::fromLatin1(buffer.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace Tertulia::SocketIo
