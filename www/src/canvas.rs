//! Small helpers to get pixels onto a `<canvas>`.

use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The canvas's 2D context.
pub fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Sizes the canvas's backing store to `width × height` (if it is not
/// already) and copies `rgba` onto it with one `putImageData`.
pub fn blit(
    canvas: &HtmlCanvasElement,
    ctx: &CanvasRenderingContext2d,
    rgba: &[u8],
    width: u32,
    height: u32,
) -> Result<(), JsValue> {
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    if width == 0 || height == 0 || rgba.len() != width as usize * height as usize * 4 {
        return Ok(());
    }
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height)?;
    ctx.put_image_data(&img, 0.0, 0.0)
}

/// Copies rectangle `(x, y, w, h)` of the `width`-pixel-wide `rgba` frame
/// onto the canvas at the same place (a partial update: only that
/// rectangle's pixels cross into JavaScript).
pub fn blit_rect(
    ctx: &CanvasRenderingContext2d,
    rgba: &[u8],
    width: u32,
    (x, y, w, h): (u32, u32, u32, u32),
) -> Result<(), JsValue> {
    let mut part = Vec::with_capacity(w as usize * h as usize * 4);
    for row in y..y + h {
        let start = (row * width + x) as usize * 4;
        match rgba.get(start..start + w as usize * 4) {
            Some(px) => part.extend_from_slice(px),
            None => return Ok(()),
        }
    }
    if part.is_empty() {
        return Ok(());
    }
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&part), w, h)?;
    ctx.put_image_data(&img, f64::from(x), f64::from(y))
}
