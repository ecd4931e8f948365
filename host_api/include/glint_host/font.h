// The built-in 5x8 bitmap font (in 8x8 cells) and its texture layout.
#pragma once
#include <cstdint>
#include <vector>

namespace glint::host {

constexpr int kGlyphW = 5, kGlyphH = 8;  // pixels of a glyph
constexpr int kCellW = 8, kCellH = 8;    // cell in the texture
constexpr int kFontTextureW = 128, kFontTextureH = 48;
// Text at size S advances S * 6/8 per character and S * 10/8 per line.
constexpr float kAdvance = 6.0f / 8.0f, kLineHeight = 10.0f / 8.0f;
constexpr unsigned char kSolidGlyph = 127;  // a filled block: the white texel for shapes

// The font texture as ARGB8888 pixels (white, alpha = coverage).
std::vector<uint32_t> build_font_pixels();

struct GlyphRect {
  float x, y, w, h;  // in texels
};
// Where glyph `c` is in the texture; bytes outside 32..127 map to '?'.
GlyphRect glyph_rect(unsigned char c);

}  // namespace glint::host
