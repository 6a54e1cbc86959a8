#include "shared/logging.h"

Q_LOGGING_CATEGORY(lcProtocol, "tertulia.protocol", QtInfoMsg)
