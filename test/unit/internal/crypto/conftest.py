"""Shared fixtures for the crypto unit tests: the worked example messages and RSA keys.

The example messages are the known-answer vectors of the message-format digest (section 12),
produced by the original library with pinned randomness. Offsets below were read from the
annotated dumps there.
"""

from __future__ import annotations

import attrs
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from test.worked_examples import WORKED_EXAMPLES


@attrs.frozen
class ExampleMessage:
    """One worked example: its bytes and where its parts start.

    :param data: the whole message
    :param message_id: the header message id
    :param data_key: the plaintext data key the example was made with
    :param header_end: offset just past the header body (the header authentication AAD)
    :param header_tag_end: offset just past the header authentication block
    :param footer_start: offset of the footer (signed examples), else the message length
    """

    data: bytes
    message_id: bytes
    data_key: bytes
    header_end: int
    header_tag_end: int
    footer_start: int

    @property
    def header_body(self) -> bytes:
        """The header body bytes, the AAD of the header authentication tag."""
        return self.data[: self.header_end]

    @property
    def header_tag(self) -> bytes:
        """The header authentication tag (the last 16 bytes of the header authentication block)."""
        return self.data[self.header_tag_end - 16 : self.header_tag_end]


def _example(name: str, message_id: bytes, data_key: bytes, header_end: int, header_tag_end: int) -> ExampleMessage:
    data = WORKED_EXAMPLES[name]
    footer_start = {"E": 0x152, "F": 0xFA}.get(name, len(data))
    return ExampleMessage(data, message_id, data_key, header_end, header_tag_end, footer_start)


@pytest.fixture(scope="session")
def examples() -> dict[str, ExampleMessage]:
    """The six worked example messages, by letter."""
    return {
        "A": _example("A", bytes(range(0xA0, 0xB0)), b"\x42" * 32, 0x8E, 0xAA),
        "B": _example("B", bytes(range(0xC0, 0xE0)), b"\x42" * 32, 0xB8, 0xC8),
        "C": _example("C", bytes(range(0x10, 0x20)), b"\x24" * 16, 0x6A, 0x86),
        "D": _example("D", bytes(range(0x00, 0x20)), b"\x42" * 32, 0xA4, 0xB4),
        "E": _example("E", bytes(range(0x40, 0x60)), b"\x42" * 32, 0x115, 0x125),
        "F": _example("F", bytes(range(0x60, 0x70)), b"\x42" * 16, 0xB1, 0xCD),
    }


@pytest.fixture(scope="session")
def rsa_private_key() -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key, generated once per test session."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_rsa_private_key() -> rsa.RSAPrivateKey:
    """A second, unrelated 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
