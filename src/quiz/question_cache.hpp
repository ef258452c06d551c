// The question bank as attempts use it, kept in memory: the active questions of a contest (their
// current versions) to draw from, and every version an attempt refers to, to show and grade it
// without reading the database. Versions never change once written, so they are cached for good;
// the active list is reloaded when this process changed the bank, or when the questions change
// counter moved (any instance changed it).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"

namespace hoithi::quiz {

struct QuestionVersion {
  std::int64_t question_id = 0;
  int version = 0;
  std::string topic;
  std::string text;
  std::vector<std::string> options;  // in authoring order; an option's id is its index here
  int correct = 0;
  std::string source;
};

/// The active questions of one contest, as of some moment.
struct ActiveBank {
  std::vector<std::shared_ptr<const QuestionVersion>> questions;
};

class QuestionCache {
 public:
  /// Active lists are reloaded once the questions change counter moves (store::DataVersions):
  /// an edit through any instance reaches every instance's draws within one poll.
  QuestionCache(store::Database& db, store::DataVersions& versions);

  /// The contest's active questions (current versions).
  core::Result<std::shared_ptr<const ActiveBank>> Active(std::int64_t contest_id);

  /// One version of a question (any version ever written).
  core::Result<std::shared_ptr<const QuestionVersion>> Version(std::int64_t question_id,
                                                               int version);

  /// Forgets the contest's active list (after this process changed the bank).
  void Invalidate(std::int64_t contest_id);

 private:
  struct Entry {
    std::shared_ptr<const ActiveBank> bank;
    std::int64_t counter = 0;  // the questions change counter it was loaded at
  };
  store::Database& db_;
  store::DataVersions& versions_counter_;
  std::mutex mu_;
  std::map<std::int64_t, Entry> active_;
  std::map<std::pair<std::int64_t, int>, std::shared_ptr<const QuestionVersion>> versions_;
};

/// Reads one version from the database (kNotFound when there is none).
core::Result<QuestionVersion> LoadVersion(store::Connection& conn, std::int64_t question_id,
                                          int version);

}  // namespace hoithi::quiz
