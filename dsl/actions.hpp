// dsl/actions.hpp: grammar actions that build the syntax tree into an explicit state.
//
// Everything under construction lives on stacks in ParserState, so that a statement that
// fails half-way can be dropped by truncating them (checkpoint/restore), and the rest of
// the file still parses. Actions that find a bad value (a date that does not exist, an
// escape beyond U+10FFFF) throw a positioned parse_error like the grammar does.
#pragma once

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/compiler.hpp"
#include "dsl/errors.hpp"
#include "dsl/grammar.hpp"
#include "engine/utf8.hpp"
#include "engine/value.hpp"

namespace askonce::dsl {

/// Thrown when the diagnostic limit is reached; ends the parse.
struct TooManyDiagnostics {};

/// Turns byte positions into code-point columns and lengths: nothing to do for an
/// ASCII-only file, and a scan of each line once otherwise.
class ColumnMap {
 public:
  explicit ColumnMap(std::string_view text) : text_(text) {
    ascii_ = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  }

  /// A SourceRef for bytes [begin, end) starting at (line, byte column). Actions ask in
  /// source order, so the count of continuation bytes in the current line is carried over
  /// from the last call instead of rescanning the line.
  model::SourceRef ref(std::uint32_t file, std::size_t begin, std::size_t end, std::size_t line,
                       std::size_t byte_column) const {
    model::SourceRef r;
    r.file = file;
    r.line = static_cast<std::uint32_t>(line);
    if (ascii_) {
      r.column = static_cast<std::uint32_t>(byte_column);
      r.length = static_cast<std::uint32_t>(end - begin);
      return r;
    }
    const std::size_t line_start = begin - (byte_column - 1);
    if (line_start != line_start_ || begin < scanned_to_) {
      line_start_ = line_start;
      scanned_to_ = line_start;
      count_ = 0;
    }
    count_ += count(scanned_to_, begin);
    scanned_to_ = begin;
    r.column = static_cast<std::uint32_t>(byte_column - count_);
    r.length = static_cast<std::uint32_t>((end - begin) - count(begin, end));
    return r;
  }

 private:
  std::uint32_t count(std::size_t from, std::size_t to) const {
    std::uint32_t n = 0;
    for (std::size_t i = from; i < to && i < text_.size(); ++i) {
      n += (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80;
    }
    return n;
  }

  std::string_view text_;
  bool ascii_ = true;
  mutable std::size_t line_start_ = std::string::npos;
  mutable std::size_t scanned_to_ = 0;
  mutable std::uint32_t count_ = 0;
};

using Frame = std::variant<ast::Form, ast::Section, ast::Block, ast::List, ast::Agency, ast::Item>;

struct ParserState {
  ParserState(std::string_view text, std::uint32_t file, const Limits& limits, std::vector<Diagnostic>& out)
      : text(text), file_index(file), limits(limits), diagnostics(out), columns(text) {}

  std::string_view text;
  std::uint32_t file_index;
  const Limits& limits;
  std::vector<Diagnostic>& diagnostics;
  ColumnMap columns;
  ast::File file;

  // Under construction.
  std::vector<Frame> frames;
  // A rule's `if EXPR` (rule_if), parsed before the rule's own action takes it.
  ast::Run rule_when;
  bool has_rule_when = false;
  std::vector<ast::ExprNode> exprs;  // postfix: each finished subexpression is a range that ends a subtree
  std::vector<std::pair<model::Op, model::SourceRef>> ops;
  std::vector<std::size_t> marks;  // where a call's or a list's arguments start in exprs (a node index)
  std::vector<std::pair<model::Literal, model::SourceRef>> literals;
  std::vector<std::pair<std::string, model::SourceRef>> names;
  std::vector<ast::TextPart> text_parts;  // of the text being read (texts do not nest)
  // The properties of the items being read, innermost item last: prop_marks[i] is where those
  // of the i-th open item start. When an item ends, its own move to file.props as one run.
  std::vector<ast::Property> props;
  std::vector<std::size_t> prop_marks;
  // The same for the items of the bodies being read (sections, blocks and repeats).
  std::vector<ast::Item> items;
  std::vector<std::size_t> item_marks;
  std::vector<ast::Text> texts;
  std::size_t needs_mark = 0;  // texts.size() when a `needs { ... }` list opened
  std::string apply_way;       // the way of the `apply` setting being read ("phone")
  bool standard_working_days = false;  // the unit of the agency `standard` being read
  std::vector<std::string> languages;
  std::vector<model::SourceRef> language_refs;
  std::optional<std::pair<std::string, model::SourceRef>> pending_as;
  // A `member`'s JSON type and its items' type, while its head is read.
  model::JsonType member_json = model::JsonType::Any;
  model::JsonType member_items = model::JsonType::Any;
  model::SourceRef member_items_where;
  std::vector<model::SourceRef> open_braces;
  std::size_t expression_depth = 0;

  // ---- positions ----

  template <typename Input>
  model::SourceRef ref(const Input& in) const {
    const auto& it = in.iterator();
    const std::size_t begin = static_cast<std::size_t>(in.begin() - text.data());
    const std::size_t end = static_cast<std::size_t>(in.end() - text.data());
    return columns.ref(file_index, begin, end, it.line, it.column);
  }
  /// The first word of the input: a statement's keyword.
  template <typename Input>
  model::SourceRef keyword_ref(const Input& in) const {
    auto r = ref(in);
    std::string_view s(in.begin(), in.size());
    std::size_t n = 0;
    while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) ++n;
    r.length = static_cast<std::uint32_t>(n == 0 ? 1 : n);
    return r;
  }
  model::SourceRef ref_at(std::size_t byte, std::size_t line, std::size_t byte_column, std::size_t length) const {
    return columns.ref(file_index, byte, std::min(byte + length, text.size()), line, byte_column);
  }

  // ---- errors ----

  void add(Diagnostic d) {
    if (diagnostics.size() >= limits.max_diagnostics) throw TooManyDiagnostics{};
    diagnostics.push_back(std::move(d));
  }

  /// A grammar or action error: "CODE|message" with an optional "\x1f" + hint.
  void report(const tao::pegtl::parse_error& e) {
    std::string_view m = e.message();
    Diagnostic d;
    const auto bar = m.find('|');
    if (bar == 5) {
      d.code = std::string(m.substr(0, 5));
      m.remove_prefix(6);
    } else {
      d.code = "P0100";  // a grammar rule without a message: still a syntax error
    }
    const auto sep = m.find('\x1f');
    d.message = std::string(m.substr(0, sep));
    if (sep != std::string_view::npos) d.hint = std::string(m.substr(sep + 1));
    const auto& pos = e.positions().front();
    d.where = ref_at(pos.byte, pos.line, pos.column, word_length(pos.byte));
    // A second error where the last one was is the same mistake seen again by an
    // enclosing statement's recovery: say it once.
    if (!diagnostics.empty() && diagnostics.back().where.file == d.where.file &&
        diagnostics.back().where.line == d.where.line && diagnostics.back().where.column == d.where.column) {
      return;
    }
    add(std::move(d));
  }

  /// How much of the text at `byte` to underline: a word, or one character.
  std::size_t word_length(std::size_t byte) const {
    std::size_t n = 0;
    while (byte + n < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[byte + n])) || text[byte + n] == '_')) {
      ++n;
    }
    if (n > 0) return n;
    if (byte >= text.size()) return 0;
    std::size_t k = 1;  // one code point
    while (byte + k < text.size() && (static_cast<unsigned char>(text[byte + k]) & 0xC0) == 0x80) ++k;
    return k;
  }

  template <typename Input>
  [[noreturn]] void fail(const Input& in, const std::string& code_and_message) const {
    throw tao::pegtl::parse_error(code_and_message, in.position());
  }

  // ---- hooks for the custom rules (grammar.hpp) ----

  struct Checkpoint {
    std::size_t frames, exprs, ops, marks, literals, names, text_parts, texts, languages, open_braces, props,
        prop_marks, items, item_marks;
    ast::Runs<ast::Item>::Mark file_items;
    ast::Runs<ast::Property>::Mark file_props;
    ast::Runs<ast::TextPart>::Mark file_text_parts;
    ast::Runs<ast::ExprNode>::Mark file_exprs;
    // file.chars and file.literals only grow: what a failed statement left in an enclosing
    // frame (an agency's receives before the one that failed) may still point into them.
  };
  Checkpoint checkpoint() const {
    return {frames.size(), exprs.size(), ops.size(), marks.size(), literals.size(), names.size(),
            text_parts.size(), texts.size(), languages.size(), open_braces.size(), props.size(), prop_marks.size(),
            items.size(), item_marks.size(), file.items.mark(), file.props.mark(), file.text_parts.mark(),
            file.exprs.mark()};
  }
  void restore(const Checkpoint& c) {
    frames.resize(c.frames);
    exprs.resize(c.exprs);
    ops.resize(c.ops);
    marks.resize(c.marks);
    literals.resize(c.literals);
    names.resize(c.names);
    text_parts.clear();
    texts.resize(c.texts);
    languages.resize(c.languages);
    language_refs.resize(c.languages);
    open_braces.resize(c.open_braces);
    props.erase(props.begin() + static_cast<std::ptrdiff_t>(c.props), props.end());
    prop_marks.resize(c.prop_marks);
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(c.items), items.end());
    item_marks.resize(c.item_marks);
    file.items.truncate(c.file_items);
    file.props.truncate(c.file_props);
    file.text_parts.truncate(c.file_text_parts);
    file.exprs.truncate(c.file_exprs);
    pending_as.reset();
  }

  /// Skips a statement that failed: to the end of its line, or past the brace that closes
  /// what it opened; never past a '}' that closes an enclosing body.
  template <typename Input>
  void skip_statement(Input& in) {
    // A form setting with a syntax error is reported; it must not also be "missing".
    if (!frames.empty() && std::holds_alternative<ast::Form>(frames.back())) {
      const auto word = word_at(in);
      for (std::string_view s : {"title", "version", "languages", "standard", "description", "purpose", "eligibility",
                                 "needs", "duration", "apply"}) {
        if (word == s) std::get<ast::Form>(frames.back()).broken_settings.emplace_back(word);
      }
    }
    std::size_t depth = 0;
    bool moved = false;
    while (!in.empty()) {
      const char c = in.peek_char();
      if (c == '"') {
        in.bump(1);
        while (!in.empty() && in.peek_char() != '"' && in.peek_char() != '\n') {
          in.bump(in.peek_char() == '\\' && in.size(2) >= 2 && in.peek_char(1) != '\n' ? 2 : 1);
        }
        if (!in.empty() && in.peek_char() == '"') in.bump(1);
      } else if (c == '/' && in.size(2) >= 2 && in.peek_char(1) == '/') {
        while (!in.empty() && in.peek_char() != '\n') in.bump(1);
      } else if (c == '/' && in.size(2) >= 2 && in.peek_char(1) == '*') {
        in.bump(2);
        while (!in.empty() && !(in.peek_char() == '*' && in.size(2) >= 2 && in.peek_char(1) == '/')) in.bump(1);
        if (!in.empty()) in.bump(2);
      } else if (c == '{') {
        ++depth;
        in.bump(1);
      } else if (c == '}') {
        if (depth == 0) break;
        --depth;
        in.bump(1);
      } else if (c == '\n' && depth == 0 && moved) {
        in.bump(1);
        return;
      } else {
        in.bump(1);
      }
      moved = true;
    }
    if (!moved && !in.empty()) in.bump(1);  // always make progress
  }

  std::size_t expression_operators = 0;

  /// Counts an operator of the current expression: a long flat chain (`1 + 1 + ...`) makes a
  /// tree as deep as it is long, which later passes walk recursively.
  template <typename Input>
  void count_operator(const Input& in) {
    if (++expression_operators > limits.max_expression_operators) {
      fail(in, "P0208|this expression has more than " + std::to_string(limits.max_expression_operators) +
                   " operators; split it into computed fields");
    }
  }

  template <typename Input>
  void enter_expression(const Input& in) {
    if (expression_depth == 0) expression_operators = 0;
    if (expression_depth >= limits.max_expression_depth) {
      fail(in, "P0208|this expression is nested too deeply (more than " +
                   std::to_string(limits.max_expression_depth) + " levels); split it into computed fields");
    }
    ++expression_depth;
  }
  void leave_expression() { --expression_depth; }

  template <typename Input>
  void open_brace(const Input& in) {
    if (open_braces.size() >= limits.max_nesting) {
      fail(in, "P0207|braces are nested too deeply (more than " + std::to_string(limits.max_nesting) + " levels)");
    }
    const auto& it = in.iterator();
    open_braces.push_back(ref_at(it.byte, it.line, it.column, 1));
  }
  void close_brace() {
    if (!open_braces.empty()) open_braces.pop_back();
  }

  /// Words that start a statement of an enclosing body: seeing one where a '}' was expected
  /// means the '}' was forgotten. `depth` 0: in a form or list body (only declarations close
  /// it); 1: in a section, block, repeat or agency; 2: in a field's properties.
  static bool closes(std::string_view word, int depth) {
    static constexpr std::string_view top[] = {"form", "block", "list"};
    static constexpr std::string_view form[] = {"section", "agency"};
    static constexpr std::string_view items[] = {
        "text", "longtext", "integer", "decimal", "money", "date", "yesno", "choice", "choices", "email",
        "phone", "ssn", "ein", "zip", "url", "address", "name", "attest", "note", "use", "repeat"};
    for (auto w : top) if (w == word) return true;
    if (depth >= 1) for (auto w : form) if (w == word) return true;
    if (depth >= 2) for (auto w : items) if (w == word) return true;
    return false;
  }

  template <typename Input>
  std::string_view word_at(const Input& in) const {
    const std::size_t at = static_cast<std::size_t>(in.current() - text.data());
    return text.substr(at, word_length(at));
  }

  template <typename Context, typename Input>
  void unexpected(const Input& in) {
    using grammar::expectation;
    if (in.empty()) return;
    constexpr const auto& ex = expectation<Context>;
    if (ex.stops_at_close_brace) {
      if (in.peek_char() == '}') return;
      constexpr int depth = std::is_same_v<Context, grammar::properties_context>   ? 2
                            : std::is_same_v<Context, grammar::form_context> ||
                                    std::is_same_v<Context, grammar::list_context>
                                ? 0
                                : 1;
      if (closes(word_at(in), depth)) {
        return;  // close_brace reports the missing '}'
      }
    }
    const std::string word(word_at(in));
    std::string message = std::string(ex.code) + "|";
    if (in.peek_char() == '}') {
      message += "this '}' closes nothing";
    } else {
      message += "unexpected '" + printable(word) + "': expected " + ex.expected;
    }
    std::vector<std::string> candidates;
    for (auto w : ex.words) if (!w.empty()) candidates.emplace_back(w);
    if (const auto best = closest_name(word, candidates); !best.empty()) {
      message += "\x1f" "did you mean '" + best + "'?";
    }
    fail(in, message);
  }

  template <typename Input>
  void unclosed_brace(const Input& in) {
    const model::SourceRef open = open_braces.empty() ? model::SourceRef{} : open_braces.back();
    Diagnostic d;
    d.code = "P0105";
    d.where = open;
    if (in.empty()) {
      d.message = "this '{' is never closed";
      d.hint = "add '}' where this part ends";
    } else {
      const auto& it = in.iterator();
      d.message = "this '{' is not closed before '" + std::string(word_at(in)) + "' on line " +
                  std::to_string(it.line);
      d.hint = "add '}' before line " + std::to_string(it.line);
    }
    add(std::move(d));
    close_brace();
  }

  static std::string printable(std::string_view word) {
    std::string out;
    for (const char c : word) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7F) {
        static constexpr char hex[] = "0123456789ABCDEF";
        out += "\\x";
        out += hex[u >> 4];
        out += hex[u & 15];
      } else {
        out += c;
      }
    }
    return out;
  }

  // ---- helpers for actions ----

  std::pair<std::string, model::SourceRef> pop_name() {
    auto n = std::move(names.back());
    names.pop_back();
    return n;
  }
  ast::Text pop_text() {
    auto t = std::move(texts.back());
    texts.pop_back();
    return t;
  }
  // Expressions: nodes in postfix order (ast::ExprNode), so that a subexpression is a range
  // of `exprs` that ends with its root, and "the last subexpression" is the range that ends
  // the stack.

  /// Where the subexpression whose range ends at node `end` (exclusive) starts.
  std::size_t subtree_start(std::size_t end) const { return end - exprs[end - 1].size; }
  /// How many subexpressions there are from node `first` to the end of the stack.
  std::uint32_t subtrees_from(std::size_t first) const {
    std::uint32_t n = 0;
    for (std::size_t end = exprs.size(); end > first; end = subtree_start(end)) ++n;
    return n;
  }
  /// `s` kept in file.chars.
  ast::Str intern(std::string_view s) {
    const ast::Str out{static_cast<std::uint32_t>(file.chars.size()), static_cast<std::uint32_t>(s.size())};
    file.chars.append(s);
    return out;
  }
  /// A name popped from `names`, kept in file.chars, and where it is.
  std::pair<ast::Str, model::SourceRef> pop_str() {
    auto [name, where] = pop_name();
    return {intern(name), where};
  }
  /// A leaf that names something (a field, a function): the name goes to file.chars.
  void push_named(model::Op op, std::string_view name, model::SourceRef where) {
    ast::ExprNode n;
    n.op = op;
    const ast::Str s = intern(name);
    n.payload = s.offset;
    n.length = s.length;
    n.where = where;
    exprs.push_back(n);
  }
  /// A node over the `args` subexpressions that run from node `first` to the end of the stack.
  void push_parent(model::Op op, std::size_t first, std::uint32_t args, model::SourceRef where) {
    ast::ExprNode n;
    n.op = op;
    n.args = args;
    n.size = static_cast<std::uint32_t>(exprs.size() - first + 1);
    n.where = where;
    exprs.push_back(n);
  }
  /// Moves the last subexpression into file.exprs, as one run.
  ast::Run pop_expr() {
    const std::size_t first = subtree_start(exprs.size());
    const ast::Run run = file.exprs.append(exprs.begin() + static_cast<std::ptrdiff_t>(first), exprs.end());
    exprs.resize(first);
    return run;
  }
  template <typename T>
  T& top() {
    return std::get<T>(frames.back());
  }
  /// Starts an item: its properties are collected in `props` until it ends.
  void open_item(ast::Item item) {
    if (item.kind == ast::ItemKind::Repeat || item.kind == ast::ItemKind::Place) open_body();
    frames.emplace_back(std::move(item));
    prop_marks.push_back(props.size());
  }
  /// Starts a body of items (a section, block or repeat): they are collected in `items`.
  void open_body() { item_marks.push_back(items.size()); }
  /// Ends the innermost body: its items move to file.items as one run.
  ast::Run close_body() {
    const auto first = items.begin() + static_cast<std::ptrdiff_t>(item_marks.back());
    item_marks.pop_back();
    const ast::Run run = file.items.append(first, items.end());
    items.erase(first, items.end());
    return run;
  }
};

/// The span from the start of a to the end of b, when both are on one line.
inline model::SourceRef span(const model::SourceRef& a, const model::SourceRef& b) {
  model::SourceRef r = a;
  if (a.file == b.file && a.line == b.line && b.column + b.length >= a.column) {
    r.length = b.column + b.length - a.column;
  }
  return r;
}

/// Decodes a string literal's text (with its quotes) into UTF-8, appended to `out`.
template <typename Input>
void decode_string_into(const Input& in, const ParserState& st, std::string& out) {
  std::string_view s(in.begin(), in.size());
  s.remove_prefix(1);
  s.remove_suffix(1);
  out.reserve(out.size() + s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    const char e = s[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'u': {
        const auto close = s.find('}', i);
        std::uint32_t cp = 0;
        std::from_chars(s.data() + i + 2, s.data() + close, cp, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0 ||
            (cp < 0x20 && cp != '\t' && cp != '\n')) {
          st.fail(in, "P0203|\\u{" + std::string(s.substr(i + 2, close - i - 2)) +
                          "} is not a character that can appear in a text");
        }
        utf8::append(out, cp);
        i = close;
        break;
      }
      default: out += e; break;
    }
  }
}

/// Decodes a string literal's text (with its quotes) into UTF-8.
template <typename Input>
std::string decode_string(const Input& in, const ParserState& st) {
  std::string out;
  decode_string_into(in, st, out);
  return out;
}

namespace actions {

namespace g = grammar;
using model::Op;

template <typename Rule> struct action : tao::pegtl::nothing<Rule> {};

// ---- names ----

template <> struct action<g::reserved_name> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.fail(in, "P0110|'" + in.string() + "' is a reserved word and cannot be a name");
  }
};

struct push_name {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(in.string(), st.ref(in));
  }
};
template <> struct action<g::form_name> : push_name {};
template <> struct action<g::block_name> : push_name {};
template <> struct action<g::list_name> : push_name {};
template <> struct action<g::section_name> : push_name {};
template <> struct action<g::agency_name> : push_name {};
template <> struct action<g::field_name> : push_name {};
template <> struct action<g::repeat_name> : push_name {};
template <> struct action<g::used_block> : push_name {};
template <> struct action<g::alias_name> : push_name {};
template <> struct action<g::from_list> : push_name {};
template <> struct action<g::receive_quoted> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(decode_string(in, st), st.ref(in));
  }
};
template <> struct action<g::receive_path> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() != '"') st.names.emplace_back(in.string(), st.ref(in));  // else receive_quoted did
  }
};

// ---- literals ----

template <> struct action<g::number> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.size() > 40) st.fail(in, "P0206|this number has more than 40 digits");
    st.literals.emplace_back(model::Number{in.string()}, st.ref(in));
  }
};
template <> struct action<g::date_lit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::string s = in.string();
    model::Date d{std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(5, 2))),
                  static_cast<unsigned>(std::stoi(s.substr(8, 2)))};
    if (!engine::is_real_date(d.year, d.month, d.day)) st.fail(in, "P0205|" + s + " is not a real date");
    st.literals.emplace_back(d, st.ref(in));
  }
};
template <> struct action<g::duration_lit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::string s = in.string();
    std::size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    model::Duration d;
    if (digits > 9) st.fail(in, "P0206|this duration is too long");
    d.amount = std::stoll(s.substr(0, digits));
    const char u = s.back() == 's' ? s[s.size() - 2] : s.back();  // the unit's last letter
    d.unit = u == 'y' ? model::DurationUnit::Days
             : u == 'k' ? model::DurationUnit::Weeks
             : u == 'h' ? model::DurationUnit::Months
                        : model::DurationUnit::Years;
    st.literals.emplace_back(d, st.ref(in));
  }
};
template <> struct action<g::true_lit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.literals.emplace_back(true, st.ref(in));
  }
};
template <> struct action<g::false_lit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.literals.emplace_back(false, st.ref(in));
  }
};
template <> struct action<g::string_lit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.literals.emplace_back(decode_string(in, st), st.ref(in));
  }
};

// ---- texts ----

template <> struct action<g::text_string> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    // Decoded straight into the file's buffer: a text's strings are most of a form's bytes.
    const auto offset = static_cast<std::uint32_t>(st.file.chars.size());
    decode_string_into(in, st, st.file.chars);
    const ast::Str value{offset, static_cast<std::uint32_t>(st.file.chars.size() - offset)};
    st.text_parts.push_back({ast::Str{}, value, st.ref(in)});
  }
};
template <> struct action<g::text_part> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto& part = st.text_parts.back();
    std::string_view s(in.begin(), in.size());
    std::size_t n = 0;
    while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '-')) ++n;
    part.lang = st.intern(s.substr(0, n));
    part.where = st.keyword_ref(in);
    part.where.length = static_cast<std::uint32_t>(n);
  }
};
struct finish_text {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Text t;
    t.where = st.ref(in);
    if (!st.text_parts.empty()) t.where = span(st.text_parts.front().where, st.text_parts.front().where);
    t.parts = st.file.text_parts.append(st.text_parts.begin(), st.text_parts.end());
    st.text_parts.clear();
    st.texts.push_back(std::move(t));
  }
};
template <> struct action<g::label> : finish_text {};
template <> struct action<g::title_text> : finish_text {};
template <> struct action<g::hint_text> : finish_text {};
template <> struct action<g::ask_text> : finish_text {};
template <> struct action<g::unanswered_text> : finish_text {};
template <> struct action<g::message_text> : finish_text {};
template <> struct action<g::option_label> : finish_text {};

// ---- expressions ----

template <> struct action<g::literal> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    auto [value, where] = std::move(st.literals.back());
    st.literals.pop_back();
    ast::ExprNode n;
    n.op = Op::Literal;
    n.payload = static_cast<std::uint32_t>(st.file.literals.size());
    n.where = where;
    st.file.literals.push_back(std::move(value));
    st.exprs.push_back(n);
  }
};
template <> struct action<g::field_ref> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.push_named(Op::Field, std::string_view(in.begin(), in.size()), st.ref(in));
  }
};
template <> struct action<g::call_open> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.marks.push_back(st.exprs.size());
  }
};
template <> struct action<g::call> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::size_t mark = st.marks.back();
    st.marks.pop_back();
    std::string_view s(in.begin(), in.size());
    std::size_t n = 0;
    while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) ++n;
    const ast::Str name = st.intern(s.substr(0, n));
    st.push_parent(Op::Call, mark, st.subtrees_from(mark), st.ref(in));
    st.exprs.back().payload = name.offset;
    st.exprs.back().length = name.length;
  }
};
template <> struct action<g::negation> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.count_operator(in);
    st.push_parent(Op::Neg, st.subtree_start(st.exprs.size()), 1, st.ref(in));
  }
};
template <> struct action<g::not_prefix> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.count_operator(in);
    st.push_parent(Op::Not, st.subtree_start(st.exprs.size()), 1, st.ref(in));
  }
};

struct push_op {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::string s = in.string();
    Op op = Op::Add;
    if (s == "+") op = Op::Add;
    else if (s == "-") op = Op::Sub;
    else if (s == "*") op = Op::Mul;
    else if (s == "/") op = Op::Div;
    else if (s == "==") op = Op::Eq;
    else if (s == "!=") op = Op::Ne;
    else if (s == "<") op = Op::Lt;
    else if (s == "<=") op = Op::Le;
    else if (s == ">") op = Op::Gt;
    else if (s == ">=") op = Op::Ge;
    st.ops.emplace_back(op, st.ref(in));
  }
};
template <> struct action<g::mul_op> : push_op {};
template <> struct action<g::add_op> : push_op {};
template <> struct action<g::cmp_op> : push_op {};

template <typename Input>
void combine(const Input& in, ParserState& st, Op op) {
  st.count_operator(in);
  const std::size_t rhs = st.subtree_start(st.exprs.size());
  const std::size_t lhs = st.subtree_start(rhs);
  st.push_parent(op, lhs, 2, span(st.exprs[rhs - 1].where, st.exprs.back().where));
}
struct binary_tail {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const Op op = st.ops.back().first;
    st.ops.pop_back();
    combine(in, st, op);
  }
};
template <> struct action<g::mul_tail> : binary_tail {};
template <> struct action<g::add_tail> : binary_tail {};
template <> struct action<g::cmp_tail> : binary_tail {};
template <> struct action<g::and_tail> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) { combine(in, st, Op::And); }
};
template <> struct action<g::or_tail> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) { combine(in, st, Op::Or); }
};
template <> struct action<g::list_open> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.marks.push_back(st.exprs.size());
  }
};
struct membership {
  template <typename Input>
  static void apply(const Input& in, ParserState& st, Op op) {
    st.count_operator(in);
    const std::size_t mark = st.marks.back();
    st.marks.pop_back();
    // The value tested is the subexpression just before the list.
    const std::size_t first = st.subtree_start(mark);
    st.push_parent(op, first, 1 + st.subtrees_from(mark), span(st.exprs[mark - 1].where, st.ref(in)));
  }
};
template <> struct action<g::in_tail> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) { membership::apply(in, st, Op::In); }
};
template <> struct action<g::not_in_tail> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) { membership::apply(in, st, Op::NotIn); }
};
template <> struct action<g::single_equals> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.fail(in, "P0304|'=' does not compare values\x1fuse '==' to compare, as in: kind == \"temporary\"");
  }
};

// ---- properties ----

/// A property of the innermost open item.
inline ast::Property& add_property(ParserState& st, ast::PropKind kind, model::SourceRef where) {
  ast::Property& p = st.props.emplace_back();
  p.kind = kind;
  p.where = where;
  return p;
}
/// A property of the innermost open item, with its expression.
inline ast::Property& add_property(ParserState& st, ast::PropKind kind, model::SourceRef where, ast::Run expr) {
  ast::Property& p = add_property(st, kind, where);
  p.has_expr = true;
  p.expr = expr;
  return p;
}

template <> struct action<g::p_required> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const bool has_if = in.size() > 8;
    if (has_if) {
      add_property(st, ast::PropKind::Required, st.keyword_ref(in), st.pop_expr());
    } else {
      add_property(st, ast::PropKind::Required, st.keyword_ref(in));
    }
  }
};
template <ast::PropKind Kind>
struct expr_property {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    add_property(st, Kind, st.keyword_ref(in), st.pop_expr());
  }
};
template <> struct action<g::p_show> : expr_property<ast::PropKind::ShowIf> {};
template <> struct action<g::p_computed> : expr_property<ast::PropKind::Computed> {};
/// `if EXPR` after a check or a pattern: its condition waits in the state for the rule, whose
/// action runs next (the condition is the last expression parsed, after the rule's own).
template <> struct action<g::rule_if> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.rule_when = st.pop_expr();
    st.has_rule_when = true;
  }
};
/// Moves a waiting `if EXPR` (rule_if) onto the rule just added.
inline void take_rule_when(ParserState& st, ast::Property& p) {
  p.has_when = st.has_rule_when;
  p.when = st.rule_when;
  st.has_rule_when = false;
}
template <> struct action<g::p_check> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    auto& p = add_property(st, ast::PropKind::Check, st.keyword_ref(in), st.pop_expr());
    take_rule_when(st, p);
    p.text = t;
  }
};
template <> struct action<g::pattern_regex> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(decode_string(in, st), st.ref(in));
  }
};
template <> struct action<g::p_pattern> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    auto [regex, where] = st.pop_name();
    auto& p = add_property(st, ast::PropKind::Pattern, st.keyword_ref(in));
    take_rule_when(st, p);
    p.name = st.intern(regex);
    p.name_where = where;
    p.text = std::move(t);
  }
};
template <> struct action<g::signed_bound> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() != '-') return;
    auto& [value, where] = st.literals.back();
    if (auto* n = std::get_if<model::Number>(&value)) {
      if (n->digits.find_first_not_of("0.") != std::string::npos) n->digits.insert(0, "-");
      where = st.ref(in);
    } else {
      st.fail(in, "P0109|a date cannot be negative");
    }
  }
};
template <ast::PropKind Kind>
struct literal_property {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto [value, where] = std::move(st.literals.back());
    st.literals.pop_back();
    auto& p = add_property(st, Kind, st.keyword_ref(in));
    p.literal = static_cast<std::uint32_t>(st.file.literals.size());
    st.file.literals.push_back(std::move(value));
    p.name_where = where;
  }
};
template <> struct action<g::p_min> : literal_property<ast::PropKind::Min> {};
template <> struct action<g::p_max> : literal_property<ast::PropKind::Max> {};
template <> struct action<g::default_value> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() != '-') return;
    auto& e = st.exprs.back();  // the literal's node
    auto* n = std::get_if<model::Number>(&st.file.literals[e.payload]);
    if (!n) st.fail(in, "P0109|only a number can be negative");
    if (n->digits.find_first_not_of("0.") != std::string::npos) n->digits.insert(0, "-");
    e.where = st.ref(in);
  }
};
template <> struct action<g::p_default> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const ast::ExprNode e = st.exprs.back();  // a literal's node (default_value)
    st.exprs.pop_back();
    auto& p = add_property(st, ast::PropKind::Default, st.keyword_ref(in));
    p.literal = e.payload;  // the literal stays where its node put it
    p.name_where = e.where;
  }
};
template <> struct action<g::p_hint> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    add_property(st, ast::PropKind::Hint, st.keyword_ref(in)).text = std::move(t);
  }
};
template <> struct action<g::p_ask> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    add_property(st, ast::PropKind::Ask, st.keyword_ref(in)).text = std::move(t);
  }
};
template <> struct action<g::p_unanswered> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    add_property(st, ast::PropKind::Unanswered, st.keyword_ref(in)).text = std::move(t);
  }
};
template <> struct action<g::p_sensitive> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    add_property(st, ast::PropKind::Sensitive, st.keyword_ref(in));
  }
};
template <> struct action<g::option_value> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() == '"') {
      auto [value, where] = std::move(st.literals.back());
      st.literals.pop_back();
      st.names.emplace_back(std::get<std::string>(value), where);
    } else {
      st.names.emplace_back(in.string(), st.ref(in));
    }
  }
};
template <> struct action<g::p_option> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    auto [value, where] = st.pop_name();
    auto& p = add_property(st, ast::PropKind::Option, st.keyword_ref(in));
    p.name = st.intern(value);
    p.name_where = where;
    p.text = std::move(t);
  }
};
template <> struct action<g::p_from> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto [list, where] = st.pop_name();
    auto& p = add_property(st, ast::PropKind::From, st.keyword_ref(in));
    p.name = st.intern(list);
    p.name_where = where;
  }
};

// ---- items ----

template <> struct action<g::field_head> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    static constexpr std::pair<std::string_view, model::Kind> kinds[] = {
        {"text", model::Kind::Text},       {"longtext", model::Kind::LongText}, {"integer", model::Kind::Integer},
        {"decimal", model::Kind::Decimal}, {"money", model::Kind::Money},       {"date", model::Kind::Date},
        {"yesno", model::Kind::YesNo},     {"choice", model::Kind::Choice},     {"choices", model::Kind::Choices},
        {"email", model::Kind::Email},     {"phone", model::Kind::Phone},       {"ssn", model::Kind::Ssn},
        {"ein", model::Kind::Ein},         {"zip", model::Kind::Zip},           {"url", model::Kind::Url},
        {"address", model::Kind::Address}, {"name", model::Kind::Name},         {"attest", model::Kind::Attest},
        {"note", model::Kind::Note}};
    ast::Item item;
    item.kind = ast::ItemKind::Field;
    item.where = st.keyword_ref(in);
    const std::string_view word(in.begin(), item.where.length);
    for (const auto& [w, k] : kinds) if (w == word) item.field_kind = k;
    item.label = st.pop_text();
    std::tie(item.name, item.name_where) = st.pop_str();
    st.open_item(std::move(item));
  }
};
inline model::JsonType json_type_of(std::string_view word) {
  using J = model::JsonType;
  for (J t : {J::Object, J::Array, J::String, J::Number, J::Integer, J::Boolean}) {
    if (model::json_type_name(t) == word) return t;
  }
  return J::Any;
}
template <> struct action<g::member_name> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(decode_string(in, st), st.ref(in));
  }
};
template <> struct action<g::member_type> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.member_json = json_type_of(in.string());
    st.member_items = model::JsonType::Any;
  }
};
template <> struct action<g::member_items> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.member_items = json_type_of(in.string());
    st.member_items_where = st.ref(in);
  }
};
template <> struct action<g::member_head> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Item item;
    item.kind = ast::ItemKind::Field;
    item.field_kind = model::Kind::Member;
    item.where = st.keyword_ref(in);
    std::tie(item.name, item.name_where) = st.pop_str();
    item.json = st.member_json;
    item.json_items = st.member_items;
    item.block_where = st.member_items_where;  // where `of`'s type is, for S0302
    st.open_item(std::move(item));
  }
};
template <> struct action<g::repeat_head> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Item item;
    item.kind = ast::ItemKind::Repeat;
    item.field_kind = model::Kind::Repeat;
    item.where = st.keyword_ref(in);
    item.label = st.pop_text();
    std::tie(item.name, item.name_where) = st.pop_str();
    st.open_item(std::move(item));
  }
};
template <> struct action<g::use_alias> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.pending_as = st.pop_name();
  }
};
template <> struct action<g::use_head> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Item item;
    item.kind = ast::ItemKind::Use;
    item.field_kind = model::Kind::Group;
    item.where = st.keyword_ref(in);
    std::tie(item.block, item.block_where) = st.pop_str();
    if (st.pending_as) {
      item.name = st.intern(st.pending_as->first);
      item.name_where = st.pending_as->second;
      st.pending_as.reset();
    } else {
      item.name = item.block;
      item.name_where = item.block_where;
    }
    st.open_item(std::move(item));
  }
};

/// Ends the innermost frame and adds it to the items of the body it is in.
struct finish_item {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    auto item = std::get<ast::Item>(std::move(st.frames.back()));
    st.frames.pop_back();
    const auto first = st.props.begin() + static_cast<std::ptrdiff_t>(st.prop_marks.back());
    st.prop_marks.pop_back();
    item.props = st.file.props.append(first, st.props.end());
    st.props.erase(first, st.props.end());
    if (item.kind == ast::ItemKind::Repeat || item.kind == ast::ItemKind::Place) item.items = st.close_body();
    st.items.push_back(std::move(item));
  }
};
template <> struct action<g::field_item> : finish_item {};

// `place NAME [TEXT] { ... }`, `field NAME [TEXT] { ... }` inside it, and `place a, b, c`.
struct open_place {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Item item;
    item.kind = ast::ItemKind::Place;
    item.where = st.keyword_ref(in);
    std::tie(item.name, item.name_where) = st.pop_str();
    st.open_item(std::move(item));
  }
};
template <> struct action<g::placed_name> : push_name {};
template <> struct action<g::place_head> : open_place {};
template <> struct action<g::refine_head> : open_place {};
template <> struct action<g::place_label> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    finish_text::apply(in, st);
    st.top<ast::Item>().label = st.pop_text();
  }
};
template <> struct action<g::p_message> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto t = st.pop_text();
    add_property(st, ast::PropKind::Message, st.keyword_ref(in)).text = std::move(t);
  }
};
template <> struct action<g::place_one> : finish_item {};
template <> struct action<g::refine_item> : finish_item {};
template <> struct action<g::placed_more> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Item item;
    item.kind = ast::ItemKind::Place;
    item.where = st.ref(in);
    item.name = st.intern(in.string());
    item.name_where = item.where;
    st.items.push_back(std::move(item));
  }
};
template <> struct action<g::use_item> : finish_item {};
template <> struct action<g::repeat_item> : finish_item {};
template <> struct action<g::member_item> : finish_item {};

// ---- forms ----

/// `KEYWORD NAME [TEXT] {`: starts a frame for what the body builds.
template <typename T, bool Titled>
struct open_frame {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    T t;
    t.where = st.keyword_ref(in);
    if constexpr (Titled) t.title = st.pop_text();
    std::tie(t.name, t.name_where) = st.pop_name();
    if constexpr (std::is_same_v<T, ast::Block>) t.name_chars = st.intern(t.name);
    if constexpr (std::is_same_v<T, ast::Section> || std::is_same_v<T, ast::Block>) st.open_body();
    st.frames.emplace_back(std::move(t));
  }
};
/// `}`: ends the innermost frame and gives it to whatever holds it.
template <typename T>
struct close_frame {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    T t = std::get<T>(std::move(st.frames.back()));
    st.frames.pop_back();
    if constexpr (std::is_same_v<T, ast::Section> || std::is_same_v<T, ast::Block>) t.items = st.close_body();
    if constexpr (std::is_same_v<T, ast::Form>) st.file.forms.push_back(std::move(t));
    if constexpr (std::is_same_v<T, ast::Block>) st.file.blocks.push_back(std::move(t));
    if constexpr (std::is_same_v<T, ast::List>) st.file.lists.push_back(std::move(t));
    if constexpr (std::is_same_v<T, ast::Section>) st.top<ast::Form>().sections.push_back(std::move(t));
    if constexpr (std::is_same_v<T, ast::Agency>) st.top<ast::Form>().agencies.push_back(std::move(t));
  }
};

template <> struct action<g::form_head> : open_frame<ast::Form, false> {};
template <> struct action<g::form> : close_frame<ast::Form> {};
struct text_setting {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = std::string(in.begin(), s.where.length);
    s.text = st.pop_text();
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
template <> struct action<g::s_title> : text_setting {};
template <> struct action<g::s_standard> : text_setting {};
template <> struct action<g::s_description> : text_setting {};
template <> struct action<g::s_purpose> : text_setting {};
template <> struct action<g::s_eligibility> : text_setting {};
template <> struct action<g::s_duration> : text_setting {};
template <> struct action<g::need_text> : finish_text {};
template <> struct action<g::needs_open> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.needs_mark = st.texts.size();
  }
};
template <> struct action<g::s_needs> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = "needs";
    const std::size_t mark = std::min(st.needs_mark, st.texts.size());
    s.texts.assign(std::make_move_iterator(st.texts.begin() + static_cast<std::ptrdiff_t>(mark)),
                   std::make_move_iterator(st.texts.end()));
    st.texts.resize(mark);
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
template <> struct action<g::apply_way> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.apply_way = in.string();
  }
};
template <> struct action<g::s_apply> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    // "apply phone": one setting per way, each given once.
    s.keyword = "apply " + st.apply_way;
    s.text = st.pop_text();
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
// The paper form's settings: one ast::Setting each, keyword "paper mail_to" and so on, so that
// each is given once (S0703) like every other setting.
template <> struct action<g::burden_text> : finish_text {};
template <> struct action<g::paper_phone_number> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(decode_string(in, st), st.ref(in));
  }
};
template <> struct action<g::omb_number> : action<g::paper_phone_number> {};
template <> struct action<g::omb_expiry> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::string s = in.string();
    if (!engine::is_real_date(std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(5, 2))),
                              static_cast<unsigned>(std::stoi(s.substr(8, 2))))) {
      st.fail(in, "P0205|" + s + " is not a real date");
    }
    st.names.emplace_back(s, st.ref(in));
  }
};
struct paper_setting {
  /// The setting for `what` ("mail_to"), placed at the statement's `paper`.
  template <typename Input>
  static ast::Setting& add(const Input& in, ParserState& st, std::string_view what) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = "paper " + std::string(what);
    st.top<ast::Form>().settings.push_back(std::move(s));
    return st.top<ast::Form>().settings.back();
  }
  /// Moves the last `n` strings read (st.names) into the setting's words, in order.
  static void take_words(ParserState& st, ast::Setting& s, std::size_t n) {
    n = std::min(n, st.names.size());
    for (std::size_t i = st.names.size() - n; i < st.names.size(); ++i) {
      s.words.push_back(std::move(st.names[i].first));
      s.word_where.push_back(st.names[i].second);
    }
    st.names.resize(st.names.size() - n);
  }
};
template <> struct action<g::p_mail_to> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto text = st.pop_text();
    paper_setting::add(in, st, "mail_to").text = std::move(text);
  }
};
template <> struct action<g::p_hours> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto text = st.pop_text();
    paper_setting::add(in, st, "hours").text = std::move(text);
  }
};
template <> struct action<g::p_privacy> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto text = st.pop_text();
    paper_setting::add(in, st, "privacy").text = std::move(text);
  }
};
template <> struct action<g::p_phone> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    paper_setting::take_words(st, paper_setting::add(in, st, "phone"), 1);
  }
};
template <> struct action<g::p_omb> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    paper_setting::take_words(st, paper_setting::add(in, st, "omb"), 2);  // the number, the expiry
  }
};
template <> struct action<g::burden_minutes> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    const std::string text = in.string();
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits > 9) st.fail(in, "P0206|this number of minutes is too large");
    st.names.emplace_back(text.substr(0, digits), st.ref(in));
  }
};
template <> struct action<g::p_burden> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    // Minutes (a number, read above) or a notice (a text).
    const bool minutes = std::string_view(in.begin(), in.size()).find('"') == std::string_view::npos;
    if (minutes) {
      std::int64_t n = 0;
      if (!st.names.empty()) {
        const auto& digits = st.names.back().first;
        std::from_chars(digits.data(), digits.data() + digits.size(), n);
        st.names.pop_back();
      }
      paper_setting::add(in, st, "burden").number = n;
    } else {
      auto text = st.pop_text();
      paper_setting::add(in, st, "burden").text = std::move(text);
    }
  }
};
/// The whole `paper ...` statement: the setting its part made points at the word `paper`.
template <> struct action<g::s_paper> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto& settings = st.top<ast::Form>().settings;
    if (!settings.empty() && settings.back().keyword.starts_with("paper ")) settings.back().where = st.keyword_ref(in);
  }
};
template <> struct action<g::s_version> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = "version";
    const std::string text = in.string();
    const auto digits = text.substr(text.find_first_of("0123456789"));
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), s.number);
    if (ec != std::errc{}) st.fail(in, "P0206|this version number is too large");
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
/// `plain grade N`: the number only; whether it is a grade a text can have is the semantic
/// pass's to say (S0734), so that the message can name the range.
template <> struct action<g::s_plain> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = "plain grade";
    const std::string text = in.string();
    const auto digits = text.substr(text.find_first_of("0123456789"));
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), s.number);
    if (ec != std::errc{}) s.number = -1;  // far too large: S0734 says what a grade can be
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
template <> struct action<g::language> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.languages.push_back(in.string());
    st.language_refs.push_back(st.ref(in));
  }
};
template <> struct action<g::s_languages> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::Setting s;
    s.where = st.keyword_ref(in);
    s.keyword = "languages";
    s.words = std::move(st.languages);
    s.word_where = std::move(st.language_refs);
    st.languages.clear();
    st.language_refs.clear();
    st.top<ast::Form>().settings.push_back(std::move(s));
  }
};
template <> struct action<g::section_head> : open_frame<ast::Section, true> {};
template <> struct action<g::section> : close_frame<ast::Section> {};
template <> struct action<g::agency_head> : open_frame<ast::Agency, true> {};
template <> struct action<g::agency> : close_frame<ast::Agency> {};
template <> struct action<g::a_when> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    auto& a = st.top<ast::Agency>();
    if (a.has_when) {
      st.fail(in, "P0112|this agency already has a 'when'\x1f" "combine the conditions with 'and'");
    }
    a.has_when = true;
    a.when = st.pop_expr();
    a.when_where = st.keyword_ref(in);
  }
};
// An agency's service standard: the number and the unit are kept in the state until the
// statement ends, the text is the last one read.
template <> struct action<g::standard_amount> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(in.string(), st.ref(in));
  }
};
template <> struct action<g::standard_working_days> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.standard_working_days = true;
  }
};
template <> struct action<g::standard_days> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    st.standard_working_days = false;
  }
};
/// A unit that is neither: named in the error, with what to write instead.
template <> struct action<g::standard_other_unit> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    // "business days" as one phrase, white space between its words made one space.
    std::string word;
    for (const char c : in.string()) {
      const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
      if (!space) word += c;
      else if (!word.empty() && word.back() != ' ') word += ' ';
    }
    const std::string first = word.substr(0, word.find(' '));
    std::string hint = "a standard counts calendar days or working days (weekends and federal holidays not counted)";
    if (first == "week" || first == "weeks") {
      hint = "write weeks as days: 4 weeks is 28 days, or 20 working days";
    } else if (first == "month" || first == "months") {
      hint = "write months as days: a month is about 30 days";
    } else if (first == "business" || first == "work" || first == "workdays" || first == "weekdays" ||
               first == "working") {
      hint = "write 'working days': weekends and federal holidays are not counted";
    }
    st.fail(in, "P0113|'" + ParserState::printable(word) + "' is not a unit of a service standard: write days or working days"
                "\x1f" + hint);
  }
};
template <> struct action<g::standard_text> : finish_text {};
template <> struct action<g::a_standard> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::AgencyStandard s;
    s.where = st.keyword_ref(in);
    s.working_days = st.standard_working_days;
    s.text = st.pop_text();
    auto [digits, where] = st.pop_name();
    s.amount_where = where;
    // More than 9 digits cannot be in range: keep a value that says so.
    if (digits.size() > 9) {
      s.amount = 1'000'000'000;
    } else {
      std::from_chars(digits.data(), digits.data() + digits.size(), s.amount);
    }
    st.top<ast::Agency>().standards.push_back(std::move(s));
  }
};
template <> struct action<g::message_name> : push_name {};
template <> struct action<g::agency_message_text> : finish_text {};
template <> struct action<g::a_message> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::AgencyMessage m;
    m.where = st.keyword_ref(in);
    m.text = st.pop_text();
    std::tie(m.name, m.name_where) = st.pop_name();
    st.top<ast::Agency>().messages.push_back(std::move(m));
  }
};
template <> struct action<g::xml_value> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.names.emplace_back(decode_string(in, st), st.ref(in));
  }
};
template <> struct action<g::xml_prefix> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() == '"') {
      auto [value, where] = std::move(st.literals.back());
      st.literals.pop_back();
      st.names.emplace_back(std::get<std::string>(value), where);
    } else {
      st.names.emplace_back(in.string(), st.ref(in));
    }
  }
};
/// `root V`, `yes V`, `no V`: one value; `namespace P V`, `attribute N V`: two.
template <int Values>
struct xml_setting {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::XmlSetting x;
    x.where = st.keyword_ref(in);
    x.keyword = std::string(in.begin(), x.where.length);
    std::tie(x.value, x.value_where) = st.pop_name();
    if (Values == 2) x.name = st.pop_name().first;
    st.top<ast::Agency>().xml.push_back(std::move(x));
  }
};
template <> struct action<g::x_root> : xml_setting<1> {};
template <> struct action<g::x_yes> : xml_setting<1> {};
template <> struct action<g::x_no> : xml_setting<1> {};
template <> struct action<g::x_namespace> : xml_setting<2> {};
template <> struct action<g::x_attribute> : xml_setting<2> {};
template <> struct action<g::a_xml> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.top<ast::Agency>().xml_where = st.keyword_ref(in);
  }
};
template <> struct action<g::receive_as> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    if (in.peek_char() == '"') {
      auto [value, where] = std::move(st.literals.back());
      st.literals.pop_back();
      st.pending_as = std::make_pair(std::get<std::string>(value), where);
    } else {
      st.pending_as = std::make_pair(in.string(), st.ref(in));
    }
  }
};
template <> struct action<g::receive> {
  template <typename Input>
  static void apply(const Input&, ParserState& st) {
    ast::Receive r;
    std::tie(r.path, r.where) = st.pop_str();
    if (st.pending_as) {
      r.as = st.intern(st.pending_as->first);
      r.as_where = st.pending_as->second;
      st.pending_as.reset();
    }
    st.top<ast::Agency>().receives.push_back(std::move(r));
  }
};
template <> struct action<g::receive_more> : action<g::receive> {};

// ---- blocks, lists, imports ----

template <> struct action<g::block_head> : open_frame<ast::Block, false> {};
template <> struct action<g::block> : close_frame<ast::Block> {};
template <> struct action<g::list_head> : open_frame<ast::List, false> {};
template <> struct action<g::list_option> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    ast::ListOption o;
    o.label = st.pop_text();
    std::tie(o.value, o.where) = st.pop_name();
    (void)in;
    st.top<ast::List>().options.push_back(std::move(o));
  }
};
template <> struct action<g::code_list> : close_frame<ast::List> {};
template <> struct action<g::extends_path> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.file.extends.push_back({decode_string(in, st), st.ref(in)});
  }
};
template <> struct action<g::import_path> {
  template <typename Input>
  static void apply(const Input& in, ParserState& st) {
    st.file.imports.push_back({decode_string(in, st), st.ref(in)});
  }
};

}  // namespace actions
}  // namespace askonce::dsl
