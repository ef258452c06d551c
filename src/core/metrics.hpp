// Prometheus metrics: counters, gauges and histograms registered once at start-up and updated
// lock-free on hot paths; Registry::Render writes the text exposition format for GET /metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hoithi::core {

class Counter {
 public:
  void Inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(std::int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

/// Cumulative histogram over fixed upper bounds (in the unit of the metric, e.g. seconds).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  std::vector<std::uint64_t> BucketCounts() const;  // non-cumulative, last = +Inf
  const std::vector<double>& bounds() const { return bounds_; }
  double sum() const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// Latency buckets in seconds, from 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

class MetricsRegistry {
 public:
  /// Each Add* registers one series; `labels` is the inside of {...}, e.g. `route="GET /"`.
  /// The returned reference stays valid for the registry's lifetime.
  Counter& AddCounter(const std::string& name, const std::string& help,
                      const std::string& labels = {});
  Gauge& AddGauge(const std::string& name, const std::string& help, const std::string& labels = {});
  Histogram& AddHistogram(const std::string& name, const std::string& help,
                          std::vector<double> bounds, const std::string& labels = {});
  void AddGaugeFunction(const std::string& name, const std::string& help,
                        std::function<double()> fn, const std::string& labels = {});

  /// The Prometheus text exposition of every series.
  std::string Render() const;

 private:
  struct Series {
    std::string labels;
    Counter* counter = nullptr;
    Gauge* gauge = nullptr;
    Histogram* histogram = nullptr;
    std::function<double()> fn;
  };
  struct Family {
    std::string name, help, type;
    std::vector<Series> series;
  };
  Family& FamilyFor(const std::string& name, const std::string& help, const std::string& type);

  mutable std::mutex mu_;
  std::deque<Family> families_;
  std::deque<Counter> counters_;
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
};

/// A label value escaped for the exposition format.
std::string EscapeLabel(const std::string& value);

}  // namespace hoithi::core
