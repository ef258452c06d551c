// What published results are handed out as, besides the canonical file (publication.hpp): the
// sheet the Department of Home Affairs adds to each unit's administrative-reform (PAR) score, the
// results announcement (thông báo kết quả) and the certificates (giấy chứng nhận) as PDF
// documents, all drawn from a frozen snapshot so they say exactly what was published.
#pragma once

#include <vector>

#include "contest/contest.hpp"
#include "documents/document.hpp"
#include "results/draft.hpp"
#include "results/publication.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::results {

/// One row per unit in ranking order: participation (count, headcount, rate), the quiz and
/// video components, the total and rank, the unit's collective prize, its individual winners and
/// its video prizes.
spreadsheet::Sheet ParSheet(const Draft& draft);

/// The announcement of publication `p`: the official heading, every prize with its amount, the
/// total, the unit ranking with its formula, the file's digest, the signature.
documents::Document Announcement(const Draft& draft, const contest::Contest& contest,
                                 const Publication& p);

/// A certificate for each prize of the draft, in its order (unit prizes name the unit; an
/// individual's names the person and their unit).
std::vector<documents::Certificate> Certificates(const Draft& draft,
                                                 const contest::Contest& contest,
                                                 const Publication& p);
/// The PDF properties of the file of every certificate.
documents::PdfInfo CertificatesInfo(const contest::Contest& contest);

}  // namespace hoithi::results
