"""Known-answer messages of the message-format digest (examples A to F), for the formatting tests.

Each message was written by the original library with its randomness pinned; the field values
below are the ones the digest documents for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from test.worked_examples import WORKED_EXAMPLES

MESSAGES: dict[str, bytes] = WORKED_EXAMPLES

#: Raw AES wrapping key (bytes 0x00..0x1f) of every example's EDK.
WRAPPING_KEY = bytes(range(32))
PROVIDER_ID = "static-aes"
PURPOSE_CONTEXT = {"purpose": "example"}
PURPOSE_CONTEXT_BYTES = bytes.fromhex("00010007707572706f736500076578616d706c65")
P384_PUBLIC_KEY = "Ag4qbeydK2YGj0TWYjAxZGj4eQYrAGL25kyBJj7vJ8gJgMK53dBDTAK9WjdZsGmSDw=="
P256_PUBLIC_KEY = "AorBiCNzDLdiEeAHAGyYmlTlrYjd9SDAWv2SMsh8Pixe"


def key_info(wrapping_iv_byte: int) -> bytes:
    """Return the raw AES key info of the examples: "key1", 128-bit tag, 12-byte IV, the IV."""
    return b"key1" + bytes.fromhex("000000800000000c") + bytes([wrapping_iv_byte]) * 12


@dataclass(frozen=True)
class Frame:
    """A frame as the digest documents it."""

    sequence_number: int
    final: bool
    iv: bytes
    ciphertext: bytes
    tag: bytes


@dataclass(frozen=True)
class Example:
    """One known-answer message and its documented fields."""

    name: str
    suite_id: int
    version: int
    message_id: bytes
    encryption_context: dict[str, str]
    edk_key_info: bytes
    edk_ciphertext: bytes
    framed: bool
    frame_length: int
    header_body_length: int
    header_auth_tag: bytes
    plaintext: bytes
    commitment_key: Optional[bytes] = None
    derived_key: Optional[bytes] = None
    frames: tuple[Frame, ...] = field(default=())

    @property
    def message(self) -> bytes:
        """The whole message."""
        return MESSAGES[self.name]

    @property
    def header_body(self) -> bytes:
        """The raw header body bytes."""
        return self.message[: self.header_body_length]

    @property
    def header_auth_length(self) -> int:
        """Length of the header authentication block on the wire."""
        return 28 if self.version == 1 else 16


EDK_CIPHERTEXT_PURPOSE = bytes.fromhex(
    "c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f252460ed49b3540b3ac42750fffae5eed60d01"
)

EXAMPLES: dict[str, Example] = {
    "A": Example(
        name="A",
        suite_id=0x0178,
        version=1,
        message_id=bytes(range(0xA0, 0xB0)),
        encryption_context=PURPOSE_CONTEXT,
        edk_key_info=key_info(0x77),
        edk_ciphertext=EDK_CIPHERTEXT_PURPOSE,
        framed=True,
        frame_length=128,
        header_body_length=0x8E,
        header_auth_tag=bytes.fromhex("a3ff9076a435668489df8ce97e1d37dd"),
        plaintext=b"A" * 128 + b"BC",
        derived_key=bytes.fromhex("9200fed5c033d0b8ced40ebed1ade73435a755ea77bfb46e98c6ce9b8884e4ec"),
        frames=(
            Frame(
                1,
                False,
                bytes.fromhex("000000000000000000000001"),
                bytes.fromhex(
                    "e4c9bcf67b12b37937dc029580bf9a9f53c14eec48f083e95a7a4b787d64ac47"
                    "623618434f6868a5b99c0f89c07a9a07ab0a732dbda9fd7adea14974f4843d02"
                    "96708e65693409a72d3fd025718d823928f7c2b7815125aa07d9f48554f77b37"
                    "18c46f22ce9706ec87affe2277ceca8cce5bf294ed17e0da518564fc068554f3"
                ),
                bytes.fromhex("b08fa1636a867f9e710d2debd18c9fe5"),
            ),
            Frame(
                2,
                True,
                bytes.fromhex("000000000000000000000002"),
                bytes.fromhex("0f39"),
                bytes.fromhex("63262566fe8463af924b62fc1d5d6ca8"),
            ),
        ),
    ),
    "B": Example(
        name="B",
        suite_id=0x0478,
        version=2,
        message_id=bytes(range(0xC0, 0xE0)),
        encryption_context=PURPOSE_CONTEXT,
        edk_key_info=key_info(0x77),
        edk_ciphertext=EDK_CIPHERTEXT_PURPOSE,
        framed=True,
        frame_length=128,
        header_body_length=0xB8,
        header_auth_tag=bytes.fromhex("45309274c886463cb286c62534d1c801"),
        plaintext=b"hello",
        commitment_key=bytes.fromhex("dcc854dc52b454466f9cb671b16bcfee7137d807315556f87f91ea75fcbeae78"),
        derived_key=bytes.fromhex("3e62b1782fa6cd24cb499a3145b6434ef620aaf51a54bbe6535aad3e7c315b0d"),
        frames=(
            Frame(
                1,
                True,
                bytes.fromhex("000000000000000000000001"),
                bytes.fromhex("56323e08c7"),
                bytes.fromhex("299d7603922dd9c2fd4a1d12d58ec2b6"),
            ),
        ),
    ),
    "C": Example(
        name="C",
        suite_id=0x0014,
        version=1,
        message_id=bytes(range(0x10, 0x20)),
        encryption_context={},
        edk_key_info=key_info(0x55),
        edk_ciphertext=bytes.fromhex("71f8abb89d945bf9239509f8d664d491c01c5fd5fd5a57524f17cbb13e1ee253"),
        framed=False,
        frame_length=0,
        header_body_length=0x6A,
        header_auth_tag=bytes.fromhex("42a03885e634029c53573bbb196574b7"),
        plaintext=b"hi",
        derived_key=b"\x24" * 16,
        frames=(
            Frame(
                1,
                True,
                bytes.fromhex("000000000000000000000001"),
                bytes.fromhex("ed06"),
                bytes.fromhex("4a37cd74d08bc35558373c419bb658c5"),
            ),
        ),
    ),
    "D": Example(
        name="D",
        suite_id=0x0478,
        version=2,
        message_id=bytes(range(0x20)),
        encryption_context={},
        edk_key_info=key_info(0x77),
        edk_ciphertext=bytes.fromhex(
            "c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f2524605a61ad26da0f13edd5a1d1282ce1d6a0"
        ),
        framed=True,
        frame_length=4096,
        header_body_length=0xA4,
        header_auth_tag=bytes.fromhex("20ce5a3cc986c9b4bc24cf28a26e3dd6"),
        plaintext=b"",
        commitment_key=bytes.fromhex("a3ac48bd8c70822246e5784fb91e4aeeff628ef3a5e070833a0cb78f8c502c8b"),
        derived_key=bytes.fromhex("15211ff7eadd78b0d1b5a548a36a573171151605c83a03fd94621c49d8581554"),
        frames=(
            Frame(
                1,
                True,
                bytes.fromhex("000000000000000000000001"),
                b"",
                bytes.fromhex("3c6c2f913cd8e3006bba31417fdc04ac"),
            ),
        ),
    ),
    "E": Example(
        name="E",
        suite_id=0x0578,
        version=2,
        message_id=bytes(range(0x40, 0x60)),
        encryption_context={"aws-crypto-public-key": P384_PUBLIC_KEY, "purpose": "example"},
        edk_key_info=key_info(0x77),
        edk_ciphertext=bytes.fromhex(
            "c78f7bca2b0eed446248da4cb5bd067f455cae26d8eebfb242b3fe957f252460f33b6e6ddd93e5930dd1a3fe90eef340"
        ),
        framed=True,
        frame_length=4096,
        header_body_length=277,
        header_auth_tag=bytes.fromhex("651774e9758f1cebc53438a5d77c958b"),
        plaintext=b"hello",
        commitment_key=bytes.fromhex("57872a511070ed6ce8e9ace47b2eb1a72cae672034cd9e326073437a8764b537"),
    ),
    "F": Example(
        name="F",
        suite_id=0x0214,
        version=1,
        message_id=bytes(range(0x60, 0x70)),
        encryption_context={"aws-crypto-public-key": P256_PUBLIC_KEY},
        edk_key_info=key_info(0x77),
        edk_ciphertext=bytes.fromhex("c78f7bca2b0eed446248da4cb5bd067f1f5e0efe20b6fa5213d213f02ff90c61"),
        framed=True,
        frame_length=4096,
        header_body_length=177,
        header_auth_tag=bytes.fromhex("0ca3da88b9476a8c1d21816cc1472ffe"),
        plaintext=b"hello",
    ),
}

#: Examples whose derived data key the digest documents.
KEYED = [name for name, example in EXAMPLES.items() if example.derived_key is not None]
