"""ARN parsing: every reason of the spec's table (section 8 of keys-and-providers), in its order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import MalformedArnError
from aws_encryption_sdk.internal.arn import Arn, arn_from_str, is_valid_mrk_arn_str, is_valid_mrk_identifier

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    ("arn_str", "reason"),
    [
        ("not-an-arn", "Missing 'arn' string"),
        ("ARN:aws:kms:us-east-1:123456789012:key/k", "Missing 'arn' string"),
        ("arn", "list index out of range"),
        ("arn::kms:us-east-1:123456789012:key/k", "Missing partition"),
        ("arn::kms", "Missing partition"),  # the partition is checked before any later part is read
        ("arn:aws:kms:us-east-1", "list index out of range"),  # no account part
        ("arn:aws:kms:us-east-1::key/k", "Missing account"),
        ("arn:aws:kms::123456789012:key/k", "Missing region"),
        ("arn:aws:s3:us-east-1:123456789012:key/k", "Unknown service"),
        ("arn:aws:s3:us-east-1:123456789012", "Unknown service"),  # before the missing resource
        ("arn:aws:kms:us-east-1:123456789012", "list index out of range"),
        ("arn:aws:kms:us-east-1:123456789012:", "Missing resource"),
        ("arn:aws:kms:us-east-1:123456789012:key", "list index out of range"),
        ("arn:aws:kms:us-east-1:123456789012:grant/k", "Unknown resource type"),
        ("arn:aws:kms:us-east-1:123456789012:key/", "Missing resource id"),
    ],
)
def test_each_malformed_arn_names_the_first_failed_check(arn_str: str, reason: str) -> None:
    with pytest.raises(MalformedArnError) as raised:
        arn_from_str(arn_str)

    assert str(raised.value) == f"Resource {arn_str} could not be parsed as an ARN: {reason}"


def test_a_key_arn_parses_into_its_parts_and_back() -> None:
    arn = arn_from_str(KEY_ARN)

    assert arn == Arn("aws", "kms", "us-east-1", "123456789012", "key", "1234abcd-12ab-34cd-56ef-1234567890ab")
    assert arn.to_string() == KEY_ARN


def test_the_resource_id_keeps_further_colons_and_slashes() -> None:
    arn = arn_from_str("arn:aws:kms:us-east-1:123456789012:alias/a/b:c")

    assert (arn.resource_type, arn.resource_id) == ("alias", "a/b:c")


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("arn:aws:kms:us-east-1:123456789012:key/mrk-1234", True),
        ("arn:aws:kms:us-east-1:123456789012:key/1234", False),
        ("arn:aws:kms:us-east-1:123456789012:alias/mrk-1234", False),
        ("mrk-1234", True),
        ("alias/mrk-1234", False),
        ("1234", False),
    ],
)
def test_mrk_identifiers(identifier: str, expected: bool) -> None:
    assert is_valid_mrk_identifier(identifier) is expected


def test_an_mrk_identifier_starting_with_arn_must_parse() -> None:
    with pytest.raises(MalformedArnError, match="Missing region"):
        is_valid_mrk_identifier("arn:aws:kms::123456789012:key/mrk-1")
    with pytest.raises(MalformedArnError, match="Missing 'arn' string"):
        is_valid_mrk_arn_str("mrk-1")


@given(st.text())
def test_any_text_parses_or_raises_malformed_arn(text: str) -> None:
    try:
        arn = arn_from_str(text)
    except MalformedArnError as error:
        assert str(error).startswith(f"Resource {text} could not be parsed as an ARN: ")
    else:
        assert arn.to_string() == text
