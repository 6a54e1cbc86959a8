#pragma once

#include <QtCore/QLoggingCategory>

// The client core's logging categories, one per area, enabled at Info by default. Debug output:
// QT_LOGGING_RULES="tertulia.client.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcClientNet)
Q_DECLARE_LOGGING_CATEGORY(lcClientSession)
Q_DECLARE_LOGGING_CATEGORY(lcClientStorage)
Q_DECLARE_LOGGING_CATEGORY(lcClientModels)
/// Certificates: pins, first use, mismatches (tertulia.client.tls).
Q_DECLARE_LOGGING_CATEGORY(lcClientTls)
