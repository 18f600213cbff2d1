// server/http/router.hpp: the Poco request-handler factory: every request goes through router.cpp's
// dispatcher, which finds its row in the route tables (http.hpp).
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace askonce::server {

class App;

/// Which routes a listening address answers (config staff.address).
enum class Listener {
  All,     // one address for everything
  Public,  // the public site when staff pages have their own address: /staff/ is 404 here
  Staff,   // that address: /staff/ and the assets its pages use, nothing else
};

class RouterFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RouterFactory(App& app, Listener listener = Listener::All) : app_(app), listener_(listener) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  App& app_;
  Listener listener_;
};

}  // namespace askonce::server
