// Prometheus exposition.
#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace hoithi::core {
namespace {

TEST(Metrics, RendersCumulativeHistogramBuckets) {
  MetricsRegistry r;
  auto& h = r.AddHistogram("t_seconds", "help", {0.1, 1}, "route=\"GET /\"");
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  const auto text = r.Render();
  EXPECT_NE(text.find("# TYPE t_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{route=\"GET /\",le=\"0.1\"} 1"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{route=\"GET /\",le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{route=\"GET /\",le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_count{route=\"GET /\"} 3"), std::string::npos);
}

TEST(Metrics, SeriesOfOneFamilyShareOneHeader) {
  MetricsRegistry r;
  r.AddCounter("c_total", "help", "a=\"1\"").Inc(2);
  r.AddCounter("c_total", "help", "a=\"2\"").Inc();
  const auto text = r.Render();
  EXPECT_EQ(text.find("# TYPE c_total counter"), text.rfind("# TYPE c_total counter"));
  EXPECT_NE(text.find("c_total{a=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("c_total{a=\"2\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace hoithi::core
