# dsl/plain/embed.cmake: writes a .cpp that holds the plain-language word lists' bytes, so that
# `askonce check --plain` needs no file at run time. Run at build time by dsl/CMakeLists.txt:
#   cmake -DEN=dsl/plain/en.tsv -DES=dsl/plain/es.tsv -DOUTPUT=plain_words.cpp -P embed.cmake
function(bytes_of input var size_var)
  file(READ "${input}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # Sixteen bytes a line: "0x77,0x6f,...".
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n  " bytes "${bytes}")
  set(${var} "${bytes}" PARENT_SCOPE)
  set(${size_var} "${size}" PARENT_SCOPE)
endfunction()
bytes_of("${EN}" en_bytes en_size)
bytes_of("${ES}" es_bytes es_size)
file(WRITE "${OUTPUT}.tmp"
"// Generated at build time by dsl/plain/embed.cmake from dsl/plain/en.tsv and es.tsv: do not edit.
#include <cstddef>

namespace askonce::dsl::detail {

extern const unsigned char plain_words_en_bytes[];
extern const std::size_t plain_words_en_size;
extern const unsigned char plain_words_es_bytes[];
extern const std::size_t plain_words_es_size;

const unsigned char plain_words_en_bytes[] = {
  ${en_bytes}0x00};
const std::size_t plain_words_en_size = ${en_size};
const unsigned char plain_words_es_bytes[] = {
  ${es_bytes}0x00};
const std::size_t plain_words_es_size = ${es_size};

}  // namespace askonce::dsl::detail
")
# Only a changed list is rewritten, so an unchanged one rebuilds nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
