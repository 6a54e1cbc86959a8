#include "server/fastpath/fastpathlogging.h"

Q_LOGGING_CATEGORY(lcFastPath, "tertulia.server.fastpath", QtInfoMsg)
