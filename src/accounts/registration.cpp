// Registration checks and the write that creates the participant.
#include "accounts/registration.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "accounts/audit_actions.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/sessions.hpp"
#include "accounts/users.hpp"
#include "accounts/verification.hpp"
#include "audit/audit_log.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

/// Answers "already registered" an address may get before it waits (then 60 s, doubling).
const ThrottlePolicy kDuplicatesPerAddress{10, std::chrono::minutes(15), std::chrono::seconds(60),
                                           std::chrono::minutes(15)};

using core::ErrorKind;

constexpr std::size_t kMaxFieldChars = 200;

struct Problems {
  std::vector<std::pair<std::string, std::string>> list;
  void Add(std::string field, std::string message) {
    list.emplace_back(std::move(field), std::move(message));
  }
  core::Error ToError() const {
    auto e = core::MakeError(ErrorKind::kValidation, "invalid_registration", list.front().second,
                             list.front().first);
    e.fields = list;
    return e;
  }
};

/// Cleans a free-text field, recording a problem when it is not valid UTF-8 or too long.
std::string CleanField(const std::string& raw, const std::string& field, std::string_view label,
                       Problems& problems) {
  if (!core::IsValidUtf8(raw)) {
    problems.Add(field, std::string(label) + " chứa ký tự không hợp lệ.");
    return {};
  }
  auto cleaned = core::CleanText(raw);
  if (core::CodePointCount(cleaned) > kMaxFieldChars) {
    problems.Add(field, std::string(label) + " không được dài quá 200 ký tự.");
  }
  return cleaned;
}

bool IsDate(std::string_view s) {
  int d = 0, m = 0, y = 0;
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return false;
  for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  d = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  y = std::stoi(std::string(s.substr(6)));
  return y >= 1900 && y <= 2100 && core::LocalToUtc(y, m, d, 0, 0, core::kDefaultTimeZone);
}

core::Error FieldError(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, std::move(code), message, field);
  e.fields = {{e.field, e.message}};
  return e;
}

}  // namespace

std::string NewRegistrationKey() {
  return NewSessionToken().token;
}

core::Result<RegistrationInput> CheckRegistration(
    const RegistrationInput& in, const std::vector<contest::RegistrationField>& fields) {
  Problems problems;
  RegistrationInput out;

  if (auto name = CleanFullName(in.full_name)) {
    out.full_name = *name;
  } else {
    problems.Add("full_name", name.error().message);
  }
  if (auto phone = NormalizePhone(in.phone)) {
    out.phone = *phone;
  } else {
    problems.Add("phone", in.phone.empty()
                              ? "Vui lòng nhập số điện thoại."
                              : "Số điện thoại không hợp lệ: cần 10 chữ số bắt đầu bằng 0 "
                                "(hoặc +84).");
  }
  out.email = core::AsciiLower(CleanField(in.email, "email", "Thư điện tử", problems));
  if (!out.email.empty() && !LooksLikeEmail(out.email)) {
    problems.Add("email", "Địa chỉ thư điện tử không hợp lệ.");
  }
  out.unit_code = core::AsciiLower(CleanField(in.unit_code, "unit_code", "Đơn vị", problems));
  if (out.unit_code.empty()) problems.Add("unit_code", "Vui lòng chọn đơn vị công tác.");
  out.position = CleanField(in.position, "position", "Chức vụ", problems);
  if (!in.idempotency_key.empty()) {
    const bool ok = in.idempotency_key.size() >= 16 && in.idempotency_key.size() <= 128 &&
                    std::all_of(in.idempotency_key.begin(), in.idempotency_key.end(), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                    });
    if (ok) {
      out.idempotency_key = in.idempotency_key;
    } else {
      problems.Add("idempotency_key",
                   "Mã chống gửi trùng (Idempotency-Key) cần 16–128 ký tự chữ, số, '-' hoặc '_'.");
    }
  }
  if (auto st = ValidatePassword(in.password); !st) {
    problems.Add("password", st.error().message);
  } else {
    out.password = in.password;
  }

  for (const auto& f : fields) {
    const auto it = in.extra.find(f.key);
    std::string value =
        CleanField(it == in.extra.end() ? std::string() : it->second, f.key, f.label, problems);
    if (value.empty()) {
      if (f.required) problems.Add(f.key, "Vui lòng nhập " + core::CleanText(f.label) + ".");
      continue;
    }
    switch (f.kind) {
      case contest::FieldKind::kIdCard: {
        std::string digits;
        for (char c : value) {
          if (c != ' ' && c != '.') digits += c;
        }
        if (digits.size() != 12 || !std::all_of(digits.begin(), digits.end(),
                                                [](char c) { return c >= '0' && c <= '9'; })) {
          problems.Add(f.key, f.label + " phải gồm đúng 12 chữ số.");
        }
        value = digits;
        break;
      }
      case contest::FieldKind::kDate:
        if (!IsDate(value))
          problems.Add(f.key, f.label + " phải có dạng ngày/tháng/năm, ví dụ 05/09/1985.");
        break;
      case contest::FieldKind::kGender: {
        const auto& choices = contest::GenderChoices();
        if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
          problems.Add(f.key, f.label + " phải là Nam, Nữ hoặc Khác.");
        }
        break;
      }
      case contest::FieldKind::kText:
        break;
    }
    out.extra[f.key] = value;
  }
  if (!problems.list.empty()) return problems.ToError();
  return out;
}

RegistrationService::RegistrationService(store::Database& db, core::WorkPool& hash_pool,
                                         const core::Clock& clock, PasswordCost cost)
    : db_(db), hash_pool_(hash_pool), clock_(clock), cost_(cost) {}

void RegistrationService::Register(const contest::Contest& contest, RegistrationInput raw,
                                   ClientInfo client, Callback<Registered> done) {
  if (contest::PhaseAt(contest, clock_.Now()) == contest::Phase::kClosed) {
    return done(core::MakeError(ErrorKind::kForbidden, "contest_closed",
                                "Hội thi đã kết thúc nên không nhận đăng ký mới."));
  }
  auto checked = CheckRegistration(raw, contest.settings->registration_fields);
  // The unit is checked now too, so that one answer lists every problem.
  if (const auto code = core::AsciiLower(raw.unit_code); !code.empty() && core::IsValidUtf8(code)) {
    auto lease = db_.Read();
    auto unit = units::FindUnitByCode(*lease, contest.id, core::CleanText(code));
    if (!unit) return done(std::move(unit).error());
    if (!*unit) {
      const std::string message = "Đơn vị đã chọn không có trong danh sách của hội thi.";
      if (checked) return done(FieldError("unknown_unit", message, "unit_code"));
      auto e = std::move(checked).error();
      e.fields.emplace_back("unit_code", message);
      return done(e);
    }
  }
  if (!checked) return done(std::move(checked).error());
  // "This phone already has an account" is an answer the person needs (to sign in instead), and
  // one that tells an enumerator which phone numbers are logins: an address that gets it too
  // often waits before it may register again.
  const auto address_key = "register-ip:" + client.ip;
  {
    auto lease = db_.Read();
    auto state = ThrottleStateOf(*lease, address_key, kDuplicatesPerAddress, clock_.Now());
    if (!state) return done(std::move(state).error());
    if (state->retry_after_s > 0) {
      auto e = core::MakeError(ErrorKind::kTooManyRequests, "too_many_attempts",
                               "Có quá nhiều lần đăng ký bằng số điện thoại đã có tài khoản từ "
                               "địa chỉ này. Vui lòng thử lại sau " +
                                   std::to_string(state->retry_after_s) +
                                   " giây, hoặc đăng nhập nếu bạn đã có tài khoản.");
      e.retry_after_s = state->retry_after_s;
      return done(e);
    }
  }

  auto task = [this, address_key, contest_id = contest.id,
               fields = contest.settings->registration_fields,
               checked_mode = contest.settings->registration_mode, input = std::move(*checked),
               client, done]() mutable {
    auto hash = HashPassword(input.password, cost_);
    if (!hash) return done(std::move(hash).error());
    const auto now = clock_.Now();
    auto result = std::make_shared<Registered>();
    db_.Write(
        [=, hash = *hash](store::Connection& c) -> core::Status {
          auto unit = units::FindUnitByCode(c, contest_id, input.unit_code);
          if (!unit) return std::move(unit).error();
          if (!*unit) {
            return FieldError("unknown_unit",
                              "Đơn vị đã chọn không có trong danh sách của hội thi.", "unit_code");
          }
          // Two registrations of one phone at once (a double click) run one after the other, so
          // that the second finds the first's account.
          HOITHI_TRY(store::LockKey(
              c, "accounts.register:" + std::to_string(contest_id) + ":" + input.phone));
          if (!input.idempotency_key.empty()) {
            // A repeat of a registration that went through: the same answer, nothing new.
            bool repeated = false;
            HOITHI_TRY(
                c.Query("SELECT id, full_name, registration_status FROM users WHERE"
                        " contest_id = $1 AND login = $2 AND registration_key = $3",
                        {contest_id, input.phone, input.idempotency_key}, [&](const store::Row& r) {
                          repeated = true;
                          result->user_id = r.Int(0);
                          result->full_name = r.Str(1);
                          result->pending = r.Str(2) == "pending";
                        }));
            if (repeated) {
              result->login = input.phone;
              result->unit_code = (*unit)->code;
              result->unit_name = (*unit)->name;
              return core::Ok();
            }
          }
          nlohmann::json extra = nlohmann::json::object();
          for (const auto& [k, v] : input.extra)
            extra[k] = v;
          NewUser u;
          u.contest_id = contest_id;
          u.login = input.phone;
          u.password_hash = hash;
          u.role = Role::kParticipant;
          u.unit_id = (*unit)->id;
          u.full_name = input.full_name;
          u.phone = input.phone;
          u.email = input.email;
          u.position = input.position;
          u.extra_json = extra.dump();
          if (!input.idempotency_key.empty()) u.registration_key = input.idempotency_key;
          if (checked_mode == contest::RegistrationMode::kRoster) {
            // A date field, when the contest asks one, is the date of birth to match by name.
            std::string birth_date;
            for (const auto& f : fields) {
              const auto v = input.extra.find(f.key);
              if (f.kind == contest::FieldKind::kDate && v != input.extra.end()) {
                birth_date = v->second;
              }
            }
            auto matched = MatchesRoster(c, (*unit)->id, input.phone, input.full_name, birth_date);
            if (!matched) return std::move(matched).error();
            u.pending = !*matched;
          }
          auto inserted = InsertUser(c, u, now);
          if (!inserted) return std::move(inserted).error();
          if (!*inserted) {
            return FieldError("duplicate_phone",
                              "Số điện thoại này đã được dùng để đăng ký hội thi.", "phone");
          }
          const auto id = *inserted;
          for (const auto& f : fields) {
            const auto v = input.extra.find(f.key);
            if (!f.unique || v == input.extra.end() || v->second.empty()) continue;
            auto r = c.Exec(
                "INSERT INTO user_unique_values (contest_id, field, value, user_id)"
                " VALUES ($1, $2, $3, $4)",
                {contest_id, f.key, v->second, *id});
            if (!r) {
              if (store::IsDuplicate(r.error())) {
                return FieldError("duplicate_" + f.key,
                                  f.label + " này đã được dùng để đăng ký hội thi.", f.key);
              }
              return std::move(r).error();
            }
          }
          result->user_id = *id;
          result->login = input.phone;
          result->full_name = input.full_name;
          result->unit_code = (*unit)->code;
          result->unit_name = (*unit)->name;
          result->pending = u.pending;
          nlohmann::json after = {
              {"login", input.phone}, {"full_name", input.full_name}, {"unit", (*unit)->code}};
          return audit::Record(c, audit::Actor{*id, input.phone, client.ip},
                               audit::Entry{contest_id, actions::kRegister, "user",
                                            std::to_string(*id), std::nullopt, after.dump()},
                               now);
        },
        [this, result, done, address_key, now](const core::Status& st) {
          if (st) return done(std::move(*result));
          if (st.error().code != "duplicate_phone") return done(st.error());
          db_.Write(
              [address_key, now](store::Connection& c) {
                return RecordLoginFailure(c, address_key, kDuplicatesPerAddress, now);
              },
              [done, error = st.error()](const core::Status&) { done(error); });
        });
  };
  auto busy = [done] {
    auto e = core::MakeError(ErrorKind::kTooManyRequests, "busy",
                             "Hệ thống đang có nhiều người đăng ký cùng lúc. Vui lòng thử lại sau "
                             "vài giây.");
    e.retry_after_s = 3;
    done(e);
  };
  // A registration whose turn comes too late answers "busy" instead of hashing (work_pool.hpp).
  if (!hash_pool_.TrySubmit(std::move(task), busy)) busy();
}

}  // namespace hoithi::accounts
