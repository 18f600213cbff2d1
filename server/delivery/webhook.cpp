// server/delivery/webhook.cpp: Standard Webhooks signatures, and the SSRF guard on webhook URLs.
#include "server/delivery/webhook.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::size_t min_key_bytes = 16;

/// Standard base64 with padding, from the URL-safe unpadded form reference.hpp gives.
std::string standard_base64(std::string url_safe) {
  for (char& c : url_safe) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  while (url_safe.size() % 4 != 0) url_safe.push_back('=');
  return url_safe;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // either alphabet: secrets are pasted from many tools
  if (c == '/' || c == '_') return 63;
  return -1;
}

/// Decodes base64 (standard or URL-safe, padded or not); nothing on any other character or a
/// length no encoder produces.
std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string v1_signature(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).append(".").append(timestamp).append(".").append(body);
  return standard_base64(hmac_sha256_b64url(key, message));
}

std::optional<std::string> special_v4(const unsigned char* a) {
  if (a[0] == 0) return "unspecified";  // 0.0.0.0/8: "this network"
  if (a[0] == 127) return "loopback";
  if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) || (a[0] == 192 && a[1] == 168)) return "private";
  if (a[0] == 100 && (a[1] & 0xC0) == 64) return "shared (carrier-grade NAT)";
  if (a[0] == 169 && a[1] == 254) return "link-local";
  if (a[0] >= 224 && a[0] <= 239) return "multicast";
  if (a[0] >= 240) return "reserved";  // 240/4, and 255.255.255.255 (broadcast)
  if (a[0] == 192 && a[1] == 0 && a[2] == 0) return "reserved";  // IETF protocol assignments
  if (a[0] == 198 && (a[1] & 0xFE) == 18) return "reserved";     // benchmarking
  return std::nullopt;
}

std::optional<std::string> special_v6(const unsigned char* a) {
  static constexpr unsigned char zeros[16] = {};
  const bool first96_zero = std::equal(a, a + 12, zeros);
  if (first96_zero) {
    if (std::equal(a + 12, a + 16, zeros)) return "unspecified";
    if (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 1) return "loopback";
    return special_v4(a + 12);  // IPv4-compatible (deprecated): the IPv4 address decides
  }
  static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::equal(a, a + 12, mapped) || std::equal(a, a + 12, nat64)) return special_v4(a + 12);
  if (a[0] == 0x20 && a[1] == 0x02) return special_v4(a + 2);  // 6to4 embeds its IPv4 router
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return "link-local";
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return "private";  // site-local (deprecated)
  if ((a[0] & 0xFE) == 0xFC) return "private";                  // unique local fc00::/7
  if (a[0] == 0xFF) return "multicast";
  if (a[0] == 0x01 && a[1] == 0 && std::equal(a + 2, a + 8, zeros)) return "reserved";  // discard 100::/64
  return std::nullopt;
}

std::optional<std::string> special(const Poco::Net::IPAddress& ip) {
  const auto* bytes = static_cast<const unsigned char*>(ip.addr());
  return ip.family() == Poco::Net::IPAddress::IPv4 ? special_v4(bytes) : special_v6(bytes);
}

struct ParsedUrl {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
  std::string target;
  std::string host_header;
};

/// The URL taken apart, or the problem in `error`.
std::optional<ParsedUrl> parse_url(const std::string& url, std::string& error) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    error = "the webhook URL is not a URL";
    return std::nullopt;
  }
  std::string scheme = uri.getScheme();
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != "http" && scheme != "https") {
    error = scheme.empty() ? "the webhook URL has no scheme: it must start with https:// or http://"
                           : "the webhook URL's scheme must be https or http, not '" + scheme + "'";
    return std::nullopt;
  }
  std::string_view authority(url);
  const std::size_t scheme_end = authority.find("://");
  authority = scheme_end == std::string_view::npos ? std::string_view() : authority.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));
  if (!uri.getUserInfo().empty() || authority.find('@') != std::string_view::npos) {
    // The '@' check also catches what a URI parser might read differently from a browser.
    error = "the webhook URL must not contain a user name or password";
    return std::nullopt;
  }
  if (uri.getHost().empty()) {
    error = "the webhook URL has no host";
    return std::nullopt;
  }
  ParsedUrl p;
  p.https = scheme == "https";
  p.host = uri.getHost();
  p.port = uri.getPort();
  if (p.port == 0) {
    error = "the webhook URL's port must not be 0";
    return std::nullopt;
  }
  p.target = uri.getPathEtc();
  if (const auto hash = p.target.find('#'); hash != std::string::npos) p.target.erase(hash);
  if (p.target.empty() || p.target[0] != '/') p.target.insert(0, "/");
  p.host_header = p.host.find(':') != std::string::npos ? "[" + p.host + "]" : p.host;
  if (p.port != (p.https ? 443 : 80)) p.host_header += ":" + std::to_string(p.port);
  return p;
}

}  // namespace

std::optional<std::string> webhook_key(std::string_view secret) {
  if (secret.starts_with(secret_prefix)) secret.remove_prefix(secret_prefix.size());
  auto key = base64_decode(secret);
  if (!key || key->size() < min_key_bytes) return std::nullopt;
  return key;
}

std::string new_webhook_secret() { return std::string(secret_prefix) + standard_base64(random_token(32)); }

std::string webhook_id(const AgencyItem& item) {
  // Version 1 keeps the id it always had; an amendment is another message, so a receiver that
  // drops repeated ids (as Standard Webhooks asks) does not drop it.
  std::string id = "msg_" + item.reference + "_" + item.agency;
  if (item.view_version > 1) id += "_v" + std::to_string(item.view_version);
  return id;
}

std::string sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp, std::string_view body) {
  const auto key = webhook_key(secret);
  if (!key) throw std::invalid_argument("the webhook secret is not \"whsec_\" followed by the base64 of 16 bytes or more");
  return "v1," + v1_signature(*key, id, std::to_string(timestamp), body);
}

bool verify_signature(std::string_view secret, std::string_view id, std::string_view timestamp,
                      std::string_view signatures, std::string_view body, TimePoint now,
                      std::chrono::seconds tolerance) {
  const auto key = webhook_key(secret);
  if (!key || id.empty() || timestamp.empty() || timestamp.size() > 18) return false;
  if (!std::all_of(timestamp.begin(), timestamp.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const std::int64_t sent = std::stoll(std::string(timestamp));
  const std::int64_t at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (sent < at - tolerance.count() || sent > at + tolerance.count()) return false;
  const std::string expected = v1_signature(*key, id, timestamp, body);
  bool found = false;
  std::size_t i = 0;
  while (i < signatures.size()) {
    const std::size_t end = std::min(signatures.find(' ', i), signatures.size());
    const std::string_view one = signatures.substr(i, end - i);
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (one.starts_with("v1,") && constant_time_equal(one.substr(3), expected)) found = true;
    i = end + 1;
  }
  return found;
}

std::optional<std::string> check_webhook_url_form(const std::string& url) {
  std::string error;
  if (!parse_url(url, error)) return error;
  return std::nullopt;
}

std::optional<std::string> special_address(const std::string& address) {
  Poco::Net::IPAddress ip;
  if (!Poco::Net::IPAddress::tryParse(address, ip)) return "not an IP address";
  return special(ip);
}

ResolvedWebhook resolve_webhook(const std::string& url, bool allow_private) {
  ResolvedWebhook out;
  const auto parsed = parse_url(url, out.error);
  if (!parsed) return out;
  std::vector<Poco::Net::IPAddress> addresses;
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(parsed->host, literal)) {
    addresses.push_back(literal);
  } else {
    try {
      const auto entry = Poco::Net::DNS::hostByName(parsed->host);
      addresses = entry.addresses();
    } catch (const Poco::Exception&) {
      out.error = "cannot resolve the webhook host '" + parsed->host + "'";
      return out;
    }
  }
  if (addresses.empty()) {
    out.error = "the webhook host '" + parsed->host + "' has no address";
    return out;
  }
  if (!allow_private) {
    // Every address is checked, not only the one used: a host that answers with a public and
    // a private address is refused as a whole.
    for (const auto& ip : addresses) {
      if (auto why = special(ip)) {
        out.error = "the webhook host '" + parsed->host + "' resolves to " + ip.toString() + " (" + *why +
                    "); webhooks go only to public addresses (unless private targets are allowed)";
        return out;
      }
    }
  }
  out.endpoint = WebhookEndpoint{parsed->https, parsed->host, parsed->port, parsed->target, parsed->host_header, {}};
  for (const auto& ip : addresses) out.endpoint->addresses.push_back(ip.toString());
  return out;
}

std::optional<std::string> check_webhook_url(const std::string& url, bool allow_private) {
  auto r = resolve_webhook(url, allow_private);
  if (r.endpoint) return std::nullopt;
  return r.error;
}

}  // namespace askonce::server
