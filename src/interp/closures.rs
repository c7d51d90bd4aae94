//! Closures: cell and free variables (Objects/cellobject.c, the
//! `MAKE_CELL`/`COPY_FREE_VARS`/`LOAD_CLOSURE` instructions, and up to
//! 3.10 `_PyEval_EvalCode`'s cell set-up).
//!
//! * A variable of a function that a nested code uses is a *cell
//!   variable*: when the function is called, before its first line, its
//!   slot gets a new cell (`PyCell_New`, 40 bytes, tracked by the GC)
//!   holding the parameter's value, or nothing.
//! * A nested function made while its enclosing function runs gets a
//!   `__closure__`: a tuple (`BUILD_TUPLE`) of the enclosing frame's cells
//!   for its free variables, in sorted name order. Calling it copies those
//!   cells into its own frame's free slots.
//! * Reads and writes of such a variable go through the cell, so the value
//!   is referenced once, by the cell, however many closures share it.

use super::*;
use crate::stackdepth::{self, CodeOf};
use std::collections::BTreeSet;

impl Interp {
    /// The cell candidates of a new function (the names its nested codes
    /// take; the caller keeps those that are its own variables) and its
    /// free variables: the names it uses that the enclosing function's frame
    /// holds in cells. Refuses what the model cannot place yet.
    pub(super) fn closure_names(
        &self,
        params: &ast::Params,
        body: &CodeBody,
        span: ast::Span,
    ) -> R<(Vec<String>, Vec<String>)> {
        let v = self.v();
        let (nested, used, nonlocal) = match body {
            CodeBody::Block(b) => (
                stackdepth::nested_free(v, b),
                stackdepth::free_names(CodeOf::Function(params, b)),
                stackdepth::nonlocals(b),
            ),
            CodeBody::Expr(e) => (
                stackdepth::nested_free_expr(v, e),
                stackdepth::free_names(CodeOf::Lambda(params, e)),
                BTreeSet::new(),
            ),
        };
        let mut visible = BTreeSet::new();
        if let Some(f) = self.frames.last() {
            if f.comp {
                // A comprehension's frame would pass its own and the
                // function's variables on through cells it does not have.
                let mut i = self.frames.len();
                while i > 0 {
                    i -= 1;
                    let fr = &self.frames[i];
                    if self.codes[fr.code]
                        .slot_names
                        .iter()
                        .any(|n| used.contains(n))
                    {
                        return unsupported(
                            span,
                            "a function made in a comprehension that uses its variables (closure cells of comprehensions)",
                        );
                    }
                    if !fr.comp {
                        break;
                    }
                }
            } else {
                let c = &self.codes[f.code];
                visible.extend(c.cells.iter().cloned());
                visible.extend(c.frees.iter().cloned());
            }
        }
        if let Some(n) = nonlocal.iter().find(|n| !visible.contains(*n)) {
            return unsupported(
                span,
                format!("nonlocal {n} with no binding in an enclosing function"),
            );
        }
        let frees = used.into_iter().filter(|n| visible.contains(n)).collect();
        Ok((nested.into_iter().collect(), frees))
    }

    /// `LOAD_CLOSURE` of each of `names` in the running frame: its cells
    /// (new references), in order. A comprehension's frame (which the
    /// model runs without cells of its own) passes on its function's.
    pub(super) fn enclosing_cells(&mut self, names: &[String]) -> Vec<ObjRef> {
        let cells: Vec<ObjRef> = names.iter().filter_map(|n| self.find_cell(n)).collect();
        self.new_refs(cells)
    }

    /// The cell that variable `name` of the running code lives in, if any.
    fn find_cell(&self, name: &str) -> Option<ObjRef> {
        for f in self.frames.iter().rev() {
            let code = &self.codes[f.code];
            if let Some(i) = code.slot_of(name) {
                return if code.deref[i] { f.slots[i] } else { None };
            }
            if !f.comp {
                break;
            }
        }
        None
    }

    /// Up to 3.11 a comprehension is a function: the enclosing function's
    /// cells it uses go into its `__closure__` (a tuple made before the
    /// function object). `None` when it uses none.
    /// `code` is the comprehension's code, `of` its source (analysed once).
    pub(super) fn comprehension_closure(
        &mut self,
        code: usize,
        of: CodeOf<'_>,
        line: u32,
    ) -> R<Option<ObjRef>> {
        let uses = Rc::clone(
            self.comp_free
                .entry(code)
                .or_insert_with(|| stackdepth::free_names(of).into_iter().collect()),
        );
        let free: Vec<String> = uses
            .iter()
            .filter(|n| self.find_cell(n).is_some())
            .cloned()
            .collect();
        if free.is_empty() {
            return Ok(None);
        }
        let cells = self.enclosing_cells(&free);
        let t = self.objs.tuple(cells);
        self.mem(t, line).map(Some)
    }

    /// The start of a call of `code`: its free slots get the function's
    /// closure cells (`COPY_FREE_VARS`), and each cell variable a new cell
    /// holding the slot's value (`MAKE_CELL` in slot order from 3.11; up to
    /// 3.10 `_PyEval_EvalCode` makes them in `co_cellvars` order).
    pub(super) fn make_cells(
        &mut self,
        c: &Code,
        func: ObjRef,
        slots: &mut [Option<ObjRef>],
        line: u32,
    ) -> R<()> {
        if !c.frees.is_empty() {
            let closure = match self.payload(func) {
                Payload::Function {
                    closure: Some(t), ..
                } => match self.payload(*t) {
                    Payload::Tuple(items) => items.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let base = c.slot_names.len() - c.frees.len();
            for (j, cell) in closure.into_iter().enumerate() {
                self.objs.incref(cell);
                if let Some(s) = slots.get_mut(base + j) {
                    *s = Some(cell);
                }
            }
        }
        let mut order: Vec<usize> = c.cells.iter().filter_map(|n| c.slot_of(n)).collect();
        if self.v().minor() >= 11 {
            order.sort_unstable();
        }
        for i in order {
            let made = self.objs.cell(slots[i].take());
            slots[i] = Some(self.mem(made, line)?);
        }
        Ok(())
    }
}
