// The draft results through the real server, on both databases: five participants of two units
// take the quiz with known scores, the units' headcounts are entered, Kế Sách's video is scored
// by the demo judge, and the ranking, its components and the prizes are compared with a table
// worked by hand. Then the weights (refused unless they sum to 100, nothing changed), a tie at
// the first prize that waits for the committee, the lock's blocker, and who may read what.
// The tests share one server when run together; CTest runs each in its own process, so each
// sets up what it needs and puts back what it changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spreadsheet/spreadsheet.hpp"
#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/run_command.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/video_client.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

using nlohmann::json;

constexpr char kKeSach[] = "UBND huyện Kế Sách";
constexpr char kNoiVu[] = "Sở Nội vụ";

class ResultsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new ServerProcess();
    server_->SeedDemo();
    server_->Start();
    SetHeadcount("so-noi-vu", 4);
    SetHeadcount("ubnd-huyen-ke-sach", 2);
    const auto keys = Keys(*server_);
    // Sở Nội vụ: 3 of 4 staff, 8 + 6 + 7 correct; Kế Sách: 2 of 2, 9 + 9.
    for (const auto& [unit, right] :
         std::vector<std::pair<std::string, int>>{{"so-noi-vu", 8},
                                                  {"so-noi-vu", 6},
                                                  {"so-noi-vu", 7},
                                                  {"ubnd-huyen-ke-sach", 9},
                                                  {"ubnd-huyen-ke-sach", 9}}) {
      auto p = NewParticipant(*server_, {}, unit);
      const auto attempt = Start(*p.http);
      ASSERT_TRUE(
          IsAnswer(Submit(*p.http, attempt, AnswersFor(attempt, keys, right, 10 - right)), 200));
    }
    // Kế Sách's video, scored 80 of 100 by the demo's one judge.
    const auto clip = MakeClip(dir_->path() / "clip.mp4");
    ASSERT_FALSE(clip.empty());
    auto focal = SignIn(*server_, "daumoi.kesach");
    video_ = IdOf(NewEntry(*focal.http, EntryBody("Dịch vụ công trực tuyến mức độ 4")));
    ASSERT_FALSE(UploadWhole(*focal.http, video_, clip).empty());
    ASSERT_EQ(WaitForStatus(*focal.http, video_, {"ready", "rejected"}).value("status", ""),
              "ready");
    auto judge = SignIn(*server_, "giamkhao");
    const json points = {{"noi_dung", 20},
                         {"thong_diep", 20},
                         {"hinh_thuc", 16},
                         {"ky_thuat", 12},
                         {"sang_tao", 12}};
    ASSERT_TRUE(
        IsAnswer(judge.http->Put("/api/v1/judging/videos/" + std::to_string(video_) + "/sheet",
                                 json{{"points", points}, {"submit", true}}.dump()),
                 200));
  }
  static void TearDownTestSuite() {
    ExpectCleanStop(*server_);
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static Signed Btc() { return SignIn(*server_, "btc"); }

  static void SetHeadcount(const std::string& unit, int headcount) {
    auto btc = Btc();
    const auto r = btc.http->Get("/api/v1/units/" + unit);
    ASSERT_TRUE(IsAnswer(r, 200));
    auto body = r.Json();
    body["headcount"] = headcount;
    ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/units/" + unit, body.dump()), 200));
  }

  static json Draft() {
    auto btc = Btc();
    const auto r = btc.http->Get("/api/v1/results/draft");
    EXPECT_TRUE(IsAnswer(r, 200));
    return r.status == 200 ? r.Json() : json::object();
  }

  /// Whether the draft waits for judging to be locked (one of its blockers says so).
  static bool WaitsForLock(const json& draft) {
    for (const auto& b : draft["blockers"]) {
      if (b.get<std::string>().find("chưa khóa việc chấm điểm") != std::string::npos) return true;
    }
    return false;
  }

  static json UnitRow(const json& draft, const std::string& name) {
    for (const auto& u : draft["units"]) {
      if (u["name"] == name) return u;
    }
    ADD_FAILURE() << name << " not in the ranking";
    return json::object();
  }

  static ServerProcess* server_;
  static TempDir* dir_;
  static std::int64_t video_;
};
ServerProcess* ResultsApi::server_ = nullptr;
TempDir* ResultsApi::dir_ = nullptr;
std::int64_t ResultsApi::video_ = 0;

TEST_F(ResultsApi, TheRankingAndThePrizesMatchAHandWorkedTable) {
  const auto draft = Draft();
  ASSERT_EQ(draft["units"].size(), 46u);
  // Kế Sách: 2/2 = 100; 18/20 = 90; video 80 → 0,3×100 + 0,3×90 + 0,4×80 = 89.
  const auto kesach = UnitRow(draft, kKeSach);
  EXPECT_EQ(kesach["rank"], 1);
  EXPECT_EQ(kesach["participation"], 100);
  EXPECT_EQ(kesach["quiz"], 90);
  EXPECT_EQ(kesach["video"], 80);
  EXPECT_EQ(kesach["total"], 89);
  // Sở Nội vụ: 3/4 = 75; 21/30 = 70; no video → 22,5 + 21 = 43,5.
  const auto noivu = UnitRow(draft, kNoiVu);
  EXPECT_EQ(noivu["rank"], 2);
  EXPECT_EQ(noivu["participants"], 3);
  EXPECT_EQ(noivu["headcount"], 4);
  EXPECT_EQ(noivu["participation"], 75);
  EXPECT_EQ(noivu["quiz"], 70);
  EXPECT_EQ(noivu["video"], 0);
  EXPECT_EQ(noivu["total"], 43.5);
  // Every other unit scores 0 and ties third.
  EXPECT_EQ(draft["units"][2]["total"], 0);
  EXPECT_EQ(draft["units"][2]["rank"], 3);

  // Prizes: the first to Kế Sách, a second to Sở Nội vụ (no one else scored), Kế Sách's video,
  // and the five participants' individual prizes.
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& p : draft["prizes"])
    given[p["category"].get<std::string>()].push_back(p["prize"].get<std::string>() + " — " +
                                                      p["recipient"].get<std::string>());
  EXPECT_EQ(given["collective"], (std::vector<std::string>{"Giải Nhất — " + std::string(kKeSach),
                                                           "Giải Nhì — " + std::string(kNoiVu)}));
  EXPECT_EQ(given["video"],
            (std::vector<std::string>{
                "Giải video tuyên truyền hay nhất — Dịch vụ công trực tuyến mức độ 4"}));
  EXPECT_EQ(given["individual"].size(), 5u);
  EXPECT_TRUE(draft["ties"].empty()) << draft["ties"].dump();
  // 10.000.000 + 7.000.000 + 500.000 + 5 × 500.000
  EXPECT_EQ(draft["total_vnd"], 20000000);
  EXPECT_EQ(draft["total_label"], "20.000.000 đồng");
  // The best individual answered 9 of 10 and comes from Kế Sách.
  for (const auto& p : draft["prizes"]) {
    if (p["category"] != "individual") continue;
    EXPECT_EQ(p["unit_name"], kKeSach);
    EXPECT_EQ(p["detail"].get<std::string>().rfind("9/10 câu đúng trong ", 0), 0u) << p.dump();
    break;
  }
  // The other 44 units have no headcount: the rate cannot be trusted, the draft says so.
  bool headcounts_blocker = false;
  for (const auto& b : draft["blockers"])
    headcounts_blocker |= b.get<std::string>().rfind("Số cán bộ chưa nhập", 0) == 0;
  EXPECT_TRUE(headcounts_blocker) << draft["blockers"].dump();
}

TEST_F(ResultsApi, WeightsThatDoNotSumToAHundredAre422AndChangeNothing) {
  auto btc = Btc();
  const auto before = btc.http->Get("/api/v1/results/rules");
  ASSERT_TRUE(IsAnswer(before, 200));
  EXPECT_EQ(before.Json()["weight_video"], 40);
  EXPECT_NE(before.Json()["formula"].get<std::string>().find("40% × điểm phần thi video"),
            std::string::npos);
  struct Case {
    json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"weight_participation", 30}, {"weight_quiz", 30}, {"weight_video", 30}}, "weight_video"},
      {{{"weight_participation", -10}, {"weight_quiz", 60}, {"weight_video", 50}},
       "weight_participation"},
      {{{"weight_quiz", "ba mươi"}}, "weight_quiz"},
      {{{"video_prizes_per_unit", -1}}, "video_prizes_per_unit"},
  };
  for (const auto& c : cases) {
    const auto r = btc.http->Put("/api/v1/results/rules", c.body.dump());
    EXPECT_EQ(r.status, 422) << c.body.dump() << ": " << r.body;
    EXPECT_EQ(ErrorOf(r).value("code", ""), "invalid_results_rules") << r.body;
    EXPECT_EQ(ErrorOf(r).value("field", ""), c.field) << r.body;
  }
  EXPECT_EQ(btc.http->Get("/api/v1/results/rules").body, before.body);
  EXPECT_EQ(UnitRow(Draft(), kNoiVu)["total"], 43.5);
}

TEST_F(ResultsApi, NewWeightsRecomputeTheDraftAndAreAudited) {
  auto btc = Btc();
  const json quiz_only = {{"weight_participation", 0}, {"weight_quiz", 100}, {"weight_video", 0}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", quiz_only.dump()), 200));
  const auto draft = Draft();
  EXPECT_EQ(UnitRow(draft, kKeSach)["total"], 90);
  EXPECT_EQ(UnitRow(draft, kNoiVu)["total"], 70);
  for (const auto& b : draft["blockers"])  // headcounts no longer count
    EXPECT_EQ(b.get<std::string>().find("Số cán bộ"), std::string::npos) << b;
  const auto audit = btc.http->Get("/api/v1/audit?action=contest.results_rules_update");
  ASSERT_TRUE(IsAnswer(audit, 200));
  const auto items = audit.Json()["items"];
  ASSERT_FALSE(items.empty()) << audit.body;
  EXPECT_EQ(items[0]["after"]["weight_quiz"], 100) << audit.body;
  EXPECT_EQ(items[0]["before"]["weight_quiz"], 30) << audit.body;
  const json back = {{"weight_participation", 30}, {"weight_quiz", 30}, {"weight_video", 40}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", back.dump()), 200));
}

TEST_F(ResultsApi, ATieForTheFirstPrizeWaitsForTheCommittee) {
  // On participation alone both units reach 100 once Sở Nội vụ's headcount is 3.
  SetHeadcount("so-noi-vu", 3);
  auto btc = Btc();
  const json participation_only = {
      {"weight_participation", 100}, {"weight_quiz", 0}, {"weight_video", 0}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", participation_only.dump()), 200));
  const auto draft = Draft();
  ASSERT_EQ(draft["ties"].size(), 1u) << draft["ties"].dump();
  const auto& tie = draft["ties"][0];
  EXPECT_EQ(tie["category"], "collective");
  EXPECT_EQ(tie["rank"], 1);
  EXPECT_EQ(tie["names"].size(), 2u);
  EXPECT_EQ(tie["prizes"], (json{"Giải Nhất", "Giải Nhì"}));
  EXPECT_FALSE(tie["decided"].get<bool>());
  for (const auto& p : draft["prizes"])  // neither unit gets a collective prize meanwhile
    EXPECT_NE(p["category"], "collective") << p.dump();
  bool blocker = false;
  for (const auto& b : draft["blockers"])
    blocker |= b.get<std::string>().rfind("Đồng hạng 1", 0) == 0;
  EXPECT_TRUE(blocker) << draft["blockers"].dump();

  // A decision must name exactly the tied group and give a reason; a refused one changes nothing.
  const auto ids = tie["ids"];
  const auto kesach = UnitRow(draft, kKeSach)["unit_id"];
  const auto noivu = UnitRow(draft, kNoiVu)["unit_id"];
  const auto decide = [&](const json& body) {
    return btc.http->Post("/api/v1/results/ties", body.dump());
  };
  struct Refused {
    json body;
    std::string field;
  };
  const std::vector<Refused> refused = {
      {{{"category", "collective"},
        {"order", json::array({kesach})},
        {"reason", "Thiếu một đơn vị"}},
       "order"},
      {{{"category", "collective"}, {"order", {kesach, noivu, 999999}}, {"reason", "Thừa"}},
       "order"},
      {{{"category", "collective"}, {"order", {kesach, kesach}}, {"reason", "Lặp"}}, "order"},
      {{{"category", "video"}, {"order", {kesach, noivu}}, {"reason", "Sai loại giải"}}, "order"},
      {{{"category", "collective"}, {"order", {kesach, noivu}}, {"reason", "   "}}, "reason"},
      {{{"category", "giải"}, {"order", {kesach, noivu}}, {"reason", "Không rõ"}}, "category"},
  };
  for (const auto& r : refused) {
    const auto answer = decide(r.body);
    EXPECT_EQ(answer.status, 422) << r.body.dump() << ": " << answer.body;
    EXPECT_EQ(ErrorOf(answer).value("field", ""), r.field) << answer.body;
  }
  EXPECT_FALSE(Draft()["ties"][0]["decided"].get<bool>());
  auto secretary = SignIn(*server_, "thuky");
  EXPECT_EQ(
      secretary.http
          ->Post(
              "/api/v1/results/ties",
              json{{"category", "collective"}, {"order", {kesach, noivu}}, {"reason", "x"}}.dump())
          .status,
      403);

  const std::string reason =
      "Đơn vị có điểm phần thi video cao hơn (biên bản họp ngày 28/12/2021).";
  const auto decided =
      decide({{"category", "collective"}, {"order", {kesach, noivu}}, {"reason", reason}});
  ASSERT_TRUE(IsAnswer(decided, 200));
  const auto after = decided.Json();
  ASSERT_EQ(after["ties"].size(), 1u);
  EXPECT_TRUE(after["ties"][0]["decided"].get<bool>());
  EXPECT_EQ(after["ties"][0]["reason"], reason);
  std::vector<std::string> collective;
  for (const auto& p : after["prizes"]) {
    if (p["category"] != "collective") continue;
    collective.push_back(p["prize"].get<std::string>() + " — " + p["recipient"].get<std::string>());
    EXPECT_TRUE(p["by_decision"].get<bool>()) << p.dump();
  }
  EXPECT_EQ(collective, (std::vector<std::string>{"Giải Nhất — " + std::string(kKeSach),
                                                  "Giải Nhì — " + std::string(kNoiVu)}));
  for (const auto& b : after["blockers"])
    EXPECT_EQ(b.get<std::string>().rfind("Đồng hạng", 0), std::string::npos) << b;
  const auto audit = btc.http->Get("/api/v1/audit?action=results.tie_decide");
  ASSERT_TRUE(IsAnswer(audit, 200));
  const auto entries = audit.Json()["items"];
  ASSERT_EQ(entries.size(), 1u) << audit.body;
  EXPECT_EQ(entries[0]["after"]["reason"], reason);
  EXPECT_EQ(entries[0]["after"]["order"], (json{kesach, noivu}));
  EXPECT_EQ(ids.size(), 2u);

  SetHeadcount("so-noi-vu", 4);
  const json back = {{"weight_participation", 30}, {"weight_quiz", 30}, {"weight_video", 40}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", back.dump()), 200));
}

TEST_F(ResultsApi, UntilJudgingIsLockedTheDraftSaysSo) {
  auto draft = Draft();
  if (!draft["judging_locked"].get<bool>()) {
    EXPECT_TRUE(WaitsForLock(draft));
    auto btc = Btc();
    ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/judging/lock", "{}"), 200));
    draft = Draft();
  }
  EXPECT_TRUE(draft["judging_locked"].get<bool>());
  EXPECT_FALSE(WaitsForLock(draft)) << draft["blockers"].dump();
}

// A contest that drops its video part (no weight, no video prize) publishes without waiting for a
// judging lock that has nothing to lock; while videos count for either, the lock is awaited.
TEST_F(ResultsApi, WhenVideosCountForNothingJudgingNeedNotBeLocked) {
  auto btc = Btc();
  auto admin = SignIn(*server_, "admin");  // install-wide: edits the prize table
  const bool was_locked = Draft()["judging_locked"].get<bool>();
  const std::string unlock_reason = json{{"reason", "Kiểm thử phần thi không có video."}}.dump();
  if (was_locked) {
    ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/judging/unlock", unlock_reason), 200));
  }
  const auto rules_before = btc.http->Get("/api/v1/results/rules").Json();
  const auto contests = admin.http->Get("/api/v1/contests").Json();
  ASSERT_FALSE(contests["items"].empty());
  const auto contest_url =
      "/api/v1/contests/" + std::to_string(contests["items"][0]["id"].get<std::int64_t>());
  const auto prizes_before = admin.http->Get(contest_url).Json()["prizes"];
  json without_video = json::array();
  bool had_video = false;
  for (const auto& p : prizes_before) {
    if (p["category"] == "video") {
      had_video = true;
      continue;
    }
    without_video.push_back(p);
  }
  ASSERT_TRUE(had_video) << "the demo gives video prizes";

  // No weight on videos, but video prizes to give: judging still has to be locked.
  const json no_video_weight = {
      {"weight_participation", 50}, {"weight_quiz", 50}, {"weight_video", 0}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", no_video_weight.dump()), 200));
  EXPECT_TRUE(WaitsForLock(Draft()));
  // Nor any video prize: nothing waits for judging.
  ASSERT_TRUE(IsAnswer(admin.http->Put(contest_url, json{{"prizes", without_video}}.dump()), 200));
  EXPECT_FALSE(WaitsForLock(Draft())) << Draft()["blockers"].dump();
  // With a weight again, it waits.
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", rules_before.dump()), 200));
  EXPECT_TRUE(WaitsForLock(Draft()));

  // Put back what this test changed.
  ASSERT_TRUE(IsAnswer(admin.http->Put(contest_url, json{{"prizes", prizes_before}}.dump()), 200));
  if (was_locked) {
    ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/judging/lock", "{}"), 200));
  }
}

TEST_F(ResultsApi, PublishedResultsAreFrozenCarryTheDigestOfTheirFileAndRepublishKeepsTheOld) {
  auto btc = Btc();
  HttpClient anonymous(server_->base_url());
  const auto published = [&] {
    const auto r = anonymous.Get("/api/v1/results");
    EXPECT_TRUE(IsAnswer(r, 200));
    return r.Json();
  };
  EXPECT_TRUE(published()["published"].is_null());
  EXPECT_FALSE(published()["results_due_at"].is_null()) << "the demo sets a results date";

  // Nothing is published while something stands in the way (here: judging not locked yet, and
  // 44 units without a headcount while participation counts).
  if (!Draft()["judging_locked"].get<bool>()) {
    const auto blocked = btc.http->Post("/api/v1/results/review", "");
    EXPECT_EQ(blocked.status, 409) << blocked.body;
    EXPECT_EQ(ErrorOf(blocked).value("code", ""), "results_blocked");
    ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/judging/lock", "{}"), 200));
  }
  const json no_participation = {
      {"weight_participation", 0}, {"weight_quiz", 50}, {"weight_video", 50}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", no_participation.dump()), 200));
  ASSERT_TRUE(Draft()["blockers"].empty()) << Draft()["blockers"].dump();

  const auto early = btc.http->Post("/api/v1/results/publish", "{}");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(ErrorOf(early).value("code", ""), "not_reviewed");
  auto secretary = SignIn(*server_, "thuky");
  const auto review = secretary.http->Post("/api/v1/results/review", "");
  ASSERT_TRUE(IsAnswer(review, 200));
  const auto v1 = review.Json();
  EXPECT_EQ(v1["version"], 1);
  EXPECT_EQ(v1["state"], "reviewed");
  // A review is not public, nor its file.
  EXPECT_TRUE(published()["published"].is_null());
  EXPECT_EQ(anonymous.Get("/api/v1/results/export/1").status, 404);
  EXPECT_EQ(secretary.http->Post("/api/v1/results/publish", "{}").status, 403);

  // A change after the review is refused at publication; undone, the draft is the reviewed one.
  const json other = {{"weight_participation", 0}, {"weight_quiz", 60}, {"weight_video", 40}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", other.dump()), 200));
  const auto changed = btc.http->Post("/api/v1/results/publish", "{}");
  EXPECT_EQ(changed.status, 409);
  EXPECT_EQ(ErrorOf(changed).value("code", ""), "draft_changed");
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", no_participation.dump()), 200));
  const auto publish = btc.http->Post("/api/v1/results/publish", "{}");
  ASSERT_TRUE(IsAnswer(publish, 200));
  EXPECT_EQ(publish.Json()["state"], "published");

  // The public sees it, with the digest of the file it downloads, checked offline by the CLI.
  const auto first = published();
  ASSERT_FALSE(first["published"].is_null());
  const auto digest = first["published"]["digest"].get<std::string>();
  EXPECT_EQ(digest, v1["digest"]);
  EXPECT_EQ(digest.size(), 64u);
  const auto file = anonymous.Get("/api/v1/results/export/1");
  ASSERT_TRUE(IsAnswer(file, 200));
  EXPECT_NE(file.body.find(kKeSach), std::string::npos);
  EXPECT_NE(file.body.find("10000000"), std::string::npos) << "the first prize's amount";
  const auto path = (dir_->path() / "ket-qua.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << file.body;
  }
  auto check = RunHoithi({"results", "verify", path, "--digest", digest});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("Khớp"), std::string::npos) << check.out;
  {
    std::ofstream out(path, std::ios::binary);
    out << file.body << "Giải thêm,1,Người lạ,,,,,,,1000000\r\n";
  }
  check = RunHoithi({"results", "verify", path, "--digest", digest});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("Không khớp"), std::string::npos) << check.out;
  // The PAR sheet read back, the announcement and a certificate read with pdftotext.
  const auto par = anonymous.Get("/api/v1/results/export/1/units");
  ASSERT_TRUE(IsAnswer(par, 200));
  const auto table = spreadsheet::ReadTable(par.body);
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_GE(table->size(), 3u);
  EXPECT_EQ((*table)[0].cells[2], "Đơn vị");
  const auto& first_row = (*table)[1].cells;
  EXPECT_EQ(first_row[0], "1");
  EXPECT_EQ(first_row[2], kKeSach);
  EXPECT_EQ(first_row[3], "2");   // participants
  EXPECT_EQ(first_row[4], "2");   // headcount
  EXPECT_EQ(first_row[8], "85");  // 0,5 × 90 + 0,5 × 80
  EXPECT_EQ(first_row[9], "Giải Nhất");
  EXPECT_NE(first_row[10].find("Giải cá nhân"), std::string::npos) << first_row[10];
  EXPECT_NE(first_row[11].find("Dịch vụ công trực tuyến mức độ 4"), std::string::npos);
  const auto par_csv = anonymous.Get("/api/v1/results/export/1/units?format=csv");
  ASSERT_TRUE(IsAnswer(par_csv, 200));
  EXPECT_NE(par_csv.body.find(kNoiVu), std::string::npos);
  // Each PDF is also left in test-output/ (not committed), for a reviewer to look at.
  const auto pdf_text = [&](const std::string& url, const std::string& name) {
    const auto r = anonymous.Get(url);
    EXPECT_TRUE(IsAnswer(r, 200)) << url;
    EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u) << url;
    const auto kept = std::filesystem::path(HOITHI_SOURCE_DIR) / "test-output";
    std::filesystem::create_directories(kept);
    std::ofstream(kept / name, std::ios::binary) << r.body;
    return PdfText(r.body, dir_->path() / name);
  };
  const auto announcement =
      pdf_text("/api/v1/results/export/1/announcement", "results-announcement.pdf");
  for (const auto& want : std::vector<std::string>{
           "UBND TỈNH SÓC TRĂNG", "THÔNG BÁO", "Giải tập thể", kKeSach, "10.000.000",
           "Tổng số tiền thưởng", "Xếp hạng đơn vị", "TRƯỞNG BAN", digest.substr(0, 32)}) {
    EXPECT_NE(announcement.find(want), std::string::npos) << want << " not in:\n" << announcement;
  }
  const auto certificate =
      pdf_text("/api/v1/results/export/1/certificates?n=1", "results-certificate-1.pdf");
  for (const std::string want : {"GIẤY CHỨNG NHẬN", "Chứng nhận tập thể:", kKeSach, "Giải Nhất"}) {
    EXPECT_NE(certificate.find(want), std::string::npos) << want << " not in:\n" << certificate;
  }
  // The file of every certificate is the background job's: until the job wrote it the answer
  // is 409 certificates_pending with the progress, and the page gives the progress, not a link.
  const auto all_url = std::string("/api/v1/results/export/1/certificates");
  bool saw_pending = false;
  ASSERT_TRUE(Eventually(
      [&] {
        const auto r = anonymous.Get(all_url);
        if (r.status == 200) return true;
        EXPECT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(ErrorOf(r).value("code", ""), "certificates_pending") << r.body;
        EXPECT_NE(ErrorOf(r).value("message", "").find(" trang)"), std::string::npos) << r.body;
        if (!saw_pending) {
          saw_pending = true;
          const auto waiting = anonymous.Get("/ket-qua");
          EXPECT_EQ(waiting.body.find("href=\"" + all_url + "\""), std::string::npos);
        }
        return false;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50)))
      << "the certificates job never finished";
  const auto all_text = pdf_text(all_url, "results-certificates.pdf");
  const auto job = published()["certificates"];
  EXPECT_EQ(job.value("state", ""), "ready") << job;
  EXPECT_EQ(job.value("done", 0), job.value("total", -1)) << job;
  EXPECT_NE(all_text.find("Chứng nhận Ông (Bà):"), std::string::npos) << all_text;
  const auto pdf = (dir_->path() / "results-certificates.pdf").string();
  const auto prizes = first["published"]["results"]["prizes"].size();
  const auto info = RunCommand("pdfinfo '" + pdf + "'");
  const auto pages_at = info.find("Pages:");
  ASSERT_NE(pages_at, std::string::npos) << info;
  EXPECT_EQ(std::stoul(info.substr(pages_at + 6)), prizes) << "one page per prize: " << info;
  EXPECT_EQ(anonymous.Get("/api/v1/results/export/1/certificates?n=99").status, 404);

  // The public page is shared by anonymous readers for server.public_cache_ms: the link shows
  // within that once the job is done.
  HttpResponse page;
  EXPECT_TRUE(Eventually([&] {
    page = anonymous.Get("/ket-qua");
    return page.body.find("href=\"" + all_url + "\"") != std::string::npos;
  })) << "the certificates' link once the job is done";
  ASSERT_TRUE(IsAnswer(page, 200));
  EXPECT_NE(page.body.find(digest), std::string::npos);
  EXPECT_NE(page.body.find("10.000.000 đồng"), std::string::npos);

  // Later edits change the draft, never what was published.
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", other.dump()), 200));
  EXPECT_EQ(published()["published"], first["published"]);

  // Republishing needs a reason and keeps the first publication, superseded.
  ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/results/review", ""), 200));
  const auto bare = btc.http->Post("/api/v1/results/publish", "{}");
  EXPECT_EQ(bare.status, 422) << bare.body;
  EXPECT_EQ(ErrorOf(bare).value("field", ""), "reason");
  EXPECT_EQ(published()["published"], first["published"]) << "a refused republish changes nothing";
  const std::string reason = "Sửa trọng số theo Quyết định số 15/QĐ-BTC.";
  ASSERT_TRUE(
      IsAnswer(btc.http->Post("/api/v1/results/publish", json{{"reason", reason}}.dump()), 200));
  const auto second = published();
  EXPECT_EQ(second["published"]["version"], 2);
  EXPECT_EQ(second["published"]["reason"], reason);
  EXPECT_NE(second["published"]["digest"], digest);
  ASSERT_EQ(second["superseded"].size(), 1u);
  EXPECT_EQ(second["superseded"][0]["version"], 1);
  EXPECT_EQ(second["superseded"][0]["digest"], digest);
  EXPECT_EQ(anonymous.Get("/api/v1/results/export/1").body, file.body);
  const auto audit = btc.http->Get("/api/v1/audit?action=results.republish");
  ASSERT_TRUE(IsAnswer(audit, 200));
  ASSERT_EQ(audit.Json()["items"].size(), 1u) << audit.body;
  EXPECT_EQ(audit.Json()["items"][0]["after"]["reason"], reason);

  const json back = {{"weight_participation", 30}, {"weight_quiz", 30}, {"weight_video", 40}};
  ASSERT_TRUE(IsAnswer(btc.http->Put("/api/v1/results/rules", back.dump()), 200));
}

TEST_F(ResultsApi, OnlyTheOrganisersAndTheSecretaryReadTheDraft) {
  auto secretary = SignIn(*server_, "thuky");
  EXPECT_EQ(secretary.http->Get("/api/v1/results/draft").status, 200);
  EXPECT_EQ(secretary.http->Get("/api/v1/results/rules").status, 200);
  EXPECT_EQ(secretary.http->Put("/api/v1/results/rules", "{}").status, 403);
  for (const auto* login : {"giamkhao", "daumoi.kesach"}) {
    auto who = SignIn(*server_, login);
    EXPECT_EQ(who.http->Get("/api/v1/results/draft").status, 403) << login;
    EXPECT_EQ(who.http->Put("/api/v1/results/rules", "{}").status, 403) << login;
  }
  auto participant = NewParticipant(*server_);
  EXPECT_EQ(participant.http->Get("/api/v1/results/draft").status, 403);
  HttpClient anonymous(server_->base_url());
  EXPECT_EQ(anonymous.Get("/api/v1/results/draft").status, 401);
}

}  // namespace
}  // namespace hoithi::testing
