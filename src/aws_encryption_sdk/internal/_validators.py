"""Type checks for the attrs classes of the SDK (private).

They raise what ``attrs.validators.instance_of`` raises (a ``TypeError`` with the same message and
arguments), but they are plain functions, which attrs calls about twice as fast as its callable
validator objects. A message builds about ten validated objects, so this shows in the per-message
cost of small messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Validator = Callable[[Any, Any, Any], None]


def _type_error(attribute: Any, kind: Any, value: Any, secret: bool) -> TypeError:
    if secret:  # a key handed over in the wrong type must not end up in a log or a traceback
        return TypeError(
            f"'{attribute.name}' must be {kind!r} (got a {value.__class__!r}; its value is secret and not shown).",
            attribute,
            kind,
        )
    return TypeError(
        f"'{attribute.name}' must be {kind!r} (got {value!r} that is a {value.__class__!r}).", attribute, kind, value
    )


def instance_of(kind: type | tuple[type, ...], *, secret: bool = False) -> Validator:
    """Return a validator that requires an instance of ``kind``.

    :param kind: a type or a tuple of types
    :param secret: leave the rejected value out of the error (for key material)
    """

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, kind):
            raise _type_error(attribute, kind, value, secret)

    return check


def optional_instance_of(kind: type | tuple[type, ...], *, secret: bool = False) -> Validator:
    """Return a validator that requires None or an instance of ``kind``.

    :param kind: a type or a tuple of types
    :param secret: leave the rejected value out of the error (for key material)
    """

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None and not isinstance(value, kind):
            raise _type_error(attribute, kind, value, secret)

    return check


def optional_non_negative(instance: Any, attribute: Any, value: Any) -> None:
    """Require None or an int of at least 0 (after a type check).

    :raises ValueError: for a negative number
    """
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} cannot be negative (got {value})")
