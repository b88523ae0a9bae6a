"""Unit tests for aws_encryption_sdk.internal.crypto.iv."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto.iv import frame_iv, header_auth_iv, non_framed_body_iv

ALL_SUITES = list(AlgorithmSuite)
MAX_SEQUENCE_NUMBER = 2**32 - 1


@pytest.mark.parametrize("algorithm", ALL_SUITES, ids=lambda suite: suite.name)
def test_frame_iv_of_first_frame_is_eleven_zero_bytes_and_one(algorithm: AlgorithmSuite) -> None:
    assert frame_iv(algorithm, 1) == bytes.fromhex("000000000000000000000001")


def test_frame_iv_of_last_possible_frame_ends_in_ffffffff() -> None:
    iv = frame_iv(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, MAX_SEQUENCE_NUMBER)

    assert iv == bytes.fromhex("0000000000000000ffffffff")


@pytest.mark.parametrize("sequence_number", [0, -1, MAX_SEQUENCE_NUMBER + 1, 2**64])
def test_frame_iv_rejects_sequence_number_outside_one_to_two_to_the_32_minus_one(sequence_number: int) -> None:
    with pytest.raises(ActionNotAllowedError, match=str(sequence_number)):
        frame_iv(AlgorithmSuite.AES_128_GCM_IV12_TAG16, sequence_number)


@settings(max_examples=100, deadline=None)
@given(
    algorithm=st.sampled_from(ALL_SUITES),
    sequence_number=st.integers(min_value=1, max_value=MAX_SEQUENCE_NUMBER),
)
def test_frame_iv_is_zero_prefix_and_big_endian_sequence_number(
    algorithm: AlgorithmSuite, sequence_number: int
) -> None:
    iv = frame_iv(algorithm, sequence_number)

    assert len(iv) == algorithm.iv_len == 12
    assert iv[:8] == b"\x00" * 8
    assert int.from_bytes(iv[8:], "big") == sequence_number


@pytest.mark.parametrize("algorithm", ALL_SUITES, ids=lambda suite: suite.name)
def test_non_framed_body_iv_equals_iv_of_sequence_number_one(algorithm: AlgorithmSuite) -> None:
    assert non_framed_body_iv(algorithm) == frame_iv(algorithm, 1) == bytes.fromhex("000000000000000000000001")


@pytest.mark.parametrize("algorithm", ALL_SUITES, ids=lambda suite: suite.name)
def test_header_auth_iv_is_twelve_zero_bytes(algorithm: AlgorithmSuite) -> None:
    assert header_auth_iv(algorithm) == b"\x00" * 12 == algorithm.header_auth_iv
