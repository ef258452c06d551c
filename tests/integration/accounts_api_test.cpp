// The accounts JSON API through the real `hoithi serve`: login, sessions, CSRF, throttling,
// password change, participant registration, administration of users, units and registration
// fields, the audit log, and focal points' roster imports run as jobs.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kDemoPassword[] = "hoithi-demo-2021";
constexpr char kStrongPassword[] = "Cai-cach-hanh-chinh-2021";
constexpr char kBom[] = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// Helpers

/// The "error" object of an error answer, or an empty object when the body is not one.
json ErrorOf(const HttpResponse& r) {
  const auto j = r.Json();
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return json::object();
  return j["error"];
}

/// The status, and when given the error code and field, of an answer; the body on failure.
::testing::AssertionResult IsAnswer(const HttpResponse& r, long status,
                                    const std::string& code = "", const std::string& field = "") {
  const auto e = ErrorOf(r);
  const bool ok = r.status == status && (code.empty() || e.value("code", "") == code) &&
                  (field.empty() || e.value("field", "") == field);
  if (ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << status << (code.empty() ? "" : " " + code)
                                       << (field.empty() ? "" : " (field " + field + ")")
                                       << ", got " << r.status << ": " << r.body;
}

HttpResponse Login(HttpClient& c, const std::string& login, const std::string& password) {
  return c.Post("/api/v1/auth/login", json{{"login", login}, {"password", password}}.dump());
}

HttpResponse Patch(HttpClient& c, const std::string& path, const json& body) {
  return c.Request("PATCH", path, body.dump(), {"Content-Type: application/json"});
}

HttpResponse Delete(HttpClient& c, const std::string& path) {
  return c.Request("DELETE", path, "", {});
}

/// A client signed in by bearer token.
struct Signed {
  std::unique_ptr<HttpClient> http;
  std::string token;
  json user;
};

Signed SignIn(const ServerProcess& server, const std::string& login,
              const std::string& password = kDemoPassword) {
  Signed s{std::make_unique<HttpClient>(server.base_url()), "", json::object()};
  HttpClient anonymous(server.base_url());
  const auto r = Login(anonymous, login, password);
  if (r.status != 200) {
    ADD_FAILURE() << "login " << login << " failed: " << r.status << " " << r.body;
    return s;
  }
  s.token = r.Json().value("token", "");
  s.user = r.Json()["user"];
  s.http->set_bearer(s.token);
  return s;
}

/// A client with this bearer token only.
std::unique_ptr<HttpClient> WithToken(const ServerProcess& server, const std::string& token) {
  auto c = std::make_unique<HttpClient>(server.base_url());
  c->set_bearer(token);
  return c;
}

/// A fresh, valid mobile number for each call ("0978000001", ...).
std::string NewPhone() {
  static std::atomic<int> next{0};
  const auto n = std::to_string(++next);
  return "0978" + std::string(6 - n.size(), '0') + n;
}

/// "0978000001" written the international way: "+84 978 000 001".
std::string International(const std::string& phone) {
  return "+84 " + phone.substr(1, 3) + " " + phone.substr(4, 3) + " " + phone.substr(7);
}

/// A valid registration for `phone` at so-noi-vu.
json Person(const std::string& phone) {
  return {{"full_name", "Trần Thị Bình"},
          {"phone", phone},
          {"email", "binh" + phone + "@example.vn"},
          {"unit_code", "so-noi-vu"},
          {"position", "Chuyên viên"},
          {"password", kStrongPassword}};
}

HttpResponse Register(HttpClient& c, const json& body) {
  return c.Post("/api/v1/participants", body.dump());
}

/// Nothing was created for `phone` by a rejected attempt: the same phone now registers.
void ExpectPhoneStillFree(HttpClient& c, const std::string& phone) {
  const auto r = Register(c, Person(phone));
  EXPECT_TRUE(IsAnswer(r, 201)) << "the rejected attempt left an account behind for " << phone;
}

/// Users whose search matches `q`, as seen by `admin`.
json FindUsers(HttpClient& admin, const std::string& query) {
  const auto r = admin.Get("/api/v1/users?per_page=500&" + query);
  EXPECT_TRUE(IsAnswer(r, 200));
  const auto j = r.Json();
  return j.is_object() && j.contains("items") ? j["items"] : json::array();
}

bool HasLogin(const json& items, const std::string& login) {
  for (const auto& i : items) {
    if (i.value("login", "") == login) return true;
  }
  return false;
}

/// Creates a staff account as `admin`; returns the 201 body ({"id","login",...}).
json CreateUser(HttpClient& admin, const json& body) {
  const auto r = admin.Post("/api/v1/users", body.dump());
  EXPECT_TRUE(IsAnswer(r, 201));
  return r.status == 201 ? r.Json() : json::object();
}

/// Stops the server and checks that it exited cleanly (no sanitizer report, no crash).
void ExpectCleanStop(ServerProcess& server) {
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.log();
  const auto log = server.log();
  EXPECT_EQ(log.find("Sanitizer"), std::string::npos) << log;
  EXPECT_EQ(log.find("runtime error:"), std::string::npos) << log;
}

/// A suite of tests sharing one seeded server.
class SharedServer : public ::testing::Test {
 protected:
  static void StartServer(ServerProcess*& server) {
    server = new ServerProcess();
    server->SeedDemo();
    server->Start();
  }
  static void StopServer(ServerProcess*& server) {
    ExpectCleanStop(*server);
    delete server;
    server = nullptr;
  }
};

// ---------------------------------------------------------------------------------------------
// Login, sessions, logout, CSRF and password change

class AccountsApi : public SharedServer {
 protected:
  static void SetUpTestSuite() { StartServer(server_); }
  static void TearDownTestSuite() { StopServer(server_); }
  static ServerProcess* server_;
  HttpClient anon_{server_->base_url()};
};
ServerProcess* AccountsApi::server_ = nullptr;

TEST_F(AccountsApi, LoginAnswersATokenTheUserAndAnHttpOnlySessionCookie) {
  const auto r = Login(anon_, "btc", kDemoPassword);
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto j = r.Json();
  EXPECT_FALSE(j.value("token", "").empty());
  EXPECT_FALSE(j.value("expires_at", "").empty());
  const auto& user = j["user"];
  EXPECT_TRUE(user["id"].is_number_integer());
  EXPECT_EQ(user["login"], "btc");
  EXPECT_EQ(user["role"], "admin");
  EXPECT_EQ(user["unit_code"], "so-noi-vu");
  EXPECT_FALSE(user.value("full_name", "").empty());
  const auto cookie = r.Header("set-cookie");
  EXPECT_TRUE(cookie.starts_with("hoithi_session=" + j.value("token", ""))) << cookie;
  for (const char* part : {"; Path=/", "; Max-Age=", "; HttpOnly", "; SameSite=Lax"}) {
    EXPECT_NE(cookie.find(part), std::string::npos) << part << " missing in " << cookie;
  }
}

TEST_F(AccountsApi, AWrongPasswordAndAnUnknownLoginGetTheSameInvalidCredentialsAnswer) {
  const auto wrong = Login(anon_, "giamkhao", "not-the-password");
  const auto unknown = Login(anon_, "khong-co-tai-khoan-nay", "not-the-password");
  EXPECT_TRUE(IsAnswer(wrong, 401, "invalid_credentials"));
  EXPECT_TRUE(IsAnswer(unknown, 401, "invalid_credentials"));
  EXPECT_FALSE(ErrorOf(wrong).value("message", "").empty());
  EXPECT_EQ(ErrorOf(wrong)["message"], ErrorOf(unknown)["message"]);
  EXPECT_TRUE(wrong.Header("set-cookie").empty());
}

TEST_F(AccountsApi, AParticipantLogsInByPhoneInAnyCommonForm) {
  for (const char* login : {"0912345678", "+84 912 345 678", "+84912345678", "0912.345.678"}) {
    const auto r = Login(anon_, login, kDemoPassword);
    ASSERT_TRUE(IsAnswer(r, 200)) << login;
    const auto user = r.Json()["user"];
    EXPECT_EQ(user["login"], "0912345678") << login;
    EXPECT_EQ(user["role"], "participant") << login;
    EXPECT_EQ(user["unit_code"], "so-noi-vu") << login;
  }
}

TEST_F(AccountsApi, ADisabledAccountWithTheRightPasswordIs403AccountDisabled) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(*btc.http, {{"login", "tk.khoa.1"},
                                              {"full_name", "Lý Văn Khóa"},
                                              {"role", "secretary"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  const auto id = std::to_string(created["id"].get<long long>());
  ASSERT_TRUE(IsAnswer(Patch(*btc.http, "/api/v1/users/" + id, {{"active", false}}), 200));
  EXPECT_TRUE(IsAnswer(Login(anon_, "tk.khoa.1", kStrongPassword), 403, "account_disabled"));
  // A wrong password on a disabled account reveals nothing more than on any account.
  EXPECT_TRUE(IsAnswer(Login(anon_, "tk.khoa.1", "wrong-password-x"), 401, "invalid_credentials"));
}

TEST_F(AccountsApi, TheSessionDescribesTheSignedInUserWithACsrfToken) {
  auto judge = SignIn(*server_, "giamkhao");
  const auto r = judge.http->Get("/api/v1/auth/session");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto j = r.Json();
  EXPECT_EQ(j["user"]["login"], "giamkhao");
  EXPECT_EQ(j["user"]["role"], "judge");
  EXPECT_EQ(j["user"]["id"], judge.user["id"]);
  EXPECT_FALSE(j.value("csrf_token", "").empty());
  EXPECT_FALSE(j.value("expires_at", "").empty());
}

TEST_F(AccountsApi, AnAnonymousSessionRequestIs401Unauthenticated) {
  EXPECT_TRUE(IsAnswer(anon_.Get("/api/v1/auth/session"), 401, "unauthenticated"));
}

TEST_F(AccountsApi, ABadBearerTokenIs401InvalidToken) {
  auto c = WithToken(*server_, "khong-phai-ma-dang-nhap");
  EXPECT_TRUE(IsAnswer(c->Get("/api/v1/auth/session"), 401, "invalid_token"));
  // Even on a route anyone may use: a bad token is an error, not an anonymous request.
  EXPECT_TRUE(IsAnswer(c->Get("/api/v1/units"), 401, "invalid_token"));
}

TEST_F(AccountsApi, LogoutEndsTheSessionAndItsTokenStopsWorking) {
  auto judge = SignIn(*server_, "giamkhao");
  ASSERT_TRUE(IsAnswer(judge.http->Get("/api/v1/auth/session"), 200));
  EXPECT_TRUE(IsAnswer(judge.http->Post("/api/v1/auth/logout", "{}"), 204));
  EXPECT_TRUE(IsAnswer(judge.http->Get("/api/v1/auth/session"), 401, "invalid_token"));
}

TEST_F(AccountsApi, CookieSessionsNeedTheCsrfTokenForLogout) {
  HttpClient browser(server_->base_url());
  ASSERT_TRUE(IsAnswer(Login(browser, "thuky", kDemoPassword), 200));
  const auto session = browser.Get("/api/v1/auth/session");  // by cookie
  ASSERT_TRUE(IsAnswer(session, 200));
  const auto csrf = session.Json().value("csrf_token", "");
  ASSERT_FALSE(csrf.empty());

  EXPECT_TRUE(IsAnswer(browser.Post("/api/v1/auth/logout", "{}"), 403, "csrf_failed"));
  EXPECT_TRUE(IsAnswer(browser.Post("/api/v1/auth/logout", "{}", "application/json",
                                    {"X-CSRF-Token: not-the-token"}),
                       403, "csrf_failed"));
  EXPECT_TRUE(IsAnswer(browser.Get("/api/v1/auth/session"), 200)) << "still signed in";
  EXPECT_TRUE(IsAnswer(
      browser.Post("/api/v1/auth/logout", "{}", "application/json", {"X-CSRF-Token: " + csrf}),
      204));
  EXPECT_TRUE(IsAnswer(browser.Get("/api/v1/auth/session"), 401, "unauthenticated"));
}

TEST_F(AccountsApi, CookieWritesWithoutTheCsrfTokenCreateNothingWhileBearerWritesNeedNone) {
  HttpClient browser(server_->base_url());
  ASSERT_TRUE(IsAnswer(Login(browser, "btc", kDemoPassword), 200));
  const auto csrf = browser.Get("/api/v1/auth/session").Json().value("csrf_token", "");
  ASSERT_FALSE(csrf.empty());
  const json body = {{"login", "csrf.thu.1"}, {"full_name", "Phan Văn Thử"}, {"role", "judge"}};

  EXPECT_TRUE(IsAnswer(browser.Post("/api/v1/users", body.dump()), 403, "csrf_failed"));
  auto btc = SignIn(*server_, "btc");
  EXPECT_FALSE(HasLogin(FindUsers(*btc.http, "q=csrf.thu.1"), "csrf.thu.1"));

  EXPECT_TRUE(IsAnswer(
      browser.Post("/api/v1/users", body.dump(), "application/json", {"X-CSRF-Token: " + csrf}),
      201));
  // Bearer-authenticated: no CSRF token needed.
  auto second = body;
  second["login"] = "csrf.thu.2";
  EXPECT_TRUE(IsAnswer(btc.http->Post("/api/v1/users", second.dump()), 201));
  const auto found = FindUsers(*btc.http, "q=csrf.thu");
  EXPECT_TRUE(HasLogin(found, "csrf.thu.1"));
  EXPECT_TRUE(HasLogin(found, "csrf.thu.2"));
}

TEST_F(AccountsApi, ChangingThePasswordEndsOtherSessionsAndSwapsThePasswords) {
  const auto phone = NewPhone();
  ASSERT_TRUE(IsAnswer(Register(anon_, Person(phone)), 201));
  auto here = SignIn(*server_, phone, kStrongPassword);
  auto elsewhere = SignIn(*server_, phone, kStrongPassword);
  ASSERT_TRUE(IsAnswer(elsewhere.http->Get("/api/v1/auth/session"), 200));

  const std::string fresh = "Mat-khau-moi-cua-toi-2021";
  const auto r =
      here.http->Post("/api/v1/auth/password",
                      json{{"current_password", kStrongPassword}, {"new_password", fresh}}.dump());
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto token = r.Json().value("token", "");
  ASSERT_FALSE(token.empty());
  EXPECT_NE(r.Header("set-cookie").find("hoithi_session=" + token), std::string::npos);

  EXPECT_TRUE(IsAnswer(elsewhere.http->Get("/api/v1/auth/session"), 401, "invalid_token"))
      << "the other session must end";
  EXPECT_TRUE(IsAnswer(WithToken(*server_, token)->Get("/api/v1/auth/session"), 200));
  EXPECT_TRUE(IsAnswer(Login(anon_, phone, kStrongPassword), 401, "invalid_credentials"));
  EXPECT_TRUE(IsAnswer(Login(anon_, phone, fresh), 200));
}

TEST_F(AccountsApi, AWrongCurrentPasswordIs422OnCurrentPasswordAndChangesNothing) {
  const auto phone = NewPhone();
  ASSERT_TRUE(IsAnswer(Register(anon_, Person(phone)), 201));
  auto me = SignIn(*server_, phone, kStrongPassword);
  const auto r = me.http->Post(
      "/api/v1/auth/password",
      json{{"current_password", "khong-dung-mat-khau"}, {"new_password", "Mot-mat-khau-moi-99"}}
          .dump());
  EXPECT_TRUE(IsAnswer(r, 422, "", "current_password"));
  EXPECT_TRUE(IsAnswer(me.http->Get("/api/v1/auth/session"), 200));
  EXPECT_TRUE(IsAnswer(Login(anon_, phone, kStrongPassword), 200));
}

TEST_F(AccountsApi, AWeakNewPasswordIs422OnNewPasswordAndChangesNothing) {
  const auto phone = NewPhone();
  ASSERT_TRUE(IsAnswer(Register(anon_, Person(phone)), 201));
  auto me = SignIn(*server_, phone, kStrongPassword);
  for (const char* weak : {"ngan", "1234567", "12345678", "password"}) {
    const auto r =
        me.http->Post("/api/v1/auth/password",
                      json{{"current_password", kStrongPassword}, {"new_password", weak}}.dump());
    EXPECT_TRUE(IsAnswer(r, 422, "", "new_password")) << weak;
  }
  EXPECT_TRUE(IsAnswer(Login(anon_, phone, kStrongPassword), 200));
}

// ---------------------------------------------------------------------------------------------
// Participant registration

TEST_F(AccountsApi, RegistrationCreatesAParticipantWithANormalisedPhoneAndTrimmedName) {
  auto body = Person("");
  body["phone"] = "+84 987 654 321";
  body["full_name"] = "   Trần   Thị Bình  ";
  const auto r = Register(anon_, body);
  ASSERT_TRUE(IsAnswer(r, 201));
  const auto j = r.Json();
  EXPECT_TRUE(j["id"].is_number_integer());
  EXPECT_EQ(j["login"], "0987654321");
  EXPECT_EQ(j["full_name"], "Trần Thị Bình");
  EXPECT_EQ(j["role"], "participant");
  EXPECT_EQ(j["unit_code"], "so-noi-vu");
  EXPECT_EQ(j["unit_name"], "Sở Nội vụ");
  const auto login = Login(anon_, "0987654321", kStrongPassword);
  ASSERT_TRUE(IsAnswer(login, 200));
  EXPECT_EQ(login.Json()["user"]["id"], j["id"]);
}

TEST_F(AccountsApi, RegistrationStoresTheNameInNfc) {
  const auto phone = NewPhone();
  auto body = Person(phone);
  body["full_name"] = "Lê Văn Ke\xCC\x82\xCC\x81";  // "Kế" as e + U+0302 + U+0301
  const auto r = Register(anon_, body);
  ASSERT_TRUE(IsAnswer(r, 201));
  EXPECT_EQ(r.Json()["full_name"], "Lê Văn Kế");  // U+1EBF
  auto btc = SignIn(*server_, "btc");
  const auto stored =
      btc.http->Get("/api/v1/users/" + std::to_string(r.Json()["id"].get<long long>()));
  ASSERT_TRUE(IsAnswer(stored, 200));
  EXPECT_EQ(stored.Json()["full_name"], "Lê Văn Kế");
  EXPECT_EQ(Login(anon_, phone, kStrongPassword).Json()["user"]["full_name"], "Lê Văn Kế");
}

TEST_F(AccountsApi, ARegistrationRepeatedWithItsIdempotencyKeyAnswersTheSameAccount) {
  const auto phone = NewPhone();
  const std::string key = "dang-ky-" + phone + "-a1b2c3d4";
  auto with_key = [&](const std::string& k) {
    return anon_.Post("/api/v1/participants", Person(phone).dump(), "application/json",
                      {"Idempotency-Key: " + k});
  };
  const auto first = with_key(key);
  ASSERT_TRUE(IsAnswer(first, 201));
  // A retry after a lost response: the same account, not "duplicate".
  const auto again = with_key(key);
  ASSERT_TRUE(IsAnswer(again, 201));
  EXPECT_EQ(again.Json(), first.Json());
  // Another key (another person typing the same phone), or none: the phone is taken.
  EXPECT_TRUE(IsAnswer(with_key(key + "-khac"), 422, "duplicate_phone", "phone"));
  EXPECT_TRUE(IsAnswer(Register(anon_, Person(phone)), 422, "duplicate_phone", "phone"));
  // The key does not stand for another phone.
  const auto other_phone = NewPhone();
  const auto other = anon_.Post("/api/v1/participants", Person(other_phone).dump(),
                                "application/json", {"Idempotency-Key: " + key});
  ASSERT_TRUE(IsAnswer(other, 201));
  EXPECT_NE(other.Json()["id"], first.Json()["id"]);
  // A key that cannot be one is refused, and creates nothing.
  const auto bad = NewPhone();
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/participants", Person(bad).dump(), "application/json",
                                  {"Idempotency-Key: ngắn"}),
                       422, "", "idempotency_key"));
  ExpectPhoneStillFree(anon_, bad);
}

TEST_F(AccountsApi, TheSameRegistrationSentTwiceAtOnceCreatesOneAccountAndAnswersItTwice) {
  for (int round = 0; round < 5; ++round) {
    const auto phone = NewPhone();
    const std::string key = "nhan-doi-" + phone + "-0123456789";
    HttpResponse a, b;
    auto send = [&](HttpResponse& out) {
      HttpClient c(server_->base_url());
      out = c.Post("/api/v1/participants", Person(phone).dump(), "application/json",
                   {"Idempotency-Key: " + key});
    };
    std::thread first([&] { send(a); });
    std::thread second([&] { send(b); });
    first.join();
    second.join();
    ASSERT_TRUE(IsAnswer(a, 201));
    ASSERT_TRUE(IsAnswer(b, 201));
    EXPECT_EQ(a.Json()["id"], b.Json()["id"]);
  }
}

TEST_F(AccountsApi, ADuplicatePhoneIs422DuplicatePhone) {
  const auto phone = NewPhone();
  ASSERT_TRUE(IsAnswer(Register(anon_, Person(phone)), 201));
  auto again = Person(phone);
  again["phone"] = International(phone);
  again["full_name"] = "Người Khác";
  EXPECT_TRUE(IsAnswer(Register(anon_, again), 422, "duplicate_phone", "phone"));
  // The first account is unchanged.
  const auto login = Login(anon_, phone, kStrongPassword);
  ASSERT_TRUE(IsAnswer(login, 200));
  EXPECT_EQ(login.Json()["user"]["full_name"], "Trần Thị Bình");
}

TEST_F(AccountsApi, AnUnknownUnitIs422OnUnitCodeAndCreatesNothing) {
  const auto phone = NewPhone();
  auto body = Person(phone);
  body["unit_code"] = "so-khong-ton-tai";
  EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "unit_code"));
  body["unit_code"] = "";
  EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "unit_code"));
  ExpectPhoneStillFree(anon_, phone);
}

TEST_F(AccountsApi, WeakPasswordsAre422OnPasswordAndCreateNothing) {
  const auto phone = NewPhone();
  for (const char* weak : {"", "abc", "1234567", "12345678", "password", "matkhau123"}) {
    auto body = Person(phone);
    body["password"] = weak;
    EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "password")) << "'" << weak << "'";
  }
  ExpectPhoneStillFree(anon_, phone);
}

TEST_F(AccountsApi, MalformedPhonesAre422OnPhone) {
  for (const char* bad :
       {"", "12345", "091234567", "09123456789", "0912abc678", "0012345678", "+1 912 345 678"}) {
    auto body = Person(bad);
    EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "phone")) << "'" << bad << "'";
  }
}

TEST_F(AccountsApi, MalformedEmailsAre422OnEmailAndCreateNothing) {
  const auto phone = NewPhone();
  for (const char* bad :
       {"not-an-email", "a@b", "@example.vn", "a b@example.vn", "a@@example.vn"}) {
    auto body = Person(phone);
    body["email"] = bad;
    EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "email")) << bad;
  }
  ExpectPhoneStillFree(anon_, phone);
}

TEST_F(AccountsApi, OversizeFieldsAre422AndCreateNothing) {
  const auto phone = NewPhone();
  std::string long_name;  // 101 characters, multi-byte
  for (int i = 0; i < 101; ++i)
    long_name += "ễ";
  auto body = Person(phone);
  body["full_name"] = long_name;
  EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "full_name"));
  body = Person(phone);
  body["position"] = std::string(201, 'x');
  EXPECT_TRUE(IsAnswer(Register(anon_, body), 422, "", "position"));
  ExpectPhoneStillFree(anon_, phone);
}

TEST_F(AccountsApi, FieldsAtTheirLengthLimitsAreAccepted) {
  const auto phone = NewPhone();
  std::string name;  // 100 characters, 200 bytes: the limit is in characters
  for (int i = 0; i < 100; ++i)
    name += "Đ";
  std::string position;  // 200 characters
  for (int i = 0; i < 200; ++i)
    position += "ư";
  auto body = Person(phone);
  body["full_name"] = name;
  body["position"] = position;
  const auto r = Register(anon_, body);
  ASSERT_TRUE(IsAnswer(r, 201));
  EXPECT_EQ(r.Json()["full_name"], name);
}

TEST_F(AccountsApi, InvalidUtf8InsideAJsonStringIs422NamingTheField) {
  const auto phone = NewPhone();
  auto body = Person(phone);
  body["full_name"] = "@NAME@";
  auto raw = body.dump();
  raw.replace(raw.find("@NAME@"), 6, std::string("Tr") + "\xC3\x28" + "n \xFF" + "Bình");
  const auto r = anon_.Post("/api/v1/participants", raw);
  EXPECT_TRUE(IsAnswer(r, 422, "", "full_name"));

  body = Person(phone);
  body["position"] = "@POS@";
  raw = body.dump();
  raw.replace(raw.find("@POS@"), 5, std::string("Chuy") + "\xE1\xBB" + "n vi\xC3");
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/participants", raw), 422, "", "position"));
  ExpectPhoneStillFree(anon_, phone);
}

TEST_F(AccountsApi, SeveralBadFieldsAreAllListed) {
  const json body = {{"full_name", "X"},
                     {"phone", "12345"},
                     {"email", "khong-phai-email"},
                     {"unit_code", "khong-co-don-vi-nay"},
                     {"position", "Chuyên viên"},
                     {"password", "123"}};
  const auto r = Register(anon_, body);
  ASSERT_TRUE(IsAnswer(r, 422));
  const auto e = ErrorOf(r);
  ASSERT_TRUE(e.contains("fields") && e["fields"].is_object()) << r.body;
  for (const char* f : {"full_name", "phone", "email", "unit_code", "password"}) {
    EXPECT_TRUE(e["fields"].contains(f)) << f << " missing in " << r.body;
    if (e["fields"].contains(f)) {
      EXPECT_FALSE(e["fields"][f].get<std::string>().empty()) << f;
    }
  }
  EXPECT_FALSE(e["fields"].contains("position")) << r.body;
  EXPECT_TRUE(e.contains("field")) << r.body;
}

TEST_F(AccountsApi, RegistrationNeedsWellFormedJson) {
  const auto phone = NewPhone();
  const auto body = Person(phone).dump();
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/participants", body, "text/plain"), 415));
  EXPECT_TRUE(
      IsAnswer(anon_.Post("/api/v1/participants", body, "application/x-www-form-urlencoded"), 415));
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/participants", body.substr(0, body.size() - 3)), 400));
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/participants", "[1,2]"), 400));
  // Nothing was created; JSON with a charset parameter is JSON.
  EXPECT_TRUE(
      IsAnswer(anon_.Post("/api/v1/participants", body, "application/json; charset=utf-8"), 201));
}

TEST_F(AccountsApi, OfTwoSimultaneousRegistrationsOfOnePhoneExactlyOneSucceeds) {
  const auto phone = NewPhone();
  HttpResponse a, b;
  std::thread first([&] {
    HttpClient c(server_->base_url());
    a = Register(c, Person(phone));
  });
  std::thread second([&] {
    HttpClient c(server_->base_url());
    auto body = Person(phone);
    body["phone"] = International(phone);
    b = Register(c, body);
  });
  first.join();
  second.join();
  const int created = (a.status == 201) + (b.status == 201);
  EXPECT_EQ(created, 1) << a.body << " / " << b.body;
  const auto& loser = a.status == 201 ? b : a;
  EXPECT_TRUE(IsAnswer(loser, 422, "duplicate_phone", "phone"));
}

TEST_F(AccountsApi, UnitsListsTheContestsUnitsWithTheirGroups) {
  const auto r = anon_.Get("/api/v1/units");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto units = r.Json()["units"];
  ASSERT_TRUE(units.is_array());
  EXPECT_EQ(units.size(), 46u);
  bool noi_vu = false, ke_sach = false;
  for (const auto& u : units) {
    for (const char* key : {"code", "name", "group", "group_label"}) {
      EXPECT_TRUE(u.contains(key) && u[key].is_string() && !u[key].get<std::string>().empty())
          << key << " in " << u.dump();
    }
    noi_vu |= u.value("code", "") == "so-noi-vu";
    ke_sach |= u.value("code", "") == "ubnd-huyen-ke-sach";
  }
  EXPECT_TRUE(noi_vu);
  EXPECT_TRUE(ke_sach);
}

// ---------------------------------------------------------------------------------------------
// Administration of users and the audit log

TEST_F(AccountsApi, AdminEndpointsAreForAdminsOnly) {
  const std::vector<std::string> paths = {"/api/v1/users", "/api/v1/audit"};
  for (const auto& path : paths) {
    EXPECT_TRUE(IsAnswer(anon_.Get(path), 401, "unauthenticated")) << path;
  }
  EXPECT_TRUE(IsAnswer(anon_.Post("/api/v1/users", "{}"), 401, "unauthenticated"));
  for (const char* login : {"thuky", "giamkhao", "daumoi.kesach", "0912345678"}) {
    auto who = SignIn(*server_, login);
    for (const auto& path : paths) {
      EXPECT_TRUE(IsAnswer(who.http->Get(path), 403)) << login << " " << path;
    }
    const json body = {{"login", "khong.duoc.tao"}, {"full_name", "Không Được"}, {"role", "admin"}};
    EXPECT_TRUE(IsAnswer(who.http->Post("/api/v1/users", body.dump()), 403)) << login;
    EXPECT_TRUE(IsAnswer(Patch(*who.http, "/api/v1/users/1", {{"active", false}}), 403)) << login;
    EXPECT_TRUE(IsAnswer(who.http->Post("/api/v1/users/1/password-reset", "{}"), 403)) << login;
  }
  auto btc = SignIn(*server_, "btc");
  auto admin = SignIn(*server_, "admin");
  EXPECT_FALSE(HasLogin(FindUsers(*btc.http, "q=khong.duoc.tao"), "khong.duoc.tao"));
  for (const auto& path : paths) {
    EXPECT_TRUE(IsAnswer(btc.http->Get(path), 200)) << path;
    EXPECT_TRUE(IsAnswer(admin.http->Get(path), 200)) << path;
  }
}

TEST_F(AccountsApi, UserSearchIgnoresDiacriticsAndFilters) {
  auto btc = SignIn(*server_, "btc");
  const auto an = FindUsers(*btc.http, "q=nguyen%20van%20an");
  ASSERT_TRUE(HasLogin(an, "0912345678")) << an.dump();
  for (const auto& u : an) {
    if (u["login"] == "0912345678") {
      EXPECT_EQ(u["full_name"], "Nguyễn Văn An");
    }
  }
  const auto ke_sach = FindUsers(*btc.http, "q=ke%20sach");
  EXPECT_TRUE(HasLogin(ke_sach, "daumoi.kesach")) << ke_sach.dump();
  EXPECT_TRUE(HasLogin(FindUsers(*btc.http, "q=NGUYEN%20V%C4%82N%20AN"), "0912345678"));

  const auto judges = FindUsers(*btc.http, "role=judge");
  EXPECT_TRUE(HasLogin(judges, "giamkhao"));
  for (const auto& u : judges)
    EXPECT_EQ(u["role"], "judge") << u.dump();
  const auto unit = FindUsers(*btc.http, "unit=ubnd-huyen-ke-sach");
  EXPECT_TRUE(HasLogin(unit, "daumoi.kesach"));
  for (const auto& u : unit)
    EXPECT_EQ(u["unit_code"], "ubnd-huyen-ke-sach") << u.dump();

  const auto page = btc.http->Get("/api/v1/users?per_page=2&page=2");
  ASSERT_TRUE(IsAnswer(page, 200));
  const auto j = page.Json();
  EXPECT_EQ(j["page"], 2);
  EXPECT_EQ(j["per_page"], 2);
  EXPECT_EQ(j["items"].size(), 2u);
  EXPECT_GE(j["total"].get<long long>(), 5);
}

TEST_F(AccountsApi, ACreatedUserWithoutAPasswordGetsOneAndMustChangeIt) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(
      *btc.http, {{"login", "giamkhao.moi"}, {"full_name", "Đặng Giám Khảo"}, {"role", "judge"}});
  ASSERT_TRUE(created.contains("id"));
  EXPECT_EQ(created["login"], "giamkhao.moi");
  const auto initial = created.value("initial_password", "");
  ASSERT_GE(initial.size(), 8u) << created.dump();
  const auto login = Login(anon_, "giamkhao.moi", initial);
  ASSERT_TRUE(IsAnswer(login, 200));
  EXPECT_EQ(login.Json()["user"]["role"], "judge");
  EXPECT_EQ(login.Json()["user"]["must_change_password"], true);

  // With an explicit password: no generated one, nothing to change.
  const auto given = CreateUser(*btc.http, {{"login", "thuky.moi"},
                                            {"full_name", "Đặng Thư Ký"},
                                            {"role", "secretary"},
                                            {"password", kStrongPassword}});
  EXPECT_FALSE(given.contains("initial_password")) << given.dump();
  const auto second = Login(anon_, "thuky.moi", kStrongPassword);
  ASSERT_TRUE(IsAnswer(second, 200));
  EXPECT_EQ(second.Json()["user"]["must_change_password"], false);

  // The same login again is refused and leaves the first account as it was.
  const auto dup = btc.http->Post(
      "/api/v1/users",
      json{{"login", "giamkhao.moi"}, {"full_name", "Trùng Tên"}, {"role", "judge"}}.dump());
  EXPECT_GE(dup.status, 400) << dup.body;
  EXPECT_EQ(ErrorOf(dup).value("field", ""), "login") << dup.body;
  EXPECT_TRUE(IsAnswer(Login(anon_, "giamkhao.moi", initial), 200));
}

TEST_F(AccountsApi, AnAdminChangesARole) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(*btc.http, {{"login", "doi.vai.tro"},
                                              {"full_name", "Hà Đổi Vai"},
                                              {"role", "judge"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  const auto id = std::to_string(created["id"].get<long long>());
  auto before = SignIn(*server_, "doi.vai.tro", kStrongPassword);
  ASSERT_TRUE(IsAnswer(before.http->Get("/api/v1/auth/session"), 200));
  const auto r = Patch(*btc.http, "/api/v1/users/" + id, {{"role", "secretary"}});
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["role"], "secretary");
  EXPECT_TRUE(IsAnswer(before.http->Get("/api/v1/auth/session"), 401, "invalid_token"))
      << "a session opened under the old role";
  // Nobody demotes themselves.
  const auto own = std::to_string(btc.user["id"].get<long long>());
  EXPECT_TRUE(IsAnswer(Patch(*btc.http, "/api/v1/users/" + own, {{"role", "secretary"}}), 409,
                       "self_lockout"));
  EXPECT_EQ(btc.http->Get("/api/v1/auth/session").Json()["user"]["role"], "admin");
  const auto login = Login(anon_, "doi.vai.tro", kStrongPassword);
  ASSERT_TRUE(IsAnswer(login, 200));
  EXPECT_EQ(login.Json()["user"]["role"], "secretary");
  EXPECT_TRUE(
      IsAnswer(Patch(*btc.http, "/api/v1/users/" + id, {{"role", "vua"}}), 422, "", "role"));
}

TEST_F(AccountsApi, AnAdminMovesAUserToAnotherUnitButNotToAnUnknownOne) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(*btc.http, {{"login", "chuyen.don.vi"},
                                              {"full_name", "Vũ Chuyển"},
                                              {"role", "secretary"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  const auto path = "/api/v1/users/" + std::to_string(created["id"].get<long long>());
  const auto moved = Patch(*btc.http, path, {{"unit_code", "ubnd-huyen-ke-sach"}});
  ASSERT_TRUE(IsAnswer(moved, 200));
  EXPECT_EQ(moved.Json()["unit_code"], "ubnd-huyen-ke-sach");
  const auto refused = Patch(*btc.http, path, {{"unit_code", "khong-co-don-vi-nay"}});
  EXPECT_GE(refused.status, 400) << refused.body;
  EXPECT_LT(refused.status, 500) << refused.body;
  EXPECT_EQ(ErrorOf(refused).value("field", ""), "unit_code") << refused.body;
  const auto now = btc.http->Get(path);
  ASSERT_TRUE(IsAnswer(now, 200));
  EXPECT_EQ(now.Json()["unit_code"], "ubnd-huyen-ke-sach");
}

TEST_F(AccountsApi, DisablingAUserEndsTheirSessions) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(*btc.http, {{"login", "se.bi.khoa"},
                                              {"full_name", "Tạ Sẽ Khóa"},
                                              {"role", "judge"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  auto victim = SignIn(*server_, "se.bi.khoa", kStrongPassword);
  ASSERT_TRUE(IsAnswer(victim.http->Get("/api/v1/auth/session"), 200));
  const auto id = std::to_string(created["id"].get<long long>());
  const auto r = Patch(*btc.http, "/api/v1/users/" + id, {{"active", false}});
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["active"], false);
  EXPECT_TRUE(IsAnswer(victim.http->Get("/api/v1/auth/session"), 401, "invalid_token"));
  EXPECT_TRUE(IsAnswer(Login(anon_, "se.bi.khoa", kStrongPassword), 403, "account_disabled"));
  // Enabled again, the account signs in.
  ASSERT_TRUE(IsAnswer(Patch(*btc.http, "/api/v1/users/" + id, {{"active", true}}), 200));
  EXPECT_TRUE(IsAnswer(Login(anon_, "se.bi.khoa", kStrongPassword), 200));
}

TEST_F(AccountsApi, AnAdminCannotDisableThemselves) {
  auto btc = SignIn(*server_, "btc");
  const auto id = std::to_string(btc.user["id"].get<long long>());
  EXPECT_TRUE(
      IsAnswer(Patch(*btc.http, "/api/v1/users/" + id, {{"active", false}}), 409, "self_lockout"));
  EXPECT_TRUE(IsAnswer(btc.http->Get("/api/v1/auth/session"), 200));
  EXPECT_TRUE(IsAnswer(Login(anon_, "btc", kDemoPassword), 200));
}

TEST_F(AccountsApi, APasswordResetGivesANewInitialPasswordAndEndsSessions) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(*btc.http, {{"login", "quen.mat.khau"},
                                              {"full_name", "Mai Quên"},
                                              {"role", "judge"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  auto forgetful = SignIn(*server_, "quen.mat.khau", kStrongPassword);
  const auto id = std::to_string(created["id"].get<long long>());
  const auto r = btc.http->Post("/api/v1/users/" + id + "/password-reset", "{}");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto initial = r.Json().value("initial_password", "");
  ASSERT_GE(initial.size(), 8u);
  EXPECT_TRUE(IsAnswer(forgetful.http->Get("/api/v1/auth/session"), 401, "invalid_token"));
  EXPECT_TRUE(IsAnswer(Login(anon_, "quen.mat.khau", kStrongPassword), 401, "invalid_credentials"));
  const auto login = Login(anon_, "quen.mat.khau", initial);
  ASSERT_TRUE(IsAnswer(login, 200));
  EXPECT_EQ(login.Json()["user"]["must_change_password"], true);
}

TEST_F(AccountsApi, AnAccountWithAnInitialPasswordDoesNothingElseUntilItChangesIt) {
  auto btc = SignIn(*server_, "btc");
  const auto created = CreateUser(
      *btc.http,
      {{"login", "thuky.ban.dau"}, {"full_name", "Lương Thị Thư"}, {"role", "secretary"}});
  const auto initial = created.value("initial_password", "");
  ASSERT_GE(initial.size(), 8u) << created.dump();
  auto fresh = SignIn(*server_, "thuky.ban.dau", initial);
  EXPECT_TRUE(IsAnswer(fresh.http->Get("/api/v1/questions"), 403, "password_change_required"));
  EXPECT_TRUE(IsAnswer(fresh.http->Post("/api/v1/questions", json{{"text", "Câu hỏi?"}}.dump()),
                       403, "password_change_required"));
  const auto form =
      fresh.http->Post("/quan-tri/cau-hoi", "text=C%C3%A2u", "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 303) << "a form post of an account with its initial password";
  EXPECT_EQ(form.Header("location"), "/doi-mat-khau");
  const auto page = fresh.http->Get("/quan-tri/cau-hoi");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.Header("location"), "/doi-mat-khau");
  // Signing out is open to it.
  auto another = SignIn(*server_, "thuky.ban.dau", initial);
  EXPECT_TRUE(IsAnswer(another.http->Post("/api/v1/auth/logout", ""), 204));
  EXPECT_TRUE(IsAnswer(fresh.http->Get("/api/v1/auth/session"), 200));
  const auto changed = fresh.http->Post(
      "/api/v1/auth/password",
      json{{"current_password", initial}, {"new_password", kStrongPassword}}.dump());
  ASSERT_TRUE(IsAnswer(changed, 200)) << changed.body;
  auto after = SignIn(*server_, "thuky.ban.dau", kStrongPassword);
  EXPECT_TRUE(IsAnswer(after.http->Get("/api/v1/questions"), 200));
}

TEST_F(AccountsApi, ASessionTokenIs32RandomBytesInBase64UrlAndLastsTwelveHours) {
  std::set<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    const auto r = Login(anon_, "giamkhao", kDemoPassword);
    ASSERT_TRUE(IsAnswer(r, 200));
    const auto token = r.Json().value("token", "");
    ASSERT_EQ(token.size(), 43u) << token;
    for (const char c : token) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
    }
    tokens.insert(token);
    EXPECT_NE(r.Header("set-cookie").find("Max-Age=43200"), std::string::npos)
        << r.Header("set-cookie");
  }
  EXPECT_EQ(tokens.size(), 3u) << "a token came twice";
}

/// Whether the audit entry concerns the user `id`/`login`: by its target or its before/after.
bool Concerns(const json& entry, long long id, const std::string& login) {
  if (entry.value("target_id", "") == std::to_string(id)) return true;
  for (const char* side : {"before", "after"}) {
    if (entry.contains(side) && entry[side].dump().find("\"" + login + "\"") != std::string::npos)
      return true;
  }
  return false;
}

TEST_F(AccountsApi, AccountEventsLeaveAuditEntries) {
  auto btc = SignIn(*server_, "btc");
  // A participant registers, signs in, fails once, and changes the password.
  const auto phone = NewPhone();
  const auto reg = Register(anon_, Person(phone));
  ASSERT_TRUE(IsAnswer(reg, 201));
  const auto participant_id = reg.Json()["id"].get<long long>();
  auto participant = SignIn(*server_, phone, kStrongPassword);
  EXPECT_TRUE(IsAnswer(Login(anon_, phone, "sai-mat-khau-roi"), 401));
  EXPECT_TRUE(IsAnswer(participant.http->Post("/api/v1/auth/password",
                                              json{{"current_password", kStrongPassword},
                                                   {"new_password", "Mat-khau-ghi-nhat-ky-1"}}
                                                  .dump()),
                       200));
  // The admin creates a user, changes the role, resets the password and disables the account.
  const auto created = CreateUser(*btc.http, {{"login", "ghi.nhat.ky"},
                                              {"full_name", "Ông Ghi Nhật Ký"},
                                              {"role", "judge"},
                                              {"unit_code", "so-noi-vu"},
                                              {"password", kStrongPassword}});
  ASSERT_TRUE(created.contains("id"));
  const auto staff_id = created["id"].get<long long>();
  const auto path = "/api/v1/users/" + std::to_string(staff_id);
  EXPECT_TRUE(IsAnswer(Patch(*btc.http, path, {{"role", "secretary"}}), 200));
  EXPECT_TRUE(IsAnswer(btc.http->Post(path + "/password-reset", "{}"), 200));
  EXPECT_TRUE(IsAnswer(Patch(*btc.http, path, {{"active", false}}), 200));

  struct Expected {
    const char* action;
    std::string actor;
    long long id;
    std::string login;
  };
  const std::vector<Expected> expected = {
      {"participant.register", phone, participant_id, phone},
      {"auth.login", phone, participant_id, phone},
      {"auth.login_failed", phone, participant_id, phone},
      {"auth.password_change", phone, participant_id, phone},
      {"user.create", "btc", staff_id, "ghi.nhat.ky"},
      {"user.role_change", "btc", staff_id, "ghi.nhat.ky"},
      {"user.password_reset", "btc", staff_id, "ghi.nhat.ky"},
      {"user.disable", "btc", staff_id, "ghi.nhat.ky"},
  };
  for (const auto& want : expected) {
    const auto r = btc.http->Get(std::string("/api/v1/audit?per_page=500&action=") + want.action);
    ASSERT_TRUE(IsAnswer(r, 200)) << want.action;
    bool found = false;
    const auto items = r.Json()["items"];
    for (const auto& e : items) {
      if (e.value("action", "") != want.action || e.value("actor", "") != want.actor) continue;
      if (!Concerns(e, want.id, want.login)) continue;
      found = true;
      EXPECT_FALSE(e.value("at", "").empty()) << e.dump();
      EXPECT_EQ(e.value("ip", ""), "127.0.0.1") << e.dump();
      EXPECT_TRUE(e.contains("before") && e.contains("after")) << e.dump();
    }
    EXPECT_TRUE(found) << "no " << want.action << " entry by " << want.actor << " in " << r.body;
  }
  // Filtering by actor.
  const auto by_actor = btc.http->Get("/api/v1/audit?per_page=500&actor=" + phone);
  ASSERT_TRUE(IsAnswer(by_actor, 200));
  ASSERT_FALSE(by_actor.Json()["items"].empty());
  const auto mine = by_actor.Json()["items"];
  for (const auto& e : mine)
    EXPECT_EQ(e["actor"], phone) << e.dump();
}

// ---------------------------------------------------------------------------------------------
// Focal points and roster imports

TEST_F(AccountsApi, AFocalPointSeesOnlyTheirOwnUnit) {
  auto focal = SignIn(*server_, "daumoi.kesach");
  const auto own = focal.http->Get("/api/v1/units/ubnd-huyen-ke-sach/members");
  ASSERT_TRUE(IsAnswer(own, 200));
  EXPECT_TRUE(own.Json()["items"].is_array());
  EXPECT_TRUE(IsAnswer(focal.http->Get("/api/v1/units/so-noi-vu/members"), 403, "other_unit"));
  EXPECT_TRUE(IsAnswer(focal.http->Get("/api/v1/units/so-noi-vu"), 403, "other_unit"));
  const std::string csv = "Họ tên,Số điện thoại\nAi Đó,0961111111\n";
  EXPECT_TRUE(IsAnswer(focal.http->Post("/api/v1/units/so-noi-vu/rosters", csv, "text/csv"), 403,
                       "other_unit"));
  auto participant = SignIn(*server_, "0912345678");
  EXPECT_TRUE(IsAnswer(participant.http->Get("/api/v1/units/so-noi-vu/members"), 403));
}

/// Polls the job until it is no longer queued or running; returns its last JSON.
json WaitForJob(HttpClient& c, long long id) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  json last;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto r = c.Get("/api/v1/jobs/" + std::to_string(id));
    if (r.status != 200) {
      ADD_FAILURE() << "GET job: " << r.status << " " << r.body;
      return last;
    }
    last = r.Json();
    const auto status = last.value("status", "");
    if (status != "queued" && status != "running" && status != "draft") return last;
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "job " << id << " did not finish: " << last.dump();
  return last;
}

std::vector<long long> RejectedRows(const json& report) {
  std::vector<long long> rows;
  for (const auto& r : report.value("rejected", json::array())) {
    rows.push_back(r.value("row", -1LL));
    EXPECT_FALSE(r.value("reason", "").empty()) << r.dump();
  }
  return rows;
}

TEST_F(AccountsApi, ARosterWithBadRowsIsReportedAndCannotStartWithoutSkippingThem) {
  auto focal = SignIn(*server_, "daumoi.kesach");
  const auto ok1 = NewPhone(), missing_name = NewPhone(), ok2 = NewPhone();
  const std::string csv =
      "Họ tên,Số điện thoại,Email,Chức vụ\n"
      "Phạm Văn Một," +
      ok1 +
      ",mot@example.vn,Chuyên viên\n"
      "," +
      missing_name +
      ",,Chuyên viên\n"
      "Lê Thị Ba,12345,,\n"
      "Ngô Văn Bốn," +
      ok1 +
      ",,\n"
      "Đỗ Thị Năm,0912345678,,\n"
      "Hồ Văn Sáu," +
      ok2 + ",,Phó phòng\n";
  const auto r = focal.http->Post("/api/v1/units/ubnd-huyen-ke-sach/rosters", csv, "text/csv");
  ASSERT_TRUE(IsAnswer(r, 201));
  const auto j = r.Json();
  EXPECT_EQ(j["status"], "draft");
  const auto job = j["job_id"].get<long long>();
  const auto& report = j["report"];
  EXPECT_EQ(report["rows"], 6);
  EXPECT_EQ(report["valid"], 2);
  EXPECT_EQ(report["already_registered"], 1);
  EXPECT_EQ(RejectedRows(report), (std::vector<long long>{3, 4, 5, 6})) << report.dump();

  // Nobody else may see the draft.
  auto btc = SignIn(*server_, "btc");
  const auto other = CreateUser(*btc.http, {{"login", "daumoi.noivu"},
                                            {"full_name", "Trịnh Đầu Mối Nội Vụ"},
                                            {"role", "focal_point"},
                                            {"unit_code", "so-noi-vu"},
                                            {"password", kStrongPassword}});
  ASSERT_TRUE(other.contains("id"));
  auto other_focal = SignIn(*server_, "daumoi.noivu", kStrongPassword);
  auto participant = SignIn(*server_, "0912345678");
  const auto job_path = "/api/v1/jobs/" + std::to_string(job);
  for (auto* c : {other_focal.http.get(), participant.http.get()}) {
    EXPECT_TRUE(IsAnswer(c->Get(job_path), 404));
    EXPECT_TRUE(IsAnswer(c->Post(job_path + "/passwords", ""), 404));
    EXPECT_TRUE(IsAnswer(c->Post(job_path + "/start", R"({"skip_invalid":true})"), 404));
  }

  // Rejected rows exist: starting without skipping them creates nobody.
  EXPECT_TRUE(IsAnswer(focal.http->Post(job_path + "/start", "{}"), 422));
  std::this_thread::sleep_for(300ms);
  const auto still = focal.http->Get(job_path);
  ASSERT_TRUE(IsAnswer(still, 200));
  EXPECT_EQ(still.Json()["status"], "draft");
  EXPECT_FALSE(HasLogin(FindUsers(*btc.http, "q=" + ok1), ok1));
  EXPECT_FALSE(HasLogin(FindUsers(*btc.http, "q=" + ok2), ok2));
}

TEST_F(AccountsApi, ARosterImportCreatesAccountsWithInitialPasswordsAndSetsTheHeadcount) {
  auto focal = SignIn(*server_, "daumoi.kesach");
  const auto a = NewPhone(), b = NewPhone();
  const std::string csv =
      "Họ tên,Số điện thoại,Email,Chức vụ\n"
      "Phạm Văn Bảy," +
      a +
      ",bay@example.vn,Chuyên viên\n"
      "Đỗ Thị Tám,0912345678,,\n"
      "Hồ Văn Chín," +
      International(b) +
      ",,Phó phòng\n"
      "Không Số,abc,,\n";
  const auto r = focal.http->Post("/api/v1/units/ubnd-huyen-ke-sach/rosters", csv, "text/csv");
  ASSERT_TRUE(IsAnswer(r, 201));
  const auto job = r.Json()["job_id"].get<long long>();
  const auto report = r.Json()["report"];
  EXPECT_EQ(report["valid"], 2);
  EXPECT_EQ(report["already_registered"], 1);
  EXPECT_EQ(RejectedRows(report), (std::vector<long long>{3, 5})) << report.dump();
  const auto job_path = "/api/v1/jobs/" + std::to_string(job);

  const auto start = focal.http->Post(job_path + "/start", R"({"skip_invalid":true})");
  ASSERT_TRUE(IsAnswer(start, 202));
  const auto done = WaitForJob(*focal.http, job);
  ASSERT_EQ(done.value("status", ""), "done") << done.dump();
  EXPECT_EQ(done["progress"]["done"], 2);
  EXPECT_EQ(done["progress"]["total"], 2);
  // The finished job still tells what the file held (it used to show zeros after the import).
  const auto kept = done["result"].value("preview", json::object());
  EXPECT_EQ(kept.value("rows", 0), 4) << done.dump();
  EXPECT_EQ(kept.value("valid", 0), 2);
  EXPECT_EQ(kept.value("already_registered", 0), 1);
  const auto page =
      focal.http->Get("/don-vi/ubnd-huyen-ke-sach/nhap-danh-sach/" + std::to_string(job));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Số dòng trong tệp: 4"), std::string::npos);
  EXPECT_NE(page.body.find("Dòng hợp lệ (sẽ tạo tài khoản): 2"), std::string::npos);

  const auto passwords = focal.http->Post(job_path + "/passwords", "");
  ASSERT_TRUE(IsAnswer(passwords, 200));
  const auto items = passwords.Json()["items"];
  ASSERT_EQ(items.size(), 2u) << passwords.body;
  std::set<std::string> logins;
  for (const auto& p : items) {
    const auto login = p.value("login", "");
    logins.insert(login);
    const auto signed_in = Login(anon_, login, p.value("initial_password", ""));
    ASSERT_TRUE(IsAnswer(signed_in, 200)) << p.dump();
    EXPECT_EQ(signed_in.Json()["user"]["must_change_password"], true);
    EXPECT_EQ(signed_in.Json()["user"]["role"], "participant");
    EXPECT_EQ(signed_in.Json()["user"]["unit_code"], "ubnd-huyen-ke-sach");
  }
  EXPECT_EQ(logins, (std::set<std::string>{a, b}));

  // Nobody but its creator (and the organisers) may read or forget them.
  auto btc = SignIn(*server_, "btc");
  ASSERT_TRUE(CreateUser(*btc.http, {{"login", "daumoi.noivu.2"},
                                     {"full_name", "Trịnh Đầu Mối Hai"},
                                     {"role", "focal_point"},
                                     {"unit_code", "so-noi-vu"},
                                     {"password", kStrongPassword}})
                  .contains("id"));
  auto other_focal = SignIn(*server_, "daumoi.noivu.2", kStrongPassword);
  auto participant = SignIn(*server_, "0912345678");
  for (auto* c : {other_focal.http.get(), participant.http.get()}) {
    EXPECT_TRUE(IsAnswer(c->Get(job_path), 404));
    EXPECT_TRUE(IsAnswer(c->Post(job_path + "/passwords", ""), 404));
    EXPECT_TRUE(IsAnswer(Delete(*c, job_path + "/passwords"), 404));
  }
  EXPECT_TRUE(IsAnswer(focal.http->Post(job_path + "/passwords", ""), 200));

  const auto xlsx = focal.http->Post(job_path + "/passwords?format=xlsx", "");
  ASSERT_TRUE(IsAnswer(xlsx, 200));
  EXPECT_TRUE(xlsx.body.starts_with("PK"));

  // Reading them is a POST, audited; a GET is no way to read them.
  EXPECT_EQ(focal.http->Get(job_path + "/passwords").status, 405);
  const auto audit = btc.http->Get("/api/v1/audit?per_page=500&action=roster.passwords_export");
  ASSERT_TRUE(IsAnswer(audit, 200));
  int handovers = 0;
  const auto entries = audit.Json()["items"];
  for (const auto& e : entries) {
    if (e.value("target_id", "") == std::to_string(job) && e.value("actor", "") == "daumoi.kesach")
      ++handovers;
  }
  EXPECT_EQ(handovers, 3) << "each hand-over (two as JSON, one as .xlsx) is in the audit log: "
                          << audit.body.substr(0, 500);

  // Moved to another unit, the focal point no longer reads them; moved back, again.
  const auto focal_id = std::to_string(focal.user["id"].get<long long>());
  ASSERT_TRUE(
      IsAnswer(Patch(*btc.http, "/api/v1/users/" + focal_id, {{"unit_code", "so-noi-vu"}}), 200));
  auto moved = SignIn(*server_, "daumoi.kesach");
  EXPECT_TRUE(IsAnswer(moved.http->Post(job_path + "/passwords", ""), 404))
      << "a focal point moved to another unit reads its old unit's passwords";
  EXPECT_TRUE(IsAnswer(moved.http->Get(job_path), 404));
  ASSERT_TRUE(IsAnswer(
      Patch(*btc.http, "/api/v1/users/" + focal_id, {{"unit_code", "ubnd-huyen-ke-sach"}}), 200));
  EXPECT_TRUE(
      IsAnswer(SignIn(*server_, "daumoi.kesach").http->Post(job_path + "/passwords", ""), 200));

  EXPECT_TRUE(IsAnswer(Delete(*focal.http, job_path + "/passwords"), 204));
  EXPECT_TRUE(IsAnswer(focal.http->Post(job_path + "/passwords", ""), 404));
  EXPECT_TRUE(IsAnswer(focal.http->Post(job_path + "/passwords?format=xlsx", ""), 404));

  const auto unit = focal.http->Get("/api/v1/units/ubnd-huyen-ke-sach");
  ASSERT_TRUE(IsAnswer(unit, 200));
  EXPECT_EQ(unit.Json()["headcount"], 3) << unit.body;
  const auto members = focal.http->Get("/api/v1/units/ubnd-huyen-ke-sach/members?per_page=500");
  EXPECT_TRUE(HasLogin(members.Json()["items"], a));
  EXPECT_TRUE(HasLogin(members.Json()["items"], b));
}

// ---------------------------------------------------------------------------------------------
// Units administration (its own server: these tests change the list of units)

class AccountsApiUnits : public SharedServer {
 protected:
  static void SetUpTestSuite() { StartServer(server_); }
  static void TearDownTestSuite() { StopServer(server_); }
  void SetUp() override { btc_ = SignIn(*server_, "btc"); }
  static ServerProcess* server_;
  Signed btc_;
};
ServerProcess* AccountsApiUnits::server_ = nullptr;

bool UnitListed(const ServerProcess& server, const std::string& code) {
  HttpClient c(server.base_url());
  const auto units = c.Get("/api/v1/units").Json()["units"];
  for (const auto& u : units) {
    if (u.value("code", "") == code) return true;
  }
  return false;
}

TEST_F(AccountsApiUnits, AnAdminCreatesUpdatesAndDeletesAUnit) {
  auto& c = *btc_.http;
  const json unit = {{"code", "so-thu-nghiem"},
                     {"name", "Sở Thử nghiệm"},
                     {"group", "co-quan-chuyen-mon"},
                     {"headcount", 12}};
  ASSERT_TRUE(IsAnswer(c.Post("/api/v1/units", unit.dump()), 201));
  EXPECT_TRUE(UnitListed(*server_, "so-thu-nghiem"));
  EXPECT_TRUE(IsAnswer(c.Post("/api/v1/units", unit.dump()), 409));

  auto bad = unit;
  bad["code"] = "Sở Sai Mã";
  EXPECT_TRUE(IsAnswer(c.Post("/api/v1/units", bad.dump()), 422, "", "code"));
  EXPECT_FALSE(UnitListed(*server_, "Sở Sai Mã"));

  auto changed = unit;
  changed["name"] = "Sở Thử nghiệm (đổi tên)";
  changed["headcount"] = 20;
  ASSERT_TRUE(IsAnswer(c.Put("/api/v1/units/so-thu-nghiem", changed.dump()), 200));
  const auto got = c.Get("/api/v1/units/so-thu-nghiem");
  ASSERT_TRUE(IsAnswer(got, 200));
  EXPECT_EQ(got.Json()["name"], "Sở Thử nghiệm (đổi tên)");
  EXPECT_EQ(got.Json()["headcount"], 20);

  EXPECT_TRUE(IsAnswer(Delete(c, "/api/v1/units/so-thu-nghiem"), 204));
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/units/so-thu-nghiem"), 404));
  EXPECT_FALSE(UnitListed(*server_, "so-thu-nghiem"));
}

TEST_F(AccountsApiUnits, OnlyAdminsChangeUnits) {
  const json unit = {{"code", "so-cam"}, {"name", "Sở Cấm"}, {"group", "co-quan-chuyen-mon"}};
  HttpClient anon(server_->base_url());
  EXPECT_TRUE(IsAnswer(anon.Post("/api/v1/units", unit.dump()), 401, "unauthenticated"));
  for (const char* login : {"thuky", "daumoi.kesach", "0912345678"}) {
    auto who = SignIn(*server_, login);
    EXPECT_TRUE(IsAnswer(who.http->Post("/api/v1/units", unit.dump()), 403)) << login;
    EXPECT_TRUE(IsAnswer(Delete(*who.http, "/api/v1/units/so-tai-chinh"), 403)) << login;
  }
  EXPECT_FALSE(UnitListed(*server_, "so-cam"));
}

TEST_F(AccountsApiUnits, AUnitWithAccountsCannotBeDeleted) {
  EXPECT_TRUE(IsAnswer(Delete(*btc_.http, "/api/v1/units/so-noi-vu"), 409, "unit_in_use"));
  EXPECT_TRUE(UnitListed(*server_, "so-noi-vu"));
  HttpClient anon(server_->base_url());
  EXPECT_TRUE(IsAnswer(Login(anon, "0912345678", kDemoPassword), 200));
}

TEST_F(AccountsApiUnits, UnitsExportAsCsvAndXlsx) {
  const auto csv = btc_.http->Get("/api/v1/units/export?format=csv");
  ASSERT_TRUE(IsAnswer(csv, 200));
  EXPECT_TRUE(csv.body.starts_with(std::string(kBom) + "code,name,group,"))
      << csv.body.substr(0, 80);
  EXPECT_NE(csv.body.find("so-noi-vu,Sở Nội vụ,"), std::string::npos);
  EXPECT_NE(csv.Header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  const auto xlsx = btc_.http->Get("/api/v1/units/export?format=xlsx");
  ASSERT_TRUE(IsAnswer(xlsx, 200));
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
}

TEST_F(AccountsApiUnits, ANameThatLooksLikeAFormulaIsExportedAsTextAndImportsBackUnchanged) {
  // Opened in a spreadsheet program, a CSV cell starting with = + - @ would run as a formula.
  const std::vector<std::pair<std::string, std::string>> units = {
      {"so-cong-thuc-a", "=HYPERLINK(\"http://example.com\",\"Bấm vào đây\")"},
      {"so-cong-thuc-b", "+84 Sở Cộng"},
      {"so-cong-thuc-c", "-Sở Trừ"},
      {"so-cong-thuc-d", "@SUM(1+1)"}};
  for (const auto& [code, name] : units) {
    ASSERT_TRUE(
        IsAnswer(btc_.http->Post(
                     "/api/v1/units",
                     json{{"code", code}, {"name", name}, {"group", "co-quan-chuyen-mon"}}.dump()),
                 201))
        << code;
  }
  const auto csv = btc_.http->Get("/api/v1/units/export?format=csv");
  ASSERT_TRUE(IsAnswer(csv, 200));
  EXPECT_NE(csv.body.find("so-cong-thuc-a,\"'=HYPERLINK(\"\"http://example.com\"\","),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find("so-cong-thuc-b,'+84 Sở Cộng,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("so-cong-thuc-c,'-Sở Trừ,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("so-cong-thuc-d,'@SUM(1+1),"), std::string::npos) << csv.body;
  // The export imported back leaves every name as it was.
  ASSERT_TRUE(IsAnswer(btc_.http->Post("/api/v1/units/import", csv.body, "text/csv"), 200));
  for (const auto& [code, name] : units) {
    const auto u = btc_.http->Get("/api/v1/units/" + code);
    ASSERT_TRUE(IsAnswer(u, 200));
    EXPECT_EQ(u.Json()["name"], name) << code;
  }
}

TEST_F(AccountsApiUnits, AnImportDryRunReportsBadRowsAndSavesNothing) {
  const std::string csv = std::string(kBom) +
                          "code,name,group,headcount\n"
                          "so-nhap-a,Sở Nhập A,co-quan-chuyen-mon,10\n"
                          "Mã Sai,Đơn vị mã sai,co-quan-chuyen-mon,5\n"
                          "so-nhap-b,Sở Nhập B,co-quan-chuyen-mon,\n"
                          "so-nhap-c,Sở Nhập C,co-quan-chuyen-mon,-3\n";
  const auto r = btc_.http->Post("/api/v1/units/import?dry_run=true", csv, "text/csv");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto j = r.Json();
  EXPECT_EQ(j["rows"], 4);
  EXPECT_EQ(j["valid"], 2);
  EXPECT_EQ(RejectedRows(j), (std::vector<long long>{3, 5})) << r.body;
  for (const char* code : {"so-nhap-a", "so-nhap-b"})
    EXPECT_FALSE(UnitListed(*server_, code)) << code;
}

TEST_F(AccountsApiUnits, AnImportWithBadRowsSavesNothingUnlessTheyAreSkipped) {
  const std::string csv =
      "code,name,group,headcount\n"
      "so-nhap-d,Sở Nhập D,co-quan-chuyen-mon,7\n"
      "so-nhap-e,,co-quan-chuyen-mon,\n"
      "so-nhap-f,Sở Nhập F,don-vi-su-nghiep,\n";
  const auto refused = btc_.http->Post("/api/v1/units/import", csv, "text/csv");
  EXPECT_TRUE(IsAnswer(refused, 422));
  for (const char* code : {"so-nhap-d", "so-nhap-e", "so-nhap-f"})
    EXPECT_FALSE(UnitListed(*server_, code)) << code;

  const auto saved = btc_.http->Post("/api/v1/units/import?skip_invalid=true", csv, "text/csv");
  ASSERT_TRUE(IsAnswer(saved, 200));
  EXPECT_TRUE(UnitListed(*server_, "so-nhap-d"));
  EXPECT_TRUE(UnitListed(*server_, "so-nhap-f"));
  EXPECT_FALSE(UnitListed(*server_, "so-nhap-e"));
  const auto d = btc_.http->Get("/api/v1/units/so-nhap-d");
  ASSERT_TRUE(IsAnswer(d, 200));
  EXPECT_EQ(d.Json()["name"], "Sở Nhập D");
  EXPECT_EQ(d.Json()["headcount"], 7);
}

// ---------------------------------------------------------------------------------------------
// Registration fields set by the organisers (their own server: they change registration)

TEST(AccountsApiRegistrationFields, AUniqueIdCardFieldIsRequiredCheckedAndUnique) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  HttpClient anon(server.base_url());
  auto btc = SignIn(server, "btc");
  const json settings = {{"fields",
                          {{{"key", "cccd"},
                            {"label", "Số CCCD"},
                            {"kind", "id_card"},
                            {"required", true},
                            {"unique", true}}}}};
  ASSERT_TRUE(
      IsAnswer(btc.http->Put("/api/v1/contest/settings/registration", settings.dump()), 200));
  auto thuky = SignIn(server, "thuky");
  EXPECT_TRUE(
      IsAnswer(thuky.http->Put("/api/v1/contest/settings/registration", settings.dump()), 403));

  const auto first = NewPhone(), second = NewPhone();
  EXPECT_TRUE(IsAnswer(Register(anon, Person(first)), 422, "", "cccd"));
  auto body = Person(first);
  body["cccd"] = "09318500123";  // 11 digits
  EXPECT_TRUE(IsAnswer(Register(anon, body), 422, "", "cccd"));
  body["cccd"] = "09318500123a";
  EXPECT_TRUE(IsAnswer(Register(anon, body), 422, "", "cccd"));
  body["cccd"] = "093185001234";
  ASSERT_TRUE(IsAnswer(Register(anon, body), 201));

  auto dup = Person(second);
  dup["cccd"] = "093 185 001 234";
  EXPECT_TRUE(IsAnswer(Register(anon, dup), 422, "duplicate_cccd", "cccd"));
  // The refused registration created nobody: the phone is still free.
  dup["cccd"] = "093185005678";
  EXPECT_TRUE(IsAnswer(Register(anon, dup), 201)) << "the duplicate_cccd attempt left an account";
  ExpectCleanStop(server);
}

// ---------------------------------------------------------------------------------------------
// Login throttling (fresh servers: the counts are per process)

class AccountsApiThrottling : public SharedServer {
 protected:
  static void SetUpTestSuite() { StartServer(server_); }
  static void TearDownTestSuite() { StopServer(server_); }
  static ServerProcess* server_;
  HttpClient anon_{server_->base_url()};
};
ServerProcess* AccountsApiThrottling::server_ = nullptr;

TEST_F(AccountsApiThrottling, FiveFailuresLockTheLoginEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(
        IsAnswer(Login(anon_, "thuky", "sai-" + std::to_string(i)), 401, "invalid_credentials"))
        << "attempt " << i + 1;
  }
  const auto r = Login(anon_, "thuky", kDemoPassword);
  EXPECT_TRUE(IsAnswer(r, 429, "too_many_attempts"));
  const auto retry = r.Header("retry-after");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::atoi(retry.c_str()), 0) << retry;
  EXPECT_TRUE(r.Header("set-cookie").empty());
  // Other accounts from the same address are not locked.
  EXPECT_TRUE(IsAnswer(Login(anon_, "giamkhao", kDemoPassword), 200));
}

TEST_F(AccountsApiThrottling, UnknownLoginsAreThrottledTheSameWay) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(IsAnswer(Login(anon_, "ai-do-khong-co", "sai-" + std::to_string(i)), 401,
                         "invalid_credentials"))
        << "attempt " << i + 1;
  }
  const auto r = Login(anon_, "ai-do-khong-co", "sai-nua");
  EXPECT_TRUE(IsAnswer(r, 429, "too_many_attempts"));
  EXPECT_FALSE(r.Header("retry-after").empty());
}

TEST_F(AccountsApiThrottling, APhoneLoginIsThrottledWhateverItsWrittenForm) {
  const char* forms[] = {"0912345678", "+84 912 345 678", "+84912345678", "0912 345 678",
                         "0912.345.678"};
  for (const char* form : forms) {
    EXPECT_TRUE(IsAnswer(Login(anon_, form, "sai-mat-khau"), 401, "invalid_credentials")) << form;
  }
  EXPECT_TRUE(IsAnswer(Login(anon_, "+84 912345678", kDemoPassword), 429, "too_many_attempts"));
}

TEST(AccountsApiAccountThrottling, AnInstallWideAccountHasOneCounterWhicheverContestItSignsIn) {
  ServerProcess server;  // its own: other tests' failures from this address would lock it anyway
  server.SeedDemo();
  server.Start();
  HttpClient anon(server.base_url());
  // A second contest, as a later edition: staff of the install sign in through either's site.
  auto admin = SignIn(server, "admin");
  const auto contests = admin.http->Get("/api/v1/contests").Json()["items"];
  ASSERT_FALSE(contests.empty());
  const auto copied = admin.http->Post(
      "/api/v1/contests/" + std::to_string(contests[0]["id"].get<long long>()) + "/copy",
      json{{"slug", "ky-sau"},
           {"name", "Hội thi trực tuyến Cải cách hành chính kỳ sau"},
           {"opens_at", "2031-09-15T07:00:00+07:00"},
           {"closes_at", "2031-10-16T00:00:00+07:00"}}
          .dump());
  ASSERT_TRUE(IsAnswer(copied, 201)) << copied.body;
  const std::string slug = "ky-sau";
  const auto login = [&](const std::string& contest, const std::string& password) {
    return anon.Post("/api/v1/auth/login",
                     json{{"login", "admin"}, {"password", password}, {"contest", contest}}.dump());
  };
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(IsAnswer(login("", "sai-" + std::to_string(i)), 401, "invalid_credentials"));
  for (int i = 3; i < 5; ++i)
    EXPECT_TRUE(IsAnswer(login(slug, "sai-" + std::to_string(i)), 401, "invalid_credentials"));
  EXPECT_TRUE(IsAnswer(login(slug, kDemoPassword), 429, "too_many_attempts"))
      << "five failures of one account through two contests' sites";
  EXPECT_TRUE(IsAnswer(login("", kDemoPassword), 429, "too_many_attempts"));
  EXPECT_TRUE(IsAnswer(Login(anon, "btc", kDemoPassword), 200)) << "another account is locked";
  ExpectCleanStop(server);
}

TEST(AccountsApiKnownDevices, SomeoneElsesGuessesDoNotLockTheOwnerOutOnADeviceUsedBefore) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  HttpClient owner(server.base_url());  // keeps its cookies, as a browser does
  const auto first = Login(owner, "thuky", kDemoPassword);
  ASSERT_TRUE(IsAnswer(first, 200));
  EXPECT_FALSE(first.Json().value("device_token", "").empty()) << first.body;
  HttpClient attacker(server.base_url());
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(IsAnswer(Login(attacker, "thuky", "doan-" + std::to_string(i)), 401,
                         "invalid_credentials"));
  }
  EXPECT_TRUE(IsAnswer(Login(attacker, "thuky", kDemoPassword), 429, "too_many_attempts"))
      << "the right password from a device the account never used";
  EXPECT_TRUE(IsAnswer(Login(owner, "thuky", kDemoPassword), 200))
      << "the owner, on the device they signed in from, locked out by someone else";
  // An API client that kept the token sends it in the body.
  HttpClient script(server.base_url());
  const auto by_body = script.Post("/api/v1/auth/login",
                                   json{{"login", "thuky"},
                                        {"password", kDemoPassword},
                                        {"device_token", first.Json().value("device_token", "")}}
                                       .dump());
  EXPECT_TRUE(IsAnswer(by_body, 200)) << by_body.body;
  // A token of another account, or a forged one, is no way round the lock.
  const auto other = Login(script, "btc", kDemoPassword);
  ASSERT_TRUE(IsAnswer(other, 200));
  for (const auto& token :
       {other.Json().value("device_token", ""), std::string("7.AAAAAAAAAAAAAAAAAAAAAA.forged")}) {
    HttpClient c(server.base_url());
    const auto r = c.Post(
        "/api/v1/auth/login",
        json{{"login", "thuky"}, {"password", kDemoPassword}, {"device_token", token}}.dump());
    EXPECT_TRUE(IsAnswer(r, 429, "too_many_attempts")) << token;
  }
  // The known device's own wrong guesses lock that device.
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(IsAnswer(Login(owner, "thuky", "quen-" + std::to_string(i)), 401));
  EXPECT_TRUE(IsAnswer(Login(owner, "thuky", kDemoPassword), 429, "too_many_attempts"));
  ExpectCleanStop(server);
}

TEST(AccountsApiRegistrationThrottling, AnAddressTryingPhoneNumbersWithAccountsIsSlowedDown) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  HttpClient anon(server.base_url());
  std::vector<std::string> taken;
  for (int i = 0; i < 11; ++i) {
    taken.push_back(NewPhone());
    ASSERT_TRUE(IsAnswer(Register(anon, Person(taken.back())), 201));
  }
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(IsAnswer(Register(anon, Person(taken[i])), 422, "duplicate_phone", "phone"));
  }
  const auto r = Register(anon, Person(taken[10]));
  EXPECT_TRUE(IsAnswer(r, 429, "too_many_attempts")) << "the eleventh number tried that has one";
  EXPECT_FALSE(r.Header("retry-after").empty());
  EXPECT_TRUE(IsAnswer(Register(anon, Person(NewPhone())), 429, "too_many_attempts"))
      << "until the wait is over, a new number tells nothing either";
  ExpectCleanStop(server);
}

TEST(AccountsApiParallelThrottling, ParallelWrongGuessesGetNoMoreThanTheAllowanceOfASequence) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  constexpr int kGuesses = 24;
  std::vector<std::string> codes(kGuesses);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(server.base_url());
      ++ready;
      while (ready.load() < kGuesses)
        std::this_thread::yield();
      const auto r = Login(c, "btc", "doan-mo-" + std::to_string(i));
      const auto body = r.Json();
      codes[i] = body.is_object() && body.contains("error") ? body["error"].value("code", "")
                                                            : std::to_string(r.status);
    });
  }
  for (auto& t : threads)
    t.join();
  std::map<std::string, int> by_code;
  for (const auto& c : codes)
    ++by_code[c];
  std::string seen;
  for (const auto& [code, n] : by_code)
    seen += code + "=" + std::to_string(n) + " ";
  EXPECT_LE(by_code["invalid_credentials"], 5) << "guesses checked: " << seen;
  EXPECT_EQ(by_code["invalid_credentials"] + by_code["too_many_attempts"] + by_code["busy"],
            kGuesses)
      << seen;
  HttpClient anon(server.base_url());
  EXPECT_TRUE(IsAnswer(Login(anon, "btc", kDemoPassword), 429, "too_many_attempts"));
  ExpectCleanStop(server);
}

TEST(AccountsApiAddressThrottling, TwentyFailuresFromOneAddressBlockEveryLogin) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  HttpClient anon(server.base_url());
  int failures = 0;
  // At most four failures per account, so that no account is locked by itself.
  for (const char* login : {"thuky", "btc", "admin", "daumoi.kesach"}) {
    for (int i = 0; i < 4; ++i) {
      EXPECT_TRUE(IsAnswer(Login(anon, login, "sai-" + std::to_string(i)), 401)) << login;
      ++failures;
    }
  }
  while (failures < 20) {
    EXPECT_TRUE(IsAnswer(Login(anon, "khong-co-" + std::to_string(failures), "sai"), 401));
    ++failures;
  }
  const auto r = Login(anon, "giamkhao", kDemoPassword);
  EXPECT_TRUE(IsAnswer(r, 429, "too_many_attempts"));
  EXPECT_FALSE(r.Header("retry-after").empty());
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
