// The jury through the real server, on both databases: the demo's rubric, two ready videos (one
// of UBND huyện Kế Sách, one of Sở Nội vụ, made from a clip ffmpeg generates), three judges (one
// of them from Kế Sách). Conflicts of interest (automatic and declared), scores refused without
// saving anything, blind judging, no judge seeing another's scores before the lock, explicit and
// balanced assignment, a rubric change reopening submitted sheets, the lock with its missing
// sheets, the aggregated scores against a hand-worked table, and the audited unlock.
// The tests share one server when run together; CTest runs each in its own process, so each
// sets up what it needs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "spreadsheet/spreadsheet.hpp"
#include "support/html_forms.hpp"
#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/run_command.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/video_client.hpp"

namespace hoithi::testing {
namespace {

using nlohmann::json;

constexpr char kKeSach[] = "UBND huyện Kế Sách";
constexpr char kNoiVu[] = "Sở Nội vụ";
// The demo's rubric: nội dung 25, thông điệp 25, hình thức 20, kỹ thuật 15, sáng tạo 15.
const json kFullMarks = {
    {"noi_dung", 25}, {"thong_diep", 25}, {"hinh_thuc", 20}, {"ky_thuat", 15}, {"sang_tao", 15}};

/// Points on the demo's rubric adding up to `total` (a multiple of 0.5, at most 100).
json PointsFor(double total) {
  json points = json::object();
  double left = total;
  for (const auto& [key, max] : kFullMarks.items()) {
    const double give = std::min(left, max.get<double>());
    points[key] = give;
    left -= give;
  }
  return points;
}

std::string VideoPath(std::int64_t id, const std::string& suffix = "") {
  return "/api/v1/judging/videos/" + std::to_string(id) + suffix;
}

class JudgingApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess();
    server_->SeedDemo();
    server_->Start();
    const auto clip = MakeClip(dir_->path() / "clip.mp4");
    ASSERT_FALSE(clip.empty());
    auto btc = SignIn(*server_, "btc");
    // Two more judges: one from Kế Sách (never sees Kế Sách's video), one from no unit.
    for (const auto& [login, unit] : std::vector<std::pair<std::string, std::string>>{
             {"gk.kesach", "ubnd-huyen-ke-sach"}, {"gk.ba", ""}}) {
      json body = {{"login", login},
                   {"full_name", "Giám Khảo " + login},
                   {"role", "judge"},
                   {"password", kStrongPassword}};
      if (!unit.empty()) body["unit_code"] = unit;
      ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/users", body.dump()), 201)) << login;
    }
    // Kế Sách's video by its focal point, Sở Nội vụ's by the organisers.
    auto focal = SignIn(*server_, "daumoi.kesach");
    const auto kesach = NewEntry(*focal.http, EntryBody("Dịch vụ công trực tuyến mức độ 4"));
    auto noivu_body = EntryBody("Bưu chính công ích phục vụ người dân");
    noivu_body["unit_code"] = "so-noi-vu";
    noivu_body["credits"] = json::array({{{"name", "Lâm Thị Tài Năng"}, {"role", "Ca sĩ"}}});
    const auto noivu = NewEntry(*btc.http, noivu_body);
    kesach_ = IdOf(kesach);
    noivu_ = IdOf(noivu);
    ASSERT_FALSE(UploadWhole(*focal.http, kesach_, clip).empty());
    ASSERT_FALSE(UploadWhole(*btc.http, noivu_, clip).empty());
    ASSERT_EQ(WaitForStatus(*focal.http, kesach_, {"ready", "rejected"}).value("status", ""),
              "ready");
    ASSERT_EQ(WaitForStatus(*btc.http, noivu_, {"ready", "rejected"}).value("status", ""), "ready");
  }
  static void TearDownTestSuite() {
    ExpectCleanStop(*server_);
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static Signed Judge() { return SignIn(*server_, "giamkhao"); }
  static Signed KeSachJudge() { return SignIn(*server_, "gk.kesach", kStrongPassword); }
  static Signed ThirdJudge() { return SignIn(*server_, "gk.ba", kStrongPassword); }
  static Signed Btc() { return SignIn(*server_, "btc"); }

  static json Queue(Signed& judge) {
    const auto r = judge.http->Get("/api/v1/judging/queue");
    EXPECT_TRUE(IsAnswer(r, 200));
    return r.Json();
  }
  static std::vector<std::int64_t> QueueIds(Signed& judge) {
    std::vector<std::int64_t> ids;
    const auto queue = Queue(judge);
    for (const auto& item : queue["items"])
      ids.push_back(item["id"].get<std::int64_t>());
    return ids;
  }
  static HttpResponse Score(Signed& judge, std::int64_t entry, const json& points, bool submit) {
    return judge.http->Put(
        VideoPath(entry, "/sheet"),
        json{{"points", points}, {"comment", "Nhận xét của giám khảo"}, {"submit", submit}}.dump());
  }
  static json Rules() {
    auto btc = Btc();
    const auto r = btc.http->Get("/api/v1/judging/rules");
    EXPECT_TRUE(IsAnswer(r, 200));
    return r.Json();
  }
  static HttpResponse PutRules(json rules) {
    auto btc = Btc();
    for (const auto* derived : {"total", "aggregation_label"})
      rules.erase(derived);
    return btc.http->Put("/api/v1/judging/rules", rules.dump());
  }

  static ServerProcess* server_;
  static TempDir* dir_;
  static std::int64_t kesach_, noivu_;
};
ServerProcess* JudgingApi::server_ = nullptr;
TempDir* JudgingApi::dir_ = nullptr;
std::int64_t JudgingApi::kesach_ = 0;
std::int64_t JudgingApi::noivu_ = 0;

TEST_F(JudgingApi, TheDemoRubricSumsToAHundredInStepsOfAHalf) {
  const auto rules = Rules();
  EXPECT_EQ(rules["total"], 100);
  EXPECT_EQ(rules["step"], 0.5);
  ASSERT_EQ(rules["criteria"].size(), 5u);
  EXPECT_EQ(rules["criteria"][0]["name"], "Nội dung");
}

TEST_F(JudgingApi, AJudgeNeverSeesTheVideosOfTheirOwnUnit) {
  auto own = KeSachJudge();
  const auto ids = QueueIds(own);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), kesach_), 0)
      << "Kế Sách's video in its judge's queue";
  EXPECT_EQ(std::count(ids.begin(), ids.end(), noivu_), 1);
  for (const auto* suffix : {"", "/video", "/poster", "/original"}) {
    const auto r = own.http->Get(VideoPath(kesach_, suffix));
    EXPECT_EQ(r.status, 403) << suffix << ": " << r.body;
    EXPECT_EQ(ErrorOf(r).value("code", ""), "conflict_of_interest") << suffix;
  }
  EXPECT_EQ(Score(own, kesach_, PointsFor(50), true).status, 403);
  // Nor through the video API, which judges no longer use.
  EXPECT_EQ(own.http->Get("/api/v1/videos").status, 403);
  EXPECT_EQ(own.http->Get("/api/v1/videos/" + std::to_string(kesach_)).status, 403);
  // Another judge sees both, and plays the web copy and the original.
  auto other = Judge();
  const auto all = QueueIds(other);
  EXPECT_EQ(std::count(all.begin(), all.end(), kesach_), 1);
  EXPECT_EQ(other.http->Get(VideoPath(kesach_, "/video")).status, 200);
  EXPECT_EQ(other.http->Get(VideoPath(kesach_, "/original")).status, 200);
}

TEST_F(JudgingApi, AScoreOutsideTheRubricIs422NamingTheCriterionAndNothingIsSaved) {
  auto judge = ThirdJudge();
  struct Case {
    json points;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"noi_dung", 25.5}}, "points.noi_dung"},    // above the maximum
      {{{"thong_diep", -1}}, "points.thong_diep"},  // negative
      {{{"hinh_thuc", 7.25}}, "points.hinh_thuc"},  // off the 0.5 step
      {{{"ky_thuat", "mười"}}, "points.ky_thuat"},  // not a number
      {{{"am_nhac", 5}}, "points.am_nhac"},         // not in the rubric
  };
  for (const auto& c : cases) {
    auto points = PointsFor(60);
    points.update(c.points);
    const auto r = Score(judge, noivu_, points, false);
    EXPECT_EQ(r.status, 422) << c.points.dump() << ": " << r.body;
    EXPECT_EQ(ErrorOf(r).value("field", ""), c.field) << r.body;
  }
  // A submit lacking a criterion names it.
  auto partial = PointsFor(60);
  partial.erase("sang_tao");
  const auto r = Score(judge, noivu_, partial, true);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(ErrorOf(r).value("field", ""), "points.sang_tao") << r.body;
  const auto item = judge.http->Get(VideoPath(noivu_));
  ASSERT_TRUE(IsAnswer(item, 200));
  EXPECT_TRUE(item.Json()["sheet"].is_null()) << "nothing saved: " << item.body;
  EXPECT_EQ(item.Json()["state"], "not_started");
}

TEST_F(JudgingApi, BeforeTheLockAJudgeReadsNoOtherJudgesScoresAndNoTotals) {
  auto first = Judge();
  ASSERT_TRUE(IsAnswer(Score(first, noivu_, PointsFor(77), false), 200));
  auto second = ThirdJudge();
  const auto item = second.http->Get(VideoPath(noivu_));
  ASSERT_TRUE(IsAnswer(item, 200));
  EXPECT_TRUE(item.Json()["sheet"].is_null()) << "another judge's draft leaked: " << item.body;
  EXPECT_EQ(item.body.find("77"), std::string::npos) << item.body;
  const auto scores = second.http->Get("/api/v1/judging/scores");
  EXPECT_EQ(scores.status, 403);
  EXPECT_EQ(ErrorOf(scores).value("code", ""), "judging_not_locked");
  EXPECT_EQ(second.http->Get("/api/v1/judging/progress").status, 403);
  // The organisers follow the board, with the draft's total.
  auto btc = Btc();
  const auto board = btc.http->Get("/api/v1/judging/progress");
  ASSERT_TRUE(IsAnswer(board, 200));
  bool seen = false;
  const auto board_json = board.Json();
  for (const auto& cell : board_json["cells"]) {
    if (cell["judge_id"] == first.id && cell["entry_id"] == noivu_) {
      EXPECT_EQ(cell["state"], "draft");
      EXPECT_EQ(cell["total"], 77);
      seen = true;
    }
  }
  EXPECT_TRUE(seen) << board.body;
}

TEST_F(JudgingApi, WithBlindJudgingNoResponseToAJudgeNamesAUnitOrACreditedPerson) {
  auto rules = Rules();
  rules["blind"] = true;
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
  auto judge = Judge();
  for (const auto& path : {std::string("/api/v1/judging/queue"), VideoPath(noivu_),
                           VideoPath(kesach_), std::string("/api/v1/judging/rules")}) {
    const auto r = judge.http->Get(path);
    ASSERT_TRUE(IsAnswer(r, 200)) << path;
    for (const auto* name : {kKeSach, kNoiVu, "Lâm Thị Tài Năng", "ke-sach", "so-noi-vu"}) {
      EXPECT_EQ(r.body.find(name), std::string::npos) << name << " in " << path << ": " << r.body;
    }
  }
  rules["blind"] = false;
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
  const auto seen = judge.http->Get(VideoPath(noivu_));
  EXPECT_NE(seen.body.find(kNoiVu), std::string::npos) << "not blind: the unit is named";
}

TEST_F(JudgingApi, AJudgeDeclaresAConflictWithAReasonTheOrganisersSee) {
  auto judge = ThirdJudge();
  const auto bare = judge.http->Post(VideoPath(kesach_, "/abstain"), "{}");
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(ErrorOf(bare).value("field", ""), "reason");
  const std::string reason = "Tôi là người hướng dẫn dựng video này.";
  const auto r = judge.http->Post(VideoPath(kesach_, "/abstain"), json{{"reason", reason}}.dump());
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["status"], "abstained");
  auto btc = Btc();
  const auto board = btc.http->Get("/api/v1/judging/progress");
  bool seen = false;
  const auto board_json = board.Json();
  for (const auto& cell : board_json["cells"]) {
    if (cell["judge_id"] == judge.id && cell["entry_id"] == kesach_) {
      EXPECT_EQ(cell["state"], "abstained");
      EXPECT_EQ(cell["abstain_reason"], reason);
      seen = true;
    }
  }
  EXPECT_TRUE(seen) << board.body;
}

TEST_F(JudgingApi, BalancedAssignmentGivesEachVideoItsJudgesNeverTheirOwnUnit) {
  auto rules = Rules();
  rules["assignment"] = "explicit";
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
  auto btc = Btc();
  const auto r = btc.http->Put("/api/v1/judging/assignments", R"({"per_video":1})");
  ASSERT_TRUE(IsAnswer(r, 200));
  std::map<std::int64_t, int> per_video;
  const auto r_json = r.Json();
  for (const auto& cell : r_json["cells"]) {
    if (cell["state"] == "not_assigned" || cell["state"] == "conflict") continue;
    ++per_video[cell["entry_id"].get<std::int64_t>()];
  }
  EXPECT_EQ(per_video[kesach_], 1);
  EXPECT_EQ(per_video[noivu_], 1);
  // Three judges per video is more than Kế Sách's video has (its own judge may not).
  const auto too_many = btc.http->Put("/api/v1/judging/assignments", R"({"per_video":3})");
  EXPECT_EQ(too_many.status, 422);
  EXPECT_EQ(ErrorOf(too_many).value("field", ""), "per_video");
  // An explicit pair of a judge and their own unit's video is refused.
  auto own = KeSachJudge();
  const auto conflicted = btc.http->Put(
      "/api/v1/judging/assignments",
      json{{"pairs", json::array({{{"judge_id", own.id}, {"entry_id", kesach_}}})}}.dump());
  EXPECT_EQ(conflicted.status, 422) << conflicted.body;
  // A judge not assigned a video may not score it.
  const auto queue = QueueIds(own);
  for (auto id : {kesach_, noivu_}) {
    if (std::count(queue.begin(), queue.end(), id) == 0 && id != kesach_) {
      EXPECT_TRUE(IsAnswer(Score(own, id, PointsFor(50), false), 403, "not_assigned"));
    }
  }
  // The board's grid: the organisers tick who scores what (a conflicted pair is not offered).
  auto first = Judge();
  const auto grid =
      btc.http->Post("/quan-tri/cham-diem/phan-cong",
                     Form({{"grid", "1"},
                           {"a_" + std::to_string(own.id) + "_" + std::to_string(noivu_), "1"},
                           {"a_" + std::to_string(first.id) + "_" + std::to_string(kesach_), "1"}}),
                     kForm);
  EXPECT_EQ(grid.status, 303) << grid.body.substr(0, 500);
  const auto after = btc.http->Get("/api/v1/judging/progress");
  ASSERT_TRUE(IsAnswer(after, 200));
  std::set<std::pair<std::int64_t, std::int64_t>> assigned;
  const auto after_json = after.Json();
  for (const auto& cell : after_json["cells"]) {
    if (cell["state"] == "not_assigned" || cell["state"] == "conflict") continue;
    assigned.insert({cell["judge_id"].get<std::int64_t>(), cell["entry_id"].get<std::int64_t>()});
  }
  EXPECT_EQ(assigned, (std::set<std::pair<std::int64_t, std::int64_t>>{{own.id, noivu_},
                                                                       {first.id, kesach_}}));
  const auto page = btc.http->Get("/quan-tri/cham-diem");
  EXPECT_NE(page.body.find("Lưu phân công"), std::string::npos);
  rules["assignment"] = "all";
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
}

TEST_F(JudgingApi, ChangingTheRubricAfterASubmittedScoreNeedsTheOrganisersConfirmation) {
  auto judge = KeSachJudge();
  ASSERT_TRUE(IsAnswer(Score(judge, noivu_, PointsFor(90), true), 200));
  auto rules = Rules();
  rules["criteria"][4]["max"] = 20;  // sáng tạo 15 -> 20
  const auto refused = PutRules(rules);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(ErrorOf(refused).value("code", ""), "rubric_in_use");
  EXPECT_EQ(Rules()["total"], 100) << "unchanged";
  // Confirmed: the submitted sheet is a draft again; then the rubric goes back the same way.
  rules["reopen_submitted"] = true;
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
  EXPECT_EQ(Rules()["total"], 105);
  const auto item = judge.http->Get(VideoPath(noivu_));
  EXPECT_EQ(item.Json()["state"], "draft") << item.body;
  rules["criteria"][4]["max"] = 15;
  ASSERT_TRUE(IsAnswer(PutRules(rules), 200));
}

TEST_F(JudgingApi, TheOrganisersSetTheRubricOnItsPageAndAreAskedBeforeSheetsAreReopened) {
  const auto original = Rules();
  auto btc = Btc();
  const auto page = btc.http->Get("/quan-tri/cham-diem/thang-diem");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"Thông điệp cải cách hành chính\""), std::string::npos);
  // The page's rows as a browser sends them, with `change` applied.
  const auto form = [&](std::vector<std::pair<std::string, std::string>> change) {
    std::vector<std::pair<std::string, std::string>> fields;
    int n = 0;
    for (const auto& c : original["criteria"]) {
      const auto i = std::to_string(++n);
      fields.push_back({"key_" + i, c["key"].get<std::string>()});
      fields.push_back({"name_" + i, c["name"].get<std::string>()});
      fields.push_back({"max_" + i, std::to_string(c["max"].get<int>())});
      fields.push_back({"desc_" + i, c["description"].get<std::string>()});
    }
    for (auto [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"step", "0,5"},
                                                          {"aggregation", "mean"},
                                                          {"unit_score", "best"},
                                                          {"assignment", "all"}}) {
      fields.push_back({name, value});
    }
    for (auto& [name, value] : change) {
      auto it = std::find_if(fields.begin(), fields.end(),
                             [&](const auto& f) { return f.first == name; });
      if (it != fields.end()) {
        it->second = value;
      } else {
        fields.push_back({name, value});
      }
    }
    return Form(fields);
  };
  const auto post = [&](std::vector<std::pair<std::string, std::string>> change) {
    return btc.http->Post("/quan-tri/cham-diem/thang-diem", form(std::move(change)), kForm);
  };

  // Off the step: refused, the row named, nothing changed.
  const auto off = post({{"max_2", "7,25"}});
  EXPECT_EQ(off.status, 422);
  EXPECT_NE(off.body.find("không chia hết cho bước điểm"), std::string::npos) << off.body;
  EXPECT_NE(off.body.find("value=\"7,25\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(Rules()["criteria"][1]["max"], 25);

  // Once a sheet is submitted, a new rubric asks first, then reopens it when agreed.
  auto judge = Judge();
  ASSERT_TRUE(IsAnswer(Score(judge, noivu_, PointsFor(80), true), 200));
  const std::vector<std::pair<std::string, std::string>> change = {
      {"max_5", "10"}, {"name_6", "Âm nhạc"}, {"max_6", "5"}};
  const auto asked = post(change);
  EXPECT_EQ(asked.status, 409);
  EXPECT_NE(asked.body.find("Tôi đồng ý mở lại các phiếu chấm đã nộp"), std::string::npos);
  EXPECT_EQ(Rules()["criteria"].size(), 5u) << "unchanged until agreed";
  auto agreed = change;
  agreed.push_back({"reopen", "1"});
  const auto saved = post(agreed);
  EXPECT_EQ(saved.status, 303) << saved.body.substr(0, 500);
  const auto now = Rules();
  ASSERT_EQ(now["criteria"].size(), 6u);
  EXPECT_EQ(now["criteria"][5]["key"], "am_nhac") << "a key made from the name";
  EXPECT_EQ(now["criteria"][5]["name"], "Âm nhạc");
  EXPECT_EQ(now["total"], 100);
  EXPECT_EQ(judge.http->Get(VideoPath(noivu_)).Json()["state"], "draft");
  // Back to the demo's rubric for whichever test runs next on this server.
  ASSERT_TRUE(IsAnswer(PutRules(original), 200));
}

TEST_F(JudgingApi, TheLockWaitsForEverySheetThenScoresAreAggregatedAndOnlyAnAdminUnlocks) {
  auto btc = Btc();
  const auto early = btc.http->Post("/api/v1/judging/lock", "");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(ErrorOf(early).value("code", ""), "scores_missing");
  // The hand-worked table (mean of the judges' totals; gk.kesach does not score Kế Sách, gk.ba
  // abstained on it):
  //                 giamkhao   gk.kesach   gk.ba      video score
  // Sở Nội vụ         80          90        70        80
  // Kế Sách           60.5         –         –        60.5
  auto first = Judge();
  auto own = KeSachJudge();
  auto third = ThirdJudge();
  ASSERT_TRUE(IsAnswer(third.http->Post(VideoPath(kesach_, "/abstain"),
                                        R"({"reason":"Tôi hướng dẫn đơn vị này dựng video."})"),
                       200));
  ASSERT_TRUE(IsAnswer(Score(first, noivu_, PointsFor(80), true), 200));
  ASSERT_TRUE(IsAnswer(Score(first, kesach_, PointsFor(60.5), true), 200));
  ASSERT_TRUE(IsAnswer(Score(own, noivu_, PointsFor(90), true), 200));
  ASSERT_TRUE(IsAnswer(Score(third, noivu_, PointsFor(70), true), 200));
  const auto locked = btc.http->Post("/api/v1/judging/lock", "");
  ASSERT_TRUE(IsAnswer(locked, 200));
  EXPECT_EQ(locked.Json()["locked"], true);
  EXPECT_TRUE(locked.Json()["missing"].empty());

  // No change after the lock.
  const auto late = Score(first, noivu_, PointsFor(100), true);
  EXPECT_EQ(late.status, 403);
  EXPECT_EQ(ErrorOf(late).value("code", ""), "judging_locked");
  EXPECT_EQ(PutRules(Rules()).status, 403);

  // The scores: judges may read them now.
  const auto scores = first.http->Get("/api/v1/judging/scores");
  ASSERT_TRUE(IsAnswer(scores, 200));
  const auto videos = scores.Json()["videos"];
  ASSERT_EQ(videos.size(), 2u) << scores.body;
  EXPECT_EQ(videos[0]["entry_id"], noivu_);
  EXPECT_EQ(videos[0]["score"], 80);
  EXPECT_EQ(videos[0]["judges"], 3);
  EXPECT_EQ(videos[1]["entry_id"], kesach_);
  EXPECT_EQ(videos[1]["score"], 60.5);
  const auto units = scores.Json()["units"];
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0]["unit_name"], kNoiVu);
  EXPECT_EQ(units[1]["unit_name"], kKeSach);

  // The summary sheet and a judge's score sheet, read back from the .xlsx.
  const auto summary = btc.http->Get("/api/v1/judging/export/summary");
  ASSERT_TRUE(IsAnswer(summary, 200));
  auto table = spreadsheet::ReadTable(summary.body);
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->size(), 3u) << "a header and two videos";
  const auto& head = (*table)[0].cells;
  ASSERT_GE(head.size(), 8u);
  EXPECT_EQ(head[0], "Hạng");
  EXPECT_EQ(head[2], "Đơn vị");
  EXPECT_EQ(head.back(), "Điểm video");
  const auto& top = (*table)[1].cells;
  EXPECT_EQ(top[0], "1");
  EXPECT_EQ(top[1], "Bưu chính công ích phục vụ người dân");
  EXPECT_EQ(top[2], kNoiVu);
  EXPECT_EQ(top.back(), "80");
  const auto& second = (*table)[2].cells;
  EXPECT_EQ(second[2], kKeSach);
  EXPECT_EQ(second.back(), "60.5");
  // Kế Sách's own judge shows as "Cùng đơn vị", the abstaining one as "Không chấm".
  EXPECT_NE(std::find(second.begin(), second.end(), "Cùng đơn vị"), second.end());
  EXPECT_NE(std::find(second.begin(), second.end(), "Không chấm"), second.end());
  const auto mine =
      first.http->Get("/api/v1/judging/export/judges/" + std::to_string(first.id) + "?format=xlsx");
  ASSERT_TRUE(IsAnswer(mine, 200));
  auto sheet = spreadsheet::ReadTable(mine.body);
  ASSERT_TRUE(sheet);
  ASSERT_EQ(sheet->size(), 3u);
  std::vector<std::string> totals;
  const auto total_column = static_cast<std::size_t>(
      std::find((*sheet)[0].cells.begin(), (*sheet)[0].cells.end(), "Tổng điểm") -
      (*sheet)[0].cells.begin());
  for (std::size_t i = 1; i < sheet->size(); ++i)
    totals.push_back((*sheet)[i].cells.at(total_column));
  std::sort(totals.begin(), totals.end());
  EXPECT_EQ(totals, (std::vector<std::string>{"60.5", "80"}));
  // Another judge's sheet is not theirs to download.
  EXPECT_EQ(first.http->Get("/api/v1/judging/export/judges/" + std::to_string(third.id)).status,
            403);
  // The printable forms: the summary and a judge's sheet as PDF, read with pdftotext.
  const auto pdf_text = [&](HttpClient& c, const std::string& url, const std::string& name) {
    const auto r = c.Get(url);
    EXPECT_TRUE(IsAnswer(r, 200)) << url;
    EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u) << url;
    return PdfText(r.body, dir_->path() / name);
  };
  const auto printed_summary =
      pdf_text(*btc.http, "/api/v1/judging/export/summary?format=pdf", "summary.pdf");
  for (const auto& want : std::vector<std::string>{"BẢNG TỔNG HỢP ĐIỂM VIDEO", kNoiVu, kKeSach,
                                                   "Cùng đơn vị", "60,5", "TM. BAN GIÁM KHẢO"}) {
    EXPECT_NE(printed_summary.find(want), std::string::npos) << want << " not in:\n"
                                                             << printed_summary;
  }
  const auto printed_sheet = pdf_text(
      *first.http, "/api/v1/judging/export/judges/" + std::to_string(first.id) + "?format=pdf",
      "mine.pdf");
  for (const auto& want :
       std::vector<std::string>{"PHIẾU CHẤM ĐIỂM VIDEO", "Nội dung", "60,5", "GIÁM KHẢO"}) {
    EXPECT_NE(printed_sheet.find(want), std::string::npos) << want << " not in:\n" << printed_sheet;
  }

  // Unlocking: not the secretary, not without a reason.
  auto secretary = SignIn(*server_, "thuky");
  EXPECT_EQ(secretary.http->Post("/api/v1/judging/unlock", R"({"reason":"x"})").status, 403);
  const auto bare = btc.http->Post("/api/v1/judging/unlock", "{}");
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(ErrorOf(bare).value("field", ""), "reason");
  const std::string reason = "Giám khảo báo nhầm điểm một tiêu chí.";
  const auto unlocked = btc.http->Post("/api/v1/judging/unlock", json{{"reason", reason}}.dump());
  ASSERT_TRUE(IsAnswer(unlocked, 200));
  EXPECT_EQ(unlocked.Json()["locked"], false);
  EXPECT_TRUE(IsAnswer(Score(first, noivu_, PointsFor(81), true), 200)) << "open again";

  // Both are in the audit log, the unlock with its reason.
  for (const auto* action : {"judging.lock", "judging.unlock", "judging.submit"}) {
    const auto log = btc.http->Get(std::string("/api/v1/audit?per_page=500&action=") + action);
    ASSERT_TRUE(IsAnswer(log, 200));
    EXPECT_FALSE(log.Json()["items"].empty()) << "no " << action << " entry";
    if (std::string(action) == "judging.unlock") {
      EXPECT_NE(log.body.find(reason), std::string::npos) << log.body;
    }
  }
}

// Last: it adds two judges, whom the lock above would then wait for when every test of this file
// shares one server.
TEST_F(JudgingApi, TheScoresFollowTheAggregationTheOrganisersChose) {
  auto btc = Btc();
  for (const char* login : {"gk.bon", "gk.nam"}) {
    const auto r =
        btc.http->Post("/api/v1/users", json{{"login", login},
                                             {"full_name", std::string("Giám Khảo ") + login},
                                             {"role", "judge"},
                                             {"password", kStrongPassword}}
                                            .dump());
    ASSERT_TRUE(r.status == 201 || r.status == 409 || r.status == 422) << r.body;
  }
  auto a = Judge();
  auto b = KeSachJudge();
  auto c = ThirdJudge();
  auto d = SignIn(*server_, "gk.bon", kStrongPassword);
  auto e = SignIn(*server_, "gk.nam", kStrongPassword);
  // The hand-worked table (only submitted totals count):
  //                  a     b     c     d     e      mean   trimmed mean
  //   Sở Nội vụ     50    70    80    90   100      78     (70+80+90)/3 = 80
  //   Kế Sách       60     –     –     –     –      60     60 (one judge)
  const std::vector<std::pair<Signed*, double>> totals = {
      {&a, 50}, {&b, 70}, {&c, 80}, {&d, 90}, {&e, 100}};
  for (const auto& [judge, total] : totals) {
    ASSERT_TRUE(IsAnswer(Score(*judge, noivu_, PointsFor(total), true), 200));
  }
  ASSERT_TRUE(IsAnswer(Score(a, kesach_, PointsFor(60), true), 200));
  for (const auto& other : {&c, &d, &e}) {
    // Their Kế Sách sheets stay unsubmitted drafts, which count nothing.
    ASSERT_TRUE(IsAnswer(Score(*other, kesach_, PointsFor(10), false), 200));
  }
  const auto scores_with = [&](const char* method) {
    auto rules = Rules();
    rules["aggregation"] = method;
    EXPECT_TRUE(IsAnswer(PutRules(rules), 200)) << method;
    const auto r = btc.http->Get("/api/v1/judging/scores");
    EXPECT_TRUE(IsAnswer(r, 200));
    std::map<std::int64_t, double> out;
    const auto j = r.Json();
    for (const auto& v : j["videos"])
      out[v["entry_id"].get<std::int64_t>()] = v["score"].get<double>();
    return out;
  };
  auto mean = scores_with("mean");
  EXPECT_DOUBLE_EQ(mean[noivu_], 78);
  EXPECT_DOUBLE_EQ(mean[kesach_], 60);
  auto trimmed = scores_with("trimmed_mean");
  EXPECT_DOUBLE_EQ(trimmed[noivu_], 80);
  EXPECT_DOUBLE_EQ(trimmed[kesach_], 60);
  // Standardised: a scored both (50 and 60: mean 55, sd 5, so z = -1 and +1); the others one
  // video each (z = 0). All six totals: M = 75, S = sqrt(1750 / 6) = 17.08. Rescaled M + zS:
  // a's Nội vụ 75 - S, a's Kế Sách 75 + S, the others' 75. Nội vụ (75 - S + 4 x 75) / 5 = 75 - S/5
  // = 71.58; Kế Sách 75 + S = 92.08: a strict judge's best video now leads.
  const double s = std::sqrt(1750.0 / 6.0);
  auto standardised = scores_with("standardised");
  EXPECT_NEAR(standardised[noivu_], 75 - s / 5, 0.006);
  EXPECT_NEAR(standardised[kesach_], 75 + s, 0.006);
  scores_with("mean");
}

}  // namespace
}  // namespace hoithi::testing
