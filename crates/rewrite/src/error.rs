//! Errors of the derivative pipeline.

/// Why a derivative or simplification could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// Differentiation with respect to something that is not a variable name.
    #[error("cannot differentiate with respect to `{0}`: expected a variable name such as `x`")]
    NotAVariable(String),
    /// The expression (or the e-graph built from it) is larger than the limit.
    #[error("the e-graph grew to {nodes} nodes while differentiating, past the limit of {limit}; raise Options::diff_node_limit")]
    TooLarge {
        /// Nodes reached.
        nodes: usize,
        /// The limit.
        limit: usize,
    },
    /// No result could be extracted (cannot happen for well-formed inputs; reported, not
    /// panicked on).
    #[error("internal error: no expression could be extracted for the result")]
    Extraction,
    /// A symbolic sweep (gradient, Jacobian, Hessian, product) built more nodes than allowed.
    #[error("the derivative DAG grew to {nodes} nodes, past the limit of {limit}; raise Options::sweep_node_limit")]
    SweepTooLarge {
        /// Nodes reached.
        nodes: usize,
        /// The limit.
        limit: usize,
    },
    /// The same variable was asked for twice.
    #[error("the variable `{0}` is listed more than once")]
    RepeatedVariable(String),
    /// A dense result would have too many entries (ask for the sparse form instead).
    #[error("a dense {rows} x {cols} result has more than {limit} entries; use the sparse form (sparse_jacobian, sparse_hessian)")]
    DenseTooLarge {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// The limit on rows x cols.
        limit: usize,
    },
    /// A bug: an invariant of the engine did not hold (reported, not panicked on).
    #[error("internal error: {0}")]
    Internal(String),
    /// The result divides a constant by zero (`1/(x - x)` is `1/0`): the expression is
    /// undefined everywhere, and no syntax writes that result (the parsers refuse `1/0`).
    #[error("the expression is undefined everywhere: it simplifies to `{0}`, a division by zero")]
    UndefinedEverywhere(String),
    /// Asked for no variables or no expressions.
    #[error("{0}")]
    Empty(&'static str),
}
