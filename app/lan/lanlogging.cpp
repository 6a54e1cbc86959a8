#include "app/lan/lanlogging.h"

Q_LOGGING_CATEGORY(lcClientLan, "tertulia.client.lan", QtInfoMsg)
