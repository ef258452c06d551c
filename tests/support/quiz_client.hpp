// What the API tests of the quiz say to a real server, shared by every test that drives it
// (quiz, instances, failover): sign-in and registration, attempts (start, save, submit), rules,
// the test clock, the leaderboard, and assertion helpers for answers.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {

using nlohmann::json;

inline constexpr char kDemoPassword[] = "hoithi-demo-2021";
inline constexpr char kStrongPassword[] = "Cai-cach-hanh-chinh-2021";

inline json ErrorOf(const HttpResponse& r) {
  const auto j = r.Json();
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return json::object();
  return j["error"];
}

/// The status, and when given the error code, of an answer; the body on failure.
inline ::testing::AssertionResult IsAnswer(const HttpResponse& r, long status,
                                           const std::string& code = "") {
  const auto e = ErrorOf(r);
  if (r.status == status && (code.empty() || e.value("code", "") == code)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected " << status << (code.empty() ? "" : " " + code)
                                       << ", got " << r.status << ": " << r.body.substr(0, 2000);
}

/// Milliseconds since the epoch of an RFC 3339 UTC time ("2021-07-15T08:30:00.125Z").
inline std::int64_t EpochMs(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char rest[32] = {};
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d%31s", &y, &mo, &d, &h, &mi, &sec, rest) < 6) {
    ADD_FAILURE() << "not an RFC 3339 time: " << s;
    return 0;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  std::int64_t ms = 0;
  if (rest[0] == '.') {
    std::string frac;
    for (const char* p = rest + 1; *p >= '0' && *p <= '9'; ++p)
      frac += *p;
    frac = (frac + "000").substr(0, 3);
    ms = std::stoi(frac);
  }
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + ms;
}

/// "HH:MM dd/mm/yyyy" in Việt Nam time (UTC+7, no daylight saving), as the server writes windows;
/// with `midnight_as_24`, 00:00 reads as 24:00 of the day before (an end of a window).
inline std::string VietnamTime(std::int64_t epoch_ms, bool midnight_as_24 = false) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  int hour = tm.tm_hour;
  if (midnight_as_24 && tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0) {
    t -= 24 * 3600;
    gmtime_r(&t, &tm);
    hour = 24;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d %02d/%02d/%04d", hour, tm.tm_min, tm.tm_mday,
                tm.tm_mon + 1, tm.tm_year + 1900);
  return buf;
}

/// A Vietnamese name that no other participant made by this test process has: the public
/// leaderboard shows a name and a unit only, and tests find a participant's entry by the name.
inline std::string UniqueName() {
  static std::atomic<int> next{0};
  static const char* const family[] = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh",
                                       "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi",   "Đỗ",
                                       "Hồ",     "Ngô",  "Dương", "Lý"};
  static const char* const middle[] = {"Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thu"};
  static const char* const given[] = {"An",   "Bình", "Châu",  "Dũng", "Giang", "Hà",    "Hải",
                                      "Hạnh", "Hiếu", "Hoa",   "Hùng", "Khánh", "Lan",   "Linh",
                                      "Long", "Mai",  "Nam",   "Nga",  "Phúc",  "Quang", "Sơn",
                                      "Tâm",  "Thảo", "Trang", "Tuấn", "Uyên",  "Vinh",  "Xuân"};
  constexpr int kFamily = 16, kMiddle = 8, kGiven = 28;
  const int i = next++;
  std::string name = std::string(family[i % kFamily]) + " " + middle[(i / kFamily) % kMiddle] +
                     " " + given[(i / (kFamily * kMiddle)) % kGiven];
  if (const int round = i / (kFamily * kMiddle * kGiven); round > 0) {
    name += " " + std::string(given[round % kGiven]);
  }
  return name;
}

/// Whether `s` holds a digit (the public leaderboard shows none of a phone number).
inline bool HasDigit(const std::string& s) {
  for (const char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

/// Whether `s` holds a date written "dd/mm/yyyy".
inline bool HasDate(const std::string& s) {
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  for (std::size_t i = 0; i + 10 <= s.size(); ++i) {
    if (digit(i) && digit(i + 1) && s[i + 2] == '/' && digit(i + 3) && digit(i + 4) &&
        s[i + 5] == '/' && digit(i + 6) && digit(i + 7) && digit(i + 8) && digit(i + 9)) {
      return true;
    }
  }
  return false;
}

/// A fresh, valid mobile number for each call ("0979000001", ...).
inline std::string NewPhone() {
  static std::atomic<int> next{0};
  const auto n = std::to_string(++next);
  return "0979" + std::string(6 - n.size(), '0') + n;
}

inline HttpResponse Patch(HttpClient& c, const std::string& path, const json& body) {
  return c.Request("PATCH", path, body.dump(), {"Content-Type: application/json"});
}

/// A client signed in by bearer token.
struct Signed {
  std::unique_ptr<HttpClient> http;
  std::string token;
  std::int64_t id = 0;
  std::string phone;  // participants
  std::string name;
};

inline Signed SignIn(const ServerProcess& server, const std::string& login,
                     const std::string& password = kDemoPassword) {
  Signed s{std::make_unique<HttpClient>(server.base_url()), "", 0, login, ""};
  HttpClient anonymous(server.base_url());
  const auto r =
      anonymous.Post("/api/v1/auth/login", json{{"login", login}, {"password", password}}.dump());
  if (r.status != 200) {
    ADD_FAILURE() << "login " << login << " failed: " << r.status << " " << r.body;
    return s;
  }
  const auto j = r.Json();
  s.token = j.value("token", "");
  s.id = j["user"].value("id", std::int64_t{0});
  s.name = j["user"].value("full_name", "");
  s.http->set_bearer(s.token);
  return s;
}

/// Registers `phone` through the API, in so-noi-vu, with the strong password; the answer.
inline HttpResponse RegisterParticipant(HttpClient& c, const std::string& phone,
                                        const std::string& name = "Nguyễn Văn An",
                                        const std::vector<std::string>& headers = {}) {
  const json body = {{"full_name", name},
                     {"phone", phone},
                     {"email", "an" + phone + "@example.vn"},
                     {"unit_code", "so-noi-vu"},
                     {"position", "Chuyên viên"},
                     {"password", kStrongPassword}};
  return c.Post("/api/v1/participants", body.dump(), "application/json", headers);
}

/// Registers a new participant and signs them in.
/// Without a name: UniqueName().
inline Signed NewParticipant(const ServerProcess& server, std::string name = {},
                             const std::string& unit = "so-noi-vu") {
  if (name.empty()) name = UniqueName();
  const auto phone = NewPhone();
  HttpClient anonymous(server.base_url());
  const auto r = anonymous.Post(
      "/api/v1/participants",
      json{
          {"full_name", name}, {"phone", phone}, {"unit_code", unit}, {"password", kStrongPassword}}
          .dump());
  EXPECT_TRUE(IsAnswer(r, 201)) << "registering " << phone;
  auto s = SignIn(server, phone, kStrongPassword);
  s.phone = phone;
  s.name = name;
  return s;
}

/// Every question of the bank (current versions, as the secretariat sees them), by id.
inline std::map<std::int64_t, json> Bank(const ServerProcess& server) {
  auto secretary = SignIn(server, "thuky");
  std::map<std::int64_t, json> out;
  for (int page = 1; page < 100; ++page) {
    const auto r =
        secretary.http->Get("/api/v1/questions?per_page=500&page=" + std::to_string(page));
    if (!IsAnswer(r, 200)) {
      ADD_FAILURE() << "listing the bank: " << r.status << " " << r.body;
      break;
    }
    const auto j = r.Json();
    for (const auto& item : j["items"])
      out[item["id"].get<std::int64_t>()] = item;
    if (j["items"].empty() || static_cast<std::int64_t>(out.size()) >= j.value("total", 0)) break;
  }
  return out;
}

/// The key (an option index) of each question of the bank, by id.
/// The answer key: for each question of the bank, the text of its correct option. Option ids are
/// per attempt (ShownOption), so a test finds the right option of an attempt by its text (KeyIn).
using AnswerKey = std::map<std::int64_t, std::string>;

inline AnswerKey Keys(const ServerProcess& server) {
  AnswerKey out;
  for (const auto& [id, item] : Bank(server)) {
    const auto index = static_cast<std::size_t>(item.value("correct", "A")[0] - 'A');
    out[id] = item["options"][index].get<std::string>();
  }
  return out;
}

/// The id, in `attempt`, of the correct option of question `question_id`; -1 when not shown.
inline int KeyIn(const json& attempt, const AnswerKey& keys, std::int64_t question_id) {
  for (const auto& q : attempt["questions"]) {
    if (q["id"].get<std::int64_t>() != question_id) continue;
    for (const auto& o : q["options"]) {
      if (o["text"].get<std::string>() == keys.at(question_id)) return o["id"].get<int>();
    }
  }
  return -1;
}

inline std::string Letter(int index) {
  return std::string(1, static_cast<char>('A' + index));
}

/// The question ids of an attempt, in display order.
inline std::vector<std::int64_t> QuestionIds(const json& attempt) {
  std::vector<std::int64_t> ids;
  for (const auto& q : attempt["questions"])
    ids.push_back(q["id"].get<std::int64_t>());
  return ids;
}

/// Answers for the attempt's first `right` questions (correct) and the next `wrong` (incorrect).
inline json AnswersFor(const json& attempt, const AnswerKey& keys, int right, int wrong) {
  json answers = json::array();
  const auto ids = QuestionIds(attempt);
  for (int i = 0; i < right + wrong && i < static_cast<int>(ids.size()); ++i) {
    const auto id = ids[static_cast<std::size_t>(i)];
    const int key = KeyIn(attempt, keys, id);
    answers.push_back({{"question_id", id}, {"option_id", i < right ? key : (key + 1) % 4}});
  }
  return answers;
}

inline std::string AttemptPath(const json& attempt, const std::string& suffix = "") {
  return "/api/v1/attempts/" + std::to_string(attempt["attempt_id"].get<std::int64_t>()) + suffix;
}

/// Starts (or resumes) an attempt; the body, or an empty object when it failed.
inline json Start(HttpClient& c, long expected = 201) {
  const auto r = c.Post("/api/v1/attempts", "");
  EXPECT_TRUE(IsAnswer(r, expected));
  return r.status == expected ? r.Json() : json::object();
}

inline HttpResponse SaveAnswers(HttpClient& c, const json& attempt, const json& answers) {
  return c.Put(AttemptPath(attempt, "/answers"), json{{"answers", answers}}.dump());
}

inline HttpResponse Submit(HttpClient& c, const json& attempt, const json& answers = json()) {
  return c.Post(AttemptPath(attempt, "/submit"),
                answers.is_null() ? std::string() : json{{"answers", answers}}.dump());
}

inline json GetAttempt(HttpClient& c, const json& attempt) {
  const auto r = c.Get(AttemptPath(attempt));
  EXPECT_TRUE(IsAnswer(r, 200));
  return r.status == 200 ? r.Json() : json::object();
}

/// The saved answer of each question of an attempt as read back (null when none), by id.
inline std::map<std::int64_t, json> SavedAnswers(const json& attempt) {
  std::map<std::int64_t, json> out;
  for (const auto& q : attempt["questions"])
    out[q["id"].get<std::int64_t>()] = q.contains("answer") ? q["answer"] : json("missing");
  return out;
}

/// Changes the quiz rules as the organiser; the full rules answered.
inline json SetRules(const ServerProcess& server, const json& change) {
  auto btc = SignIn(server, "btc");
  const auto r = btc.http->Put("/api/v1/contest/quiz-rules", change.dump());
  EXPECT_TRUE(IsAnswer(r, 200)) << change.dump();
  return r.status == 200 ? r.Json() : json::object();
}

/// Sets the server's clock to real time + `offset_s`; `stopped`: it stays at that instant.
inline void SetClock(const ServerProcess& server, long long offset_s, bool stopped = false) {
  HttpClient c(server.base_url());
  const auto r =
      c.Post("/api/v1/testing/clock", json{{"offset_s", offset_s}, {"stopped", stopped}}.dump());
  ASSERT_TRUE(IsAnswer(r, 200));
}

inline json Leaderboard(HttpClient& c, int limit = 500) {
  const auto r = c.Get("/api/v1/leaderboard?limit=" + std::to_string(limit));
  EXPECT_TRUE(IsAnswer(r, 200));
  return r.status == 200 ? r.Json() : json::object();
}

/// The leaderboard entry of a participant, or null: by phone on a board the staff see, by name on
/// the public one (which must then hold the name once).
inline json EntryOf(const json& board, const Signed& p) {
  json found;
  int matches = 0;
  for (const auto& e : board["entries"]) {
    const bool match =
        e.contains("phone") ? e.value("phone", "") == p.phone : e.value("full_name", "") == p.name;
    if (match) {
      found = e;
      ++matches;
    }
  }
  if (matches > 1) ADD_FAILURE() << p.name << " is on the board " << matches << " times";
  return found;
}

/// No field of an attempt tells which option is right (while it is active, or before the reveal).
inline void ExpectNoKey(const json& attempt, const std::string& when) {
  for (const auto& q : attempt["questions"]) {
    EXPECT_FALSE(q.contains("correct")) << when << ": question " << q["id"];
    EXPECT_FALSE(q.contains("correct_option")) << when << ": question " << q["id"];
    for (const auto& o : q["options"]) {
      EXPECT_FALSE(o.contains("correct")) << when << ": an option of question " << q["id"];
    }
  }
}

/// Stops the server and checks that it exited cleanly (no sanitizer report, no crash).
inline void ExpectCleanStop(ServerProcess& server) {
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.log();
  const auto log = server.log();
  EXPECT_EQ(log.find("Sanitizer"), std::string::npos) << log;
  EXPECT_EQ(log.find("runtime error:"), std::string::npos) << log;
}

inline Env ClockControl() {
  return Env{{"HOITHI_TESTING_CLOCK_CONTROL", "true"}};
}

}  // namespace hoithi::testing
