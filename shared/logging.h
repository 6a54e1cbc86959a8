#pragma once

#include <QtCore/QLoggingCategory>

// One category per area, enabled at Info by default. Turn on debug output with
// QT_LOGGING_RULES="tertulia.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
