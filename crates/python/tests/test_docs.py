"""Every public name has a docstring, and the examples in the docstrings run."""

import doctest
import inspect

import pytest

import symdiff


def public_objects():
    for name in symdiff.__all__:
        obj = getattr(symdiff, name)
        if isinstance(obj, symdiff.Expr):
            continue  # the constants pi and E
        yield name, obj
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if not member.startswith("_") or member in {"__call__", "__reduce__"}:
                    yield f"{name}.{member}", value


@pytest.mark.parametrize("name,obj", list(public_objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_items_are_documented(name, obj):
    assert (getattr(obj, "__doc__", None) or "").strip(), f"{name} has no docstring"


def test_docstring_examples_run():
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    seen = 0
    sources = [("symdiff", symdiff)] + list(public_objects())
    for name, obj in sources:
        text = getattr(obj, "__doc__", None) or ""
        if ">>>" not in text:
            continue
        test = parser.get_doctest(inspect.cleandoc(text), {}, name, None, 0)
        runner.run(test)
        seen += 1
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert seen >= 10
