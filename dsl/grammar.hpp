// dsl/grammar.hpp: the grammar of the askonce language, rules only.
//
// Actions (actions.hpp) build the syntax tree; error messages (errors.hpp) say what a form
// designer should write where a rule fails. Included by parser.cpp and the grammar tests
// only. Conventions: a rule matches its own text and no whitespace around it, so that an
// action's input is exactly the text it names; sequences put `ws` between their parts.
// Rules with an error message in errors.hpp are commit points: once reached, they raise
// instead of failing, and the statement-level `recover` (parser.cpp) resumes after them.
#pragma once

#include <cstring>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace askonce::dsl::grammar {

namespace pegtl = tao::pegtl;
using pegtl::alnum;
using pegtl::alpha;
using pegtl::at;
using pegtl::digit;
using pegtl::eof;
using pegtl::eolf;
using pegtl::identifier;
using pegtl::identifier_other;
using pegtl::list;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::range;
using pegtl::rep;
using pegtl::rep_min_max;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::two;
using pegtl::until;
using pegtl::xdigit;

// ---- Custom rules ---------------------------------------------------------------------
// They call the parser state (actions.hpp) through a few hooks, so that limits and
// recovery live in one place.

/// A statement. If it raises a syntax error, the error is reported, everything the
/// statement had built is dropped, and parsing resumes after the statement: at the end of
/// its line, or after the brace that closes a block it opened.
template <typename Rule>
struct recover {
  using rule_t = recover;
  using subs_t = pegtl::type_list<Rule>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    {
      auto m = in.template mark<pegtl::rewind_mode::required>();
      const auto saved = st.checkpoint();
      try {
        return m(Control<Rule>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st));
      } catch (const pegtl::parse_error& e) {
        st.report(e);
        st.restore(saved);
      }
    }  // the marker rewinds to the start of the statement
    st.skip_statement(in);
    return true;
  }
};

/// Never matches: raises a syntax error naming the word found where Context expected a
/// statement. Stops quietly at the end of the input, and at '}' unless Context is top level.
template <typename Context>
struct unexpected {
  using rule_t = unexpected;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    st.template unexpected<Context>(in);
    return false;
  }
};

/// Rule, counted against the expression depth limit.
template <typename Rule>
struct nested {
  using rule_t = nested;
  using subs_t = pegtl::type_list<Rule>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    st.enter_expression(in);
    struct leave {
      State& s;
      ~leave() { s.leave_expression(); }
    } guard{st};
    return Control<Rule>::template match<A, M, Action, Control>(in, st);
  }
};

/// '{', counted against the nesting limit.
struct open_brace {
  using rule_t = open_brace;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    if (in.empty() || in.peek_char() != '{') return false;
    st.open_brace(in);
    in.bump_in_this_line(1);
    return true;
  }
};

/// '}'. At the end of the input, raises "this '{' is never closed" at the opening brace.
struct close_brace {
  using rule_t = close_brace;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    if (!in.empty() && in.peek_char() == '}') {
      st.close_brace();
      in.bump_in_this_line(1);
      return true;
    }
    st.unclosed_brace(in);  // reported; parsing goes on as if it were there
    return true;
  }
};

// ---- Whitespace and comments ----------------------------------------------------------

/// /* ... */, not nested. An unclosed one is reported where it opens.
struct block_comment {
  using rule_t = block_comment;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&...) {
    if (in.size() < 2 || in.peek_char() != '/' || in.peek_char(1) != '*') return false;
    const std::string_view rest(in.current() + 2, in.size() - 2);
    const auto end = rest.find("*/");
    if (end == std::string_view::npos) {
      throw pegtl::parse_error("P0204|this comment is not closed: add '*/' where it ends", in);
    }
    in.bump(2 + end + 2);
    return true;
  }
};
/// Whitespace and comments between words: the parser's most frequent rule, so a loop
/// rather than a composition (same meaning as star<sor<space, line_comment, block_comment>>).
struct ws {
  using rule_t = ws;
  using subs_t = pegtl::empty_list;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    for (;;) {
      const char* p = in.current();
      const char* end = in.end();
      const char* q = p;
      while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
      if (q != p) in.bump_in_this_line(static_cast<std::size_t>(q - p));
      if (in.empty()) return true;
      const char c = in.peek_char();
      if (c == '\n') {
        in.bump_to_next_line(1);
      } else if (c == '/' && in.size() >= 2 && in.peek_char(1) == '/') {
        const char* nl = static_cast<const char*>(std::memchr(in.current(), '\n', in.size()));
        in.bump_in_this_line(nl ? static_cast<std::size_t>(nl - in.current()) : in.size());
      } else if (!block_comment::match<A, M, Action, Control>(in, st...)) {
        return true;
      }
    }
  }
};

// ---- Words ------------------------------------------------------------------------------

template <typename Str> struct keyword : seq<Str, not_at<identifier_other>> {};
#define ASKONCE_KW(name, text) struct kw_##name : keyword<TAO_PEGTL_STRING(text)> {}
ASKONCE_KW(and, "and");
ASKONCE_KW(or, "or");
ASKONCE_KW(not, "not");
ASKONCE_KW(in, "in");
ASKONCE_KW(true, "true");
ASKONCE_KW(false, "false");
ASKONCE_KW(if, "if");
ASKONCE_KW(as, "as");
ASKONCE_KW(use, "use");
ASKONCE_KW(extends, "extends");
ASKONCE_KW(place, "place");
ASKONCE_KW(field, "field");
ASKONCE_KW(block, "block");
ASKONCE_KW(list, "list");
ASKONCE_KW(form, "form");
ASKONCE_KW(title, "title");
ASKONCE_KW(version, "version");
ASKONCE_KW(languages, "languages");
ASKONCE_KW(standard, "standard");
ASKONCE_KW(description, "description");
ASKONCE_KW(purpose, "purpose");
ASKONCE_KW(eligibility, "eligibility");
ASKONCE_KW(needs, "needs");
ASKONCE_KW(duration, "duration");
ASKONCE_KW(apply, "apply");
ASKONCE_KW(paper, "paper");
ASKONCE_KW(mail_to, "mail_to");
ASKONCE_KW(hours, "hours");
ASKONCE_KW(omb, "omb");
ASKONCE_KW(expires, "expires");
ASKONCE_KW(privacy, "privacy");
ASKONCE_KW(burden, "burden");
ASKONCE_KW(minutes, "minutes");
ASKONCE_KW(plain, "plain");
ASKONCE_KW(grade, "grade");
ASKONCE_KW(in_person, "in_person");
ASKONCE_KW(mail, "mail");
ASKONCE_KW(section, "section");
ASKONCE_KW(agency, "agency");
ASKONCE_KW(working, "working");
ASKONCE_KW(message, "message");
ASKONCE_KW(when, "when");
ASKONCE_KW(receives, "receives");
ASKONCE_KW(repeat, "repeat");
ASKONCE_KW(required, "required");
ASKONCE_KW(show, "show");
ASKONCE_KW(check, "check");
ASKONCE_KW(pattern, "pattern");
ASKONCE_KW(min, "min");
ASKONCE_KW(max, "max");
ASKONCE_KW(hint, "hint");
ASKONCE_KW(ask, "ask");
ASKONCE_KW(unanswered, "unanswered");
ASKONCE_KW(default, "default");
ASKONCE_KW(computed, "computed");
ASKONCE_KW(sensitive, "sensitive");
ASKONCE_KW(option, "option");
ASKONCE_KW(from, "from");
ASKONCE_KW(text, "text");
ASKONCE_KW(longtext, "longtext");
ASKONCE_KW(integer, "integer");
ASKONCE_KW(decimal, "decimal");
ASKONCE_KW(money, "money");
ASKONCE_KW(date, "date");
ASKONCE_KW(yesno, "yesno");
ASKONCE_KW(choice, "choice");
ASKONCE_KW(choices, "choices");
ASKONCE_KW(email, "email");
ASKONCE_KW(phone, "phone");
ASKONCE_KW(ssn, "ssn");
ASKONCE_KW(ein, "ein");
ASKONCE_KW(zip, "zip");
ASKONCE_KW(url, "url");
ASKONCE_KW(address, "address");
ASKONCE_KW(name, "name");
ASKONCE_KW(attest, "attest");
ASKONCE_KW(note, "note");
ASKONCE_KW(member, "member");
ASKONCE_KW(of, "of");
ASKONCE_KW(day, "day");
ASKONCE_KW(days, "days");
ASKONCE_KW(week, "week");
ASKONCE_KW(weeks, "weeks");
ASKONCE_KW(month, "month");
ASKONCE_KW(months, "months");
ASKONCE_KW(year, "year");
ASKONCE_KW(years, "years");
#undef ASKONCE_KW

/// Words that cannot name anything, because expressions give them a meaning.
struct reserved : sor<kw_and, kw_or, kw_not, kw_in, kw_true, kw_false, kw_if, kw_as> {};

/// A reserved word where a name was expected.
struct reserved_name : reserved {};
/// A name being declared or referred to.
struct name : seq<not_at<reserved>, identifier> {};

// Names in their places; each has its own error message.
struct form_name : sor<reserved_name, name> {};
struct block_name : sor<reserved_name, name> {};
struct list_name : sor<reserved_name, name> {};
struct section_name : sor<reserved_name, name> {};
struct agency_name : sor<reserved_name, name> {};
struct field_name : sor<reserved_name, name> {};
struct repeat_name : sor<reserved_name, name> {};
struct used_block : name {};
struct alias_name : sor<reserved_name, name> {};
struct from_list : name {};
struct placed_name : sor<reserved_name, name> {};
struct placed_more : sor<reserved_name, name> {};

// ---- Literals ---------------------------------------------------------------------------

struct unicode_escape : seq<one<'{'>, rep_min_max<1, 6, xdigit>, one<'}'>> {};
struct escape_code : sor<seq<one<'u'>, unicode_escape>, one<'"', '\\', 'n', 't'>> {};
struct escape : seq<one<'\\'>, escape_code> {};
struct plain_chars : plus<not_one<'"', '\\', '\n', '\r'>> {};
struct string_body : until<one<'"'>, sor<plain_chars, escape>> {};
/// "a string", on one line, with escapes.
struct string_lit : seq<one<'"'>, string_body> {};

struct integer : plus<digit> {};
struct number : seq<plus<digit>, opt<one<'.'>, plus<digit>>, not_at<identifier_other>> {};
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<identifier_other>> {};
struct duration_unit : sor<kw_days, kw_day, kw_weeks, kw_week, kw_months, kw_month, kw_years, kw_year> {};
struct duration_lit : seq<integer, ws, duration_unit> {};
struct true_lit : kw_true {};
struct false_lit : kw_false {};
struct literal : sor<date_lit, duration_lit, number, string_lit, true_lit, false_lit> {};

// ---- Texts ------------------------------------------------------------------------------

/// A language code: two or three lower-case letters, with an optional region.
struct lang_code : seq<range<'a', 'z'>, range<'a', 'z'>, opt<range<'a', 'z'>>,
                       opt<one<'-'>, plus<alnum>>, not_at<identifier_other>> {};
struct text_string : string_lit {};
struct text_part : seq<lang_code, ws, text_string> {};
struct first_text_part : sor<text_part, text_string> {};
/// "English" es "Español": one string per language.
struct text : seq<first_text_part, star<ws, text_part>> {};

// Texts in their places; each has its own error message.
struct label : text {};
struct title_text : text {};
struct hint_text : text {};
struct ask_text : text {};
struct unanswered_text : text {};
struct message_text : text {};

// ---- Expressions ------------------------------------------------------------------------

struct expr;
struct field_ref : seq<name, star<one<'.'>, name>> {};
struct call_open : one<'('> {};
struct close_paren : one<')'> {};
struct call_arg : seq<expr> {};
struct call_args : opt<expr, star<ws, one<','>, ws, call_arg>> {};
struct call : seq<name, ws, call_open, ws, call_args, ws, close_paren> {};
struct paren_inner : seq<expr> {};
struct paren_expr : seq<one<'('>, ws, paren_inner, ws, close_paren> {};
struct primary : sor<paren_expr, literal, call, field_ref> {};

struct neg_op : one<'-'> {};
struct unary;
struct neg_operand : nested<unary> {};
struct negation : seq<neg_op, ws, neg_operand> {};
struct unary : sor<negation, primary> {};

struct mul_op : one<'*', '/'> {};
struct mul_operand : unary {};
struct mul_tail : seq<ws, mul_op, ws, mul_operand> {};
struct product : seq<unary, star<mul_tail>> {};

struct add_op : seq<one<'+', '-'>, not_at<one<'>'>>> {};
struct add_operand : product {};
struct add_tail : seq<ws, add_op, ws, add_operand> {};
struct sum : seq<product, star<add_tail>> {};

struct cmp_op : sor<two<'='>, pegtl::string<'!', '='>, pegtl::string<'<', '='>, pegtl::string<'>', '='>, one<'<'>, one<'>'>> {};
struct single_equals : seq<one<'='>, not_at<one<'='>>> {};  // `a = b`: a common slip
struct cmp_operand : sum {};
struct cmp_tail : seq<ws, cmp_op, ws, cmp_operand> {};
struct list_open : one<'['> {};
struct list_close : one<']'> {};
struct list_item : seq<expr> {};
struct list_items : seq<list_item, star<ws, one<','>, ws, list_item>> {};
struct value_list : seq<list_open, ws, list_items, ws, list_close> {};
struct in_list : value_list {};
struct in_tail : seq<ws, kw_in, ws, in_list> {};
struct not_in_tail : seq<ws, kw_not, ws, kw_in, ws, in_list> {};
struct equals_slip : seq<ws, single_equals> {};
struct comparison : seq<sum, opt<sor<cmp_tail, in_tail, not_in_tail, equals_slip>>> {};

struct logical_not;
struct not_operand : nested<logical_not> {};
struct not_prefix : seq<kw_not, not_at<ws, kw_in>, ws, not_operand> {};
struct logical_not : sor<not_prefix, comparison> {};
struct and_operand : logical_not {};
struct and_tail : seq<ws, kw_and, ws, and_operand> {};
struct conjunction : seq<logical_not, star<and_tail>> {};
struct or_operand : conjunction {};
struct or_tail : seq<ws, kw_or, ws, or_operand> {};
struct disjunction : seq<conjunction, star<or_tail>> {};
/// An expression. Depth-limited: hostile nesting is a diagnostic, not a stack overflow.
struct expr : nested<disjunction> {};

/// An expression where one must come (after `show if`, `check`, `computed`, `when`, ...).
struct condition : expr {};

// ---- Properties -------------------------------------------------------------------------

struct required_if : seq<kw_if, ws, condition> {};
struct p_required : seq<kw_required, opt<ws, required_if>> {};
struct show_if_kw : kw_if {};
struct p_show : seq<kw_show, ws, show_if_kw, ws, condition> {};
/// `... if EXPR` after a check or a pattern: the rule applies only when EXPR holds (an
/// alternative's rules, chosen by another answer: docs/dsl.md, "Rules that apply in one case").
struct rule_if : seq<kw_if, ws, condition> {};
struct p_check : seq<kw_check, ws, condition, ws, message_text, opt<ws, rule_if>> {};
struct pattern_regex : string_lit {};
struct p_pattern : seq<kw_pattern, ws, pattern_regex, ws, message_text, opt<ws, rule_if>> {};
struct bound : sor<date_lit, number> {};
struct signed_bound : seq<opt<one<'-'>>, bound> {};
struct p_min : seq<kw_min, ws, signed_bound> {};
struct p_max : seq<kw_max, ws, signed_bound> {};
struct p_hint : seq<kw_hint, ws, hint_text> {};
struct p_ask : seq<kw_ask, ws, ask_text> {};
struct p_unanswered : seq<kw_unanswered, ws, unanswered_text> {};
struct default_value : seq<opt<one<'-'>>, literal> {};
struct p_default : seq<kw_default, ws, default_value> {};
struct p_computed : seq<kw_computed, ws, condition> {};
struct p_sensitive : kw_sensitive {};
struct option_value : sor<string_lit, integer, name> {};
struct option_label : text {};
struct p_option : seq<kw_option, ws, option_value, ws, option_label> {};
struct p_from : seq<kw_from, ws, from_list> {};
struct property : sor<p_required, p_show, p_check, p_pattern, p_min, p_max, p_hint, p_default,
                      p_computed, p_sensitive, p_option, p_from, p_ask, p_unanswered> {};

/// '{' where a body must start.
struct body_open : open_brace {};

// ---- Fields, blocks and repeats -------------------------------------------------------------

struct field_kind : sor<kw_text, kw_longtext, kw_integer, kw_decimal, kw_money, kw_date, kw_yesno,
                        kw_choices, kw_choice, kw_email, kw_phone, kw_ssn, kw_ein, kw_zip, kw_url,
                        kw_address, kw_name, kw_attest, kw_note> {};
struct properties_context {};
struct properties : seq<open_brace, ws, star<recover<sor<property, unexpected<properties_context>>>, ws>, close_brace> {};
struct field_head : seq<field_kind, ws, field_name, ws, label> {};
struct field_item : seq<field_head, opt<ws, properties>> {};
struct use_alias : seq<kw_as, ws, alias_name> {};
struct use_head : seq<kw_use, ws, used_block, opt<ws, use_alias>> {};
struct use_item : seq<use_head, opt<ws, properties>> {};
struct item;
struct repeat_context {};
struct repeat_body : seq<body_open, ws, star<recover<sor<property, item, unexpected<repeat_context>>>, ws>, close_brace> {};
struct repeat_head : seq<kw_repeat, ws, repeat_name, ws, label> {};
struct repeat_item : seq<repeat_head, ws, repeat_body> {};
// `member "JSON NAME" TYPE [of TYPE] [{ ... }]`: a JSON member with no question (docs/dsl.md,
// "Members without a question"). Its name is any JSON member name, so a string; its type a JSON
// type word. Properties are read so that each can be refused by name (none applies).
struct member_name : string_lit {};
struct json_type_word : sor<TAO_PEGTL_KEYWORD("object"), TAO_PEGTL_KEYWORD("array"), TAO_PEGTL_KEYWORD("string"),
                            TAO_PEGTL_KEYWORD("number"), TAO_PEGTL_KEYWORD("integer"), TAO_PEGTL_KEYWORD("boolean")> {};
struct member_type : json_type_word {};
struct member_items : json_type_word {};
struct member_of : seq<kw_of, ws, member_items> {};
struct member_head : seq<kw_member, ws, member_name, ws, member_type, opt<ws, member_of>> {};
struct member_item : seq<member_head, opt<ws, properties>> {};
struct item : sor<repeat_item, use_item, member_item, field_item> {};

// Building on an imported form (docs/dsl.md, "Building on an imported form"): `place NAME
// [TEXT] { ... }` puts the imported field NAME in this section, with the texts and rules people
// add; `place a, b, c` puts several as they are. In its body, `message TEXT` words the imported
// patterns and checks, and `field NAME [TEXT] { ... }` does the same for a field of the placed
// block or repeat.
struct place_label : text {};
struct p_message : seq<kw_message, ws, message_text> {};
struct place_context {};
struct place_item;
struct refine_head : seq<kw_field, ws, placed_name> {};
struct refine_item;
struct place_body : seq<at<one<'{'>>, body_open, ws, star<recover<sor<property, p_message, refine_item, unexpected<place_context>>>, ws>, close_brace> {};
struct refine_item : seq<refine_head, opt<ws, place_label>, opt<ws, place_body>> {};
struct place_head : seq<kw_place, ws, placed_name> {};
struct place_one : seq<place_head, opt<ws, place_label>, opt<ws, place_body>> {};
struct place_item : seq<place_one, star<ws, one<','>, ws, placed_more>> {};

struct items_context {};
struct items_body : seq<body_open, ws, star<recover<sor<item, unexpected<items_context>>>, ws>, close_brace> {};
/// A section's body: in a form that extends an imported one, `place` items too.
struct section_body : seq<body_open, ws, star<recover<sor<item, place_item, unexpected<items_context>>>, ws>, close_brace> {};

// ---- Forms --------------------------------------------------------------------------------

struct s_title : seq<kw_title, ws, title_text> {};
struct version_number : integer {};
struct s_version : seq<kw_version, ws, version_number> {};
struct language : lang_code {};
struct language_list : list<language, ws> {};
struct s_languages : seq<kw_languages, ws, language_list> {};
struct s_standard : seq<kw_standard, ws, title_text> {};
struct s_description : seq<kw_description, ws, title_text> {};
// The start page: `purpose`, `eligibility`, `duration` texts; `needs { "..." "..." }`, a list of
// texts; `apply phone|in_person|mail "..."`, the other ways to apply.
struct s_purpose : seq<kw_purpose, ws, title_text> {};
struct s_eligibility : seq<kw_eligibility, ws, title_text> {};
struct s_duration : seq<kw_duration, ws, title_text> {};
struct need_text : text {};
struct needs_open : one<'{'> {};
struct needs_close : one<'}'> {};
struct s_needs : seq<kw_needs, ws, needs_open, ws, star<need_text, ws>, needs_close> {};
struct apply_way : sor<kw_phone, kw_in_person, kw_mail> {};
struct s_apply : seq<kw_apply, ws, apply_way, ws, title_text> {};
// The paper form: `paper mail_to TEXT` (where to send it), `paper phone "..."` (for help: not a
// text, a number is the same in every language), `paper hours TEXT`, `paper omb "1234-5678"
// expires DATE`, `paper privacy TEXT` (the Privacy Act notice), `paper burden N minutes` or
// `paper burden TEXT` (the paperwork burden notice).
struct paper_phone_number : string_lit {};
struct omb_number : string_lit {};
struct omb_expires : kw_expires {};
struct omb_expiry : date_lit {};
struct burden_minutes_word : kw_minutes {};
struct burden_minutes : seq<integer, ws, burden_minutes_word> {};
struct burden_text : text {};
struct burden_value : sor<burden_minutes, burden_text> {};
struct p_mail_to : seq<kw_mail_to, ws, title_text> {};
struct p_phone : seq<kw_phone, ws, paper_phone_number> {};
struct p_hours : seq<kw_hours, ws, title_text> {};
struct p_omb : seq<kw_omb, ws, omb_number, ws, omb_expires, ws, omb_expiry> {};
struct p_privacy : seq<kw_privacy, ws, title_text> {};
struct p_burden : seq<kw_burden, ws, burden_value> {};
struct paper_what : sor<p_mail_to, p_phone, p_hours, p_omb, p_privacy, p_burden> {};
struct s_paper : seq<kw_paper, ws, paper_what> {};
// Plain language: `plain grade N`, the reading grade the citizens' texts are held to
// (docs/dsl.md, "Plain language").
struct plain_grade_word : kw_grade {};
struct plain_grade_number : integer {};
struct s_plain : seq<kw_plain, ws, plain_grade_word, ws, plain_grade_number> {};
struct setting : sor<s_title, s_version, s_languages, s_standard, s_description, s_purpose, s_eligibility,
                     s_duration, s_needs, s_apply, s_paper, s_plain> {};

struct section_head : seq<kw_section, ws, section_name, ws, label> {};
struct section : seq<section_head, ws, section_body> {};

struct receive_quoted : string_lit {};
struct receive_path : sor<receive_quoted, field_ref> {};
struct receive_as : sor<string_lit, name> {};
struct receive_rename : seq<kw_as, ws, receive_as> {};
struct receive : seq<receive_path, opt<ws, receive_rename>> {};
struct receive_more : receive {};
struct receive_list : seq<receive, star<ws, one<','>, ws, receive_more>> {};
struct a_receives : seq<kw_receives, ws, receive_list> {};
struct a_when : seq<kw_when, ws, condition> {};
struct xml_value : string_lit {};
struct xml_prefix : sor<name, string_lit> {};
struct x_root : seq<TAO_PEGTL_KEYWORD("root"), ws, xml_value> {};
struct x_namespace : seq<TAO_PEGTL_KEYWORD("namespace"), ws, xml_prefix, ws, xml_value> {};
struct x_attribute : seq<TAO_PEGTL_KEYWORD("attribute"), ws, xml_value, ws, xml_value> {};
struct x_yes : seq<TAO_PEGTL_KEYWORD("yes"), ws, xml_value> {};
struct x_no : seq<TAO_PEGTL_KEYWORD("no"), ws, xml_value> {};
struct xml_context {};
struct xml_body : seq<body_open, ws, star<recover<sor<x_root, x_namespace, x_attribute, x_yes, x_no, unexpected<xml_context>>>, ws>, close_brace> {};
struct a_xml : seq<TAO_PEGTL_KEYWORD("xml"), ws, xml_body> {};
// The agency's service standard and its named messages (docs/dsl.md, "Service standards and
// messages"): `standard 10 working days TEXT`, `message NAME TEXT`. The unit is read as a word
// or two so that a wrong one ("weeks", "business days") is named in its error (actions.hpp).
struct standard_amount : integer {};
struct standard_working_days : seq<kw_working, ws, sor<kw_days, kw_day>> {};
struct standard_days : sor<kw_days, kw_day> {};
struct standard_other_unit : seq<identifier, opt<ws, kw_days>> {};
struct standard_unit : sor<standard_working_days, standard_days, standard_other_unit> {};
struct standard_text : text {};
struct a_standard : seq<kw_standard, ws, standard_amount, ws, standard_unit, ws, standard_text> {};
struct message_name : sor<reserved_name, name> {};
struct agency_message_text : text {};
struct a_message : seq<kw_message, ws, message_name, ws, agency_message_text> {};
struct agency_context {};
struct agency_body : seq<body_open, ws, star<recover<sor<a_when, a_receives, a_xml, a_standard, a_message,
                                                          unexpected<agency_context>>>, ws>, close_brace> {};
struct agency_head : seq<kw_agency, ws, agency_name, ws, label> {};
struct agency : seq<agency_head, ws, agency_body> {};

struct form_context {};
struct form_body : seq<body_open, ws, star<recover<sor<setting, section, agency, unexpected<form_context>>>, ws>, close_brace> {};
struct form_head : seq<kw_form, ws, form_name> {};
struct form : seq<form_head, ws, form_body> {};

struct block_head : seq<kw_block, ws, block_name> {};
struct block : seq<block_head, ws, items_body> {};

struct list_option : seq<kw_option, ws, option_value, ws, option_label> {};
struct list_context {};
struct list_body : seq<body_open, ws, star<recover<sor<list_option, unexpected<list_context>>>, ws>, close_brace> {};
struct list_head : seq<kw_list, ws, list_name> {};
struct code_list : seq<list_head, ws, list_body> {};

struct import_path : string_lit {};
struct import : seq<kw_use, ws, import_path> {};
struct extends_path : string_lit {};
struct extends_decl : seq<kw_extends, ws, extends_path> {};

struct top_context {};
struct declaration : sor<import, extends_decl, block, code_list, form, unexpected<top_context>> {};
/// A whole .form file.
struct file : seq<ws, star<recover<declaration>, ws>, eof> {};

}  // namespace askonce::dsl::grammar

// The analysis of custom rules, for pegtl::analyze.
namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, askonce::dsl::grammar::recover<Rule>> : analyze_seq_traits<Rule> {};
template <typename Name, typename Rule>
struct analyze_traits<Name, askonce::dsl::grammar::nested<Rule>> : analyze_seq_traits<Rule> {};
template <typename Name, typename Context>
struct analyze_traits<Name, askonce::dsl::grammar::unexpected<Context>> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, askonce::dsl::grammar::open_brace> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, askonce::dsl::grammar::block_comment> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, askonce::dsl::grammar::ws> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, askonce::dsl::grammar::close_brace> : analyze_any_traits<> {};
}  // namespace tao::pegtl
