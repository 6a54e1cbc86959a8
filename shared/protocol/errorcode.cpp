#include "shared/protocol/errorcode.h"

#include <array>
#include <utility>

namespace Tertulia::Protocol {

namespace {
// The one table of wire names for error codes. Index = enum value.
constexpr std::array kErrorNames{
    u"bad_request", u"unknown_type", u"not_authenticated", u"auth_failed", u"token_expired",
    u"forbidden",   u"not_found",    u"conflict",          u"too_large",   u"rate_limited",
    u"invalid_name", u"registration_closed", u"internal", u"unavailable", u"wrong_password",
    u"account_deleted", u"archived",
};
static_assert(kErrorNames.size() == std::size_t(ErrorCode::Archived) + 1,
              "every ErrorCode needs a wire name");
} // namespace

QString errorCodeName(ErrorCode code)
{
    return QString::fromUtf16(kErrorNames.at(std::size_t(code)));
}

std::optional<ErrorCode> parseErrorCode(QStringView name)
{
    for (std::size_t i = 0; i < kErrorNames.size(); ++i) {
        if (name == QStringView(kErrorNames[i]))
            return ErrorCode(i);
    }
    return std::nullopt;
}

} // namespace Tertulia::Protocol
