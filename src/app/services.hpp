// Every long-lived part of a running server, built in dependency order by Services::Create
// (each member is constructed after those it uses, as they are declared below) and stopped in
// the reverse order by Stop: the background threads first, the database last, so that every
// write still queued is committed.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "accounts/auth_service.hpp"
#include "accounts/participant_counts.hpp"
#include "accounts/registration.hpp"
#include "accounts/roster_service.hpp"
#include "accounts/setup.hpp"
#include "accounts/staff.hpp"
#include "accounts/verification.hpp"
#include "api/standings.hpp"
#include "cli/database.hpp"
#include "contest/contest_service.hpp"
#include "contest/current_contest_cache.hpp"
#include "contest/notices.hpp"
#include "contest/settings_service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "core/periodic.hpp"
#include "core/work_pool.hpp"
#include "editions/edition_service.hpp"
#include "http/static_files.hpp"
#include "jobs/worker.hpp"
#include "judging/judging_service.hpp"
#include "quiz/attempts.hpp"
#include "quiz/question_bank.hpp"
#include "quiz/question_cache.hpp"
#include "quiz/standings.hpp"
#include "quiz/sweeper.hpp"
#include "store/data_versions.hpp"
#include "results/results_service.hpp"
#include "store/database.hpp"
#include "units/unit_service.hpp"
#include "video/entry_service.hpp"
#include "video/media.hpp"
#include "video/storage.hpp"
#include "web/views.hpp"

namespace hoithi::app {

class Services {
 public:
  /// Builds everything for `config` on the opened (and migrated) database; an Error when a
  /// secret cannot be read or made. Starts the threads that must run before the server listens
  /// (change counters, standings); Start runs the rest.
  static core::Result<std::unique_ptr<Services>> Create(const core::Config& config,
                                                        store::Database& db,
                                                        core::MetricsRegistry& metrics);
  ~Services();

  /// The background work that may begin once the server listens: jobs and the deadline sweeper.
  void Start();
  /// Stops the threads in the reverse order of their start; then commits every queued write and
  /// closes the database. Idempotent. With a deadline, a job handler still running at it is left
  /// behind (its job released) and false is returned: the caller should then exit at once.
  bool Stop(std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

  const core::Config& config;
  store::Database& db;
  core::MetricsRegistry& metrics;
  core::SystemClock clock;
  store::DataVersions versions;  // change counters: every instance's caches follow the others
  contest::CurrentContestCache current;
  contest::SettingsService settings;
  contest::ContestService contests;
  contest::NoticeService notices;
  editions::EditionService editions;
  http::StaticFiles statics;
  web::Views views;
  core::WorkPool hash_pool;  // password hashing, off the network threads, bounded
  accounts::AuthOptions auth_options;
  accounts::AuthService auth;
  accounts::RegistrationService registration;
  accounts::StaffService staff;
  accounts::SetupService setup;
  accounts::VerificationService verification;
  accounts::ParticipantCounts participant_counts;
  std::string csrf_key;
  std::string seal_key;
  jobs::Worker worker;
  units::UnitService units;
  accounts::RosterService rosters;
  quiz::QuestionCache question_cache;
  quiz::Standings standings;  // ranks and unit statistics in memory
  quiz::AttemptService attempts;
  quiz::QuestionBankService bank;
  quiz::DeadlineSweeper sweeper;
  api::BoardMemo boards;
  std::unique_ptr<video::LocalFileStore> video_files;  // <data_dir>/videos/
  video::media::Settings media;
  video::EntryService videos;
  judging::JudgingService judging;
  results::ResultsService results;
  core::Periodic upload_sweeper;  // uploads left unfinished past their expiry

 private:
  Services(const core::Config& config, store::Database& db, core::MetricsRegistry& metrics,
           std::string csrf_key, std::string seal_key,
           std::unique_ptr<video::LocalFileStore> video_files);
  bool stopped_ = false;
};

}  // namespace hoithi::app
