"""Default values and limits of the AWS Encryption SDK."""

from __future__ import annotations

import io

from aws_encryption_sdk.identifiers import AlgorithmSuite, ObjectType, SerializationVersion

#: Size of the chunks read by iteration and ``readline`` on SDK streams.
LINE_LENGTH = io.DEFAULT_BUFFER_SIZE
ENCODING = "utf-8"
#: Default frame length in bytes.
FRAME_LENGTH = 4096
MESSAGE_ID_LENGTH = 16
VERSION = SerializationVersion.V1
TYPE = ObjectType.CUSTOMER_AE_DATA
#: Default suite under ``FORBID_ENCRYPT_ALLOW_DECRYPT``.
ALGORITHM = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
#: Default suite under the ``REQUIRE_ENCRYPT_*`` policies.
ALGORITHM_COMMIT_KEY = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
#: Encryption context key holding the message signature's public key.
ENCODED_SIGNER_KEY = "aws-crypto-public-key"
#: Prefix of encryption context keys reserved for the SDK.
RESERVED_ENCRYPTION_CONTEXT_PREFIX = "aws-crypto-"
MAX_MESSAGES_PER_KEY = 2**32
MAX_BYTES_PER_KEY = 2**63 - 1
MAX_FRAME_COUNT = 2**32 - 1
MAX_FRAME_SIZE = 2**31 - 1
MAX_GCM_CONTENT_SIZE = 2**36 - 32
MAX_NON_FRAMED_SIZE = MAX_GCM_CONTENT_SIZE
MAX_BYTE_ARRAY_SIZE = 2**16 - 1
