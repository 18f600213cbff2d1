# renderers/embed.cmake: writes a .cpp that holds a file's bytes and its SHA-256, so that the
# server serves the form runtime (renderers/assets/form.js) without the source tree at run
# time. Run at build time by renderers/CMakeLists.txt:
#   cmake -DINPUT=renderers/assets/form.js -DOUTPUT=form_runtime.cpp -P embed.cmake
file(READ "${INPUT}" hex HEX)
file(SHA256 "${INPUT}" sha256)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Sixteen bytes a line: "0x2f,0x2f,...".
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated at build time by renderers/embed.cmake from renderers/assets/form.js: do not edit.
#include <cstddef>

namespace askonce::renderers::detail {

extern const unsigned char form_runtime_bytes[];
extern const std::size_t form_runtime_size;
extern const char form_runtime_sha256[];

const unsigned char form_runtime_bytes[] = {
  ${bytes}0x00};
const std::size_t form_runtime_size = ${size};
const char form_runtime_sha256[] = \"${sha256}\";

}  // namespace askonce::renderers::detail
")
# Only a changed file is rewritten, so an unchanged runtime rebuilds nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
