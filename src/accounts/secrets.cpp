// The server_secrets table.
#include "accounts/secrets.hpp"

#include <sodium.h>

namespace hoithi::accounts {
namespace {

core::Result<std::string> Read(store::Database& db, std::string_view name) {
  auto lease = db.Read();
  std::string hex;
  HOITHI_TRY(lease->Query("SELECT value FROM server_secrets WHERE name = $1", {name},
                          [&](const store::Row& r) { hex = r.Str(0); }));
  return hex;
}

}  // namespace

core::Result<std::string> LoadOrCreateSecret(store::Database& db, std::string_view name,
                                             core::TimePoint now) {
  auto hex = Read(db, name);
  if (!hex) return std::move(hex).error();
  if (hex->empty()) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char fresh[65];
    sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
    const std::string value(fresh, 64);
    // Two instances starting together: the first insert wins, both read the winner back.
    HOITHI_TRY(db.WriteAndWait([&](store::Connection& c) -> core::Status {
      auto r = c.Exec(
          "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)"
          " ON CONFLICT (name) DO NOTHING",
          {name, value, core::ToEpochMs(now)});
      if (!r) return std::move(r).error();
      return core::Ok();
    }));
    hex = Read(db, name);
    if (!hex) return std::move(hex).error();
  }
  std::string raw(32, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex->data(),
                     hex->size(), nullptr, &len, nullptr) != 0 ||
      len != 32) {
    return core::MakeError(core::ErrorKind::kInternal, "bad_secret",
                           "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.");
  }
  return raw;
}

}  // namespace hoithi::accounts
