// The participant's quiz pages (/thi...), the rules page (/the-le), and the public leaderboard
// (/xep-hang) and unit statistics (/thong-ke).
#pragma once

#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterQuizPages(http::Router& router, const WebDeps& deps);

}  // namespace hoithi::web
