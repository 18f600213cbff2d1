// server/delivery/webhook.hpp: signed webhooks (Standard Webhooks) and the guard on where they may go.
//
// Signing follows https://www.standardwebhooks.com/: every request carries
//   webhook-id         stable for one outbox row, so a receiver applies each delivery once
//   webhook-timestamp  unix seconds of this attempt
//   webhook-signature  "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
// where the key is the base64 after "whsec_" in the agency's secret.
//
// A webhook URL comes from the deployment's configuration, but a mistaken or hostile one must
// not turn the server into a way into its own network (SSRF). resolve_webhook resolves the host
// once, refuses loopback, private, link-local and other special addresses (unless the
// deployment allows private targets, as tests and an agency inside the same network do), and
// hands back the address it checked: the worker connects to that address and sends the URL's
// host only in the Host header (and TLS SNI), so a second DNS answer cannot bypass the check.
//
// Messages from here are for an operator. They never contain a secret, and name a URL only by
// its host.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {

/// Where one agency's views are POSTed.
struct WebhookTarget {
  std::string agency;  // the agency's name in the form ("SSA")
  std::string url;     // http:// or https://
  std::string secret;  // "whsec_" + base64 key, as Standard Webhooks
  bool xml = false;    // send the XML view instead of JSON (when the view has one)
};

/// The HMAC key of a secret ("whsec_" + base64, or the bare base64); nothing when it is not
/// base64 or its key is shorter than 16 bytes.
std::optional<std::string> webhook_key(std::string_view secret);

/// A fresh secret: "whsec_" + base64 of 32 random bytes.
std::string new_webhook_secret();

/// The webhook-id of an outbox row: "msg_" + reference + "_" + agency, and for an amendment
/// "_v" + its version ("msg_..._ssa_v2"). The same for every attempt of the row, and different
/// for every row.
std::string webhook_id(const AgencyItem& item);

/// The webhook-signature value ("v1,<base64>") of a message. Throws std::invalid_argument when
/// `secret` is not one (webhook_key); the message does not contain it.
std::string sign_webhook(std::string_view secret, std::string_view id, std::int64_t timestamp, std::string_view body);

/// What a receiver checks: one of the space-separated `signatures` is the "v1," signature of
/// (id, timestamp, body) under `secret`, and `timestamp` (unix seconds) is within `tolerance` of
/// `now`, either way. Signatures of other versions are ignored; comparisons are constant-time.
bool verify_signature(std::string_view secret, std::string_view id, std::string_view timestamp,
                      std::string_view signatures, std::string_view body, TimePoint now,
                      std::chrono::seconds tolerance = std::chrono::minutes(5));

/// A webhook URL taken apart, with the one address it may be delivered to.
struct WebhookEndpoint {
  bool https = false;
  std::string host;         // as in the URL, without IPv6 brackets: for Host and TLS
  std::uint16_t port = 0;
  std::string target;       // path and query: what goes on the request line ("/" when empty)
  std::string host_header;  // host[:port], the port only when not the scheme's default
  /// The checked IP addresses to connect to, in the resolver's order: the first that accepts
  /// the connection is used.
  std::vector<std::string> addresses;
};

struct ResolvedWebhook {
  std::optional<WebhookEndpoint> endpoint;
  std::string error;  // why not, when there is no endpoint
};

/// Checks the form of `url` (http or https, a host, no user name or password) without any
/// look-up; the problem, or nothing when it is well-formed.
std::optional<std::string> check_webhook_url_form(const std::string& url);

/// Parses `url`, resolves its host (Poco DNS) and checks every address it resolves to: any
/// loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10),
/// link-local (169.254/16, fe80::/10), unspecified, multicast, broadcast or reserved address,
/// also inside IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 addresses, refuses the URL
/// unless `allow_private`.
ResolvedWebhook resolve_webhook(const std::string& url, bool allow_private);

/// resolve_webhook's verdict only: the problem, or nothing when the URL may be used.
std::optional<std::string> check_webhook_url(const std::string& url, bool allow_private);

/// Why `address` (an IPv4 or IPv6 address in text) may not receive webhooks without
/// allow_private ("loopback", "private", ...), or nothing when it is a public address.
std::optional<std::string> special_address(const std::string& address);

}  // namespace askonce::server
