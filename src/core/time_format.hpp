// Local time for people: conversion between UTC time points and a contest's time zone
// (default Asia/Ho_Chi_Minh) and the Vietnamese display forms (dd/mm/yyyy, 24-hour time).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace hoithi::core {

inline constexpr std::string_view kDefaultTimeZone = "Asia/Ho_Chi_Minh";

/// True when `tz` names a zone of the system's tz database.
bool IsKnownTimeZone(std::string_view tz);

/// The UTC instant of a wall-clock time in `tz`; hour may be 24 (= 00:00 of the next day),
/// as the plan writes "24 giờ 00 ngày 15/10/2021". Empty when the date or zone is invalid.
std::optional<TimePoint> LocalToUtc(int year, int month, int day, int hour, int minute,
                                    std::string_view tz);

/// "15/09/2021"
std::string FormatDate(TimePoint t, std::string_view tz);
/// "07:00 15/09/2021"; a time at exactly midnight is written "24:00" of the previous day when
/// `midnight_as_24` (for closing times, as the plan writes them).
std::string FormatDateTime(TimePoint t, std::string_view tz, bool midnight_as_24 = false);
/// "15/09/2021 07:00:05", for logs and audit trails.
std::string FormatTimestamp(TimePoint t, std::string_view tz);
/// "2021-09-15T00:00:00.000Z" (RFC 3339, UTC).
std::string FormatRfc3339(TimePoint t);
/// Parses RFC 3339 with a Z or ±hh:mm offset; empty when malformed.
std::optional<TimePoint> ParseRfc3339(std::string_view s);

/// "45 giây", "4 phút 05 giây": how long an attempt took.
std::string FormatDuration(std::int64_t ms);

/// "10.000.000 đồng"
std::string FormatVnd(long long amount);
/// "10.000.000" (dots between thousands, as Vietnamese writes numbers)
std::string FormatThousands(long long n);

}  // namespace hoithi::core
