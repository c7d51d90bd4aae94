//! Colours of the arena map and its legend, for light and dark themes.
//!
//! Size classes take their hue from a viridis ramp (perceptually uniform and
//! colour-blind safe). A block's *state* is never shown by hue alone: it is a
//! pattern (solid = allocated, hatched = on the free list, sparse dots = never
//! used), so it still reads in greyscale.

/// An RGBA colour, as laid out in `ImageData`.
pub type Rgba = [u8; 4];

/// Viridis, sampled at ten evenly spaced points.
const VIRIDIS: [[u8; 3]; 10] = [
    [0x44, 0x01, 0x54],
    [0x48, 0x28, 0x78],
    [0x3e, 0x49, 0x89],
    [0x31, 0x68, 0x8e],
    [0x26, 0x82, 0x8e],
    [0x1f, 0x9e, 0x89],
    [0x35, 0xb7, 0x79],
    [0x6e, 0xce, 0x58],
    [0xb5, 0xde, 0x2b],
    [0xfd, 0xe7, 0x25],
];

/// The colour of size class `szidx` (0..32): a viridis ramp from 16-byte
/// blocks (dark purple) to 512-byte blocks (yellow).
pub fn class_color(szidx: usize) -> Rgba {
    let t = (szidx.min(31) as f64) / 31.0 * 9.0;
    let i = (t.floor() as usize).min(8);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let ch = |k: usize| (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * f).round() as u8;
    [ch(0), ch(1), ch(2), 255]
}

/// `a` moved towards `b` by `t` (0..=1).
pub fn mix(a: Rgba, b: Rgba, t: f64) -> Rgba {
    let ch = |k: usize| (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * t).round() as u8;
    [ch(0), ch(1), ch(2), 255]
}

/// `#rrggbb`, for CSS.
pub fn css(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The map's colours for one theme.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// True for the dark theme.
    pub dark: bool,
    /// Canvas background (matches the page).
    pub background: Rgba,
    /// Behind never-used blocks.
    pub pool_bg: Rgba,
    /// The 48-byte pool header.
    pub header: Rgba,
    /// Tail waste and alignment waste (drawn as a checker / hatch).
    pub waste: Rgba,
    /// A pool not carved from its arena yet.
    pub uncarved: Rgba,
    /// Selection ring.
    pub outline: Rgba,
    /// Inner selection ring, contrasting with `outline`.
    pub outline_inner: Rgba,
    /// Ring around pools the current step touched.
    pub touched: Rgba,
}

impl Palette {
    /// Light theme.
    pub const LIGHT: Palette = Palette {
        dark: false,
        background: [0xff, 0xff, 0xff, 255],
        pool_bg: [0xe6, 0xe8, 0xeb, 255],
        header: [0x1f, 0x23, 0x28, 255],
        waste: [0x8a, 0x90, 0x96, 255],
        uncarved: [0xf2, 0xf3, 0xf5, 255],
        outline: [0x00, 0x00, 0x00, 255],
        outline_inner: [0xff, 0xff, 0xff, 255],
        touched: [0xd5, 0x5e, 0x00, 255],
    };

    /// Dark theme.
    pub const DARK: Palette = Palette {
        dark: true,
        background: [0x16, 0x18, 0x1d, 255],
        pool_bg: [0x2c, 0x30, 0x38, 255],
        header: [0xe8, 0xea, 0xed, 255],
        waste: [0x7d, 0x84, 0x8c, 255],
        uncarved: [0x20, 0x23, 0x29, 255],
        outline: [0xff, 0xff, 0xff, 255],
        outline_inner: [0x00, 0x00, 0x00, 255],
        touched: [0xe6, 0x9f, 0x00, 255],
    };

    /// The palette for a theme.
    pub fn for_theme(dark: bool) -> Palette {
        if dark {
            Palette::DARK
        } else {
            Palette::LIGHT
        }
    }
}

/// The colours of one size class's blocks, precomputed once per pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ClassInk {
    /// Allocated block.
    pub allocated: Rgba,
    /// Hatch stripe of a free-list block.
    pub free_stripe: Rgba,
    /// Between the stripes of a free-list block.
    pub free_fill: Rgba,
    /// Dot of a never-used block.
    pub virgin_dot: Rgba,
}

impl ClassInk {
    /// Inks for `szidx` on `pal`.
    pub fn new(szidx: usize, pal: &Palette) -> ClassInk {
        let c = class_color(szidx);
        let white = [255, 255, 255, 255];
        if pal.dark {
            // Lift the darkest classes off the dark background; keep the
            // free-list hatch's gaps near the background so it reads as hatched.
            let lifted = mix(c, white, 0.12);
            ClassInk {
                allocated: lifted,
                free_stripe: lifted,
                free_fill: mix(c, pal.background, 0.8),
                virgin_dot: mix(c, pal.pool_bg, 0.45),
            }
        } else {
            ClassInk {
                allocated: c,
                free_stripe: c,
                free_fill: mix(c, white, 0.72),
                virgin_dot: mix(c, pal.pool_bg, 0.45),
            }
        }
    }
}
