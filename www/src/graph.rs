//! Where the frames-and-objects view puts its boxes and arrows.
//!
//! Python Tutor's picture: frames in the left column, each with its
//! variables; heap objects in columns by their distance from a frame (in
//! breadth-first order, so a row of a list is near what it points at);
//! objects held only by each other (a cycle waiting for the collector) in
//! a band of their own below. Objects held where the picture cannot show
//! (past a container's listed references, say) are counted, not drawn. Boxes are stacked in their column, so none
//! overlap whatever the graph. Pure geometry in CSS pixels: nothing here
//! touches the DOM, so it is tested natively.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

use pymem::program::Name;

use crate::model::{FrameView, GcView, Label, ObjRef, ObjView, ProgramTrace};

/// Width of a frame box.
pub const FRAME_W: f64 = 170.0;
/// Width of an object box.
pub const NODE_W: f64 = 200.0;
/// Height of a box's title row.
pub const HEAD_H: f64 = 40.0;
/// Height of one variable, item or attribute row.
pub const ROW_H: f64 = 18.0;
/// Space between columns (room for the arrows).
pub const COL_GAP: f64 = 70.0;
/// Space between boxes in a column.
pub const ROW_GAP: f64 = 14.0;
/// Margin around the drawing.
pub const MARGIN: f64 = 12.0;
/// Rows listed per box; the rest are counted.
pub const MAX_ROWS: usize = 12;
/// Objects laid out; beyond this the rest are grouped by type and counted.
pub const MAX_NODES: usize = 300;
/// Height of the title of the unreachable band.
pub const BAND_H: f64 = 26.0;

/// One row of a box: a variable, an item or an attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its label: a name, `[i]`, or a dict key's preview.
    pub label: String,
    /// The object it refers to, drawn as an arrow (`None`: the value is
    /// shown inline, as for hidden shared objects, or "… N more").
    pub to: Option<ObjRef>,
    /// The value shown inline when there is no arrow.
    pub inline: String,
}

/// A frame's box.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameBox {
    /// The function's name.
    pub name: String,
    /// The line the frame is at.
    pub line: u32,
    /// Top left corner and size.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub h: f64,
    /// Its variables.
    pub rows: Vec<Row>,
}

/// An object's box.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    /// The object.
    pub obj: ObjRef,
    /// Its view.
    pub view: Rc<ObjView>,
    /// `type(x).__name__`.
    pub type_name: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub h: f64,
    /// Its references.
    pub rows: Vec<Row>,
    /// Part of a reference cycle among the drawn objects.
    pub cycle: bool,
    /// Held only by other such objects: garbage waiting for the collector.
    pub unreachable: bool,
    /// Held by the interpreter only (its value stack, a code object's
    /// constants), not by a variable or another drawn object.
    pub held: bool,
}

/// An arrow from a row to an object's box.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    /// A stable key: source and row.
    pub key: String,
    /// The SVG path.
    pub path: String,
    /// The object pointed at.
    pub to: ObjRef,
    /// The object pointed from (`None`: a frame's variable).
    pub from: Option<ObjRef>,
    /// Both ends are in the same reference cycle.
    pub cycle: bool,
    /// What it covers: left, top, right, bottom (its control points
    /// included, so the curve is inside).
    pub bounds: [f64; 4],
}

/// The whole picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// Frames, the module's first.
    pub frames: Vec<FrameBox>,
    /// Objects drawn.
    pub nodes: Vec<NodeBox>,
    /// References drawn.
    pub arrows: Vec<Arrow>,
    /// Top of the unreachable band, if there is one.
    pub band_top: Option<f64>,
    /// Top of the band of objects the interpreter holds, if there is one.
    pub held_top: Option<f64>,
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// Objects not drawn (over [`MAX_NODES`]), by type, most first.
    pub hidden: Vec<(String, usize)>,
}

impl Graph {
    /// The box of `obj`, if drawn.
    pub fn node(&self, obj: ObjRef) -> Option<&NodeBox> {
        self.nodes.iter().find(|n| n.obj == obj)
    }
}

/// The generation colour class of a node (`gen0`…`gen2`, `untracked`,
/// `notgc`, `permanent`).
pub fn gc_class(gc: GcView) -> &'static str {
    match gc {
        GcView::NotGc => "notgc",
        GcView::Untracked => "untracked",
        GcView::Gen(0) => "gen0",
        GcView::Gen(1) => "gen1",
        GcView::Gen(_) => "gen2",
        GcView::Permanent => "permanent",
    }
}

fn box_h(rows: usize) -> f64 {
    HEAD_H + ROW_H * rows as f64 + 6.0
}

/// A short label for `obj`, for rows and the inspector: its preview.
pub fn preview(objects: &BTreeMap<ObjRef, Rc<ObjView>>, obj: ObjRef) -> String {
    objects
        .get(&obj)
        .map_or_else(|| obj.to_string(), |v| v.preview.to_string())
}

/// The rows of an object's box.
fn object_rows(
    trace: &ProgramTrace,
    objects: &BTreeMap<ObjRef, Rc<ObjView>>,
    view: &ObjView,
    draws: &dyn Fn(ObjRef) -> bool,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut item = 0usize;
    for e in view.refs.iter().take(MAX_ROWS) {
        let label = match &e.label {
            Label::Item => {
                item += 1;
                format!("[{}]", item - 1)
            }
            Label::Key(k) => preview(objects, *k),
            Label::Name(n) => trace.name(*n).to_string(),
        };
        rows.push(row(label, e.to, objects, draws));
    }
    let more = view.refs.len().saturating_sub(MAX_ROWS) + view.more_refs as usize;
    if more > 0 {
        rows.push(Row {
            label: format!("… {more} more"),
            to: None,
            inline: String::new(),
        });
    }
    rows
}

fn row(
    label: String,
    to: ObjRef,
    objects: &BTreeMap<ObjRef, Rc<ObjView>>,
    draws: &dyn Fn(ObjRef) -> bool,
) -> Row {
    if draws(to) {
        Row {
            label,
            to: Some(to),
            inline: String::new(),
        }
    } else {
        Row {
            label,
            to: None,
            inline: preview(objects, to),
        }
    }
}

/// Lays out `frames` and `objects` (one step's state). With `hide_shared`,
/// shared objects are written into the rows that refer to them instead of
/// getting boxes. Shared objects (the interpreter's, among them all made
/// before the program) are drawn only when a frame reaches them: they are
/// never put in the unreachable band.
pub fn layout(
    trace: &ProgramTrace,
    frames: &[FrameView],
    objects: &BTreeMap<ObjRef, Rc<ObjView>>,
    hide_shared: bool,
) -> Graph {
    // Every look-up below is an index into slices by slab number: the
    // whole heap is walked at every step, so no hashing and no tree.
    let ix = Index::new(objects);
    // Shared objects are leaves: the module dicts and types they reach
    // would swamp the picture.
    let draws = |r: ObjRef| ix.get(r).is_some_and(|v| !(hide_shared && v.shared));
    let expands = |r: ObjRef| ix.get(r).is_some_and(|v| !v.shared);

    // Breadth-first from the frames' variables, then from what no frame
    // reaches (the program's own objects only). `depth[r]` is 0 for an
    // object not visited.
    let mut depth: Vec<u32> = vec![0; ix.len()];
    let mut order: Vec<ObjRef> = Vec::new();
    let mut queue: VecDeque<ObjRef> = VecDeque::new();
    let visit = |r: ObjRef,
                 d: u32,
                 depth: &mut [u32],
                 order: &mut Vec<ObjRef>,
                 queue: &mut VecDeque<ObjRef>| {
        if draws(r) && depth[r.0 as usize] == 0 {
            depth[r.0 as usize] = d;
            order.push(r);
            queue.push_back(r);
        }
    };
    let walk = |depth: &mut [u32], order: &mut Vec<ObjRef>, queue: &mut VecDeque<ObjRef>| {
        while let Some(r) = queue.pop_front() {
            if order.len() > MAX_NODES * 4 {
                queue.clear();
                break;
            }
            if !expands(r) {
                continue;
            }
            let d = depth[r.0 as usize];
            if let Some(v) = ix.get(r) {
                for e in v.refs.iter() {
                    visit(e.to, d + 1, depth, order, queue);
                }
            }
        }
    };
    for f in frames {
        for &(_, r) in f.locals.iter() {
            visit(r, 1, &mut depth, &mut order, &mut queue);
        }
    }
    walk(&mut depth, &mut order, &mut queue);
    let reached = order.len();
    let held = held_elsewhere(&ix, &depth);
    // When every container of the program lists all its references, what
    // else holds an object can only be the interpreter (a temporary on
    // its value stack, a constant of a code object): those are drawn, in
    // a band of their own. Otherwise they may be a container's unlisted
    // items, which are counted instead.
    let truncated = objects.values().any(|v| !v.shared && v.more_refs > 0);
    if !truncated {
        for &r in &held.list {
            visit(r, 1, &mut depth, &mut order, &mut queue);
            walk(&mut depth, &mut order, &mut queue);
        }
    }
    let held_end = order.len();
    for (&r, v) in objects {
        if !v.shared && depth[r.0 as usize] == 0 && !held.flags[r.0 as usize] {
            visit(r, 1, &mut depth, &mut order, &mut queue);
            walk(&mut depth, &mut order, &mut queue);
        }
    }

    // Over the limit: the first MAX_NODES are drawn, the rest counted,
    // with the objects held where the picture does not show.
    let mut by_type: BTreeMap<Name, usize> = BTreeMap::new();
    let counted: &[ObjRef] = if truncated { &held.list } else { &[] };
    let not_drawn = order.iter().skip(MAX_NODES).chain(counted);
    for &r in not_drawn {
        if let Some(v) = ix.get(r) {
            *by_type.entry(v.type_name).or_default() += 1;
        }
    }
    // Names are looked up once per type, not once per object.
    let mut hidden: BTreeMap<String, usize> = BTreeMap::new();
    for (t, n) in by_type {
        *hidden.entry(trace.name(t).to_string()).or_default() += n;
    }
    order.truncate(MAX_NODES);
    let drawn: HashMap<ObjRef, usize> = order.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    let boxed = |r: ObjRef| drawn.contains_key(&r);

    // Frames.
    let mut g = Graph::default();
    let mut y = MARGIN;
    for f in frames {
        let rows: Vec<Row> = f
            .locals
            .iter()
            .map(|&(n, r)| row(trace.name(n).to_string(), r, objects, &boxed))
            .collect();
        let h = box_h(rows.len());
        g.frames.push(FrameBox {
            name: trace.name(f.func).to_string(),
            line: f.line,
            x: MARGIN,
            y,
            h,
            rows,
        });
        y += h + ROW_GAP;
    }
    let frames_bottom = y;

    // Objects: a column per depth, reachable ones first, then the
    // interpreter's band, then the garbage band.
    let col_x = |d: usize| MARGIN + FRAME_W + COL_GAP + (d.max(1) - 1) as f64 * (NODE_W + COL_GAP);
    let mut col_y: Vec<f64> = Vec::new();
    let mut max_x: f64 = MARGIN + FRAME_W;
    let mut max_y: f64 = frames_bottom;
    let (mut band_top, mut held_top) = (None, None);
    for (i, &r) in order.iter().enumerate() {
        let Some(v) = objects.get(&r) else { continue };
        let unreachable = i >= held_end;
        let held = !unreachable && i >= reached;
        let band = if unreachable {
            &mut band_top
        } else {
            &mut held_top
        };
        if (unreachable || held) && band.is_none() {
            let top = col_y.iter().copied().fold(frames_bottom, f64::max);
            *band = Some(top);
            col_y = vec![top + BAND_H; col_y.len().max(1)];
        }
        let d = (depth[r.0 as usize] as usize).max(1);
        if col_y.len() < d {
            let start = band_top.or(held_top).map_or(MARGIN, |t| t + BAND_H);
            col_y.resize(d, start);
        }
        let rows = object_rows(trace, objects, v, &boxed);
        let h = box_h(rows.len());
        let x = col_x(d);
        let y = col_y[d - 1];
        col_y[d - 1] = y + h + ROW_GAP;
        max_x = max_x.max(x + NODE_W);
        max_y = max_y.max(y + h + ROW_GAP);
        g.nodes.push(NodeBox {
            obj: r,
            view: Rc::clone(v),
            type_name: trace.name(v.type_name).to_string(),
            x,
            y,
            h,
            rows,
            cycle: false,
            unreachable,
            held,
        });
    }
    g.band_top = band_top;
    g.held_top = held_top;
    g.width = max_x + MARGIN + COL_GAP;
    g.height = max_y + MARGIN;

    // Cycles among the drawn objects.
    let scc = components(&g.nodes, &drawn);
    for (i, n) in g.nodes.iter_mut().enumerate() {
        let self_loop = n.rows.iter().any(|row| row.to == Some(n.obj));
        n.cycle = self_loop || scc.size[scc.comp[i]] > 1;
    }

    // Arrows.
    let pos: HashMap<ObjRef, (f64, f64, f64)> =
        g.nodes.iter().map(|n| (n.obj, (n.x, n.y, n.h))).collect();
    for f in &g.frames {
        for (k, row) in f.rows.iter().enumerate() {
            if let Some(to) = row.to {
                if let Some(&(tx, ty, _)) = pos.get(&to) {
                    let (x1, y1) = (f.x + FRAME_W, f.y + HEAD_H + ROW_H * (k as f64 + 0.5));
                    let (path, bounds) = curve(x1, y1, tx, ty + 14.0);
                    g.arrows.push(Arrow {
                        key: format!("f{}:{}:{k}", f.name, f.y),
                        path,
                        to,
                        from: None,
                        cycle: false,
                        bounds,
                    });
                }
            }
        }
    }
    for (i, n) in g.nodes.iter().enumerate() {
        for (k, row) in n.rows.iter().enumerate() {
            let Some(to) = row.to else { continue };
            let Some(&(tx, ty, _)) = pos.get(&to) else {
                continue;
            };
            let (x1, y1) = (n.x + NODE_W, n.y + HEAD_H + ROW_H * (k as f64 + 0.5));
            let (path, bounds) = if to == n.obj {
                // A loop out of the right edge and back into the top.
                let path = format!(
                    "M{},{} C{},{} {},{} {},{}",
                    Px(x1),
                    Px(y1),
                    Px(x1 + 40.0),
                    Px(y1),
                    Px(x1 + 10.0),
                    Px(n.y - 30.0),
                    Px(n.x + NODE_W - 30.0),
                    Px(n.y)
                );
                (path, [n.x + NODE_W - 30.0, n.y - 30.0, x1 + 40.0, y1])
            } else {
                curve(x1, y1, tx, ty + 14.0)
            };
            let j = drawn.get(&to).copied().unwrap_or(usize::MAX);
            g.arrows.push(Arrow {
                key: format!("{}:{k}", n.obj.0),
                path,
                to,
                from: Some(n.obj),
                cycle: j != usize::MAX && scc.comp.get(j) == Some(&scc.comp[i]) && n.cycle,
                bounds,
            });
        }
    }
    g.hidden = hidden.into_iter().collect();
    g.hidden
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    g
}

/// Of the program's objects no frame reached through the listed
/// references, those that something else holds: an unlisted reference
/// (a view lists a container's first [`pymem::program::MAX_VIEW_REFS`]),
/// the interpreter's value stack, or a shared object. They are found the
/// way the collector finds what is reachable from outside a set: an
/// object whose count is more than the listed references to it from the
/// set is held from outside it, and so is all it references. What is
/// left is held only by itself: garbage (a cycle) waiting for the
/// collector.
fn held_elsewhere(ix: &Index, depth: &[u32]) -> Held {
    let unreached = |r: ObjRef| ix.get(r).is_some_and(|v| !v.shared) && depth[r.0 as usize] == 0;
    // Listed references to each unreached object from unreached objects.
    let mut inner: Vec<u64> = vec![0; ix.len()];
    let mut set: Vec<ObjRef> = Vec::new();
    for r in ix.refs() {
        if !unreached(r) {
            continue;
        }
        set.push(r);
        for e in ix.get(r).map_or(&[][..], |v| &v.refs[..]) {
            if unreached(e.to) {
                inner[e.to.0 as usize] += 1;
            }
        }
    }
    let mut flags = vec![false; ix.len()];
    let mut list: Vec<ObjRef> = Vec::new();
    for &r in &set {
        if ix.get(r).is_some_and(|v| v.refcnt > inner[r.0 as usize]) {
            flags[r.0 as usize] = true;
            list.push(r);
        }
    }
    let mut i = 0;
    while let Some(&r) = list.get(i) {
        i += 1;
        for e in ix.get(r).map_or(&[][..], |v| &v.refs[..]) {
            if unreached(e.to) && !flags[e.to.0 as usize] {
                flags[e.to.0 as usize] = true;
                list.push(e.to);
            }
        }
    }
    Held { flags, list }
}

/// The objects [`held_elsewhere`] found: a flag per slab number, and the list.
struct Held {
    flags: Vec<bool>,
    list: Vec<ObjRef>,
}

/// One step's objects by slab number ([`ObjRef`]s are dense slab indices).
struct Index<'a> {
    views: Vec<Option<&'a ObjView>>,
}

impl<'a> Index<'a> {
    fn new(objects: &'a BTreeMap<ObjRef, Rc<ObjView>>) -> Index<'a> {
        let len = objects
            .last_key_value()
            .map_or(0, |(r, _)| r.0 as usize + 1);
        let mut views = vec![None; len];
        for (r, v) in objects {
            views[r.0 as usize] = Some(&**v);
        }
        Index { views }
    }

    /// Slots, one past the highest slab number.
    fn len(&self) -> usize {
        self.views.len()
    }

    fn get(&self, r: ObjRef) -> Option<&'a ObjView> {
        self.views.get(r.0 as usize).copied().flatten()
    }

    /// Every object, in slab order.
    fn refs(&self) -> impl Iterator<Item = ObjRef> + '_ {
        self.views
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .map(|(i, _)| ObjRef(i as u32))
    }
}

/// Keys for the drawn boxes (or arrows) from one picture to the next, so
/// the DOM elements behind them are kept or reused rather than made anew.
///
/// What was drawn before keeps its key, so a step moves its box (and the
/// move can be animated). What is new gets a fresh key on a step, so its
/// box fades in; on a jump (a seek), it takes the key of something that
/// went, so its elements are patched in place: building and styling 300
/// new boxes costs a frame many times over, patching them does not.
#[derive(Debug)]
pub struct Slots<K> {
    keys: HashMap<K, u32>,
    next: u32,
}

impl<K> Default for Slots<K> {
    fn default() -> Self {
        Slots {
            keys: HashMap::new(),
            next: 0,
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Slots<K> {
    /// The keys of `items`, in order (`jump`: reuse the keys of what is
    /// gone).
    pub fn assign(&mut self, items: &[K], jump: bool) -> Vec<u32> {
        let now: std::collections::HashSet<&K> = items.iter().collect();
        let mut free: Vec<u32> = Vec::new();
        self.keys.retain(|k, slot| {
            let kept = now.contains(k);
            if !kept {
                free.push(*slot);
            }
            kept
        });
        if !jump {
            free.clear();
        }
        // Reused in a fixed order, so the same input gives the same keys.
        free.sort_unstable_by(|a, b| b.cmp(a));
        items
            .iter()
            .map(|k| match self.keys.get(k) {
                Some(&slot) => slot,
                None => {
                    let slot = free.pop().unwrap_or_else(|| {
                        self.next += 1;
                        self.next
                    });
                    self.keys.insert(k.clone(), slot);
                    slot
                }
            })
            .collect()
    }
}

/// A smooth arrow from a row's right end to a box's left edge; backwards
/// arrows bow out to the right and come in from the left.
/// Also gives the box the curve stays in.
fn curve(x1: f64, y1: f64, x2: f64, y2: f64) -> (String, [f64; 4]) {
    let bow = ((x2 - x1).abs() * 0.5).clamp(40.0, 160.0);
    let bounds = [x1.min(x2 - bow), y1.min(y2), x2.max(x1 + bow), y1.max(y2)];
    let (x1, y1, x2, y2, c1, c2) = (Px(x1), Px(y1), Px(x2), Px(y2), Px(x1 + bow), Px(x2 - bow));
    (format!("M{x1},{y1} C{c1},{y1} {c2},{y2} {x2},{y2}"), bounds)
}

/// The part of the drawing on screen, in drawing coordinates: left, top,
/// right, bottom.
pub type Viewport = [f64; 4];

/// True when the box `[left, top, right, bottom]` shows in `view` (or
/// comes within `margin` of it).
pub fn in_view(b: [f64; 4], view: Viewport, margin: f64) -> bool {
    b[0] <= view[2] + margin
        && b[2] >= view[0] - margin
        && b[1] <= view[3] + margin
        && b[3] >= view[1] - margin
}

/// A coordinate for SVG and CSS, to a tenth of a pixel. Written as the
/// shortest decimal of the rounded value: `{:.1}` takes Rust's exact
/// (big-number) float formatting, which with a few thousand numbers a
/// picture was a millisecond of every seek.
#[derive(Copy, Clone, Debug)]
pub struct Px(pub f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        // No "-0".
        write!(f, "{}", if v == 0.0 { 0.0 } else { v })
    }
}

/// Strongly connected components of the drawn objects (Tarjan's
/// algorithm, iterative so a long chain cannot overflow the stack).
struct Scc {
    /// Component of each node.
    comp: Vec<usize>,
    /// Size of each component.
    size: Vec<usize>,
}

fn components(nodes: &[NodeBox], index: &HashMap<ObjRef, usize>) -> Scc {
    let n = nodes.len();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|node| {
            node.rows
                .iter()
                .filter_map(|r| r.to.and_then(|t| index.get(&t).copied()))
                .collect()
        })
        .collect();
    const NONE: usize = usize::MAX;
    let mut idx = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![NONE; n];
    let mut size = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if idx[root] != NONE {
            continue;
        }
        // (node, next successor to look at)
        let mut work = vec![(root, 0usize)];
        idx[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if let Some(&w) = succ[v].get(*k) {
                *k += 1;
                if idx[w] == NONE {
                    idx[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(idx[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == idx[v] {
                let c = size.len();
                let mut count = 0;
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = c;
                    count += 1;
                    if w == v {
                        break;
                    }
                }
                size.push(count);
            }
        }
    }
    Scc { comp, size }
}
