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
