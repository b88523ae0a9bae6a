"""ECDSA message signatures: the :class:`Signer` and :class:`Verifier` of signed algorithm suites.

Both feed the message bytes into a running hash of the suite (SHA-256 on P-256, SHA-384 on P-384)
and sign or verify the final digest. The signer always produces a DER signature of exactly
``algorithm.signature_len`` bytes; the verifier accepts any valid DER signature.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import (
    InvalidSignature,
    UnsupportedAlgorithm,
)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    NotSupportedError,
    SerializationError,
    SignatureVerificationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._types import BytesLike
from aws_encryption_sdk.internal.crypto._message_digest import MessageDigest
from aws_encryption_sdk.internal.crypto.elliptic_curve import (
    _ecc_encode_compressed_point,
    _ecc_public_key_from_compressed_point,
    _ecc_static_length_signature,
    _signing_curve,
)

__all__ = ["Signer", "Verifier"]


def _signing_hash(algorithm: AlgorithmSuite) -> type[hashes.HashAlgorithm]:
    """Return the hash class a signing suite uses.

    :raises NotSupportedError: when the suite does not sign
    """
    _signing_curve(algorithm)
    hash_type = algorithm.signing_hash_type
    if hash_type is None:
        raise NotSupportedError("Unsupported signing algorithm info")
    return hash_type


def _curve_mismatch(algorithm: AlgorithmSuite, key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> str:
    """Describe a key that is not on the suite's curve, or return an empty string when it is."""
    expected = _signing_curve(algorithm)().name
    if key.curve.name == expected:
        return ""
    return f"Algorithm suite {algorithm.name} signs on {expected}, but the key is on {key.curve.name}"


class _PrehashingAuthenticator:
    """Shared state of signer and verifier: the suite, the key and the running message hash.

    :param algorithm: a signing algorithm suite
    :param key: the EC key, of the subclass's ``_key_type``
    :raises NotSupportedError: when the suite does not sign or the key is not on its curve
    :raises TypeError: when ``key`` is not of the subclass's ``_key_type``
    """

    _key_type: type[ec.EllipticCurvePrivateKey] | type[ec.EllipticCurvePublicKey]

    def __init__(self, algorithm: AlgorithmSuite, key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> None:
        self.algorithm = algorithm
        hash_type = _signing_hash(algorithm)
        if not isinstance(key, self._key_type):
            raise TypeError(f"{type(self).__name__} needs an {self._key_type.__name__}, not {type(key).__name__}")
        mismatch = _curve_mismatch(algorithm, key)
        if mismatch:
            raise NotSupportedError(mismatch)
        self._signature_type = ec.ECDSA(Prehashed(hash_type()))
        self._hasher = MessageDigest(hash_type().name)
        self._finished = False

    def update(self, data: BytesLike) -> None:
        """Add message bytes to the running hash.

        :param data: the next message bytes
        :raises ActionNotAllowedError: when called after the signature was produced or checked
        """
        if self._finished:
            raise ActionNotAllowedError(f"{type(self).__name__}.update() called after the digest was final")
        self._hasher.update(data)

    def _digest(self) -> bytes:
        """Finish the running hash.

        :raises ActionNotAllowedError: when the hash was already finished
        """
        if self._finished:
            raise ActionNotAllowedError(f"{type(self).__name__} can produce or check only one signature")
        self._finished = True
        return self._hasher.digest()


class Signer(_PrehashingAuthenticator):
    """Signs a message with ECDSA on the suite's curve.

    :param algorithm: a signing algorithm suite
    :param key: the private key, on the suite's curve
    :raises NotSupportedError: when the suite does not sign or the key is not on its curve
    :raises TypeError: when ``key`` is not an EC private key
    """

    key: ec.EllipticCurvePrivateKey
    _key_type = ec.EllipticCurvePrivateKey

    def __init__(self, algorithm: AlgorithmSuite, key: ec.EllipticCurvePrivateKey) -> None:
        super().__init__(algorithm, key)
        self.key = key

    @classmethod
    def from_key_bytes(
        cls,
        algorithm: AlgorithmSuite,
        key_bytes: bytes,
        encoding: serialization.Encoding = serialization.Encoding.DER,
    ) -> Signer:
        """Build a signer from a serialized PKCS#8 private key.

        :param algorithm: a signing algorithm suite
        :param key_bytes: the unencrypted private key, DER or PEM PKCS#8
        :param encoding: ``Encoding.DER`` (default) or ``Encoding.PEM``
        :returns: the signer
        :raises ValueError: when the encoding is neither DER nor PEM
        :raises SerializationError: when the bytes are not an EC private key on the suite's curve
        :raises NotSupportedError: when the suite does not sign
        """
        if encoding == serialization.Encoding.DER:
            label, loader = "DER", serialization.load_der_private_key
        elif encoding == serialization.Encoding.PEM:
            label, loader = "PEM", serialization.load_pem_private_key
        else:
            raise ValueError(f"Unsupported signing key encoding {encoding!r}; use Encoding.DER or Encoding.PEM")
        _signing_curve(algorithm)
        try:
            key = loader(key_bytes, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            raise SerializationError(f"Signing key is not a valid unencrypted {label} PKCS#8 private key") from error
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise SerializationError(f"Signing key must be an elliptic curve private key, got {type(key).__name__}")
        mismatch = _curve_mismatch(algorithm, key)
        if mismatch:
            raise SerializationError(mismatch)
        return cls(algorithm, key)

    def key_bytes(self) -> bytes:
        """Serialize the private key.

        :returns: the key as unencrypted DER PKCS#8
        """
        return self.key.private_bytes(
            encoding=serialization.Encoding.DER,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )

    def encoded_public_key(self) -> bytes:
        """Encode the public key for the encryption context.

        :returns: standard base64 of the SEC1 compressed public point
        """
        return base64.b64encode(_ecc_encode_compressed_point(self.key))

    def finalize(self) -> bytes:
        """Sign the hashed message.

        :returns: a DER ECDSA signature of exactly ``algorithm.signature_len`` bytes
        :raises ActionNotAllowedError: when called twice
        """
        return _ecc_static_length_signature(self.key, self.algorithm, self._digest())


class Verifier(_PrehashingAuthenticator):
    """Verifies a message signature with ECDSA on the suite's curve.

    :param algorithm: a signing algorithm suite
    :param key: the public key, on the suite's curve
    :raises NotSupportedError: when the suite does not sign or the key is not on its curve
    :raises TypeError: when ``key`` is not an EC public key
    """

    key: ec.EllipticCurvePublicKey
    _key_type = ec.EllipticCurvePublicKey

    def __init__(self, algorithm: AlgorithmSuite, key: ec.EllipticCurvePublicKey) -> None:
        super().__init__(algorithm, key)
        self.key = key

    @classmethod
    def from_encoded_point(cls, algorithm: AlgorithmSuite, encoded_point: BytesLike | str) -> Verifier:
        """Build a verifier from the public key stored in an encryption context.

        :param algorithm: a signing algorithm suite
        :param encoded_point: standard base64 of the SEC1 compressed public point
        :returns: the verifier
        :raises SerializationError: when the value is not base64 or not a valid compressed point on
            the suite's curve
        :raises NotSupportedError: when the suite does not sign
        """
        curve = _signing_curve(algorithm)
        try:
            point = base64.b64decode(encoded_point, validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise SerializationError("Signature public key in the encryption context is not valid base64") from error
        if not point:
            raise SerializationError("Signature public key in the encryption context is empty")
        return cls(algorithm, _ecc_public_key_from_compressed_point(curve, point))

    @classmethod
    def from_key_bytes(cls, algorithm: AlgorithmSuite, key_bytes: bytes) -> Verifier:
        """Build a verifier from a serialized public key.

        :param algorithm: a signing algorithm suite
        :param key_bytes: the public key as DER SubjectPublicKeyInfo
        :returns: the verifier
        :raises SerializationError: when the bytes are not an EC public key on the suite's curve
        :raises NotSupportedError: when the suite does not sign
        """
        _signing_curve(algorithm)
        try:
            key = serialization.load_der_public_key(key_bytes)
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            raise SerializationError("Verification key is not a valid DER SubjectPublicKeyInfo public key") from error
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise SerializationError(f"Verification key must be an elliptic curve public key, got {type(key).__name__}")
        mismatch = _curve_mismatch(algorithm, key)
        if mismatch:
            raise SerializationError(mismatch)
        return cls(algorithm, key)

    def key_bytes(self) -> bytes:
        """Serialize the public key.

        :returns: the key as DER SubjectPublicKeyInfo
        """
        return self.key.public_bytes(
            encoding=serialization.Encoding.DER,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )

    def verify(self, signature: BytesLike) -> None:
        """Check a signature over the hashed message.

        Any valid DER signature is accepted, whatever its length.

        :param signature: the DER ECDSA signature from the message footer
        :raises SignatureVerificationError: when the signature does not verify
        :raises ActionNotAllowedError: when called twice
        """
        digest = self._digest()
        try:
            self.key.verify(bytes(signature), digest, self._signature_type)
        except InvalidSignature as error:
            raise SignatureVerificationError(
                "Message signature verification failed: the message was altered or truncated, "
                "or it was signed with a different key"
            ) from error
