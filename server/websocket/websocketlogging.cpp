#include "server/websocket/websocketlogging.h"

Q_LOGGING_CATEGORY(lcWebSocket, "tertulia.server.websocket", QtInfoMsg)
