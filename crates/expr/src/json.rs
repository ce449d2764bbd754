//! The JSON form: the DAG as a node list (children by index, each shared node once) plus the
//! infix text for people. [`Expr::from_json`] reads it back.
//!
//! ```json
//! {"infix": "x*(1 - x)", "nodes": [["var","x"], ["num","1"], ["-",1,0], ["*",0,2]], "root": 3}
//! ```

use crate::error::JsonError;
use crate::expr::{from_recexpr_roots, Expr};
use crate::language::{Kind, Math, NamedConst};
use crate::name::check_variable_name;
use crate::Constant;
use egg::{FromOp, Id, Language, RecExpr, Symbol};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use serde_json::Value;

impl Expr {
    /// The JSON value of this expression (see the [module docs](crate::json)). To write JSON
    /// text, serialise the expression itself (`Expr` implements [`serde::Serialize`]): that
    /// writes straight to the output, without building a [`Value`] per node.
    ///
    /// ```
    /// use symdiff_expr::{parse, Expr};
    /// let f = parse("x*(1 - x)").unwrap();
    /// let json = f.to_json();
    /// assert_eq!(json["infix"], "x*(1 - x)");
    /// assert_eq!(Expr::from_json(&json).unwrap(), f);
    /// ```
    pub fn to_json(self) -> Value {
        serde_json::to_value(self).expect("an expression serialises to JSON")
    }

    /// Reads the JSON form back (the `nodes` and `root` fields; `infix` is ignored).
    pub fn from_json(value: &Value) -> Result<Expr, JsonError> {
        let bad = |why: String| JsonError::Invalid(why);
        let nodes = value["nodes"]
            .as_array()
            .ok_or_else(|| bad("missing `nodes` array".into()))?;
        let root = value["root"]
            .as_u64()
            .ok_or_else(|| bad("missing `root` index".into()))? as usize;
        if root >= nodes.len() {
            return Err(bad(format!("root {root} is not a node index")));
        }
        let mut rec: RecExpr<Math> = RecExpr::default();
        for (i, node) in nodes.iter().enumerate() {
            let items = node
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| bad(format!("node {i} is not a non-empty array")))?;
            let op = items[0]
                .as_str()
                .ok_or_else(|| bad(format!("node {i}: operator is not a string")))?;
            let text = |k: usize| {
                items
                    .get(k)
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad(format!("node {i}: missing text")))
            };
            let parsed = match op {
                "num" => Math::Num(
                    text(1)?
                        .parse::<Constant>()
                        .map_err(|e| bad(format!("node {i}: {e}")))?,
                ),
                "const" => Math::Named(
                    text(1)?
                        .parse::<NamedConst>()
                        .map_err(|e| bad(format!("node {i}: {e}")))?,
                ),
                "var" => {
                    let name = text(1)?;
                    check_variable_name(name).map_err(|e| bad(format!("node {i}: {e}")))?;
                    Math::Var(Symbol::from(name))
                }
                _ => {
                    let children = items[1..]
                        .iter()
                        .map(|c| match c.as_u64() {
                            Some(c) if (c as usize) < i => Ok(Id::from(c as usize)),
                            _ => Err(bad(format!(
                                "node {i}: child {c} must be the index of an earlier node"
                            ))),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Math::from_op(op, children).map_err(|e| bad(format!("node {i}: {e}")))?
                }
            };
            if let Some((k, kind)) = parsed.misplaced_operand(|c| rec[c].kind()) {
                return Err(bad(format!(
                    "node {i}: operand {} of `{op}` must be a {}",
                    k + 1,
                    match kind {
                        Kind::Number =>
                            "number (a condition is only valid as the first operand of `if`)",
                        Kind::Condition => "condition",
                    }
                )));
            }
            rec.add(parsed);
        }
        Ok(from_recexpr_roots(&rec, &[Id::from(root)])[0])
    }
}

/// The JSON form (see the [module docs](crate::json)), written in one pass over the DAG's
/// nodes (children first) straight to the serializer: the fields `infix`, `nodes` and `root`
/// in that order, each node an array.
///
/// ```
/// let f = symdiff_expr::parse("x*(1 - x)").unwrap();
/// assert_eq!(
///     serde_json::to_string(&f).unwrap(),
///     r#"{"infix":"x*(1 - x)","nodes":[["var","x"],["num","1"],["-",1,0],["*",0,2]],"root":3}"#
/// );
/// ```
impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rec = self.to_recexpr();
        let mut form = serializer.serialize_struct("Expr", 3)?;
        form.serialize_field("infix", &self.to_string())?;
        form.serialize_field("nodes", &Nodes(&rec))?;
        form.serialize_field("root", &(rec.len() - 1))?;
        form.end()
    }
}

/// The `nodes` array of the JSON form.
struct Nodes<'a>(&'a RecExpr<Math>);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nodes = self.0.as_ref();
        let mut seq = serializer.serialize_seq(Some(nodes.len()))?;
        for node in nodes {
            seq.serialize_element(&Node(node))?;
        }
        seq.end()
    }
}

/// One node of the JSON form: `["num", "1/2"]`, `["const", "pi"]`, `["var", "x"]`, or the
/// operator followed by the indices of its children (`["+", 0, 1]`).
struct Node<'a>(&'a Math);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let leaf = |serializer: S, kind: &str, text: &str| {
            let mut seq = serializer.serialize_seq(Some(2))?;
            seq.serialize_element(kind)?;
            seq.serialize_element(text)?;
            seq.end()
        };
        match self.0 {
            Math::Num(c) => leaf(serializer, "num", &c.to_string()),
            Math::Named(n) => leaf(serializer, "const", n.name()),
            Math::Var(s) => leaf(serializer, "var", s.as_str()),
            op => {
                let children = op.children();
                let mut seq = serializer.serialize_seq(Some(1 + children.len()))?;
                seq.serialize_element(&op.to_string())?;
                for &c in children {
                    seq.serialize_element(&usize::from(c))?;
                }
                seq.end()
            }
        }
    }
}
