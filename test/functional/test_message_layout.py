"""Messages we write follow the layout rules of the message format, walked byte by byte.

The walker below is written from the specification alone and shares no code with the SDK's
serializer or deserializer; it also checks that our own strict deserializer parses every header.
"""

from __future__ import annotations

import base64
import io
import struct
from typing import Any

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header

from .raw_keys import aes_master_key, key_set, rsa_master_key

FRAME_LABEL = b"AWSKMSEncryptionClient Frame"
SUITES = {  # id: (format version, key bytes, signature length)
    0x0014: (1, 16, 0),
    0x0046: (1, 24, 0),
    0x0078: (1, 32, 0),
    0x0114: (1, 16, 0),
    0x0146: (1, 24, 0),
    0x0178: (1, 32, 0),
    0x0214: (1, 16, 71),
    0x0346: (1, 24, 103),
    0x0378: (1, 32, 103),
    0x0478: (2, 32, 0),
    0x0578: (2, 32, 103),
}


class Walker:
    """Reads big-endian fields from a message and fails the test on any shortfall."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int) -> bytes:
        assert self.offset + size <= len(self.data), f"message ends inside a field at {self.offset}"
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack(">Q", self.take(8))[0])


def walk(message: bytes, plaintext_length: int) -> dict[str, Any]:
    """Check every layout rule of the message format; return what was found."""
    w = Walker(message)
    version = w.u8()
    if version == 1:
        assert w.u8() == 0x80
    suite_id = w.u16()
    fmt, _, signature_length = SUITES[suite_id]
    assert fmt == version
    message_id = w.take(16 if version == 1 else 32)
    context_length = w.u16()
    context: dict[str, str] = {}
    if context_length:
        ctx = Walker(w.take(context_length))
        previous = b""
        for _ in range(ctx.u16()):
            key = ctx.take(ctx.u16())
            value = ctx.take(ctx.u16())
            assert key > previous, "context keys are sorted and unique"
            previous = key
            context[key.decode()] = value.decode()
        assert ctx.offset == context_length
    assert ("aws-crypto-public-key" in context) == bool(signature_length)
    if signature_length:
        point = base64.b64decode(context["aws-crypto-public-key"], validate=True)
        assert len(point) == (33 if signature_length == 71 else 49) and point[0] in (2, 3)
    edk_count = w.u16()
    assert edk_count >= 1
    for _ in range(edk_count):
        assert w.take(w.u16())
        w.take(w.u16())
        assert w.take(w.u16())
    content_type = w.u8()
    if version == 1:
        assert w.take(4) == b"\x00" * 4
        assert w.u8() == 12
    frame_length = w.u32()
    if version == 2:
        assert len(w.take(32)) == 32
    if version == 1:
        assert w.take(12) == b"\x00" * 12
    w.take(16)
    if content_type == 1:
        assert frame_length == 0
        assert w.take(12) == b"\x00" * 8 + struct.pack(">I", 1)
        assert w.u64() == plaintext_length
        w.take(plaintext_length + 16)
        frames = 0
    else:
        assert content_type == 2 and frame_length > 0
        sequence = 1
        total = 0
        while True:
            first = w.u32()
            if first == 0xFFFFFFFF:
                assert w.u32() == sequence
                assert w.take(12) == b"\x00" * 8 + struct.pack(">I", sequence)
                length = w.u32()
                assert length < frame_length
                w.take(length + 16)
                total += length
                break
            assert first == sequence
            assert w.take(12) == b"\x00" * 8 + struct.pack(">I", sequence)
            w.take(frame_length + 16)
            total += frame_length
            sequence += 1
        assert total == plaintext_length
        assert sequence == plaintext_length // frame_length + 1, "n full frames, then a short or empty final frame"
        frames = sequence
    if signature_length:
        assert w.u16() == signature_length
        signature = w.take(signature_length)
        assert signature[0] == 0x30
    assert w.offset == len(message), "nothing follows the message"
    return {"suite": suite_id, "frames": frames, "message_id": message_id, "context": context}


@pytest.mark.parametrize("plaintext_length", [0, 1, 4096, 10000])
@pytest.mark.parametrize("frame_length", [0, 1, 4096])
@pytest.mark.parametrize("suite", list(AlgorithmSuite), ids=lambda s: f"{s.algorithm_id:04x}")
def test_messages_follow_the_layout_and_parse_strictly(
    suite: AlgorithmSuite, frame_length: int, plaintext_length: int
) -> None:
    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    provider = key_set(aes_master_key(), rsa_master_key())
    plaintext = bytes(i % 251 for i in range(plaintext_length))
    client = EncryptionSDKClient(commitment_policy=policy)
    ciphertext, header = client.encrypt(
        source=plaintext,
        key_provider=provider,
        algorithm=suite,
        frame_length=frame_length,
        encryption_context={"purpose": "layout"},
    )
    found = walk(ciphertext, plaintext_length)
    assert found["suite"] == suite.algorithm_id
    assert found["context"]["purpose"] == "layout"
    parsed, raw_header = deserialize_header(io.BytesIO(ciphertext))
    assert parsed == header
    assert ciphertext.startswith(raw_header)
    assert [edk.key_provider.provider_id for edk in parsed.encrypted_data_keys] == ["raw-aes", "raw-rsa"]
    assert client.decrypt(source=ciphertext, key_provider=provider)[0] == plaintext


@pytest.mark.parametrize(
    ("suite", "policy"),
    [
        (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT),
        (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT),
    ],
    ids=["v1", "v2"],
)
def test_every_message_gets_a_fresh_message_id(suite: AlgorithmSuite, policy: CommitmentPolicy) -> None:
    """The message id salts the key derivation of each message, so it must never repeat."""
    client = EncryptionSDKClient(commitment_policy=policy)
    key = aes_master_key()
    ids = [client.encrypt(source=b"same", key_provider=key, algorithm=suite)[1].message_id for _ in range(64)]
    assert len(set(ids)) == len(ids)
    assert {len(message_id) for message_id in ids} == {suite.message_id_length()}
