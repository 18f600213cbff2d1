// server/staff/qr.cpp: QR codes through libqrencode (qr.hpp).
#include "server/staff/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace askonce::server::staff {

QrCode qr_encode(std::string_view text) {
  const std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()), 0,
                        QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) throw std::runtime_error("cannot encode this text as a QR code");
  QrCode out;
  out.size = code->width;
  out.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
  for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (code->data[i] & 1) != 0;  // bit 0: dark
  return out;
}

}  // namespace askonce::server::staff
