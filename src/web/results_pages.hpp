// The organisers' results page (/quan-tri/ket-qua): the draft collective ranking with every
// component, the prizes it gives with the amounts and their total, the ties the committee
// decides (with a reason), what else stands in the way of publishing, the weights' form, the
// review and the publication (asked first). The public results page (/ket-qua): what was
// published, its digest and file, the publications it replaced.
#pragma once

#include "http/router.hpp"
#include "results/results_service.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct ResultsPageDeps : SiteDeps {
  results::ResultsService& results;
};

void RegisterResultsPages(http::Router& router, const ResultsPageDeps& deps);

}  // namespace hoithi::web
