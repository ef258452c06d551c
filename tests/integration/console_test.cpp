// The contest console through the real server, from an empty database: the first administrator
// (setup page with the token from the log; `user add` with the password on stdin), the plan's
// contest created and checked, bad input refused naming the field with nothing changed, a moved
// deadline announced by a notice (home page, /thong-bao, the Atom feed), notices as text, a copy
// to a new edition, the contest file exported, imported elsewhere and exported again unchanged,
// the status card as the one page another site may frame, and registrations checked against the
// units' rosters (outside it: waiting for the focal point, not counted until approved).

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/html_forms.hpp"
#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

using nlohmann::json;

constexpr char kAdminPassword[] = "Quan-tri-hoi-thi-2021";

/// The plan's contest, as the console would be given it: section IV's window and section V's
/// prize table.
json PlanContest(const std::string& slug = "cchc-soc-trang-2021") {
  return {{"slug", slug},
          {"name", "Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021"},
          {"organiser", "Sở Nội vụ tỉnh Sóc Trăng"},
          {"time_zone", "Asia/Ho_Chi_Minh"},
          {"contact",
           {{"office", "Phòng Cải cách hành chính, Sở Nội vụ"},
            {"phone", "02993.624.779"},
            {"email", "phongcchc.sonv@soctrang.gov.vn"}}},
          {"opens_at", "2021-09-15T07:00:00+07:00"},
          {"closes_at", "2021-10-16T00:00:00+07:00"},
          {"video_closes_at", "2021-10-16T00:00:00+07:00"},
          {"results_due_at", "2022-01-01T00:00:00+07:00"},
          {"prizes", json::array({{{"category", "collective"},
                                   {"title", "Giải Nhất"},
                                   {"quantity", 1},
                                   {"amount", 10000000}},
                                  {{"category", "collective"},
                                   {"title", "Giải Nhì"},
                                   {"quantity", 2},
                                   {"amount", 7000000}},
                                  {{"category", "collective"},
                                   {"title", "Giải Ba"},
                                   {"quantity", 3},
                                   {"amount", 5000000}},
                                  {{"category", "collective"},
                                   {"title", "Giải Khuyến khích"},
                                   {"quantity", 4},
                                   {"amount", 3000000}},
                                  {{"category", "video"},
                                   {"title", "Giải video tuyên truyền hay nhất"},
                                   {"quantity", 10},
                                   {"amount", 500000}},
                                  {{"category", "individual"},
                                   {"title", "Giải cá nhân"},
                                   {"quantity", 10},
                                   {"amount", 500000}}})}};
}

/// The setup token the server printed in its log.
std::string SetupToken(const ServerProcess& server) {
  std::smatch m;
  const auto log = server.log();
  static const std::regex kToken("mã thiết lập: ([0-9a-f]{24})");
  if (!std::regex_search(log, m, kToken)) return {};
  return m[1].str();
}

/// An empty install with its first administrator created through the setup page.
class Console : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    const auto token = SetupToken(server_);
    ASSERT_FALSE(token.empty()) << server_.log();
    HttpClient page(server_.base_url());
    auto form = page.Get("/cai-dat-ban-dau");
    ASSERT_EQ(form.status, 200) << form.body;
    const auto csrf = CsrfOf(form.body);
    auto r = page.Post("/cai-dat-ban-dau",
                       "_csrf=" + csrf + "&token=" + token +
                           "&full_name=Quan+Tri&login=quantri&password=" + kAdminPassword +
                           "&password_again=" + kAdminPassword,
                       "application/x-www-form-urlencoded");
    ASSERT_EQ(r.status, 303) << r.body;
    admin_ = SignIn(server_, "quantri", kAdminPassword);
  }

  json CreatePlanContest() {
    auto r = admin_.http->Post("/api/v1/contests", PlanContest().dump());
    EXPECT_TRUE(IsAnswer(r, 201));
    return r.Json();
  }

  ServerProcess server_;
  Signed admin_;
};

TEST_F(Console, TheSetupPageCreatesOneAdministratorThenCloses) {
  HttpClient other(server_.base_url());
  EXPECT_EQ(other.Get("/cai-dat-ban-dau").status, 404);
  // The token was spent: it opens nothing any more.
  EXPECT_EQ(other.Get("/api/v1/contests").status, 401);
  EXPECT_NE(server_.log().find("/cai-dat-ban-dau"), std::string::npos) << "the log leads there";
}

TEST(ConsoleSetup, AWrongTokenCreatesNobody) {
  ServerProcess server;
  server.Start();
  HttpClient page(server.base_url());
  const auto form = page.Get("/cai-dat-ban-dau");
  ASSERT_EQ(form.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(form.body, m, std::regex("name=\"_csrf\" value=\"([^\"]+)\"")));
  const auto r = page.Post("/cai-dat-ban-dau",
                           "_csrf=" + m[1].str() +
                               "&token=000000000000000000000000&full_name=Ke+Gian&login=kegian"
                               "&password=Mat-khau-dai-2021&password_again=Mat-khau-dai-2021",
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("Mã thiết lập không đúng"), std::string::npos);
  EXPECT_EQ(page.Get("/cai-dat-ban-dau").status, 200) << "still open";
}

TEST(ConsoleSetup, UserAddReadsThePasswordFromStandardInputNeverFromTheCommandLine) {
  TempDir dir;
  Env env = {{"HOITHI_STORAGE_DATA_DIR", dir.str()}};
  const std::vector<std::string> args = {"user",   "add",   "--login", "quantri",
                                         "--role", "admin", "--name",  "Quản Trị Viên"};
  const auto r =
      RunHoithi(args, env, std::chrono::seconds(120), std::string(kAdminPassword) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The option no longer exists: a password typed on the command line is refused.
  const auto with_argv = RunHoithi({"user", "add", "--login", "khac", "--role", "admin", "--name",
                                    "Người Khác", "--password", kAdminPassword},
                                   env);
  EXPECT_EQ(with_argv.exit_code, 2);
  ServerProcess server(env, dir.str());
  server.Start();
  EXPECT_TRUE(SetupToken(server).empty()) << "an administrator exists: no setup token";
  auto admin = SignIn(server, "quantri", kAdminPassword);
  EXPECT_FALSE(admin.token.empty());
}

TEST_F(Console, ThePlansContestIsCreatedThroughTheConsoleAndShownEverywhere) {
  const auto c = CreatePlanContest();
  EXPECT_EQ(c["budget"], 61000000);
  EXPECT_EQ(c["budget_text"], "61.000.000 đồng");
  EXPECT_EQ(c["prizes"].size(), 6u);
  HttpClient anonymous(server_.base_url());
  const auto home = anonymous.Get("/");
  EXPECT_NE(home.body.find("Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021"),
            std::string::npos);
  const auto rules = anonymous.Get("/the-le");
  ASSERT_EQ(rules.status, 200);
  for (const char* text : {"10.000.000 đồng", "Giải Khuyến khích", "Phòng Cải cách hành chính",
                           "07:00 15/09/2021", "24:00 15/10/2021"}) {
    EXPECT_NE(rules.body.find(text), std::string::npos) << text;
  }
  const auto audit = admin_.http->Get("/api/v1/audit?action=contest.create");
  ASSERT_TRUE(IsAnswer(audit, 200));
  EXPECT_EQ(audit.Json()["total"], 1);
}

TEST_F(Console, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  const auto c = CreatePlanContest();
  const auto path = "/api/v1/contests/" + std::to_string(c["id"].get<long>());
  auto bad = [&](json change, const std::string& field) {
    auto body = PlanContest();
    body.update(change);
    const auto r = admin_.http->Put(path, body.dump());
    EXPECT_TRUE(IsAnswer(r, 422)) << change.dump();
    EXPECT_EQ(ErrorOf(r).value("field", ""), field) << change.dump();
  };
  bad({{"closes_at", "2021-09-01T00:00:00+07:00"}}, "closes_at");
  bad({{"video_closes_at", "2021-09-01T00:00:00+07:00"}}, "video_closes_at");
  bad({{"results_due_at", "2021-10-01T00:00:00+07:00"}}, "results_due_at");
  bad({{"time_zone", "Asia/Sai_Gon_Cu"}}, "time_zone");
  auto prizes = PlanContest()["prizes"];
  prizes[0]["quantity"] = -1;
  bad({{"prizes", prizes}}, "prizes[0].quantity");
  prizes = PlanContest()["prizes"];
  prizes[1]["amount"] = "bảy triệu";
  bad({{"prizes", prizes}}, "prizes[1].amount");
  prizes = PlanContest()["prizes"];
  prizes[2]["quantity"] = 1.5;
  bad({{"prizes", prizes}}, "prizes[2].quantity");
  // A slug another contest holds.
  ASSERT_TRUE(IsAnswer(admin_.http->Post("/api/v1/contests", PlanContest("ky-khac").dump()), 201));
  bad({{"slug", "ky-khac"}}, "slug");
  const auto again = admin_.http->Get(path).Json();
  EXPECT_EQ(again["slug"], "cchc-soc-trang-2021");
  EXPECT_EQ(again["budget"], 61000000);
  EXPECT_EQ(again["closes_at"], c["closes_at"]);
}

TEST_F(Console, AMovedDeadlineNeedsAReasonAndPublishesANotice) {
  // A contest under way: it opened an hour ago.
  auto body = PlanContest("dang-dien-ra");
  const auto now = std::chrono::system_clock::now();
  auto rfc = [](std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text);
  };
  body["opens_at"] = rfc(now - std::chrono::hours(1));
  body["closes_at"] = rfc(now + std::chrono::days(10));
  body["video_closes_at"] = rfc(now + std::chrono::days(10));
  body["results_due_at"] = rfc(now + std::chrono::days(40));
  auto created = admin_.http->Post("/api/v1/contests", body.dump());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto path = "/api/v1/contests/" + std::to_string(created.Json()["id"].get<long>());
  // Through an edit without a reason: refused.
  auto edit = body;
  edit["video_closes_at"] = rfc(now + std::chrono::days(20));
  EXPECT_TRUE(IsAnswer(admin_.http->Put(path, edit.dump()), 422, "reason_required"));
  // Through the deadline endpoint, with a reason.
  const auto moved = admin_.http->Post(
      path + "/deadlines", json{{"which", "video_close"},
                                {"to", rfc(now + std::chrono::days(20))},
                                {"reason", "Nhiều đơn vị đề nghị thêm thời gian dựng video."}}
                               .dump());
  ASSERT_TRUE(IsAnswer(moved, 200));
  HttpClient anonymous(server_.base_url());
  const auto notices = anonymous.Get("/api/v1/notices").Json()["items"];
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]["title"], "Gia hạn hạn nộp video dự thi");
  EXPECT_NE(notices[0]["body"].get<std::string>().find("Nhiều đơn vị đề nghị"), std::string::npos);
  EXPECT_NE(anonymous.Get("/").body.find("Gia hạn hạn nộp video dự thi"), std::string::npos);
  EXPECT_NE(anonymous.Get("/thong-bao").body.find("Gia hạn hạn nộp video dự thi"),
            std::string::npos);
  const auto feed = anonymous.Get("/thong-bao.atom");
  EXPECT_EQ(feed.status, 200);
  EXPECT_NE(feed.headers.at("content-type").find("application/atom+xml"), std::string::npos);
  EXPECT_NE(feed.body.find("<title>Gia hạn hạn nộp video dự thi</title>"), std::string::npos);
  EXPECT_EQ(admin_.http->Get("/api/v1/audit?action=contest.deadline_move").Json()["total"], 1);
}

TEST_F(Console, NoticesAreShownAsTextScheduledAndWithdrawn) {
  CreatePlanContest();
  auto r = admin_.http->Post(
      "/api/v1/notices",
      json{{"title", "Lịch thi <b>đợt 2</b>"},
           {"body",
            "Xem chi tiết tại https://sonoivu.soctrang.gov.vn.\n\n<script>alert(1)</script>"
            " **Lưu ý** quan trọng."}}
          .dump());
  ASSERT_TRUE(IsAnswer(r, 201));
  const auto id = r.Json()["id"].get<long>();
  const auto later =
      admin_.http->Post("/api/v1/notices", json{{"title", "Thông báo hẹn giờ"},
                                                {"body", "Sẽ đăng sau."},
                                                {"publish_at", "2099-01-01T00:00:00Z"}}
                                               .dump());
  ASSERT_TRUE(IsAnswer(later, 201));
  HttpClient anonymous(server_.base_url());
  const auto page = anonymous.Get("/thong-bao/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("Lịch thi &lt;b&gt;đợt 2&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("<a href=\"https://sonoivu.soctrang.gov.vn\""), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Lưu ý</strong>"), std::string::npos);
  EXPECT_EQ(anonymous.Get("/thong-bao").body.find("Thông báo hẹn giờ"), std::string::npos);
  ASSERT_TRUE(IsAnswer(
      admin_.http->Post("/api/v1/notices/" + std::to_string(id) + "/withdraw", "{}"), 200));
  EXPECT_EQ(anonymous.Get("/thong-bao/" + std::to_string(id)).status, 404);
}

TEST_F(Console, ANewEditionCopiesLastYearsRulesPrizesAndUnits) {
  const auto c = CreatePlanContest();
  const auto id = std::to_string(c["id"].get<long>());
  auto unit = admin_.http->Post(
      "/api/v1/units?contest=cchc-soc-trang-2021",
      json{{"code", "so-noi-vu"}, {"name", "Sở Nội vụ"}, {"group", "co-quan-chuyen-mon"}}.dump());
  ASSERT_TRUE(IsAnswer(unit, 201));
  ASSERT_TRUE(IsAnswer(admin_.http->Put("/api/v1/contest/quiz-rules?contest=cchc-soc-trang-2021",
                                        json{{"time_limit_s", 900}}.dump()),
                       200));
  const auto copy = admin_.http->Post(
      "/api/v1/contests/" + id + "/copy",
      json{{"slug", "cchc-soc-trang-2022"},
           {"name", "Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2022"},
           {"opens_at", "2022-09-15T07:00:00+07:00"},
           {"closes_at", "2022-10-16T00:00:00+07:00"}}
          .dump());
  ASSERT_TRUE(IsAnswer(copy, 201));
  EXPECT_EQ(copy.Json()["budget"], 61000000);
  EXPECT_EQ(copy.Json()["video_closes_at"], "2022-10-15T17:00:00.000Z") << "moved by a year";
  const auto units = admin_.http->Get("/api/v1/units?contest=cchc-soc-trang-2022").Json();
  ASSERT_EQ(units["units"].size(), 1u);
  EXPECT_EQ(units["units"][0]["name"], "Sở Nội vụ");
  const auto rules =
      admin_.http->Get("/api/v1/contest/quiz-rules?contest=cchc-soc-trang-2022").Json();
  EXPECT_EQ(rules["time_limit_s"], 900);
  // The slug of an edition is its own.
  EXPECT_TRUE(IsAnswer(admin_.http->Post("/api/v1/contests/" + id + "/copy",
                                         json{{"slug", "cchc-soc-trang-2022"},
                                              {"name", "Lần nữa"},
                                              {"opens_at", "2023-09-15T07:00:00+07:00"},
                                              {"closes_at", "2023-10-16T00:00:00+07:00"}}
                                             .dump()),
                       422, "slug_taken"));
}

TEST_F(Console, TheContestFileRoundTripsByteForByte) {
  const auto c = CreatePlanContest();
  ASSERT_TRUE(IsAnswer(admin_.http->Post("/api/v1/units?contest=cchc-soc-trang-2021",
                                         json{{"code", "ubnd-huyen-ke-sach"},
                                              {"name", "UBND huyện Kế Sách"},
                                              {"group", "ubnd-cap-huyen"},
                                              {"headcount", 120}}
                                             .dump()),
                       201));
  const auto exported =
      admin_.http->Get("/api/v1/contests/" + std::to_string(c["id"].get<long>()) + "/definition");
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find("Giải Khuyến khích"), std::string::npos);
  TempDir other;
  const auto file = other.str() + "/contest.toml";
  std::ofstream(file) << exported.body;
  const Env env = {{"HOITHI_STORAGE_DATA_DIR", other.str()}};
  // A dry run writes nothing.
  auto dry = RunHoithi({"contest", "import", file}, env);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("Chạy thử"), std::string::npos) << dry.out;
  EXPECT_NE(RunHoithi({"contest", "export", "cchc-soc-trang-2021"}, env).exit_code, 0);
  auto applied = RunHoithi({"contest", "import", file, "--apply"}, env);
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const auto again = RunHoithi({"contest", "export", "cchc-soc-trang-2021"}, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, exported.body);
  // A file with an unknown key or a wrong type is refused, naming it.
  std::ofstream(file) << exported.body << "\n[[units]]\ncode = \"x\"\nname = \"X\"\ngroup = \"g\"\n"
                      << "mau = \"đỏ\"\n";
  auto unknown = RunHoithi({"contest", "import", file}, env);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("units[1].mau"), std::string::npos) << unknown.err;
  std::string wrong = exported.body;
  wrong.replace(wrong.find("quantity = 1"), 12, "quantity = \"một\"");
  std::ofstream(file) << wrong;
  auto typed = RunHoithi({"contest", "import", file}, env);
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_NE(typed.err.find("prizes[0].quantity"), std::string::npos) << typed.err;
}

TEST_F(Console, OnlyTheStatusCardMayBeFramedByAnotherSite) {
  CreatePlanContest();
  HttpClient anonymous(server_.base_url());
  const auto card = anonymous.Get("/nhung/trang-thai");
  ASSERT_EQ(card.status, 200);
  EXPECT_NE(card.headers.at("content-security-policy").find("frame-ancestors *"),
            std::string::npos);
  for (const char* page : {"/", "/the-le", "/thong-bao", "/gioi-thieu", "/dang-nhap"}) {
    const auto r = anonymous.Get(page);
    EXPECT_NE(r.Header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos)
        << page;
  }
  const auto svg = anonymous.Get("/ma-qr.svg");
  EXPECT_EQ(svg.status, 200);
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  const auto png = anonymous.Get("/ma-qr.png");
  EXPECT_EQ(png.status, 200);
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
}

/// The demo contest with registrations checked against the units' rosters.
class RosterVerification : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SeedDemo();
    server_.Start();
    admin_ = SignIn(server_, "admin");
    focal_ = SignIn(server_, "daumoi.kesach");
    auto settings = admin_.http->Get("/api/v1/contest/settings");
    ASSERT_TRUE(IsAnswer(settings, 200));
    auto registration = settings.Json()["registration"];
    registration["mode"] = "roster";
    ASSERT_TRUE(IsAnswer(
        admin_.http->Put("/api/v1/contest/settings/registration", registration.dump()), 200));
  }

  /// Ke Sach's registered count on the public statistics (shared for up to a second).
  int Registered() {
    HttpClient anonymous(server_.base_url());
    const auto r = anonymous.Get("/api/v1/stats/units");
    if (r.status != 200) return -1;
    const auto body = r.Json();
    for (const auto& u : body["units"])
      if (u.value("code", "") == "ubnd-huyen-ke-sach") return u.value("registered", -1);
    return -1;
  }

  HttpResponse Register(const std::string& phone, const std::string& name) {
    HttpClient anonymous(server_.base_url());
    return anonymous.Post("/api/v1/participants", json{{"full_name", name},
                                                       {"phone", phone},
                                                       {"unit_code", "ubnd-huyen-ke-sach"},
                                                       {"password", kStrongPassword}}
                                                      .dump());
  }

  json WaitForJob(long long id) {
    json last;
    Eventually(
        [&] {
          const auto r = focal_.http->Get("/api/v1/jobs/" + std::to_string(id));
          last = r.status == 200 ? r.Json() : json::object();
          const auto status = last.value("status", "");
          return status == "done" || status == "failed" || status == "cancelled";
        },
        std::chrono::seconds(30));
    return last;
  }

  ServerProcess server_;
  Signed admin_, focal_;
};

TEST_F(RosterVerification,
       ARegistrationOutsideTheRosterWaitsForTheFocalPointAndCountsOnceApproved) {
  // The focal point keeps only the list (no accounts are created from it).
  const auto listed = NewPhone(), outsider = NewPhone(), refused = NewPhone();
  const std::string csv = "Họ tên,Số điện thoại,Chức vụ\nPhạm Văn Trong," + listed +
                          ",Chuyên viên\nĐỗ Thị Hai," + NewPhone() + ",Văn thư\n";
  const auto upload =
      focal_.http->Post("/api/v1/units/ubnd-huyen-ke-sach/rosters?accounts=false", csv, "text/csv");
  ASSERT_TRUE(IsAnswer(upload, 201));
  const auto job = upload.Json()["job_id"].get<long long>();
  ASSERT_TRUE(IsAnswer(focal_.http->Post("/api/v1/jobs/" + std::to_string(job) + "/start",
                                         R"({"skip_invalid":true})"),
                       202));
  ASSERT_EQ(WaitForJob(job).value("status", ""), "done");
  const int before = Registered();
  ASSERT_GE(before, 0);

  // On the list: active at once, and counted.
  auto in = Register(listed, "Phạm Văn Trong");
  ASSERT_TRUE(IsAnswer(in, 201));
  EXPECT_FALSE(in.Json().value("pending", true));
  EXPECT_TRUE(Eventually([&] { return Registered() == before + 1; })) << Registered();

  // Not on it: the account exists but waits, cannot start the quiz, and does not count.
  auto out = Register(outsider, "Lê Thị Chờ");
  ASSERT_TRUE(IsAnswer(out, 201));
  EXPECT_TRUE(out.Json().value("pending", false));
  auto waiting = SignIn(server_, outsider, kStrongPassword);
  EXPECT_TRUE(IsAnswer(waiting.http->Post("/api/v1/attempts", ""), 403, "registration_pending"));
  auto queue = focal_.http->Get("/api/v1/units/ubnd-huyen-ke-sach/registrations");
  ASSERT_TRUE(IsAnswer(queue, 200));
  ASSERT_EQ(queue.Json()["items"].size(), 1u) << queue.body;
  const auto pending_id = queue.Json()["items"][0]["id"].get<long long>();
  EXPECT_EQ(queue.Json()["items"][0]["full_name"], "Lê Thị Chờ");
  EXPECT_EQ(Registered(), before + 1);

  // Another unit's focal point can neither see nor decide it.
  const auto other = admin_.http->Post("/api/v1/users", json{{"login", "daumoi.noivu"},
                                                             {"full_name", "Trịnh Đầu Mối"},
                                                             {"role", "focal_point"},
                                                             {"unit_code", "so-noi-vu"},
                                                             {"password", kStrongPassword}}
                                                            .dump());
  ASSERT_TRUE(IsAnswer(other, 201));
  auto other_focal = SignIn(server_, "daumoi.noivu", kStrongPassword);
  const auto decide =
      "/api/v1/units/ubnd-huyen-ke-sach/registrations/" + std::to_string(pending_id);
  EXPECT_EQ(other_focal.http->Get("/api/v1/units/ubnd-huyen-ke-sach/registrations").status, 403);
  EXPECT_EQ(other_focal.http->Post(decide + "/approve", "{}").status, 403);

  // Approved by its own focal point: counted, and the quiz opens.
  auto approved = focal_.http->Post(decide + "/approve", "{}");
  ASSERT_TRUE(IsAnswer(approved, 200));
  EXPECT_EQ(approved.Json()["status"], "active");
  EXPECT_TRUE(Eventually([&] { return Registered() == before + 2; })) << Registered();
  auto again = SignIn(server_, outsider, kStrongPassword);
  EXPECT_TRUE(IsAnswer(again.http->Post("/api/v1/attempts", ""), 201));
  EXPECT_TRUE(IsAnswer(focal_.http->Post(decide + "/approve", "{}"), 404));  // decided already

  // Rejected: never counted, and the account cannot sign in.
  ASSERT_TRUE(IsAnswer(Register(refused, "Ngô Văn Từ"), 201));
  queue = focal_.http->Get("/api/v1/units/ubnd-huyen-ke-sach/registrations");
  ASSERT_EQ(queue.Json()["items"].size(), 1u) << queue.body;
  const auto refused_id = queue.Json()["items"][0]["id"].get<long long>();
  auto rejected = focal_.http->Post(
      "/api/v1/units/ubnd-huyen-ke-sach/registrations/" + std::to_string(refused_id) + "/reject",
      "{}");
  ASSERT_TRUE(IsAnswer(rejected, 200));
  EXPECT_EQ(rejected.Json()["status"], "rejected");
  HttpClient anonymous(server_.base_url());
  EXPECT_TRUE(
      IsAnswer(anonymous.Post("/api/v1/auth/login",
                              json{{"login", refused}, {"password", kStrongPassword}}.dump()),
               403, "account_disabled"));
  EXPECT_TRUE(Eventually([&] { return Registered() == before + 2; })) << Registered();
  EXPECT_TRUE(
      focal_.http->Get("/api/v1/units/ubnd-huyen-ke-sach/registrations").Json()["items"].empty());
}

}  // namespace
}  // namespace hoithi::testing
