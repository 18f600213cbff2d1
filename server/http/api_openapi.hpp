// server/http/api_openapi.hpp: the OpenAPI document of the HTTP API, docs/openapi.yaml, embedded in
// the binary when it is built (server/CMakeLists.txt generates its definition), so the server
// serves exactly the file in docs/ whatever its working directory.
#pragma once

#include <string_view>

namespace askonce::server {

/// The bytes of docs/openapi.yaml as they were when the server was built.
std::string_view openapi_yaml();

}  // namespace askonce::server
