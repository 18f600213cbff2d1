// engine/normalize.hpp: the canonical form of answers, and of a whole submission.
//
// One answer has one canonical text, so that two channels that received the same answers
// store and route exactly the same bytes:
//   text      trimmed of Unicode white space at both ends and normalized to NFC (utf8proc);
//             `longtext` line breaks become "\n"
//   email     the domain lower case
//   phone     E.164: "+12025550123"
//   ssn, ein, zip   digits only
//   url       scheme and host lower case
//   state     upper case ("ca" -> "CA")
//   numbers   exact decimals: integers and decimals without needless zeros ("12.5"), money with
//             exactly 2 decimals ("12.50"); written as JSON strings
//   dates     ISO 8601 "YYYY-MM-DD"
//   choices   the ticked options in the order the form lists them
//
// The canonical JSON document of a submission, compact (no white space), keys in this order:
//   {"askonce_submission":1,"form":ID,"version":N,"definition_hash":"sha256:…",
//    "language":"en","channel":"web","received":"2024-05-01T12:00:00Z",
//    "answers":{…},"digest":"sha256:…"}
// "answers" follows form order: each answered field under its name, a block or composite as an
// object of its parts, a repeat as an array of entry objects. Fields not shown, blank answers,
// notes, and blocks or composites with no answer are left out. Strings are written as UTF-8
// with only `"`, `\` and control characters escaped. "digest" is the SHA-256 of the document's
// bytes without its final `,"digest":"…"` member (that is, up to "answers"'s closing brace,
// then `}`).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace askonce::engine {

class Plan;
struct Submission;

/// What is wrong with a text, if anything.
enum class TextProblem : std::uint8_t {
  None,
  NotText,    // not UTF-8, or holds control characters
  LineBreak,  // a one-line text with a line break inside
  Bidi,       // holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069), which
              // makes text show in another order than it is ("invoice\u202Efdp.exe" shows as
              // "invoiceexe.pdf") in every view an agency or a clerk reads
};

/// Makes `text` canonical in place: trimmed, NFC, line breaks "\n" (multiline) or refused.
TextProblem canonical_text(std::string& text, bool multiline);

/// Each takes canonical text and gives the canonical value, or nothing when it is not one.
std::optional<std::string> canonical_email(std::string_view text);
std::optional<std::string> canonical_phone(std::string_view text);  // US 10 digits, or E.164
std::optional<std::string> canonical_ssn(std::string_view text);
std::optional<std::string> canonical_ein(std::string_view text);
std::optional<std::string> canonical_zip(std::string_view text);
std::optional<std::string> canonical_url(std::string_view text);

/// Fills submission.canonical_json and submission.digest from its answers and metadata.
void write_canonical(const Plan& plan, Submission& submission);

/// `text` as a JSON string literal, escaped as in the canonical document.
std::string json_string(std::string_view text);

/// "sha256:<hex>" of `bytes`.
std::string sha256(std::string_view bytes);

/// SHA-256 of bytes given piece by piece, as they come, without joining them first.
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256(Sha256&&) noexcept = default;
  Sha256& operator=(Sha256&&) noexcept = default;
  ~Sha256();

  void update(std::string_view bytes);
  /// "sha256:<hex>" of every piece given so far; the hasher starts again, empty.
  std::string finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

/// True when `document` is a canonical submission whose "digest" matches its bytes.
bool digest_matches(std::string_view document);

}  // namespace askonce::engine
