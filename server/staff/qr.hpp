// server/staff/qr.hpp: a QR code's modules (libqrencode), for the enrolment page to draw as
// inline SVG with the server's HTML writer (staff_pages.cpp): no image file, no script.
#pragma once

#include <string_view>
#include <vector>

namespace askonce::server::staff {

/// A square of modules, row by row; `dark[y * size + x]`.
struct QrCode {
  int size = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

/// The QR code of `text` (8-bit mode, error correction M). Throws std::runtime_error when
/// libqrencode cannot encode it (too long).
QrCode qr_encode(std::string_view text);

}  // namespace askonce::server::staff
