// dsl/ast.hpp: the syntax tree of one .form file, as the parser builds it.
//
// Internal to dsl/. Names are not resolved and blocks are not expanded yet: that is the
// semantic pass's job (semantic.cpp), which turns the trees of a form and its imports into
// one model::Form, building each model::Expr from the expression's nodes here.
//
// The many small lists of a tree (a body's items, an item's properties, a text's strings, a
// property's expression) are runs in a few large blocks of their File, which nodes refer to
// with a Run. A node's SourceRef::file is the index of the file it was read from, so that the
// semantic pass finds the File of any node.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"

namespace askonce::dsl::ast {

using model::SourceRef;

/// Where a run of elements is in a Runs: `count` elements from `first` in block `block`.
struct Run {
  std::uint32_t block = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

/// Many short runs of elements (the items of each body, the properties of each item, the
/// strings of each text) in a few large blocks: a form has a few of each per field, and a few
/// blocks are far cheaper to allocate, read back and free than one small vector per item and
/// per text. Nothing is ever moved once appended, and each run is contiguous: a run that does
/// not fit in the last block starts a new one.
template <typename T>
class Runs {
 public:
  /// How far the runs reach, to drop what was appended after it (a statement that failed).
  struct Mark {
    std::size_t blocks = 0;
    std::size_t size = 0;  // of the last block
  };

  /// Moves [first, last) in as one run.
  template <typename It>
  Run append(It first, It last) {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    if (n == 0) return {};
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < n) {
      // Blocks grow from small (most files are small) to a ceiling (to waste little room).
      const std::size_t size = std::min(max_block, first_block << std::min<std::size_t>(blocks_.size(), 16));
      blocks_.emplace_back().reserve(std::max(size, n));
    }
    auto& b = blocks_.back();
    const Run run{static_cast<std::uint32_t>(blocks_.size() - 1), static_cast<std::uint32_t>(b.size()),
                  static_cast<std::uint32_t>(n)};
    b.insert(b.end(), std::make_move_iterator(first), std::make_move_iterator(last));
    return run;
  }
  std::span<const T> operator[](Run run) const {
    if (run.count == 0) return {};
    return std::span<const T>(blocks_[run.block]).subspan(run.first, run.count);
  }
  std::span<T> operator[](Run run) {
    if (run.count == 0) return {};
    return std::span<T>(blocks_[run.block]).subspan(run.first, run.count);
  }
  Mark mark() const { return blocks_.empty() ? Mark{} : Mark{blocks_.size(), blocks_.back().size()}; }
  void truncate(Mark m) {
    blocks_.resize(m.blocks);
    if (!blocks_.empty()) {
      auto& b = blocks_.back();
      b.erase(b.begin() + static_cast<std::ptrdiff_t>(m.size), b.end());
    }
  }

 private:
  static constexpr std::size_t first_block = 16;
  static constexpr std::size_t max_block = 1024;
  std::vector<std::vector<T>> blocks_;  // each reserved once, so that it never reallocates
};

/// A short string of a tree (a name, a language code), kept in its File::chars: a tree has
/// a few per field, and one buffer is cheaper to fill and to free than a std::string each.
struct Str {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool empty() const { return length == 0; }
};

/// One string of a text. An empty lang means the form's primary language.
struct TextPart {
  Str lang;
  Str value;
  SourceRef where;  // the string (or the language code, when there is one)
};

/// A text: its strings, in the order written, are a run of File::text_parts.
struct Text {
  Run parts;
  SourceRef where;
  bool empty() const { return parts.count == 0; }
};

/// One node of an expression. An expression is a run of nodes in postfix order: a node's
/// operands are the `args` subtrees just before it, and `size` counts the nodes of its own
/// subtree, itself included. Flat and small, so that reading a form allocates nothing per
/// node; the semantic pass builds the model's tree from them in one walk.
struct ExprNode {
  model::Op op = model::Op::Literal;
  std::uint32_t args = 0;
  std::uint32_t size = 1;
  std::uint32_t payload = 0;  // Literal: index in File::literals; Field, Call: the name's offset in File::chars
  std::uint32_t length = 0;   // Field, Call: the name's length
  SourceRef where;
};

enum class PropKind : std::uint8_t {
  Required,    // `required`, or `required if EXPR` (has_expr)
  ShowIf,      // `show if EXPR`
  Check,       // `check EXPR TEXT [if EXPR]`
  Pattern,     // `pattern "REGEX" TEXT [if EXPR]`
  Min,         // `min LITERAL`
  Max,         // `max LITERAL`
  Hint,        // `hint TEXT`
  Default,     // `default LITERAL`
  Computed,    // `computed EXPR`
  Sensitive,   // `sensitive`
  Option,      // `option VALUE TEXT`
  From,        // `from LIST`
  Ask,         // `ask TEXT`: how a phone agent asks the question
  Unanswered,  // `unanswered TEXT`: a yes/no's third choice, which leaves it unanswered
  Message,     // `message TEXT`, in a `place`: the words of an imported field's patterns and checks
};

struct Property {
  PropKind kind = PropKind::Required;
  bool has_expr = false;
  Run expr;  // its nodes in File::exprs, when has_expr
  bool has_when = false;
  Run when;  // Check, Pattern: the `if EXPR` after the rule, when has_when
  Text text;
  std::uint32_t literal = 0;  // Min, Max, Default: its value, in File::literals
  Str name;          // Pattern: the regex; Option: the value; From: the list
  SourceRef where;   // the keyword
  SourceRef name_where;
};

enum class ItemKind : std::uint8_t {
  Field,   // `KIND NAME TEXT { properties }`
  Use,     // `use BLOCK [as NAME] { properties }`
  Repeat,  // `repeat NAME TEXT { properties and items }`
  // `place NAME [TEXT] { properties and `field` items }` in a form that extends an imported one:
  // the imported field NAME, here, with the texts and rules people add (docs/dsl.md, "Building
  // on an imported form"). Inside a place, `field NAME [TEXT] { ... }` is a Place too: the same
  // for a field of the placed block or repeat.
  Place,
};

struct Item {
  ItemKind kind = ItemKind::Field;
  model::Kind field_kind = model::Kind::Text;  // ItemKind::Field
  Str name;               // Field, Repeat: its name; Use: the alias (`as`), or the block name
  Str block;              // Use: the block used
  Text label;
  Run props;                // in File::props
  Run items;                // Repeat: its fields; Place: its `field` refinements; in File::items
  SourceRef where;          // the first keyword
  SourceRef name_where;     // the name
  SourceRef block_where;    // Use: the block name
  model::JsonType json = model::JsonType::Any;        // a `member`: its JSON type
  model::JsonType json_items = model::JsonType::Any;  // and its array's items' type (`of`)
};

struct Section {
  std::string name;
  Text title;
  Run items;  // in File::items
  SourceRef where;
  SourceRef name_where;
};

struct Receive {
  Str path;
  Str as;
  SourceRef where;     // the path
  SourceRef as_where;  // the new name
};

/// One line of an agency's `xml { ... }`.
struct XmlSetting {
  std::string keyword;  // root, namespace, attribute, yes, no
  std::string name;     // namespace: the prefix; attribute: its name
  std::string value;    // root: the element; namespace: the URI; attribute, yes, no: the value
  SourceRef where;
  SourceRef value_where;
};

/// An agency's `standard N [working] days TEXT`: its promise, as written.
struct AgencyStandard {
  std::int64_t amount = 0;  // as written; past 9 digits, saturated (still out of range)
  bool working_days = false;
  Text text;
  SourceRef where;         // the keyword
  SourceRef amount_where;  // the number
};

/// An agency's `message NAME TEXT`.
struct AgencyMessage {
  std::string name;
  Text text;
  SourceRef where;       // the keyword
  SourceRef name_where;  // the name
};

struct Agency {
  std::string name;
  Text title;
  std::vector<AgencyStandard> standards;  // more than one is an error (S0513)
  std::vector<AgencyMessage> messages;
  std::vector<XmlSetting> xml;
  SourceRef xml_where;
  bool has_when = false;
  Run when;  // its nodes in File::exprs
  SourceRef when_where;
  std::vector<Receive> receives;
  SourceRef where;
  SourceRef name_where;
};

/// A form-level setting: `title`, `version`, `languages`, `standard`, `description`, and the
/// start page's `purpose`, `eligibility`, `needs`, `duration`, `apply WAY` (keyword "apply phone").
struct Setting {
  std::string keyword;
  Text text;                        // title, standard, description, purpose, eligibility, duration, apply
  std::vector<Text> texts;          // needs
  std::int64_t number = 0;          // version
  std::vector<std::string> words;   // languages
  std::vector<SourceRef> word_where;
  SourceRef where;
};

struct Form {
  std::string name;
  std::vector<Setting> settings;
  std::vector<std::string> broken_settings;  // settings with a syntax error: reported already
  std::vector<Section> sections;
  std::vector<Agency> agencies;
  SourceRef where;
  SourceRef name_where;
};

struct Block {
  std::string name;
  Str name_chars;  // the name again, in File::chars: for checking a block as if it were used
  Run items;  // in File::items
  SourceRef where;
  SourceRef name_where;
};

struct ListOption {
  std::string value;
  Text label;
  SourceRef where;
};

struct List {
  std::string name;
  std::vector<ListOption> options;
  SourceRef where;
  SourceRef name_where;
};

struct Import {
  std::string path;  // as written, relative to the importing file
  SourceRef where;
};

/// One parsed file. Declarations keep their order within each kind.
struct File {
  std::vector<Import> imports;
  /// `extends "file.form"`: the imported form this file's form builds on (at most one; more
  /// are S0801). The loader reads it like an import and sets `extends_file`.
  std::vector<Import> extends;
  std::uint32_t extends_file = no_file;
  static constexpr std::uint32_t no_file = 0xFFFFFFFFu;
  std::vector<Block> blocks;
  std::vector<List> lists;
  std::vector<Form> forms;
  Runs<Item> items;            // of every section, block and repeat
  Runs<Property> props;        // of every item
  Runs<TextPart> text_parts;   // of every text
  Runs<ExprNode> exprs;        // of every expression (kept apart: most properties have none)
  std::vector<model::Literal> literals;  // of every expression and of every min, max and default
  std::string chars;           // every Str, and the names of every expression

  std::string_view str(Str s) const { return std::string_view(chars).substr(s.offset, s.length); }
  std::string_view name(const ExprNode& n) const { return std::string_view(chars).substr(n.payload, n.length); }
};

}  // namespace askonce::dsl::ast
