// server/http/api_routes.cpp: the JSON API (forms, their models and contracts, submissions, the
// OpenAPI document) and the agency API (bearer tokens; list, fetch and acknowledge views).
//
// Submissions take the one path the web form takes too (submit.hpp); these handlers only read
// the request and turn the outcome into JSON. docs/openapi.yaml describes every route here,
// and a test keeps the two in step.
//
// The agency API's rules: a token is read from the Authorization header only (a request that
// carries one in its query string is refused, so a client that leaks tokens into URLs finds
// out at once); no token or a bad one gets 401; a valid token of agency A asking about agency
// B's views gets exactly the 404 of a thing that does not exist, so it cannot even learn what
// B has.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "engine/contract.hpp"
#include "engine/json_writer.hpp"
#include "engine/model_json.hpp"
#include "server/delivery/envelope.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/api_openapi.hpp"
#include "server/http/api_views.hpp"
#include "server/http/app.hpp"
#include "server/http/http.hpp"
#include "server/http/submit.hpp"

namespace askonce::server {

namespace {

/// The router's own answer to an address that matches nothing: an agency asking about
/// another agency's views gets exactly this.
constexpr std::string_view nothing_here = "There is nothing at this address.";
constexpr std::string_view no_form = "There is no form with this id. GET /api/v1/forms lists the forms served here.";

constexpr std::size_t max_idempotency_key = 255;
constexpr std::size_t default_page = 50;
constexpr std::size_t max_page = 500;

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

/// One path segment, percent-encoded (form ids and agency names are identifiers, but links
/// must stay links whatever a form calls itself).
std::string segment(std::string_view s) {
  std::string out;
  Poco::URI::encode(std::string(s), "/?#[]@!$&'()*+,;=:", out);
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// The request has a body this handler will not read: the connection cannot be reused.
void close_if_unread_body(Exchange& ex) {
  if (ex.request.getChunkedTransferEncoding() || ex.request.getContentLength64() > 0) ex.response.setKeepAlive(false);
}

/// The language for messages: ?lang=, else the first of Content-Language's that the form has
/// (exactly, or by its primary subtag: "es-MX" is "es"); else the form's primary language.
std::string language_for(const Exchange& ex, const model::Form& form) {
  std::vector<std::string> wanted;
  if (auto l = ex.query("lang")) wanted.push_back(*l);
  const std::string header = ex.header("Content-Language");
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = header.find(',', start);
    wanted.push_back(Poco::trim(header.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto w : wanted) {
    w = lower(w);
    if (w.empty()) continue;
    for (const auto& l : form.languages) {
      if (lower(l) == w || lower(l) == w.substr(0, w.find('-'))) return l;
    }
  }
  return form.languages.empty() ? std::string() : form.languages.front();
}

int agency_index(const model::Form& form, std::string_view name) {
  for (std::size_t i = 0; i < form.agencies.size(); ++i) {
    if (form.agencies[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// --- the JSON API ----------------------------------------------------------------------------

void list_forms(Exchange& ex) {
  engine::JsonWriter w;
  w.begin_array();
  for (const auto& f : ex.app.catalog().forms()) {
    const model::Form& form = f.plan->form();
    const std::string id = segment(f.id);
    w.begin_object();
    w.key("id");
    w.string(f.id);
    w.key("version");
    w.number(std::to_string(form.version));
    w.key("title");
    w.begin_object();
    for (const auto& [lang, text] : form.title) {
      w.key(lang);
      w.string(text);
    }
    w.end_object();
    w.key("languages");
    w.begin_array();
    for (const auto& l : form.languages) w.string(l);
    w.end_array();
    w.key("definition_hash");
    w.string(form.definition_hash);
    w.key("links");
    w.begin_object();
    w.key("self");
    w.string("/api/v1/forms/" + id);
    w.key("submissions");
    w.string("/api/v1/forms/" + id + "/submissions");
    w.key("page");
    w.string("/forms/" + id);
    w.key("pdf");
    w.string("/forms/" + id + ".pdf");
    w.key("text");
    w.string("/forms/" + id + ".txt");
    w.key("contracts");
    w.begin_object();
    for (const auto& a : form.agencies) {
      w.key(a.name);
      w.string("/api/v1/forms/" + id + "/agencies/" + segment(a.name) + "/contract");
    }
    w.end_object();
    w.end_object();
    w.end_object();
  }
  w.end_array();
  ex.send(200, "application/json", w.take() + "\n");
}

void get_form(Exchange& ex) {
  const CatalogForm* form = ex.app.catalog().find(ex.params[0]);
  if (!form) return ex.fail(404, no_form);
  ex.send(200, "application/json", model_json::to_json(form->plan->form()));
}

/// The 201 answer to a stored (or replayed) submission.
std::string stored_json(const StoredSubmission& s, const std::string& secret) {
  engine::JsonWriter w;
  w.begin_object();
  w.key("reference");
  w.string(s.reference);
  w.key("received");
  w.string(s.received);
  w.key("form");
  w.string(s.form_id);
  w.key("version");
  w.number(std::to_string(s.version));
  w.key("definition_hash");
  w.string(s.definition_hash);
  w.key("digest");
  w.string(s.digest);
  w.key("agencies");
  w.begin_array();
  for (const auto& d : s.deliveries) {
    w.begin_object();
    w.key("agency");
    w.string(d.agency);
    w.key("state");
    w.string(to_string(d.state));
    w.end_object();
  }
  w.end_array();
  w.key("receipt_url");
  w.string(receipt_path(s.reference, secret));
  w.end_object();
  return w.take() + "\n";
}

std::string errors_array(const std::vector<engine::Error>& errors) {
  engine::JsonWriter w;
  w.begin_array();
  for (const auto& e : errors) {
    w.begin_object();
    w.key("field");
    w.string(e.path);
    w.key("code");
    w.string(e.code);
    w.key("message");
    w.string(e.message);
    w.end_object();
  }
  w.end_array();
  return w.take() + "\n";
}

/// Whether the request's body is declared as JSON in UTF-8 (the only charset JSON has).
bool json_body(const Exchange& ex) {
  const std::string type = ex.header("Content-Type");
  if (type.empty()) return false;
  try {
    const Poco::Net::MediaType m(type);
    if (lower(m.getType()) != "application" || lower(m.getSubType()) != "json") return false;
    return !m.hasParameter("charset") || lower(m.getParameter("charset")) == "utf-8";
  } catch (const Poco::Exception&) {
    return false;
  }
}

void post_submission(Exchange& ex) {
  const CatalogForm* form = ex.app.catalog().find(ex.params[0]);
  if (!form) {
    close_if_unread_body(ex);
    return ex.fail(404, no_form);
  }
  if (!json_body(ex)) {
    close_if_unread_body(ex);
    return ex.fail(415, "Send the submission as JSON: Content-Type: application/json.", {{"Accept-Post", "application/json"}});
  }
  std::optional<IdempotencyKey> idempotency;
  if (ex.request.has("Idempotency-Key")) {
    const std::string key = ex.header("Idempotency-Key");
    const bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (key.empty() || key.size() > max_idempotency_key || !printable) {
      close_if_unread_body(ex);
      return ex.fail(400, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
    }
    idempotency = IdempotencyKey{"api/" + form->id, key, {}};
  }
  auto body = ex.body();
  if (!body) return;  // 413 or 408 already sent
  if (idempotency) idempotency->fingerprint = request_fingerprint(*body);

  SubmitInput in;
  in.form = form;
  in.language = language_for(ex, form->plan->form());
  in.channel = "api";
  in.json = *body;
  in.idempotency = std::move(idempotency);
  const SubmitOutcome out = submit(ex.app, in);
  switch (out.status) {
    case SubmitOutcome::Status::Stored:
      return ex.send(201, "application/json", stored_json(*out.stored, out.receipt_secret));
    case SubmitOutcome::Status::Replayed:
      return ex.send(201, "application/json", stored_json(*out.stored, out.receipt_secret),
                     {{"Idempotent-Replayed", "true"}});
    case SubmitOutcome::Status::KeyConflict:
      return ex.fail(409, "This Idempotency-Key was used with a different request. Use a new key for a new submission.");
    case SubmitOutcome::Status::Invalid:
      return ex.send(422, "application/json", errors_array(out.checked.errors));
  }
}

constexpr std::string_view schema_json = "application/schema+json";
constexpr std::string_view plain_json = "application/json";
constexpr std::string_view xml_types[] = {"application/xml", "text/xml", "application/xsd+xml"};

void get_contract(Exchange& ex) {
  const CatalogForm* form = ex.app.catalog().find(ex.params[0]);
  if (!form) return ex.fail(404, no_form);
  const model::Form& model = form->plan->form();
  const int agency = agency_index(model, ex.params[1]);
  if (agency < 0) return ex.fail(404, "This form has no agency with this name.");
  std::string type = ex.negotiate({schema_json, plain_json, xml_types[0], xml_types[1], xml_types[2]});
  if (std::find(std::begin(xml_types), std::end(xml_types), type) != std::end(xml_types)) {
    const auto xsd = engine::xsd_contract(model, static_cast<std::size_t>(agency));
    if (xsd.ok()) {
      // Several documents (one per namespace): this is the first, which declares the root
      // element; it imports the others by file name, which resolve next to this address
      // (GET .../agencies/{a}/{file}.xsd).
      return ex.send(200, type, xsd.documents.front().text);
    }
    type = ex.negotiate({schema_json, plain_json});
    if (type.empty()) {
      std::string why = "This agency's XML view cannot be described by an XSD (";
      for (std::size_t i = 0; i < xsd.diagnostics.size(); ++i) {
        why += (i ? "; " : "") + xsd.diagnostics[i].code + ": " + xsd.diagnostics[i].message;
      }
      return ex.fail(406, why + "). Its JSON Schema is available as application/schema+json.");
    }
  }
  if (type.empty()) {
    return ex.fail(406, "A contract is available as application/schema+json or application/json (JSON Schema), "
                        "or as application/xml, text/xml or application/xsd+xml (XSD).");
  }
  ex.send(200, type, engine::json_schema_contract(model, static_cast<std::size_t>(agency)));
}

void get_xsd_document(Exchange& ex) {
  const CatalogForm* form = ex.app.catalog().find(ex.params[0]);
  if (!form) return ex.fail(404, no_form);
  const model::Form& model = form->plan->form();
  const int agency = agency_index(model, ex.params[1]);
  if (agency < 0) return ex.fail(404, "This form has no agency with this name.");
  const auto xsd = engine::xsd_contract(model, static_cast<std::size_t>(agency));
  for (const auto& d : xsd.documents) {
    if (d.file == ex.params[2] + ".xsd") return ex.send(200, "application/xml", d.text);
  }
  ex.fail(404, "This agency's XSD has no schema document with this name.");
}

void get_openapi(Exchange& ex) { ex.send(200, "application/yaml", openapi_yaml()); }

// --- the agency API --------------------------------------------------------------------------

void unauthorized(Exchange& ex, std::string_view detail, bool token_given) {
  close_if_unread_body(ex);
  ex.fail(401, detail,
          {{"WWW-Authenticate", token_given ? "Bearer realm=\"askonce\", error=\"invalid_token\"" : "Bearer realm=\"askonce\""}});
}

/// Whether the query string carries something that looks like a token, under any name.
bool token_in_query(const Exchange& ex) {
  const std::string& uri = ex.request.getURI();
  const auto q = uri.find('?');
  if (q == std::string::npos) return false;
  std::string query;
  try {
    Poco::URI::decode(uri.substr(q + 1), query, true);
  } catch (const Poco::Exception&) {
    query = uri.substr(q + 1);
  }
  query = lower(query);
  return query.find("aot_") != std::string::npos || ex.query("access_token") || ex.query("token");
}

/// The agency named in the path, when the request's bearer token is one of its tokens.
/// Otherwise the answer (401, or the 404 of a thing that does not exist) has been sent.
std::optional<std::string> authorize(Exchange& ex) {
  if (token_in_query(ex)) {
    unauthorized(ex, "Tokens are accepted only in the Authorization header (Authorization: Bearer aot_...), never in "
                     "the address. Revoke a token that was sent in an address: it may have been logged on the way.",
                 true);
    return std::nullopt;
  }
  const std::string auth = ex.header("Authorization");
  if (auth.empty()) {
    unauthorized(ex, "This API needs an agency token: Authorization: Bearer aot_...", false);
    return std::nullopt;
  }
  const auto space = auth.find(' ');
  std::string token = space == std::string::npos ? std::string() : Poco::trim(auth.substr(space + 1));
  const bool bearer = space != std::string::npos && lower(auth.substr(0, space)) == "bearer";
  const bool shaped = !token.empty() && token.size() <= 256 &&
                      std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  std::optional<std::string> agency;
  if (bearer && shaped) agency = ex.app.store().verify_token(token);
  if (!agency) {
    unauthorized(ex, "This token is not valid: it is malformed, unknown or revoked.", true);
    return std::nullopt;
  }
  if (*agency != ex.params[0]) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  return agency;
}

constexpr std::string_view xml_view_types[] = {"application/xml", "text/xml"};

void list_views(Exchange& ex) {
  const auto agency = authorize(ex);
  if (!agency) return;
  std::size_t limit = default_page;
  if (auto l = ex.query("limit")) {
    const bool digits = !l->empty() && l->size() <= 4 && std::all_of(l->begin(), l->end(), [](char c) { return c >= '0' && c <= '9'; });
    limit = digits ? std::stoul(*l) : 0;
    if (limit < 1 || limit > max_page) return ex.fail(400, "limit is a whole number from 1 to 500.");
  }
  const std::string type = ex.negotiate({plain_json, xml_view_types[0], xml_view_types[1]});
  if (type.empty()) return ex.fail(406, "This list is available as application/json or application/xml.");
  const auto page = ex.app.store().list_for_agency(*agency, ex.query("after").value_or(""), limit);
  if (!page) {
    return ex.fail(400, "This cursor was not issued by this server. Pass the next_cursor of a page you received, "
                        "or leave out after to start from the beginning.");
  }
  if (type == plain_json) return ex.send(200, "application/json", agency_page_json(*page));
  auto xml = agency_page_xml(*page);
  if (!xml) throw std::runtime_error("a stored XML view cannot be read");
  ex.send(200, type, *xml);
}

/// `?version=N`: one version of a view (1 as submitted, 2, 3, ... its amendments). Nothing
/// when absent; false (answered 400) when it is not a whole number from 1 to 999999999.
std::optional<std::optional<std::int64_t>> view_version_query(Exchange& ex) {
  const auto v = ex.query("version");
  if (!v) return std::optional<std::int64_t>();
  const bool digits = !v->empty() && v->size() <= 9 && (*v)[0] != '0' &&
                      std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) {
    close_if_unread_body(ex);
    ex.fail(400, "version is a whole number from 1: the view_version of the item (1 as submitted, 2 and on "
                 "for its amendments).");
    return std::nullopt;
  }
  return std::optional<std::int64_t>(std::stoll(*v));
}

void get_view(Exchange& ex) {
  const auto agency = authorize(ex);
  if (!agency) return;
  const auto version = view_version_query(ex);
  if (!version) return;
  const auto item = ex.app.store().fetch_for_agency(*agency, ex.params[1], *version);
  if (!item) return ex.fail(404, nothing_here);
  const std::string type = item->xml ? ex.negotiate({plain_json, xml_view_types[0], xml_view_types[1]})
                                     : ex.negotiate({plain_json});
  if (type.empty()) {
    return ex.fail(406, item->xml ? "This view is available as application/json or application/xml."
                                  : "This view is available as application/json only.");
  }
  for (const auto& [name, value] : envelope_headers(*item)) ex.response.set(name, value);
  ex.response.set("Askonce-Acknowledged", item->acknowledged ? "true" : "false");
  ex.send(200, type, type == plain_json ? item->json : *item->xml);
}

void acknowledge(Exchange& ex) {
  const auto agency = authorize(ex);
  if (!agency) return;
  const auto version = view_version_query(ex);
  if (!version) return;
  close_if_unread_body(ex);  // an acknowledgement has nothing to say
  // Without ?version= every version stored is acknowledged: a client that knows no versions
  // fetched the latest, which holds the earlier ones' answers.
  if (!ex.app.store().acknowledge(*agency, ex.params[1], now_ms(), *version)) return ex.fail(404, nothing_here);
  ex.send(204, "", "");
}

// --- status from agencies (agency_status.hpp) -------------------------------------------------

/// The submission `{ref}` names, when agency `agency` received a view of it, with the definition
/// it was checked against; nothing (answered 404, the same as for another agency's) otherwise.
std::optional<std::pair<StoredSubmission, std::shared_ptr<const engine::Plan>>> received_by(Exchange& ex,
                                                                                             const std::string& agency) {
  std::optional<StoredSubmission> stored;
  if (ex.app.store().fetch_for_agency(agency, ex.params[1])) stored = ex.app.store().find_submission(ex.params[1]);
  auto plan = stored ? ex.app.catalog().plan_for(stored->definition_hash, ex.app.store()) : nullptr;
  if (!plan) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  return std::pair{std::move(*stored), std::move(plan)};
}

void get_status(Exchange& ex) {
  const auto agency = authorize(ex);
  if (!agency) return;
  const auto found = received_by(ex, *agency);
  if (!found) return;
  const auto history = statuses_of(ex.app.store().agency_statuses(found->first.reference), *agency);
  ex.send(200, "application/json", status_json(found->first.reference, *agency, history));
}

void post_status_route(Exchange& ex) {
  const auto agency = authorize(ex);
  if (!agency) return;
  const auto found = received_by(ex, *agency);
  if (!found) return;
  if (!json_body(ex)) {
    close_if_unread_body(ex);
    return ex.fail(415, "Send the status as JSON: Content-Type: application/json.", {{"Accept-Post", "application/json"}});
  }
  const auto body = ex.body();
  if (!body) return;
  const auto& [stored, plan] = *found;
  const StatusRead read = read_status_post(*body, *plan, *agency);
  if (!read.post) return ex.fail(422, read.problem);
  const StatusOutcome out = post_status(ex.app, stored, *plan, *agency, *read.post);
  switch (out.kind) {
    case StatusCheck::Kind::Append:
      ex.app.log().event("info", "agency_status", {{"agency", *agency}, {"status", read.post->status}});
      return ex.send(201, "application/json", status_json(stored.reference, *agency, out.history));
    case StatusCheck::Kind::Same:
      return ex.send(200, "application/json", status_json(stored.reference, *agency, out.history),
                     {{"Idempotent-Replayed", "true"}});
    case StatusCheck::Kind::Refused:
      return ex.fail(409, out.why);
  }
}

constexpr Route routes[] = {
    {"GET", "/api/v1/forms", list_forms},
    {"GET", "/api/v1/forms/{id}", get_form},
    {"POST", "/api/v1/forms/{id}/submissions", post_submission, true},
    {"GET", "/api/v1/forms/{id}/agencies/{a}/contract", get_contract},
    {"GET", "/api/v1/forms/{id}/agencies/{a}/{file}.xsd", get_xsd_document},
    {"GET", "/api/v1/openapi.yaml", get_openapi},
    {"GET", "/api/v1/agencies/{a}/submissions", list_views},
    {"GET", "/api/v1/agencies/{a}/submissions/{ref}", get_view},
    {"POST", "/api/v1/agencies/{a}/submissions/{ref}/ack", acknowledge},
    {"GET", "/api/v1/agencies/{a}/submissions/{ref}/status", get_status},
    {"POST", "/api/v1/agencies/{a}/submissions/{ref}/status", post_status_route},
};

}  // namespace

std::span<const Route> api_routes() { return routes; }

}  // namespace askonce::server
