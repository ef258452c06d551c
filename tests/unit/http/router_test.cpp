// The route table.
#include "http/router.hpp"

#include <gtest/gtest.h>

namespace hoithi::http {
namespace {

Router Make() {
  Router r;
  auto noop = [](Request&, Responder) {};
  r.Add(Method::kGet, "/", Access::Anyone(), noop);
  r.Add(Method::kGet, "/api/v1/attempts/{id}", Access::Anyone(), noop);
  r.Add(Method::kPut, "/api/v1/attempts/{id}/answers", Access::Anyone(), noop);
  r.Add(Method::kPost, "/api/v1/attempts", Access::Anyone(), noop);
  return r;
}

TEST(Router, MatchesLiteralsAndCapturesParameters) {
  auto r = Make();
  std::vector<std::pair<std::string, std::string>> params;
  auto m = r.Find(Method::kGet, "/api/v1/attempts/42", params);
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->name, "GET /api/v1/attempts/{id}");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_TRUE(r.Find(Method::kGet, "/", params).route);
}

TEST(Router, DoesNotMatchPrefixesTrailingSlashesOrEmptyParameters) {
  auto r = Make();
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_FALSE(r.Find(Method::kGet, "/api/v1/attempts/42/x", params).route);
  EXPECT_FALSE(r.Find(Method::kGet, "/api/v1/attempts/", params).route);
  EXPECT_FALSE(r.Find(Method::kPost, "/api/v1/attempts/", params).route);
  EXPECT_FALSE(r.Find(Method::kGet, "/api", params).route);
}

TEST(Router, AnotherMethodOnAKnownPathIs405WithAllow) {
  auto r = Make();
  std::vector<std::pair<std::string, std::string>> params;
  auto m = r.Find(Method::kDelete, "/api/v1/attempts/7", params);
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.other_method);
  EXPECT_EQ(m.allow, "GET");
  EXPECT_FALSE(r.Find(Method::kDelete, "/nowhere", params).other_method);
}

TEST(Router, HeadIsServedByGetRoutes) {
  auto r = Make();
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_TRUE(r.Find(Method::kHead, "/", params).route);
}

}  // namespace
}  // namespace hoithi::http
