// engine/model_json.hpp: the compiled form model as JSON, for tools (`askonce model FILE`).
//
// The shape is the stable one documented in docs/dsl.md ("The model as JSON"): keys in the
// documented order, absent optional values omitted, new keys only ever added.
#pragma once

#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "engine/model.hpp"

namespace askonce::model_json {

/// Version of the JSON shape, written as "askonce_model". Bumped only if a key ever had to
/// change meaning (it should not: keys are only added).
inline constexpr int shape_version = 1;

/// The model as a Poco JSON object whose keys keep the documented order
/// (JSON_PRESERVE_KEY_ORDER), for callers that embed it in a larger document.
Poco::JSON::Object::Ptr to_object(const model::Form& form);

/// The model as JSON text: indented by 2, one key per line, empty arrays as `[]`, and a final
/// newline, so that goldens diff line by line.
std::string to_json(const model::Form& form);

/// Lower-case names as used in the JSON (and, for kinds and functions, as written in the
/// language): "money", "number", "not_in", "is_blank", "days".
std::string_view kind_name(model::Kind kind);
std::string_view type_name(model::Type type);
std::string_view op_name(model::Op op);
std::string_view function_name(model::Function function);
std::string_view unit_name(model::DurationUnit unit);

}  // namespace askonce::model_json
