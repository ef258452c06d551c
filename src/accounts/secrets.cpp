// The key file: a "name hex" line per secret, written once (atomically, mode 0600), only read
// after; and the move of the secrets an earlier version kept in server_secrets.
#include "accounts/secrets.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace hoithi::accounts {
namespace {

constexpr std::size_t kKeyBytes = 32;

core::Error FileError(const std::string& detail) {
  return core::MakeError(core::ErrorKind::kInternal, "bad_secret_file",
                         "Không đọc hoặc ghi được tệp khóa bí mật của máy chủ: " + detail);
}

std::string Hex(const std::string& raw) {
  std::string out(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  out.pop_back();
  return out;
}

std::optional<std::string> Unhex(const std::string& hex) {
  std::string raw(kKeyBytes, '\0');
  std::size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != kKeyBytes || hex.size() != kKeyBytes * 2) {
    return std::nullopt;
  }
  return raw;
}

std::string RandomKey() {
  std::string raw(kKeyBytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return raw;
}

/// The secrets an earlier version stored in the database, by name (raw bytes).
core::Result<std::map<std::string, std::string>> InDatabase(store::Database& db) {
  std::map<std::string, std::string> out;
  auto lease = db.Read();
  HOITHI_TRY(lease->Query("SELECT name, value FROM server_secrets", {}, [&](const store::Row& r) {
    if (auto raw = Unhex(r.Str(1))) out[r.Str(0)] = *raw;
  }));
  return out;
}

/// The file's secrets; nothing when there is no file.
core::Result<std::optional<Secrets>> ReadKeyFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return FileError(path + ": " + ec.message());
    return std::optional<Secrets>();
  }
  std::ifstream in(path);
  if (!in) return FileError(path + ": " + std::strerror(errno));
  std::map<std::string, std::string> keys;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;  // a comment
    std::istringstream fields(line);
    std::string name, hex;
    if (!(fields >> name >> hex)) continue;
    auto raw = Unhex(hex);
    if (!raw) return FileError(path + ": khóa " + name + " không hợp lệ");
    keys[name] = *raw;
  }
  if (!keys.contains("csrf") || !keys.contains("seal")) {
    return FileError(path + ": thiếu khóa csrf hoặc seal");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    ::chmod(path.c_str(), 0600);
    spdlog::warn("{}: other users could read the secrets file; its mode is now 0600", path);
  }
  return std::optional<Secrets>(Secrets{keys["csrf"], keys["seal"]});
}

/// Creates the file with `secrets` unless it exists: written to a private temporary file, synced,
/// then linked into place, so that no reader ever sees half a file and of two instances creating
/// it at once exactly one wins.
core::Status CreateKeyFile(const std::string& path, const Secrets& secrets) {
  const std::filesystem::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return FileError(tmp + ": " + std::strerror(errno));
  const std::string text =
      "# hoithi: the install's secret keys. Keep private; back up apart from "
      "the database.\ncsrf " +
      Hex(secrets.csrf) + "\nseal " + Hex(secrets.seal) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return FileError(tmp + ": " + std::strerror(write_errno));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST)
    return FileError(path + ": " + std::strerror(link_errno));
  const auto dir = file.has_parent_path() ? file.parent_path().string() : std::string(".");
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return core::Ok();
}

}  // namespace

core::Result<Secrets> LoadOrCreateSecrets(store::Database& db, const std::string& path) {
  auto stored = InDatabase(db);
  if (!stored) return std::move(stored).error();
  auto file = ReadKeyFile(path);
  if (!file) return std::move(file).error();
  if (!*file) {
    // First start, or the first of this version: the database's keys if it has them (the
    // passwords already sealed stay readable), fresh ones otherwise.
    const auto kept = [&](const char* name) {
      const auto it = stored->find(name);
      return it != stored->end() ? it->second : RandomKey();
    };
    HOITHI_TRY(CreateKeyFile(path, Secrets{kept("csrf"), kept("seal")}));
    file = ReadKeyFile(path);
    if (!file) return std::move(file).error();
    if (!*file) return FileError(path + ": không tạo được tệp");
  }
  const Secrets& secrets = **file;
  if (!stored->empty()) {
    const bool same = (!stored->contains("csrf") || stored->at("csrf") == secrets.csrf) &&
                      (!stored->contains("seal") || stored->at("seal") == secrets.seal);
    if (!same) {
      // A database restored from before the move, with other keys: deleting them would lose
      // the passwords they sealed for good. The operator decides (docs/operations.md).
      spdlog::warn(
          "server_secrets in the database differ from {}; the file's keys are used, "
          "the database's are left in place",
          path);
    } else if (auto st = db.WriteAndWait([](store::Connection& c) -> core::Status {
                 auto r = c.Exec("DELETE FROM server_secrets WHERE name IN ('csrf', 'seal')", {});
                 if (!r) return std::move(r).error();
                 return core::Ok();
               });
               !st) {
      // A read-only database (a standby) keeps them until a start that can write.
      spdlog::warn("the secrets moved to {} are still in the database: {}", path,
                   st.error().detail);
    }
  }
  return secrets;
}

}  // namespace hoithi::accounts
