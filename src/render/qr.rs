//! QR codes of article URLs as inline SVG (WECHAT.md SHARE-5): desktop
//! readers scan them into WeChat. Error correction M, a 4-module quiet zone,
//! one `<path>` of horizontal runs so the SVG stays about 2 KB.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// The modules of a QR code for `data`, row by row, and the side length.
///
/// Like `QrCode::with_error_correction_level`, but with one fixed mask
/// instead of trying all eight and scoring each: the scoring was a third of
/// the build time of a 10,000-article site, and any mask is valid (the score
/// only nudges scanner robustness; error correction M covers the rest).
fn modules(data: &[u8]) -> Option<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (encoded, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let colors = canvas.into_colors();
    let width = (colors.len() as f64).sqrt() as usize;
    Some((colors, width))
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

pub fn svg(url: &str) -> Option<String> {
    let (colors, width) = modules(url.as_bytes())?;
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
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_a_compact_svg() {
        let s =
            svg("https://pufa.guxian-fulian.example.cn/education/li-hun-leng-jing-qi/").unwrap();
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(s.len() < 4096, "{} bytes", s.len());
        // Finder pattern: the top-left 7-module run on the first row, after the quiet zone.
        assert!(s.contains("d=\"M4 4.5h7"), "{s}");
    }
}
