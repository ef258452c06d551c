// Stratified sampling without replacement on a seeded generator.
#include "quiz/draw.hpp"

#include <algorithm>
#include <numeric>
#include <random>

namespace hoithi::quiz {
namespace {

/// A uniform integer in [0, n), by rejection: the same on every standard library.
std::uint64_t Below(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return x % n;
}

/// Moves `k` uniformly chosen elements of `v` to its front (partial Fisher-Yates).
template <class T>
void ChooseFront(std::vector<T>& v, std::size_t k, std::mt19937_64& rng) {
  for (std::size_t i = 0; i < k; ++i) {
    const auto j = i + static_cast<std::size_t>(Below(rng, v.size() - i));
    std::swap(v[i], v[j]);
  }
}

core::Error TooSmall(std::string message) {
  auto e = core::MakeError(core::ErrorKind::kConflict, "bank_too_small", std::move(message));
  e.detail = "question bank cannot satisfy the draw";
  return e;
}

}  // namespace

core::Result<std::vector<DrawnItem>> Draw(const ActiveBank& bank, const DrawRules& rules,
                                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto& all = bank.questions;
  std::vector<bool> taken(all.size(), false);
  std::vector<std::size_t> chosen;

  for (const auto& [topic, quota] : rules.quotas) {
    if (quota <= 0) continue;
    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i]->topic == topic) pool.push_back(i);
    }
    if (pool.size() < static_cast<std::size_t>(quota)) {
      return TooSmall("Ngân hàng câu hỏi không đủ câu thuộc chủ đề " + topic +
                      " để ra đề. Vui lòng báo Ban Tổ chức.");
    }
    ChooseFront(pool, static_cast<std::size_t>(quota), rng);
    for (int i = 0; i < quota; ++i) {
      chosen.push_back(pool[static_cast<std::size_t>(i)]);
      taken[pool[static_cast<std::size_t>(i)]] = true;
    }
  }
  const auto rest =
      static_cast<std::size_t>(std::max(0, rules.count - static_cast<int>(chosen.size())));
  std::vector<std::size_t> pool;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!taken[i]) pool.push_back(i);
  }
  if (pool.size() < rest) {
    return TooSmall("Ngân hàng câu hỏi không đủ câu để ra đề. Vui lòng báo Ban Tổ chức.");
  }
  ChooseFront(pool, rest, rng);
  chosen.insert(chosen.end(), pool.begin(), pool.begin() + static_cast<long>(rest));

  if (rules.shuffle_questions) {
    for (std::size_t i = chosen.size(); i > 1; --i) {
      std::swap(chosen[i - 1], chosen[static_cast<std::size_t>(Below(rng, i))]);
    }
  } else {
    std::sort(chosen.begin(), chosen.end());
  }

  std::vector<DrawnItem> out;
  for (const auto index : chosen) {
    const auto& q = *all[index];
    DrawnItem item;
    item.question_id = q.question_id;
    item.version = q.version;
    item.option_order.resize(q.options.size());
    std::iota(item.option_order.begin(), item.option_order.end(), 0);
    if (rules.shuffle_options) {
      for (std::size_t i = item.option_order.size(); i > 1; --i) {
        std::swap(item.option_order[i - 1],
                  item.option_order[static_cast<std::size_t>(Below(rng, i))]);
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace hoithi::quiz
