// Install-wide secrets (the CSRF key, the key that seals initial passwords) kept in the database,
// so that every instance of a multi-instance install uses the same ones.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

/// The 32-byte secret `name`, created at random on first use. Not for network threads.
core::Result<std::string> LoadOrCreateSecret(store::Database& db, std::string_view name,
                                             core::TimePoint now);

}  // namespace hoithi::accounts
