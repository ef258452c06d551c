// SetupService: the one-time token and the first administrator.
#include "accounts/setup.hpp"

#include <sodium.h>

#include "accounts/audit_actions.hpp"
#include "accounts/users.hpp"
#include "audit/audit_log.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;

core::Error Closed() {
  return core::MakeError(ErrorKind::kForbidden, "setup_closed",
                         "Hệ thống đã có quản trị viên. Vui lòng đăng nhập.");
}

}  // namespace

core::Result<bool> HasAdministrator(store::Connection& conn) {
  auto n = store::QueryInt(conn, "SELECT COUNT(*) FROM users WHERE role = 'admin'");
  if (!n) return std::move(n).error();
  return n->value_or(0) > 0;
}

SetupService::SetupService(store::Database& db, core::WorkPool& hash_pool, const core::Clock& clock,
                           PasswordCost cost)
    : db_(db), hash_pool_(hash_pool), clock_(clock), cost_(cost) {}

core::Result<std::optional<std::string>> SetupService::Begin() {
  auto lease = db_.Read();
  auto has = HasAdministrator(*lease);
  if (!has) return std::move(has).error();
  std::lock_guard lock(mu_);
  if (*has) {
    token_.clear();
    return std::optional<std::string>();
  }
  unsigned char raw[12];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  token_ = hex;
  return std::optional<std::string>(token_);
}

bool SetupService::Open() {
  std::lock_guard lock(mu_);
  return !token_.empty();
}

void SetupService::CreateFirstAdmin(std::string_view token, FirstAdmin admin, ClientInfo client,
                                    core::Callback<std::int64_t> done) {
  {
    std::lock_guard lock(mu_);
    if (token_.empty()) return done(Closed());
    if (token.size() != token_.size() ||
        sodium_memcmp(token.data(), token_.data(), token_.size()) != 0) {
      auto e = core::MakeError(ErrorKind::kForbidden, "invalid_setup_token",
                               "Mã thiết lập không đúng. Mã được in trong nhật ký của máy chủ khi "
                               "máy chủ khởi động.",
                               "token");
      e.fields = {{e.field, e.message}};
      return done(e);
    }
  }
  if (auto st = ValidateLogin(admin.login); !st) return done(st.error());
  auto name = CleanFullName(admin.full_name);
  if (!name) return done(std::move(name).error());
  if (auto st = ValidatePassword(admin.password); !st) return done(st.error());
  auto task = [this, admin = std::move(admin), name = *name, client, done]() {
    auto hash = HashPassword(admin.password, cost_);
    if (!hash) return done(std::move(hash).error());
    const auto now = clock_.Now();
    auto id = std::make_shared<std::int64_t>(0);
    db_.Write(
        [id, admin, name, hash = *hash, client, now](store::Connection& c) -> core::Status {
          // Two setup forms sent at once create one administrator.
          HOITHI_TRY(store::LockKey(c, "accounts.setup"));
          auto has = HasAdministrator(c);
          if (!has) return std::move(has).error();
          if (*has) return Closed();
          NewUser u;
          u.login = admin.login;
          u.password_hash = hash;
          u.role = Role::kAdmin;
          u.full_name = name;
          auto inserted = InsertUser(c, u, now);
          if (!inserted) return std::move(inserted).error();
          if (!*inserted) return LoginTaken();
          *id = **inserted;
          return audit::Record(
              c, audit::Actor{*id, "setup", client.ip},
              audit::Entry{std::nullopt, actions::kUserCreate, "user", std::to_string(*id),
                           std::nullopt, R"({"role":"admin","setup":true})"},
              now);
        },
        [this, id, done](const core::Status& st) {
          if (!st) return done(st.error());
          std::lock_guard lock(mu_);
          token_.clear();  // the page is gone for good
          done(*id);
        });
  };
  auto busy = [done] {
    auto e = core::MakeError(ErrorKind::kTooManyRequests, "busy",
                             "Hệ thống đang bận. Vui lòng thử lại sau vài giây.");
    e.retry_after_s = 3;
    done(e);
  };
  if (!hash_pool_.TrySubmit(std::move(task), busy)) busy();
}

}  // namespace hoithi::accounts
