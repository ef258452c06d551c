// The authorization matrix: every route of the running server (GET /api/v1/routes) called by
// every kind of caller, each cell's status asserted against the real server; and the route
// table in docs/security.md checked against the same list, so the documentation cannot drift.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/video_client.hpp"

namespace hoithi::testing {
namespace {

// Callers, in the order of every row's expectations.
enum Caller { kAnonymous, kParticipant, kFocalOwn, kFocalOther, kJudge, kSecretary, kAdmin };
constexpr std::array<const char*, 7> kCallerNames = {
    "anonymous", "participant", "focal point (own unit)", "focal point (other unit)", "judge",
    "secretary", "admin"};
constexpr std::array<const char*, 7> kLogins = {
    "", "0912345678", "daumoi.kesach", "daumoi.snv", "giamkhao", "thuky", "btc"};
constexpr const char* kPassword = "hoithi-demo-2021";

struct Cell {
  std::string method;
  std::string path;  // the route pattern, as listed by /api/v1/routes
  std::string url;   // with its parameters filled in
  std::string content_type;
  std::string body;
  std::array<int, 7> expected;
  bool fresh_session = false;  // the request ends the session it uses (logout)
};

class AuthorizationMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    server_->SeedDemo();
    server_->Start();
    HttpClient admin(server_->base_url());
    admin.set_bearer(Login("btc"));
    // A focal point of another unit, and a participant of the focal point's unit to reset.
    auto r = admin.Post("/api/v1/users", R"({"login":"daumoi.snv","full_name":"Đầu Mối Nội Vụ",
      "role":"focal_point","unit_code":"so-noi-vu","password":"hoithi-demo-2021"})");
    ASSERT_EQ(r.status, 201) << r.body;
    r = admin.Post("/api/v1/users", R"({"login":"0977000001","full_name":"Người Thử Nghiệm",
      "role":"participant","unit_code":"ubnd-huyen-ke-sach"})");
    ASSERT_EQ(r.status, 201) << r.body;
    target_user_ = std::to_string(r.Json()["id"].get<long>());
    r = admin.Get("/api/v1/users?role=judge");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_FALSE(r.Json()["items"].empty()) << "the demo's judge";
    judge_ = std::to_string(r.Json()["items"][0]["id"].get<long>());
    // Two draft roster imports of the focal point, each with one rejected row.
    HttpClient focal(server_->base_url());
    focal.set_bearer(Login("daumoi.kesach"));
    for (auto* job : {&api_job_, &page_job_}) {
      r = focal.Post("/api/v1/units/ubnd-huyen-ke-sach/rosters",
                     "Họ tên,Số điện thoại\nLê Một,0901000001\n,0901000002\n", "text/csv");
      ASSERT_EQ(r.status, 201) << r.body;
      *job = std::to_string(r.Json()["job_id"].get<long>());
    }
    for (size_t i = 1; i < kLogins.size(); ++i)
      tokens_[i] = Login(kLogins[i]);
    // The participant's attempt (the demo contest is open now); a question of the demo bank.
    HttpClient participant(server_->base_url());
    participant.set_bearer(tokens_[kParticipant]);
    r = participant.Post("/api/v1/attempts", "");
    ASSERT_EQ(r.status, 201) << r.body;
    attempt_ = std::to_string(r.Json()["attempt_id"].get<long>());
    r = admin.Get("/api/v1/questions?limit=1");
    ASSERT_EQ(r.status, 200) << r.body;
    question_ = std::to_string(r.Json()["items"][0]["id"].get<long>());
    r = admin.Get("/api/v1/contests");
    ASSERT_EQ(r.status, 200) << r.body;
    contest_ = std::to_string(r.Json()["items"][0]["id"].get<long>());
    // The focal point's video, uploaded and processed (its poster, web copy and original
    // exist), and a second entry to withdraw.
    TempDir dir;
    const auto clip = MakeClip(dir.path() / "clip.mp4");
    ASSERT_FALSE(clip.empty());
    const auto entry = NewEntry(focal, EntryBody(NewTitle()));
    ASSERT_TRUE(entry.contains("id"));
    const auto upload = UploadWhole(focal, IdOf(entry), clip);
    ASSERT_FALSE(upload.empty());
    upload_ = upload.substr(upload.rfind('/') + 1);
    ASSERT_EQ(WaitForStatus(focal, IdOf(entry), {"ready", "rejected"}).value("status", ""),
              "ready");
    video_ = std::to_string(IdOf(entry));
    withdrawn_video_ = std::to_string(IdOf(NewEntry(focal, EntryBody(NewTitle()))));
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(SIGTERM), 0);
    delete server_;
  }

  static std::string Login(const std::string& login) {
    HttpClient c(server_->base_url());
    auto r = c.Post("/api/v1/auth/login",
                    R"({"login":")" + login + R"(","password":")" + kPassword + R"("})");
    EXPECT_EQ(r.status, 200) << login << ": " << r.body;
    return r.Json().value("token", "");
  }

  static std::vector<Cell> Table() {
    const std::string unit = "ubnd-huyen-ke-sach";
    const std::string id = target_user_;
    const std::string attempt = attempt_, question = question_, contest = contest_;
    const std::string video = video_, judge = judge_;
    constexpr int A = 401, F = 403, R = 303, N = 404;
    auto all = [](int s) { return std::array<int, 7>{s, s, s, s, s, s, s}; };
    auto signed_in = [](int s) { return std::array<int, 7>{401, s, s, s, s, s, s}; };
    auto pages_signed_in = [](int s) { return std::array<int, 7>{303, s, s, s, s, s, s}; };
    auto participant = [](int s) { return std::array<int, 7>{401, s, 403, 403, 403, 403, 403}; };
    auto participant_page = [](int s) {
      return std::array<int, 7>{303, s, 403, 403, 403, 403, 403};
    };
    auto bank = [](int s) { return std::array<int, 7>{401, 403, 403, 403, 403, s, s}; };
    auto bank_page = [](int s) { return std::array<int, 7>{303, 403, 403, 403, 403, s, s}; };
    auto admin_only = [](int s) { return std::array<int, 7>{401, 403, 403, 403, 403, 403, s}; };
    auto admin_page = [](int s) { return std::array<int, 7>{303, 403, 403, 403, 403, 403, s}; };
    // {anonymous, participant, focal own, focal other, judge, secretary, admin}
    return {
        {"GET", "/healthz", "/healthz", "", "", all(200)},
        {"GET", "/metrics", "/metrics", "", "", all(200)},
        {"GET", "/api/v1/contest", "/api/v1/contest", "", "", all(200)},
        {"POST", "/api/v1/auth/login", "/api/v1/auth/login", "application/json", "{}", all(422)},
        {"POST", "/api/v1/auth/logout", "/api/v1/auth/logout", "application/json", "",
         signed_in(204), true},
        {"GET", "/api/v1/auth/session", "/api/v1/auth/session", "", "", signed_in(200)},
        {"POST", "/api/v1/auth/password", "/api/v1/auth/password", "application/json", "{}",
         signed_in(422)},
        {"POST", "/api/v1/participants", "/api/v1/participants", "application/json", "{}",
         all(422)},
        {"GET", "/api/v1/units", "/api/v1/units", "", "", all(200)},
        {"GET", "/api/v1/users", "/api/v1/users", "", "", {A, F, F, F, F, F, 200}},
        {"POST",
         "/api/v1/users",
         "/api/v1/users",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"GET", "/api/v1/users/{id}", "/api/v1/users/" + id, "", "", {A, F, F, F, F, F, 200}},
        {"PATCH",
         "/api/v1/users/{id}",
         "/api/v1/users/" + id,
         "application/json",
         "{}",
         {A, F, F, F, F, F, 200}},
        {"POST",
         "/api/v1/users/{id}/password-reset",
         "/api/v1/users/" + id + "/password-reset",
         "application/json",
         "",
         {A, F, F, F, F, F, 200}},
        {"GET", "/api/v1/audit", "/api/v1/audit", "", "", {A, F, F, F, F, F, 200}},
        {"GET",
         "/api/v1/contest/settings",
         "/api/v1/contest/settings",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"PUT",
         "/api/v1/contest/settings/registration",
         "/api/v1/contest/settings/registration",
         "application/json",
         R"({"fields":[]})",
         {A, F, F, F, F, F, 200}},
        {"POST",
         "/api/v1/units",
         "/api/v1/units",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"GET", "/api/v1/units/export", "/api/v1/units/export", "", "", {A, F, F, F, F, 200, 200}},
        {"POST",
         "/api/v1/units/import",
         "/api/v1/units/import",
         "text/csv",
         "",
         {A, F, F, F, F, F, 400}},
        {"GET",
         "/api/v1/units/{unit}",
         "/api/v1/units/" + unit,
         "",
         "",
         {A, F, 200, F, F, 200, 200}},
        {"PUT",
         "/api/v1/units/{unit}",
         "/api/v1/units/" + unit,
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"DELETE",
         "/api/v1/units/{unit}",
         "/api/v1/units/" + unit,
         "",
         "",
         {A, F, F, F, F, F, 409}},
        {"GET",
         "/api/v1/units/{unit}/members",
         "/api/v1/units/" + unit + "/members",
         "",
         "",
         {A, F, 200, F, F, 200, 200}},
        {"POST",
         "/api/v1/units/{unit}/members/{id}/password-reset",
         "/api/v1/units/" + unit + "/members/" + id + "/password-reset",
         "application/json",
         "",
         {A, F, 200, F, F, F, 200}},
        {"POST",
         "/api/v1/units/{unit}/rosters",
         "/api/v1/units/" + unit + "/rosters",
         "text/csv",
         "",
         {A, F, 400, F, F, F, 400}},
        {"GET", "/api/v1/jobs/{id}", "/api/v1/jobs/" + api_job_, "", "", {A, N, 200, N, N, N, 200}},
        {"POST",
         "/api/v1/jobs/{id}/start",
         "/api/v1/jobs/" + api_job_ + "/start",
         "application/json",
         "{}",
         {A, N, 422, N, N, N, 422}},
        {"POST",
         "/api/v1/jobs/{id}/passwords",
         "/api/v1/jobs/" + api_job_ + "/passwords",
         "application/json",
         "",
         {A, N, 409, N, N, N, 409}},
        {"DELETE",
         "/api/v1/jobs/{id}/passwords",
         "/api/v1/jobs/" + api_job_ + "/passwords",
         "",
         "",
         {A, N, 204, N, N, N, 204}},
        {"DELETE",
         "/api/v1/jobs/{id}",
         "/api/v1/jobs/" + api_job_,
         "",
         "",
         {A, N, 204, N, N, N, 409}},
        // The quiz. The attempt rows run in this order: answers saved, submitted, then a second
        // attempt refused (the demo allows one).
        {"GET", "/api/v1/contest/rounds", "/api/v1/contest/rounds", "", "", all(200)},
        {"PUT", "/api/v1/contest/rounds", "/api/v1/contest/rounds", "application/json", "{}",
         admin_only(400)},
        {"GET", "/api/v1/contest/quiz-rules", "/api/v1/contest/quiz-rules", "", "", bank(200)},
        {"PUT", "/api/v1/contest/quiz-rules", "/api/v1/contest/quiz-rules", "application/json",
         R"({"time_limit_s":0})", admin_only(422)},
        {"POST", "/api/v1/users/{id}/grants", "/api/v1/users/" + id + "/grants", "application/json",
         "{}", admin_only(422)},
        {"GET", "/api/v1/questions", "/api/v1/questions", "", "", bank(200)},
        {"POST", "/api/v1/questions", "/api/v1/questions", "application/json", "{}", bank(422)},
        {"GET", "/api/v1/questions/export", "/api/v1/questions/export", "", "", bank(200)},
        {"POST", "/api/v1/questions/import", "/api/v1/questions/import", "text/csv", "", bank(400)},
        {"GET", "/api/v1/questions/analysis", "/api/v1/questions/analysis", "", "", bank(200)},
        {"PUT", "/api/v1/questions/{id}", "/api/v1/questions/" + question, "application/json", "{}",
         bank(422)},
        {"PATCH", "/api/v1/questions/{id}", "/api/v1/questions/" + question, "application/json",
         "{}", bank(400)},
        {"GET", "/api/v1/attempts", "/api/v1/attempts", "", "", participant(200)},
        {"GET", "/api/v1/attempts/{id}", "/api/v1/attempts/" + attempt, "", "", participant(200)},
        {"PUT", "/api/v1/attempts/{id}/answers", "/api/v1/attempts/" + attempt + "/answers",
         "application/json", R"({"answers":[]})", participant(204)},
        {"POST", "/api/v1/attempts/{id}/submit", "/api/v1/attempts/" + attempt + "/submit",
         "application/json", "", participant(200)},
        {"POST", "/api/v1/attempts", "/api/v1/attempts", "application/json", "", participant(F)},
        // Videos. The focal point's entry is ready; the last row withdraws another one. The
        // tus rows send no Tus-Resumable, which every caller the route lets in is told (412).
        {"GET", "/api/v1/videos/units", "/api/v1/videos/units", "", "", {A, F, F, F, F, 200, 200}},
        {"GET", "/api/v1/videos", "/api/v1/videos", "", "", {A, F, 200, 200, F, 200, 200}},
        {"POST",
         "/api/v1/videos",
         "/api/v1/videos",
         "application/json",
         "{}",
         {A, F, 422, 422, F, F, 422}},
        {"GET",
         "/api/v1/videos/{id}",
         "/api/v1/videos/" + video,
         "",
         "",
         {A, F, 200, N, F, 200, 200}},
        {"PATCH",
         "/api/v1/videos/{id}",
         "/api/v1/videos/" + video,
         "application/json",
         "{}",
         {A, F, 200, N, F, F, 200}},
        {"GET",
         "/api/v1/videos/{id}/poster",
         "/api/v1/videos/" + video + "/poster",
         "",
         "",
         {A, F, 200, N, F, 200, 200}},
        {"GET",
         "/api/v1/videos/{id}/video",
         "/api/v1/videos/" + video + "/video",
         "",
         "",
         {A, F, 200, N, F, 200, 200}},
        {"GET",
         "/api/v1/videos/{id}/original",
         "/api/v1/videos/" + video + "/original",
         "",
         "",
         {A, F, F, F, F, F, 200}},
        // Judging: the judge scores the focal point's video (the demo's rubric, every judge
        // scores every video); the lock is refused while sheets are missing.
        {"GET",
         "/api/v1/judging/rules",
         "/api/v1/judging/rules",
         "",
         "",
         {A, F, F, F, 200, 200, 200}},
        {"PUT",
         "/api/v1/judging/rules",
         "/api/v1/judging/rules",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"GET", "/api/v1/judging/queue", "/api/v1/judging/queue", "", "", {A, F, F, F, 200, F, F}},
        {"GET",
         "/api/v1/judging/videos/{id}",
         "/api/v1/judging/videos/" + video,
         "",
         "",
         {A, F, F, F, 200, F, F}},
        {"PUT",
         "/api/v1/judging/videos/{id}/sheet",
         "/api/v1/judging/videos/" + video + "/sheet",
         "application/json",
         "{}",
         {A, F, F, F, 200, F, F}},
        {"POST",
         "/api/v1/judging/videos/{id}/abstain",
         "/api/v1/judging/videos/" + video + "/abstain",
         "application/json",
         "{}",
         {A, F, F, F, 422, F, F}},
        {"GET",
         "/api/v1/judging/videos/{id}/poster",
         "/api/v1/judging/videos/" + video + "/poster",
         "",
         "",
         {A, F, F, F, 200, F, F}},
        {"GET",
         "/api/v1/judging/videos/{id}/video",
         "/api/v1/judging/videos/" + video + "/video",
         "",
         "",
         {A, F, F, F, 200, F, F}},
        {"GET",
         "/api/v1/judging/videos/{id}/original",
         "/api/v1/judging/videos/" + video + "/original",
         "",
         "",
         {A, F, F, F, 200, F, F}},
        {"GET",
         "/api/v1/judging/progress",
         "/api/v1/judging/progress",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"PUT",
         "/api/v1/judging/assignments",
         "/api/v1/judging/assignments",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/api/v1/judging/lock",
         "/api/v1/judging/lock",
         "application/json",
         "",
         {A, F, F, F, F, F, 409}},
        {"POST",
         "/api/v1/judging/unlock",
         "/api/v1/judging/unlock",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        {"GET",
         "/api/v1/judging/scores",
         "/api/v1/judging/scores",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"GET",
         "/api/v1/judging/export/summary",
         "/api/v1/judging/export/summary",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"GET",
         "/api/v1/judging/export/judges/{id}",
         "/api/v1/judging/export/judges/" + judge,
         "",
         "",
         {A, F, F, F, 200, 200, 200}},
        // Results: the draft and the weights (the defaults sent back unchanged).
        {"GET",
         "/api/v1/results/rules",
         "/api/v1/results/rules",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"PUT",
         "/api/v1/results/rules",
         "/api/v1/results/rules",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 200}},
        {"GET",
         "/api/v1/results/draft",
         "/api/v1/results/draft",
         "",
         "",
         {A, F, F, F, F, 200, 200}},
        {"POST",
         "/api/v1/results/ties",
         "/api/v1/results/ties",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 422}},
        // The demo's units have no headcount: nothing can be reviewed, hence nothing published.
        {"POST",
         "/api/v1/results/review",
         "/api/v1/results/review",
         "application/json",
         "",
         {A, F, F, F, F, 409, 409}},
        {"POST",
         "/api/v1/results/publish",
         "/api/v1/results/publish",
         "application/json",
         "{}",
         {A, F, F, F, F, F, 409}},
        {"GET", "/api/v1/results", "/api/v1/results", "", "", all(200)},
        {"GET", "/api/v1/results/export/{version}", "/api/v1/results/export/1", "", "", all(N)},
        {"GET", "/api/v1/results/export/{version}/units", "/api/v1/results/export/1/units", "", "",
         all(N)},
        {"GET", "/api/v1/results/export/{version}/announcement",
         "/api/v1/results/export/1/announcement", "", "", all(N)},
        {"GET", "/api/v1/results/export/{version}/certificates",
         "/api/v1/results/export/1/certificates", "", "", all(N)},
        // Into the public gallery, its public pages, and out again.
        {"POST",
         "/api/v1/videos/{id}/approval",
         "/api/v1/videos/" + video + "/approval",
         "",
         "",
         {A, F, F, F, F, F, 200}},
        {"GET", "/video", "/video", "", "", all(200)},
        {"GET", "/video/{id}", "/video/" + video, "", "", all(200)},
        {"GET", "/video/{id}/nhung", "/video/" + video + "/nhung", "", "", all(200)},
        {"GET", "/video/{id}/anh", "/video/" + video + "/anh", "", "", all(200)},
        {"GET", "/video/{id}/phat", "/video/" + video + "/phat", "", "", all(200)},
        {"DELETE",
         "/api/v1/videos/{id}/approval",
         "/api/v1/videos/" + video + "/approval",
         "",
         "",
         {A, F, F, F, F, F, 200}},
        {"POST",
         "/api/v1/videos/{id}/withdraw",
         "/api/v1/videos/" + withdrawn_video_ + "/withdraw",
         "application/json",
         "",
         {A, F, 200, N, F, F, 409}},
        {"OPTIONS", "/api/v1/uploads", "/api/v1/uploads", "", "", all(204)},
        {"POST", "/api/v1/uploads", "/api/v1/uploads", "", "", {A, F, 412, 412, F, F, 412}},
        {"GET",
         "/api/v1/uploads/{id}",
         "/api/v1/uploads/" + upload_,
         "",
         "",
         {A, F, 412, 412, F, F, 412}},
        {"PATCH",
         "/api/v1/uploads/{id}",
         "/api/v1/uploads/" + upload_,
         "application/offset+octet-stream",
         "",
         {A, F, 412, 412, F, F, 412}},
        {"DELETE",
         "/api/v1/uploads/{id}",
         "/api/v1/uploads/" + upload_,
         "",
         "",
         {A, F, 412, 412, F, F, 412}},
        {"GET", "/api/v1/leaderboard", "/api/v1/leaderboard", "", "", all(200)},
        {"GET", "/api/v1/stats/units", "/api/v1/stats/units", "", "", all(200)},
        {"GET", "/api/v1/routes", "/api/v1/routes", "", "", {A, F, F, F, F, F, 200}},
        // Pages. Signed-in callers here use Bearer tokens, which need no CSRF token; anonymous
        // form posts without one are refused (403).
        {"GET", "/", "/", "", "", all(200)},
        {"GET", "/dang-nhap", "/dang-nhap", "", "", {200, R, R, R, R, R, R}},
        {"POST",
         "/dang-nhap",
         "/dang-nhap",
         "application/x-www-form-urlencoded",
         "",
         {F, 422, 422, 422, 422, 422, 422}},
        {"POST", "/dang-xuat", "/dang-xuat", "application/x-www-form-urlencoded", "", signed_in(R),
         true},
        {"GET", "/dang-ky", "/dang-ky", "", "", {200, R, R, R, R, R, R}},
        {"POST",
         "/dang-ky",
         "/dang-ky",
         "application/x-www-form-urlencoded",
         "",
         {F, 422, 422, 422, 422, 422, 422}},
        {"GET", "/ho-so", "/ho-so", "", "", pages_signed_in(200)},
        {"GET", "/doi-mat-khau", "/doi-mat-khau", "", "", pages_signed_in(200)},
        {"POST", "/doi-mat-khau", "/doi-mat-khau", "application/x-www-form-urlencoded", "",
         signed_in(422)},
        {"GET", "/quan-tri", "/quan-tri", "", "", {R, F, F, F, F, 200, 200}},
        {"GET", "/quan-tri/tai-khoan", "/quan-tri/tai-khoan", "", "", {R, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/tai-khoan",
         "/quan-tri/tai-khoan",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"GET",
         "/quan-tri/tai-khoan/{id}",
         "/quan-tri/tai-khoan/" + id,
         "",
         "",
         {R, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/tai-khoan/{id}",
         "/quan-tri/tai-khoan/" + id,
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/tai-khoan/{id}/cap-lai-mat-khau",
         "/quan-tri/tai-khoan/" + id + "/cap-lai-mat-khau",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 200}},
        {"GET", "/quan-tri/don-vi", "/quan-tri/don-vi", "", "", {R, F, F, F, F, 200, 200}},
        {"POST",
         "/quan-tri/don-vi",
         "/quan-tri/don-vi",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/don-vi/nhap",
         "/quan-tri/don-vi/nhap",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 400}},
        {"GET",
         "/quan-tri/don-vi/{unit}",
         "/quan-tri/don-vi/" + unit,
         "",
         "",
         {R, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/don-vi/{unit}",
         "/quan-tri/don-vi/" + unit,
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/don-vi/{unit}/xoa",
         "/quan-tri/don-vi/" + unit + "/xoa",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 409}},
        {"GET", "/quan-tri/nhat-ky", "/quan-tri/nhat-ky", "", "", {R, F, F, F, F, F, 200}},
        {"GET", "/quan-tri/cai-dat", "/quan-tri/cai-dat", "", "", {R, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/cai-dat/truong",
         "/quan-tri/cai-dat/truong",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/cai-dat/truong/{key}/xoa",
         "/quan-tri/cai-dat/truong/khong-co/xoa",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, R}},
        {"GET", "/don-vi/{unit}", "/don-vi/" + unit, "", "", {R, F, 200, F, F, 200, 200}},
        {"POST",
         "/don-vi/{unit}/thanh-vien/{id}/cap-lai-mat-khau",
         "/don-vi/" + unit + "/thanh-vien/" + id + "/cap-lai-mat-khau",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 200, F, F, F, 200}},
        {"GET",
         "/don-vi/{unit}/nhap-danh-sach",
         "/don-vi/" + unit + "/nhap-danh-sach",
         "",
         "",
         {R, F, 200, F, F, F, 200}},
        {"POST",
         "/don-vi/{unit}/nhap-danh-sach",
         "/don-vi/" + unit + "/nhap-danh-sach",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 400, F, F, F, 400}},
        {"GET",
         "/don-vi/{unit}/nhap-danh-sach/{id}",
         "/don-vi/" + unit + "/nhap-danh-sach/" + page_job_,
         "",
         "",
         {R, F, 200, F, F, F, 200}},
        {"POST",
         "/don-vi/{unit}/nhap-danh-sach/{id}/bat-dau",
         "/don-vi/" + unit + "/nhap-danh-sach/" + page_job_ + "/bat-dau",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 422, F, F, F, 422}},
        {"POST",
         "/don-vi/{unit}/nhap-danh-sach/{id}/mat-khau",
         "/don-vi/" + unit + "/nhap-danh-sach/" + page_job_ + "/mat-khau",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 409, F, F, F, 409}},
        {"POST",
         "/don-vi/{unit}/nhap-danh-sach/{id}/xoa-mat-khau",
         "/don-vi/" + unit + "/nhap-danh-sach/" + page_job_ + "/xoa-mat-khau",
         "application/x-www-form-urlencoded",
         "",
         {A, F, R, F, F, F, R}},
        {"POST",
         "/don-vi/{unit}/nhap-danh-sach/{id}/huy",
         "/don-vi/" + unit + "/nhap-danh-sach/" + page_job_ + "/huy",
         "application/x-www-form-urlencoded",
         "",
         {A, F, R, F, F, F, 409}},
        // Quiz pages, after the attempt above was submitted and no attempt is left.
        {"GET", "/the-le", "/the-le", "", "", all(200)},
        {"GET", "/xep-hang", "/xep-hang", "", "", all(200)},
        {"GET", "/thong-ke", "/thong-ke", "", "", all(200)},
        {"GET", "/thi", "/thi", "", "", participant_page(200)},
        {"POST", "/thi", "/thi", "application/x-www-form-urlencoded", "", participant(F)},
        {"GET", "/thi/{id}", "/thi/" + attempt, "", "", participant_page(R)},
        {"POST", "/thi/{id}/luu", "/thi/" + attempt + "/luu", "application/x-www-form-urlencoded",
         "", participant(409)},
        {"POST", "/thi/{id}/nop", "/thi/" + attempt + "/nop", "application/x-www-form-urlencoded",
         "", participant(R)},
        {"GET", "/thi/{id}/ket-qua", "/thi/" + attempt + "/ket-qua", "", "", participant_page(200)},
        {"GET", "/lich-su", "/lich-su", "", "", participant_page(200)},
        {"GET", "/quan-tri/cau-hoi", "/quan-tri/cau-hoi", "", "", bank_page(200)},
        {"POST", "/quan-tri/cau-hoi", "/quan-tri/cau-hoi", "application/x-www-form-urlencoded", "",
         bank(422)},
        {"POST", "/quan-tri/cau-hoi/nhap", "/quan-tri/cau-hoi/nhap",
         "application/x-www-form-urlencoded", "", bank(400)},
        {"GET", "/quan-tri/cau-hoi/phan-tich", "/quan-tri/cau-hoi/phan-tich", "", "",
         bank_page(200)},
        {"GET", "/quan-tri/cau-hoi/{id}", "/quan-tri/cau-hoi/" + question, "", "", bank_page(200)},
        {"POST", "/quan-tri/cau-hoi/{id}", "/quan-tri/cau-hoi/" + question,
         "application/x-www-form-urlencoded", "", bank(422)},
        {"POST", "/quan-tri/cau-hoi/{id}/trang-thai",
         "/quan-tri/cau-hoi/" + question + "/trang-thai", "application/x-www-form-urlencoded", "",
         bank(422)},
        {"GET", "/quan-tri/the-le", "/quan-tri/the-le", "", "", admin_page(200)},
        {"POST", "/quan-tri/the-le", "/quan-tri/the-le", "application/x-www-form-urlencoded", "",
         admin_only(422)},
        {"POST", "/quan-tri/the-le/dot", "/quan-tri/the-le/dot",
         "application/x-www-form-urlencoded", "", admin_only(422)},
        {"POST", "/quan-tri/the-le/dot/xoa", "/quan-tri/the-le/dot/xoa",
         "application/x-www-form-urlencoded", "", admin_only(R)},
        {"POST", "/quan-tri/tai-khoan/{id}/cap-them", "/quan-tri/tai-khoan/" + id + "/cap-them",
         "application/x-www-form-urlencoded", "", admin_only(422)},
        // The contest console. The demo's "btc" administers its own contest only: creating,
        // copying, archiving and importing contests are for install-wide administrators, to whom
        // another install's contests do not exist (404).
        {"GET", "/api/v1/contests", "/api/v1/contests", "", "", admin_only(200)},
        {"POST", "/api/v1/contests", "/api/v1/contests", "application/json", "{}", admin_only(N)},
        {"POST", "/api/v1/contests/import", "/api/v1/contests/import", "application/toml", "",
         admin_only(N)},
        {"GET", "/api/v1/contests/{id}", "/api/v1/contests/" + contest, "", "", admin_only(200)},
        // An empty edit changes nothing and is accepted.
        {"PUT", "/api/v1/contests/{id}", "/api/v1/contests/" + contest, "application/json", "{}",
         admin_only(200)},
        {"POST", "/api/v1/contests/{id}/deadlines", "/api/v1/contests/" + contest + "/deadlines",
         "application/json", "{}", admin_only(422)},
        {"POST", "/api/v1/contests/{id}/archive", "/api/v1/contests/" + contest + "/archive",
         "application/json", "{}", admin_only(N)},
        {"POST", "/api/v1/contests/{id}/copy", "/api/v1/contests/" + contest + "/copy",
         "application/json", "{}", admin_only(N)},
        {"GET", "/api/v1/contests/{id}/definition", "/api/v1/contests/" + contest + "/definition",
         "", "", admin_only(200)},
        {"GET", "/api/v1/notices", "/api/v1/notices", "", "", all(200)},
        {"POST", "/api/v1/notices", "/api/v1/notices", "application/json", "{}", admin_only(422)},
        {"PUT", "/api/v1/notices/{id}", "/api/v1/notices/999999", "application/json", "{}",
         admin_only(422)},
        {"POST", "/api/v1/notices/{id}/withdraw", "/api/v1/notices/999999/withdraw",
         "application/json", "", admin_only(N)},
        {"GET", "/quan-tri/hoi-thi", "/quan-tri/hoi-thi", "", "", admin_page(200)},
        {"POST", "/quan-tri/hoi-thi", "/quan-tri/hoi-thi", "application/x-www-form-urlencoded", "",
         admin_only(N)},
        {"POST", "/quan-tri/hoi-thi/sao-chep", "/quan-tri/hoi-thi/sao-chep",
         "application/x-www-form-urlencoded", "", admin_only(N)},
        {"GET", "/quan-tri/hoi-thi/{id}", "/quan-tri/hoi-thi/" + contest, "", "", admin_page(200)},
        {"POST", "/quan-tri/hoi-thi/{id}", "/quan-tri/hoi-thi/" + contest,
         "application/x-www-form-urlencoded", "", admin_only(422)},
        {"POST", "/quan-tri/hoi-thi/{id}/thoi-han", "/quan-tri/hoi-thi/" + contest + "/thoi-han",
         "application/x-www-form-urlencoded", "", admin_only(422)},
        {"POST", "/quan-tri/hoi-thi/{id}/luu-tru", "/quan-tri/hoi-thi/" + contest + "/luu-tru",
         "application/x-www-form-urlencoded", "", admin_only(N)},
        {"GET", "/quan-tri/hoi-thi/{id}/tep", "/quan-tri/hoi-thi/" + contest + "/tep", "", "",
         admin_page(200)},
        // Notices and the public face.
        {"GET", "/thong-bao", "/thong-bao", "", "", all(200)},
        {"GET", "/thong-bao.atom", "/thong-bao.atom", "", "", all(200)},
        {"GET", "/thong-bao/{id}", "/thong-bao/999999", "", "", all(N)},
        {"GET", "/quan-tri/thong-bao", "/quan-tri/thong-bao", "", "", admin_page(200)},
        {"POST", "/quan-tri/thong-bao", "/quan-tri/thong-bao", "application/x-www-form-urlencoded",
         "", admin_only(422)},
        {"POST", "/quan-tri/thong-bao/{id}", "/quan-tri/thong-bao/999999",
         "application/x-www-form-urlencoded", "", admin_only(422)},
        {"POST", "/quan-tri/thong-bao/{id}/go", "/quan-tri/thong-bao/999999/go",
         "application/x-www-form-urlencoded", "", admin_only(N)},
        {"GET", "/gioi-thieu", "/gioi-thieu", "", "", all(200)},
        {"GET", "/nhung/trang-thai", "/nhung/trang-thai", "", "", all(200)},
        {"GET", "/bieu-ngu.svg", "/bieu-ngu.svg", "", "", all(200)},
        {"GET", "/ma-qr.svg", "/ma-qr.svg", "", "", all(200)},
        {"GET", "/ma-qr.png", "/ma-qr.png", "", "", all(200)},
        // First-run setup: closed for good once an administrator exists (the demo has one).
        {"GET", "/cai-dat-ban-dau", "/cai-dat-ban-dau", "", "", all(N)},
        {"POST",
         "/cai-dat-ban-dau",
         "/cai-dat-ban-dau",
         "application/x-www-form-urlencoded",
         "",
         {F, N, N, N, N, N, N}},
        // Registrations checked against the rosters.
        {"POST", "/quan-tri/cai-dat/che-do", "/quan-tri/cai-dat/che-do",
         "application/x-www-form-urlencoded", "", admin_only(422)},
        {"GET",
         "/api/v1/units/{unit}/registrations",
         "/api/v1/units/" + unit + "/registrations",
         "",
         "",
         {A, F, 200, F, F, 200, 200}},
        {"POST",
         "/api/v1/units/{unit}/registrations/{id}/approve",
         "/api/v1/units/" + unit + "/registrations/999999/approve",
         "application/json",
         "",
         {A, F, N, F, F, F, N}},
        {"POST",
         "/api/v1/units/{unit}/registrations/{id}/reject",
         "/api/v1/units/" + unit + "/registrations/999999/reject",
         "application/json",
         "",
         {A, F, N, F, F, F, N}},
        {"POST",
         "/don-vi/{unit}/dang-ky/{id}/xac-nhan",
         "/don-vi/" + unit + "/dang-ky/999999/xac-nhan",
         "application/x-www-form-urlencoded",
         "",
         {A, F, N, F, F, F, N}},
        {"POST",
         "/don-vi/{unit}/dang-ky/{id}/tu-choi",
         "/don-vi/" + unit + "/dang-ky/999999/tu-choi",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 200, F, F, F, 200}},
        // The video pages; the withdrawal without confirm=1 only asks (200), changing nothing.
        {"GET", "/quan-tri/video", "/quan-tri/video", "", "", {R, F, F, F, F, 200, 200}},
        {"GET",
         "/don-vi/{unit}/video",
         "/don-vi/" + unit + "/video",
         "",
         "",
         {R, F, 200, F, F, 200, 200}},
        {"POST",
         "/don-vi/{unit}/video",
         "/don-vi/" + unit + "/video",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 422, F, F, F, 422}},
        {"POST",
         "/don-vi/{unit}/video/{id}/duyet",
         "/don-vi/" + unit + "/video/" + video + "/duyet",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, R}},
        {"POST",
         "/don-vi/{unit}/video/{id}/rut",
         "/don-vi/" + unit + "/video/" + video + "/rut",
         "application/x-www-form-urlencoded",
         "",
         {A, F, 200, F, F, F, 200}},
        // The jury's pages: an empty sheet is a draft saved (then back to the queue), an
        // abstention needs a reason, the lock asks first, the unlock needs a reason.
        {"GET", "/cham-diem", "/cham-diem", "", "", {R, F, F, F, 200, F, F}},
        {"GET", "/cham-diem/{id}", "/cham-diem/" + video, "", "", {R, F, F, F, 200, F, F}},
        {"POST",
         "/cham-diem/{id}",
         "/cham-diem/" + video,
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, R, F, F}},
        {"POST",
         "/cham-diem/{id}/khong-cham",
         "/cham-diem/" + video + "/khong-cham",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, 422, F, F}},
        {"GET", "/quan-tri/cham-diem", "/quan-tri/cham-diem", "", "", {R, F, F, F, F, 200, 200}},
        {"POST",
         "/quan-tri/cham-diem/khoa",
         "/quan-tri/cham-diem/khoa",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/cham-diem/mo-khoa",
         "/quan-tri/cham-diem/mo-khoa",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"GET",
         "/quan-tri/cham-diem/thang-diem",
         "/quan-tri/cham-diem/thang-diem",
         "",
         "",
         {R, F, F, F, F, F, 200}},
        {"POST",
         "/quan-tri/cham-diem/thang-diem",
         "/quan-tri/cham-diem/thang-diem",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/cham-diem/phan-cong",
         "/quan-tri/cham-diem/phan-cong",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"GET", "/quan-tri/ket-qua", "/quan-tri/ket-qua", "", "", {R, F, F, F, F, 200, 200}},
        {"POST",
         "/quan-tri/ket-qua/trong-so",
         "/quan-tri/ket-qua/trong-so",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/ket-qua/dong-hang",
         "/quan-tri/ket-qua/dong-hang",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 422}},
        {"POST",
         "/quan-tri/ket-qua/soat-xet",
         "/quan-tri/ket-qua/soat-xet",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, 409, 409}},
        {"POST",
         "/quan-tri/ket-qua/cong-bo",
         "/quan-tri/ket-qua/cong-bo",
         "application/x-www-form-urlencoded",
         "",
         {A, F, F, F, F, F, 200}},
        {"GET", "/ket-qua", "/ket-qua", "", "", all(200)},
    };
  }

  /// The routes of the running server (static files aside): "METHOD /pattern" -> access JSON.
  static std::map<std::string, nlohmann::json> LiveRoutes() {
    HttpClient admin(server_->base_url());
    admin.set_bearer(tokens_[kAdmin]);
    const auto r = admin.Get("/api/v1/routes");
    EXPECT_EQ(r.status, 200);
    std::map<std::string, nlohmann::json> out;
    const auto body = r.Json();
    for (const auto& route : body["routes"]) {
      const auto path = route["path"].get<std::string>();
      if (path.starts_with("/static/")) continue;
      out[route["method"].get<std::string>() + " " + path] = route;
    }
    return out;
  }

  static ServerProcess* server_;
  static std::array<std::string, 7> tokens_;
  static std::string target_user_, api_job_, page_job_, attempt_, question_, contest_;
  static std::string video_, withdrawn_video_, upload_, judge_;
};
ServerProcess* AuthorizationMatrix::server_ = nullptr;
std::array<std::string, 7> AuthorizationMatrix::tokens_;
std::string AuthorizationMatrix::target_user_;
std::string AuthorizationMatrix::api_job_;
std::string AuthorizationMatrix::page_job_;
std::string AuthorizationMatrix::attempt_;
std::string AuthorizationMatrix::question_;
std::string AuthorizationMatrix::contest_;
std::string AuthorizationMatrix::video_;
std::string AuthorizationMatrix::withdrawn_video_;
std::string AuthorizationMatrix::upload_;
std::string AuthorizationMatrix::judge_;

TEST_F(AuthorizationMatrix, EveryRouteIsInTheTable) {
  const auto table = Table();
  std::set<std::string> listed;
  for (const auto& cell : table)
    listed.insert(cell.method + " " + cell.path);
  const auto live = LiveRoutes();
  // An empty list would make this test (and the next ones) pass without checking anything.
  ASSERT_GT(live.size(), table.size() / 2) << "GET /api/v1/routes listed too few routes";
  for (const auto& [route, info] : live) {
    EXPECT_TRUE(listed.count(route)) << route << " has no row in the authorization matrix";
  }
  EXPECT_EQ(listed.size(), table.size()) << "a route appears twice in the table";
}

TEST_F(AuthorizationMatrix, EveryCallerGetsTheExpectedStatusOnEveryRoute) {
  for (const auto& cell : Table()) {
    for (int caller = kAnonymous; caller <= kAdmin; ++caller) {
      HttpClient c(server_->base_url());
      if (caller != kAnonymous) {
        c.set_bearer(cell.fresh_session ? Login(kLogins[static_cast<size_t>(caller)])
                                        : tokens_[static_cast<size_t>(caller)]);
      }
      std::vector<std::string> headers;
      if (!cell.content_type.empty()) headers.push_back("Content-Type: " + cell.content_type);
      const auto r = c.Request(cell.method, cell.url, cell.body, headers);
      EXPECT_EQ(r.status, cell.expected[static_cast<size_t>(caller)])
          << cell.method << " " << cell.url << " as " << kCallerNames[static_cast<size_t>(caller)]
          << ": " << r.body.substr(0, 300);
    }
  }
}

TEST_F(AuthorizationMatrix, AFocalPointNamingAnotherUnitIsToldSo) {
  HttpClient c(server_->base_url());
  c.set_bearer(tokens_[kFocalOther]);
  const auto r = c.Get("/api/v1/units/ubnd-huyen-ke-sach/members");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Json()["error"]["code"], "other_unit");
}

TEST_F(AuthorizationMatrix, TheDocumentedTableIsTheLiveOne) {
  const auto doc = ReadFile(std::string(HOITHI_SOURCE_DIR) + "/docs/security.md");
  ASSERT_FALSE(doc.empty());
  const std::array<const char*, 5> roles = {"participant", "focal_point", "judge", "secretary",
                                            "admin"};
  const auto live = LiveRoutes();
  ASSERT_GT(live.size(), Table().size() / 2) << "GET /api/v1/routes listed too few routes";
  for (const auto& [route, info] : live) {
    const auto& access = info["access"];
    std::string row = "| `" + route + "` | " + (access == "anyone" ? "✓" : "–");
    for (const char* role : roles) {
      bool ok = access == "anyone" || access == "signed_in";
      if (access.is_array()) {
        for (const auto& a : access)
          ok = ok || a == role;
      }
      const bool own_unit = ok && std::string(role) == "focal_point" && access.is_array() &&
                            info["own_unit_only"].get<bool>();
      row += std::string(" | ") + (own_unit ? "own unit" : ok ? "✓" : "–");
    }
    row += " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/security.md lacks: " << row;
  }
}

}  // namespace
}  // namespace hoithi::testing
