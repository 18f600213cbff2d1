// server/http/web_pages.hpp: the few citizens' pages the server writes itself, around the ones the
// renderers draw from a form: the list of forms (GET /) and the page that refuses a form post
// it cannot trust (CSRF). Same look as the form pages (USWDS, the same stylesheet, no inline
// script or style), every string through renderers::append_html, and their words from
// renderers/strings.hpp, in English and Spanish.
//
// Also how a page's language is chosen, for every citizens' page alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "renderers/render.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class Plan;
class TimeZone;
}

namespace askonce::server {

class Catalog;
struct CatalogForm;
struct Config;

/// The frame's words about the deployment (config site.*), and for `form_id` the other ways to
/// apply that the config sets (apply.<form id>.*); no language links (each page sets its own,
/// or takes the renderer's "?lang=xx").
renderers::Site site_of(const Config& config, std::string_view form_id = {});
/// What the deployment prints on form `form_id`'s paper copies in `lang` (config paper.*):
/// the language's own texts over those for every language.
renderers::PaperSite paper_site(const Config& config, std::string_view form_id, std::string_view lang);

/// The language to answer in, among `offered` (the first being the default): the `lang` query
/// parameter when it is one of them; otherwise the best of them by Accept-Language
/// (q-values, "es-MX" matching "es"); otherwise the first. A `lang` that is not offered is not
/// an error: a citizen following an old or shared link, or a browser set to another language,
/// is better served by the form in its primary language (the page says which in its lang
/// attribute) than by "not found" for a form that exists.
std::string choose_language(const std::optional<std::string>& query_lang, std::string_view accept_language,
                            const std::vector<std::string>& offered);

/// The languages the server's own pages have words in ("en", "es").
const std::vector<std::string>& page_languages();

/// GET /: every form in each of its languages (title, description, links to the start page,
/// the paper form and the text version), in `lang`'s words, in the site's frame.
std::string index_page(const Catalog& catalog, std::string_view lang, renderers::Site site);

/// 403 for a form post without a valid CSRF token or from another site: what happened, that
/// nothing was saved, and a link back to the form in `form_lang`.
std::string refused_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site);

/// "You already sent this application": a post of a draft that was already submitted (the
/// Back button then Submit, a second tab, a double click that lost the race), with a link to
/// its receipt (`receipt_url`, holding the receipt's key) and to start a new application.
std::string already_sent_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site,
                              const std::string& receipt_url);

/// The receipt's reference, the time received and each agency's delivery, in the order stored,
/// into `info`, and with `statuses` (Store::agency_statuses) what each agency posted last: what
/// every receipt, page or document, says of where it went and where it stands. With `today`,
/// also when each decision is due (agency_status.hpp, agency_progress), the agencies' posts
/// each on its day in `zone` (App::zone(), the deployment's; null: UTC), as today is.
void receipt_deliveries(const model::Form& form, const StoredSubmission& stored, renderers::ReceiptInfo& info,
                        const std::vector<AgencyStatus>& statuses = {}, std::optional<model::Date> today = {},
                        const engine::TimeZone* zone = nullptr);

/// "Your answers were deleted", after "Delete my answers", with a link to start again. Both in
/// the site's frame, its language switch leading to the form's start page.
std::string deleted_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site);
/// Each in the site's frame (site_of).
/// The receipt's status, as a receipt link from a mail opens it: the reference, each agency
/// and the state of its delivery or what it posted last, what happens next; never the answers
/// (the page says so). `info` is made as for the receipt page (receipt_deliveries, and the
/// routes' links and survey): "Answer the agency", "Correct an answer" and the A-11 survey are
/// drawn as that page draws them. Its language switch: /receipts/status in each of the
/// form's languages.
std::string receipt_status_page(const engine::Plan& plan, std::string_view lang, const StoredSubmission& stored,
                                renderers::Site site, const renderers::ReceiptInfo& info);

/// A receipt link that was used, has expired or never existed (one page for all three), and
/// how to get a new one: the "Lost your receipt link?" form when `lost_link` is offered;
/// otherwise the receipt page's own address, and no word of email. Its language switch: the
/// same address with "?lang=xx".
std::string link_expired_page(std::string_view lang, bool lost_link, renderers::Site site);

/// "Lost your receipt link?": the reference and the email address given, `values` kept;
/// `message` (already in `lang`) is shown above the form: the same answer whether or not they
/// matched, or what to fix. Its language switch: /receipts/lost in each language.
std::string lost_link_page(renderers::Site site, std::string_view lang, const std::string& csrf_token, const std::string& reference,
                           const std::string& email, std::string_view message, bool is_error);

/// The page around `body`: the one frame every citizens' page has (renderers/frame.hpp), for
/// the pages other files of the server write (resume_pages.cpp).
std::string site_page(std::string_view lang, std::vector<std::string> title_parts, const std::string& body,
                      const renderers::Site& site);
/// `<a class="CLS" href="HREF">TEXT</a>`, both escaped.
void append_link(std::string& out, std::string_view href, std::string_view text, std::string_view cls = "usa-link");

}  // namespace askonce::server
