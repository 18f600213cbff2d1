// engine/submission.hpp: a submission as received, before it is checked. Two ways in, one shape.
//
// JSON (the API): blocks and composites are objects, repeats are arrays of objects, `choices`
// arrays of strings, dates "YYYY-MM-DD", numbers JSON numbers, `yesno` and `attest` JSON
// booleans, everything else strings; null is the same as leaving the key out.
//
// Flat form fields (an HTML form post): one name per answer, the dotted path of the field
// (`person.name.first`); a repeat entry is named with a 0-based index, as the form renders
// it (`household[0].full_name`, `household[1].full_name`); entries must be numbered from 0
// without gaps. A date is either one field (`move_date=2024-05-01`, what <input type=date>
// posts) or three (`move_date.month`, `move_date.day`, `move_date.year`). A `choices` field
// is the same name once per ticked option (`programs=snap&programs=medicaid`, what checkboxes
// post). `yesno` and `attest` take yes/no, true/false, on/off or 1/0 (a ticked checkbox posts
// "on").
//
// Both readers build the same RawSubmission, which validate() checks along one path. Unknown
// names are reported (V0010), never dropped silently; limits bound every dimension of the input
// and a submission beyond one is refused with a single error (V0002-V0006).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/messages.hpp"

namespace askonce::engine {

class Plan;

/// Bounds on what a reader accepts.
struct InputLimits {
  std::size_t max_bytes = 2u << 20;        // the JSON document, or all flat names and values
  std::size_t max_depth = 64;              // JSON nesting of objects and arrays
  std::size_t max_values = 20000;          // JSON values, or flat fields
  std::size_t max_value_bytes = 64u << 10; // one string, number or name
  std::size_t max_entries = 1000;          // entries of one repeat, items of one choices field
  std::size_t max_member_bytes = 64u << 10; // a `member`'s value, written as canonical JSON
};

/// How an answer arrived.
enum class RawKind : std::uint8_t {
  Absent,     // not sent
  Null,       // JSON null: the same as not sent
  Bool,       // a JSON boolean (flag)
  Number,     // a JSON number, its text exactly as written
  String,     // a JSON string
  FormText,   // a flat form field: always text, read leniently by the field's kind
  List,       // JSON array of strings, or a flat name given once per ticked option (items)
  DateParts,  // flat month, day and year (items[0..2]; empty when not sent)
  Mismatch,   // a JSON value of the wrong kind: an object or array where a value belongs, ...
  Json,       // a `member`'s value of its JSON type, as canonical JSON (text)
};

struct RawEntry;

struct RawValue {
  RawKind kind = RawKind::Absent;
  bool flag = false;  // Bool: the value; a `member`'s Mismatch: a string in it is not UTF-8
  std::string text;
  std::vector<std::string> items;
};

struct RawAnswer {
  RawValue value;
  std::vector<RawEntry> entries;  // a repeat's entries
  bool seen = false;              // already given once
};

/// The answers of one entry: the whole form, or one entry of a repeat. Indexed by
/// Plan::slot(field), like Entry.
struct RawEntry {
  std::vector<RawAnswer> answers;
  bool present = true;  // false: a flat index skipped over (an error)
};

/// A problem with the input itself rather than with one answer.
struct InputError {
  std::string path;  // "household[1].nmae"; empty for the whole submission
  Message message = Message::InvalidJson;
  std::uint64_t limit = 0;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
};

struct RawSubmission {
  RawEntry top;
  std::vector<InputError> errors;
  bool refused = false;  // a limit or a JSON syntax error: nothing was read
};

/// Reads a JSON submission for `plan`'s form.
RawSubmission read_json(const Plan& plan, std::string_view json, const InputLimits& limits = {});
/// The same, into `out`, reusing the storage it holds from an earlier submission (a server
/// thread keeps one RawSubmission and reads every submission into it).
void read_json(const Plan& plan, std::string_view json, RawSubmission& out, const InputLimits& limits = {});

/// Reads flat form fields (name, value), in the order they were posted.
RawSubmission read_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                               const InputLimits& limits = {});

/// Splits an application/x-www-form-urlencoded body into (name, value) pairs, decoding `+` and
/// `%XX`. Malformed escapes are kept as written.
std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body);

}  // namespace askonce::engine
