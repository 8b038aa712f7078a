//! Images: their size for `width`/`height` attributes (no layout shift), and
//! resizing of large ones, so a phone on 4G never downloads a 4000 px photo.

use std::io::Cursor;
use std::path::Path;

/// Widest image the site publishes: WeChat's article column is 677 px, and
/// 1080 px stays sharp on 2× screens at phone width.
pub const MAX_WIDTH: u32 = 1080;

/// Pixel size from the file's header (cheap: the image is not decoded).
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    image::image_dimensions(path).ok()
}

/// True for the raster formats pufa can measure and resize.
pub fn is_raster(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif")
    )
}

/// The size an image is published at: at most [`MAX_WIDTH`] wide.
pub fn published_size((w, h): (u32, u32)) -> (u32, u32) {
    if w <= MAX_WIDTH {
        (w, h)
    } else {
        (
            MAX_WIDTH,
            ((u64::from(h) * u64::from(MAX_WIDTH)) / u64::from(w)).max(1) as u32,
        )
    }
}

/// The size of the square share image cut from a cover of this size.
pub fn square_side((w, h): (u32, u32)) -> u32 {
    w.min(h).min(600)
}

/// What to make of a source image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageOp {
    /// Scale to this width, keeping the aspect ratio.
    Resize(u32),
    /// The centred square of this side, scaled from the largest square that fits.
    CropSquare(u32),
}

/// Decodes `path`, applies `op`, and encodes the result in the source's
/// format (JPEG at quality 85).
pub fn process(path: &Path, op: ImageOp) -> std::io::Result<Vec<u8>> {
    let img = image::open(path).map_err(std::io::Error::other)?;
    transform(img, path, op)
}

/// [`process`] for a file already open (the preview opens it without
/// following links); `path` gives its format by its extension, as there.
pub fn process_file(file: std::fs::File, path: &Path, op: ImageOp) -> std::io::Result<Vec<u8>> {
    let format = image::ImageFormat::from_path(path).map_err(std::io::Error::other)?;
    let img = image::ImageReader::with_format(std::io::BufReader::new(file), format)
        .decode()
        .map_err(std::io::Error::other)?;
    transform(img, path, op)
}

fn transform(img: image::DynamicImage, path: &Path, op: ImageOp) -> std::io::Result<Vec<u8>> {
    let small = match op {
        ImageOp::Resize(width) => {
            let height = ((u64::from(img.height()) * u64::from(width))
                / u64::from(img.width().max(1)))
            .max(1) as u32;
            img.resize_exact(width, height, image::imageops::FilterType::Lanczos3)
        }
        ImageOp::CropSquare(side) => {
            let s = img.width().min(img.height());
            let square = img.crop_imm((img.width() - s) / 2, (img.height() - s) / 2, s, s);
            if s == side {
                square
            } else {
                square.resize_exact(side, side, image::imageops::FilterType::Lanczos3)
            }
        }
    };
    let format = image::ImageFormat::from_path(path).map_err(std::io::Error::other)?;
    let mut out = Cursor::new(Vec::new());
    match format {
        image::ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
            small
                .to_rgb8()
                .write_with_encoder(encoder)
                .map_err(std::io::Error::other)?;
        }
        other => small
            .write_to(&mut out, other)
            .map_err(std::io::Error::other)?,
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wide_images_shrink() {
        assert_eq!(published_size((900, 383)), (900, 383));
        assert_eq!(published_size((4000, 3000)), (1080, 810));
    }
}
