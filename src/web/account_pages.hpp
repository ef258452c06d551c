// Pages of one's own account: /dang-nhap, /dang-xuat, /dang-ky, /ho-so, /doi-mat-khau.
#pragma once

#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterAccountPages(http::Router& router, const WebDeps& deps);

}  // namespace hoithi::web
