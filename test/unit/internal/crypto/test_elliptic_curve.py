"""Unit tests for aws_encryption_sdk.internal.crypto.elliptic_curve."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature, encode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import NotSupportedError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto.elliptic_curve import (
    _ECC_CURVE_PARAMETERS,
    _ecc_decode_compressed_point,
    _ecc_encode_compressed_point,
    _ecc_public_numbers_from_compressed_point,
    _ecc_static_length_signature,
    generate_ecc_signing_key,
)

SIGNING_SUITES = [suite for suite in AlgorithmSuite if suite.is_signing()]
NON_SIGNING_SUITES = [suite for suite in AlgorithmSuite if not suite.is_signing()]
CURVES: list[type[ec.EllipticCurve]] = [ec.SECP256R1, ec.SECP384R1, ec.SECP521R1]
P256_ORDER = _ECC_CURVE_PARAMETERS["secp256r1"].order
P384_ORDER = _ECC_CURVE_PARAMETERS["secp384r1"].order
P521_ORDER = _ECC_CURVE_PARAMETERS["secp521r1"].order  # 521 bits: not a whole number of bytes


@pytest.mark.parametrize("algorithm", SIGNING_SUITES, ids=lambda suite: suite.name)
def test_generate_ecc_signing_key_uses_the_suite_curve(algorithm: AlgorithmSuite) -> None:
    key = generate_ecc_signing_key(algorithm)

    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert algorithm.signing_algorithm_info is not None
    assert isinstance(key.curve, algorithm.signing_algorithm_info)


def test_generate_ecc_signing_key_returns_a_fresh_key_each_call() -> None:
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384

    assert generate_ecc_signing_key(suite).private_numbers() != generate_ecc_signing_key(suite).private_numbers()


@pytest.mark.parametrize("algorithm", NON_SIGNING_SUITES, ids=lambda suite: suite.name)
def test_generate_ecc_signing_key_refuses_non_signing_suite(algorithm: AlgorithmSuite) -> None:
    with pytest.raises(NotSupportedError, match="Unsupported signing algorithm info"):
        generate_ecc_signing_key(algorithm)


@pytest.mark.parametrize("curve", CURVES, ids=lambda curve: curve.name)
def test_curve_parameters_describe_the_curve_cryptography_uses(curve: type[ec.EllipticCurve]) -> None:
    parameters = _ECC_CURVE_PARAMETERS[curve().name]
    key = ec.generate_private_key(curve())
    numbers = key.public_key().public_numbers()
    digest = b"\x11" * 32
    signature_algorithm = ec.ECDSA(Prehashed(hashes.SHA256()))
    r, s = decode_dss_signature(key.sign(digest, signature_algorithm))

    assert (numbers.y**2 - numbers.x**3 - parameters.a * numbers.x - parameters.b) % parameters.p == 0
    assert parameters.p % 4 == 3
    # (r, order - s) verifies only if ``order`` is the true group order
    key.public_key().verify(encode_dss_signature(r, parameters.order - s), digest, signature_algorithm)


@pytest.mark.parametrize(("curve", "length"), [(ec.SECP256R1, 33), (ec.SECP384R1, 49), (ec.SECP521R1, 67)])
def test_compressed_point_is_parity_byte_and_padded_x(curve: type[ec.EllipticCurve], length: int) -> None:
    key = ec.generate_private_key(curve())
    numbers = key.public_key().public_numbers()

    point = _ecc_encode_compressed_point(key)

    assert len(point) == length
    assert point[0] == 2 + (numbers.y & 1)
    assert int.from_bytes(point[1:], "big") == numbers.x
    assert _ecc_encode_compressed_point(key.public_key()) == point


@settings(max_examples=60, deadline=None)
@given(
    curve_and_order=st.sampled_from(
        [(ec.SECP256R1, P256_ORDER), (ec.SECP384R1, P384_ORDER), (ec.SECP521R1, P521_ORDER)]
    ),
    data=st.data(),
)
def test_compressed_point_decodes_to_the_same_public_key(
    curve_and_order: tuple[type[ec.EllipticCurve], int], data: st.DataObject
) -> None:
    curve, order = curve_and_order
    scalar = data.draw(st.integers(min_value=1, max_value=order - 1))
    key = ec.derive_private_key(scalar, curve())
    numbers = key.public_key().public_numbers()
    point = _ecc_encode_compressed_point(key)

    assert _ecc_decode_compressed_point(curve(), point) == (numbers.x, numbers.y)
    assert _ecc_decode_compressed_point(curve, point) == (numbers.x, numbers.y)
    assert _ecc_public_numbers_from_compressed_point(curve(), point) == numbers


def _x_not_on_curve(curve: ec.EllipticCurve) -> bytes:
    """Return a compressed point whose x is in range but has no y on the curve."""
    for x in range(1, 100):
        candidate = b"\x02" + x.to_bytes((curve.key_size + 7) // 8, "big")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(curve, candidate)
        except ValueError:
            return candidate
    raise AssertionError("no invalid x below 100")  # pragma: no cover


@pytest.mark.parametrize(
    ("point", "message"),
    [
        (b"", "33 bytes, got 0"),
        (b"\x02" + b"\x01" * 31, "33 bytes, got 32"),
        (b"\x02" + b"\x01" * 33, "33 bytes, got 34"),
        (b"\x04" + b"\x01" * 32, "start with 0x02 or 0x03, got 0x04"),
        (b"\x00" * 33, "got 0x00"),
        (b"\x02" + b"\xff" * 32, "not a point on the curve"),
        (_x_not_on_curve(ec.SECP256R1()), "not a point on the curve"),
        (_ecc_encode_compressed_point(ec.generate_private_key(ec.SECP384R1())), "33 bytes, got 49"),
    ],
    ids=["empty", "short", "long", "uncompressed-prefix", "zero-prefix", "x-above-p", "x-off-curve", "p384-point"],
)
def test_decoder_rejects_malformed_points_with_serialization_error(point: bytes, message: str) -> None:
    with pytest.raises(SerializationError, match=message):
        _ecc_public_numbers_from_compressed_point(ec.SECP256R1(), point)


@pytest.mark.parametrize(
    ("algorithm", "curve"),
    [
        (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, ec.SECP256R1),
        (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, ec.SECP384R1),
    ],
)
def test_static_length_signature_has_suite_length_and_verifies(
    algorithm: AlgorithmSuite, curve: type[ec.EllipticCurve]
) -> None:
    key = ec.generate_private_key(curve())
    assert algorithm.signing_hash_type is not None
    hasher = hashes.Hash(algorithm.signing_hash_type())
    hasher.update(b"message")
    digest = hasher.finalize()

    for _ in range(20):
        signature = _ecc_static_length_signature(key, algorithm, digest)
        assert len(signature) == algorithm.signature_len
        key.public_key().verify(signature, digest, ec.ECDSA(Prehashed(algorithm.signing_hash_type())))


class _KeyWithAChosenFirstSignature:
    """A real P-384 key whose first signature is a chosen one (counts its signing calls)."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, first: bytes) -> None:
        self.curve = key.curve
        self._key = key
        self._first = first
        self.calls = 0

    def sign(self, data: bytes, signature_algorithm: ec.EllipticCurveSignatureAlgorithm) -> bytes:
        self.calls += 1
        return self._first if self.calls == 1 else self._key.sign(data, signature_algorithm)


def test_static_length_signature_of_the_wrong_length_is_mirrored_before_signing_again() -> None:
    algorithm = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    key = ec.generate_private_key(ec.SECP384R1())
    digest = b"\x07" * 48
    ecdsa = ec.ECDSA(Prehashed(hashes.SHA384()))
    for _ in range(200):  # about half of all P-384 signatures have the wrong length; nearly all mirror to the right one
        wrong = key.sign(digest, ecdsa)
        r, s = decode_dss_signature(wrong)
        mirrored = encode_dss_signature(r, P384_ORDER - s)
        if len(wrong) != algorithm.signature_len == len(mirrored):
            break
    else:
        pytest.fail("no wrong-length signature found")
    signer = _KeyWithAChosenFirstSignature(key, wrong)

    signature = _ecc_static_length_signature(signer, algorithm, digest)  # type: ignore[arg-type]

    assert (signature, signer.calls) == (mirrored, 1)
    key.public_key().verify(signature, digest, ecdsa)


def test_static_length_signature_gives_up_when_key_does_not_match_suite() -> None:
    key = ec.generate_private_key(ec.SECP256R1())

    with pytest.raises(NotSupportedError, match="103-byte signature"):
        _ecc_static_length_signature(key, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, b"\x00" * 48)


def test_static_length_signature_refuses_non_signing_suite() -> None:
    key = ec.generate_private_key(ec.SECP256R1())

    with pytest.raises(NotSupportedError, match="Unsupported signing algorithm info"):
        _ecc_static_length_signature(key, AlgorithmSuite.AES_128_GCM_IV12_TAG16, b"\x00" * 32)
