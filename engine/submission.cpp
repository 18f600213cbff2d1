// engine/submission.cpp: the JSON reader and the flat form-field reader.
//
// The JSON reader is a small recursive-descent parser driven by the plan: each key is looked up
// among the members of the group being read and the value goes straight into its answer slot,
// so no generic JSON tree is built. Numbers keep their text, so no value passes through binary
// floating point.
#include "engine/submission.hpp"

#include <algorithm>
#include <cstring>

#include "engine/plan.hpp"
#include "engine/plan_internal.hpp"
#include "engine/normalize.hpp"
#include "engine/utf8.hpp"
#include "engine/value.hpp"

namespace askonce::engine {

using detail::FieldPlan;
using detail::PlanData;
using model::FieldId;
using model::Kind;
using model::no_field;

namespace {

struct Refuse {};  // thrown inside a reader when the input is refused as a whole; never leaves it

/// The index of the first byte at or after `i` that ends a run of a JSON string's plain bytes:
/// '"', '\\' or a control character (or the end). Eight bytes at a time: a word holds one of them
/// when one of its bytes is zero after XOR with '"' or '\\', or below 0x20 (the has-zero-byte and
/// has-less-than tests of "Bit Twiddling Hacks", exact about whether there is one; the byte
/// loop then finds where).
std::size_t plain_run_end(std::string_view s, std::size_t i) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  while (i + 8 <= s.size()) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x)) & highs) break;
    i += 8;
  }
  while (i < s.size() && s[i] != '"' && s[i] != '\\' && static_cast<unsigned char>(s[i]) >= 0x20) ++i;
  return i;
}

struct PathPart {
  std::string_view name;
  std::int64_t index = -1;  // >= 0: an entry of the repeat `name`
};

std::string join(const std::vector<PathPart>& parts, std::string_view last = {}) {
  std::string out;
  for (const auto& p : parts) {
    if (p.index >= 0) {
      out += '[';
      out += std::to_string(p.index);
      out += ']';
    } else {
      if (!out.empty()) out += '.';
      out += p.name;
    }
  }
  if (!last.empty()) {
    if (!out.empty()) out += '.';
    out += last;
  }
  return out;
}

void size_entry(const Plan& plan, FieldId repeat, RawEntry& e) { e.answers.resize(plan.entry_size(repeat)); }

/// Makes `e` an entry of `repeat` with nothing read, keeping the storage it has.
void reset_entry(const Plan& plan, FieldId repeat, RawEntry& e) {
  e.present = true;
  const std::size_t n = plan.entry_size(repeat);
  if (e.answers.size() != n) {
    e.answers.clear();
    e.answers.resize(n);
    return;
  }
  for (RawAnswer& a : e.answers) {
    if (!a.seen && a.value.kind == RawKind::Absent && a.entries.empty() && a.value.text.empty() && a.value.items.empty()) {
      continue;
    }
    a.value.kind = RawKind::Absent;
    a.value.flag = false;
    a.value.text.clear();
    a.value.items.clear();
    a.entries.clear();
    a.seen = false;
  }
}

class JsonReader {
 public:
  JsonReader(const Plan& plan, std::string_view s, const InputLimits& l, RawSubmission& out)
      : plan_(plan), d_(plan.data()), s_(s), limits_(l), out_(out) {}

  void read() {
    reset_entry(plan_, no_field, out_.top);
    ws();
    if (i_ >= s_.size()) syntax();
    if (s_[i_] != '{') {
      skip_value();
      ws();
      if (i_ != s_.size()) syntax();
      refuse(Message::NotAnObject);
    }
    object(no_field, out_.top);
    ws();
    if (i_ != s_.size()) syntax();
  }

 private:
  [[noreturn]] void refuse(Message m, std::uint64_t limit = 0, std::string path = {}) {
    out_.errors.clear();
    InputError e;
    e.path = std::move(path);
    e.message = m;
    e.limit = limit;
    if (m == Message::InvalidJson) {
      std::uint64_t line = 1, column = 1;
      for (std::size_t k = 0; k < std::min(i_, s_.size()); ++k) {
        if (s_[k] == '\n') {
          ++line;
          column = 1;
        } else if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) {
          ++column;
        }
      }
      e.line = line;
      e.column = column;
    }
    out_.errors.push_back(std::move(e));
    out_.refused = true;
    throw Refuse{};
  }
  [[noreturn]] void syntax() { refuse(Message::InvalidJson); }

  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  char peek() {
    ws();
    if (i_ >= s_.size()) syntax();
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c) syntax();
    ++i_;
  }
  void count_value() {
    if (++values_ > limits_.max_values) refuse(Message::TooManyValues, limits_.max_values);
  }
  void enter() {
    if (++depth_ > limits_.max_depth) refuse(Message::TooDeep, limits_.max_depth);
  }
  void leave() { --depth_; }

  void error(Message m, std::string path) {
    InputError e;
    e.path = std::move(path);
    e.message = m;
    out_.errors.push_back(std::move(e));
  }

  static void put_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  unsigned hex4() {
    if (i_ + 4 > s_.size()) syntax();
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else syntax();
    }
    return v;
  }

  /// A JSON string into `out`; the bytes must be UTF-8 (checked by canonical_text later, and
  /// here for the structure of multi-byte sequences only where escapes are decoded).
  void string(std::string& out) {
    out.clear();
    expect('"');
    while (true) {
      if (i_ >= s_.size()) syntax();
      // Copy the run without escapes in one go.
      const std::size_t j = plain_run_end(s_, i_);
      out.append(s_.data() + i_, j - i_);
      i_ = j;
      if (out.size() > limits_.max_value_bytes) refuse(Message::ValueTooLong, limits_.max_value_bytes);
      if (i_ >= s_.size()) syntax();
      const char c = s_[i_++];
      if (c == '"') return;
      if (c != '\\') syntax();  // a raw control character
      if (i_ >= s_.size()) syntax();
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          char32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') syntax();
            i_ += 2;
            const char32_t lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) syntax();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            syntax();
          }
          put_utf8(out, cp);
          break;
        }
        default: syntax();
      }
    }
  }

  /// A member's name at '"': a view of the input when it holds no escape (nearly always), so
  /// that it is not copied; else decoded, as string() does, into key_.
  std::string_view name() {
    const std::size_t start = i_ + 1;
    const std::size_t end = plain_run_end(s_, start);
    if (end < s_.size() && s_[end] == '"') {
      if (end - start > limits_.max_value_bytes) {
        i_ = end;
        refuse(Message::ValueTooLong, limits_.max_value_bytes);
      }
      i_ = end + 1;
      return s_.substr(start, end - start);
    }
    string(key_);
    return key_;
  }

  void number(std::string& out) {
    const std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    const auto digits = [&] {
      const std::size_t b = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == b) syntax();
      return i_ - b;
    };
    const std::size_t int_start = i_;
    const std::size_t n = digits();
    if (n > 1 && s_[int_start] == '0') syntax();
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      digits();
    }
    if (i_ - start > limits_.max_value_bytes) refuse(Message::ValueTooLong, limits_.max_value_bytes);
    out.assign(s_.substr(start, i_ - start));
  }

  void literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) syntax();
    i_ += word.size();
  }

  void skip_value() {
    count_value();
    switch (peek()) {
      case '{': {
        enter();
        ++i_;
        if (peek() == '}') {
          ++i_;
        } else {
          while (true) {
            string(scratch_);
            expect(':');
            skip_value();
            if (peek() == ',') {
              ++i_;
              continue;
            }
            expect('}');
            break;
          }
        }
        leave();
        break;
      }
      case '[': {
        enter();
        ++i_;
        if (peek() == ']') {
          ++i_;
        } else {
          while (true) {
            skip_value();
            if (peek() == ',') {
              ++i_;
              continue;
            }
            expect(']');
            break;
          }
        }
        leave();
        break;
      }
      case '"': string(scratch_); break;
      case 't': literal("true"); break;
      case 'f': literal("false"); break;
      case 'n': literal("null"); break;
      default: number(scratch_);
    }
  }

  /// Reads an object whose members are the parts of `scope` into `entry`.
  void object(FieldId scope, RawEntry& entry) {
    count_value();
    enter();
    expect('{');
    if (peek() == '}') {
      ++i_;
      leave();
      return;
    }
    while (true) {
      if (peek() != '"') syntax();
      const std::string_view key = name();
      expect(':');
      const FieldId f = plan_.member(scope, key);
      if (f == no_field) {
        error(Message::UnknownField, join(path_, key));
        skip_value();
      } else {
        const FieldPlan& p = d_.fields[f];
        RawAnswer& a = entry.answers[p.slot];
        if (a.seen) {
          error(Message::Duplicate, join(path_, p.field->name));
          skip_value();
        } else {
          a.seen = true;
          path_.push_back({p.field->name});
          member(f, p, entry, a);
          path_.pop_back();
        }
      }
      if (peek() == ',') {
        ++i_;
        continue;
      }
      expect('}');
      break;
    }
    leave();
  }

  void mismatch(RawAnswer& a) {
    a.value.kind = RawKind::Mismatch;
    skip_value();
  }

  void member(FieldId f, const FieldPlan& p, RawEntry& entry, RawAnswer& a) {
    const char c = peek();
    if (c == 'n') {
      count_value();
      literal("null");
      a.value.kind = RawKind::Null;
      return;
    }
    switch (p.kind) {
      case Kind::Group: case Kind::Address: case Kind::Name:
        if (c == '{') object(f, entry);
        else mismatch(a);
        return;
      case Kind::Repeat: {
        if (c != '[') return mismatch(a);
        count_value();
        enter();
        ++i_;
        if (peek() == ']') {
          ++i_;
          leave();
          return;
        }
        while (true) {
          if (peek() != '{') {
            a.entries.clear();
            mismatch(a);
            // Skip the rest of the array.
            while (peek() == ',') {
              ++i_;
              skip_value();
            }
            expect(']');
            leave();
            return;
          }
          if (a.entries.size() >= limits_.max_entries) refuse(Message::TooManyEntriesInput, limits_.max_entries, join(path_));
          a.entries.emplace_back();
          size_entry(plan_, f, a.entries.back());
          path_.push_back({{}, static_cast<std::int64_t>(a.entries.size() - 1)});
          object(f, a.entries.back());
          path_.pop_back();
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect(']');
          break;
        }
        leave();
        return;
      }
      case Kind::Choices: {
        if (c != '[') return mismatch(a);
        count_value();
        enter();
        ++i_;
        a.value.kind = RawKind::List;
        if (peek() == ']') {
          ++i_;
          leave();
          return;
        }
        while (true) {
          if (peek() != '"') {
            a.value.kind = RawKind::Mismatch;
            skip_value();
          } else {
            count_value();
            if (a.value.items.size() >= limits_.max_entries) refuse(Message::TooManyEntriesInput, limits_.max_entries, join(path_));
            a.value.items.emplace_back();
            string(a.value.items.back());
          }
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect(']');
          break;
        }
        leave();
        return;
      }
      case Kind::Note:
        skip_value();
        return;
      case Kind::Member: {
        // Taken as sent when of its JSON type, written again as canonical JSON (docs/dsl.md,
        // "Members without a question"), within the reader's limits and one of its own.
        std::string& out = a.value.text;
        out.clear();
        bad_text_ = false;
        items_fit_ = true;
        const model::JsonType got = copy_value(out, p.field);
        if (out.size() > limits_.max_member_bytes) refuse(Message::ValueTooLong, limits_.max_member_bytes, join(path_));
        const bool fits = type_fits(got, p.field->json) && items_fit_;
        a.value.kind = fits && !bad_text_ ? RawKind::Json : RawKind::Mismatch;
        a.value.flag = bad_text_;
        if (a.value.kind != RawKind::Json) out.clear();
        return;
      }
      default:
        break;
    }
    count_value();
    switch (c) {
      case '"':
        a.value.kind = RawKind::String;
        string(a.value.text);
        return;
      case 't':
        literal("true");
        a.value.kind = RawKind::Bool;
        a.value.flag = true;
        return;
      case 'f':
        literal("false");
        a.value.kind = RawKind::Bool;
        a.value.flag = false;
        return;
      case '{': case '[':
        --values_;
        mismatch(a);
        return;
      default:
        a.value.kind = RawKind::Number;
        number(a.value.text);
        return;
    }
  }

  static bool type_fits(model::JsonType got, model::JsonType want) {
    return got == want || (want == model::JsonType::Number && got == model::JsonType::Integer) ||
           want == model::JsonType::Any;
  }

  static bool valid_utf8(std::string_view t) {
    for (std::size_t i = 0; i < t.size();) {
      const std::size_t at = i;
      if (utf8::next(t, i) == 0xFFFD && t.substr(at, 3) != "\xEF\xBF\xBD") return false;
    }
    return true;
  }

  /// Copies one JSON value into `out` as canonical JSON (no white space, strings escaped as
  /// the canonical document escapes them, numbers and member order as sent) and gives its
  /// type; null is Any. A member's array items are checked against its items' type
  /// (items_fit_); a string that is not UTF-8 sets bad_text_; a name given twice in one
  /// object is V0011, as anywhere in a submission.
  model::JsonType copy_value(std::string& out, const model::Field* items_of = nullptr) {
    count_value();
    switch (peek()) {
      case '{': {
        enter();
        ++i_;
        out += '{';
        std::vector<std::string> names;
        if (peek() == '}') {
          ++i_;
        } else {
          while (true) {
            if (peek() != '"') syntax();
            std::string key;
            string(key);
            if (!valid_utf8(key)) bad_text_ = true;
            if (std::find(names.begin(), names.end(), key) != names.end()) error(Message::Duplicate, join(path_, key));
            expect(':');
            if (!names.empty()) out += ',';
            out += json_string(key);
            out += ':';
            names.push_back(std::move(key));
            copy_value(out);
            if (out.size() > limits_.max_member_bytes) refuse(Message::ValueTooLong, limits_.max_member_bytes, join(path_));
            if (peek() == ',') {
              ++i_;
              continue;
            }
            expect('}');
            break;
          }
        }
        out += '}';
        leave();
        return model::JsonType::Object;
      }
      case '[': {
        enter();
        ++i_;
        out += '[';
        const model::Field* member = items_of;
        bool fit = true;
        if (peek() == ']') {
          ++i_;
        } else {
          for (bool first = true;; first = false) {
            if (!first) out += ',';
            const model::JsonType t = copy_value(out);
            if (member && member->json_items != model::JsonType::Any && !type_fits(t, member->json_items)) {
              fit = false;
            }
            if (out.size() > limits_.max_member_bytes) refuse(Message::ValueTooLong, limits_.max_member_bytes, join(path_));
            if (peek() == ',') {
              ++i_;
              continue;
            }
            expect(']');
            break;
          }
        }
        if (member) items_fit_ = fit;  // a nested array's items are anything
        out += ']';
        leave();
        return model::JsonType::Array;
      }
      case '"':
        string(scratch_);
        if (!valid_utf8(scratch_)) bad_text_ = true;
        out += json_string(scratch_);
        return model::JsonType::String;
      case 't': literal("true"); out += "true"; return model::JsonType::Boolean;
      case 'f': literal("false"); out += "false"; return model::JsonType::Boolean;
      case 'n': literal("null"); out += "null"; return model::JsonType::Any;
      default: {
        number(scratch_);
        out += scratch_;
        if (scratch_.find_first_of(".eE") == std::string::npos) return model::JsonType::Integer;
        const auto d = Decimal::parse(scratch_, true);
        return d && d->is_integer() ? model::JsonType::Integer : model::JsonType::Number;
      }
    }
  }

  const Plan& plan_;
  const PlanData& d_;
  std::string_view s_;
  const InputLimits& limits_;
  RawSubmission& out_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;
  std::size_t values_ = 0;
  std::vector<PathPart> path_;
  std::string scratch_;
  std::string key_;
  bool bad_text_ = false;   // copy_value: a string that is not UTF-8
  bool items_fit_ = true;   // copy_value: every item of a member's array has its items' type
};

/// Reports entries skipped over by flat indexes (household[0] and household[2], no [1]).
void find_gaps(const Plan& plan, FieldId repeat, RawEntry& entry, std::vector<PathPart>& path,
               std::vector<InputError>& errors) {
  const PlanData& d = plan.data();
  for (FieldId f : plan.entry_fields(repeat)) {
    if (d.fields[f].kind != Kind::Repeat) continue;
    RawAnswer& a = entry.answers[d.fields[f].slot];
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
      // The path names the repeat by its id relative to the entry; build it from the field id.
      std::string_view id = d.fields[f].field->id;
      if (repeat != no_field) id.remove_prefix(d.fields[repeat].field->id.size() + 1);
      path.push_back({id});
      path.push_back({{}, static_cast<std::int64_t>(i)});
      if (!a.entries[i].present) {
        InputError e;
        e.path = join(path);
        e.message = Message::MissingEntry;
        errors.push_back(std::move(e));
      } else {
        find_gaps(plan, f, a.entries[i], path, errors);
      }
      path.pop_back();
      path.pop_back();
    }
  }
}

}  // namespace

RawSubmission read_json(const Plan& plan, std::string_view json, const InputLimits& limits) {
  RawSubmission out;
  read_json(plan, json, out, limits);
  return out;
}

void read_json(const Plan& plan, std::string_view json, RawSubmission& out, const InputLimits& limits) {
  out.errors.clear();
  out.refused = false;
  if (json.size() > limits.max_bytes) {
    out.top = RawEntry{};
    out.errors.push_back(InputError{{}, Message::TooLarge, limits.max_bytes, 0, 0});
    out.refused = true;
    return;
  }
  try {
    JsonReader(plan, json, limits, out).read();
  } catch (const Refuse&) {
    out.top = RawEntry{};
  }
}

RawSubmission read_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                               const InputLimits& limits) {
  RawSubmission out;
  const PlanData& d = plan.data();
  size_entry(plan, no_field, out.top);
  const auto refuse = [&](Message m, std::uint64_t limit, std::string path = {}) {
    out.errors.clear();
    out.errors.push_back(InputError{std::move(path), m, limit, 0, 0});
    out.refused = true;
    out.top = RawEntry{};
    return out;
  };
  if (fields.size() > limits.max_values) return refuse(Message::TooManyValues, limits.max_values);
  std::size_t bytes = 0;
  for (const auto& [name, value] : fields) {
    bytes += name.size() + value.size();
    if (name.size() > limits.max_value_bytes || value.size() > limits.max_value_bytes) {
      return refuse(Message::ValueTooLong, limits.max_value_bytes, name.size() > 1000 ? std::string() : name);
    }
  }
  if (bytes > limits.max_bytes) return refuse(Message::TooLarge, limits.max_bytes);

  const auto unknown = [&](const std::string& name) {
    out.errors.push_back(InputError{name, Message::UnknownField, 0, 0, 0});
  };
  for (const auto& [name, value] : fields) {
    FieldId scope = no_field;
    RawEntry* entry = &out.top;
    std::string_view rest = name;
    bool done = false;
    while (!done) {
      const std::size_t dot = rest.find('.');
      std::string_view segment = rest.substr(0, dot);
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      const bool last = dot == std::string_view::npos;
      std::int64_t index = -1;
      if (const auto open = segment.find('['); open != std::string_view::npos) {
        if (segment.back() != ']' || segment.size() - open - 2 == 0 || segment.size() - open - 2 > 9) {
          unknown(name);
          break;
        }
        index = 0;
        for (char c : segment.substr(open + 1, segment.size() - open - 2)) {
          if (c < '0' || c > '9') {
            index = -2;
            break;
          }
          index = index * 10 + (c - '0');
        }
        segment = segment.substr(0, open);
        if (index < 0) {
          unknown(name);
          break;
        }
      }
      const FieldId f = plan.member(scope, segment);
      if (f == no_field) {
        unknown(name);
        break;
      }
      const FieldPlan& p = d.fields[f];
      RawAnswer& a = entry->answers[p.slot];
      if (index >= 0) {
        if (p.kind != Kind::Repeat || last) {
          unknown(name);
          break;
        }
        if (static_cast<std::uint64_t>(index) >= limits.max_entries) {
          return refuse(Message::TooManyEntriesInput, limits.max_entries, std::string(name));
        }
        while (a.entries.size() <= static_cast<std::size_t>(index)) {
          a.entries.emplace_back();
          size_entry(plan, f, a.entries.back());
          a.entries.back().present = false;
        }
        entry = &a.entries[static_cast<std::size_t>(index)];
        entry->present = true;
        scope = f;
        continue;
      }
      switch (p.kind) {
        case Kind::Group: case Kind::Address: case Kind::Name:
          if (last) {
            unknown(name);
            done = true;
          }
          scope = f;
          continue;
        case Kind::Repeat: case Kind::Note: case Kind::Member:  // a member comes only as JSON
          unknown(name);
          done = true;
          continue;
        case Kind::Date:
          if (!last) {
            static constexpr std::string_view parts[] = {"month", "day", "year"};
            const auto it = std::find(std::begin(parts), std::end(parts), rest);
            if (it == std::end(parts)) {
              unknown(name);
              done = true;
              continue;
            }
            if (a.value.kind != RawKind::DateParts && a.value.kind != RawKind::Absent) {
              out.errors.push_back(InputError{name, Message::Duplicate, 0, 0, 0});
              done = true;
              continue;
            }
            a.value.kind = RawKind::DateParts;
            a.value.items.resize(3);
            auto& slot = a.value.items[static_cast<std::size_t>(it - std::begin(parts))];
            if (!slot.empty()) out.errors.push_back(InputError{name, Message::Duplicate, 0, 0, 0});
            else slot = value;
            done = true;
            continue;
          }
          break;
        default:
          break;
      }
      if (!last) {
        unknown(name);
        break;
      }
      if (p.kind == Kind::Choices) {
        if (a.value.items.size() >= limits.max_entries) {
          return refuse(Message::TooManyEntriesInput, limits.max_entries, std::string(name));
        }
        a.value.kind = RawKind::List;
        a.value.items.push_back(value);
      } else if (a.value.kind != RawKind::Absent) {
        out.errors.push_back(InputError{name, Message::Duplicate, 0, 0, 0});
      } else {
        a.value.kind = RawKind::FormText;
        a.value.text = value;
      }
      done = true;
    }
  }
  std::vector<PathPart> path;
  find_gaps(plan, no_field, out.top, path, out.errors);
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto decode = [](std::string_view s) {
    std::string r;
    r.reserve(s.size());
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        r += ' ';
      } else if (s[i] == '%' && i + 2 < s.size() + 0 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
        r += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
        i += 2;
      } else {
        r += s[i];
      }
    }
    return r;
  };
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      out.emplace_back(decode(pair.substr(0, eq)), eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace askonce::engine
