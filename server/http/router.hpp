// server/http/router.hpp: the Poco request-handler factory: every request goes through router.cpp's
// dispatcher, which finds its row in the route tables (http.hpp).
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace askonce::server {

class App;

class RouterFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RouterFactory(App& app) : app_(app) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  App& app_;
};

}  // namespace askonce::server
