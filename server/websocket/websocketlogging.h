#pragma once

#include <QtCore/QLoggingCategory>

// The WebSocket library's one category (tertulia.server.websocket), Info by default. Debug output with
// QT_LOGGING_RULES="tertulia.server.websocket.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcWebSocket)
