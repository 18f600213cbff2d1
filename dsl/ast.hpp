// dsl/ast.hpp: the syntax tree of one .form file, as the parser builds it.
//
// Internal to dsl/. Names are not resolved and blocks are not expanded yet: that is the
// semantic pass's job (semantic.cpp), which turns the trees of a form and its imports into
// one model::Form. Expressions already use model::Expr, with fields unresolved.
#pragma once

#include <string>
#include <vector>

#include "engine/model.hpp"

namespace askonce::dsl::ast {

using model::SourceRef;

/// One string of a text. An empty lang means the form's primary language.
struct TextPart {
  std::string lang;
  std::string value;
  SourceRef where;  // the string (or the language code, when there is one)
};

struct Text {
  std::vector<TextPart> parts;
  SourceRef where;
  bool empty() const { return parts.empty(); }
};

enum class PropKind : std::uint8_t {
  Required,    // `required`, or `required if EXPR` (has_expr)
  ShowIf,      // `show if EXPR`
  Check,       // `check EXPR TEXT`
  Pattern,     // `pattern "REGEX" TEXT`
  Min,         // `min LITERAL`
  Max,         // `max LITERAL`
  Hint,        // `hint TEXT`
  Default,     // `default LITERAL`
  Computed,    // `computed EXPR`
  Sensitive,   // `sensitive`
  Option,      // `option VALUE TEXT`
  From,        // `from LIST`
};

struct Property {
  PropKind kind = PropKind::Required;
  bool has_expr = false;
  model::Expr expr;
  Text text;
  model::Literal literal;
  std::string name;  // Pattern: the regex; Option: the value; From: the list
  SourceRef where;   // the keyword
  SourceRef name_where;
};

enum class ItemKind : std::uint8_t {
  Field,   // `KIND NAME TEXT { properties }`
  Use,     // `use BLOCK [as NAME] { properties }`
  Repeat,  // `repeat NAME TEXT { properties and items }`
};

struct Item {
  ItemKind kind = ItemKind::Field;
  model::Kind field_kind = model::Kind::Text;  // ItemKind::Field
  std::string name;       // Field, Repeat: its name; Use: the alias (`as`), or the block name
  std::string block;      // Use: the block used
  Text label;
  std::vector<Property> props;
  std::vector<Item> items;  // Repeat: its fields
  SourceRef where;          // the first keyword
  SourceRef name_where;     // the name
  SourceRef block_where;    // Use: the block name
};

struct Section {
  std::string name;
  Text title;
  std::vector<Item> items;
  SourceRef where;
  SourceRef name_where;
};

struct Receive {
  std::string path;
  std::string as;
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

struct Agency {
  std::string name;
  Text title;
  std::vector<XmlSetting> xml;
  SourceRef xml_where;
  bool has_when = false;
  model::Expr when;
  SourceRef when_where;
  std::vector<Receive> receives;
  SourceRef where;
  SourceRef name_where;
};

/// A form-level setting: `title`, `version`, `languages`, `standard`, `description`.
struct Setting {
  std::string keyword;
  Text text;                        // title, standard, description
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
  std::vector<Item> items;
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
  std::vector<Block> blocks;
  std::vector<List> lists;
  std::vector<Form> forms;
};

}  // namespace askonce::dsl::ast
