"""A class decorator that marks a class as deprecated.

Nothing in the library uses it today and ``import aws_encryption_sdk`` does not load this module; it
exists because the original library ships it (since 4.0.0) and code may import it.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

_C = TypeVar("_C", bound=type[Any])

# ``object``'s own slots, typed loosely so identity checks against them type-check.
_OBJECT_INIT: object = object.__init__
_OBJECT_NEW: object = object.__new__


def deprecated(reason: str) -> Callable[[_C], _C]:
    """Return a class decorator that warns whenever an instance of the class is built.

    Building an instance (of the class or of a subclass that does not stop it from running the class's
    ``__init__``) emits a :class:`DeprecationWarning` reading ``"<Class> is deprecated: <reason>"``,
    attributed to the line that built it. The class itself is returned, changed only by a wrapped
    ``__init__``: it keeps its name, docstring, module, bases, ``__new__`` and the arguments it accepts.

    :param reason: why the class is deprecated (and what to use instead)
    :returns: the decorator
    """

    def decorate(cls: _C) -> _C:
        message = f"{cls.__name__} is deprecated: {reason}"
        original_init = cls.__init__

        if original_init is _OBJECT_INIT:
            # Without an ``__init__`` of its own the class relied on ``object``'s, which refuses extra
            # arguments once a class overrides ``__init__``: keep ``object``'s checks by hand instead.
            def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
                if (args or kwargs) and type(self).__new__ is _OBJECT_NEW:
                    raise TypeError(f"{type(self).__name__}() takes no arguments")
                warnings.warn(message, DeprecationWarning, stacklevel=2)

            __init__.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
                [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            )
        else:

            @functools.wraps(original_init)
            def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                original_init(self, *args, **kwargs)

        __init__.__qualname__ = f"{cls.__qualname__}.__init__"
        __init__.__module__ = cls.__module__
        cls.__init__ = __init__
        return cls

    return decorate
