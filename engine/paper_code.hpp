// engine/paper_code.hpp: the code printed on every page of the paper form, as a QR code and as
// the same short text under it, so that a clerk holding a mailed page can key it against the
// exact definition it was printed from (an older version too, from the definitions archive).
//
// The text is defined here once, for the PDF renderer that prints it and the server that looks
// it up: `askonce:FORMID:VERSION:HASHPREFIX:PAGE`, e.g. `askonce:change_of_address:1:3f2a9c1b07de:2`.
// HASHPREFIX is the first 12 hex digits of the definition hash (Form::definition_hash, after
// "sha256:"): 48 bits, enough to tell apart every definition a form will ever have, short
// enough to type. Only ASCII letters, digits, '_' and ':' appear, so the code fits a small QR
// code in byte mode and reads the same aloud.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace askonce::model {
struct Form;
}

namespace askonce::engine {

/// How many hex digits of the definition hash a paper code carries.
inline constexpr std::size_t paper_hash_prefix_length = 12;

/// What a page's code says: which form, which version, which definition, which page.
struct PaperCode {
  std::string form_id;      // Form::id
  std::int64_t version = 0;
  std::string hash_prefix;  // paper_hash_prefix_length lower-case hex digits
  std::uint32_t page = 0;   // 1-based
};

/// The code of page `page` of `form`'s paper form.
PaperCode paper_code(const model::Form& form, std::uint32_t page);

/// The code as printed: "askonce:FORMID:VERSION:HASHPREFIX:PAGE".
std::string format_paper_code(const PaperCode& code);

/// Reads a code as printed, or as a clerk types it (spaces around it, upper-case hex). Nothing
/// when it is not one: another prefix, a form id that is not an identifier, a version or page
/// that is not a whole number from 1, a hash prefix that is not 12 hex digits, more than 200
/// bytes.
std::optional<PaperCode> parse_paper_code(std::string_view text);

/// True when `definition_hash` ("sha256:<hex>") starts with `prefix`.
bool hash_has_prefix(std::string_view definition_hash, std::string_view prefix);

}  // namespace askonce::engine
