"""The attrs type validators (internal/_validators.py) raise exactly what attrs' own raise."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of


@attrs.define
class _Ours:
    number: Any = attrs.field(validator=instance_of(int))
    text: Any = attrs.field(default=None, validator=optional_instance_of((str, bytes)))


@attrs.define
class _Theirs:
    number: Any = attrs.field(validator=attrs.validators.instance_of(int))
    text: Any = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of((str, bytes)))
    )


@pytest.mark.parametrize(("number", "text"), [("1", None), (1, 2.5), (None, "x")])
def test_same_type_error_as_attrs(number: Any, text: Any) -> None:
    with pytest.raises(TypeError) as ours:
        _Ours(number, text)
    with pytest.raises(TypeError) as theirs:
        _Theirs(number, text)
    assert ours.value.args[0] == theirs.value.args[0]
    assert ours.value.args[1].name == theirs.value.args[1].name
    assert ours.value.args[2:] == theirs.value.args[2:]


@pytest.mark.parametrize(("number", "text"), [(1, None), (True, "x"), (0, b"")])
def test_valid_values_pass(number: Any, text: Any) -> None:
    assert _Ours(number, text).number == number
