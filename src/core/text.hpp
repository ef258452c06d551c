// Vietnamese text helpers: UTF-8 validation, NFC normalisation, cleaning of names typed by people,
// and the diacritic-insensitive search key ("Kế Sách" -> "ke sach"). ICU does the Unicode work.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hoithi::core {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

/// The offset of the first byte that is not part of well-formed UTF-8; npos when there is none.
std::size_t FirstInvalidUtf8(std::string_view s);

/// `s` in Unicode NFC. Precondition: IsValidUtf8(s).
std::string ToNfc(std::string_view s);

/// Trimmed, inner whitespace runs collapsed to one space, control characters dropped, NFC.
/// The form every person-typed name and title is stored in. Precondition: IsValidUtf8(s).
std::string CleanText(std::string_view s);

/// Lower case, without diacritics (đ -> d), whitespace collapsed: the key that search compares,
/// so "nguyen van a" finds "Nguyễn Văn A". Precondition: IsValidUtf8(s).
std::string FoldForSearch(std::string_view s);

/// Number of Unicode code points in valid UTF-8 `s`.
std::size_t CodePointCount(std::string_view s);

/// `s` as ASCII lower case (other bytes unchanged).
std::string AsciiLower(std::string_view s);

}  // namespace hoithi::core
