// `hoithi serve`: wires every module into the running server. The only place that knows them all.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/database.hpp"

namespace hoithi::app {

void AddServeCommand(CLI::App& app, cli::Globals& globals);

}  // namespace hoithi::app
