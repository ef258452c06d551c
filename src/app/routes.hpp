// Every route of the server, registered in one place: each handler group (api/, web/) gets the
// services it uses and nothing more.
#pragma once

#include <functional>

#include "app/services.hpp"
#include "http/router.hpp"

namespace hoithi::app {

/// The complete route table. `final_router` returns the table once it is complete (the route
/// list endpoint reads it then).
http::Router BuildRoutes(Services& s, std::function<const http::Router&()> final_router);

/// The HTML error page (web/pages.hpp) for the request pipeline.
std::string ErrorPage(Services& s, const http::Request& request, const core::Error& error,
                      int status);

}  // namespace hoithi::app
