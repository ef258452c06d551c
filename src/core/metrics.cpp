// Metric types and the Prometheus text renderer.
#include "core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hoithi::core {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  buckets_[static_cast<size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(std::llround(std::max(v, 0.0) * 1e6)),
                        std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::BucketCounts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i)
    out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

double Histogram::sum() const {
  return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricsRegistry::Family& MetricsRegistry::FamilyFor(const std::string& name,
                                                    const std::string& help,
                                                    const std::string& type) {
  for (auto& f : families_) {
    if (f.name == name) return f;
  }
  families_.push_back(Family{name, help, type, {}});
  return families_.back();
}

Counter& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                     const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& c = counters_.emplace_back();
  FamilyFor(name, help, "counter").series.push_back(Series{labels, &c, nullptr, nullptr, {}});
  return c;
}

Gauge& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                 const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& g = gauges_.emplace_back();
  FamilyFor(name, help, "gauge").series.push_back(Series{labels, nullptr, &g, nullptr, {}});
  return g;
}

Histogram& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                         std::vector<double> bounds, const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& h = histograms_.emplace_back(std::move(bounds));
  FamilyFor(name, help, "histogram").series.push_back(Series{labels, nullptr, nullptr, &h, {}});
  return h;
}

void MetricsRegistry::AddGaugeFunction(const std::string& name, const std::string& help,
                                       std::function<double()> fn, const std::string& labels) {
  std::lock_guard lock(mu_);
  FamilyFor(name, help, "gauge")
      .series.push_back(Series{labels, nullptr, nullptr, nullptr, std::move(fn)});
}

namespace {
std::string Braced(const std::string& labels, const std::string& extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  if (labels.empty()) return "{" + extra + "}";
  if (extra.empty()) return "{" + labels + "}";
  return "{" + labels + "," + extra + "}";
}
std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}
}  // namespace

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& f : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& s : f.series) {
      if (s.counter) {
        out += fmt::format("{}{} {}\n", f.name, Braced(s.labels), s.counter->value());
      } else if (s.gauge) {
        out += fmt::format("{}{} {}\n", f.name, Braced(s.labels), s.gauge->value());
      } else if (s.fn) {
        out += fmt::format("{}{} {}\n", f.name, Braced(s.labels), Number(s.fn()));
      } else if (s.histogram) {
        const auto counts = s.histogram->BucketCounts();
        std::uint64_t cumulative = 0;
        for (size_t i = 0; i < counts.size(); ++i) {
          cumulative += counts[i];
          const std::string le =
              i < s.histogram->bounds().size() ? Number(s.histogram->bounds()[i]) : "+Inf";
          out += fmt::format("{}_bucket{} {}\n", f.name, Braced(s.labels, "le=\"" + le + "\""),
                             cumulative);
        }
        out += fmt::format("{}_sum{} {}\n", f.name, Braced(s.labels), Number(s.histogram->sum()));
        out += fmt::format("{}_count{} {}\n", f.name, Braced(s.labels), cumulative);
      }
    }
  }
  return out;
}

std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace hoithi::core
