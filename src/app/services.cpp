// Services: construction in dependency order, the start-up that must precede listening, and the
// stop in reverse.
#include "app/services.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include "accounts/known_devices.hpp"
#include "accounts/roster.hpp"
#include "accounts/secrets.hpp"
#include "accounts/users.hpp"
#include "results/certificates_job.hpp"
#include "video/processing.hpp"

namespace hoithi::app {
namespace {

/// This process's name in the jobs table: host and pid.
std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

int HashThreads(const core::Config& config) {
  return config.auth.hash_threads > 0 ? config.auth.hash_threads : core::UsableCores();
}

/// Where the results' rendered documents live (the certificates job's files).
std::filesystem::path ResultsDir(const core::Config& config) {
  return std::filesystem::path(config.storage.data_dir) / "results";
}

video::VideoOptions VideoOptionsFrom(const core::Config& config, std::string_view view_key) {
  video::VideoOptions options;
  options.view_key = std::string(view_key);
  options.tus.max_size = static_cast<std::uint64_t>(config.video.max_upload_mb) << 20;
  options.upload_expiry = std::chrono::hours(config.video.upload_expiry_h);
  return options;
}

video::media::Settings MediaSettingsFrom(const core::Config& config) {
  video::media::Settings settings;
  settings.max_duration = std::chrono::seconds(config.video.max_duration_s);
  settings.threads = config.video.ffmpeg_threads;
  return settings;
}

accounts::AuthOptions AuthOptionsFrom(const core::Config& config, std::string_view csrf_key) {
  accounts::AuthOptions options;
  options.cost = cli::PasswordCostFrom(config);
  options.device_key = accounts::DeviceKeyFrom(csrf_key);
  return options;
}

}  // namespace

Services::Services(const core::Config& config, store::Database& db, core::MetricsRegistry& metrics,
                   std::string csrf_key_in, std::string seal_key_in,
                   std::unique_ptr<video::LocalFileStore> video_files_in)
    : config(config),
      db(db),
      metrics(metrics),
      versions(db),
      current(db, versions, clock),
      settings(db, current, clock),
      contests(db, current, clock),
      notices(db, clock),
      editions(db, current, clock),
      statics("web/static/"),
      views(statics),
      // Password hashing is slow by design: a bounded pool off the network threads, at a lower
      // priority so that a login storm cannot take the CPU from the quiz, refusing (429) a login
      // that would wait more than hash_max_wait_ms rather than letting it time out.
      hash_pool("hash", HashThreads(config), static_cast<std::size_t>(config.auth.hash_queue),
                {std::chrono::milliseconds(config.auth.hash_max_wait_ms), 10}),
      auth_options(AuthOptionsFrom(config, csrf_key_in)),
      auth(db, versions, hash_pool, clock, auth_options),
      registration(db, hash_pool, clock, auth_options.cost),
      staff(db, auth, clock),
      setup(db, hash_pool, clock, auth_options.cost),
      verification(db, clock),
      csrf_key(std::move(csrf_key_in)),
      seal_key(std::move(seal_key_in)),
      worker(db, clock, WorkerName()),
      units(db, clock),
      rosters(db, clock, seal_key, [this] { worker.Wake(); }),
      question_cache(db, versions),
      standings(db, versions),
      attempts(db, question_cache, clock, standings,
               std::chrono::milliseconds(config.limits.start_waiting_room_ms)),
      bank(db, question_cache, clock),
      sweeper(attempts),
      boards(std::chrono::milliseconds(config.server.public_cache_ms)),
      video_files(std::move(video_files_in)),
      media(MediaSettingsFrom(config)),
      videos(db, clock, *video_files, VideoOptionsFrom(config, csrf_key),
             [this] { worker.Wake(); }),
      judging(db, clock, settings),
      results(db, standings, settings, clock, ResultsDir(config), [this] { worker.Wake(); }),
      upload_sweeper("upload sweep", std::chrono::minutes(10), [this] {
        auto n = videos.SweepExpired();
        if (!n) spdlog::warn("upload sweep: {} {}", n.error().code, n.error().detail);
        if (n && *n > 0) spdlog::info("upload sweep: {} unfinished uploads expired", *n);
      }) {
  clock.SetOffset(std::chrono::seconds(config.testing.clock_offset_s));
  metrics.AddGaugeFunction(
      "hoithi_queue_depth", "Work waiting in a queue",
      [this] { return static_cast<double>(hash_pool.queued()); }, "queue=\"hash\"");
  // Background jobs: this process claims and runs them like any other instance would. The roster
  // import runs one at a time per instance, once (jobs::KindOptions' defaults); its accounts are
  // created only while this worker still holds the job.
  worker.Register(std::string(accounts::kRosterJobKind), [this](jobs::JobContext& context) {
    return accounts::ImportRoster(this->db, clock, auth_options.cost, seal_key, context.job.payload,
                                  context.progress, [&context](store::Connection& c) {
                                    return jobs::CheckClaim(c, context.job.id, context.claimant);
                                  });
  });
  // Videos: ffprobe, the poster and the web copy, a few at a time per instance (transcode_slots;
  // at nice 10, with bounded threads), retried with backoff when ffmpeg or the database failed
  // rather than the file. The heartbeat runs on its own timer, so a quiet ffmpeg keeps its job.
  jobs::KindOptions video_kind;
  video_kind.slots = config.video.transcode_slots;
  video_kind.max_attempts = video::kProcessAttempts;
  worker.Register(
      std::string(video::kProcessJobKind),
      [this](jobs::JobContext& context) {
        return video::ProcessVideo(this->db, clock, *video_files, media, context);
      },
      video_kind);
  // The certificates of published results: one PDF of every page, one job at a time per
  // instance, at nice 10 so that rendering a thousand pages yields the CPU to the quiz.
  jobs::KindOptions certificates_kind;
  certificates_kind.nice = 10;
  worker.Register(
      std::string(results::kCertificatesJobKind),
      [this](jobs::JobContext& context) {
        return results::RenderCertificatesJob(this->db, ResultsDir(this->config), context);
      },
      certificates_kind);
  // A unit that accounts belong to is not deleted.
  units.AddUsageCheck(accounts::AccountsUsingUnit);
}

core::Result<std::unique_ptr<Services>> Services::Create(const core::Config& config,
                                                         store::Database& db,
                                                         core::MetricsRegistry& metrics) {
  core::SystemClock clock;
  clock.SetOffset(std::chrono::seconds(config.testing.clock_offset_s));
  auto secrets = accounts::LoadOrCreateSecrets(
      db, (std::filesystem::path(config.storage.data_dir) / "secrets.key").string());
  if (!secrets) return std::move(secrets).error();
  auto video_files = video::LocalFileStore::Open(config.storage.data_dir);
  if (!video_files) return std::move(video_files).error();
  // Temporary files a crash left mid-write (a poster, a web copy); an hour leaves any write
  // still under way elsewhere (another instance on the shared mount) alone.
  if (const auto n = (*video_files)->RemoveStaleTempFiles(std::chrono::hours(1)); n > 0) {
    spdlog::info("removed {} temporary video files left by an earlier run", n);
  }
  std::unique_ptr<Services> s(new Services(config, db, metrics, std::move(secrets->csrf),
                                           std::move(secrets->seal), std::move(*video_files)));
  // A server without any administrator: the one-time setup page, its token in the log.
  auto token = s->setup.Begin();
  if (!token) return std::move(token).error();
  if (*token) {
    spdlog::warn(
        "chưa có quản trị viên: mở http://<máy chủ>:{}/cai-dat-ban-dau, mã thiết lập: {} (hoặc "
        "chạy `hoithi user add --role admin ...`)",
        config.server.port, **token);
  }
  s->versions.Start();
  s->standings.Start();
  if (const auto contest = s->current.Get()) {
    auto lease = db.Read();
    if (auto st = s->standings.Preload(*lease, *contest); !st) {
      spdlog::warn("standings of {} not preloaded: {} {}", contest->slug, st.error().code,
                   st.error().detail);
    }
  }
  return s;
}

Services::~Services() {
  Stop();
}

void Services::Start() {
  worker.Start();
  sweeper.Start();
  upload_sweeper.Start();
}

bool Services::Stop(std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (stopped_) return true;
  stopped_ = true;
  // Asks the jobs in hand to stop; one not stopped by the deadline is released, to run again from
  // the start here after the restart or at once on another instance. Without a deadline the job
  // in hand finishes.
  bool jobs_stopped = true;
  if (deadline) {
    jobs_stopped = worker.Stop(*deadline);
  } else {
    worker.Stop();
  }
  upload_sweeper.Stop();
  sweeper.Stop();
  standings.Stop();
  hash_pool.Stop();  // finishes logins in flight; their writes reach the committer
  versions.Stop();
  db.Close();  // commits every write still queued
  return jobs_stopped;
}

}  // namespace hoithi::app
