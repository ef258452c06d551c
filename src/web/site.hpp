// What every page handler shares: its dependencies and the layout around its content (site name,
// organiser contact, the navigation for who is signed in).
#pragma once

#include <string>

#include "accounts/auth_service.hpp"
#include "accounts/registration.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "http/message.hpp"
#include "store/database.hpp"
#include "web/views.hpp"

namespace hoithi::web {

struct WebDeps {
  store::Database& db;
  const core::Clock& clock;
  const Views& views;
  contest::CurrentContestCache& current;
  accounts::AuthService& auth;
  accounts::RegistrationService& registration;
};

/// The layout for `request` (its viewer decides the navigation).
Layout LayoutFor(const WebDeps& deps, const http::Request& request, std::string title);

/// A rendered page as a response.
http::Response PageResponse(const WebDeps& deps, const http::Request& request, int status,
                            std::string_view page, const Data& data, std::string title);

/// Sets `key` only when `value` is not empty (mustache treats "" as true in a section).
void SetIfPresent(Data& data, const std::string& key, const std::string& value);

/// Field values and per-field error messages of a form, for re-rendering it: "v_<field>" and
/// "err_<field>" (plus "errors": the list, for the summary at the top).
void SetFormErrors(Data& data, const core::Error& error);

}  // namespace hoithi::web
