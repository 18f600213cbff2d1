// engine/evaluate.cpp: the expression evaluator over a plan's flattened expressions.
#include "engine/evaluate.hpp"

#include <algorithm>

#include "engine/plan.hpp"
#include "engine/plan_internal.hpp"

namespace askonce::engine {

using detail::FieldPlan;
using detail::PExpr;
using detail::PlanData;
using model::FieldId;
using model::Op;
using Kind = EvalValue::Kind;

namespace {

const Answer* answer_in(const PlanData& d, FieldId f, const Scope& s) {
  if (f >= d.fields.size()) return nullptr;
  const FieldPlan& p = d.fields[f];
  if (p.depth > s.depth) return nullptr;
  const Entry* e = s.entries[p.depth];
  if (e == nullptr || p.slot >= e->answers.size()) return nullptr;
  return &e->answers[p.slot];
}

EvalValue from_answer(const Answer* a) {
  EvalValue v;
  if (a == nullptr || !a->shown || a->problem) return v;
  const Value& x = a->value;
  switch (x.type) {
    case ValueType::Blank: case ValueType::Json: break;  // a member: no rule reads it
    case ValueType::Bool: v.kind = Kind::Bool; v.boolean = x.boolean; break;
    case ValueType::Number: v.kind = Kind::Number; v.number = x.number; break;
    case ValueType::Text: v.kind = Kind::Text; v.text = x.text; break;
    case ValueType::Date: v.kind = Kind::Date; v.date = x.date; break;
    case ValueType::Set: v.kind = Kind::Set; v.set = &x.items; break;
  }
  return v;
}

/// Calls fn(answer) for every answer of `f` reachable from `s`: the entries of the repeats
/// between the scope and `f` are all visited.
template <class Fn>
void visit(const PlanData& d, FieldId f, const Scope& s, Fn&& fn) {
  const FieldPlan& p = d.fields[f];
  FieldId chain[64];
  std::size_t n = 0;
  for (FieldId r = p.repeat; r != model::no_field && n < 64; r = d.fields[r].repeat) chain[n++] = r;
  std::reverse(chain, chain + n);  // outermost first; chain[k] is the repeat at depth k
  if (s.depth > n) return;
  const auto walk = [&](auto& self, const Entry& e, std::size_t level) -> void {
    if (level == n) {
      const std::uint32_t slot = p.slot;
      if (slot < e.answers.size()) fn(e.answers[slot]);
      return;
    }
    const std::uint32_t rslot = d.fields[chain[level]].slot;
    if (rslot >= e.answers.size()) return;
    const Answer& r = e.answers[rslot];
    if (!r.shown) return;
    for (const Entry& child : r.entries) self(self, child, level + 1);
  };
  if (s.entries[s.depth] != nullptr) walk(walk, *s.entries[s.depth], s.depth);
}

bool same(const EvalValue& a, const EvalValue& b) {
  switch (a.kind) {
    case Kind::Bool: return a.boolean == b.boolean;
    case Kind::Number: return a.number == b.number;
    case Kind::Text: return a.text == b.text;
    case Kind::Date: return a.date == b.date;
    case Kind::Duration: return a.duration == b.duration;
    case Kind::Set: return *a.set == *b.set;
    case Kind::Blank: return false;
  }
  return false;
}

/// Order of two values of the same kind; nothing when they cannot be ordered.
std::optional<std::strong_ordering> order(const EvalValue& a, const EvalValue& b) {
  if (a.kind != b.kind) return std::nullopt;
  switch (a.kind) {
    case Kind::Number: return a.number <=> b.number;
    case Kind::Date: return compare(a.date, b.date);
    case Kind::Duration: {
      const auto months = [](const model::Duration& d) {
        return d.unit == model::DurationUnit::Years ? d.amount * 12 : d.amount;
      };
      const auto days = [](const model::Duration& d) {
        return d.unit == model::DurationUnit::Weeks ? d.amount * 7 : d.amount;
      };
      const bool am = a.duration.unit == model::DurationUnit::Months || a.duration.unit == model::DurationUnit::Years;
      const bool bm = b.duration.unit == model::DurationUnit::Months || b.duration.unit == model::DurationUnit::Years;
      if (am != bm) return std::nullopt;  // a month has no fixed number of days
      return am ? months(a.duration) <=> months(b.duration) : days(a.duration) <=> days(b.duration);
    }
    default: return std::nullopt;
  }
}

EvalValue number(std::optional<Decimal> d) {
  EvalValue v;
  if (d) {
    v.kind = Kind::Number;
    v.number = *d;
  }
  return v;
}

class Evaluator {
 public:
  Evaluator(const PlanData& d, const EvalContext& c) : d_(d), c_(c) {}

  EvalValue eval(std::uint32_t at, const Scope& s) const {
    const PExpr& e = d_.exprs[at];
    switch (e.op) {
      case Op::Literal: return e.literal;
      case Op::Field: return from_answer(answer_in(d_, e.field, s));
      case Op::Call: return call(e, s);
      case Op::Neg: {
        EvalValue a = eval(e.first, s);
        if (a.kind != Kind::Number) return {};
        a.number = neg(a.number);
        return a;
      }
      case Op::Not: {
        const EvalValue a = eval(e.first, s);
        return a.kind == Kind::Bool ? EvalValue::of_bool(!a.boolean) : EvalValue{};
      }
      case Op::And:
      case Op::Or: {
        const bool is_and = e.op == Op::And;
        bool unknown = false;
        for (std::uint32_t i = 0; i < e.count; ++i) {
          const EvalValue a = eval(e.first + i, s);
          if (a.kind != Kind::Bool) {
            unknown = true;
          } else if (a.boolean != is_and) {
            return EvalValue::of_bool(!is_and);  // false and _ = false; true or _ = true
          }
        }
        return unknown ? EvalValue{} : EvalValue::of_bool(is_and);
      }
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: return arithmetic(e, s);
      case Op::Eq: case Op::Ne: {
        const EvalValue a = eval(e.first, s), b = eval(e.first + 1, s);
        if (a.blank() || b.blank() || a.kind != b.kind) return {};
        return EvalValue::of_bool(same(a, b) == (e.op == Op::Eq));
      }
      case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
        const EvalValue a = eval(e.first, s), b = eval(e.first + 1, s);
        const auto o = order(a, b);
        if (!o) return {};
        switch (e.op) {
          case Op::Lt: return EvalValue::of_bool(*o < 0);
          case Op::Le: return EvalValue::of_bool(*o <= 0);
          case Op::Gt: return EvalValue::of_bool(*o > 0);
          default: return EvalValue::of_bool(*o >= 0);
        }
      }
      case Op::In: case Op::NotIn: {
        const EvalValue x = eval(e.first, s);
        if (x.blank()) return {};
        bool found = false;
        for (std::uint32_t i = 1; i < e.count && !found; ++i) {
          const PExpr& item = d_.exprs[e.first + i];
          if (item.op == Op::Literal) {  // the usual list of constants: compared in place, not copied
            found = item.literal.kind == x.kind && same(x, item.literal);
          } else {
            const EvalValue y = eval(e.first + i, s);
            found = y.kind == x.kind && same(x, y);
          }
        }
        return EvalValue::of_bool(found == (e.op == Op::In));
      }
    }
    return {};
  }

 private:
  EvalValue arithmetic(const PExpr& e, const Scope& s) const {
    const EvalValue a = eval(e.first, s), b = eval(e.first + 1, s);
    if (a.blank() || b.blank()) return {};
    if (a.kind == Kind::Number && b.kind == Kind::Number) {
      switch (e.op) {
        case Op::Add: return number(add(a.number, b.number));
        case Op::Sub: return number(sub(a.number, b.number));
        case Op::Mul: return number(mul(a.number, b.number));
        default: return number(div(a.number, b.number));
      }
    }
    const EvalValue* date = a.kind == Kind::Date ? &a : (b.kind == Kind::Date && e.op == Op::Add ? &b : nullptr);
    const EvalValue* dur = date == &a ? &b : &a;
    if (date && dur->kind == Kind::Duration && (e.op == Op::Add || e.op == Op::Sub)) {
      EvalValue v;
      if (auto r = add(date->date, dur->duration, e.op == Op::Sub ? -1 : 1)) {
        v.kind = Kind::Date;
        v.date = *r;
      }
      return v;
    }
    return {};
  }

  EvalValue call(const PExpr& e, const Scope& s) const {
    using model::Function;
    switch (e.function) {
      case Function::Today: {
        EvalValue v;
        v.kind = Kind::Date;
        v.date = c_.today;
        return v;
      }
      case Function::Age: {
        const EvalValue a = eval(e.first, s);
        if (a.kind != Kind::Date) return {};
        return number(Decimal::from_int(whole_years(a.date, c_.today)));
      }
      case Function::Length: {
        const EvalValue a = eval(e.first, s);
        if (a.kind != Kind::Text) return {};
        return number(Decimal::from_int(static_cast<std::int64_t>(code_points(a.text))));
      }
      case Function::Count: {
        const PExpr& arg = d_.exprs[e.first];
        if (e.count > 1 || (e.count == 1 && arg.op != Op::Field)) {
          // count(c1, c2, ...): how many conditions hold (blank: not).
          std::int64_t n = 0;
          for (std::uint32_t i = 0; i < e.count; ++i) n += holds(eval(e.first + i, s)) ? 1 : 0;
          return number(Decimal::from_int(n));
        }
        if (arg.op != Op::Field || arg.field >= d_.fields.size()) return number(Decimal());
        std::int64_t n = 0;
        const bool repeat = d_.fields[arg.field].kind == model::Kind::Repeat;
        visit(d_, arg.field, s, [&](const Answer& a) {
          if (!a.shown) return;
          n += static_cast<std::int64_t>(repeat ? a.entries.size()
                                                : (a.value.type == ValueType::Set ? a.value.items.size() : 0));
        });
        return number(Decimal::from_int(n));
      }
      case Function::Sum: {
        const PExpr& arg = d_.exprs[e.first];
        Decimal total;
        bool overflow = false;
        if (arg.op == Op::Field && arg.field < d_.fields.size()) {
          visit(d_, arg.field, s, [&](const Answer& a) {
            if (!a.shown || a.problem || a.value.type != ValueType::Number) return;
            if (auto t = add(total, a.value.number)) total = *t;
            else overflow = true;
          });
        }
        return overflow ? EvalValue{} : number(total);
      }
      case Function::IsBlank: {
        const PExpr& arg = d_.exprs[e.first];
        if (arg.op != Op::Field) return EvalValue::of_bool(eval(e.first, s).blank());
        return EvalValue::of_bool(is_blank(arg.field, s));
      }
      case Function::Matches: {
        const EvalValue t = eval(e.first, s);
        if (t.kind != Kind::Text || e.field >= d_.regexes.size()) return {};
        return EvalValue::of_bool(d_.regexes[e.field]->matches(t.text));
      }
      case Function::Contains: {
        const EvalValue c = eval(e.first, s), v = eval(e.first + 1, s);
        if (v.kind != Kind::Text) return {};
        if (c.kind != Kind::Set) return EvalValue::of_bool(false);  // nothing ticked
        return EvalValue::of_bool(std::find(c.set->begin(), c.set->end(), v.text) != c.set->end());
      }
    }
    return {};
  }

  bool is_blank(FieldId f, const Scope& s) const {
    if (f >= d_.fields.size()) return true;
    const FieldPlan& p = d_.fields[f];
    const Answer* a = answer_in(d_, f, s);
    if (a == nullptr || !a->shown) return true;
    if (p.holds_value) return a->problem || a->value.blank();
    if (p.kind == model::Kind::Repeat) return a->entries.empty();
    const Entry* entry = s.entries[p.depth];
    for (FieldId g = f + 1; g < p.subtree_end; ++g) {
      const FieldPlan& q = d_.fields[g];
      if (q.frame != p.frame) continue;
      const Answer& b = entry->answers[q.slot];
      if (!b.shown) continue;
      if (q.holds_value && !b.problem && !b.value.blank()) return false;
      if (q.kind == model::Kind::Repeat && !b.entries.empty()) return false;
    }
    return true;
  }

  const PlanData& d_;
  const EvalContext& c_;
};

}  // namespace

EvalValue evaluate(const Plan& plan, std::uint32_t expr, const Scope& scope, const EvalContext& context) {
  const PlanData& d = plan.data();
  if (expr >= d.exprs.size()) return {};
  return Evaluator(d, context).eval(expr, scope);
}

bool holds(const EvalValue& v) { return v.kind == Kind::Bool && v.boolean; }

bool agency_applies(const Plan& plan, const Submission& submission, std::size_t agency, const EvalContext& context) {
  const PlanData& d = plan.data();
  if (agency >= d.agency_when.size()) return false;
  if (d.agency_when[agency] == detail::no_expr) return true;
  const Entry* top = &submission.answers;
  return holds(evaluate(plan, d.agency_when[agency], Scope{&top, 0}, context));
}

}  // namespace askonce::engine
