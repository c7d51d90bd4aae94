//! The pixel renderer: layout, hit testing, and the pixels of known pools.

use pymem::version::POOL_OVERHEAD;
use pymem::{Allocator, PoolId, Ptr, Version};
use pymem_web::palette::{ClassInk, Palette, Rgba};
use pymem_web::render::{
    blend, render, swatch_pixels, BlockMark, Layout, Marks, Swatch, POOLS_PER_ROW,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn pixel(buf: &[u8], width: u32, x: u32, y: u32) -> Rgba {
    let i = (y * width + x) as usize * 4;
    [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]
}

/// The pixel of pool `rect` whose byte offset maps to `off`.
fn pixel_at_offset(buf: &[u8], layout: &Layout, pool: PoolId, off: u64, pool_size: u64) -> Rgba {
    let r = layout.pool_rect(pool).expect("pool on the map");
    let npx = u64::from(r.w) * u64::from(r.h);
    let k = (off * npx).div_ceil(pool_size);
    pixel(
        buf,
        layout.width,
        r.x + (k % u64::from(r.w)) as u32,
        r.y + (k / u64::from(r.w)) as u32,
    )
}

#[wasm_bindgen_test(unsupported = test)]
fn a_step_fades_the_blocks_that_changed_and_only_those() {
    // Two frames of the same pool: a block allocated between them.
    let v = Version::V3_12;
    let mut a = Allocator::new(v);
    let first = a.malloc(32).expect("malloc");
    let pool = match first {
        Ptr::Block(b) => b.pool,
        Ptr::Raw(_) => panic!("32 bytes come from a pool"),
    };
    let layout = Layout::new(600.0, 1.0, &a.arenas().collect::<Vec<_>>());
    let pal = Palette::LIGHT;
    let before = render(&a, &layout, &pal, &Marks::default());
    a.malloc(32).expect("malloc");
    let after = render(&a, &layout, &pal, &Marks::default());
    assert_ne!(before, after, "the second block shows");
    let mut out = vec![0u8; after.len()];
    blend(&before, &after, 0.0, &mut out);
    assert_eq!(out, before, "t = 0: the old frame");
    blend(&before, &after, 1.0, &mut out);
    assert_eq!(out, after, "t = 1: the new frame");
    blend(&before, &after, 7.0, &mut out);
    assert_eq!(out, after, "past the end: clamped");
    blend(&before, &after, 0.5, &mut out);
    let mut between = 0;
    for ((&o, &f), &g) in out.iter().zip(&before).zip(&after) {
        if f == g {
            assert_eq!(o, f, "a pixel the frames share stays");
        } else {
            // Eased: 75% of the way at half time (1 - 0.5²), in 1/256ths.
            let want = (u32::from(f) * 64 + u32::from(g) * 192) >> 8;
            assert_eq!(u32::from(o), want);
            between += 1;
        }
    }
    assert!(between > 0, "some pixels are part way");
    // The pool's header is drawn the same in both.
    let r = layout.pool_rect(pool).expect("pool on the map");
    assert_eq!(
        pixel(&out, layout.width, r.x, r.y),
        pixel(&after, layout.width, r.x, r.y)
    );
    // Frames of different sizes (an arena came or went) are not blended.
    let mut short = vec![9u8; 4];
    blend(&before, &after, 0.5, &mut short);
    assert_eq!(short, vec![9u8; 4]);
}

fn one_block(version: Version, nbytes: u64) -> (Allocator, PoolId) {
    let mut a = Allocator::new(version);
    match a.malloc(nbytes) {
        Ok(Ptr::Block(b)) => (a, b.pool),
        other => panic!("expected a block, got {other:?}"),
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn layout_hit_testing_round_trips() {
    let (a, _) = one_block(Version::V3_12, 16);
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(800.0, 1.0, &arenas);
    // As wide as its 16 pools and 15 gaps, never wider than the container.
    assert_eq!(
        layout.width,
        2 * layout.margin + 16 * layout.pool_w + 15 * layout.gap
    );
    assert!(
        layout.width <= 800 && layout.width > 800 - 16,
        "{}",
        layout.width
    );
    for index in [0u8, 1, 15, 16, 40] {
        let id = PoolId {
            arena: arenas[0].id,
            index,
        };
        if u32::from(index) >= arenas[0].ntotalpools {
            continue;
        }
        let r = layout.pool_rect(id).expect("rect");
        assert_eq!(
            layout.pool_at(f64::from(r.x + r.w / 2), f64::from(r.y + r.h / 2)),
            Some(id)
        );
        assert_eq!(layout.pool_at(f64::from(r.x), f64::from(r.y)), Some(id));
    }
    // The gap right of pool 0 and the label row hit nothing.
    let r0 = layout
        .pool_rect(PoolId {
            arena: arenas[0].id,
            index: 0,
        })
        .expect("rect");
    assert_eq!(
        layout.pool_at(f64::from(r0.x + r0.w), f64::from(r0.y + 1)),
        None
    );
    assert_eq!(
        layout.pool_at(f64::from(r0.x + 1), f64::from(r0.y - 2)),
        None
    );
    assert_eq!(layout.pool_at(-1.0, 5.0), None);
    assert_eq!(POOLS_PER_ROW, 16);
}

#[wasm_bindgen_test(unsupported = test)]
fn layout_respects_device_pixel_ratio() {
    let (a, _) = one_block(Version::V3_12, 16);
    let arenas: Vec<_> = a.arenas().collect();
    let l1 = Layout::new(800.0, 1.0, &arenas);
    let l2 = Layout::new(800.0, 2.0, &arenas);
    // Pools are whole device pixels: within one pixel per pool of 2×.
    assert!(
        l2.width.abs_diff(2 * l1.width) <= 16,
        "{} vs {}",
        l2.width,
        l1.width
    );
    assert!(l2.pool_w >= 2 * l1.pool_w - 1);
    assert!(l2.height >= 2 * l1.height - 4);
}

#[wasm_bindgen_test(unsupported = test)]
fn pixels_of_a_pool_with_one_48_byte_block() {
    let v = Version::V3_12;
    let (a, pool) = one_block(v, 48);
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(1024.0, 1.0, &arenas);
    let pal = Palette::LIGHT;
    let buf = render(&a, &layout, &pal, &Marks::default());
    assert_eq!(buf.len(), (layout.width * layout.height * 4) as usize);
    let ink = ClassInk::new(2, &pal);
    let ps = u64::from(v.pool_size());
    let r = layout.pool_rect(pool).expect("rect");

    // Byte 0: the header.
    assert_eq!(pixel(&buf, layout.width, r.x, r.y), pal.header);
    // Block 0 is allocated: solid class colour.
    assert_eq!(
        pixel_at_offset(&buf, &layout, pool, u64::from(POOL_OVERHEAD) + 24, ps),
        ink.allocated
    );
    // Block 1 is on the free list: hatch colours only.
    let b1 = pixel_at_offset(&buf, &layout, pool, u64::from(POOL_OVERHEAD) + 48 + 24, ps);
    assert!(b1 == ink.free_stripe || b1 == ink.free_fill, "{b1:?}");
    // Block 100 was never used: dots on the pool background.
    let b100 = pixel_at_offset(
        &buf,
        &layout,
        pool,
        u64::from(POOL_OVERHEAD) + 100 * 48 + 24,
        ps,
    );
    assert!(b100 == ink.virgin_dot || b100 == pal.pool_bg, "{b100:?}");
    // 340 blocks of 48 bytes leave 16 bytes of tail waste: the last pixel.
    let last = pixel(&buf, layout.width, r.x + r.w - 1, r.y + r.h - 1);
    assert!(last == pal.waste || last == pal.pool_bg, "{last:?}");
    // The next pool slot is not carved yet.
    let next = layout
        .pool_rect(PoolId {
            arena: pool.arena,
            index: pool.index + 1,
        })
        .expect("rect");
    assert_eq!(
        pixel(&buf, layout.width, next.x + next.w / 2, next.y + next.h / 2),
        pal.uncarved
    );
    // Between pools: background.
    assert_eq!(
        pixel(&buf, layout.width, r.x + r.w, r.y + 1),
        pal.background
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn full_pool_of_16_byte_blocks_is_solid() {
    let v = Version::V3_12;
    let mut a = Allocator::new(v);
    for _ in 0..v.blocks_per_pool(0) {
        assert!(a.malloc(16).is_ok());
    }
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(1024.0, 1.0, &arenas);
    let pal = Palette::DARK;
    let buf = render(&a, &layout, &pal, &Marks::default());
    let ink = ClassInk::new(0, &pal);
    let pool = PoolId {
        arena: arenas[0].id,
        index: 0,
    };
    let r = layout.pool_rect(pool).expect("rect");
    let mut header = 0;
    for y in r.y..r.y + r.h {
        for x in r.x..r.x + r.w {
            let c = pixel(&buf, layout.width, x, y);
            if c == pal.header {
                header += 1;
            } else {
                assert_eq!(c, ink.allocated, "pixel ({x},{y})");
            }
        }
    }
    // 48 of 16384 bytes: a handful of pixels, at least one.
    let expect = (r.w * r.h) as f64 * 48.0 / 16384.0;
    assert!(
        header >= 1 && (header as f64) <= expect.ceil() + 1.0,
        "{header} header pixels, ~{expect}"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn a_selected_objects_block_is_painted_solid() {
    let v = Version::V3_12;
    let (a, pool) = one_block(v, 48);
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(1024.0, 1.0, &arenas);
    let pal = Palette::LIGHT;
    // Block 100, mid-pool (away from the pool's ring): it starts 100
    // blocks of 48 bytes after the 48-byte header.
    let block = pymem::BlockRef { pool, block: 100 };
    let mark = BlockMark::of(&a, block).expect("a carved pool");
    assert_eq!(
        (mark.offset, mark.size, mark.pool_size),
        (POOL_OVERHEAD + 100 * 48, 48, v.pool_size())
    );
    let marks = Marks {
        blocks: vec![mark],
        ..Marks::default()
    };
    let buf = render(&a, &layout, &pal, &marks);
    let ps = u64::from(v.pool_size());
    // Block 100's middle is painted in the outline colour; block 102's
    // (never used) is not.
    let at = |b: u64| {
        pixel_at_offset(
            &buf,
            &layout,
            pool,
            u64::from(POOL_OVERHEAD) + b * 48 + 24,
            ps,
        )
    };
    assert_eq!(at(100), pal.outline);
    let ink = ClassInk::new(2, &pal);
    assert!(
        at(102) == ink.virgin_dot || at(102) == pal.pool_bg,
        "{:?}",
        at(102)
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn selection_and_touched_rings() {
    let (a, pool) = one_block(Version::V3_10, 100);
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(1024.0, 1.0, &arenas);
    let pal = Palette::LIGHT;
    let marks = Marks {
        selected: Some(pool),
        ..Marks::default()
    };
    let buf = render(&a, &layout, &pal, &marks);
    let r = layout.pool_rect(pool).expect("rect");
    assert_eq!(pixel(&buf, layout.width, r.x + r.w / 2, r.y), pal.outline);
    assert_eq!(
        pixel(&buf, layout.width, r.x + r.w / 2, r.y + 1),
        pal.outline_inner
    );
    let touched = Marks {
        touched: vec![pool],
        ..Marks::default()
    };
    let buf = render(&a, &layout, &pal, &touched);
    let dashes = (r.y..r.y + r.h)
        .filter(|&y| pixel(&buf, layout.width, r.x, y) == pal.touched)
        .count() as u32;
    assert!(
        dashes >= r.h / 3 && dashes < r.h,
        "a dashed ring: {dashes} of {} edge pixels",
        r.h
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn states_are_told_apart_without_hue() {
    // Allocated is solid; free is hatched (two inks); never-used is mostly background.
    let pal = Palette::LIGHT;
    let distinct = |s: Swatch| {
        let px = swatch_pixels(s, 12, &pal);
        let mut set: Vec<[u8; 4]> = px
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect();
        set.sort_unstable();
        set.dedup();
        set.len()
    };
    assert_eq!(distinct(Swatch::Allocated(5)), 1);
    assert_eq!(distinct(Swatch::Free(5)), 2);
    assert_eq!(distinct(Swatch::Virgin(5)), 2);
    assert_eq!(distinct(Swatch::Header), 1);
}

#[wasm_bindgen_test(unsupported = test)]
fn pools_are_capped_on_wide_screens() {
    let (a, _) = one_block(Version::V3_8, 16);
    let arenas: Vec<_> = a.arenas().collect();
    let layout = Layout::new(4000.0, 2.0, &arenas);
    assert_eq!(layout.pool_w, 128, "64 CSS px at dpr 2");
    assert_eq!(layout.width, 2 * layout.margin + 16 * 128 + 15 * layout.gap);
}
