// The worker thread and its one catch of handler exceptions.
#include "jobs/worker.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::jobs {
namespace {

constexpr auto kPoll = std::chrono::seconds(1);
constexpr auto kStaleAfter = std::chrono::minutes(2);
constexpr auto kProgressEvery = std::chrono::milliseconds(500);

}  // namespace

Worker::Worker(store::Database& db, const core::Clock& clock, std::string name)
    : db_(db), clock_(clock), name_(std::move(name)) {}

Worker::~Worker() {
  Stop();
}

void Worker::Register(const std::string& kind, Handler handler) {
  handlers_[kind] = std::move(handler);
}

void Worker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Worker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Worker::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    bool worked = false;
    try {
      worked = RunOne();
    } catch (const std::exception& e) {
      spdlog::error("job worker: {}", e.what());
    }
    if (worked) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kPoll, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

bool Worker::RunOne() {
  std::vector<std::string> kinds;
  for (const auto& [kind, h] : handlers_)
    kinds.push_back(kind);
  std::optional<Job> job;
  const auto now = clock_.Now();
  auto claimed = db_.WriteAndWait([&](store::Connection& c) -> core::Status {
    auto r = ClaimNext(c, kinds, name_, now, now - kStaleAfter);
    if (!r) return std::move(r).error();
    job = std::move(*r);
    return core::Ok();
  });
  if (!claimed) {
    spdlog::warn("job worker: cannot claim: {} {}", claimed.error().code, claimed.error().detail);
    return false;
  }
  if (!job) return false;
  spdlog::info("job {} ({}) started", job->id, job->kind);

  auto last_report = std::chrono::steady_clock::now() - kProgressEvery;
  JobContext context{*job, [&](int done, int total) {
                       const auto t = std::chrono::steady_clock::now();
                       if (t - last_report < kProgressEvery && done < total) return;
                       last_report = t;
                       const auto id = job->id;
                       const auto at = clock_.Now();
                       // Waited for: writes still queued are unordered (store::Database::Write),
                       // and the last report must land before FinishJob below.
                       (void)db_.WriteAndWait([=, this](store::Connection& c) {
                         return ReportProgress(c, id, name_, done, total, at);
                       });
                     }};
  core::Result<std::string> outcome = std::string();
  try {
    outcome = handlers_.at(job->kind)(context);
  } catch (const std::exception& e) {
    spdlog::error("job {} ({}) threw: {}", job->id, job->kind, e.what());
    outcome = core::MakeError(core::ErrorKind::kInternal, "internal_error",
                              "Đã xảy ra lỗi hệ thống khi xử lý. Vui lòng thử lại.");
  }
  const bool ok = outcome.ok();
  const std::string result = ok ? *outcome : std::string();
  const std::string error = ok ? std::string() : outcome.error().message;
  if (!ok)
    spdlog::warn("job {} ({}) failed: {} {}", job->id, job->kind, outcome.error().code,
                 outcome.error().detail);
  auto finished = db_.WriteAndWait([&](store::Connection& c) {
    return FinishJob(c, job->id, name_, ok, result, error, clock_.Now());
  });
  if (!finished) {
    spdlog::error("job {}: cannot record the outcome: {}", job->id, finished.error().detail);
  } else {
    spdlog::info("job {} ({}) {}", job->id, job->kind, ok ? "done" : "failed");
  }
  return true;
}

}  // namespace hoithi::jobs
