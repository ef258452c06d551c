// The account pages as a browser without JavaScript uses them: forms with their CSRF tokens,
// problems shown beside the fields with what was typed kept, redirects after success, escaping of
// what people typed, and a focal point's roster upload through a multipart form.
#include <gtest/gtest.h>

#include "support/html_forms.hpp"
#include "support/http_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

class Pages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    server_->SeedDemo();
    server_->Start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(SIGTERM), 0);
    delete server_;
  }
  static ServerProcess* server_;
};
ServerProcess* Pages::server_ = nullptr;

TEST_F(Pages, RegistrationShowsProblemsBesideFieldsKeepsWhatWasTypedThenSignsIn) {
  HttpClient browser(server_->base_url());
  auto form = browser.Get("/dang-ky");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<optgroup label=\"UBND cấp huyện\">"), std::string::npos);
  EXPECT_NE(form.body.find("UBND huyện Kế Sách"), std::string::npos);
  const auto csrf = CsrfOf(form.body);
  ASSERT_FALSE(csrf.empty());

  auto bad = browser.Post("/dang-ky",
                          Form({{"_csrf", csrf},
                                {"full_name", "Lý Thị <b>Mai</b>"},
                                {"phone", "12345"},
                                {"unit_code", "ubnd-huyen-ke-sach"},
                                {"password", "ngan"}}),
                          kForm);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("Số điện thoại không hợp lệ"), std::string::npos);
  EXPECT_NE(bad.body.find("Mật khẩu phải có ít nhất 8 ký tự"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"Lý Thị &lt;b&gt;Mai&lt;/b&gt;\""), std::string::npos);
  EXPECT_EQ(bad.body.find("<b>Mai</b>"), std::string::npos);  // escaped, never raw
  EXPECT_NE(bad.body.find("aria-invalid=\"true\" aria-describedby=\"phone-error\""),
            std::string::npos);

  auto good = browser.Post("/dang-ky",
                           Form({{"_csrf", csrf},
                                 {"full_name", "Lý Thị <b>Mai</b>"},
                                 {"phone", "0933 111 222"},
                                 {"unit_code", "ubnd-huyen-ke-sach"},
                                 {"position", "Chuyên viên"},
                                 {"password", "hoa-mai-vang-2021"}}),
                           kForm);
  EXPECT_EQ(good.status, 303);
  EXPECT_EQ(good.Header("location"), "/ho-so?moi=1");
  EXPECT_NE(good.Header("set-cookie").find("hoithi_session="), std::string::npos);
  const auto profile = browser.Get("/ho-so?moi=1");
  ASSERT_EQ(profile.status, 200);
  EXPECT_NE(profile.body.find("Đăng ký thành công"), std::string::npos);
  EXPECT_NE(profile.body.find("<a class=\"button\" href=\"/thi\">Vào thi</a>"), std::string::npos)
      << "the next step after registering";
  EXPECT_NE(profile.body.find("Lý Thị &lt;b&gt;Mai&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(profile.body.find("0933111222"), std::string::npos);
  EXPECT_NE(profile.body.find("UBND huyện Kế Sách"), std::string::npos);
}

// One tap must not end the only attempt: without confirm=1 the final submit keeps what was
// chosen and asks first, listing the unanswered questions; confirmed, it submits.
TEST_F(Pages, SubmittingTheQuizWithoutJavaScriptAsksFirstAndKeepsTheAnswers) {
  HttpClient browser(server_->base_url());
  const auto form = browser.Get("/dang-ky");
  ASSERT_EQ(form.status, 200);
  ASSERT_EQ(browser
                .Post("/dang-ky",
                      Form({{"_csrf", CsrfOf(form.body)},
                            {"full_name", "Phạm Văn Nộp"},
                            {"phone", "0933 222 333"},
                            {"unit_code", "ubnd-huyen-ke-sach"},
                            {"password", "nop-bai-can-than"}}),
                      kForm)
                .status,
            303);
  const auto start_page = browser.Get("/thi");
  ASSERT_EQ(start_page.status, 200);
  const auto started = browser.Post("/thi", Form({{"_csrf", CsrfOf(start_page.body)}}), kForm);
  ASSERT_EQ(started.status, 303) << started.body;
  const auto quiz_url = started.Header("location");
  auto quiz = browser.Get(quiz_url);
  ASSERT_EQ(quiz.status, 200);
  // Without the page's script nothing saves by itself, and the page says so.
  EXPECT_NE(quiz.body.find("id=\"manual-save\""), std::string::npos);
  // The first question's first option: name="q_<id>" value="<option>".
  const auto name_at = quiz.body.find("name=\"q_");
  ASSERT_NE(name_at, std::string::npos);
  const auto name = quiz.body.substr(name_at + 6, quiz.body.find('"', name_at + 6) - name_at - 6);
  const auto value = HiddenField(quiz.body.substr(name_at), name);
  ASSERT_FALSE(value.empty());
  const auto csrf = CsrfOf(quiz.body);

  const auto asked = browser.Post(quiz_url + "/nop", Form({{"_csrf", csrf}, {name, value}}), kForm);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_NE(asked.body.find("<h1>Nộp bài?</h1>"), std::string::npos) << asked.body;
  EXPECT_NE(asked.body.find("Bạn đã trả lời <strong>1/10</strong> câu."), std::string::npos);
  EXPECT_NE(asked.body.find("Còn <strong>9 câu chưa trả lời</strong>"), std::string::npos);
  EXPECT_NE(asked.body.find("href=\"" + quiz_url + "#cau-2\">Câu 2</a>"), std::string::npos);
  EXPECT_EQ(asked.body.find("#cau-1\""), std::string::npos) << "question 1 is answered";
  // Not submitted, and the chosen answer was kept.
  quiz = browser.Get(quiz_url);
  ASSERT_EQ(quiz.status, 200) << "the attempt is still open";
  EXPECT_NE(quiz.body.find("name=\"" + name + "\" value=\"" + value + "\" checked"),
            std::string::npos);

  const auto done = browser.Post(quiz_url + "/nop",
                                 Form({{"_csrf", CsrfOf(asked.body)}, {"confirm", "1"}}), kForm);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.Header("location"), quiz_url + "/ket-qua");
  const auto result = browser.Get(quiz_url + "/ket-qua");
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.body.find("Đã nộp bài"), std::string::npos);
  // Over: a submit without confirm=1 no longer asks, it shows the result.
  const auto again = browser.Post(quiz_url + "/nop", Form({{"_csrf", csrf}}), kForm);
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(again.Header("location"), quiz_url + "/ket-qua");
  // The demo allows one attempt: Start is no longer offered, the result is (no dead end).
  const auto after = browser.Get("/thi");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body.find("Bắt đầu làm bài"), std::string::npos) << after.body;
  EXPECT_NE(after.body.find("Bạn đã dùng hết lượt thi"), std::string::npos) << after.body;
  EXPECT_NE(after.body.find("href=\"" + quiz_url + "/ket-qua\">Xem kết quả bài thi</a>"),
            std::string::npos);
}

TEST_F(Pages, TheSameRegistrationFormSentTwiceCreatesOneAccountAndSignsInBothTimes) {
  HttpClient first(server_->base_url()), second(server_->base_url());
  const auto form = first.Get("/dang-ky");
  const auto key = HiddenField(form.body, "idempotency_key");
  ASSERT_GE(key.size(), 16u);
  EXPECT_NE(HiddenField(second.Get("/dang-ky").body, "idempotency_key"), key)
      << "every form gets a key of its own";
  auto send = [&](HttpClient& browser, const std::string& csrf) {
    return browser.Post("/dang-ky",
                        Form({{"_csrf", csrf},
                              {"idempotency_key", key},
                              {"full_name", "Đặng Văn Hai"},
                              {"phone", "0933 222 444"},
                              {"unit_code", "ubnd-huyen-ke-sach"},
                              {"password", "hoa-mai-vang-2021"}}),
                        kForm);
  };
  EXPECT_EQ(send(first, CsrfOf(form.body)).status, 303);
  // The same filled-in form arriving again (a double click, a resend after a timeout).
  const auto again = send(second, CsrfOf(second.Get("/dang-ky").body));
  EXPECT_EQ(again.status, 303) << again.body;
  EXPECT_NE(again.Header("set-cookie").find("hoithi_session="), std::string::npos);
  HttpClient admin(server_->base_url());
  const auto login =
      admin.Post("/api/v1/auth/login", R"({"login":"admin","password":"hoithi-demo-2021"})");
  ASSERT_EQ(login.status, 200);
  admin.set_bearer(login.Json()["token"].get<std::string>());
  const auto found = admin.Get("/api/v1/users?q=0933222444");
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.Json()["total"], 1) << found.body;
}

TEST_F(Pages, AFormPostWithoutItsCsrfTokenIsRefusedInVietnamese) {
  HttpClient browser(server_->base_url());
  browser.Get("/dang-nhap");
  const auto r = browser.Post("/dang-nhap",
                              Form({{"login", "thuky"}, {"password", "hoithi-demo-2021"}}), kForm);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Biểu mẫu đã hết hạn"), std::string::npos);
  EXPECT_EQ(r.Header("set-cookie").find("hoithi_session="), std::string::npos);
}

TEST_F(Pages, LoginFailsWithAMessageThenSucceedsAndReturnsToWhereThePersonWas) {
  HttpClient browser(server_->base_url());
  const auto redirect = browser.Get("/ho-so");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.Header("location"), "/dang-nhap?next=/ho-so");
  const auto form = browser.Get("/dang-nhap?next=/ho-so");
  const auto csrf = CsrfOf(form.body);
  auto wrong = browser.Post(
      "/dang-nhap",
      Form({{"_csrf", csrf}, {"login", "thuky"}, {"password", "sai-mat-khau"}, {"next", "/ho-so"}}),
      kForm);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("Tên đăng nhập hoặc mật khẩu không đúng."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"thuky\""), std::string::npos);
  auto right = browser.Post("/dang-nhap",
                            Form({{"_csrf", csrf},
                                  {"login", "thuky"},
                                  {"password", "hoithi-demo-2021"},
                                  {"next", "/ho-so"}}),
                            kForm);
  EXPECT_EQ(right.status, 303);
  EXPECT_EQ(right.Header("location"), "/ho-so");
  const auto profile = browser.Get("/ho-so");
  EXPECT_NE(profile.body.find("Tổ Thư ký"), std::string::npos);

  // Signed in: the session's own token now guards forms; logout ends the session.
  const auto logout = browser.Post("/dang-xuat", Form({{"_csrf", CsrfOf(profile.body)}}), kForm);
  EXPECT_EQ(logout.status, 303);
  EXPECT_EQ(browser.Get("/ho-so").status, 303);
}

TEST_F(Pages, AnOffSiteNextIsIgnored) {
  HttpClient browser(server_->base_url());
  const auto form = browser.Get("/dang-nhap");
  const auto r = browser.Post("/dang-nhap",
                              Form({{"_csrf", CsrfOf(form.body)},
                                    {"login", "giamkhao"},
                                    {"password", "hoithi-demo-2021"},
                                    {"next", "//evil.example/phish"}}),
                              kForm);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("location"), "/cham-diem") << "the judge's own work, not the other site";
}

TEST_F(Pages, AFocalPointUploadsARosterThroughTheFormAndSeesTheRejectedRows) {
  HttpClient browser(server_->base_url());
  const auto login_form = browser.Get("/dang-nhap");
  ASSERT_EQ(browser
                .Post("/dang-nhap",
                      Form({{"_csrf", CsrfOf(login_form.body)},
                            {"login", "daumoi.kesach"},
                            {"password", "hoithi-demo-2021"}}),
                      kForm)
                .status,
            303);
  const auto upload_page = browser.Get("/don-vi/ubnd-huyen-ke-sach/nhap-danh-sach");
  ASSERT_EQ(upload_page.status, 200);
  // The form carries its CSRF token in the body, never in its address.
  EXPECT_EQ(upload_page.body.find("_csrf="), std::string::npos) << "a token in a query string";
  const auto csrf = CsrfOf(upload_page.body);
  ASSERT_FALSE(csrf.empty());
  const std::string boundary = "----hoithi-test-boundary";
  const std::string file_part =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ds.csv\""
      "\r\nContent-Type: text/csv\r\n\r\n"
      "Họ và tên,Số điện thoại,Chức vụ\r\nLê Văn Bảy,0907000007,Chuyên viên\r\n"
      "Đào Tám,090700000,\r\n\r\n--" +
      boundary + "--\r\n";
  const std::string token_part = "--" + boundary +
                                 "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" +
                                 csrf + "\r\n";
  const auto type = "multipart/form-data; boundary=" + boundary;
  const std::string path = "/don-vi/ubnd-huyen-ke-sach/nhap-danh-sach";
  EXPECT_EQ(browser.Post(path + "?_csrf=" + csrf, file_part, type).status, 403)
      << "a token in the query string is not accepted";
  const auto r = browser.Post(path, token_part + file_part, type);
  ASSERT_EQ(r.status, 303) << r.body.substr(0, 500);
  const auto job = browser.Get(r.Header("location"));
  ASSERT_EQ(job.status, 200);
  EXPECT_NE(job.body.find("Chờ xác nhận"), std::string::npos);
  EXPECT_NE(job.body.find("Số điện thoại &quot;090700000&quot; không hợp lệ."), std::string::npos);
  EXPECT_NE(job.body.find("Tôi đồng ý bỏ qua 1 dòng lỗi"), std::string::npos);
  // Another unit's pages stay closed to this focal point.
  EXPECT_EQ(browser.Get("/don-vi/so-noi-vu").status, 403);
}

}  // namespace
}  // namespace hoithi::testing
