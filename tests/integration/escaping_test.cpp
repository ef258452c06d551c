// Escaping everywhere: markup, quotes and Vietnamese text typed into a unit's name, a
// participant's name, a question and its options come back on every page that shows them as
// text (escaped), never as markup, with the Vietnamese intact; pages forbid inline script.
#include <gtest/gtest.h>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

constexpr char kUnitName[] =
    "Sở \"Thử\" <script>alert('đơn vị')</script> & <img src=x onerror=a()>";
constexpr char kPersonName[] = "Nguyễn \"Ánh\" <script>alert('tên')</script> <b>Hồng</b>";
constexpr char kQuestion[] = "Câu hỏi <script>alert('câu hỏi')</script> có \"ngoặc\" & 'nháy'?";
constexpr char kOption[] = "Phương án <img src=x onerror=alert('lựa chọn')>";

/// The page shows `text` escaped and nothing of it as markup.
::testing::AssertionResult ShowsEscaped(const HttpResponse& page, const std::string& what) {
  if (page.status != 200) return ::testing::AssertionFailure() << what << ": " << page.status;
  for (const char* raw : {"<script>alert(", "<img src=x", "<b>Hồng"}) {
    if (page.body.find(raw) != std::string::npos)
      return ::testing::AssertionFailure() << what << " shows markup " << raw;
  }
  if (page.body.find("&lt;") == std::string::npos)
    return ::testing::AssertionFailure() << what << " does not show the text escaped";
  const auto csp = page.Header("content-security-policy");
  if (csp.find("script-src 'self'") == std::string::npos ||
      csp.find("unsafe-inline") != std::string::npos)
    return ::testing::AssertionFailure() << what << " CSP: " << csp;
  return ::testing::AssertionSuccess();
}

TEST(Escaping, MarkupTypedIntoNamesUnitsAndQuestionsIsShownAsText) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  auto btc = SignIn(server, "btc");
  const json unit = {
      {"code", "so-thu"}, {"name", kUnitName}, {"group", "co-quan-chuyen-mon"}, {"headcount", 5}};
  ASSERT_TRUE(IsAnswer(btc.http->Post("/api/v1/units", unit.dump()), 201));

  auto p = NewParticipant(server, kPersonName, "so-thu");
  ASSERT_FALSE(p.token.empty());
  const auto attempt = Start(*p.http);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, attempt), 200));

  auto secretary = SignIn(server, "thuky");
  const json q = {{"topic", "an-toan"},
                  {"text", kQuestion},
                  {"options", {kOption, "Hai", "Ba", "Bốn"}},
                  {"correct", "A"},
                  {"source", "Tự soạn <i>x</i>"}};
  const auto created = secretary.http->Post("/api/v1/questions", q.dump());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto id = std::to_string(created.Json()["id"].get<std::int64_t>());

  HttpClient anonymous(server.base_url());
  EXPECT_TRUE(ShowsEscaped(anonymous.Get("/dang-ky"), "registration form (unit list)"));
  EXPECT_TRUE(ShowsEscaped(anonymous.Get("/thong-ke"), "unit statistics"));
  const auto board = anonymous.Get("/xep-hang");
  EXPECT_TRUE(ShowsEscaped(board, "leaderboard"));
  EXPECT_NE(board.body.find("Nguyễn &quot;Ánh&quot; &lt;script&gt;"), std::string::npos)
      << "the participant's name, escaped, with its Vietnamese intact";
  EXPECT_TRUE(ShowsEscaped(p.http->Get("/ho-so"), "profile"));
  EXPECT_TRUE(ShowsEscaped(btc.http->Get("/quan-tri/don-vi"), "units admin"));
  EXPECT_TRUE(ShowsEscaped(btc.http->Get("/quan-tri/tai-khoan?q=Nguy%E1%BB%85n"), "accounts"));
  EXPECT_TRUE(
      ShowsEscaped(secretary.http->Get("/quan-tri/cau-hoi?topic=an-toan"), "question bank"));
  const auto question = secretary.http->Get("/quan-tri/cau-hoi/" + id);
  EXPECT_TRUE(ShowsEscaped(question, "question"));
  EXPECT_NE(question.body.find("Câu hỏi &lt;script&gt;alert(&apos;câu hỏi&apos;)&lt;/script&gt;"),
            std::string::npos)
      << "the question's text, escaped, with its Vietnamese intact";
  // JSON carries the text as data, never sniffed as HTML.
  const auto units = anonymous.Get("/api/v1/units");
  EXPECT_NE(units.body.find("<script>alert('đơn vị')"), std::string::npos);
  EXPECT_EQ(units.Header("x-content-type-options"), "nosniff");
  EXPECT_NE(units.Header("content-type").find("application/json"), std::string::npos);
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
