//! [`Mirror`]: a dense, local numbering of part of the expression store, which grows by
//! interning straight into the store.
//!
//! Algorithms that keep a value per node (the symbolic sweeps of `symdiff-rewrite`) want dense
//! ids `0..len` for plain vectors, while their results must end up in the store as [`Expr`]s.
//! A mirror gives both at the price of one store lookup per *new* node: [`Mirror::intern`]
//! hash-conses the node in the store (under the store's lock, one node at a time) and then
//! finds or assigns its local id through a paged map from store ids ([`IdMap`]: new store ids
//! are mostly consecutive, so that map is read almost sequentially). There is no second hash
//! table and no conversion at the end: every local node already knows its handle.
//!
//! Local ids grow from children to parents (a node is added after its children), so ascending
//! local ids are a topological order, and [`Mirror::rec`] is a valid [`RecExpr`].

use crate::expr::{intern_stored, postorder, with_nodes, Expr};
use crate::id_map::IdMap;
use crate::language::Math;
use egg::{Id, Language, RecExpr};

/// A dense local copy of the store nodes reachable from some roots, extended by
/// [`Mirror::intern`] (see the [module docs](self)).
///
/// ```
/// use symdiff_expr::{var, Math, Mirror};
/// let x = var("x");
/// let (mut mirror, roots) = Mirror::of(&[x.sin()]);
/// assert_eq!(mirror.len(), 2);
/// let cos = mirror.intern(Math::Cos(roots[0]));
/// assert_eq!(mirror.handle(cos), x.sin().cos());
/// // Interning a node the mirror holds returns its local id.
/// assert_eq!(mirror.intern(Math::Cos(roots[0])), cos);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Mirror {
    /// The nodes, children as local ids, children first.
    rec: RecExpr<Math>,
    /// The store handle of each local node.
    handles: Vec<Expr>,
    /// Store id → local id.
    local: IdMap,
}

impl Mirror {
    /// A mirror of the nodes `roots` depend on (each once, children first), and the local id
    /// of each root. Linear in those nodes.
    ///
    /// ```
    /// use symdiff_expr::{parse, Mirror};
    /// let f = parse("(x + 1)*(x + 1)").unwrap();
    /// let (mirror, roots) = Mirror::of(&[f]);
    /// assert_eq!(mirror.len(), 4);
    /// assert_eq!(mirror.handle(roots[0]), f);
    /// ```
    pub fn of(roots: &[Expr]) -> (Mirror, Vec<Id>) {
        let store_roots: Vec<Id> = roots.iter().map(|r| r.id()).collect();
        with_nodes(|nodes| {
            let (order, local) = postorder(nodes, &store_roots, 0);
            let position = |id: Id| {
                let p = local.get(usize::from(id) as u32);
                Id::from(p.expect("a reachable node has a position") as usize)
            };
            let rec: Vec<Math> = order
                .iter()
                .map(|&id| nodes[usize::from(id)].clone().map_children(position))
                .collect();
            let roots = store_roots.iter().map(|&r| position(r)).collect();
            let mirror = Mirror {
                rec: RecExpr::from(rec),
                handles: order.into_iter().map(Expr::from_stored_id).collect(),
                local,
            };
            (mirror, roots)
        })
    }

    /// How many nodes the mirror holds (local ids are `0..len`).
    pub fn len(&self) -> usize {
        self.rec.len()
    }

    /// Whether the mirror holds no node.
    pub fn is_empty(&self) -> bool {
        self.rec.is_empty()
    }

    /// The node with local id `id` (children are local ids).
    pub fn node(&self, id: Id) -> &Math {
        &self.rec[id]
    }

    /// Every node, as a [`RecExpr`] (children first; ids are local ids).
    pub fn rec(&self) -> &RecExpr<Math> {
        &self.rec
    }

    /// The nodes, as [`Mirror::rec`] shows them.
    pub fn into_rec(self) -> RecExpr<Math> {
        self.rec
    }

    /// The store handle of the node with local id `id`.
    pub fn handle(&self, id: Id) -> Expr {
        self.handles[usize::from(id)]
    }

    /// Makes room for `additional` more nodes, here and in the store's index, so that interning
    /// them does not grow tables one step at a time.
    pub fn reserve(&mut self, additional: usize) {
        self.handles.reserve(additional);
        crate::expr::reserve_store(additional);
    }

    /// The local id of the stored expression `expr`, adding it if the mirror does not hold it
    /// yet (no store lookup: `expr` is stored).
    ///
    /// ```
    /// use symdiff_expr::{var, Math, Mirror};
    /// let (x, y) = (var("x"), var("y"));
    /// let (mut mirror, roots) = Mirror::of(&[x.sin()]);
    /// let local_x = mirror.adopt(x);
    /// assert_eq!(mirror.node(roots[0]), &Math::Sin(local_x));
    /// let local_y = mirror.adopt(y);
    /// assert_eq!(mirror.handle(local_y), y);
    /// ```
    ///
    /// # Panics
    /// If a child of `expr` is not in the mirror.
    pub fn adopt(&mut self, expr: Expr) -> Id {
        let key = usize::from(expr.id()) as u32;
        if let Some(local) = self.local.get(key) {
            return Id::from(local as usize);
        }
        let local = &self.local;
        let node = expr.node().map_children(|c| {
            let c = local.get(usize::from(c) as u32);
            Id::from(c.expect("Mirror::adopt: a child is not in the mirror") as usize)
        });
        self.push(key, node, expr)
    }

    /// Interns `node` (children are local ids) in the store and returns its local id: the id
    /// the mirror already has for the stored node, or a new one.
    ///
    /// The store folds a negated constant and a quotient of constants into a constant (see
    /// [`Expr`]); the local node is then that constant, so a local node always is its handle's
    /// node with local children.
    ///
    /// # Panics
    /// If a child is not a local id.
    pub fn intern(&mut self, node: Math) -> Id {
        let handles = &self.handles;
        let stored = node.clone().map_children(|c| handles[usize::from(c)].id());
        let handle = intern_stored(stored);
        let key = usize::from(handle.id()) as u32;
        if let Some(local) = self.local.get(key) {
            return Id::from(local as usize);
        }
        let node = match node {
            Math::Neg(_) | Math::Div(_) => with_nodes(|nodes| match &nodes[key as usize] {
                folded @ Math::Num(_) => folded.clone(),
                _ => node,
            }),
            _ => node,
        };
        self.push(key, node, handle)
    }

    /// Adds `node` (local children) as the copy of the stored node `key`, whose handle is
    /// `handle`; returns its local id.
    fn push(&mut self, key: u32, node: Math, handle: Expr) -> Id {
        let id = self.rec.add(node);
        self.handles.push(handle);
        self.local.insert(key, usize::from(id) as u32);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, var, Constant};

    #[test]
    fn interning_through_a_mirror_builds_the_same_handles_as_the_builder_api() {
        let f = parse("sin(x)*y + x").unwrap();
        let (mut m, roots) = Mirror::of(&[f]);
        assert_eq!(m.handle(roots[0]), f);
        for i in 0..m.len() {
            let id = Id::from(i);
            let node = m.node(id).clone();
            assert_eq!(m.intern(node), id, "a node the mirror holds keeps its id");
        }
        let x = m.intern(Math::Var("x".into()));
        let cos = m.intern(Math::Cos(x));
        assert_eq!(m.handle(cos), var("x").cos());
        // A node stored elsewhere joins the mirror with a new id, after its children.
        let before = m.len();
        let z = m.intern(Math::Var("z_mirror_test".into()));
        assert_eq!(usize::from(z), before);
        // The store's folds show in the local node.
        let two = m.intern(Math::Num(Constant::from(2)));
        let neg = m.intern(Math::Neg(two));
        assert_eq!(m.node(neg), &Math::Num(Constant::from(-2)));
        assert_eq!(m.handle(neg), Expr::from(-2));
        for (i, node) in m.rec().as_ref().iter().enumerate() {
            assert!(node.children().iter().all(|&c| usize::from(c) < i));
        }
    }
}
