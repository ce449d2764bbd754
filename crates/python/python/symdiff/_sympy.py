"""Conversion between symdiff and SymPy expressions (SymPy is an optional dependency).

Both directions walk the expression once without recursion: ``to_sympy`` over symdiff's node
list (children before parents, each shared node once), ``from_sympy`` with an explicit stack and
a memo, so shared subexpressions are converted once and deep expressions do not overflow the
Python stack. Constants stay exact (rationals); a SymPy ``Float`` becomes the exact rational of
its printed decimal digits.
"""

from ._symdiff import E, Expr, apply, parse, pi, var

# symdiff operator name -> SymPy name, where they differ (every other function is looked up
# in the sympy namespace by its symdiff name, so new functions need no entry when the names
# agree).
_TO_SYMPY_NAMES = {"ln": "log", "abs": "Abs", "min": "Min", "max": "Max"}

# SymPy function class name -> symdiff function name, where they differ.
_FROM_SYMPY_NAMES = {"log": "ln", "Abs": "abs", "Min": "min", "Max": "max"}


def _sympy():
    try:
        import sympy
    except ImportError as e:  # pragma: no cover - exercised only without sympy
        raise ImportError(
            "symdiff's SymPy interop needs SymPy: pip install sympy"
        ) from e
    return sympy


def _to_sympy_rules(sp):
    """Builders of SymPy expressions from converted operands, by symdiff operator."""
    rules = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "^": lambda a, b: a**b,
        "neg": lambda a: -a,
        "d": lambda v, e: sp.Derivative(e, v),
        # Functions SymPy spells as formulas.
        "log10": lambda a: sp.log(a, 10),
        "log2": lambda a: sp.log(a, 2),
        "log1p": lambda a: sp.log(1 + a),
        "expm1": lambda a: sp.exp(a) - 1,
        "cbrt": lambda a: sp.real_root(a, 3),
        "sigmoid": lambda a: 1 / (1 + sp.exp(-a)),
        "softplus": lambda a: sp.log(1 + sp.exp(a)),
        "relu": lambda a: sp.Max(0, a),
        "hypot": lambda a, b: sp.sqrt(a**2 + b**2),
        "if": lambda c, a, b: sp.Piecewise((a, c), (b, True)),
        "<": sp.Lt,
        "<=": sp.Le,
        ">": sp.Gt,
        ">=": sp.Ge,
        "==": sp.Eq,
        "!=": sp.Ne,
        "and": sp.And,
        "or": sp.Or,
        "not": sp.Not,
    }
    return rules


def to_sympy(expr):
    """The SymPy expression equal to ``expr`` (an ``Expr``; also ``expr.to_sympy()``).

    Exact constants become ``sympy.Rational``, ``pi`` and ``e`` SymPy's ``pi`` and ``E``,
    ``ln`` ``log``; variables become real ``Symbol``s.

    >>> import symdiff
    >>> symdiff.parse("x^2/3 + ln(x)").to_sympy()
    x**2/3 + log(x)
    """
    sp = _sympy()
    if not isinstance(expr, Expr):
        raise TypeError(f"to_sympy expects a symdiff.Expr, got {type(expr).__name__}")
    rules = _to_sympy_rules(sp)
    built = []
    for op, payload in expr.nodes():
        if op == "num":
            value = sp.Rational(payload)
        elif op == "var":
            value = sp.Symbol(payload, real=True)
        elif op == "const":
            value = {"pi": sp.pi, "e": sp.E}[payload]
        else:
            args = [built[i] for i in payload]
            rule = rules.get(op)
            if rule is None:
                rule = getattr(sp, _TO_SYMPY_NAMES.get(op, op), None)
            if rule is None:
                raise ValueError(f"SymPy has no counterpart of symdiff's `{op}`")
            value = rule(*args)
        built.append(value)
    return built[-1]


def _leaf(sp, e):
    """A symdiff expression for a SymPy atom, or None if ``e`` is not an atom we know."""
    if e.is_Symbol:
        return var(e.name)
    if e is sp.pi:
        return pi
    if e is sp.E:
        return E
    if e.is_Rational:
        if e.q == 1:
            return parse(str(e.p)) if e.p >= 0 else -parse(str(-e.p))
        num = parse(str(abs(e.p))) / parse(str(e.q))
        return -num if e.p < 0 else num
    if e.is_Float:
        text = sp.Float(e).__str__()
        value = parse(text.lstrip("-"))
        return -value if text.startswith("-") else value
    return None


def _is_reciprocal(a):
    """Is ``a`` of the form ``1/b``?"""
    return a.op == "/" and a.args[0] == 1


def _combine(sp, e, args):
    """A symdiff expression for SymPy node ``e`` whose operands are already converted."""
    if e.is_Add:
        # SymPy writes a - b as a + (-1)*b: subtract negated terms.
        ordered = sorted(args, key=lambda a: a.op == "neg")
        result = ordered[0]
        for a in ordered[1:]:
            result = result - a.args[0] if a.op == "neg" else result + a
        return result
    if e.is_Mul:
        # SymPy writes a/b as a*b**-1 and -a as (-1)*a.
        if len(args) > 2 and args[0] == -1 and args[1].op == "num":
            args = [-args[1]] + args[2:]  # -1*2*x as -2*x (the store folds -constant)
        negate = args[0] == -1 and len(args) > 1
        factors = args[1:] if negate else args
        ordered = sorted(factors, key=lambda a: _is_reciprocal(a))
        result = ordered[0]
        for a in ordered[1:]:
            result = result / a.args[1] if _is_reciprocal(a) else result * a
        return -result if negate else result
    if e.is_Pow:
        base, exponent = args
        if e.exp == sp.Rational(1, 2):
            return apply("sqrt", base)
        if e.exp == -1:
            return 1 / base
        if e.exp == sp.Rational(-1, 2):
            return 1 / apply("sqrt", base)
        return base**exponent
    if isinstance(e, sp.exp):
        return apply("exp", *args)
    if isinstance(e, sp.log) and len(args) == 2:
        return apply("ln", args[0]) / apply("ln", args[1])
    if isinstance(e, sp.Piecewise):
        return _piecewise(sp, e, args)
    if isinstance(e, sp.Derivative):
        raise ValueError(f"cannot convert the unevaluated SymPy derivative {e}; call .doit()")
    name = type(e).__name__
    name = _FROM_SYMPY_NAMES.get(name, name)
    try:
        return apply(name, *args)
    except (ValueError, TypeError):
        raise ValueError(f"symdiff has no counterpart of SymPy's `{type(e).__name__}`: {e}")


_RELATIONS = {"StrictLessThan": "<", "LessThan": "<=", "StrictGreaterThan": ">",
              "GreaterThan": ">=", "Equality": "==", "Unequality": "!=",
              "And": "and", "Or": "or", "Not": "not"}


def _piecewise(sp, e, args):
    """``Piecewise((a1, c1), (a2, c2), ..., (an, True))`` as nested ``if(c1, a1, if(...))``."""
    pairs = list(zip(args[0::2], args[1::2]))
    *rest, (last_value, last_cond) = pairs
    if last_cond is not True:
        raise ValueError("only a Piecewise whose last condition is True can be converted")
    result = last_value
    for value, cond in reversed(rest):
        result = apply("if", cond, value, result)
    return result


def _children(sp, e):
    """The SymPy operands to convert before ``e`` (Piecewise pairs flattened; sums and
    products in the order SymPy prints them)."""
    if e.is_Add:
        return list(e.as_ordered_terms())
    if e.is_Mul:
        return list(e.as_ordered_factors())
    if isinstance(e, sp.Piecewise):
        out = []
        for value, cond in e.args:
            out += [value, cond]
        return out
    return list(e.args)


def from_sympy(e):
    """The symdiff expression equal to SymPy expression ``e`` (numbers and strings are
    accepted too). Raises ``ValueError`` naming a SymPy construct symdiff does not have.

    >>> import sympy, symdiff
    >>> x = sympy.Symbol("x")
    >>> symdiff.from_sympy(x * sympy.sin(x) + 1) == symdiff.parse("x*sin(x) + 1")
    True
    """
    sp = _sympy()
    root = sp.sympify(e)
    done = {}
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if node in done or node is sp.true:
            continue
        leaf = _leaf(sp, node) if node.is_Atom else None
        if leaf is not None:
            done[node] = leaf
            continue
        if node.is_Atom:
            raise ValueError(f"symdiff has no counterpart of SymPy's `{node}`")
        kids = _children(sp, node)
        if not expanded:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids) if k not in done)
            continue
        args = [True if k is sp.true else done[k] for k in kids]
        relation = _RELATIONS.get(type(node).__name__)
        if relation is not None:
            done[node] = apply(relation, *args)
        else:
            done[node] = _combine(sp, node, args)
    return True if root is sp.true else done[root]
