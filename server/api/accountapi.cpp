#include "server/api/accountapi.h"

#include "server/accounts/accountservice.h"
#include "server/api/bearercaller.h"
#include "server/auth/passwordhasher.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/logging.h"
#include "server/session/monotonicclock.h"
#include "server/store/store.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Http::Response;
using Protocol::ErrorCode;
using L1 = QLatin1StringView;

namespace {
/// DELETE /api/v1/account/devices/<id>: one device.
const QString kDevicesPrefix = QStringLiteral("/api/v1/account/devices/");
} // namespace

AccountApi::AccountApi(const ServerConfig &config, Store &store, TokenService &tokens, PasswordHasher &hasher,
                       AccountService &accounts, Metrics &metrics, const MonotonicClock &clock,
                       std::function<Metrics::Gauges()> gauges, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_store(store),
      m_tokens(tokens),
      m_hasher(hasher),
      m_accounts(accounts),
      m_metrics(metrics),
      m_clock(clock),
      m_gauges(std::move(gauges)),
      m_buckets(config.limits.httpAuthBurst, config.limits.httpAuthPerSecond)
{
}

void AccountApi::addRoutes(Http::Router &router)
{
    auto bind = [this](void (AccountApi::*method)(const Http::Request &, const Http::Responder &)) {
        return [this, method](const Http::Request &request, const Http::Responder &responder) {
            ++m_metrics.httpRequests;
            (this->*method)(request, responder);
        };
    };
    router.addRoute("POST", u"/api/v1/register"_s, bind(&AccountApi::registerUser));
    router.addRoute("POST", u"/api/v1/login"_s, bind(&AccountApi::login));
    router.addRoute("POST", u"/api/v1/refresh"_s, bind(&AccountApi::refresh));
    router.addRoute("POST", u"/api/v1/logout"_s, bind(&AccountApi::logout));
    router.addRoute("POST", u"/api/v1/account/password"_s, bind(&AccountApi::changePassword));
    router.addRoute("GET", u"/api/v1/account/devices"_s, bind(&AccountApi::listDevices));
    router.addRoute("DELETE", u"/api/v1/account/devices"_s, bind(&AccountApi::revokeOtherDevices));
    router.addPrefixRoute(kDevicesPrefix, bind(&AccountApi::revokeDevice), 64 * 1024);
    router.addRoute("POST", u"/api/v1/account/delete"_s, bind(&AccountApi::deleteAccount));
    router.addRoute("GET", u"/healthz"_s, bind(&AccountApi::health));
    router.addRoute("GET", u"/metrics"_s, bind(&AccountApi::metrics));
}

void AccountApi::answer(const Http::Responder &responder, const Response &response)
{
    responder.send(response);
}

bool AccountApi::admit(const Http::Request &request, const Http::Responder &responder)
{
    const qint64 now = m_clock.nowMs();
    if (m_buckets.take(request.peerAddress, now))
        return true;
    ++m_metrics.rateLimitedHttp;
    const qint64 waitMs = m_buckets.msUntilNext(request.peerAddress, now);
    Response response = Response::error(429, ErrorCode::RateLimited,
                                        QStringLiteral("too many attempts; retry in %1 s").arg((waitMs + 999) / 1000));
    response.setHeader("Retry-After", QByteArray::number((waitMs + 999) / 1000));
    answer(responder, response);
    return false;
}

std::optional<QJsonObject> AccountApi::jsonBody(const Http::Request &request, const Http::Responder &responder)
{
    if (!request.header("content-type").toLower().startsWith("application/json")) {
        answer(responder, Response::error(415, ErrorCode::BadRequest, u"send a JSON body (Content-Type: application/json)"_s));
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        answer(responder, Response::error(400, ErrorCode::BadRequest, u"the body is not a JSON object"_s));
        return std::nullopt;
    }
    return document.object();
}

void AccountApi::registerUser(const Http::Request &request, const Http::Responder &responder)
{
    if (m_config.registration == RegistrationPolicy::Closed) {
        answer(responder, Response::error(403, ErrorCode::RegistrationClosed,
                                          u"this server does not accept new accounts"_s));
        return;
    }
    if (!admit(request, responder))
        return;
    const auto body = jsonBody(request, responder);
    if (!body)
        return;
    const QJsonValue nameValue = body->value(L1("username")), passwordValue = body->value(L1("password"));
    if (!nameValue.isString() || !passwordValue.isString()) {
        answer(responder, Response::error(400, ErrorCode::BadRequest, u"give 'username' and 'password' as strings"_s));
        return;
    }
    const QString name = nameValue.toString();
    const QString password = passwordValue.toString();
    if (!Names::isValidUserName(name)) {
        answer(responder,
               Response::error(400, ErrorCode::InvalidName,
                               QStringLiteral("user names are %1-%2 letters, digits, '_', '.' or '-', starting with a "
                                              "letter or digit")
                                   .arg(Names::kMinUserNameLength)
                                   .arg(Names::kMaxUserNameLength)));
        return;
    }
    if (password.size() < Names::kMinPasswordLength || password.size() > Names::kMaxPasswordLength) {
        answer(responder, Response::error(400, ErrorCode::BadRequest,
                                          QStringLiteral("the password must have at least %1 characters")
                                              .arg(Names::kMinPasswordLength)));
        return;
    }
    // The name is looked up, and later the account written, off the event loop (Store::async()); the
    // answer is dropped if this API is gone (shutdown). The store's Conflict settles a race between two.
    m_store.async<bool>(
        this, [name](Store &store) { return store.findUser(name).has_value(); },
        [this, name, password, peer = request.peerAddress, responder](bool taken) {
            if (taken) {
                answer(responder, Response::error(409, ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(name)));
                return;
            }
            m_hasher.hash(password.toUtf8(), this, [this, name, peer, responder](const QByteArray &encoded) {
                if (encoded.isEmpty()) {
                    answer(responder, Response::error(500, ErrorCode::Internal, u"could not hash the password"_s));
                    return;
                }
                m_store.async<StoreResult<UserRecord>>(
                    this,
                    [record = UserRecord{name, encoded, false, QDateTime::currentSecsSinceEpoch()}](Store &store) {
                        return store.createUser(record);
                    },
                    [this, name, peer, responder](const StoreResult<UserRecord> &created) {
                        if (const auto *error = std::get_if<Protocol::Error>(&created)) {
                            answer(responder, Response::error(error->code == ErrorCode::Conflict ? 409 : 500, error->code,
                                                              error->message));
                            return;
                        }
                        qCInfo(lcAuth).noquote() << u"user="_s + name << "registered from" << peer;
                        answer(responder, Response::json(201, {{L1("username"), name}}));
                    });
            });
        });
}

void AccountApi::login(const Http::Request &request, const Http::Responder &responder)
{
    if (!admit(request, responder))
        return;
    const auto body = jsonBody(request, responder);
    if (!body)
        return;
    const QString name = body->value(L1("username")).toString();
    const QString password = body->value(L1("password")).toString();
    // What the device list will call this login: the client's own words, else its User-Agent.
    const QJsonValue device = body->value(L1("device"));
    const QString label = AccountService::deviceLabel(
        device.isString() ? device.toString() : QString::fromUtf8(request.header("user-agent")));
    // Unknown users are checked against a dummy hash and throttled like accounts: same answers, same time.
    m_accounts.checkPassword(name, password, request.peerAddress, this,
                             [this, label, responder](const AccountResult<UserRecord> &checked) {
                                 if (const auto *failure = std::get_if<AccountFailure>(&checked)) {
                                     fail(responder, *failure);
                                     return;
                                 }
                                 const UserRecord &user = std::get<UserRecord>(checked);
                                 // Said only to whoever knows the password: nobody else learns it is disabled.
                                 if (user.disabled) {
                                     answer(responder, Response::error(403, ErrorCode::Forbidden,
                                                                       u"this account is disabled by an administrator"_s));
                                     return;
                                 }
                                 // The login is written off the event loop.
                                 m_tokens.issue(user.name, label, this,
                                                [this, responder, name = user.name](const StoreResult<Protocol::TokenPair> &pair) {
                                                    if (const auto *error = std::get_if<Protocol::Error>(&pair)) {
                                                        answer(responder, Response::error(500, error->code, error->message));
                                                        return;
                                                    }
                                                    qCInfo(lcAuth).noquote() << u"user="_s + name << "signed in";
                                                    answer(responder, Response::json(200, std::get<Protocol::TokenPair>(pair).toJson()));
                                                });
                             });
}

void AccountApi::refresh(const Http::Request &request, const Http::Responder &responder)
{
    if (!admit(request, responder))
        return;
    const auto body = jsonBody(request, responder);
    if (!body)
        return;
    const QJsonValue token = body->value(L1("refresh_token"));
    if (!token.isString()) {
        answer(responder, Response::error(400, ErrorCode::BadRequest, u"give 'refresh_token' as a string"_s));
        return;
    }
    // Read and rotated off the event loop (one store job).
    m_tokens.refresh(token.toString(), this, [this, responder](const StoreResult<Protocol::TokenPair> &pair) {
        if (const auto *error = std::get_if<Protocol::Error>(&pair)) {
            ++m_metrics.authFailures;
            const ErrorCode code = error->code == ErrorCode::AccountDeleted ? error->code : ErrorCode::AuthFailed;
            answer(responder, Response::error(401, code, error->message));
            return;
        }
        answer(responder, Response::json(200, std::get<Protocol::TokenPair>(pair).toJson()));
    });
}

void AccountApi::logout(const Http::Request &request, const Http::Responder &responder)
{
    const QByteArray header = request.header("authorization");
    if (!header.startsWith("Bearer ")) {
        answer(responder, Response::error(401, ErrorCode::AuthFailed, u"send 'Authorization: Bearer <access token>'"_s));
        return;
    }
    // A login another node made is looked up off the event loop (answered later, then).
    m_tokens.verifyAccess(QString::fromLatin1(header.sliced(7).trimmed()), this,
                          [this, responder](const TokenService::Verified &claims) {
                              if (auto *error = std::get_if<Protocol::Error>(&claims)) {
                                  ++m_metrics.authFailures;
                                  answer(responder, Response::error(401, ErrorCode::AuthFailed, error->message));
                                  return;
                              }
                              const Jwt::Claims &verified = std::get<Jwt::Claims>(claims);
                              // Written off the event loop; answered once it is stored.
                              m_tokens.revoke(verified.sessionId, this, [this, responder, user = verified.subject] {
                                  qCInfo(lcAuth).noquote() << u"user="_s + user << "signed out";
                                  answer(responder, Response::json(200, {}));
                              });
                          });
}

void AccountApi::signedIn(const Http::Request &request, const Http::Responder &responder, ActorThen then)
{
    withBearerCaller(m_tokens, m_metrics, this, request, responder,
                     [peer = request.peerAddress, then = std::move(then)](const Jwt::Claims &caller) {
                         then(AccountActor{caller.subject, caller.sessionId, peer});
                     });
}

void AccountApi::fail(const Http::Responder &responder, const AccountFailure &failure)
{
    const ErrorCode code = failure.error.code;
    if (code == ErrorCode::AuthFailed || code == ErrorCode::WrongPassword)
        ++m_metrics.authFailures;
    Response response = Response::error(failure.httpStatus(), code, failure.error.message);
    if (code == ErrorCode::RateLimited) {
        ++m_metrics.rateLimitedHttp;
        response.setHeader("Retry-After", QByteArray::number(std::max(1, failure.retryAfterSeconds)));
    }
    answer(responder, response);
}

void AccountApi::changePassword(const Http::Request &request, const Http::Responder &responder)
{
    signedIn(request, responder, [this, request, responder](const AccountActor &actor) {
        changePasswordAs(actor, request, responder);
    });
}

void AccountApi::changePasswordAs(const AccountActor &actor, const Http::Request &request,
                                  const Http::Responder &responder)
{
    if (!admit(request, responder))
        return;
    const auto body = jsonBody(request, responder);
    if (!body)
        return;
    auto params = Protocol::ChangePasswordParams::fromJson(*body);
    if (auto *error = std::get_if<Protocol::Error>(&params)) {
        answer(responder, Response::error(400, error->code, error->message));
        return;
    }
    const auto &p = std::get<Protocol::ChangePasswordParams>(params);
    m_accounts.changePassword(actor, p.currentPassword, p.newPassword, this,
                              [this, responder](const AccountResult<int> &result) {
                                  if (const auto *failure = std::get_if<AccountFailure>(&result))
                                      return fail(responder, *failure);
                                  answer(responder, Response::json(200, Protocol::RevokedResult{std::get<int>(result)}.toJson()));
                              });
}

void AccountApi::listDevices(const Http::Request &request, const Http::Responder &responder)
{
    signedIn(request, responder, [this, responder](const AccountActor &actor) {
        m_accounts.devices(actor, this, [this, responder](const QList<Protocol::DeviceInfo> &devices) {
            answer(responder, Response::json(200, Protocol::DeviceList{devices}.toJson()));
        });
    });
}

void AccountApi::revokeOtherDevices(const Http::Request &request, const Http::Responder &responder)
{
    signedIn(request, responder, [this, responder](const AccountActor &actor) {
        m_accounts.revokeOtherDevices(actor, this, [this, responder](const AccountResult<int> &result) {
            if (const auto *failure = std::get_if<AccountFailure>(&result))
                return fail(responder, *failure);
            answer(responder, Response::json(200, Protocol::RevokedResult{std::get<int>(result)}.toJson()));
        });
    });
}

void AccountApi::revokeDevice(const Http::Request &request, const Http::Responder &responder)
{
    if (request.method != "DELETE") {
        Response refusal = Response::error(405, ErrorCode::BadRequest,
                                           QStringLiteral("method %1 is not allowed here")
                                               .arg(QString::fromLatin1(request.method)));
        refusal.setHeader("Allow", "DELETE");
        answer(responder, refusal);
        return;
    }
    const QString id = request.path.mid(kDevicesPrefix.size());
    signedIn(request, responder, [this, responder, id](const AccountActor &actor) {
        if (id.isEmpty() || id.contains(u'/') || id.size() > Protocol::kMaxIdLength) {
            answer(responder, Response::error(404, ErrorCode::NotFound, u"no such device"_s));
            return;
        }
        m_accounts.revokeDevice(actor, id, this, [this, responder](const std::optional<AccountFailure> &failure) {
            if (failure)
                return fail(responder, *failure);
            answer(responder, Response::json(200, {}));
        });
    });
}

void AccountApi::deleteAccount(const Http::Request &request, const Http::Responder &responder)
{
    signedIn(request, responder, [this, request, responder](const AccountActor &actor) {
        deleteAccountAs(actor, request, responder);
    });
}

void AccountApi::deleteAccountAs(const AccountActor &actor, const Http::Request &request,
                                 const Http::Responder &responder)
{
    if (!admit(request, responder))
        return;
    const auto body = jsonBody(request, responder);
    if (!body)
        return;
    auto params = Protocol::PasswordParams::fromJson(*body);
    if (auto *error = std::get_if<Protocol::Error>(&params)) {
        answer(responder, Response::error(400, error->code, error->message));
        return;
    }
    m_accounts.deleteAccount(actor, std::get<Protocol::PasswordParams>(params).password, this,
                             [this, responder](const std::optional<AccountFailure> &failure) {
                                 if (failure)
                                     return fail(responder, *failure);
                                 answer(responder, Response::json(200, {}));
                             });
}

void AccountApi::health(const Http::Request &, const Http::Responder &responder)
{
    const Metrics::Gauges gauges = m_gauges();
    // A draining node says so with the status a load balancer's health check reads.
    answer(responder, Response::json(gauges.draining ? 503 : 200,
                                     {{L1("status"), gauges.draining ? u"draining"_s : u"ok"_s},
                                           {L1("version"), versionString()},
                                           {L1("name"), m_config.name},
                                           {L1("uptime_s"), gauges.uptimeSeconds},
                                           {L1("connections"), gauges.activeConnections}}));
}

void AccountApi::metrics(const Http::Request &, const Http::Responder &responder)
{
    answer(responder, Response::text(200, m_metrics.prometheusText(m_gauges()), "text/plain; version=0.0.4; charset=utf-8"));
}

} // namespace Tertulia
