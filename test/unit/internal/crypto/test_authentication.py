"""Unit tests for aws_encryption_sdk.internal.crypto.authentication (Signer and Verifier)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    NotSupportedError,
    SerializationError,
    SignatureVerificationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto.authentication import Signer, Verifier

P256_SUITE = AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256
P384_SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
SIGNING_SUITES = [suite for suite in AlgorithmSuite if suite.is_signing()]
NON_SIGNING_SUITES = [suite for suite in AlgorithmSuite if not suite.is_signing()]
CURVE_OF = {P256_SUITE: ec.SECP256R1, P384_SUITE: ec.SECP384R1}

# Examples E and F: signing scalars and the public keys stored in their encryption contexts.
EXAMPLE_SIGNERS = {
    "E": (
        P384_SUITE,
        0x1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF,
        b"Ag4qbeydK2YGj0TWYjAxZGj4eQYrAGL25kyBJj7vJ8gJgMK53dBDTAK9WjdZsGmSDw==",
    ),
    "F": (
        P256_SUITE,
        0x1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF12345678,
        b"AorBiCNzDLdiEeAHAGyYmlTlrYjd9SDAWv2SMsh8Pixe",
    ),
}


def _split_footer(example: Any) -> tuple[bytes, bytes]:
    """Return (signed bytes, DER signature) of a signed example, checking the footer's length field."""
    data = example.data
    footer = data[example.footer_start :]
    length = int.from_bytes(footer[:2], "big")
    assert length == len(footer) - 2
    return data[: example.footer_start], footer[2:]


@pytest.mark.parametrize("name", ["E", "F"])
def test_example_public_key_is_compressed_point_of_signing_scalar(name: str) -> None:
    suite, scalar, encoded = EXAMPLE_SIGNERS[name]
    key = ec.derive_private_key(scalar, CURVE_OF[suite]())

    assert Signer(suite, key).encoded_public_key() == encoded


@pytest.mark.parametrize("name", ["E", "F"])
def test_example_footer_signature_verifies_over_message_bytes(examples: dict[str, Any], name: str) -> None:
    suite, _, encoded = EXAMPLE_SIGNERS[name]
    signed, signature = _split_footer(examples[name])
    assert encoded in signed  # the public key comes from the example's own context
    verifier = Verifier.from_encoded_point(suite, encoded.decode("ascii"))

    verifier.update(signed[:100])
    verifier.update(signed[100:])
    verifier.verify(signature)

    assert len(signature) == suite.signature_len


@pytest.mark.parametrize("name", ["E", "F"])
@pytest.mark.parametrize("tamper", ["message", "signature"])
def test_tampered_example_fails_with_sdk_error_that_is_also_invalid_signature(
    examples: dict[str, Any], name: str, tamper: str
) -> None:
    suite, _, encoded = EXAMPLE_SIGNERS[name]
    signed, signature = _split_footer(examples[name])
    if tamper == "message":
        signed = signed[:50] + bytes([signed[50] ^ 0x01]) + signed[51:]
    else:
        signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
    verifier = Verifier.from_encoded_point(suite, encoded)
    verifier.update(signed)

    with pytest.raises(SignatureVerificationError, match="signature verification failed") as failure:
        verifier.verify(signature)

    assert isinstance(failure.value, InvalidSignature)
    assert isinstance(failure.value, SerializationError)


@pytest.mark.parametrize(("algorithm", "length"), [(P256_SUITE, 71), (P384_SUITE, 103)], ids=["P-256", "P-384"])
def test_two_hundred_signatures_all_have_fixed_length_and_verify(algorithm: AlgorithmSuite, length: int) -> None:
    key = ec.generate_private_key(CURVE_OF[algorithm]())
    encoded = Signer(algorithm, key).encoded_public_key()
    assert algorithm.signing_hash_type is not None
    plain_ecdsa = ec.ECDSA(algorithm.signing_hash_type())
    r_padded = s_padded = 0

    for index in range(200):
        message = b"message number %d" % index
        signer = Signer(algorithm, key)
        signer.update(message)
        signature = signer.finalize()

        assert len(signature) == length
        verifier = Verifier.from_encoded_point(algorithm, encoded)
        verifier.update(message)
        verifier.verify(signature)
        key.public_key().verify(signature, message, plain_ecdsa)
        # byte 3 is the length of r: one more than the field size when r carries a sign-pad byte
        if signature[3] == (length - 7) // 2 + 1:
            r_padded += 1
        else:
            s_padded += 1

    assert r_padded > 0
    assert s_padded > 0


def test_verifier_accepts_valid_signature_of_any_der_length() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    hasher = hashes.Hash(hashes.SHA256())
    hasher.update(b"payload")
    digest = hasher.finalize()
    signature = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    while len(signature) == 71:
        signature = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    verifier = Verifier(P256_SUITE, key.public_key())
    verifier.update(b"payload")

    verifier.verify(signature)


@pytest.mark.parametrize("signature", [b"", b"\x30\x00", b"not a DER signature at all"])
def test_verifier_rejects_non_der_signature(signature: bytes) -> None:
    verifier = Verifier(P256_SUITE, ec.generate_private_key(ec.SECP256R1()).public_key())
    verifier.update(b"payload")

    with pytest.raises(SignatureVerificationError):
        verifier.verify(signature)


@pytest.mark.parametrize("algorithm", [P256_SUITE, P384_SUITE], ids=["P-256", "P-384"])
@pytest.mark.parametrize("encoding", [serialization.Encoding.DER, serialization.Encoding.PEM], ids=["DER", "PEM"])
def test_signer_from_key_bytes_loads_pkcs8_and_key_bytes_is_der_pkcs8(
    algorithm: AlgorithmSuite, encoding: serialization.Encoding
) -> None:
    key = ec.generate_private_key(CURVE_OF[algorithm]())
    serialized = key.private_bytes(encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    signer = Signer.from_key_bytes(algorithm, serialized, encoding)

    assert signer.algorithm is algorithm
    assert signer.key.private_numbers() == key.private_numbers()
    assert signer.key_bytes() == key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_signer_from_key_bytes_defaults_to_der() -> None:
    signer = Signer(P384_SUITE, ec.generate_private_key(ec.SECP384R1()))

    assert Signer.from_key_bytes(P384_SUITE, signer.key_bytes()).key_bytes() == signer.key_bytes()


@pytest.mark.parametrize(
    "encoding", [serialization.Encoding.X962, serialization.Encoding.Raw, serialization.Encoding.OpenSSH]
)
def test_signer_from_key_bytes_rejects_other_encodings_with_value_error(encoding: serialization.Encoding) -> None:
    signer = Signer(P256_SUITE, ec.generate_private_key(ec.SECP256R1()))

    with pytest.raises(ValueError, match=r"use Encoding\.DER or Encoding\.PEM"):
        Signer.from_key_bytes(P256_SUITE, signer.key_bytes(), encoding)


def test_signer_from_key_bytes_rejects_unusable_keys_with_serialization_error() -> None:
    p256 = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pkcs8 = serialization.PrivateFormat.PKCS8

    with pytest.raises(SerializationError, match="not a valid unencrypted DER"):
        Signer.from_key_bytes(P256_SUITE, b"garbage")
    with pytest.raises(SerializationError, match="not a valid unencrypted PEM"):
        Signer.from_key_bytes(P256_SUITE, b"garbage", serialization.Encoding.PEM)
    with pytest.raises(SerializationError, match="not a valid unencrypted"):
        encrypted = p256.private_bytes(
            serialization.Encoding.DER, pkcs8, serialization.BestAvailableEncryption(b"password")
        )
        Signer.from_key_bytes(P256_SUITE, encrypted)
    with pytest.raises(SerializationError, match="elliptic curve private key"):
        Signer.from_key_bytes(
            P256_SUITE, rsa_key.private_bytes(serialization.Encoding.DER, pkcs8, serialization.NoEncryption())
        )
    with pytest.raises(SerializationError, match="signs on secp384r1, but the key is on secp256r1"):
        Signer.from_key_bytes(
            P384_SUITE, p256.private_bytes(serialization.Encoding.DER, pkcs8, serialization.NoEncryption())
        )


@pytest.mark.parametrize("algorithm", [P256_SUITE, P384_SUITE], ids=["P-256", "P-384"])
def test_verifier_from_key_bytes_loads_der_spki(algorithm: AlgorithmSuite) -> None:
    public_key = ec.generate_private_key(CURVE_OF[algorithm]()).public_key()
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    verifier = Verifier.from_key_bytes(algorithm, spki)

    assert verifier.key.public_numbers() == public_key.public_numbers()
    assert verifier.key_bytes() == spki


def test_verifier_from_key_bytes_rejects_unusable_keys_with_serialization_error() -> None:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    rsa_public = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    p384_public = ec.generate_private_key(ec.SECP384R1()).public_key()

    with pytest.raises(SerializationError, match="not a valid DER SubjectPublicKeyInfo"):
        Verifier.from_key_bytes(P256_SUITE, b"garbage")
    with pytest.raises(SerializationError, match="elliptic curve public key"):
        Verifier.from_key_bytes(P256_SUITE, rsa_public.public_bytes(serialization.Encoding.DER, spki))
    with pytest.raises(SerializationError, match="signs on secp256r1, but the key is on secp384r1"):
        Verifier.from_key_bytes(P256_SUITE, p384_public.public_bytes(serialization.Encoding.DER, spki))


def test_signer_public_key_round_trips_through_verifier_from_encoded_point() -> None:
    signer = Signer(P384_SUITE, ec.generate_private_key(ec.SECP384R1()))
    encoded = signer.encoded_public_key()

    from_bytes = Verifier.from_encoded_point(P384_SUITE, encoded)
    from_text = Verifier.from_encoded_point(P384_SUITE, encoded.decode("ascii"))

    assert len(encoded) == 68
    assert from_bytes.key.public_numbers() == signer.key.public_key().public_numbers()
    assert from_text.key_bytes() == from_bytes.key_bytes()


@pytest.mark.parametrize(
    ("encoded_point", "message"),
    [
        ("", "empty"),
        (b"", "empty"),
        ("not base64!", "not valid base64"),
        ("AorBiCNzDLdiEeAHAGyYmlTlrYjd9SDAWv2SMsh8Pix", "not valid base64"),
        ("Ao rBiCNzDLdiEeAHAGyYmlTlrYjd9SDAWv2SMsh8Pixe", "not valid base64"),
        ("é", "not valid base64"),
        (base64.b64encode(b"\x02" + b"\x01" * 31), "33 bytes, got 32"),
        (base64.b64encode(b"\x05" + b"\x01" * 32), "start with 0x02 or 0x03"),
        (base64.b64encode(b"\x03" + b"\xff" * 32), "not a point on the curve"),
        (
            base64.b64encode(
                ec.generate_private_key(ec.SECP256R1())
                .public_key()
                .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            ),
            "33 bytes, got 65",
        ),
    ],
    ids=[
        "empty-str",
        "empty-bytes",
        "bad-characters",
        "missing-padding",
        "embedded-space",
        "non-ascii",
        "short",
        "bad-prefix",
        "x-above-p",
        "uncompressed",
    ],
)
def test_from_encoded_point_rejects_malformed_value_with_serialization_error(
    encoded_point: str | bytes, message: str
) -> None:
    with pytest.raises(SerializationError, match=message):
        Verifier.from_encoded_point(P256_SUITE, encoded_point)


@settings(max_examples=200, deadline=None)
@given(
    algorithm=st.sampled_from([P256_SUITE, P384_SUITE]),
    encoded_point=st.one_of(
        st.text(max_size=80),
        st.binary(max_size=80),
        st.binary(min_size=32, max_size=50).map(base64.b64encode),
        st.tuples(st.sampled_from([b"\x02", b"\x03"]), st.binary(min_size=32, max_size=32)).map(
            lambda parts: base64.b64encode(parts[0] + parts[1])
        ),
    ),
)
def test_from_encoded_point_gives_verifier_or_serialization_error_only(
    algorithm: AlgorithmSuite, encoded_point: str | bytes
) -> None:
    try:
        verifier = Verifier.from_encoded_point(algorithm, encoded_point)
    except SerializationError:
        return
    compressed = verifier.key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    assert base64.b64decode(encoded_point) == compressed


@pytest.mark.parametrize("algorithm", NON_SIGNING_SUITES, ids=lambda suite: suite.name)
def test_non_signing_suite_is_refused_everywhere(algorithm: AlgorithmSuite) -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    signer = Signer(P256_SUITE, private_key)
    spki = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    for attempt in (
        lambda: Signer(algorithm, private_key),
        lambda: Signer.from_key_bytes(algorithm, signer.key_bytes()),
        lambda: Verifier(algorithm, private_key.public_key()),
        lambda: Verifier.from_encoded_point(algorithm, signer.encoded_public_key()),
        lambda: Verifier.from_key_bytes(algorithm, spki),
    ):
        with pytest.raises(NotSupportedError, match=r"^Unsupported signing algorithm info$"):
            attempt()


def test_constructors_check_key_kind_and_curve() -> None:
    p256 = ec.generate_private_key(ec.SECP256R1())

    with pytest.raises(TypeError, match="EllipticCurvePrivateKey"):
        Signer(P256_SUITE, p256.public_key())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="EllipticCurvePublicKey"):
        Verifier(P256_SUITE, p256)  # type: ignore[arg-type]
    with pytest.raises(NotSupportedError, match="signs on secp384r1, but the key is on secp256r1"):
        Signer(P384_SUITE, p256)
    with pytest.raises(NotSupportedError, match="signs on secp384r1, but the key is on secp256r1"):
        Verifier(P384_SUITE, p256.public_key())


@pytest.mark.parametrize("algorithm", SIGNING_SUITES, ids=lambda suite: suite.name)
def test_every_signing_suite_signs_and_verifies(algorithm: AlgorithmSuite) -> None:
    assert algorithm.signing_algorithm_info is not None
    signer = Signer(algorithm, ec.generate_private_key(algorithm.signing_algorithm_info()))
    signer.update(b"header")
    signer.update(b"body")
    signature = signer.finalize()
    verifier = Verifier.from_encoded_point(algorithm, signer.encoded_public_key())
    verifier.update(b"headerbody")

    verifier.verify(signature)

    assert len(signature) == algorithm.signature_len


def test_signer_and_verifier_refuse_use_after_the_digest_is_final() -> None:
    signer = Signer(P256_SUITE, ec.generate_private_key(ec.SECP256R1()))
    signature = signer.finalize()
    verifier = Verifier(P256_SUITE, signer.key.public_key())
    verifier.verify(signature)

    with pytest.raises(ActionNotAllowedError):
        signer.update(b"late")
    with pytest.raises(ActionNotAllowedError):
        signer.finalize()
    with pytest.raises(ActionNotAllowedError):
        verifier.update(b"late")
    with pytest.raises(ActionNotAllowedError):
        verifier.verify(signature)
