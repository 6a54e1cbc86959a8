#include "app/hosting/hostinglogging.h"

Q_LOGGING_CATEGORY(lcClientHosting, "tertulia.client.hosting", QtInfoMsg)
