"""Known-answer tests: the worked examples of the message-format spec, byte for byte.

Encryption reproduces examples A-D exactly. Their three sources of randomness (message id,
plaintext data key, raw AES wrapping IV) are pinned through override seams that a subclass
provides, not by patching: ``StreamEncryptor._message_id_factory``,
``RawMasterKey._random_data_key`` and ``WrappingKey._generate_iv``. Examples E and F are signed
(ECDSA is randomized), so they are decrypt-only.
"""

from __future__ import annotations

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    EncryptionKeyType,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.streaming_client import StreamDecryptor, StreamEncryptor

WRAPPING_KEY = bytes(range(32))
CONTEXT = {"purpose": "example"}

EXAMPLES_HEX = {
    "A": """
    01800178a0a1a2a3a4a5a6a7a8a9aaabacadaeaf001400010007707572706f736500076578616d706c650001000a7374
    617469632d61657300186b657931000000800000000c7777777777777777777777770030c78f7bca2b0eed446248da4c
    b5bd067f455cae26d8eebfb242b3fe957f252460ed49b3540b3ac42750fffae5eed60d0102000000000c000000800000
    00000000000000000000a3ff9076a435668489df8ce97e1d37dd00000001000000000000000000000001e4c9bcf67b12
    b37937dc029580bf9a9f53c14eec48f083e95a7a4b787d64ac47623618434f6868a5b99c0f89c07a9a07ab0a732dbda9
    fd7adea14974f4843d0296708e65693409a72d3fd025718d823928f7c2b7815125aa07d9f48554f77b3718c46f22ce97
    06ec87affe2277ceca8cce5bf294ed17e0da518564fc068554f3b08fa1636a867f9e710d2debd18c9fe5ffffffff0000
    0002000000000000000000000002000000020f3963262566fe8463af924b62fc1d5d6ca8""",
    "B": """
    020478c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf001400010007707572706f7365
    00076578616d706c650001000a7374617469632d61657300186b657931000000800000000c7777777777777777777777
    770030c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f252460ed49b3540b3ac42750fffae5ee
    d60d010200000080dcc854dc52b454466f9cb671b16bcfee7137d807315556f87f91ea75fcbeae7845309274c886463c
    b286c62534d1c801ffffffff000000010000000000000000000000010000000556323e08c7299d7603922dd9c2fd4a1d
    12d58ec2b6""",
    "C": """
    01800014101112131415161718191a1b1c1d1e1f00000001000a7374617469632d61657300186b657931000000800000
    000c555555555555555555555555002071f8abb89d945bf9239509f8d664d491c01c5fd5fd5a57524f17cbb13e1ee253
    01000000000c0000000000000000000000000000000042a03885e634029c53573bbb196574b700000000000000000000
    00010000000000000002ed064a37cd74d08bc35558373c419bb658c5""",
    "D": """
    020478000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00000001000a7374617469632d
    61657300186b657931000000800000000c7777777777777777777777770030c78f7bca2b0eed446248da4cb5bd067f45
    5cae26d8eebfb242b3fe957f2524605a61ad26da0f13edd5a1d1282ce1d6a00200001000a3ac48bd8c70822246e5784f
    b91e4aeeff628ef3a5e070833a0cb78f8c502c8b20ce5a3cc986c9b4bc24cf28a26e3dd6ffffffff0000000100000000
    0000000000000001000000003c6c2f913cd8e3006bba31417fdc04ac""",
    "E": """
    020578404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f0071000200156177732d637279
    70746f2d7075626c69632d6b6579004441673471626579644b3259476a305457596a41785a476a346551597241474c32
    356b79424a6a37764a38674a674d4b353364424454414b39576a645a73476d5344773d3d0007707572706f7365000765
    78616d706c650001000a7374617469632d61657300186b657931000000800000000c7777777777777777777777770030
    c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f252460f33b6e6ddd93e5930dd1a3fe90eef340
    020000100057872a511070ed6ce8e9ace47b2eb1a72cae672034cd9e326073437a8764b537651774e9758f1cebc53438
    a5d77c958bffffffff0000000100000000000000000000000100000005c0cbfff003835adb068e1758888ce77e3f57f6
    9554006730650231008f78c544e2240d26e8c15fa97be26a78880afdda1baa827f0394b7ceead95e583354c21a6bd795
    7280ec73bbb09743e702306cf566ebfd7f111ef7df4418b66bdcd48930f4e80a179187d818a802003c58afeac919d7fe
    63a581e442c160c1b305f0""",
    "F": """
    01800214606162636465666768696a6b6c6d6e6f0047000100156177732d63727970746f2d7075626c69632d6b657900
    2c416f724269434e7a444c646945654148414779596d6c546c72596a6439534441577632534d73683850697865000100
    0a7374617469632d61657300186b657931000000800000000c7777777777777777777777770020c78f7bca2b0eed4462
    48da4cb5bd067f1f5e0efe20b6fa5213d213f02ff90c6102000000000c000010000000000000000000000000000ca3da
    88b9476a8c1d21816cc1472ffeffffffff000000010000000000000000000000010000000540fc42edac90407c69e7be
    611b26d02685a5bf54c40047304502205f6a6c191f07d16cbd647b33880ec4624bc7552a0489e6b8c834da243ae4f789
    022100c66f32e880bd12458cea32fc5c1890ebfc7e73e46442760c6db9541041170e16""",
}
EXAMPLES = {name: bytes.fromhex("".join(text.split())) for name, text in EXAMPLES_HEX.items()}

# name: (suite, frame length, context, plaintext, message id, data key, wrapping IV)
ENCRYPT_INPUTS = {
    "A": (
        AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
        128,
        CONTEXT,
        b"A" * 128 + b"BC",
        bytes(range(0xA0, 0xB0)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
    "B": (
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        128,
        CONTEXT,
        b"hello",
        bytes(range(0xC0, 0xE0)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
    "C": (AlgorithmSuite.AES_128_GCM_IV12_TAG16, 0, {}, b"hi", bytes(range(0x10, 0x20)), b"\x24" * 16, b"\x55" * 12),
    "D": (
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        4096,
        {},
        b"",
        bytes(range(32)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
}
DECRYPT_PLAINTEXTS = {"A": b"A" * 128 + b"BC", "B": b"hello", "C": b"hi", "D": b"", "E": b"hello", "F": b"hello"}


class PinnedIVWrappingKey(WrappingKey):
    """A wrapping key whose wrapping IV is fixed by the test."""

    pinned_iv = b""

    def _generate_iv(self) -> bytes:
        return self.pinned_iv


class PinnedDataKeyMasterKey(RawMasterKey):
    """A raw master key whose plaintext data key is fixed by the test."""

    pinned_data_key = b""

    def _random_data_key(self, length: int) -> bytes:
        assert length == len(self.pinned_data_key)
        return self.pinned_data_key


def _master_key(data_key: bytes = b"", iv: bytes = b"") -> PinnedDataKeyMasterKey:
    wrapping_key = PinnedIVWrappingKey(
        wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
        wrapping_key=WRAPPING_KEY,
        wrapping_key_type=EncryptionKeyType.SYMMETRIC,
    )
    wrapping_key.pinned_iv = iv
    master_key = PinnedDataKeyMasterKey(provider_id="static-aes", key_id=b"key1", wrapping_key=wrapping_key)
    master_key.pinned_data_key = data_key
    return master_key


@pytest.mark.parametrize("name", sorted(ENCRYPT_INPUTS))
def test_encrypt_reproduces_worked_example_byte_for_byte(name: str) -> None:
    suite, frame_length, context, plaintext, message_id, data_key, iv = ENCRYPT_INPUTS[name]

    class PinnedEncryptor(StreamEncryptor):
        @staticmethod
        def _message_id_factory(size: int) -> bytes:
            assert size == len(message_id)
            return message_id

    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    with PinnedEncryptor(
        source=plaintext,
        key_provider=_master_key(data_key, iv),
        commitment_policy=policy,
        algorithm=suite,
        frame_length=frame_length,
        encryption_context=dict(context),
    ) as encryptor:
        ciphertext = encryptor.read()
        assert encryptor.ciphertext_length() == len(EXAMPLES[name])
    assert ciphertext.hex() == EXAMPLES[name].hex()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_decrypt_worked_example(name: str) -> None:
    client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
    plaintext, header = client.decrypt(source=EXAMPLES[name], key_provider=_master_key())
    assert plaintext == DECRYPT_PLAINTEXTS[name]
    assert header.encryption_context.get("purpose") == ("example" if name in "ABE" else None)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_streaming_decrypt_of_worked_example_in_small_reads(name: str) -> None:
    decryptor = StreamDecryptor(
        source=EXAMPLES[name],
        key_provider=_master_key(),
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    )
    output = b""
    while chunk := decryptor.read(3):
        output += chunk
    decryptor.close()
    assert output == DECRYPT_PLAINTEXTS[name]
