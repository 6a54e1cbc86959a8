#include "server/eventloop/eventlooplogging.h"

Q_LOGGING_CATEGORY(lcEventLoop, "tertulia.server.eventloop", QtInfoMsg)
