// QuestionCache: loading the active questions and versions.
#include "quiz/question_cache.hpp"

#include <nlohmann/json.hpp>

namespace hoithi::quiz {
namespace {

constexpr std::string_view kVersionColumns =
    "q.id, v.version, q.topic, v.text, v.options, v.correct, v.source";

QuestionVersion FromRow(const store::Row& r) {
  QuestionVersion v;
  v.question_id = r.Int(0);
  v.version = static_cast<int>(r.Int(1));
  v.topic = r.Str(2);
  v.text = r.Str(3);
  const auto options = nlohmann::json::parse(r.Text(4), nullptr, false);
  if (options.is_array()) {
    for (const auto& o : options)
      v.options.push_back(o.is_string() ? o.get<std::string>() : "");
  }
  v.correct = static_cast<int>(r.Int(5));
  v.source = r.Str(6);
  return v;
}

}  // namespace

core::Result<QuestionVersion> LoadVersion(store::Connection& conn, std::int64_t question_id,
                                          int version) {
  std::optional<QuestionVersion> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kVersionColumns) +
                            " FROM questions q JOIN question_versions v ON v.question_id = q.id"
                            " WHERE q.id = $1 AND v.version = $2",
                        {question_id, version}, [&](const store::Row& r) { out = FromRow(r); }));
  if (!out) {
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy câu hỏi.");
  }
  return *out;
}

QuestionCache::QuestionCache(store::Database& db, store::DataVersions& versions)
    : db_(db), versions_counter_(versions) {}

core::Result<std::shared_ptr<const ActiveBank>> QuestionCache::Active(std::int64_t contest_id) {
  // Read before the questions: a change committed meanwhile leaves this entry stale.
  const auto counter = versions_counter_.Current(store::Cached::kQuestions);
  {
    std::lock_guard lock(mu_);
    const auto it = active_.find(contest_id);
    if (it != active_.end() && it->second.counter == counter) return it->second.bank;
  }
  auto bank = std::make_shared<ActiveBank>();
  {
    auto lease = db_.Read();
    HOITHI_TRY(lease->Query(
        "SELECT " + std::string(kVersionColumns) +
            " FROM questions q JOIN question_versions v ON v.question_id = q.id"
            " AND v.version = q.current_version WHERE q.contest_id = $1 AND q.active = 1"
            " ORDER BY q.id",
        {contest_id}, [&](const store::Row& r) {
          bank->questions.push_back(std::make_shared<const QuestionVersion>(FromRow(r)));
        }));
  }
  std::lock_guard lock(mu_);
  for (const auto& q : bank->questions)
    versions_[{q->question_id, q->version}] = q;
  active_[contest_id] = Entry{bank, counter};
  return std::shared_ptr<const ActiveBank>(bank);
}

core::Result<std::shared_ptr<const QuestionVersion>> QuestionCache::Version(
    std::int64_t question_id, int version) {
  {
    std::lock_guard lock(mu_);
    const auto it = versions_.find({question_id, version});
    if (it != versions_.end()) return it->second;
  }
  core::Result<QuestionVersion> loaded = QuestionVersion{};
  {
    auto lease = db_.Read();
    loaded = LoadVersion(*lease, question_id, version);
  }
  if (!loaded) return std::move(loaded).error();
  auto shared = std::make_shared<const QuestionVersion>(std::move(*loaded));
  std::lock_guard lock(mu_);
  versions_[{question_id, version}] = shared;
  return shared;
}

void QuestionCache::Invalidate(std::int64_t contest_id) {
  std::lock_guard lock(mu_);
  active_.erase(contest_id);
}

}  // namespace hoithi::quiz
