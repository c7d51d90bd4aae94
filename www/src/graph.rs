//! Where the frames-and-objects view puts its boxes and arrows.
//!
//! Python Tutor's picture: frames in the left column, each with its
//! variables; heap objects in columns by their distance from a frame (in
//! breadth-first order, so a row of a list is near what it points at);
//! objects no frame reaches (a cycle waiting for the collector, say) in a
//! band of their own below. Boxes are stacked in their column, so none
//! overlap whatever the graph. Pure geometry in CSS pixels: nothing here
//! touches the DOM, so it is tested natively.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

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
    /// No frame reaches it.
    pub unreachable: bool,
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
    // Shared objects are leaves: the module dicts and types they reach
    // would swamp the picture.
    let draws = |r: ObjRef| objects.get(&r).is_some_and(|v| !(hide_shared && v.shared));
    let expands = |r: ObjRef| objects.get(&r).is_some_and(|v| !v.shared);

    // Breadth-first from the frames' variables, then from what no frame
    // reaches (the program's own objects only).
    let mut depth: HashMap<ObjRef, usize> = HashMap::new();
    let mut order: Vec<ObjRef> = Vec::new();
    let mut queue: VecDeque<ObjRef> = VecDeque::new();
    let visit = |r: ObjRef,
                 d: usize,
                 depth: &mut HashMap<ObjRef, usize>,
                 order: &mut Vec<ObjRef>,
                 queue: &mut VecDeque<ObjRef>| {
        if draws(r) && !depth.contains_key(&r) {
            depth.insert(r, d);
            order.push(r);
            queue.push_back(r);
        }
    };
    let walk = |depth: &mut HashMap<ObjRef, usize>,
                order: &mut Vec<ObjRef>,
                queue: &mut VecDeque<ObjRef>| {
        while let Some(r) = queue.pop_front() {
            if order.len() > MAX_NODES * 4 {
                break;
            }
            let d = depth.get(&r).copied().unwrap_or(1);
            if !expands(r) {
                continue;
            }
            if let Some(v) = objects.get(&r) {
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
    for (&r, v) in objects {
        if !v.shared && !depth.contains_key(&r) {
            visit(r, 1, &mut depth, &mut order, &mut queue);
            walk(&mut depth, &mut order, &mut queue);
        }
    }

    // Over the limit: the first MAX_NODES are drawn, the rest counted.
    let mut hidden: BTreeMap<String, usize> = BTreeMap::new();
    for r in order.iter().skip(MAX_NODES) {
        if let Some(v) = objects.get(r) {
            *hidden
                .entry(trace.name(v.type_name).to_string())
                .or_default() += 1;
        }
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

    // Objects: a column per depth, reachable ones first, then the band.
    let col_x = |d: usize| MARGIN + FRAME_W + COL_GAP + (d.max(1) - 1) as f64 * (NODE_W + COL_GAP);
    let mut col_y: Vec<f64> = Vec::new();
    let mut max_x: f64 = MARGIN + FRAME_W;
    let mut max_y: f64 = frames_bottom;
    let mut band_top = None;
    for (i, &r) in order.iter().enumerate() {
        let Some(v) = objects.get(&r) else { continue };
        let unreachable = i >= reached;
        if unreachable && band_top.is_none() {
            let top = col_y.iter().copied().fold(frames_bottom, f64::max);
            band_top = Some(top);
            col_y = vec![top + BAND_H; col_y.len().max(1)];
        }
        let d = depth.get(&r).copied().unwrap_or(1);
        if col_y.len() < d {
            let start = band_top.map_or(MARGIN, |t| t + BAND_H);
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
        });
    }
    g.band_top = band_top;
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
                    g.arrows.push(Arrow {
                        key: format!("f{}:{}:{k}", f.name, f.y),
                        path: curve(x1, y1, tx, ty + 14.0),
                        to,
                        from: None,
                        cycle: false,
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
            let path = if to == n.obj {
                // A loop out of the right edge and back into the top.
                format!(
                    "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{:.1} {:.1},{:.1}",
                    x1 + 40.0,
                    x1 + 10.0,
                    n.y - 30.0,
                    n.x + NODE_W - 30.0,
                    n.y
                )
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
            });
        }
    }
    g.hidden = hidden.into_iter().collect();
    g.hidden
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    g
}

/// A smooth arrow from a row's right end to a box's left edge; backwards
/// arrows bow out to the right and come in from the left.
fn curve(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let bow = ((x2 - x1).abs() * 0.5).clamp(40.0, 160.0);
    format!(
        "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
        x1 + bow,
        x2 - bow
    )
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
