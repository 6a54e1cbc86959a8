#pragma once

#include <QtCore/QLoggingCategory>

// Hosting's logging category (tertulia.client.hosting), in this folder so the feature stays in one
// place; debug output: QT_LOGGING_RULES="tertulia.client.hosting.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcClientHosting)
