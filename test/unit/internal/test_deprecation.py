"""The ``deprecated`` class decorator (internal/deprecation.py)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings
from typing import Any

import pytest

from aws_encryption_sdk.internal.deprecation import deprecated


class _Plain:
    """A class with an ``__init__`` of its own."""

    def __init__(self, first: int, second: int = 2, *, third: str = "three") -> None:
        self.args = (first, second, third)


_Old = deprecated("use New instead")(_Plain)


@deprecated("no arguments here")
class _Bare:
    """A class that relies on ``object.__init__``."""


@deprecated("built by __new__")
class _NewOnly:
    """A class whose arguments are taken by ``__new__``."""

    value: Any

    def __new__(cls, value: Any) -> _NewOnly:
        instance = super().__new__(cls)
        instance.value = value
        return instance


@deprecated("checks its input")
class _Raising:
    def __init__(self, value: int) -> None:
        if value < 0:
            raise ValueError("negative")


def _line_of_next_statement() -> int:
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno + 1


def test_construction_warns_at_the_constructing_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_of_next_statement()
        _Old(1)

    assert len(caught) == 1
    assert caught[0].category is DeprecationWarning
    assert str(caught[0].message) == "_Plain is deprecated: use New instead"
    assert caught[0].filename == __file__
    assert caught[0].lineno == line


def test_pytest_warns_sees_the_message() -> None:
    with pytest.warns(DeprecationWarning, match=r"^_Bare is deprecated: no arguments here$"):
        _Bare()


def test_every_construction_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _Old(1)
        _Old(2)

    assert [str(warning.message) for warning in caught] == ["_Plain is deprecated: use New instead"] * 2


def test_the_decorator_returns_the_same_class_unchanged_in_identity() -> None:
    assert _Old is _Plain
    assert inspect.isclass(_Old)
    assert _Old.__name__ == "_Plain"
    assert _Old.__qualname__ == "_Plain"
    assert _Old.__doc__ == "A class with an ``__init__`` of its own."
    assert _Old.__module__ == __name__
    assert _Old.__init__.__qualname__ == "_Plain.__init__"
    assert str(inspect.signature(_Old)) == "(first: 'int', second: 'int' = 2, *, third: 'str' = 'three') -> 'None'"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_positional_and_keyword_arguments_reach_init() -> None:
    assert _Old(1).args == (1, 2, "three")
    assert _Old(1, 5, third="x").args == (1, 5, "x")
    assert _Old(first=7, second=8).args == (7, 8, "three")
    with pytest.raises(TypeError):
        _Old()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Old(1, fourth=4)  # type: ignore[call-arg]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_isinstance_and_subclassing_still_work() -> None:
    class Child(_Plain):
        pass

    class ChildWithInit(_Plain):
        def __init__(self) -> None:
            super().__init__(10, third="child")

    assert isinstance(_Old(1), _Plain)
    assert isinstance(Child(3), _Plain)
    assert issubclass(ChildWithInit, _Plain)
    assert ChildWithInit().args == (10, 2, "child")
    assert type(Child(3)) is Child


def test_subclasses_warn_with_the_deprecated_class_name() -> None:
    class Child(_Plain):
        pass

    with pytest.warns(DeprecationWarning, match=r"^_Plain is deprecated: use New instead$") as record:
        Child(1)

    assert record[0].filename == __file__


def test_a_class_without_init_keeps_refusing_arguments() -> None:
    class Undecorated:
        pass

    with pytest.raises(TypeError) as theirs:
        Undecorated(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError) as ours:
        _Bare(1)  # type: ignore[call-arg]

    assert str(ours.value) == str(theirs.value).replace("Undecorated", "_Bare")
    assert str(inspect.signature(_Bare)) == "()"
    with pytest.warns(DeprecationWarning):
        assert isinstance(_Bare(), _Bare)


def test_arguments_still_reach_new() -> None:
    with pytest.warns(DeprecationWarning, match=r"^_NewOnly is deprecated: built by __new__$"):
        instance = _NewOnly(value=41)

    assert instance.value == 41
    assert isinstance(instance, _NewOnly)


def test_init_errors_propagate_after_the_warning() -> None:
    with pytest.warns(DeprecationWarning, match="^_Raising is deprecated"), pytest.raises(ValueError, match="negative"):
        _Raising(-1)


def test_the_package_import_does_not_load_the_module() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-W",
            "error::DeprecationWarning",
            "-c",
            "import sys, aws_encryption_sdk; print('aws_encryption_sdk.internal.deprecation' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"
