"""Identifiers and enumerations that describe AWS Encryption SDK messages and keys."""

from __future__ import annotations

import struct
from enum import Enum
from types import ModuleType
from typing import Any, ClassVar, Optional

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.kdf import hkdf

from aws_encryption_sdk.exceptions import InvalidAlgorithmError

__version__ = "4.1.0"
USER_AGENT_SUFFIX = f"AwsEncryptionSdkPython/{__version__}"

__all__ = [
    "AlgorithmSuite",
    "Algorithm",
    "AuthenticationSuite",
    "CommitmentPolicy",
    "ContentAADString",
    "ContentType",
    "EncryptionKeyType",
    "EncryptionSuite",
    "EncryptionType",
    "KDFSuite",
    "ObjectType",
    "SequenceIdentifier",
    "SerializationVersion",
    "WrappingAlgorithm",
    "USER_AGENT_SUFFIX",
    "__version__",
]


class EncryptionSuite(Enum):
    """Symmetric encryption algorithms: (algorithm, mode, key bytes, IV bytes, tag bytes)."""

    AES_128_GCM_IV12_TAG16 = (algorithms.AES, modes.GCM, 16, 12, 16)
    AES_192_GCM_IV12_TAG16 = (algorithms.AES, modes.GCM, 24, 12, 16)
    AES_256_GCM_IV12_TAG16 = (algorithms.AES, modes.GCM, 32, 12, 16)

    algorithm: type[algorithms.AES]
    mode: type[modes.GCM]
    data_key_length: int
    iv_length: int
    auth_length: int
    tag_len: int
    auth_key_length: int

    def __init__(
        self,
        algorithm: type[algorithms.AES],
        mode: type[modes.GCM],
        data_key_length: int,
        iv_length: int,
        auth_length: int,
        auth_key_length: int = 0,
    ) -> None:
        self.algorithm = algorithm
        self.mode = mode
        self.data_key_length = data_key_length
        self.iv_length = iv_length
        self.auth_length = self.tag_len = auth_length
        self.auth_key_length = auth_key_length

    def valid_kdf(self, kdf: KDFSuite) -> bool:
        """Say whether ``kdf`` can produce a key for this suite.

        :raises InvalidAlgorithmError: when the data key is longer than the KDF input
        """
        if self.data_key_length > kdf.input_length(self):
            raise InvalidAlgorithmError(
                f"Invalid Algorithm definition: data_key_len must not be greater than kdf_input_len "
                f"({self.data_key_length} > {kdf.input_length(self)})"
            )
        return True


class KDFSuite(Enum):
    """Key derivation functions: (algorithm, input length, hash)."""

    NONE = (None, None, None)
    HKDF_SHA256 = (hkdf.HKDF, None, hashes.SHA256)
    HKDF_SHA384 = (hkdf.HKDF, None, hashes.SHA384)
    HKDF_SHA512 = (hkdf.HKDF, None, hashes.SHA512)

    algorithm: Optional[type[hkdf.HKDF]]
    hash_algorithm: Optional[type[hashes.HashAlgorithm]]

    def __init__(
        self,
        algorithm: Optional[type[hkdf.HKDF]],
        input_length: Optional[int],
        hash_algorithm: Optional[type[hashes.HashAlgorithm]],
    ) -> None:
        self.algorithm = algorithm
        self._input_length = input_length
        self.hash_algorithm = hash_algorithm

    def input_length(self, encryption: EncryptionSuite) -> int:
        """Return the length of the key material this KDF takes for ``encryption``."""
        return self._input_length or encryption.data_key_length


class AuthenticationSuite(Enum):
    """Message signature algorithms: (curve, hash, fixed signature length)."""

    NONE = (None, None, 0)
    SHA256_ECDSA_P256 = (ec.SECP256R1, hashes.SHA256, 71)
    SHA256_ECDSA_P384 = (ec.SECP384R1, hashes.SHA384, 103)

    algorithm: Optional[type[ec.EllipticCurve]]
    hash_algorithm: Optional[type[hashes.HashAlgorithm]]
    signature_length: int

    def __init__(
        self,
        algorithm: Optional[type[ec.EllipticCurve]],
        hash_algorithm: Optional[type[hashes.HashAlgorithm]],
        signature_length: int,
    ) -> None:
        self.algorithm = algorithm
        self.hash_algorithm = hash_algorithm
        self.signature_length = signature_length


class AlgorithmSuite(Enum):
    """The eleven algorithm suites of the AWS Encryption SDK message format.

    Values are ``(algorithm_id, EncryptionSuite, message_format_version[, KDFSuite[,
    AuthenticationSuite]])``.
    """

    #: Suites by numeric id, filled as the suites are created (as in the original).
    __rlookup__: ClassVar[dict[int, AlgorithmSuite]] = {}

    AES_128_GCM_IV12_TAG16 = (0x0014, EncryptionSuite.AES_128_GCM_IV12_TAG16, 1)
    AES_192_GCM_IV12_TAG16 = (0x0046, EncryptionSuite.AES_192_GCM_IV12_TAG16, 1)
    AES_256_GCM_IV12_TAG16 = (0x0078, EncryptionSuite.AES_256_GCM_IV12_TAG16, 1)
    AES_128_GCM_IV12_TAG16_HKDF_SHA256 = (0x0114, EncryptionSuite.AES_128_GCM_IV12_TAG16, 1, KDFSuite.HKDF_SHA256)
    AES_192_GCM_IV12_TAG16_HKDF_SHA256 = (0x0146, EncryptionSuite.AES_192_GCM_IV12_TAG16, 1, KDFSuite.HKDF_SHA256)
    AES_256_GCM_IV12_TAG16_HKDF_SHA256 = (0x0178, EncryptionSuite.AES_256_GCM_IV12_TAG16, 1, KDFSuite.HKDF_SHA256)
    AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256 = (
        0x0214,
        EncryptionSuite.AES_128_GCM_IV12_TAG16,
        1,
        KDFSuite.HKDF_SHA256,
        AuthenticationSuite.SHA256_ECDSA_P256,
    )
    AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = (
        0x0346,
        EncryptionSuite.AES_192_GCM_IV12_TAG16,
        1,
        KDFSuite.HKDF_SHA384,
        AuthenticationSuite.SHA256_ECDSA_P384,
    )
    AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = (
        0x0378,
        EncryptionSuite.AES_256_GCM_IV12_TAG16,
        1,
        KDFSuite.HKDF_SHA384,
        AuthenticationSuite.SHA256_ECDSA_P384,
    )
    AES_256_GCM_HKDF_SHA512_COMMIT_KEY = (0x0478, EncryptionSuite.AES_256_GCM_IV12_TAG16, 2, KDFSuite.HKDF_SHA512)
    AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 = (
        0x0578,
        EncryptionSuite.AES_256_GCM_IV12_TAG16,
        2,
        KDFSuite.HKDF_SHA512,
        AuthenticationSuite.SHA256_ECDSA_P384,
    )

    algorithm_id: int
    encryption: EncryptionSuite
    message_format_version: int
    kdf: KDFSuite
    authentication: AuthenticationSuite
    allowed: bool
    encryption_algorithm: type[algorithms.AES]
    encryption_mode: type[modes.GCM]
    data_key_len: int
    iv_len: int
    auth_key_len: int
    auth_len: int
    tag_len: int
    kdf_type: Optional[type[hkdf.HKDF]]
    kdf_hash_type: Optional[type[hashes.HashAlgorithm]]
    signing_algorithm_info: Optional[type[ec.EllipticCurve]]
    signing_hash_type: Optional[type[hashes.HashAlgorithm]]
    signature_len: int
    header_auth_iv: bytes

    def __init__(
        self,
        algorithm_id: int,
        encryption: EncryptionSuite,
        message_format_version: int,
        kdf: KDFSuite = KDFSuite.NONE,
        authentication: AuthenticationSuite = AuthenticationSuite.NONE,
    ) -> None:
        self.algorithm_id = algorithm_id
        self.encryption = encryption
        self.message_format_version = message_format_version
        self.kdf = kdf
        self.authentication = authentication
        self.allowed = True
        self.encryption_algorithm = encryption.algorithm
        self.encryption_mode = encryption.mode
        self.data_key_len = encryption.data_key_length
        self.iv_len = encryption.iv_length
        self.auth_key_len = encryption.auth_key_length
        self.auth_len = self.tag_len = encryption.auth_length
        self.kdf_type = kdf.algorithm
        self.kdf_hash_type = kdf.hash_algorithm
        self.signing_algorithm_info = authentication.algorithm
        self.signing_hash_type = authentication.hash_algorithm
        self.signature_len = authentication.signature_length
        self.header_auth_iv = b"\x00" * encryption.iv_length
        self.__rlookup__[algorithm_id] = self

    @classmethod
    def get_by_id(cls, algorithm_id: int) -> AlgorithmSuite:
        """Return the suite with this numeric id.

        :raises KeyError: when no suite has this id
        """
        return cls.__rlookup__[algorithm_id]

    @property
    def kdf_input_len(self) -> int:
        """Length in bytes of the data key this suite takes."""
        return self.kdf.input_length(self.encryption)

    def id_as_bytes(self) -> bytearray:
        """Return the suite id as two big-endian bytes."""
        return bytearray(struct.pack(">H", self.algorithm_id))

    def safe_to_cache(self) -> bool:
        """Say whether materials for this suite may be cached (the suite derives its key)."""
        return self.kdf is not KDFSuite.NONE

    def is_committing(self) -> bool:
        """Say whether this suite commits to its data key."""
        return (self.algorithm_id >> 8) in (0x04, 0x05)

    def is_signing(self) -> bool:
        """Say whether this suite signs messages."""
        return self.signing_algorithm_info is not None

    def message_id_length(self) -> int:
        """Length in bytes of a message id for this suite."""
        return 16 if self.message_format_version == 1 else 32

    def algorithm_suite_data_length(self) -> int:
        """Length in bytes of the suite data (the commitment key) in the header."""
        return 32 if self.is_committing() else 0


Algorithm = AlgorithmSuite


class EncryptionType(Enum):
    """Whether a wrapping key is symmetric or asymmetric."""

    SYMMETRIC = 0
    ASYMMETRIC = 1


class EncryptionKeyType(Enum):
    """The kind of wrapping key material."""

    SYMMETRIC = 0
    PUBLIC = 1
    PRIVATE = 2


class WrappingAlgorithm(Enum):
    """Algorithms raw master keys use to wrap data keys.

    Values are ``(encryption_type, algorithm, padding_type, padding_hash, padding_mgf)``.
    """

    AES_128_GCM_IV12_TAG16_NO_PADDING = (
        EncryptionType.SYMMETRIC,
        AlgorithmSuite.AES_128_GCM_IV12_TAG16,
        None,
        None,
        None,
    )
    AES_192_GCM_IV12_TAG16_NO_PADDING = (
        EncryptionType.SYMMETRIC,
        AlgorithmSuite.AES_192_GCM_IV12_TAG16,
        None,
        None,
        None,
    )
    AES_256_GCM_IV12_TAG16_NO_PADDING = (
        EncryptionType.SYMMETRIC,
        AlgorithmSuite.AES_256_GCM_IV12_TAG16,
        None,
        None,
        None,
    )
    RSA_PKCS1 = (EncryptionType.ASYMMETRIC, rsa, padding.PKCS1v15, None, None)
    RSA_OAEP_SHA1_MGF1 = (EncryptionType.ASYMMETRIC, rsa, padding.OAEP, hashes.SHA1, padding.MGF1)
    RSA_OAEP_SHA256_MGF1 = (EncryptionType.ASYMMETRIC, rsa, padding.OAEP, hashes.SHA256, padding.MGF1)
    RSA_OAEP_SHA384_MGF1 = (EncryptionType.ASYMMETRIC, rsa, padding.OAEP, hashes.SHA384, padding.MGF1)
    RSA_OAEP_SHA512_MGF1 = (EncryptionType.ASYMMETRIC, rsa, padding.OAEP, hashes.SHA512, padding.MGF1)

    encryption_type: EncryptionType
    algorithm: AlgorithmSuite | ModuleType
    padding: Any

    def __init__(
        self,
        encryption_type: EncryptionType,
        algorithm: AlgorithmSuite | ModuleType,
        padding_type: Optional[type],
        padding_algorithm: Optional[type[hashes.HashAlgorithm]],
        padding_mgf: Optional[type[padding.MGF1]],
    ) -> None:
        self.encryption_type = encryption_type
        self.algorithm = algorithm
        if padding_type is padding.OAEP:
            assert padding_algorithm is not None and padding_mgf is not None
            self.padding = padding.OAEP(
                mgf=padding_mgf(algorithm=padding_algorithm()), algorithm=padding_algorithm(), label=None
            )
        elif padding_type is not None:
            self.padding = padding_type()
        else:
            self.padding = None


class SerializationVersion(Enum):
    """Message format versions."""

    V1 = 1
    V2 = 2


class ObjectType(Enum):
    """Message object types (format version 1 only)."""

    CUSTOMER_AE_DATA = 128


class SequenceIdentifier(Enum):
    """Special frame sequence numbers."""

    SEQUENCE_NUMBER_END = 0xFFFFFFFF


class ContentType(Enum):
    """Message body layouts."""

    NO_FRAMING = 1
    FRAMED_DATA = 2


class ContentAADString(Enum):
    """Labels that go into the body AAD."""

    FRAME_STRING_ID = b"AWSKMSEncryptionClient Frame"
    FINAL_FRAME_STRING_ID = b"AWSKMSEncryptionClient Final Frame"
    NON_FRAMED_STRING_ID = b"AWSKMSEncryptionClient Single Block"


class CommitmentPolicy(Enum):
    """Which algorithm suites a client may encrypt and decrypt with."""

    FORBID_ENCRYPT_ALLOW_DECRYPT = 0
    REQUIRE_ENCRYPT_ALLOW_DECRYPT = 1
    REQUIRE_ENCRYPT_REQUIRE_DECRYPT = 2
