#pragma once

#include <QtCore/QLoggingCategory>

// Categories of the server library. Lines about a connection start with "conn=<id> user=<name>" so that
// text logs can be grepped and the JSON formatter can lift them into fields.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcRooms)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcAccounts)
/// What administrators do through the admin API (who, what, when): the audit trail until the persistent
/// audit log exists (docs/administration.md).
Q_DECLARE_LOGGING_CATEGORY(lcAdmin)
/// Delivery traces: one line per traced message (with its trace id) and the collector's failures.
Q_DECLARE_LOGGING_CATEGORY(lcTrace)
