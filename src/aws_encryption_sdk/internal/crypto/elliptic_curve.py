"""Elliptic curve helpers for message signatures.

Signed algorithm suites publish the signer's public key in the encryption context as a SEC1
compressed point and write fixed-length DER ECDSA signatures in the message footer. This module
holds the curve arithmetic both sides need: key generation, compressed point encoding and a
validating decoder, and the fixed-length signing loop.
"""

from __future__ import annotations

from typing import NamedTuple

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)

from aws_encryption_sdk.exceptions import NotSupportedError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._types import BytesLike

__all__ = ["generate_ecc_signing_key"]

#: Upper bound on signing attempts in :func:`_ecc_static_length_signature`. Each attempt succeeds
#: with probability of about one half, so reaching this bound means the key and the suite disagree.
_MAX_SIGNING_ATTEMPTS = 256

_SEC1_COMPRESSED_PREFIXES = (0x02, 0x03)

CurveLike = ec.EllipticCurve | type[ec.EllipticCurve]
EccKey = ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey


class _ECCCurveParameters(NamedTuple):
    """Domain parameters of a short Weierstrass curve ``y^2 = x^3 + a*x + b (mod p)`` of order ``order``."""

    p: int
    a: int
    b: int
    order: int


_P256_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_P384_P = 2**384 - 2**128 - 2**96 + 2**32 - 1
_P521_P = 2**521 - 1

#: Domain parameters (SEC 2 / FIPS 186-4) of the curves the SDK can sign with, by curve name.
_ECC_CURVE_PARAMETERS: dict[str, _ECCCurveParameters] = {
    "secp256r1": _ECCCurveParameters(
        p=_P256_P,
        a=_P256_P - 3,
        b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        order=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    ),
    "secp384r1": _ECCCurveParameters(
        p=_P384_P,
        a=_P384_P - 3,
        b=int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF",
            16,
        ),
        order=int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
            16,
        ),
    ),
    "secp521r1": _ECCCurveParameters(
        p=_P521_P,
        a=_P521_P - 3,
        b=int(
            "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
            "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
            16,
        ),
        order=int(
            "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
            16,
        ),
    ),
}


def _curve_instance(curve: CurveLike) -> ec.EllipticCurve:
    """Return an instance of ``curve``, which may be given as a curve class or instance."""
    if isinstance(curve, type):
        return curve()
    return curve


def _curve_parameters(curve: ec.EllipticCurve) -> _ECCCurveParameters:
    """Look up the domain parameters of ``curve``.

    :raises NotSupportedError: when the curve is not one the SDK knows
    """
    try:
        return _ECC_CURVE_PARAMETERS[curve.name]
    except KeyError:
        raise NotSupportedError(f"Unsupported elliptic curve: {curve.name}") from None


def _field_length(curve: ec.EllipticCurve) -> int:
    """Length in bytes of a field element (an x coordinate) of ``curve``."""
    return (curve.key_size + 7) // 8


def _signing_curve(algorithm: AlgorithmSuite) -> type[ec.EllipticCurve]:
    """Return the curve class ``algorithm`` signs with.

    :raises NotSupportedError: when the suite does not sign
    """
    curve = algorithm.signing_algorithm_info
    if curve is None or not (isinstance(curve, type) and issubclass(curve, ec.EllipticCurve)):
        raise NotSupportedError("Unsupported signing algorithm info")
    return curve


def generate_ecc_signing_key(algorithm: AlgorithmSuite) -> ec.EllipticCurvePrivateKey:
    """Generate a fresh ECDSA private key on the curve of a signing algorithm suite.

    :param algorithm: a signing algorithm suite
    :returns: a new private key
    :raises NotSupportedError: when the suite does not sign
    """
    return ec.generate_private_key(_signing_curve(algorithm)())


def _ecc_encode_compressed_point(private_key: EccKey) -> bytes:
    """Encode the public point of an EC key in SEC1 compressed form.

    The result is one parity byte (``0x02`` for even y, ``0x03`` for odd y) followed by x, big-endian,
    left-padded to the field size: 33 bytes on P-256, 49 on P-384.

    :param private_key: the private key (or its public half) to encode
    :returns: the compressed point
    """
    public_key = private_key.public_key() if isinstance(private_key, ec.EllipticCurvePrivateKey) else private_key
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def _ecc_public_key_from_compressed_point(curve: CurveLike, compressed_point: BytesLike) -> ec.EllipticCurvePublicKey:
    """Decode and validate a SEC1 compressed point on ``curve``.

    :param curve: the curve the point must lie on
    :param compressed_point: parity byte followed by the x coordinate
    :returns: the public key at that point
    :raises SerializationError: when the bytes are empty, have the wrong length or prefix, or do not
        name a point on the curve
    """
    curve_instance = _curve_instance(curve)
    point = bytes(compressed_point)
    expected_length = 1 + _field_length(curve_instance)
    if len(point) != expected_length:
        raise SerializationError(
            f"Compressed {curve_instance.name} public key must be {expected_length} bytes, got {len(point)} bytes"
        )
    if point[0] not in _SEC1_COMPRESSED_PREFIXES:
        raise SerializationError(
            f"Compressed {curve_instance.name} public key must start with 0x02 or 0x03, got 0x{point[0]:02x}"
        )
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve_instance, point)
    except ValueError as error:
        raise SerializationError(f"Compressed {curve_instance.name} public key is not a point on the curve") from error


def _ecc_public_numbers_from_compressed_point(
    curve: CurveLike, compressed_point: BytesLike
) -> ec.EllipticCurvePublicNumbers:
    """Decode and validate a SEC1 compressed point, returning its public numbers.

    :param curve: the curve the point must lie on
    :param compressed_point: parity byte followed by the x coordinate
    :returns: the public numbers (x, y and curve) of the point
    :raises SerializationError: when the point is malformed or not on the curve
    """
    return _ecc_public_key_from_compressed_point(curve, compressed_point).public_numbers()


def _ecc_decode_compressed_point(curve: CurveLike, compressed_point: BytesLike) -> tuple[int, int]:
    """Decode and validate a SEC1 compressed point, returning its affine coordinates.

    :param curve: the curve the point must lie on
    :param compressed_point: parity byte followed by the x coordinate
    :returns: ``(x, y)``
    :raises SerializationError: when the point is malformed or not on the curve
    """
    numbers = _ecc_public_numbers_from_compressed_point(curve, compressed_point)
    return numbers.x, numbers.y


def _ecc_static_length_signature(key: ec.EllipticCurvePrivateKey, algorithm: AlgorithmSuite, digest: bytes) -> bytes:
    """Sign a prehashed digest, producing a DER signature of exactly ``algorithm.signature_len`` bytes.

    ECDSA signatures vary in DER length with the sizes of r and s. Because ``(r, order - s)`` is as
    valid as ``(r, s)``, a signature of the wrong length is first mirrored, and if that does not help
    the digest is signed again with a fresh nonce.

    :param key: the signing key, on the suite's curve
    :param algorithm: the signing suite (gives the hash and the target length)
    :param digest: the message digest computed with the suite's hash
    :returns: the DER-encoded signature
    :raises NotSupportedError: when the suite does not sign, or when no signature of the target length
        was found (the key is not on the suite's curve)
    """
    _signing_curve(algorithm)
    hash_type = algorithm.signing_hash_type
    if hash_type is None:
        raise NotSupportedError("Unsupported signing algorithm info")
    signature_algorithm = ec.ECDSA(Prehashed(hash_type()))
    order = _curve_parameters(key.curve).order
    target = algorithm.signature_len
    for _ in range(_MAX_SIGNING_ATTEMPTS):
        signature = key.sign(digest, signature_algorithm)
        if len(signature) == target:
            return signature
        r, s = decode_dss_signature(signature)
        signature = encode_dss_signature(r, order - s)
        if len(signature) == target:
            return signature
    raise NotSupportedError(
        f"Could not produce a {target}-byte signature with a {key.curve.name} key in "
        f"{_MAX_SIGNING_ATTEMPTS} attempts; the key does not match algorithm suite {algorithm.name}"
    )
