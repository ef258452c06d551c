// The knowledge test through the real `hoithi serve` with its clock under test control: attempts
// (start, resume, autosave, submit, grace period, late submission, finalisation at the cut-off
// across a restart, grading after a question edit), the contest window, pause and grants, the
// public leaderboard and unit statistics, the question bank, and the fairness of the draw.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr int kTimeLimitMs = 600000;  // the default rules: 600 s
// Upper 0.1% point of chi-square with 59 degrees of freedom (regularised incomplete gamma; the
// tables give 99.607 for df 60). 95.75 would be the point for p ~ 0.0018.
constexpr double kChi2Df59 = 98.324;

// ---------------------------------------------------------------------------------------------
// One seeded server shared by the tests that keep the default rules and the real clock.

class QuizApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ClockControl());
    server_->SeedDemo();
    server_->Start();
  }
  static void TearDownTestSuite() {
    ExpectCleanStop(*server_);
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
  HttpClient anon_{server_->base_url()};
};
ServerProcess* QuizApi::server_ = nullptr;

// --- starting and resuming

TEST_F(QuizApi, StartingDrawsTenQuestionsWithPermutedOptionsAndAServerDeadline) {
  auto p = SignIn(*server_, "0912345678");
  const auto a = Start(*p.http, 201);
  ASSERT_TRUE(a.contains("attempt_id"));
  EXPECT_EQ(a["status"], "active");
  EXPECT_EQ(a["number"], 1);
  EXPECT_EQ(a["total"], 10);
  EXPECT_EQ(a["time_limit_s"], 600);
  EXPECT_EQ(EpochMs(a["deadline"]) - EpochMs(a["started_at"]), kTimeLimitMs);
  EXPECT_LE(std::llabs(EpochMs(a["server_time"]) - EpochMs(a["started_at"])), 5000);
  ASSERT_EQ(a["questions"].size(), 10u);
  const auto keys = Keys(*server_);
  std::set<std::int64_t> ids;
  int position = 0;
  for (const auto& q : a["questions"]) {
    EXPECT_EQ(q["position"], ++position);
    EXPECT_TRUE(keys.contains(q["id"].get<std::int64_t>())) << q["id"];
    ids.insert(q["id"].get<std::int64_t>());
    EXPECT_FALSE(q.value("text", "").empty());
    EXPECT_TRUE(q["answer"].is_null());
    std::vector<int> options;
    for (const auto& o : q["options"]) {
      options.push_back(o["id"].get<int>());
      EXPECT_FALSE(o.value("text", "").empty());
    }
    std::sort(options.begin(), options.end());
    EXPECT_EQ(options, (std::vector<int>{0, 1, 2, 3})) << "question " << q["id"];
  }
  EXPECT_EQ(ids.size(), 10u) << "a question repeated";
  ExpectNoKey(a, "started");
}

TEST_F(QuizApi, StartingAgainResumesTheSameAttemptInTheSameOrder) {
  auto p = NewParticipant(*server_);
  const auto first = Start(*p.http, 201);
  ASSERT_TRUE(first.contains("attempt_id"));
  std::this_thread::sleep_for(1100ms);  // a new deadline would differ
  const auto again = Start(*p.http, 200);
  ASSERT_TRUE(again.contains("attempt_id"));
  EXPECT_EQ(again["attempt_id"], first["attempt_id"]);
  EXPECT_EQ(again["number"], first["number"]);
  EXPECT_EQ(again["started_at"], first["started_at"]);
  EXPECT_EQ(again["deadline"], first["deadline"]);
  EXPECT_EQ(again["status"], "active");
  ASSERT_EQ(again["questions"].size(), first["questions"].size());
  for (std::size_t i = 0; i < first["questions"].size(); ++i) {
    const auto& a = first["questions"][i];
    const auto& b = again["questions"][i];
    EXPECT_EQ(b["id"], a["id"]) << "position " << i + 1;
    EXPECT_EQ(b["text"], a["text"]) << "position " << i + 1;
    EXPECT_EQ(b["options"], a["options"]) << "option order of position " << i + 1;
  }
  ExpectNoKey(again, "resumed");
}

TEST_F(QuizApi, SavedAnswersAreVisibleOnReadAndOnResume) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, a,
                                   {{{"question_id", ids[0]}, {"option_id", 2}},
                                    {{"question_id", ids[3]}, {"option_id", 0}}}),
                       204));
  for (const auto& seen : {GetAttempt(*p.http, a), Start(*p.http, 200)}) {
    const auto saved = SavedAnswers(seen);
    EXPECT_EQ(saved.at(ids[0]), 2);
    EXPECT_EQ(saved.at(ids[3]), 0);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i != 0 && i != 3) {
        EXPECT_TRUE(saved.at(ids[i]).is_null()) << "position " << i + 1;
      }
    }
    EXPECT_EQ(seen["status"], "active");
    ExpectNoKey(seen, "after saving answers");
  }
}

TEST_F(QuizApi, PartialAutosavesAccumulateAndTheLatestChoiceWins) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  EXPECT_TRUE(
      IsAnswer(SaveAnswers(*p.http, a, {{{"question_id", ids[1]}, {"option_id", 0}}}), 204));
  EXPECT_TRUE(
      IsAnswer(SaveAnswers(*p.http, a, {{{"question_id", ids[2]}, {"option_id", 1}}}), 204));
  EXPECT_TRUE(
      IsAnswer(SaveAnswers(*p.http, a, {{{"question_id", ids[1]}, {"option_id", 3}}}), 204));
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, a, json::array()), 204));
  // Within one request too, the last choice for a question wins; the unchanged answer sent again
  // stays.
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, a,
                                   {{{"question_id", ids[3]}, {"option_id", 0}},
                                    {{"question_id", ids[2]}, {"option_id", 1}},
                                    {{"question_id", ids[3]}, {"option_id", 2}}}),
                       204));
  const auto saved = SavedAnswers(GetAttempt(*p.http, a));
  EXPECT_EQ(saved.at(ids[1]), 3);
  EXPECT_EQ(saved.at(ids[2]), 1);
  EXPECT_EQ(saved.at(ids[3]), 2);
  EXPECT_TRUE(saved.at(ids[0]).is_null());
}

// --- rejected answers save nothing

TEST_F(QuizApi, AnAnswerToAQuestionOutsideTheAttemptIs422AndNothingOfTheRequestIsSaved) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  std::int64_t outside = 0;
  for (const auto& [id, key] : Keys(*server_)) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) outside = id;
  }
  ASSERT_NE(outside, 0);
  for (const std::int64_t unknown : {outside, std::int64_t{987654321}}) {
    const auto r = SaveAnswers(*p.http, a,
                               {{{"question_id", ids[0]}, {"option_id", 1}},
                                {{"question_id", unknown}, {"option_id", 1}},
                                {{"question_id", ids[1]}, {"option_id", 2}}});
    EXPECT_TRUE(IsAnswer(r, 422, "unknown_question")) << "question " << unknown;
  }
  for (const auto& [id, answer] : SavedAnswers(GetAttempt(*p.http, a)))
    EXPECT_TRUE(answer.is_null()) << "question " << id << " saved " << answer;
}

TEST_F(QuizApi, AnOptionOutOfRangeIs422AndNothingOfTheRequestIsSaved) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  for (const int option : {7, -1, 4, 1000000}) {
    const auto r = SaveAnswers(*p.http, a,
                               {{{"question_id", ids[0]}, {"option_id", 1}},
                                {{"question_id", ids[1]}, {"option_id", option}}});
    EXPECT_TRUE(IsAnswer(r, 422, "unknown_option")) << "option " << option;
  }
  for (const auto& [id, answer] : SavedAnswers(GetAttempt(*p.http, a)))
    EXPECT_TRUE(answer.is_null()) << "question " << id << " saved " << answer;
}

TEST_F(QuizApi, MalformedAnswersAre400AndSaveNothing) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto id = QuestionIds(a)[0];
  const auto path = AttemptPath(a, "/answers");
  EXPECT_TRUE(IsAnswer(p.http->Put(path, "{\"answers\": [{\"question_id\": "), 400));
  EXPECT_TRUE(IsAnswer(p.http->Put(path, "{\"answers\": {\"question_id\": 1}}"), 400));
  EXPECT_TRUE(IsAnswer(
      p.http->Put(path, json{{"answers", {{{"question_id", id}, {"option_id", "B"}}}}}.dump()),
      400));
  for (const auto& [qid, answer] : SavedAnswers(GetAttempt(*p.http, a)))
    EXPECT_TRUE(answer.is_null()) << "question " << qid << " saved " << answer;
}

TEST_F(QuizApi, ASubmitWithABadAnswerIs422AndLeavesTheAttemptActive) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  EXPECT_TRUE(IsAnswer(Submit(*p.http, a,
                              {{{"question_id", ids[0]}, {"option_id", 0}},
                               {{"question_id", ids[1]}, {"option_id", 9}}}),
                       422, "unknown_option"));
  const auto after = GetAttempt(*p.http, a);
  EXPECT_EQ(after["status"], "active");
  for (const auto& [id, answer] : SavedAnswers(after))
    EXPECT_TRUE(answer.is_null()) << "question " << id << " saved " << answer;
  EXPECT_TRUE(IsAnswer(p.http->Post(AttemptPath(a, "/submit"), "{\"answers\": ["), 400));
  EXPECT_TRUE(IsAnswer(p.http->Post(AttemptPath(a, "/submit"), "{\"answers\": 3}"), 400));
  EXPECT_EQ(GetAttempt(*p.http, a)["status"], "active");
  EXPECT_TRUE(IsAnswer(Submit(*p.http, a), 200)) << "the attempt can still be submitted";
}

// --- submitting

TEST_F(QuizApi, SubmitGradesOnTheServerAndASecondSubmitIs409WithTheSameStoredResult) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  const auto answers = AnswersFor(a, keys, 6, 2);
  // Three right answers autosaved, the rest sent with the submission.
  json saved = json::array(), sent = json::array();
  for (std::size_t i = 0; i < answers.size(); ++i)
    (i < 3 ? saved : sent).push_back(answers[i]);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, a, saved), 204));
  const auto r = Submit(*p.http, a, sent);
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto result = r.Json();
  EXPECT_EQ(result["attempt_id"], a["attempt_id"]);
  EXPECT_EQ(result["status"], "submitted");
  EXPECT_EQ(result["correct"], 6);
  EXPECT_EQ(result["total"], 10);
  EXPECT_GE(result["duration_ms"].get<std::int64_t>(), 0);
  EXPECT_LT(result["duration_ms"].get<std::int64_t>(), 60000);
  EXPECT_GE(result["rank"].get<std::int64_t>(), 1);

  // Again, with every answer right this time: nothing changes.
  const auto again = Submit(*p.http, a, AnswersFor(a, keys, 10, 0));
  ASSERT_TRUE(IsAnswer(again, 409, "already_finalized"));
  const auto stored = again.Json()["result"];
  EXPECT_EQ(stored, result) << "the stored result changed";

  // A retry of the very submit (a lost response, a proxy's retry), or a bare submit: the
  // stored result again, as a success.
  const auto retried = Submit(*p.http, a, sent);
  ASSERT_TRUE(IsAnswer(retried, 200));
  EXPECT_EQ(retried.Json(), result);
  const auto bare = Submit(*p.http, a);
  ASSERT_TRUE(IsAnswer(bare, 200));
  EXPECT_EQ(bare.Json(), result);

  const auto read = GetAttempt(*p.http, a);
  EXPECT_EQ(read["status"], "submitted");
  EXPECT_EQ(read["correct"], 6);
  EXPECT_EQ(read["duration_ms"], result["duration_ms"]);
  for (const auto& q : read["questions"])
    EXPECT_FALSE(q.contains("correct_option")) << "the key before the contest closes";
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 10, 0)), 409, "attempt_closed"));
}

TEST_F(QuizApi, BeforeTheCloseASubmittedAttemptShowsTheScoreButNoVerdictPerQuestion) {
  // Right or wrong per question would give the key away to anyone allowed a second attempt.
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a, AnswersFor(a, keys, 4, 3)), 200));
  const auto read = GetAttempt(*p.http, a);
  EXPECT_EQ(read["correct"], 4);
  int position = 0;
  for (const auto& q : read["questions"]) {
    ++position;
    EXPECT_FALSE(q.contains("correct_option")) << "position " << position;
    EXPECT_FALSE(q.contains("correct")) << "position " << position << ": " << q.dump();
  }
}

TEST_F(QuizApi, AnotherParticipantsAttemptIs404AndUntouched) {
  auto owner = NewParticipant(*server_);
  auto other = NewParticipant(*server_);
  const auto a = Start(*owner.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto ids = QuestionIds(a);
  const json answer = {{{"question_id", ids[0]}, {"option_id", 1}}};
  EXPECT_TRUE(IsAnswer(other.http->Get(AttemptPath(a)), 404));
  EXPECT_TRUE(IsAnswer(SaveAnswers(*other.http, a, answer), 404));
  EXPECT_TRUE(IsAnswer(Submit(*other.http, a, answer), 404));
  EXPECT_TRUE(IsAnswer(owner.http->Get("/api/v1/attempts/987654321"), 404));
  EXPECT_TRUE(IsAnswer(owner.http->Post("/api/v1/attempts/987654321/submit", ""), 404));
  const auto read = GetAttempt(*owner.http, a);
  EXPECT_EQ(read["status"], "active");
  EXPECT_TRUE(SavedAnswers(read).at(ids[0]).is_null());
  // Staff are not participants: the attempts API is not theirs.
  auto btc = SignIn(*server_, "btc");
  EXPECT_EQ(btc.http->Get(AttemptPath(a)).status, 403);
  EXPECT_EQ(anon_.Get(AttemptPath(a)).status, 401);
}

TEST_F(QuizApi, StartsAtTheSameMomentCreateOneAttempt) {
  auto p = NewParticipant(*server_);
  constexpr int kClients = 8;
  std::vector<HttpResponse> answers(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(server_->base_url());
      c.set_bearer(p.token);
      answers[static_cast<std::size_t>(i)] = c.Post("/api/v1/attempts", "");
    });
  }
  for (auto& t : threads)
    t.join();
  int created = 0;
  std::set<std::int64_t> ids;
  for (const auto& r : answers) {
    EXPECT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body.substr(0, 300);
    created += r.status == 201 ? 1 : 0;
    if (r.status == 200 || r.status == 201) ids.insert(r.Json()["attempt_id"].get<std::int64_t>());
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(ids.size(), 1u) << "several attempts were started";
  const auto history = p.http->Get("/api/v1/attempts");
  EXPECT_EQ(history.Json()["items"].size(), 1u);
}

TEST_F(QuizApi, SubmissionsAtTheSameMomentFinaliseOnceWithOneResult) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  constexpr int kClients = 6;
  std::vector<HttpResponse> answers(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(server_->base_url());
      c.set_bearer(p.token);
      // Every client answers all ten, each differently (none repeats another's submit).
      answers[static_cast<std::size_t>(i)] = Submit(c, a, AnswersFor(a, keys, i + 1, 9 - i));
    });
  }
  for (auto& t : threads)
    t.join();
  int accepted = 0;
  std::set<std::string> results;
  for (const auto& r : answers) {
    if (r.status == 200) {
      ++accepted;
      results.insert(r.Json().dump());
    } else {
      EXPECT_TRUE(IsAnswer(r, 409, "already_finalized"));
      results.insert(r.Json()["result"].dump());
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(results.size(), 1u) << "different results were answered";
  const auto read = GetAttempt(*p.http, a);
  EXPECT_EQ(json::parse(*results.begin())["correct"], read["correct"]);
}

// --- attempts used up, grants and history

TEST_F(QuizApi, WithNoAttemptsLeftStartingIs403AndAnExtraAttemptGrantLetsTheParticipantStartAgain) {
  auto p = NewParticipant(*server_);
  const auto first = Start(*p.http);
  ASSERT_TRUE(first.contains("attempt_id"));
  ASSERT_TRUE(IsAnswer(Submit(*p.http, first, AnswersFor(first, Keys(*server_), 5, 0)), 200));

  const auto refused = p.http->Post("/api/v1/attempts", "");
  ASSERT_TRUE(IsAnswer(refused, 403, "no_attempts_left"));
  const auto message = ErrorOf(refused).value("message", "");
  EXPECT_NE(message.find("đến"), std::string::npos) << message;
  EXPECT_TRUE(HasDate(message)) << message;

  auto btc = SignIn(*server_, "btc");
  const auto users = btc.http->Get("/api/v1/users?q=" + p.phone);
  ASSERT_TRUE(IsAnswer(users, 200));
  const auto found = users.Json()["items"];
  ASSERT_FALSE(found.empty());
  const auto user_id = std::to_string(found[0]["id"].get<std::int64_t>());
  EXPECT_EQ(found[0]["id"], p.id);
  const auto grants = "/api/v1/users/" + user_id + "/grants";
  EXPECT_TRUE(
      IsAnswer(btc.http->Post(grants, json{{"kind", "extra_attempt"}, {"amount", 1}}.dump()), 422));
  EXPECT_TRUE(IsAnswer(p.http->Post("/api/v1/attempts", ""), 403, "no_attempts_left"))
      << "a refused grant must not add an attempt";
  auto secretary = SignIn(*server_, "thuky");
  EXPECT_EQ(
      secretary.http
          ->Post(grants, json{{"kind", "extra_attempt"}, {"amount", 1}, {"reason", "x"}}.dump())
          .status,
      403);
  EXPECT_TRUE(
      IsAnswer(btc.http->Post(grants, json{{"kind", "extra_attempt"},
                                           {"amount", 1},
                                           {"reason", "Mất điện khi đang làm bài, đã xác minh"}}
                                          .dump()),
               204));

  const auto second = Start(*p.http, 201);
  ASSERT_TRUE(second.contains("attempt_id"));
  EXPECT_EQ(second["number"], 2);
  EXPECT_NE(second["attempt_id"], first["attempt_id"]);

  const auto history = p.http->Get("/api/v1/attempts");
  ASSERT_TRUE(IsAnswer(history, 200));
  const auto items = history.Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["attempt_id"], second["attempt_id"]) << "newest first";
  EXPECT_EQ(items[0]["number"], 2);
  EXPECT_EQ(items[0]["status"], "active");
  EXPECT_EQ(items[0]["total"], 10);
  EXPECT_FALSE(items[0].contains("correct"));
  EXPECT_EQ(items[1]["attempt_id"], first["attempt_id"]);
  EXPECT_EQ(items[1]["number"], 1);
  EXPECT_EQ(items[1]["status"], "submitted");
  EXPECT_EQ(items[1]["correct"], 5);
  EXPECT_TRUE(items[1].contains("duration_ms"));
  EXPECT_EQ(items[1]["started_at"], first["started_at"]);

  ASSERT_TRUE(IsAnswer(Submit(*p.http, second), 200));
  EXPECT_TRUE(IsAnswer(p.http->Post("/api/v1/attempts", ""), 403, "no_attempts_left"));
  // The counted attempt is the best one (5 right), not the last (none right).
  const auto entry = EntryOf(Leaderboard(anon_), p);
  ASSERT_FALSE(entry.is_null());
  EXPECT_EQ(entry["correct"], 5);
}

TEST_F(QuizApi, ExtraTimeMovesTheDeadlineOfTheActiveAttemptOnly) {
  auto p = NewParticipant(*server_);
  auto idle = NewParticipant(*server_);
  auto btc = SignIn(*server_, "btc");
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto grant = [&](const Signed& who, const json& body) {
    return btc.http->Post("/api/v1/users/" + std::to_string(who.id) + "/grants", body.dump());
  };
  EXPECT_TRUE(IsAnswer(grant(p, {{"kind", "extra_time"}, {"amount", 120}}), 422));
  EXPECT_TRUE(IsAnswer(grant(p, {{"kind", "extra_time"}, {"amount", 120}, {"reason", ""}}), 422));
  EXPECT_TRUE(IsAnswer(
      grant(p, {{"kind", "extra_time"}, {"amount", 120}, {"reason", "Lỗi mạng tại điểm thi"}}),
      204));
  const auto read = GetAttempt(*p.http, a);
  EXPECT_EQ(EpochMs(read["deadline"]) - EpochMs(a["deadline"]), 120000);
  EXPECT_EQ(read["started_at"], a["started_at"]);
  EXPECT_TRUE(IsAnswer(
      grant(idle, {{"kind", "extra_time"}, {"amount", 120}, {"reason", "Lỗi mạng tại điểm thi"}}),
      409, "no_active_attempt"));
  EXPECT_TRUE(IsAnswer(Submit(*p.http, a), 200));
  EXPECT_TRUE(IsAnswer(
      grant(p, {{"kind", "extra_time"}, {"amount", 60}, {"reason", "Lỗi mạng tại điểm thi"}}), 409,
      "no_active_attempt"));
}

// --- leaderboard and statistics

TEST_F(QuizApi, TheLeaderboardRanksByCorrectThenDurationWithoutPhoneDigitsAndMyRank) {
  const auto keys = Keys(*server_);
  std::vector<Signed> people;
  json last_rank;
  const std::vector<std::pair<int, std::string>> plan = {
      {3, "Lê Văn Ba"}, {8, "Phạm Thị Tám"}, {5, "Võ Văn Năm"}, {8, "Đặng Thị Tám Hai"}};
  for (const auto& [right, name] : plan) {
    people.push_back(NewParticipant(*server_, name, "so-tu-phap"));
    const auto a = Start(*people.back().http);
    ASSERT_TRUE(a.contains("attempt_id"));
    const auto r = Submit(*people.back().http, a, AnswersFor(a, keys, right, 1));
    ASSERT_TRUE(IsAnswer(r, 200));
    last_rank = r.Json()["rank"];
  }
  const auto board = Leaderboard(anon_);
  const auto& entries = board["entries"];
  ASSERT_GE(entries.size(), 4u);
  EXPECT_GE(board.value("total", 0), 4);
  EXPECT_EQ(board["prize_places"], 10);
  EXPECT_TRUE(board["tied_beyond_prizes"].is_array());
  EXPECT_EQ(board["mode"], "live");
  EXPECT_EQ(board["hidden"], false);
  EXPECT_FALSE(board.value("ranking_rule", "").empty());
  EXPECT_FALSE(board.contains("me")) << "anonymous";

  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    // A phone number is a login: not a digit of it in public (name and unit are enough).
    EXPECT_FALSE(e.contains("phone")) << e.dump();
    EXPECT_FALSE(HasDigit(e.value("full_name", "") + e.value("unit", ""))) << e.dump();
    if (i == 0) {
      EXPECT_EQ(e["rank"], 1);
      continue;
    }
    const auto& prev = entries[i - 1];
    const int c0 = prev["correct"], c1 = e["correct"];
    const std::int64_t d0 = prev["duration_ms"], d1 = e["duration_ms"];
    const auto f0 = EpochMs(prev["finished_at"]), f1 = EpochMs(e["finished_at"]);
    const bool ordered = c0 > c1 || (c0 == c1 && (d0 < d1 || (d0 == d1 && f0 <= f1)));
    EXPECT_TRUE(ordered) << "entry " << i << " " << e.dump() << " after " << prev.dump();
    const bool tied = c0 == c1 && d0 == d1 && f0 == f1;
    EXPECT_EQ(e["rank"].get<std::int64_t>(),
              tied ? prev["rank"].get<std::int64_t>() : static_cast<std::int64_t>(i + 1))
        << e.dump();
  }
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto entry = EntryOf(board, people[i]);
    ASSERT_FALSE(entry.is_null()) << people[i].name;
    EXPECT_EQ(entry["correct"], plan[i].first);
    EXPECT_EQ(entry["unit"], "Sở Tư pháp");
    const auto mine = Leaderboard(*people[i].http);
    ASSERT_TRUE(mine.contains("me")) << mine.dump().substr(0, 500);
    EXPECT_EQ(mine["me"]["rank"], entry["rank"]) << people[i].name;
  }
  EXPECT_EQ(EntryOf(board, people.back())["rank"], last_rank)
      << "the rank answered on submission differs from the leaderboard's";
  // No participant's phone number appears, whole or in part (nor a masked form); the staff see
  // it whole.
  const auto text = anon_.Get("/api/v1/leaderboard?limit=500").body;
  const auto page = anon_.Get("/xep-hang").body;
  for (const auto& p : people) {
    for (const auto& shown : {text, page}) {
      EXPECT_EQ(shown.find(p.phone.substr(4)), std::string::npos) << p.phone;
      EXPECT_EQ(shown.find(p.phone.substr(0, 6)), std::string::npos) << p.phone;
    }
  }
  EXPECT_EQ(text.find("***"), std::string::npos);
  EXPECT_EQ(page.find("***"), std::string::npos);
  auto btc = SignIn(*server_, "btc");
  EXPECT_EQ(EntryOf(Leaderboard(*btc.http), people[0]).value("phone", ""), people[0].phone);
  const auto one = Leaderboard(anon_, 1);
  EXPECT_EQ(one["entries"].size(), 1u);
}

TEST_F(QuizApi, UnitStatisticsCountRegistrationsParticipantsAndFinishedAttempts) {
  auto units_of = [&] {
    const auto r = anon_.Get("/api/v1/stats/units");
    EXPECT_TRUE(IsAnswer(r, 200));
    std::map<std::string, json> out;
    const auto j = r.Json();
    for (const auto& u : j["units"])
      out[u.value("code", "")] = u;
    return out;
  };
  const auto before = units_of();
  EXPECT_EQ(before.size(), 46u);
  ASSERT_TRUE(before.contains("so-tai-chinh")) << "unit so-tai-chinh";
  for (const auto& [code, u] : before) {
    for (const char* key :
         {"name", "registered", "participants", "attempts", "headcount", "participation_rate"})
      EXPECT_TRUE(u.contains(key)) << code << " has no " << key;
  }
  auto p = NewParticipant(*server_, "Hồ Thị Thống Kê", "so-tai-chinh");
  auto idle = NewParticipant(*server_, "Mai Văn Chưa Thi", "so-tai-chinh");
  const auto a = Start(*p.http);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a), 200));
  const auto after = units_of();
  const auto& u0 = before.at("so-tai-chinh");
  const auto& u1 = after.at("so-tai-chinh");
  EXPECT_EQ(u1["registered"].get<int>(), u0["registered"].get<int>() + 2);
  EXPECT_EQ(u1["participants"].get<int>(), u0["participants"].get<int>() + 1);
  EXPECT_EQ(u1["attempts"].get<int>(), u0["attempts"].get<int>() + 1);
}

// --- organisers' rules

TEST_F(QuizApi, TheRulesStartAtTheDefaultsAndInvalidChangesAre422AndChangeNothing) {
  auto secretary = SignIn(*server_, "thuky");
  const auto r = secretary.http->Get("/api/v1/contest/quiz-rules");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto rules = r.Json();
  EXPECT_EQ(rules["questions_per_attempt"], 10);
  EXPECT_EQ(rules["time_limit_s"], 600);
  EXPECT_EQ(rules["attempts_allowed"], 1);
  EXPECT_EQ(rules["counted_attempt"], "best");
  EXPECT_EQ(rules["shuffle_questions"], true);
  EXPECT_EQ(rules["shuffle_options"], true);
  EXPECT_EQ(rules["reveal_answers"], "after_close");
  EXPECT_EQ(rules["grace_s"], 30);
  EXPECT_EQ(rules["leaderboard"], "live");
  EXPECT_EQ(rules["paused"], false);
  EXPECT_EQ(rules["prediction"]["enabled"], false);

  EXPECT_EQ(secretary.http->Put("/api/v1/contest/quiz-rules", R"({"paused":true})").status, 403);
  auto p = SignIn(*server_, "0912345678");
  EXPECT_EQ(p.http->Get("/api/v1/contest/quiz-rules").status, 403);
  EXPECT_EQ(anon_.Get("/api/v1/contest/quiz-rules").status, 401);

  auto btc = SignIn(*server_, "btc");
  for (const json& bad : {json{{"questions_per_attempt", 0}},
                          json{{"topic_quotas", {{"mot-cua", 6}, {"luat-cbcc", 5}}}},
                          json{{"reveal_answers", "sometimes"}}, json{{"attempts_allowed", -1}},
                          json{{"leaderboard", "upside-down"}}}) {
    EXPECT_TRUE(IsAnswer(btc.http->Put("/api/v1/contest/quiz-rules", bad.dump()), 422))
        << bad.dump();
  }
  EXPECT_TRUE(IsAnswer(btc.http->Put("/api/v1/contest/quiz-rules", "{\"paused\": "), 400));
  EXPECT_EQ(secretary.http->Get("/api/v1/contest/quiz-rules").Json(), rules) << "rules changed";
}

// --- question bank

constexpr char kImportHeader[] =
    "topic,question,option_a,option_b,option_c,option_d,correct,source\n";

/// Eight rows: valid ones (2, 6, 9) and one of each kind of fault.
std::string ImportSheet(const std::string& bank_text) {
  std::string csv = kImportHeader;
  csv += "nhap-thu,Câu hỏi nhập thử số một?,A1,B1,C1,D1,A,Nguồn thử\n";  // 2 valid
  csv += "nhap-thu,,A,B,C,D,A,Nguồn thử\n";                              // 3 no text
  csv += "nhap-thu,Câu hỏi nhập thử số hai?,A,B,C,D,E,Nguồn thử\n";      // 4 key E
  csv += "nhap-thu,Câu hỏi nhập thử số ba?,Có,Có,C,D,A,Nguồn thử\n";     // 5 same option
  csv += "nhap-thu,Câu hỏi nhập thử số bốn?,A,B,C,D,B,Nguồn thử\n";      // 6 valid
  csv += "nhap-thu,Câu hỏi nhập thử số bốn?,A,B,C,D,C,Nguồn thử\n";      // 7 again in file
  csv += "nhap-thu,\"" + bank_text + "\",A,B,C,D,A,Nguồn thử\n";         // 8 in the bank
  csv += "nhap-thu,Câu hỏi nhập thử số năm?,A5,B5,C5,D5,D,Nguồn thử\n";  // 9 valid
  return csv;
}

std::set<int> RejectedRows(const json& report) {
  std::set<int> rows;
  for (const auto& r : report["rejected"]) {
    rows.insert(r.value("row", 0));
    EXPECT_FALSE(r.value("reason", "").empty()) << r.dump();
  }
  return rows;
}

std::int64_t BankTotal(HttpClient& staff, const std::string& query = "") {
  const auto r = staff.Get("/api/v1/questions?" + query);
  EXPECT_TRUE(IsAnswer(r, 200));
  return r.Json().value("total", std::int64_t{-1});
}

TEST_F(QuizApi, AnImportDryRunReportsEveryBadRowAndSavesNothing) {
  auto secretary = SignIn(*server_, "thuky");
  const auto bank = Bank(*server_);
  const auto sheet = ImportSheet(bank.begin()->second["text"].get<std::string>());
  const auto total = BankTotal(*secretary.http);
  const auto r = secretary.http->Post("/api/v1/questions/import?dry_run=true", sheet,
                                      "text/csv; charset=utf-8");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto report = r.Json();
  EXPECT_EQ(report["rows"], 8);
  EXPECT_EQ(report["valid"], 3);
  EXPECT_EQ(report["saved"], 0);
  EXPECT_EQ(RejectedRows(report), (std::set<int>{3, 4, 5, 7, 8})) << report.dump();
  EXPECT_EQ(BankTotal(*secretary.http), total);
}

TEST_F(QuizApi, AnImportWithBadRowsIsRefusedWhole) {
  auto secretary = SignIn(*server_, "thuky");
  const auto bank = Bank(*server_);
  const auto sheet = ImportSheet(bank.begin()->second["text"].get<std::string>());
  const auto total = BankTotal(*secretary.http);
  const auto r = secretary.http->Post("/api/v1/questions/import", sheet, "text/csv");
  EXPECT_TRUE(IsAnswer(r, 422, "invalid_rows"));
  EXPECT_EQ(RejectedRows(r.Json()["report"]), (std::set<int>{3, 4, 5, 7, 8})) << r.body;
  EXPECT_EQ(BankTotal(*secretary.http), total);
  EXPECT_EQ(BankTotal(*secretary.http, "topic=nhap-thu"), 0);
}

TEST_F(QuizApi, AnImportSkippingInvalidRowsSavesTheValidOnesAndTheyCanBeDeactivated) {
  auto secretary = SignIn(*server_, "thuky");
  const auto bank = Bank(*server_);
  const auto sheet = ImportSheet(bank.begin()->second["text"].get<std::string>());
  const auto total = BankTotal(*secretary.http);
  const auto r =
      secretary.http->Post("/api/v1/questions/import?skip_invalid=true", sheet, "text/csv");
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["saved"], 3);
  EXPECT_EQ(RejectedRows(r.Json()), (std::set<int>{3, 4, 5, 7, 8}));
  EXPECT_EQ(BankTotal(*secretary.http), total + 3);
  const auto listed = secretary.http->Get("/api/v1/questions?topic=nhap-thu");
  ASSERT_TRUE(IsAnswer(listed, 200));
  const auto items = listed.Json()["items"];
  ASSERT_EQ(items.size(), 3u);
  std::map<std::string, std::string> key_of;
  for (const auto& q : items)
    key_of[q["text"]] = q["correct"];
  EXPECT_EQ(key_of["Câu hỏi nhập thử số một?"], "A");
  EXPECT_EQ(key_of["Câu hỏi nhập thử số bốn?"], "B");
  EXPECT_EQ(key_of["Câu hỏi nhập thử số năm?"], "D");
  // Importing the same sheet again: every row is now in the bank.
  const auto again =
      secretary.http->Post("/api/v1/questions/import?dry_run=true", sheet, "text/csv");
  ASSERT_TRUE(IsAnswer(again, 200));
  EXPECT_EQ(again.Json()["valid"], 0) << again.body;
  // Keep the shared bank at the demo's 60 active questions.
  for (const auto& q : items) {
    EXPECT_TRUE(IsAnswer(
        Patch(*secretary.http, "/api/v1/questions/" + std::to_string(q["id"].get<std::int64_t>()),
              {{"active", false}}),
        204));
  }
  EXPECT_EQ(BankTotal(*secretary.http, "active=true"), 60);
}

TEST_F(QuizApi, QuestionsAreCreatedOnceWithValidOptionsAndAKeyInRange) {
  auto secretary = SignIn(*server_, "thuky");
  const json q = {{"topic", "tao-tay"},
                  {"text", "Câu hỏi tạo tay về cải cách hành chính?"},
                  {"options", {"Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"}},
                  {"correct", "C"},
                  {"source", "Tự soạn"}};
  const auto created = secretary.http->Post("/api/v1/questions", q.dump());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto id = created.Json()["id"].get<std::int64_t>();
  auto upper = q;
  upper["text"] = "CÂU HỎI TẠO TAY VỀ CẢI CÁCH HÀNH CHÍNH?";
  EXPECT_TRUE(
      IsAnswer(secretary.http->Post("/api/v1/questions", q.dump()), 409, "duplicate_question"));
  EXPECT_TRUE(
      IsAnswer(secretary.http->Post("/api/v1/questions", upper.dump()), 409, "duplicate_question"));
  auto one_option = q;
  one_option["text"] = "Câu hỏi chỉ có một phương án?";
  one_option["options"] = {"Duy nhất"};
  one_option["correct"] = "A";
  EXPECT_TRUE(IsAnswer(secretary.http->Post("/api/v1/questions", one_option.dump()), 422));
  auto key_out = q;
  key_out["text"] = "Câu hỏi có đáp án ngoài phạm vi?";
  key_out["correct"] = "E";
  EXPECT_TRUE(IsAnswer(secretary.http->Post("/api/v1/questions", key_out.dump()), 422));
  auto p = SignIn(*server_, "0912345678");
  EXPECT_EQ(p.http->Post("/api/v1/questions", key_out.dump()).status, 403);
  EXPECT_EQ(p.http->Get("/api/v1/questions").status, 403);
  EXPECT_EQ(anon_.Get("/api/v1/questions").status, 401);

  const auto bank = Bank(*server_);
  ASSERT_TRUE(bank.contains(id));
  EXPECT_EQ(bank.at(id)["correct"], "C");
  EXPECT_EQ(bank.at(id)["version"], 1);
  EXPECT_EQ(BankTotal(*secretary.http, "topic=tao-tay"), 1) << "a refused question was saved";
  EXPECT_TRUE(IsAnswer(
      Patch(*secretary.http, "/api/v1/questions/" + std::to_string(id), {{"active", false}}), 204));
}

TEST_F(QuizApi, QuestionSearchIgnoresCaseAndDiacritics) {
  auto secretary = SignIn(*server_, "thuky");
  const auto r = secretary.http->Get("/api/v1/questions?q=NGHI%20QUYET%20SO%2076");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto items = r.Json()["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& q : items)
    EXPECT_NE(q.value("text", "").find("Nghị quyết số 76"), std::string::npos) << q["text"];
}

TEST_F(QuizApi, TheBankExportsAsCsvWithABomAndTheImportHeader) {
  auto secretary = SignIn(*server_, "thuky");
  const auto r = secretary.http->Get("/api/v1/questions/export?format=csv");
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_NE(r.Header("content-type").find("text/csv"), std::string::npos)
      << r.Header("content-type");
  ASSERT_TRUE(r.body.starts_with(std::string(kBom) + "topic,question,option_a"))
      << r.body.substr(0, 80);
  const auto bank = Bank(*server_);
  const auto lines = std::count(r.body.begin(), r.body.end(), '\n');
  EXPECT_GE(lines, 61) << "header and 60 demo questions";
  EXPECT_NE(r.body.find(bank.begin()->second["text"].get<std::string>()), std::string::npos);
  // The export reads back as an import: every row is already in the bank.
  const auto back =
      secretary.http->Post("/api/v1/questions/import?dry_run=true", r.body, "text/csv");
  ASSERT_TRUE(IsAnswer(back, 200));
  EXPECT_EQ(back.Json()["rows"], lines - 1) << back.body.substr(0, 500);
  EXPECT_EQ(back.Json()["valid"], 0) << back.body.substr(0, 500);
}

TEST_F(QuizApi, TheItemAnalysisCountsShownAnsweredAndCorrectPerQuestion) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a, AnswersFor(a, Keys(*server_), 3, 3)), 200));
  auto secretary = SignIn(*server_, "thuky");
  const auto r = secretary.http->Get("/api/v1/questions/analysis");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto items = r.Json()["items"];
  ASSERT_FALSE(items.empty());
  std::set<std::int64_t> listed;
  for (const auto& s : items) {
    for (const char* key :
         {"question_id", "shown", "answered", "correct", "p_correct", "discrimination", "choices"})
      ASSERT_TRUE(s.contains(key)) << s.dump();
    listed.insert(s["question_id"].get<std::int64_t>());
    const std::int64_t shown = s["shown"], answered = s["answered"], correct = s["correct"];
    EXPECT_LE(answered, shown) << s.dump();
    EXPECT_LE(correct, answered) << s.dump();
    if (shown > 0) {
      EXPECT_NEAR(s["p_correct"].get<double>(), static_cast<double>(correct) / shown, 1e-9);
    }
    EXPECT_GE(s["discrimination"].get<double>(), -1.0) << s.dump();
    EXPECT_LE(s["discrimination"].get<double>(), 1.0) << s.dump();
    std::int64_t chosen = 0;
    for (const auto& [option, n] : s["choices"].items())
      chosen += n.get<std::int64_t>();
    EXPECT_EQ(chosen, answered) << s.dump();
  }
  for (const auto id : QuestionIds(a))
    EXPECT_TRUE(listed.contains(id)) << "question " << id << " was shown but is not analysed";
}

// ---------------------------------------------------------------------------------------------
// A server of its own per test: the clock moves, the rules change, the server restarts.

class QuizApiOwnServer : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(ClockControl());
    server_->SeedDemo();
    server_->Start();
  }
  void TearDown() override {
    if (server_ && server_->running()) ExpectCleanStop(*server_);
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(QuizApiOwnServer, TheGracePeriodReceivesALateSubmitButNoAnswerGivenAfterTheDeadline) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 2, 0)), 204));
  SetClock(*server_, 610);  // deadline + 10 s, within the 30 s grace period
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 9, 0)), 409, "attempt_closed"))
      << "an autosave after the deadline";
  const auto r = Submit(*p.http, a, AnswersFor(a, keys, 7, 0));
  ASSERT_TRUE(IsAnswer(r, 200)) << "a submit the network delayed is still received";
  EXPECT_EQ(r.Json()["status"], "submitted");
  EXPECT_EQ(r.Json()["correct"], 2) << "only the answers stored by the deadline count";
  EXPECT_EQ(r.Json()["late_answers"], 5);
  EXPECT_EQ(r.Json()["duration_ms"], kTimeLimitMs);
  const auto saved = SavedAnswers(GetAttempt(*p.http, a));
  const auto ids = QuestionIds(a);
  EXPECT_EQ(saved.at(ids[1]), KeyIn(a, keys, ids[1]));
  EXPECT_TRUE(saved.at(ids[2]).is_null()) << "an answer sent after the deadline was stored";
}

TEST_F(QuizApiOwnServer, AfterTheCloseTheKeyStaysHiddenWhileAnAttemptStartedBeforeItIsAnswered) {
  HttpClient anon(server_->base_url());
  const auto closes_ms = EpochMs(anon.Get("/api/v1/contest").Json()["closes_at"]);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const long long to_close = (closes_ms - now_ms) / 1000;
  auto early = NewParticipant(*server_, "Lê Văn Nộp Sớm");
  const auto finished = Start(*early.http);
  ASSERT_TRUE(finished.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(Submit(*early.http, finished, AnswersFor(finished, keys, 6, 2)), 200));
  const auto late = NewParticipant(*server_, "Trần Thị Vào Muộn");

  SetClock(*server_, to_close - 120);  // two minutes before the close; the limit is ten
  auto late_now = SignIn(*server_, late.phone, kStrongPassword);
  const auto running = Start(*late_now.http);
  ASSERT_TRUE(running.contains("attempt_id"));

  SetClock(*server_, to_close + 60);  // closed, and the late attempt runs until close + 480 s
  auto early_now = SignIn(*server_, early.phone, kStrongPassword);
  const auto hidden = GetAttempt(*early_now.http, finished);
  ASSERT_EQ(hidden["questions"].size(), 10u);
  ExpectNoKey(hidden, "closed while another attempt can still be answered");
  const auto page = early_now.http->Get(
      "/thi/" + std::to_string(finished["attempt_id"].get<std::int64_t>()) + "/ket-qua");
  ASSERT_TRUE(IsAnswer(page, 200));
  EXPECT_EQ(page.body.find("(đáp án)"), std::string::npos) << "the result page shows the key";
  EXPECT_TRUE(IsAnswer(SaveAnswers(*late_now.http, running, AnswersFor(running, keys, 3, 0)), 204))
      << "the late attempt is still answered";

  SetClock(*server_, to_close + 600);  // past the late attempt's cut-off (close + 510 s)
  const auto shown = GetAttempt(*early_now.http, finished);
  for (const auto& q : shown["questions"]) {
    ASSERT_TRUE(q.contains("correct_option")) << q.dump();
    EXPECT_EQ(q["correct_option"], KeyIn(shown, keys, q["id"].get<std::int64_t>()));
  }
}

TEST_F(QuizApiOwnServer, RevealAfterSubmitIsRefusedWithASecondAttemptASecondRoundOrAnExtraAttempt) {
  auto btc = SignIn(*server_, "btc");
  const auto rules = [&](const json& change) {
    return btc.http->Put("/api/v1/contest/quiz-rules", change.dump());
  };
  const auto rounds = [&](const json& list) {
    return btc.http->Put("/api/v1/contest/rounds", json{{"rounds", list}}.dump());
  };
  HttpClient anon(server_->base_url());
  const auto contest = anon.Get("/api/v1/contest").Json();
  const auto opens = EpochMs(contest["opens_at"]);
  const auto day = [&](int n) {  // the window's opening + n days, in RFC 3339
    const std::time_t t = static_cast<std::time_t>(opens / 1000) + n * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(text);
  };
  const json two_rounds =
      json::array({{{"name", "Đợt 1"}, {"opens_at", day(0)}, {"closes_at", day(10)}},
                   {{"name", "Đợt 2"}, {"opens_at", day(10)}, {"closes_at", day(20)}}});

  auto r = rules({{"reveal_answers", "after_submit"}, {"attempts_allowed", 2}});
  ASSERT_TRUE(IsAnswer(r, 422, "invalid_rules"));
  EXPECT_EQ(ErrorOf(r).value("field", ""), "reveal_answers");
  ASSERT_TRUE(IsAnswer(rules({{"reveal_answers", "after_submit"}}), 200));
  r = rounds(two_rounds);
  EXPECT_TRUE(IsAnswer(r, 422, "invalid_rules")) << r.body;
  EXPECT_EQ(ErrorOf(r).value("field", ""), "reveal_answers");
  r = rounds(json::array({{{"name", "Đợt duy nhất"},
                           {"opens_at", day(0)},
                           {"closes_at", day(20)},
                           {"attempts_allowed", 3}}}));
  EXPECT_TRUE(IsAnswer(r, 422, "invalid_rules")) << r.body;
  auto p = NewParticipant(*server_);
  r = btc.http->Post("/api/v1/users/" + std::to_string(p.id) + "/grants",
                     json{{"kind", "extra_attempt"}, {"amount", 1}, {"reason", "Mất điện"}}.dump());
  EXPECT_TRUE(IsAnswer(r, 409, "reveal_after_submit")) << r.body;

  // The other way round: rounds first, then the reveal is refused.
  ASSERT_TRUE(IsAnswer(rules({{"reveal_answers", "after_close"}}), 200));
  ASSERT_TRUE(IsAnswer(rounds(two_rounds), 200));
  r = rules({{"reveal_answers", "after_submit"}});
  EXPECT_TRUE(IsAnswer(r, 422, "invalid_rules")) << r.body;
  EXPECT_NE(ErrorOf(r).value("message", "").find("nhiều đợt"), std::string::npos) << r.body;
}

TEST_F(QuizApiOwnServer, ALateSubmissionIs409AndTheResultCountsOnlyTheAnswersSavedInTime) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 2, 1)), 204));
  SetClock(*server_, 640);  // past deadline + 30 s grace
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 10, 0)), 409, "attempt_closed"));
  const auto r = Submit(*p.http, a, AnswersFor(a, keys, 10, 0));
  ASSERT_TRUE(IsAnswer(r, 409, "already_finalized"));
  const auto result = r.Json()["result"];
  EXPECT_EQ(result["status"], "expired");
  EXPECT_EQ(result["correct"], 2);
  EXPECT_EQ(result["duration_ms"], kTimeLimitMs);
  const auto read = GetAttempt(*p.http, a);
  EXPECT_EQ(read["status"], "expired");
  EXPECT_EQ(read["correct"], 2);
  const auto saved = SavedAnswers(read);
  const auto ids = QuestionIds(a);
  EXPECT_EQ(saved.at(ids[0]), KeyIn(a, keys, ids[0]));
  EXPECT_TRUE(saved.at(ids[5]).is_null()) << "an answer of the late request was kept";
}

TEST_F(QuizApiOwnServer, AnAttemptLeftOpenIsFinalisedAtTheCutOffByTheServerAcrossARestart) {
  auto p = NewParticipant(*server_, "Ngô Văn Bỏ Dở");
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, a, AnswersFor(a, keys, 3, 1)), 204));
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->log();

  auto env = ClockControl();
  env["HOITHI_TESTING_CLOCK_OFFSET_S"] = "700";  // past the cut-off (630 s)
  ServerProcess restarted(env, server_->data_dir());
  restarted.Start();
  const auto started = std::chrono::steady_clock::now();
  HttpClient c(restarted.base_url());
  c.set_bearer(p.token);
  // The history does not finalise what it lists: only the sweeper can.
  std::string status;
  while (std::chrono::steady_clock::now() - started < 5s) {
    const auto r = c.Get("/api/v1/attempts");
    ASSERT_TRUE(IsAnswer(r, 200));
    const auto items = r.Json()["items"];
    ASSERT_EQ(items.size(), 1u);
    status = items[0].value("status", "");
    if (status != "active") break;
    std::this_thread::sleep_for(100ms);
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(status, "expired");
  EXPECT_LT(waited, 3500ms) << "the sweeper took "
                            << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
                            << " ms";
  const auto read = GetAttempt(c, a);
  EXPECT_EQ(read["status"], "expired");
  EXPECT_EQ(read["correct"], 3);
  EXPECT_EQ(read["duration_ms"], kTimeLimitMs);
  const auto entry = EntryOf(Leaderboard(c), p);
  ASSERT_FALSE(entry.is_null()) << "not on the leaderboard";
  EXPECT_EQ(entry["correct"], 3);
  ExpectCleanStop(restarted);
}

TEST_F(QuizApiOwnServer, TheBestAttemptCountsAndEveryFinishedAttemptCountsForTheUnit) {
  SetRules(*server_, {{"attempts_allowed", 4}});
  HttpClient anonymous(server_->base_url());
  auto unit_of = [&](const std::string& code) {
    const auto r = anonymous.Get("/api/v1/stats/units");
    EXPECT_TRUE(IsAnswer(r, 200));
    const auto j = r.Json();
    for (const auto& u : j["units"]) {
      if (u.value("code", "") == code) return u;
    }
    return json::object();
  };
  const auto before = unit_of("so-tai-chinh");  // the standings are loaded from here on
  auto p = NewParticipant(*server_, "Lý Thị Bốn Lượt", "so-tai-chinh");
  const auto keys = Keys(*server_);
  auto take = [&](int right) {
    const auto a = Start(*p.http);
    const auto r = Submit(*p.http, a, AnswersFor(a, keys, right, 10 - right));
    EXPECT_TRUE(IsAnswer(r, 200));
    const auto result = r.Json();
    // The rank answered on submission is the one the leaderboard shows.
    EXPECT_EQ(result["rank"], Leaderboard(*p.http)["me"]["rank"]) << result.dump();
    return result;
  };
  take(3);
  EXPECT_EQ(EntryOf(Leaderboard(anonymous), p)["correct"], 3);
  take(8);  // better: replaces the counted result
  EXPECT_EQ(EntryOf(Leaderboard(anonymous), p)["correct"], 8);
  take(2);  // worse: the best stays
  EXPECT_EQ(EntryOf(Leaderboard(anonymous), p)["correct"], 8);
  // The fourth is left open and finalised by the server at the cut-off.
  const auto open = Start(*p.http);
  ASSERT_TRUE(IsAnswer(SaveAnswers(*p.http, open, AnswersFor(open, keys, 9, 0)), 204));
  SetClock(*server_, 700);
  EXPECT_EQ(GetAttempt(*p.http, open)["status"], "expired");
  EXPECT_EQ(EntryOf(Leaderboard(anonymous), p)["correct"], 9);
  const auto after = unit_of("so-tai-chinh");
  EXPECT_EQ(after["participants"].get<int>(), before["participants"].get<int>() + 1);
  EXPECT_EQ(after["attempts"].get<int>(), before["attempts"].get<int>() + 4);
  // The same after a restart, from the results alone.
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->log();
  auto env = ClockControl();
  env["HOITHI_TESTING_CLOCK_OFFSET_S"] = "700";
  ServerProcess restarted(env, server_->data_dir());
  restarted.Start();
  HttpClient fresh(restarted.base_url());
  const auto r = fresh.Get("/api/v1/stats/units");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto units = r.Json();
  for (const auto& u : units["units"]) {
    if (u.value("code", "") != "so-tai-chinh") continue;
    EXPECT_EQ(u["participants"], after["participants"]);
    EXPECT_EQ(u["attempts"], after["attempts"]);
  }
  EXPECT_EQ(EntryOf(Leaderboard(fresh), p)["correct"], 9);
  ExpectCleanStop(restarted);
}

TEST_F(QuizApiOwnServer, AnAttemptIsGradedByTheVersionItShowedAfterTheQuestionIsEdited) {
  SetRules(*server_, {{"attempts_allowed", 0}, {"questions_per_attempt", 60}});
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_EQ(a["questions"].size(), 60u);
  const auto id = QuestionIds(a)[0];
  const auto original = Bank(*server_).at(id);
  const int old_key = original["correct"].get<std::string>()[0] - 'A';
  const int new_key = (old_key + 1) % 4;
  const auto new_text = original["text"].get<std::string>() + " (đã sửa)";
  auto secretary = SignIn(*server_, "thuky");
  ASSERT_TRUE(IsAnswer(secretary.http->Put("/api/v1/questions/" + std::to_string(id),
                                           json{{"topic", original["topic"]},
                                                {"text", new_text},
                                                {"options", original["options"]},
                                                {"correct", Letter(new_key)},
                                                {"source", original["source"]}}
                                               .dump()),
                       204));
  const auto edited = Bank(*server_).at(id);
  EXPECT_EQ(edited["version"], original["version"].get<int>() + 1);
  EXPECT_EQ(edited["correct"], Letter(new_key));

  EXPECT_EQ(GetAttempt(*p.http, a)["questions"][0]["text"], original["text"])
      << "the attempt shows the version drawn";
  // Options are named by their place in each attempt: find the right one by its text.
  const AnswerKey old_answer{{id, original["options"][old_key].get<std::string>()}};
  const AnswerKey new_answer{{id, original["options"][new_key].get<std::string>()}};
  const auto r =
      Submit(*p.http, a, {{{"question_id", id}, {"option_id", KeyIn(a, old_answer, id)}}});
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["correct"], 1) << "graded by the version shown";

  const auto next = Start(*p.http, 201);
  ASSERT_EQ(next["questions"].size(), 60u);
  for (const auto& q : next["questions"]) {
    if (q["id"] == id) {
      EXPECT_EQ(q["text"], new_text) << "a new attempt shows the new version";
    }
  }
  const auto r2 =
      Submit(*p.http, next, {{{"question_id", id}, {"option_id", KeyIn(next, new_answer, id)}}});
  ASSERT_TRUE(IsAnswer(r2, 200));
  EXPECT_EQ(r2.Json()["correct"], 1) << "graded by the new key";
}

TEST_F(QuizApiOwnServer, OutsideTheWindowStartingIs403WithTheWindowInVietnamTime) {
  HttpClient anon(server_->base_url());
  const auto contest = anon.Get("/api/v1/contest").Json();
  const auto opens = VietnamTime(EpochMs(contest["opens_at"]));
  const auto closes = VietnamTime(EpochMs(contest["closes_at"]), true);
  auto p = NewParticipant(*server_);
  for (const long long offset : {-86400LL, 31LL * 86400}) {
    SetClock(*server_, offset);
    // Signed in at the moved time (a month on, the first session has expired).
    auto now = SignIn(*server_, p.phone, kStrongPassword);
    const auto r = now.http->Post("/api/v1/attempts", "");
    ASSERT_TRUE(IsAnswer(r, 403, "outside_window")) << "offset " << offset;
    const auto message = ErrorOf(r).value("message", "");
    EXPECT_NE(message.find("đến"), std::string::npos) << message;
    EXPECT_NE(message.find(opens), std::string::npos) << "expected " << opens << " in " << message;
    EXPECT_NE(message.find(closes), std::string::npos)
        << "expected " << closes << " in " << message;
  }
  SetClock(*server_, 0);
  auto back = SignIn(*server_, p.phone, kStrongPassword);
  const auto history = back.http->Get("/api/v1/attempts");
  ASSERT_TRUE(IsAnswer(history, 200));
  EXPECT_TRUE(history.Json()["items"].empty()) << "a refused start left an attempt";
  Start(*back.http, 201);
}

TEST_F(QuizApiOwnServer, AfterTheContestClosesASubmittedAttemptShowsTheKeyAndEachVerdict) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a, AnswersFor(a, keys, 6, 2)), 200));
  SetClock(*server_, 31LL * 86400);
  auto later = SignIn(*server_, p.phone, kStrongPassword);
  const auto read = GetAttempt(*later.http, a);
  ASSERT_EQ(read["questions"].size(), 10u);
  int position = 0;
  for (const auto& q : read["questions"]) {
    ++position;
    ASSERT_TRUE(q.contains("correct_option")) << q.dump();
    EXPECT_EQ(q["correct_option"], KeyIn(read, keys, q["id"].get<std::int64_t>()));
    ASSERT_TRUE(q.contains("correct")) << q.dump();
    EXPECT_EQ(q["correct"], position <= 6) << "position " << position;
  }
  EXPECT_EQ(read["correct"], 6);
}

TEST_F(QuizApiOwnServer, WhileThePhaseIsPausedNoAttemptStarts) {
  auto p = NewParticipant(*server_);
  EXPECT_EQ(SetRules(*server_, {{"paused", true}})["paused"], true);
  const auto r = p.http->Post("/api/v1/attempts", "");
  EXPECT_TRUE(IsAnswer(r, 403, "paused"));
  EXPECT_FALSE(ErrorOf(r).value("message", "").empty());
  const auto history = p.http->Get("/api/v1/attempts");
  EXPECT_TRUE(history.Json()["items"].empty());
  const auto rules = SetRules(*server_, {{"paused", false}});
  EXPECT_EQ(rules["paused"], false);
  EXPECT_EQ(rules["questions_per_attempt"], 10) << "a partial change keeps the other rules";
  Start(*p.http, 201);
}

TEST_F(QuizApiOwnServer, TheRankingFollowsThePublishedOrderAndReportsTiesAtThePrizeEdge) {
  // The clock stands still between steps, so durations and submission times are exact.
  const auto keys = Keys(*server_);
  std::vector<Signed> p;
  for (int i = 0; i < 12; ++i)
    p.push_back(NewParticipant(*server_, "Thí sinh số " + std::to_string(i + 1)));
  std::vector<json> a(p.size());
  SetClock(*server_, 0, true);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i != 4) a[i] = Start(*p[i].http);
  }
  SetClock(*server_, 50, true);
  a[4] = Start(*p[4].http);  // starts 50 s after the others
  auto submit = [&](std::size_t i, int right) {
    const auto r = Submit(*p[i].http, a[i], AnswersFor(a[i], keys, right, 10 - right));
    EXPECT_TRUE(IsAnswer(r, 200)) << "participant " << i + 1;
  };
  // At +100 s: durations of 100 s (50 s for participant 5).
  SetClock(*server_, 100, true);
  for (const auto& [i, right] : std::vector<std::pair<std::size_t, int>>{
           {1, 9}, {3, 8}, {7, 6}, {8, 5}, {9, 4}, {10, 4}, {11, 3}}) {
    submit(i, right);
  }
  // At +120 s: two entries equal on everything.
  SetClock(*server_, 120, true);
  submit(5, 7);
  submit(6, 7);
  // At +150 s: participant 5 equals participant 4's 8 right in 100 s, submitted later; participant
  // 3 equals participant 2's 9 right, slower.
  SetClock(*server_, 150, true);
  submit(4, 8);
  submit(2, 9);
  // At +200 s: the slowest, with every answer right.
  SetClock(*server_, 200, true);
  submit(0, 10);
  SetClock(*server_, 200);

  HttpClient anonymous(server_->base_url());
  const auto board = Leaderboard(anonymous);
  ASSERT_EQ(board["entries"].size(), 12u) << board.dump();
  EXPECT_EQ(board["prize_places"], 10);
  // Expected ranks, in order: correct (more first), then duration, then submission time; equal on
  // all shares a rank and the next rank skips.
  const std::vector<std::pair<std::size_t, int>> expected = {{0, 1}, {1, 2},  {2, 3},   {3, 4},
                                                             {4, 5}, {5, 6},  {6, 6},   {7, 8},
                                                             {8, 9}, {9, 10}, {10, 10}, {11, 12}};
  for (const auto& [i, rank] : expected) {
    const auto e = EntryOf(board, p[i]);
    ASSERT_FALSE(e.is_null()) << p[i].name;
    EXPECT_EQ(e["rank"], rank) << p[i].name;
  }
  // The 11th entry ties with the 10th, the last prize place: reported beside the board.
  ASSERT_EQ(board["tied_beyond_prizes"].size(), 1u) << board.dump();
  EXPECT_EQ(board["tied_beyond_prizes"][0]["rank"], 10);
  EXPECT_EQ(board["tied_beyond_prizes"][0]["correct"], 4);
  // Each participant sees their own rank, the same as on the board.
  EXPECT_EQ(Leaderboard(*p[6].http)["me"]["rank"], 6);
  EXPECT_EQ(Leaderboard(*p[10].http)["me"]["rank"], 10);
  // The page says the same, with the rule word for word.
  const auto page = anonymous.Get("/xep-hang");
  EXPECT_NE(page.body.find("Các thí sinh sau bằng đúng kết quả của vị trí đạt giải cuối cùng"),
            std::string::npos);
  EXPECT_NE(page.body.find(board["ranking_rule"].get<std::string>()), std::string::npos);
}

TEST_F(QuizApiOwnServer, ThePredictionBreaksTiesOnCorrectAnswersBeforeTheDuration) {
  SetRules(
      *server_,
      {{"prediction",
        {{"enabled", true}, {"question", "Có bao nhiêu người trả lời đúng tất cả các câu hỏi?"}}}});
  const auto keys = Keys(*server_);
  auto close = NewParticipant(*server_, "Dự đoán gần");
  auto far = NewParticipant(*server_, "Dự đoán xa");
  auto none = NewParticipant(*server_, "Không dự đoán");
  SetClock(*server_, 0, true);
  const auto a_close = Start(*close.http), a_far = Start(*far.http), a_none = Start(*none.http);
  EXPECT_EQ(a_close["prediction_question"], "Có bao nhiêu người trả lời đúng tất cả các câu hỏi?");
  auto submit = [&](Signed& who, const json& a, std::optional<int> prediction) {
    json body = {{"answers", AnswersFor(a, keys, 6, 0)}};
    if (prediction) body["prediction"] = *prediction;
    return who.http->Post(AttemptPath(a, "/submit"), body.dump());
  };
  SetClock(*server_, 60, true);
  EXPECT_TRUE(IsAnswer(submit(none, a_none, std::nullopt), 200));
  EXPECT_TRUE(IsAnswer(submit(far, a_far, 110), 200));
  SetClock(*server_, 300, true);
  EXPECT_TRUE(IsAnswer(submit(close, a_close, 98), 200));
  SetClock(*server_, 300);
  // A negative prediction is refused and changes nothing.
  auto late = NewParticipant(*server_);
  const auto a_late = Start(*late.http);
  EXPECT_TRUE(IsAnswer(submit(late, a_late, -5), 422, "invalid_prediction"));
  EXPECT_EQ(GetAttempt(*late.http, a_late)["status"], "active");

  // Before the true figure is known, the faster entries come first.
  HttpClient anonymous(server_->base_url());
  auto board = Leaderboard(anonymous);
  EXPECT_EQ(EntryOf(board, none)["rank"], 1) << board.dump();
  // With the figure set (100): the nearer prediction first, then the farther, then none at all.
  SetRules(*server_, {{"prediction", {{"enabled", true}, {"answer", 100}}}});
  board = Leaderboard(anonymous);
  EXPECT_EQ(EntryOf(board, close)["rank"], 1) << board.dump();
  EXPECT_EQ(EntryOf(board, far)["rank"], 2);
  EXPECT_EQ(EntryOf(board, none)["rank"], 3);
  EXPECT_NE(board["ranking_rule"].get<std::string>().find("câu dự đoán"), std::string::npos);
}

TEST_F(QuizApiOwnServer, APauseStopsNewAttemptsButNotOneUnderWay) {
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http, 201);
  SetRules(*server_, {{"paused", true}});
  const auto resumed = Start(*p.http, 200);
  EXPECT_EQ(resumed["attempt_id"], a["attempt_id"]);
  EXPECT_EQ(resumed["deadline"], a["deadline"]);
  EXPECT_TRUE(IsAnswer(Submit(*p.http, a, json::array()), 200));
  EXPECT_TRUE(IsAnswer(p.http->Post("/api/v1/attempts", ""), 403, "paused"));
  SetRules(*server_, {{"paused", false}});
}

TEST_F(QuizApiOwnServer, WithRevealAfterSubmitASubmittedAttemptShowsTheKeyAndEachVerdict) {
  EXPECT_EQ(SetRules(*server_, {{"reveal_answers", "after_submit"}})["reveal_answers"],
            "after_submit");
  auto p = NewParticipant(*server_);
  const auto a = Start(*p.http);
  ASSERT_TRUE(a.contains("attempt_id"));
  ExpectNoKey(a, "active, reveal after_submit");
  const auto keys = Keys(*server_);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a, AnswersFor(a, keys, 5, 3)), 200));
  const auto read = GetAttempt(*p.http, a);
  int position = 0;
  for (const auto& q : read["questions"]) {
    ++position;
    const auto id = q["id"].get<std::int64_t>();
    ASSERT_TRUE(q.contains("correct_option")) << q.dump();
    EXPECT_EQ(q["correct_option"], KeyIn(read, keys, id));
    ASSERT_TRUE(q.contains("correct")) << q.dump();
    EXPECT_EQ(q["correct"], position <= 5) << "position " << position;
  }
}

TEST_F(QuizApiOwnServer, AHiddenLeaderboardShowsNoEntriesToThePublicButToTheOrganisers) {
  auto p = NewParticipant(*server_, "Quách Thị Ẩn");
  const auto a = Start(*p.http);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, a), 200));
  EXPECT_EQ(SetRules(*server_, {{"leaderboard", "hidden"}})["leaderboard"], "hidden");
  HttpClient anon(server_->base_url());
  const auto board = Leaderboard(anon);
  EXPECT_EQ(board["hidden"], true);
  EXPECT_EQ(board["mode"], "hidden");
  EXPECT_TRUE(board["entries"].empty()) << board.dump();
  EXPECT_TRUE(board["tied_beyond_prizes"].empty()) << board.dump();
  EXPECT_TRUE(Leaderboard(*p.http)["entries"].empty()) << "a participant is the public here";
  auto btc = SignIn(*server_, "btc");
  const auto staff = Leaderboard(*btc.http);
  EXPECT_FALSE(EntryOf(staff, p).is_null()) << staff.dump().substr(0, 1000);
}

TEST_F(QuizApiOwnServer, BehindAHiddenOrFrozenBoardNeitherASubmitNorTheBoardTellsTheLiveRank) {
  const auto result_page = [&](const Signed& who, const json& a) {
    const auto r =
        who.http->Get("/thi/" + std::to_string(a["attempt_id"].get<std::int64_t>()) + "/ket-qua");
    EXPECT_TRUE(IsAnswer(r, 200));
    return r.body;
  };
  EXPECT_EQ(SetRules(*server_, {{"leaderboard", "hidden"}})["leaderboard"], "hidden");
  auto hidden = NewParticipant(*server_, "Đoàn Thị Ẩn Hạng");
  const auto a = Start(*hidden.http);
  auto r = Submit(*hidden.http, a);
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["rank"], 0) << "a rank behind a hidden board";
  auto page = result_page(hidden, a);
  EXPECT_EQ(page.find("Thứ hạng hiện tại"), std::string::npos);
  EXPECT_NE(page.find("sẽ công bố"), std::string::npos);

  // Frozen an hour ago: a result after the freeze shows no rank anywhere.
  const std::time_t hour_ago = std::time(nullptr) - 3600;
  std::tm tm{};
  gmtime_r(&hour_ago, &tm);
  char frozen_at[32];
  std::strftime(frozen_at, sizeof frozen_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  EXPECT_EQ(SetRules(*server_, {{"leaderboard", "frozen"},
                                {"leaderboard_frozen_at", frozen_at}})["leaderboard"],
            "frozen");
  auto frozen = NewParticipant(*server_, "Đoàn Văn Đóng Băng");
  const auto b = Start(*frozen.http);
  r = Submit(*frozen.http, b);
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["rank"], 0) << "a live rank behind a frozen board";
  auto board = Leaderboard(*frozen.http);
  EXPECT_FALSE(board.contains("me")) << board.dump().substr(0, 300);
  EXPECT_TRUE(EntryOf(board, frozen).is_null()) << "a result after the freeze";
  EXPECT_EQ(result_page(frozen, b).find("Thứ hạng hiện tại"), std::string::npos);

  // Published: the ranks are public again.
  SetRules(*server_, {{"results_published", true}});
  board = Leaderboard(*frozen.http);
  ASSERT_TRUE(board.contains("me")) << board.dump().substr(0, 300);
  EXPECT_GT(board["me"]["rank"].get<int>(), 0);
  EXPECT_NE(result_page(frozen, b).find("Thứ hạng hiện tại"), std::string::npos);
}

TEST_F(QuizApiOwnServer, OptionIdsArePlacesInTheAttemptSoNoIdTellsAnotherAttemptsKey) {
  SetRules(*server_, {{"attempts_allowed", 0}});
  const auto keys = Keys(*server_);
  auto p = NewParticipant(*server_);
  std::map<std::int64_t, std::set<int>> key_ids;  // question -> the ids its right option had
  for (int i = 0; i < 12; ++i) {
    const auto a = Start(*p.http);
    ASSERT_TRUE(a.contains("attempt_id"));
    for (const auto& q : a["questions"]) {
      int place = 0;
      for (const auto& o : q["options"])
        EXPECT_EQ(o["id"], place++) << "ids follow the order shown: " << q.dump();
      const auto id = q["id"].get<std::int64_t>();
      key_ids[id].insert(KeyIn(a, keys, id));
    }
    const auto r = Submit(*p.http, a, AnswersFor(a, keys, 10, 0));
    ASSERT_TRUE(IsAnswer(r, 200));
    EXPECT_EQ(r.Json()["correct"], 10) << "answers by id are graded right";
  }
  int varied = 0;
  for (const auto& [question, ids] : key_ids)
    varied += ids.size() > 1 ? 1 : 0;
  EXPECT_GT(varied, 0) << "a question shown again kept its right option under the same id";
}

TEST_F(QuizApiOwnServer, TopicQuotasAreHonouredInEveryAttempt) {
  const auto rules =
      SetRules(*server_, {{"topic_quotas", {{"mot-cua", 3}}}, {"attempts_allowed", 0}});
  EXPECT_EQ(rules["topic_quotas"], (json{{"mot-cua", 3}}));
  const auto bank = Bank(*server_);
  auto p = NewParticipant(*server_);
  for (int i = 0; i < 25; ++i) {
    const auto a = Start(*p.http);
    ASSERT_EQ(a["questions"].size(), 10u);
    int from_topic = 0;
    for (const auto id : QuestionIds(a))
      from_topic += bank.at(id)["topic"] == "mot-cua" ? 1 : 0;
    EXPECT_GE(from_topic, 3) << "attempt " << i + 1;
    ASSERT_TRUE(IsAnswer(Submit(*p.http, a), 200));
  }
}

TEST_F(QuizApiOwnServer, ADeactivatedQuestionIsNeverDrawn) {
  auto secretary = SignIn(*server_, "thuky");
  const auto bank = Bank(*server_);
  ASSERT_EQ(bank.size(), 60u);
  const auto keys = Keys(*server_);
  SetRules(*server_, {{"attempts_allowed", 0}});
  auto p = NewParticipant(*server_);
  const auto before = Start(*p.http);  // drawn before the deactivations, submitted after
  std::set<std::int64_t> kept;
  int i = 0;
  for (const auto& [id, q] : bank) {
    if (i++ % 6 == 0) {
      kept.insert(id);
      continue;
    }
    ASSERT_TRUE(IsAnswer(
        Patch(*secretary.http, "/api/v1/questions/" + std::to_string(id), {{"active", false}}),
        204));
  }
  ASSERT_EQ(kept.size(), 10u);
  EXPECT_EQ(BankTotal(*secretary.http, "active=true"), 10);
  EXPECT_EQ(BankTotal(*secretary.http, "active=false"), 50);
  const auto graded = Submit(*p.http, before, AnswersFor(before, keys, 10, 0));
  ASSERT_TRUE(IsAnswer(graded, 200));
  EXPECT_EQ(graded.Json()["correct"], 10) << "an attempt keeps its deactivated questions";
  for (int n = 0; n < 5; ++n) {
    const auto a = Start(*p.http);
    const auto ids = QuestionIds(a);
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()), kept) << "attempt " << n + 1;
    ASSERT_TRUE(IsAnswer(Submit(*p.http, a), 200));
  }
  // One more deactivated: the bank cannot fill an attempt of ten any more.
  ASSERT_TRUE(IsAnswer(Patch(*secretary.http, "/api/v1/questions/" + std::to_string(*kept.begin()),
                             {{"active", false}}),
                       204));
  const auto r = p.http->Post("/api/v1/attempts", "");
  EXPECT_TRUE(IsAnswer(r, 409, "bank_too_small"));
}

// Each attempt draws exactly k = 10 of the n = 60 questions, so Pearson's statistic is scaled by
// (n - 1) / (n (1 - k/n)) to follow chi-square with 59 degrees of freedom (see draw_test.cpp).
TEST_F(QuizApiOwnServer, OverFourHundredAttemptsEveryQuestionIsDrawnEquallyOften) {
  SetRules(*server_, {{"attempts_allowed", 0}});
  const auto bank = Bank(*server_);
  ASSERT_EQ(bank.size(), 60u);
  auto p = NewParticipant(*server_);
  constexpr int kAttempts = 400;
  std::map<std::int64_t, long> counts;
  for (const auto& [id, q] : bank)
    counts[id] = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kAttempts; ++i) {
    const auto r = p.http->Post("/api/v1/attempts", "");
    ASSERT_TRUE(IsAnswer(r, 201)) << "attempt " << i + 1;
    const auto a = r.Json();
    const auto ids = QuestionIds(a);
    ASSERT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 10u);
    for (const auto id : ids) {
      ASSERT_TRUE(counts.contains(id)) << id;
      ++counts[id];
    }
    ASSERT_TRUE(IsAnswer(Submit(*p.http, a), 200)) << "attempt " << i + 1;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const double n = 60, k = 10, expected = kAttempts * k / n;
  double pearson = 0;
  long lo = kAttempts, hi = 0;
  for (const auto& [id, c] : counts) {
    pearson += (c - expected) * (c - expected) / expected;
    lo = std::min(lo, c);
    hi = std::max(hi, c);
  }
  const double chi2 = pearson * (n - 1) / (n * (1 - k / n));
  EXPECT_LT(chi2, kChi2Df59) << "chi-square " << chi2 << " (df 59); counts from " << lo << " to "
                             << hi << ", expected " << expected << " each";
  std::printf("[ info ] %d attempts in %lld ms, chi-square %.1f (df 59), counts %ld..%ld\n",
              kAttempts,
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
              chi2, lo, hi);
}

}  // namespace
}  // namespace hoithi::testing
