// Parsing and validation of the configuration: one table of keys, applied first to the TOML file
// and then to HOITHI_<SECTION>_<KEY> environment variables.
#include "core/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sched.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <thread>

extern char** environ;

namespace hoithi::core {
namespace {

enum class Kind { kInt, kBool, kString, kStringList, kLogLevel };

struct KeySpec {
  const char* section;
  const char* key;
  Kind kind;
  std::int64_t min = 0;
  std::int64_t max = 0;
  void* (*target)(Config&);
};

#define HOITHI_KEY(sec, name, kind, lo, hi)                                    \
  KeySpec {                                                                    \
#sec, #name, kind, lo, hi, [](Config & c) -> void* { return &c.sec.name; } \
  }

const std::vector<KeySpec>& Specs() {
  static const std::vector<KeySpec> specs = {
      HOITHI_KEY(server, bind, Kind::kString, 0, 0),
      HOITHI_KEY(server, port, Kind::kInt, 0, 65535),
      HOITHI_KEY(server, threads, Kind::kInt, 0, 256),
      HOITHI_KEY(server, max_connections, Kind::kInt, 1, 1000000),
      HOITHI_KEY(server, max_body_bytes, Kind::kInt, 1024, 1 << 30),
      HOITHI_KEY(server, max_header_bytes, Kind::kInt, 1024, 1 << 20),
      HOITHI_KEY(server, read_timeout_s, Kind::kInt, 1, 3600),
      HOITHI_KEY(server, idle_timeout_s, Kind::kInt, 1, 3600),
      HOITHI_KEY(server, write_timeout_s, Kind::kInt, 1, 3600),
      HOITHI_KEY(server, handler_timeout_s, Kind::kInt, 1, 3600),
      HOITHI_KEY(server, shutdown_grace_s, Kind::kInt, 0, 3600),
      HOITHI_KEY(server, trusted_proxies, Kind::kStringList, 0, 0),
      HOITHI_KEY(server, public_cache_ms, Kind::kInt, 0, 60000),
      HOITHI_KEY(server, public_url, Kind::kString, 0, 0),
      HOITHI_KEY(database, url, Kind::kString, 0, 0),
      HOITHI_KEY(database, read_connections, Kind::kInt, 0, 1024),
      HOITHI_KEY(database, write_connections, Kind::kInt, 0, 64),
      HOITHI_KEY(database, busy_timeout_ms, Kind::kInt, 0, 600000),
      HOITHI_KEY(database, max_batch, Kind::kInt, 1, 100000),
      HOITHI_KEY(database, max_queue, Kind::kInt, 1, 10000000),
      HOITHI_KEY(storage, data_dir, Kind::kString, 0, 0),
      HOITHI_KEY(log, level, Kind::kLogLevel, 0, 0),
      HOITHI_KEY(log, access, Kind::kBool, 0, 0),
      HOITHI_KEY(auth, password_ops, Kind::kInt, 1, 20),
      HOITHI_KEY(auth, password_memory_kib, Kind::kInt, 8192, 4 << 20),
      HOITHI_KEY(auth, hash_threads, Kind::kInt, 0, 256),
      HOITHI_KEY(auth, hash_queue, Kind::kInt, 1, 1000000),
      HOITHI_KEY(auth, hash_max_wait_ms, Kind::kInt, 0, 600000),
      HOITHI_KEY(limits, per_ip_enabled, Kind::kBool, 0, 0),
      HOITHI_KEY(limits, login_per_ip, Kind::kInt, 0, 1000000),
      HOITHI_KEY(limits, registration_per_ip, Kind::kInt, 0, 1000000),
      HOITHI_KEY(limits, attempt_start_per_ip, Kind::kInt, 0, 1000000),
      HOITHI_KEY(limits, attempt_start_per_account, Kind::kInt, 0, 1000000),
      HOITHI_KEY(limits, start_waiting_room_ms, Kind::kInt, 0, 600000),
      HOITHI_KEY(video, max_upload_mb, Kind::kInt, 1, 1 << 20),
      HOITHI_KEY(video, upload_expiry_h, Kind::kInt, 1, 24 * 90),
      HOITHI_KEY(video, max_duration_s, Kind::kInt, 1, 24 * 3600),
      HOITHI_KEY(video, transcode_slots, Kind::kInt, 0, 64),
      HOITHI_KEY(video, ffmpeg_threads, Kind::kInt, 1, 64),
      HOITHI_KEY(testing, clock_control, Kind::kBool, 0, 0),
      HOITHI_KEY(testing, clock_offset_s, Kind::kInt, -315360000, 315360000),
      HOITHI_KEY(testing, weak_password_hashing, Kind::kBool, 0, 0),
  };
  return specs;
}

#undef HOITHI_KEY

constexpr const char* kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off"};

std::string Expected(const KeySpec& s) {
  switch (s.kind) {
    case Kind::kInt:
      return fmt::format("một số nguyên từ {} đến {}", s.min, s.max);
    case Kind::kBool:
      return "true hoặc false";
    case Kind::kString:
      return "một chuỗi ký tự";
    case Kind::kStringList:
      return "một danh sách chuỗi (trong biến môi trường: cách nhau bằng dấu phẩy)";
    case Kind::kLogLevel:
      return "một trong các giá trị trace, debug, info, warn, error, off";
  }
  return "";
}

Error KeyError(const KeySpec& s, const std::string& origin) {
  return MakeError(ErrorKind::kValidation, "config_invalid",
                   fmt::format("{}{}.{}: cần {}", origin, s.section, s.key, Expected(s)),
                   fmt::format("{}.{}", s.section, s.key));
}

Status SetInt(const KeySpec& s, Config& c, std::int64_t v, const std::string& origin) {
  if (v < s.min || v > s.max) return KeyError(s, origin);
  *static_cast<int*>(s.target(c)) = static_cast<int>(v);
  return Ok();
}

Status SetString(const KeySpec& s, Config& c, const std::string& v, const std::string& origin) {
  if (s.kind == Kind::kLogLevel &&
      std::find(std::begin(kLogLevels), std::end(kLogLevels), v) == std::end(kLogLevels)) {
    return KeyError(s, origin);
  }
  *static_cast<std::string*>(s.target(c)) = v;
  return Ok();
}

Status ApplyToml(const KeySpec& s, Config& c, const toml::node& node, const std::string& origin) {
  switch (s.kind) {
    case Kind::kInt:
      if (auto v = node.value_exact<std::int64_t>()) return SetInt(s, c, *v, origin);
      return KeyError(s, origin);
    case Kind::kBool:
      if (auto v = node.value_exact<bool>()) {
        *static_cast<bool*>(s.target(c)) = *v;
        return Ok();
      }
      return KeyError(s, origin);
    case Kind::kString:
    case Kind::kLogLevel:
      if (auto v = node.value_exact<std::string>()) return SetString(s, c, *v, origin);
      return KeyError(s, origin);
    case Kind::kStringList: {
      const auto* arr = node.as_array();
      if (!arr) return KeyError(s, origin);
      std::vector<std::string> out;
      for (const auto& item : *arr) {
        auto v = item.value_exact<std::string>();
        if (!v) return KeyError(s, origin);
        out.push_back(*v);
      }
      *static_cast<std::vector<std::string>*>(s.target(c)) = std::move(out);
      return Ok();
    }
  }
  return KeyError(s, origin);
}

std::string Trimmed(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front())))
    v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())))
    v.remove_suffix(1);
  return std::string(v);
}

Status ApplyEnv(const KeySpec& s, Config& c, const std::string& raw, const std::string& origin) {
  const std::string v = Trimmed(raw);
  switch (s.kind) {
    case Kind::kInt: {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || v.empty()) return KeyError(s, origin);
      return SetInt(s, c, n, origin);
    }
    case Kind::kBool:
      if (v == "true" || v == "1") {
        *static_cast<bool*>(s.target(c)) = true;
      } else if (v == "false" || v == "0") {
        *static_cast<bool*>(s.target(c)) = false;
      } else {
        return KeyError(s, origin);
      }
      return Ok();
    case Kind::kString:
    case Kind::kLogLevel:
      return SetString(s, c, raw, origin);
    case Kind::kStringList: {
      std::vector<std::string> out;
      std::string_view rest = raw;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = Trimmed(rest.substr(0, comma));
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      *static_cast<std::vector<std::string>*>(s.target(c)) = std::move(out);
      return Ok();
    }
  }
  return KeyError(s, origin);
}

std::string Upper(std::string s) {
  for (auto& ch : s)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string KeysOf(const std::string& section) {
  std::string out;
  for (const auto& s : Specs()) {
    if (section != s.section) continue;
    if (!out.empty()) out += ", ";
    out += s.key;
  }
  return out;
}

std::vector<std::string> Sections() {
  std::vector<std::string> out;
  for (const auto& s : Specs()) {
    if (std::find(out.begin(), out.end(), s.section) == out.end()) out.push_back(s.section);
  }
  return out;
}

bool IsSection(std::string_view name) {
  const auto sections = Sections();
  return std::find(sections.begin(), sections.end(), name) != sections.end();
}

}  // namespace

std::string Config::EffectiveDatabaseUrl() const {
  if (!database.url.empty()) return database.url;
  std::string dir = storage.data_dir;
  while (dir.size() > 1 && dir.back() == '/')
    dir.pop_back();
  return "sqlite://" + dir + "/hoithi.db";
}

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("HOITHI_")) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

std::vector<std::string> KnownConfigKeys() {
  std::vector<std::string> out;
  for (const auto& s : Specs())
    out.push_back(std::string(s.section) + "." + s.key);
  return out;
}

Result<Config> LoadConfig(const std::string& path, bool required, const Environment& env) {
  Config config;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    toml::table table;
    try {
      table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return MakeError(
          ErrorKind::kValidation, "config_invalid",
          fmt::format("{}:{}:{}: tệp TOML không hợp lệ: {}", path, e.source().begin.line,
                      e.source().begin.column, e.description()));
    }
    for (const auto& [section_key, section_node] : table) {
      const std::string section(section_key.str());
      const auto* section_table = section_node.as_table();
      if (!IsSection(section) || !section_table) {
        return MakeError(ErrorKind::kValidation, "config_invalid",
                         fmt::format("{}: không có mục [{}]; các mục hợp lệ: {}", path, section,
                                     fmt::join(Sections(), ", ")),
                         section);
      }
      for (const auto& [key, node] : *section_table) {
        // A copy of the binding: clang 14 (the fuzz build) cannot capture structured bindings.
        const std::string_view key_text = key.str();
        const auto it = std::find_if(Specs().begin(), Specs().end(), [&](const KeySpec& s) {
          return section == s.section && key_text == s.key;
        });
        if (it == Specs().end()) {
          return MakeError(ErrorKind::kValidation, "config_invalid",
                           fmt::format("{}: không có khóa {}.{}; các khóa hợp lệ trong [{}]: {}",
                                       path, section, key.str(), section, KeysOf(section)),
                           section + "." + std::string(key.str()));
        }
        HOITHI_TRY(ApplyToml(*it, config, node, path + ": "));
      }
    }
  } else if (required) {
    return MakeError(ErrorKind::kValidation, "config_missing",
                     fmt::format("{}: không tìm thấy tệp cấu hình", path));
  }

  for (const auto& [name, value] : env) {
    if (!name.starts_with("HOITHI_")) continue;
    const KeySpec* match = nullptr;
    for (const auto& s : Specs()) {
      if (name == "HOITHI_" + Upper(s.section) + "_" + Upper(s.key)) match = &s;
    }
    if (match) {
      HOITHI_TRY(ApplyEnv(*match, config, value, "biến môi trường " + name + ": "));
      continue;
    }
    // A variable naming a known section but no known key is a typo worth stopping for.
    for (const auto& section : Sections()) {
      const std::string prefix = "HOITHI_" + Upper(section) + "_";
      if (name.starts_with(prefix)) {
        return MakeError(ErrorKind::kValidation, "config_invalid",
                         fmt::format("biến môi trường {}: không có khóa này; các khóa hợp lệ trong "
                                     "[{}]: {}",
                                     name, section, KeysOf(section)),
                         name);
      }
    }
  }
  if ((config.auth.password_ops < kMinPasswordOps ||
       config.auth.password_memory_kib < kMinPasswordMemoryKib) &&
      !config.testing.weak_password_hashing) {
    return MakeError(
        ErrorKind::kValidation, "config_invalid",
        fmt::format("auth.password_ops = {}, auth.password_memory_kib = {}: thấp hơn mức tối thiểu "
                    "OWASP khuyến nghị cho Argon2id ({} lượt, {} KiB); chỉ dùng mức thấp hơn cho "
                    "kiểm thử và đo hiệu năng, với testing.weak_password_hashing = true",
                    config.auth.password_ops, config.auth.password_memory_kib, kMinPasswordOps,
                    kMinPasswordMemoryKib),
        "auth.password_ops");
  }
  auto& url = config.server.public_url;
  while (url.ends_with('/'))
    url.pop_back();
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
    return MakeError(ErrorKind::kValidation, "config_invalid",
                     "server.public_url: cần một địa chỉ bắt đầu bằng https:// hoặc http://",
                     "server.public_url");
  }
  return config;
}

int UsableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace hoithi::core
