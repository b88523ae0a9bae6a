"""Sphinx configuration for the AWS Encryption SDK for Python."""

from __future__ import annotations

import re
from pathlib import Path

_VERSION = re.search(
    r'^__version__ = "([^"]+)"',
    (Path(__file__).parents[1] / "src/aws_encryption_sdk/identifiers.py").read_text(encoding="utf-8"),
    re.M,
)
assert _VERSION is not None

project = "aws-encryption-sdk"
author = "AWS Encryption SDK for Python developers"
copyright = "the AWS Encryption SDK for Python developers"  # noqa: A001 - Sphinx's name
version = release = _VERSION.group(1)

extensions = ["sphinx.ext.autodoc", "sphinx.ext.doctest", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}
nitpicky = True
# References to other projects' classes and to typing constructs cannot resolve without network
# access to their inventories; everything in this project must resolve.
nitpick_ignore_regex = [
    (r"py:.*", r"(cryptography|botocore|boto3|attr|attrs|enum|typing|collections|io|types|concurrent|_io)\..*"),
    (r"py:.*", r"(bytes|str|int|float|bool|dict|list|tuple|set|type|object|None|Any|Optional|Union|Callable)"),
    (r"py:.*", r"(BytesLike|Mapping|Iterable|Iterator|Sequence|TracebackType|ModuleType|Protocol|T|_T)"),
    (r"py:.*", r"aws_encryption_sdk\..*\._.*"),
    (r"py:.*", r"_.*"),
    (r"py:mod", r"struct"),
    (r"py:.*", r"(Exception|BaseException|ValueError|TypeError|KeyError|NotImplementedError)"),
]
html_theme = "alabaster"
exclude_patterns = ["_build"]
