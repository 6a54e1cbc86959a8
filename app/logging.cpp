#include "app/logging.h"

Q_LOGGING_CATEGORY(lcClientNet, "tertulia.client.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientSession, "tertulia.client.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientStorage, "tertulia.client.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientModels, "tertulia.client.models", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientTls, "tertulia.client.tls", QtInfoMsg)
