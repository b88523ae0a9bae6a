"""Every ``.. code-block:: python`` snippet of README.rst, executed as written against moto's KMS.

The snippets are read from the README itself (the indented block after each directive), so the
README cannot drift from working code. Each one is its own test, named by the section heading it
sits under (``-2``, ``-3``... for further snippets of the same section).

One substitution is made, and only one: the snippets name made-up key ARNs (accounts such as
``222222222222``) that moto cannot create. Before a snippet runs, every distinct KMS key ARN in
its text is replaced by the ARN of a fresh moto key created in the same region (moto's account
``123456789012``). The test checks that mapping the moto ARNs back gives the README text exactly.

Snippets run in an empty temporary working directory. A file that a snippet opens for reading
before writing it (``my-secret-data.dat``) is created there first, with random bytes spanning
several frames.

Besides the snippets' own ``assert`` statements, the test checks what they leave behind: strict
providers hold the moto keys, every encrypted message in the namespace carries one data key per
moto key in the order written, and a file round trip reproduced the input file byte for byte.
"""

from __future__ import annotations

import ast
import os
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
from aws_encryption_sdk.key_providers.kms import StrictAwsKmsMasterKeyProvider

README = Path(__file__).resolve().parents[2] / "README.rst"

_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. code-block::[ \t]*python[ \t]*$")
_ANY_DIRECTIVE = re.compile(r"^\s*\.\. code-block::\s*python\s*$", re.MULTILINE)
_ADORNMENT = re.compile(r"^([=\-~*#^\"'`+:.])\1{2,}\s*$")
_KMS_KEY_ARN = re.compile(r"arn:aws:kms:(?P<region>[a-z0-9-]+):\d+:key/[A-Za-z0-9-]+")
#: Bytes written to each input file: five full 4096-byte frames and a partial one.
_INPUT_FILE_SIZE = 5 * 4096 + 123


@dataclass(frozen=True)
class Snippet:
    """One python code block of the README."""

    test_id: str
    line: int
    source: str


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_after(lines: list[str], directive_index: int, directive_indent: int) -> str:
    """Return the dedented body of the directive at ``directive_index`` (options and blank lines skipped)."""
    index = directive_index + 1
    while index < len(lines) and lines[index].strip().startswith(":") and _indent_of(lines[index]) > directive_indent:
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or _indent_of(lines[index]) <= directive_indent:
        raise AssertionError(f"README.rst line {directive_index + 1}: code-block python with no indented body")
    body_indent = _indent_of(lines[index])
    body: list[str] = []
    while index < len(lines) and (not lines[index].strip() or _indent_of(lines[index]) >= body_indent):
        body.append(lines[index])
        index += 1
    return textwrap.dedent("\n".join(body).rstrip()) + "\n"


def python_snippets(text: str) -> list[Snippet]:
    """Extract the python code blocks of an RST document, each with the heading it sits under.

    :param text: the RST source
    :returns: the snippets in document order
    """
    lines = text.splitlines()
    heading = "preamble"
    seen: dict[str, int] = {}
    snippets: list[Snippet] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1].strip() if index else ""
        if _ADORNMENT.match(line) and previous and not _ADORNMENT.match(previous):
            heading = previous
            continue
        match = _DIRECTIVE.match(line)
        if match is None:
            continue
        slug = re.sub(r"\W+", "-", heading).strip("-")
        seen[slug] = seen.get(slug, 0) + 1
        test_id = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
        snippets.append(Snippet(test_id, index + 1, _block_after(lines, index, len(match.group("indent")))))
    return snippets


def substitute_key_arns(source: str, create_key: Callable[[str], str]) -> tuple[str, dict[str, str]]:
    """Replace each distinct KMS key ARN in ``source`` by a new key's ARN from the same region.

    :param source: the snippet text
    :param create_key: creates a key in the given region and returns its ARN
    :returns: the new text, and the map from README ARN to substituted ARN (in order of appearance)
    """
    mapping: dict[str, str] = {}
    for match in _KMS_KEY_ARN.finditer(source):
        if match.group(0) not in mapping:
            mapping[match.group(0)] = create_key(match.group("region"))
    return _KMS_KEY_ARN.sub(lambda match: mapping[match.group(0)], source), mapping


def _literal(node: ast.expr | None, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def input_files(source: str) -> list[str]:
    """Name the files a snippet opens for reading before it writes them.

    File names may be string literals or names bound to string literals at top level.

    :param source: the snippet text
    :returns: the file names, in order of first use
    """
    tree = ast.parse(source)
    names = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    opens: list[tuple[tuple[int, int], str, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"):
            continue
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        path = _literal(node.args[0] if node.args else keywords.get("file"), names)
        mode = _literal(node.args[1] if len(node.args) > 1 else keywords.get("mode"), names) or "r"
        if path is not None:
            opens.append(((node.lineno, node.col_offset), path, mode))
    written: set[str] = set()
    inputs: list[str] = []
    for _position, path, mode in sorted(opens):
        if "r" in mode and "+" not in mode and path not in written and path not in inputs:
            inputs.append(path)
        if any(flag in mode for flag in "wax+"):
            written.add(path)
    return inputs


SNIPPETS = python_snippets(README.read_text(encoding="utf-8"))


def test_every_python_code_block_of_the_readme_is_collected() -> None:
    directives = len(_ANY_DIRECTIVE.findall(README.read_text(encoding="utf-8")))
    assert directives > 0
    assert len(SNIPPETS) == directives
    assert len({snippet.test_id for snippet in SNIPPETS}) == len(SNIPPETS)


@pytest.fixture
def moto_kms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Dummy credentials, no local AWS configuration or default region, and moto's in-process AWS."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield


def _create_moto_key(region: str) -> str:
    arn: str = boto3.client("kms", region_name=region).create_key(Description="README snippet")["KeyMetadata"]["Arn"]
    return arn


def _kms_key_infos(message: bytes) -> list[str] | None:
    """Return the KMS key ARNs of a message's encrypted data keys, or None if it is not a message."""
    try:
        header = aws_encryption_sdk.read_unauthenticated_header(message)
    except AWSEncryptionSDKClientError:
        return None
    return [key.key_info.decode() for key in header.encrypted_data_keys if key.provider_id == "aws-kms"]


def _check_what_the_snippet_left(namespace: dict[str, Any], moto_arns: list[str], inputs: dict[Path, bytes]) -> None:
    for value in namespace.values():
        if isinstance(value, StrictAwsKmsMasterKeyProvider):
            assert list(value.config.key_ids) == moto_arns
        if isinstance(value, bytes) and moto_arns:
            key_infos = _kms_key_infos(value)
            assert key_infos is None or key_infos == moto_arns
    if not inputs:
        return
    for path, content in inputs.items():
        assert path.read_bytes() == content, f"{path.name} was modified"
    outputs = {path: path.read_bytes() for path in Path.cwd().iterdir() if path not in inputs}
    for content in inputs.values():
        assert content in outputs.values(), "no output file reproduces the input file"
        assert any(_kms_key_infos(output) == moto_arns for output in outputs.values()), "no encrypted output file"


@pytest.mark.usefixtures("moto_kms")
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[snippet.test_id for snippet in SNIPPETS])
def test_readme_snippet_runs_as_written(snippet: Snippet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, mapping = substitute_key_arns(snippet.source, _create_moto_key)
    restored = source
    for readme_arn, moto_arn in mapping.items():
        restored = restored.replace(moto_arn, readme_arn)
    assert restored == snippet.source, "the ARN substitution changed more than the ARNs"

    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    inputs = {workdir / name: os.urandom(_INPUT_FILE_SIZE) for name in input_files(source)}
    for path, content in inputs.items():
        path.write_bytes(content)

    namespace: dict[str, Any] = {"__name__": "readme_snippet"}
    exec(compile(source, f"README.rst:{snippet.line}", "exec"), namespace)

    _check_what_the_snippet_left(namespace, list(mapping.values()), inputs)
