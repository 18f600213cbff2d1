// engine/json_writer.hpp: a small indented JSON writer for documents the engine produces
// (agency views, JSON Schema contracts).
//
// Strings are escaped by json_string (normalize.hpp), the same escaping as the canonical
// document. Numbers are written from their exact decimal text, never through a double.
// Two-space indent, one member per line, `[]` / `{}` when empty, no final line break.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/normalize.hpp"

namespace askonce::engine {

class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The next member's name, inside an object.
  void key(std::string_view name) {
    separate();
    out_ += json_string(name);
    out_ += ": ";
    after_key_ = true;
  }
  void string(std::string_view s) { scalar(json_string(s)); }
  /// `text` must be a JSON number (exact decimal text).
  void number(std::string_view text) { scalar(std::string(text)); }
  void boolean(bool b) { scalar(b ? "true" : "false"); }
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (stack_.empty()) return;
    if (stack_.back().count++ > 0) out_ += ',';
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
  void scalar(const std::string& s) {
    separate();
    out_ += s;
  }
  void open(char c) {
    separate();
    out_ += c;
    stack_.push_back({0});
  }
  void close(char c) {
    const bool empty = stack_.back().count == 0;
    stack_.pop_back();
    if (!empty) {
      out_ += '\n';
      out_.append(2 * stack_.size(), ' ');
    }
    out_ += c;
  }
  struct Level {
    std::size_t count;
  };
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace askonce::engine
