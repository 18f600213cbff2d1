// engine/composites.cpp: the tables behind composites.hpp.
#include "engine/composites.hpp"

namespace askonce::composites {
namespace {

using model::Kind;

constexpr Part address_parts[] = {
    {"street", Kind::Text, "Street address", "Dirección", true, "address-line1"},
    {"street2", Kind::Text, "Apartment, suite or unit", "Apartamento, suite o unidad", false,
     "address-line2"},
    {"city", Kind::Text, "City", "Ciudad", true, "address-level2"},
    {"state", Kind::Choice, "State", "Estado", true, "address-level1"},
    {"zip", Kind::Zip, "ZIP code", "Código postal", true, "postal-code"},
};

constexpr Part name_parts[] = {
    {"first", Kind::Text, "First name", "Nombre", true, "given-name"},
    {"middle", Kind::Text, "Middle name", "Segundo nombre", false, "additional-name"},
    {"last", Kind::Text, "Last name", "Apellido", true, "family-name"},
    {"suffix", Kind::Text, "Suffix (Jr., Sr., III)", "Sufijo (Jr., Sr., III)", false,
     "honorific-suffix"},
};

constexpr StateCode states[] = {
    {"AL", "Alabama", "Alabama"},
    {"AK", "Alaska", "Alaska"},
    {"AZ", "Arizona", "Arizona"},
    {"AR", "Arkansas", "Arkansas"},
    {"CA", "California", "California"},
    {"CO", "Colorado", "Colorado"},
    {"CT", "Connecticut", "Connecticut"},
    {"DE", "Delaware", "Delaware"},
    {"DC", "District of Columbia", "Distrito de Columbia"},
    {"FL", "Florida", "Florida"},
    {"GA", "Georgia", "Georgia"},
    {"HI", "Hawaii", "Hawái"},
    {"ID", "Idaho", "Idaho"},
    {"IL", "Illinois", "Illinois"},
    {"IN", "Indiana", "Indiana"},
    {"IA", "Iowa", "Iowa"},
    {"KS", "Kansas", "Kansas"},
    {"KY", "Kentucky", "Kentucky"},
    {"LA", "Louisiana", "Luisiana"},
    {"ME", "Maine", "Maine"},
    {"MD", "Maryland", "Maryland"},
    {"MA", "Massachusetts", "Massachusetts"},
    {"MI", "Michigan", "Míchigan"},
    {"MN", "Minnesota", "Minnesota"},
    {"MS", "Mississippi", "Misisipi"},
    {"MO", "Missouri", "Misuri"},
    {"MT", "Montana", "Montana"},
    {"NE", "Nebraska", "Nebraska"},
    {"NV", "Nevada", "Nevada"},
    {"NH", "New Hampshire", "Nuevo Hampshire"},
    {"NJ", "New Jersey", "Nueva Jersey"},
    {"NM", "New Mexico", "Nuevo México"},
    {"NY", "New York", "Nueva York"},
    {"NC", "North Carolina", "Carolina del Norte"},
    {"ND", "North Dakota", "Dakota del Norte"},
    {"OH", "Ohio", "Ohio"},
    {"OK", "Oklahoma", "Oklahoma"},
    {"OR", "Oregon", "Oregón"},
    {"PA", "Pennsylvania", "Pensilvania"},
    {"RI", "Rhode Island", "Rhode Island"},
    {"SC", "South Carolina", "Carolina del Sur"},
    {"SD", "South Dakota", "Dakota del Sur"},
    {"TN", "Tennessee", "Tennessee"},
    {"TX", "Texas", "Texas"},
    {"UT", "Utah", "Utah"},
    {"VT", "Vermont", "Vermont"},
    {"VA", "Virginia", "Virginia"},
    {"WA", "Washington", "Washington"},
    {"WV", "West Virginia", "Virginia Occidental"},
    {"WI", "Wisconsin", "Wisconsin"},
    {"WY", "Wyoming", "Wyoming"},
    {"AS", "American Samoa", "Samoa Estadounidense"},
    {"GU", "Guam", "Guam"},
    {"MP", "Northern Mariana Islands", "Islas Marianas del Norte"},
    {"PR", "Puerto Rico", "Puerto Rico"},
    {"VI", "U.S. Virgin Islands", "Islas Vírgenes de los Estados Unidos"},
    {"FM", "Federated States of Micronesia", "Estados Federados de Micronesia"},
    {"MH", "Marshall Islands", "Islas Marshall"},
    {"PW", "Palau", "Palaos"},
    {"AA", "Armed Forces Americas", "Fuerzas Armadas de las Américas"},
    {"AE", "Armed Forces Europe, Middle East, Africa and Canada",
     "Fuerzas Armadas de Europa, Oriente Medio, África y Canadá"},
    {"AP", "Armed Forces Pacific", "Fuerzas Armadas del Pacífico"},
};

}  // namespace

std::span<const Part> parts(model::Kind kind) {
  switch (kind) {
    case Kind::Address: return address_parts;
    case Kind::Name: return name_parts;
    default: return {};
  }
}

bool is_composite(model::Kind kind) { return kind == Kind::Address || kind == Kind::Name; }

std::optional<std::string_view> label(const Part& part, std::string_view lang) {
  if (lang == "en") return part.label_en;
  if (lang == "es") return part.label_es;
  return std::nullopt;
}

std::span<const StateCode> us_states() { return states; }

std::optional<std::string_view> state_name(const StateCode& state, std::string_view lang) {
  if (lang == "en") return state.name_en;
  if (lang == "es") return state.name_es;
  return std::nullopt;
}

}  // namespace askonce::composites
