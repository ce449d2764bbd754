"""symdiff: symbolic differentiation in an e-graph, from Python.

Expressions are hash-consed DAGs (``symdiff.Expr``); derivatives are computed by rewrite rules
and simplified under a budget; ``lambdify`` compiles expressions into one straight-line program
evaluated over NumPy arrays with the GIL released.

>>> import symdiff
>>> x = symdiff.var("x")
>>> f = 4 * (symdiff.cos(x) + 2 * x - symdiff.exp(x)) ** 2
>>> df = symdiff.d(f, "x")
>>> round(df.eval(x=0.5), 10) == round(symdiff.lambdify(["x"], df)(0.5), 10)
True

The names follow the Rust API and SymPy: ``parse``, ``var`` (also ``symbols``), ``d`` (also
``diff``), ``d_n``, ``gradient``, ``jacobian``, ``hessian``, ``simplify``, ``lambdify``,
``from_sympy`` / ``Expr.to_sympy``, and one function per function of the language
(``sin``, ``cos``, ..., ``ln`` alias ``log``, ``sqrt``).
"""

from . import _symdiff
from ._errors import DifferentiationError, DomainError, ParseError, SymdiffError
from ._symdiff import (
    E,
    Expr,
    Lambdified,
    apply,
    d,
    d_n,
    function_names,
    gradient,
    hessian,
    jacobian,
    lambdify,
    parse,
    pi,
    simplify,
    var,
)
from ._sympy import from_sympy, to_sympy

__all__ = [
    "E",
    "DifferentiationError",
    "DomainError",
    "Expr",
    "Lambdified",
    "ParseError",
    "SymdiffError",
    "apply",
    "d",
    "d_n",
    "diff",
    "from_sympy",
    "function_names",
    "gradient",
    "hessian",
    "jacobian",
    "lambdify",
    "parse",
    "pi",
    "simplify",
    "symbols",
    "to_sympy",
    "var",
]

diff = d


def symbols(names):
    """Variables from a string of names separated by spaces or commas (as SymPy's
    ``symbols``): one ``Expr`` for one name, else a tuple.

    >>> import symdiff
    >>> x, y = symdiff.symbols("x y")
    >>> str(x * y)
    'x*y'
    """
    parts = [n for n in names.replace(",", " ").split() if n]
    made = tuple(var(n) for n in parts)
    return made[0] if len(made) == 1 else made


def _function(name):
    def function(*args):
        return apply(name, *args)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"``{name}(...)``: the language's ``{name}`` applied to expressions or numbers "
        f"(``symdiff.{name}(symdiff.var('x'))``), as an ``Expr``."
    )
    return function


# One Python function per function of the language, so functions added to the language
# appear here without edits.
for _name in function_names():
    globals()[_name] = _function(_name)
    __all__.append(_name)
log = globals()["ln"]
__all__.append("log")
del _name
