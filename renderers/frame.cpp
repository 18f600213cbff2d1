// renderers/frame.cpp: the page frame (frame.hpp). Markup written here is fixed; every string
// from a form, the deployment or a request goes through append_html.
#include "renderers/frame.hpp"

#include "renderers/escape.hpp"
#include "renderers/strings.hpp"

namespace askonce::renderers {
namespace {

constexpr std::string_view uswds_css = "/assets/uswds/css/uswds.min.css";
constexpr std::string_view uswds_img = "/assets/uswds/img/";

class Writer {
 public:
  Writer(std::string& out, std::string_view lang) : out_(out), lang_(lang) {}
  void tag(std::string_view markup) { out_ += markup; }
  void text(std::string_view s) { append_html(out_, s); }
  void attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_html(out_, value);
    out_ += '"';
  }
  void words(Ui key) { text(ui(key, lang_)); }

 private:
  std::string& out_;
  std::string_view lang_;
};

}  // namespace

std::string_view language_name(std::string_view lang) {
  if (lang == "en") return "English";
  if (lang == "es") return "Español";
  return lang;
}

std::string frame_page(const PageFrame& frame, std::string_view body) {
  static const Site defaults;
  const Site& site = frame.site ? *frame.site : defaults;
  const std::string_view lang = frame.language.empty() ? std::string_view("en") : std::string_view(frame.language);
  std::string out;
  out.reserve(body.size() + 6000);
  Writer w(out, lang);
  const std::string service = site.name.empty() ? std::string(ui(Ui::ServiceNameDefault, lang)) : site.name;

  w.tag("<!DOCTYPE html>\n<html");
  w.attr("lang", lang);
  w.tag(">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  std::string title;
  if (frame.error) title = std::string(ui(Ui::ErrorPrefix, lang)) + " ";
  for (const auto& part : frame.title_parts) {
    if (part.empty()) continue;
    title += part;
    title += " - ";
  }
  title += service;
  w.text(title);
  w.tag("</title>\n<link rel=\"stylesheet\"");
  w.attr("href", uswds_css);
  w.tag(">\n");
  for (const auto& src : frame.scripts) {
    w.tag("<script");
    w.attr("src", src);
    w.tag(" defer></script>\n");
  }
  for (const auto& [id, json] : frame.data) {
    w.tag("<script type=\"application/json\"");
    w.attr("id", id);
    w.tag(">");
    w.tag(json);  // escaped by its writer (PageFrame::data): it cannot close the element
    w.tag("</script>\n");
  }
  w.tag("</head>\n<body>\n<a class=\"usa-skipnav\" href=\"#main-content\">");
  w.words(Ui::SkipToMain);
  w.tag("</a>\n");

  // The official banner. USWDS opens it with a script; a <details> opens without one and tells
  // assistive technology that it opens.
  w.tag("<section class=\"usa-banner\"");
  w.attr("aria-label", ui(Ui::BannerLabel, lang));
  w.tag(">\n<details class=\"usa-accordion\">\n<summary class=\"usa-banner__header\">\n<span class=\"usa-banner__inner\">\n"
        "<img class=\"usa-banner__header-flag margin-right-1\"");
  w.attr("src", std::string(uswds_img) + "us_flag_small.png");
  w.tag(" alt=\"\" width=\"16\" height=\"11\">\n<span class=\"usa-banner__header-text\">");
  w.words(Ui::BannerOfficial);
  w.tag("</span>\n<span class=\"usa-link margin-left-1 font-body-3xs\">");
  w.words(Ui::BannerHowYouKnow);
  w.tag("</span>\n</span>\n</summary>\n<div class=\"usa-banner__content\">\n<div class=\"grid-row grid-gap-lg\">\n");
  const std::pair<std::string_view, std::pair<Ui, Ui>> guidance[] = {
      {"icon-dot-gov.svg", {Ui::BannerDotGovTitle, Ui::BannerDotGov}},
      {"icon-https.svg", {Ui::BannerHttpsTitle, Ui::BannerHttps}},
  };
  for (const auto& [icon, words] : guidance) {
    w.tag("<div class=\"usa-banner__guidance tablet:grid-col-6\">\n<img class=\"usa-banner__icon usa-media-block__img\"");
    w.attr("src", std::string(uswds_img) + std::string(icon));
    w.tag(" alt=\"\" width=\"40\" height=\"40\">\n<div class=\"usa-media-block__body\">\n<p><strong>");
    w.words(words.first);
    w.tag("</strong><br>");
    w.words(words.second);
    w.tag("</p>\n</div>\n</div>\n");
  }
  w.tag("</div>\n</div>\n</details>\n</section>\n");

  // The header: the service's name, home, and the language switch.
  w.tag("<header class=\"usa-header usa-header--basic\">\n<div class=\"usa-nav-container\">\n<div class=\"usa-navbar\">\n"
        "<div class=\"usa-logo\">\n<p class=\"usa-logo__text\"><a");
  w.attr("href", site.home_url.empty() ? std::string("/") : site.home_url);
  w.tag(">");
  w.text(service);
  w.tag("</a></p>\n</div>\n</div>\n");
  std::vector<LanguageLink> links = site.languages;
  if (links.empty()) {
    for (const auto& l : frame.languages) links.push_back({l, "?lang=" + l});
  }
  if (links.size() > 1) {
    w.tag("<nav class=\"margin-bottom-2\"");
    w.attr("aria-label", ui(Ui::Language, lang));
    w.tag(">\n<ul class=\"usa-button-group\">\n");
    for (const auto& link : links) {
      const bool current = link.language == lang;
      w.tag("<li class=\"usa-button-group__item\"><a");
      w.tag(current ? " class=\"usa-button usa-button--outline\" aria-current=\"true\"" : " class=\"usa-button usa-button--unstyled padding-1\"");
      w.attr("href", link.url);
      w.attr("lang", link.language);
      w.attr("hreflang", link.language);
      w.tag(">");
      w.text(language_name(link.language));
      w.tag("</a></li>\n");
    }
    w.tag("</ul>\n</nav>\n");
  }
  w.tag("</div>\n</header>\n");

  w.tag("<main id=\"main-content\" class=\"usa-section\" tabindex=\"-1\">\n<div class=\"grid-container\">\n");
  out += body;
  w.tag("</div>\n</main>\n");

  // The footer: USWDS's identifier, with the links the deployment sets.
  w.tag("<footer class=\"usa-identifier\">\n<nav class=\"usa-identifier__section usa-identifier__section--required-links\"");
  w.attr("aria-label", ui(Ui::FooterLinks, lang));
  w.tag(">\n<div class=\"usa-identifier__container\">\n<ul class=\"usa-identifier__required-links-list\">\n");
  w.tag("<li class=\"usa-identifier__required-links-item\"><a class=\"usa-identifier__required-link usa-link\"");
  w.attr("href", site.home_url.empty() ? std::string("/") : site.home_url);
  w.tag(">");
  w.text(service);
  w.tag("</a></li>\n");
  const std::pair<const std::string*, Ui> footer[] = {
      {&site.about_url, Ui::FooterAbout},
      {&site.accessibility_url, Ui::FooterAccessibility},
      {&site.privacy_url, Ui::FooterPrivacy},
  };
  for (const auto& [url, words] : footer) {
    if (url->empty()) continue;
    w.tag("<li class=\"usa-identifier__required-links-item\"><a class=\"usa-identifier__required-link usa-link\"");
    w.attr("href", *url);
    w.tag(">");
    w.words(words);
    w.tag("</a></li>\n");
  }
  w.tag("</ul>\n</div>\n</nav>\n</footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace askonce::renderers
