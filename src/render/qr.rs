//! QR codes of article URLs as inline SVG (WECHAT.md SHARE-5): desktop
//! readers scan them into WeChat. Error correction M, a 4-module quiet zone,
//! one `<path>` of horizontal runs so the SVG stays about 2 KB.

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, Version};

/// The mask every code uses. Any mask is valid: `QrCode` tries all eight and
/// scores each, which was a third of the build time of a 10,000-article
/// site; the score only nudges scanner robustness, and error correction M
/// covers the rest.
const MASK: MaskPattern = MaskPattern::Checkerboard;

/// Draws the QR codes of a build. Codes of one version share everything but
/// their data bits: function patterns, format information (level M, [`MASK`])
/// and the order the bits are placed in. Each version's share is made once,
/// by the first code that needs it, and each code is then a copy and a
/// flip per dark bit; drawing every code module by module with `Canvas` was
/// more than half of its cost.
pub struct Painter {
    /// By version number − 1.
    layouts: [OnceLock<Layout>; 40],
}

impl Default for Painter {
    fn default() -> Self {
        Self {
            layouts: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

/// One version's share of its codes.
struct Layout {
    /// The colours of a code whose data bits are all light: function
    /// patterns and format information, and each data module as the mask
    /// leaves it.
    blank: Vec<Color>,
    /// The data modules (indices into `blank`), in the order bits fill them.
    order: Vec<u16>,
}

impl Layout {
    fn new(version: Version) -> Self {
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        let width = version.width();
        let order = placement_order(width)
            .filter(|&(x, y)| canvas.get(x, y) == Module::Empty)
            .map(|(x, y)| {
                u16::try_from(y as usize * width as usize + x as usize).expect("177² < 2¹⁶")
            })
            .collect();
        canvas.apply_mask(MASK);
        Self {
            blank: canvas.into_colors(),
            order,
        }
    }
}

/// Every module position in QR placement order (ISO/IEC 18004 §7.7.3):
/// two-column strips from the right edge, upwards then downwards, stepping
/// over the vertical timing pattern in column 6. The same walk as `Canvas`'s
/// own (private) iterator; a test compares the codes both draw.
fn placement_order(width: i16) -> impl Iterator<Item = (i16, i16)> {
    const TIMING_COLUMN: i16 = 6;
    let (mut x, mut y) = (width - 1, width - 1);
    std::iter::from_fn(move || {
        let reference = if x <= TIMING_COLUMN { x + 1 } else { x };
        if reference <= 0 {
            return None;
        }
        let here = (x, y);
        match (width - reference) % 4 {
            2 if y > 0 => {
                y -= 1;
                x += 1;
            }
            0 if y < width - 1 => {
                y += 1;
                x += 1;
            }
            0 | 2 if x == TIMING_COLUMN + 1 => x -= 2,
            _ => x -= 1,
        }
        Some(here)
    })
}

impl Painter {
    /// The modules of a QR code for `data`, row by row, and the side length.
    fn modules(&self, data: &[u8]) -> Option<(Vec<Color>, usize)> {
        let (version, encoded, ec) = codewords(data)?;
        let Version::Normal(number @ 1..=40) = version else {
            return Some(drawn_by_canvas(version, &encoded, &ec));
        };
        let layout = self.layouts[number as usize - 1].get_or_init(|| Layout::new(version));
        let mut colors = layout.blank.clone();
        let bits = encoded
            .iter()
            .chain(&ec)
            .flat_map(|byte| (0..8).rev().map(move |i| byte >> i & 1 == 1));
        for (&at, dark) in layout.order.iter().zip(bits) {
            if dark {
                colors[usize::from(at)] = !colors[usize::from(at)];
            }
        }
        let width = version.width() as usize;
        Some((colors, width))
    }

    /// The code of `url` as inline SVG; `None` if it is too long for a code.
    pub fn svg(&self, url: &str) -> Option<String> {
        let (colors, width) = self.modules(url.as_bytes())?;
        Some(svg_of(&colors, width))
    }
}

/// The smallest version that holds `data` at level M, and its data and
/// error correction codewords.
fn codewords(data: &[u8]) -> Option<(Version, Vec<u8>, Vec<u8>)> {
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (encoded, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    Some((version, encoded, ec))
}

/// The code drawn module by module by the crate's `Canvas` (the reference
/// for [`Painter`], and the way for versions it does not lay out).
fn drawn_by_canvas(version: Version, encoded: &[u8], ec: &[u8]) -> (Vec<Color>, usize) {
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(encoded, ec);
    canvas.apply_mask(MASK);
    (canvas.into_colors(), version.width() as usize)
}

/// Appends `n` in decimal. `write!` costs a formatter call per number, and a
/// code has a few hundred of them: that was two thirds of the time per code.
fn push_number(out: &mut String, n: usize) {
    // Most are run lengths and gaps of a few modules.
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[i..]).expect("ASCII digits"));
}

fn svg_of(colors: &[Color], width: usize) -> String {
    let quiet = 4;
    let size = width + 2 * quiet;
    // One string, sized for a typical code, so it is neither grown nor copied.
    let mut path = String::with_capacity(4096);
    path.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    push_number(&mut path, size);
    path.push(' ');
    push_number(&mut path, size);
    path.push_str("\" width=\"160\" height=\"160\" role=\"img\" aria-label=\"本文网址的二维码\" shape-rendering=\"crispEdges\"><rect width=\"");
    push_number(&mut path, size);
    path.push_str("\" height=\"");
    push_number(&mut path, size);
    path.push_str("\" fill=\"#fff\"/><path stroke=\"#000\" d=\"");
    // Each dark run is a 1-unit-wide stroke along the row's centre line; the
    // first run of a row is an absolute move, later ones move relative to the
    // end of the previous run.
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        let mut pen: Option<usize> = None;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                match pen {
                    None => {
                        path.push('M');
                        push_number(&mut path, start + quiet);
                        path.push(' ');
                        push_number(&mut path, y + quiet);
                        path.push_str(".5");
                    }
                    Some(end) => {
                        path.push('m');
                        push_number(&mut path, start - end);
                        path.push_str(" 0");
                    }
                }
                path.push('h');
                push_number(&mut path, x - start);
                pen = Some(x);
            } else {
                x += 1;
            }
        }
    }
    path.push_str("\"/></svg>");
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_a_compact_svg() {
        let s = Painter::default()
            .svg("https://pufa.guxian-fulian.example.cn/education/li-hun-leng-jing-qi/")
            .unwrap();
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(s.len() < 4096, "{} bytes", s.len());
        // Finder pattern: the top-left 7-module run on the first row, after the quiet zone.
        assert!(s.contains("d=\"M4 4.5h7"), "{s}");
    }

    /// Every version the painter lays out draws the same modules as the
    /// crate's `Canvas` (the SVG is made from the modules alone).
    #[test]
    fn painted_codes_match_the_canvas_at_every_version() {
        let painter = Painter::default();
        let mut versions = std::collections::BTreeSet::new();
        let mut len = 1;
        while len <= 2331 {
            // Byte mode, as URLs are; varied bytes so every bit pattern occurs.
            let data: Vec<u8> = (0..len)
                .map(|i| b"https://x.cn/a-Z_9%/"[(i * 7 + len) % 20])
                .collect();
            let (version, encoded, ec) = codewords(&data).unwrap();
            let (want, width) = drawn_by_canvas(version, &encoded, &ec);
            let (got, got_width) = painter.modules(&data).unwrap();
            assert_eq!(got_width, width);
            assert!(got == want, "{len} bytes, {version:?}");
            if let Version::Normal(n) = version {
                versions.insert(n);
            }
            len += 1 + len / 60;
        }
        assert_eq!(versions.len(), 40, "{versions:?}");
    }
}
