"""Warnings about Python versions that the AWS Encryption SDK no longer supports.

The module name keeps the original library's spelling (``compatability``), because it is part of the
public surface: code that imports or patches ``aws_encryption_sdk.compatability`` keeps working.

``import aws_encryption_sdk`` calls :func:`_warn_deprecated_python` once. The check only ever fires on
Python 2.7, 3.4, 3.5 and 3.7, none of which can install this package (it needs Python 3.11 or later),
so on every supported interpreter the import is silent. The check stays real, rather than being
removed, so that the module behaves like the original's wherever it is asked.
"""

from __future__ import annotations

import sys
import warnings

#: End-of-support dates for those old Python versions, by release line of the SDK.
DEPRECATION_DATE_MAP = {"1.x": "2022-06-30", "2.x": "2022-07-01"}

#: The ``(major, minor)`` Python versions that get a :class:`DeprecationWarning` (the original's list).
_DEPRECATED_PYTHONS = frozenset({(2, 7), (3, 4), (3, 5), (3, 7)})


def _warn_deprecated_python() -> None:
    """Emit a :class:`DeprecationWarning` if the running Python is one the SDK has dropped.

    The version is read from ``sys.version_info`` on every call (by its ``major`` and ``minor``
    attributes), so a test can patch it. Python 3.8 and later never warn.
    """
    version = sys.version_info
    if (version.major, version.minor) not in _DEPRECATED_PYTHONS:
        return
    warnings.warn(
        f"Python {version.major}.{version.minor} is no longer supported by the AWS Encryption SDK for Python "
        f"(the 1.x releases dropped it on {DEPRECATION_DATE_MAP['1.x']} and the 2.x releases on "
        f"{DEPRECATION_DATE_MAP['2.x']}); upgrade to a supported Python version to keep receiving updates.",
        DeprecationWarning,
        stacklevel=2,
    )
