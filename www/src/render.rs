//! The arena map's pixels, computed in Rust into an RGBA buffer that the
//! canvas receives with a single `putImageData`.
//!
//! Each arena is a band of 64 pool slots (16 per row); each pool is a
//! rectangle whose pixels map linearly onto its bytes, row-major, so the
//! 48-byte header, every block and the tail waste take space in proportion
//! to their size. Everything is in device pixels.

use crate::model::{Allocator, ArenaId, BlockState, PoolId, PoolState};
use crate::palette::{ClassInk, Palette, Rgba};
use pymem::obmalloc::ArenaInfo;
use pymem::version::POOL_OVERHEAD;

/// Pool slots per row of an arena band.
pub const POOLS_PER_ROW: u32 = 16;
/// Pool slots per arena (`MAX_POOLS_IN_ARENA`, 64 in every version).
pub const SLOTS_PER_ARENA: u32 = 64;
/// Widest pool, in CSS pixels: enough to show a 16 KiB pool's 1021 blocks,
/// and it keeps the canvas (redrawn every step) bounded on wide screens.
pub const MAX_POOL_CSS: f64 = 64.0;

/// A rectangle in device pixels.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// One arena's band on the map.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ArenaBand {
    /// Which arena.
    pub id: ArenaId,
    /// Its pools (63 when the arena is not pool-aligned).
    pub ntotalpools: u32,
    /// Top of the band (its label row).
    pub top: u32,
}

/// Where everything goes, in device pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Device pixels per CSS pixel.
    pub dpr: f64,
    /// Canvas width.
    pub width: u32,
    /// Canvas height.
    pub height: u32,
    /// Outer margin.
    pub margin: u32,
    /// Space between pools.
    pub gap: u32,
    /// Height of an arena's label row.
    pub label: u32,
    /// Pool width.
    pub pool_w: u32,
    /// Pool height.
    pub pool_h: u32,
    /// Arena bands, top to bottom.
    pub bands: Vec<ArenaBand>,
}

impl Layout {
    /// Lays out `arenas` across a canvas `css_width` CSS pixels wide.
    pub fn new(css_width: f64, dpr: f64, arenas: &[ArenaInfo]) -> Layout {
        let dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr.clamp(0.5, 4.0)
        } else {
            1.0
        };
        let css_width = if css_width.is_finite() {
            css_width.clamp(160.0, 8192.0)
        } else {
            640.0
        };
        let px = |css: f64| ((css * dpr).round() as u32).max(1);
        let width = (css_width * dpr).round() as u32;
        let margin = px(4.0);
        let gap = px(2.0);
        let label = px(18.0);
        let pool_w = (width.saturating_sub(2 * margin + (POOLS_PER_ROW - 1) * gap) / POOLS_PER_ROW)
            .clamp(4, px(MAX_POOL_CSS));
        // The canvas is as wide as its pools, never wider than the container.
        let width = width.min(2 * margin + POOLS_PER_ROW * pool_w + (POOLS_PER_ROW - 1) * gap);
        let pool_h = pool_w;
        let rows = SLOTS_PER_ARENA / POOLS_PER_ROW;
        let band_h = label + rows * pool_h + (rows - 1) * gap + margin;
        let mut bands = Vec::with_capacity(arenas.len());
        let mut top = margin;
        for a in arenas {
            bands.push(ArenaBand {
                id: a.id,
                ntotalpools: a.ntotalpools.min(SLOTS_PER_ARENA),
                top,
            });
            top += band_h;
        }
        let height = if bands.is_empty() {
            label + 2 * margin
        } else {
            top
        };
        Layout {
            dpr,
            width,
            height,
            margin,
            gap,
            label,
            pool_w,
            pool_h,
            bands,
        }
    }

    /// The rectangle of pool slot `slot` in band `band`.
    pub fn slot_rect(&self, band: &ArenaBand, slot: u32) -> Rect {
        let col = slot % POOLS_PER_ROW;
        let row = slot / POOLS_PER_ROW;
        Rect {
            x: self.margin + col * (self.pool_w + self.gap),
            y: band.top + self.label + row * (self.pool_h + self.gap),
            w: self.pool_w,
            h: self.pool_h,
        }
    }

    /// The rectangle of a pool, if its arena is on the map.
    pub fn pool_rect(&self, id: PoolId) -> Option<Rect> {
        let band = self.bands.iter().find(|b| b.id == id.arena)?;
        (u32::from(id.index) < band.ntotalpools).then(|| self.slot_rect(band, u32::from(id.index)))
    }

    /// The pool under a device-pixel position.
    pub fn pool_at(&self, x: f64, y: f64) -> Option<PoolId> {
        if !(x >= 0.0 && y >= 0.0) {
            return None;
        }
        let (x, y) = (x as u32, y as u32);
        let band = self.bands.iter().rev().find(|b| b.top <= y)?;
        let y0 = band.top + self.label;
        if y < y0 || x < self.margin {
            return None;
        }
        let (dx, dy) = (x - self.margin, y - y0);
        let (cw, ch) = (self.pool_w + self.gap, self.pool_h + self.gap);
        let (col, row) = (dx / cw, dy / ch);
        if col >= POOLS_PER_ROW
            || row >= SLOTS_PER_ARENA / POOLS_PER_ROW
            || dx % cw >= self.pool_w
            || dy % ch >= self.pool_h
        {
            return None;
        }
        let slot = row * POOLS_PER_ROW + col;
        (slot < band.ntotalpools).then_some(PoolId {
            arena: band.id,
            index: slot as u8,
        })
    }
}

/// Pools to ring on top of the blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// The inspected pool: a double ring.
    pub selected: Option<PoolId>,
    /// The pool under the mouse: a thin ring.
    pub hovered: Option<PoolId>,
    /// Pools the current step touched: a dashed accent ring.
    pub touched: Vec<PoolId>,
    /// The selected object's blocks: painted solid in the outline colour,
    /// their pools ringed.
    pub blocks: Vec<BlockMark>,
}

/// A block to highlight, as a byte range of its pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BlockMark {
    /// The pool.
    pub pool: PoolId,
    /// The block's first byte, from the pool's start (header included).
    pub offset: u32,
    /// The block's size.
    pub size: u32,
    /// The pool's size (`POOL_SIZE` of the version).
    pub pool_size: u32,
}

impl BlockMark {
    /// The mark of block `b` in `alloc`, if its pool is carved.
    pub fn of(alloc: &Allocator, b: crate::model::BlockRef) -> Option<BlockMark> {
        let info = alloc.pool_info(b.pool)?;
        Some(BlockMark {
            pool: b.pool,
            offset: POOL_OVERHEAD + u32::from(b.block) * info.block_size,
            size: info.block_size,
            pool_size: alloc.version().pool_size(),
        })
    }
}

#[inline]
fn put(buf: &mut [u8], i: usize, c: Rgba) {
    if let Some(px) = buf.get_mut(i * 4..i * 4 + 4) {
        px.copy_from_slice(&c);
    }
}

fn fill_rect(buf: &mut [u8], width: u32, r: Rect, mut ink: impl FnMut(u32, u32) -> Rgba) {
    for y in r.y..r.y + r.h {
        let start = (y * width + r.x) as usize * 4;
        let Some(row) = buf.get_mut(start..start + r.w as usize * 4) else {
            return;
        };
        for (dx, px) in row.chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&ink(r.x + dx as u32, y));
        }
    }
}

fn ring(buf: &mut [u8], width: u32, r: Rect, inset: u32, thickness: u32, c: Rgba, dashed: bool) {
    if r.w <= 2 * (inset + thickness) || r.h <= 2 * (inset + thickness) {
        return;
    }
    let (x0, y0, x1, y1) = (
        r.x + inset,
        r.y + inset,
        r.x + r.w - inset,
        r.y + r.h - inset,
    );
    let dash = |t: u32| !dashed || (t / (3 * thickness.max(1))).is_multiple_of(2);
    for t in 0..thickness {
        for x in x0..x1 {
            if dash(x) {
                put(buf, ((y0 + t) * width + x) as usize, c);
                put(buf, ((y1 - 1 - t) * width + x) as usize, c);
            }
        }
        for y in y0..y1 {
            if dash(y) {
                put(buf, (y * width + x0 + t) as usize, c);
                put(buf, (y * width + x1 - 1 - t) as usize, c);
            }
        }
    }
}

/// Paints the pixels of pool rectangle `r` that stand for block `b`'s
/// bytes (at least one, so a 16-byte block in a small pool still shows).
fn paint_block(buf: &mut [u8], width: u32, r: Rect, b: &BlockMark, c: Rgba) {
    let npx = u64::from(r.w) * u64::from(r.h);
    let pool = u64::from(b.pool_size.max(1));
    let first = u64::from(b.offset) * npx / pool;
    let end = (u64::from(b.offset + b.size) * npx)
        .div_ceil(pool)
        .max(first + 1)
        .min(npx);
    for k in first..end {
        let (dx, dy) = ((k % u64::from(r.w)) as u32, (k / u64::from(r.w)) as u32);
        put(buf, ((r.y + dy) * width + r.x + dx) as usize, c);
    }
}

/// Draws one pool's blocks into `buf` (a `width`-pixel-wide RGBA buffer).
pub fn draw_pool(
    buf: &mut [u8],
    width: u32,
    alloc: &Allocator,
    id: PoolId,
    r: Rect,
    pal: &Palette,
) {
    let Some(info) = alloc
        .pool_info(id)
        .filter(|p| p.state != PoolState::Uncarved && p.szidx.is_some())
    else {
        fill_rect(buf, width, r, |_, _| pal.uncarved);
        return;
    };
    let szidx = info.szidx.map_or(0, usize::from);
    let states = alloc.block_states(id);
    let ink = ClassInk::new(szidx, pal);
    let pool_size = u64::from(alloc.version().pool_size());
    let block_size = info.block_size.max(1);
    let npx = u64::from(r.w) * u64::from(r.h);
    for dy in 0..r.h {
        let y = r.y + dy;
        let start = (y * width + r.x) as usize * 4;
        let Some(row) = buf.get_mut(start..start + r.w as usize * 4) else {
            return;
        };
        let k0 = u64::from(dy) * u64::from(r.w);
        for (dx, px) in row.chunks_exact_mut(4).enumerate() {
            let x = r.x + dx as u32;
            let off = ((k0 + dx as u64) * pool_size / npx) as u32;
            let c = if off < POOL_OVERHEAD {
                pal.header
            } else {
                let b = (off - POOL_OVERHEAD) / block_size;
                match states.get(b as usize) {
                    None => {
                        if (x + y).is_multiple_of(2) {
                            pal.waste
                        } else {
                            pal.pool_bg
                        }
                    }
                    Some(BlockState::Allocated) => ink.allocated,
                    Some(BlockState::Free) => {
                        if (x + y).is_multiple_of(3) {
                            ink.free_stripe
                        } else {
                            ink.free_fill
                        }
                    }
                    Some(BlockState::Virgin) => {
                        if x.is_multiple_of(3) && y.is_multiple_of(3) {
                            ink.virgin_dot
                        } else {
                            pal.pool_bg
                        }
                    }
                }
            };
            px.copy_from_slice(&c);
        }
    }
}

/// Draws every arena's pools (no marks) into `buf`, resizing it to
/// `layout.width × layout.height × 4`.
pub fn render_base_into(buf: &mut Vec<u8>, alloc: &Allocator, layout: &Layout, pal: &Palette) {
    let (w, h) = (layout.width, layout.height);
    buf.resize(w as usize * h as usize * 4, 0);
    for px in buf.chunks_exact_mut(4) {
        px.copy_from_slice(&pal.background);
    }
    for band in &layout.bands {
        for slot in 0..SLOTS_PER_ARENA {
            let r = layout.slot_rect(band, slot);
            if slot < band.ntotalpools {
                let id = PoolId {
                    arena: band.id,
                    index: slot as u8,
                };
                draw_pool(buf, w, alloc, id, r, pal);
            } else {
                // A misaligned arena has 63 pools: the 64th slot stands for
                // the partial pools lost at its start and end.
                fill_rect(buf, w, r, |x, y| {
                    if (x + 2 * h - y).is_multiple_of(4) {
                        pal.waste
                    } else {
                        pal.background
                    }
                });
            }
        }
    }
}

/// The rectangles the rings of `marks` are drawn in (each inside its pool).
pub fn mark_rects(layout: &Layout, marks: &Marks) -> Vec<Rect> {
    let mut out: Vec<Rect> = marks
        .touched
        .iter()
        .copied()
        .chain(marks.hovered)
        .chain(marks.selected)
        .chain(marks.blocks.iter().map(|b| b.pool))
        .filter_map(|p| layout.pool_rect(p))
        .collect();
    out.sort_by_key(|r| (r.y, r.x));
    out.dedup();
    out
}

/// Rings the marked pools: touched (dashed), hovered (thin), selected (double).
pub fn draw_marks(buf: &mut [u8], layout: &Layout, pal: &Palette, marks: &Marks) {
    let w = layout.width;
    let t = ((layout.dpr).round() as u32).max(1);
    for &p in &marks.touched {
        if let Some(r) = layout.pool_rect(p) {
            ring(buf, w, r, 0, t, pal.touched, true);
        }
    }
    if let Some(r) = marks.hovered.and_then(|p| layout.pool_rect(p)) {
        ring(buf, w, r, 0, t, pal.outline, false);
    }
    for b in &marks.blocks {
        if let Some(r) = layout.pool_rect(b.pool) {
            paint_block(buf, w, r, b, pal.outline);
            ring(buf, w, r, 0, t, pal.outline, false);
        }
    }
    if let Some(r) = marks.selected.and_then(|p| layout.pool_rect(p)) {
        ring(buf, w, r, 0, t, pal.outline, false);
        ring(buf, w, r, t, t, pal.outline_inner, false);
        ring(buf, w, r, 2 * t, t, pal.outline, false);
    }
}

/// Copies rectangle `r` of `src` into `dst` (both `width` pixels wide).
pub fn copy_rect(src: &[u8], dst: &mut [u8], width: u32, r: Rect) {
    for y in r.y..r.y + r.h {
        let start = (y * width + r.x) as usize * 4;
        let end = start + r.w as usize * 4;
        if let (Some(s), Some(d)) = (src.get(start..end), dst.get_mut(start..end)) {
            d.copy_from_slice(s);
        }
    }
}

/// How long the map takes to move from one step's blocks to the next
/// (the graph's CSS transitions take as long).
pub const ANIMATION_MS: f64 = 300.0;

/// One frame of a step's animation: `out` is `from` faded `t` of the way
/// (0 to 1, eased) to `to`, so blocks being filled take their colour
/// gradually and blocks being emptied lose it. Pixels the two frames
/// share stay as they are. All three are the same size, or `out` is left
/// alone.
pub fn blend(from: &[u8], to: &[u8], t: f64, out: &mut [u8]) {
    if from.len() != to.len() || out.len() != to.len() {
        return;
    }
    // Ease out (fast at first, settling), in 1/256ths.
    let t = t.clamp(0.0, 1.0);
    let a = ((1.0 - (1.0 - t) * (1.0 - t)) * 256.0).round() as u32;
    for ((o, &f), &g) in out.iter_mut().zip(from).zip(to) {
        *o = ((u32::from(f) * (256 - a) + u32::from(g) * a) >> 8) as u8;
    }
}

/// Draws the whole map, pools and marks, into `buf`.
pub fn render_into(
    buf: &mut Vec<u8>,
    alloc: &Allocator,
    layout: &Layout,
    pal: &Palette,
    marks: &Marks,
) {
    render_base_into(buf, alloc, layout, pal);
    draw_marks(buf, layout, pal, marks);
}

/// The map as a fresh buffer (for tests and benchmarks).
pub fn render(alloc: &Allocator, layout: &Layout, pal: &Palette, marks: &Marks) -> Vec<u8> {
    let mut buf = Vec::new();
    render_into(&mut buf, alloc, layout, pal, marks);
    buf
}

/// The label of an arena band: "arena #0 at 0x7eff…, 12 of 64 pools free".
pub fn band_label(alloc: &Allocator, band: &ArenaBand) -> String {
    match alloc.arena(band.id) {
        Some(a) => format!(
            "arena {} at {:#x} · {} of {} pools free{}",
            a.id,
            a.address,
            a.nfreepools,
            a.ntotalpools,
            if a.first_pool != a.address {
                " · not pool-aligned"
            } else {
                ""
            }
        ),
        None => format!("arena {}", band.id),
    }
}

/// A legend entry's look.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Swatch {
    /// An allocated block of size class `szidx`.
    Allocated(usize),
    /// A free-list block of size class `szidx`.
    Free(usize),
    /// A never-used block of size class `szidx`.
    Virgin(usize),
    /// The pool header.
    Header,
    /// Tail (or alignment) waste.
    Waste,
    /// A pool not carved yet.
    Uncarved,
    /// The ring around pools the step touched.
    Touched,
}

/// A `size × size` RGBA swatch drawn with the map's own inks and patterns.
pub fn swatch_pixels(s: Swatch, size: u32, pal: &Palette) -> Vec<u8> {
    let mut buf = vec![0u8; size as usize * size as usize * 4];
    let r = Rect {
        x: 0,
        y: 0,
        w: size,
        h: size,
    };
    let ink = |sz: usize| ClassInk::new(sz, pal);
    match s {
        Swatch::Allocated(c) => fill_rect(&mut buf, size, r, |_, _| ink(c).allocated),
        Swatch::Free(c) => {
            let k = ink(c);
            fill_rect(&mut buf, size, r, |x, y| {
                if (x + y).is_multiple_of(3) {
                    k.free_stripe
                } else {
                    k.free_fill
                }
            })
        }
        Swatch::Virgin(c) => {
            let k = ink(c);
            fill_rect(&mut buf, size, r, |x, y| {
                if x.is_multiple_of(3) && y.is_multiple_of(3) {
                    k.virgin_dot
                } else {
                    pal.pool_bg
                }
            })
        }
        Swatch::Header => fill_rect(&mut buf, size, r, |_, _| pal.header),
        Swatch::Waste => fill_rect(&mut buf, size, r, |x, y| {
            if (x + y).is_multiple_of(2) {
                pal.waste
            } else {
                pal.pool_bg
            }
        }),
        Swatch::Uncarved => fill_rect(&mut buf, size, r, |_, _| pal.uncarved),
        Swatch::Touched => {
            fill_rect(&mut buf, size, r, |_, _| pal.pool_bg);
            ring(&mut buf, size, r, 0, (size / 8).max(1), pal.touched, true);
        }
    }
    buf
}
