#include "server/socketio/socketiologging.h"

Q_LOGGING_CATEGORY(lcEngineIo, "tertulia.socketio.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSocketIo, "tertulia.socketio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSocketIoChat, "tertulia.socketio.chat", QtInfoMsg)
