"""The old-Python check (compatability.py) and its single call when the package is imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from types import SimpleNamespace
from typing import NamedTuple
from unittest import mock

import pytest

import aws_encryption_sdk
from aws_encryption_sdk import compatability
from aws_encryption_sdk.compatability import DEPRECATION_DATE_MAP, _warn_deprecated_python


class _VersionInfo(NamedTuple):
    """Stands in for ``sys.version_info``: a tuple with ``major``/``minor`` attributes."""

    major: int
    minor: int
    micro: int = 0
    releaselevel: str = "final"
    serial: int = 0


def _as_seen_by_the_module(monkeypatch: pytest.MonkeyPatch, major: int, minor: int) -> None:
    """Make ``compatability`` see Python ``major.minor`` without touching the real ``sys``."""
    monkeypatch.setattr(compatability, "sys", SimpleNamespace(version_info=_VersionInfo(major, minor, 18)))


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deprecation_date_map() -> None:
    assert DEPRECATION_DATE_MAP == {"1.x": "2022-06-30", "2.x": "2022-07-01"}


@pytest.mark.parametrize(("major", "minor"), [(2, 7), (3, 4), (3, 5), (3, 7)])
def test_dropped_pythons_warn_once_at_the_caller(monkeypatch: pytest.MonkeyPatch, major: int, minor: int) -> None:
    _as_seen_by_the_module(monkeypatch, major, minor)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _warn_deprecated_python()

    assert len(caught) == 1
    assert caught[0].category is DeprecationWarning
    assert f"Python {major}.{minor} " in str(caught[0].message)
    assert caught[0].filename == __file__


# 3.6 is absent from the original's list too, so it stays silent.
@pytest.mark.parametrize(("major", "minor"), [(3, 6), (3, 8), (3, 9), (3, 11), (3, 12), (3, 13), (4, 0)])
def test_other_pythons_do_not_warn(monkeypatch: pytest.MonkeyPatch, major: int, minor: int) -> None:
    _as_seen_by_the_module(monkeypatch, major, minor)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _warn_deprecated_python()

    assert caught == []


def test_the_running_python_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_deprecated_python()


def test_the_version_is_read_from_sys_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with monkeypatch.context() as patch:  # keep the window short: the rest of the process sees 3.11
            patch.setattr(sys, "version_info", _VersionInfo(3, 7, 17))
            _warn_deprecated_python()
        _warn_deprecated_python()

    assert [warning.category for warning in caught] == [DeprecationWarning]


def test_a_mocked_sys_module_in_the_module_is_honoured() -> None:
    """Upstream-style tests replace the module's ``sys`` with a mock and set ``major``/``minor``."""
    with mock.patch("aws_encryption_sdk.compatability.sys") as fake_sys:
        fake_sys.version_info.major = 3
        fake_sys.version_info.minor = 7
        with pytest.warns(DeprecationWarning, match=r"Python 3\.7 "):
            _warn_deprecated_python()

        fake_sys.version_info.minor = 8
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _warn_deprecated_python()


def test_the_package_exposes_the_module_and_the_function() -> None:
    assert aws_encryption_sdk.compatability is compatability
    assert aws_encryption_sdk._warn_deprecated_python is _warn_deprecated_python
    assert "_warn_deprecated_python" not in aws_encryption_sdk.__all__


def test_a_fresh_import_is_silent_and_loads_the_module() -> None:
    completed = _run(
        """
        import sys
        import aws_encryption_sdk
        assert aws_encryption_sdk.compatability is sys.modules["aws_encryption_sdk.compatability"]
        assert aws_encryption_sdk._warn_deprecated_python is aws_encryption_sdk.compatability._warn_deprecated_python
        print("imported")
        """
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "imported"
    assert "DeprecationWarning" not in completed.stderr


def test_the_package_import_calls_the_check_exactly_once() -> None:
    """Re-run the package's ``__init__`` with a 3.7 view: one warning, attributed to the package."""
    completed = _run(
        """
        import sys
        import warnings
        from types import SimpleNamespace

        import aws_encryption_sdk.compatability as compatability

        version_info = SimpleNamespace(major=3, minor=7)
        compatability.sys = SimpleNamespace(version_info=version_info)
        del sys.modules["aws_encryption_sdk"]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import aws_encryption_sdk
        print(len(caught), caught[0].category.__name__, caught[0].filename == aws_encryption_sdk.__file__)
        """
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["1", "DeprecationWarning", "True"]
