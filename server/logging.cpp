#include "server/logging.h"

Q_LOGGING_CATEGORY(lcServer, "tertulia.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "tertulia.server.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRooms, "tertulia.server.rooms", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "tertulia.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "tertulia.server.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccounts, "tertulia.server.accounts", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAdmin, "tertulia.admin", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTrace, "tertulia.trace", QtInfoMsg)
