"""The exceptions symdiff raises (the native module raises these classes)."""


class SymdiffError(Exception):
    """Base class of symdiff's own exceptions."""


class ParseError(SymdiffError, ValueError):
    """Text that is not an expression. The message shows the line with a caret under the
    culprit and says what was expected."""


class DomainError(SymdiffError, ValueError, ArithmeticError):
    """An evaluation step that is not a finite real number (``ln(-1)``, ``1/0``); the message
    names the operation. A ``ValueError`` like ``math.log(-1)``'s and an ``ArithmeticError``."""


class DifferentiationError(SymdiffError, ValueError):
    """A derivative or simplification that cannot be computed: not a variable, no variables,
    or an e-graph past its differentiation budget."""
