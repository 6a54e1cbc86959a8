#pragma once

#include <QtCore/QLoggingCategory>

// LAN discovery's logging category (tertulia.client.lan). It sits here rather than in app/logging.h
// so this feature stays in its own folder; debug output: QT_LOGGING_RULES="tertulia.client.lan.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcClientLan)
