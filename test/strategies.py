"""Shared Hypothesis strategies: messages of each suite family, encryption contexts and mutations.

Sample messages are small on purpose (40 bytes of plaintext, frame length 16: two regular frames
and a final frame of 8 bytes), so every byte of one can be flipped in a test. They are encrypted
once per process under the raw AES test key of :mod:`test.functional.raw_keys`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import strategies as st

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from test.functional.raw_keys import aes_master_key

#: One suite of each family: no KDF (AES-128, AES-256), HKDF + ECDSA, committing, committing + ECDSA.
SUITE_FAMILIES: tuple[int, ...] = (0x0014, 0x0078, 0x0378, 0x0478, 0x0578)
SIGNED_SUITES: tuple[int, ...] = (0x0378, 0x0578)
#: Plaintext of every sample message.
PLAINTEXT = bytes(range(0x30, 0x58))
#: Frame length of framed sample messages.
FRAME_LENGTH = 16
#: The caller's encryption context of every sample message.
CONTEXT = {"purpose": "hostile-input tests", "ключ": "значение"}
#: Bytes after the header authentication: regular frame (4 + 12 + F + 16), final frame overhead.
REGULAR_FRAME_SIZE = 4 + 12 + FRAME_LENGTH + 16
FINAL_FRAME_OVERHEAD = 4 + 4 + 12 + 4 + 16


def suite(suite_id: int) -> AlgorithmSuite:
    """The algorithm suite with this ID."""
    return AlgorithmSuite.get_by_id(suite_id)


def encrypting_client(suite_id: int) -> EncryptionSDKClient:
    """A client whose commitment policy lets it encrypt with ``suite_id``."""
    if suite(suite_id).is_committing():
        return EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    return EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)


def decrypting_client(max_encrypted_data_keys: int | None = None) -> EncryptionSDKClient:
    """A client that decrypts every suite (REQUIRE_ENCRYPT_ALLOW_DECRYPT)."""
    return EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
        max_encrypted_data_keys=max_encrypted_data_keys,
    )


@dataclass(frozen=True)
class SampleMessage:
    """A message and the offsets of its parts.

    :param suite_id: algorithm suite of the message
    :param framed: whether the body is framed
    :param ciphertext: the message
    :param body_start: offset of the body (after the header authentication)
    :param footer_start: offset of the footer (the message length for unsigned suites)
    """

    suite_id: int
    framed: bool
    ciphertext: bytes
    body_start: int
    footer_start: int

    @property
    def signed(self) -> bool:
        """Whether the message carries a signature footer."""
        return self.suite_id in SIGNED_SUITES

    @property
    def final_frame_start(self) -> int:
        """Offset of the final frame (of the body for non-framed messages)."""
        if not self.framed:
            return self.body_start
        return self.body_start + (len(PLAINTEXT) // FRAME_LENGTH) * REGULAR_FRAME_SIZE

    def frame_of(self, offset: int) -> int:
        """1-based number of the frame holding ``offset`` (0: header; the final frame for the footer)."""
        if offset < self.body_start:
            return 0
        if not self.framed:
            return 1
        return min((offset - self.body_start) // REGULAR_FRAME_SIZE + 1, len(PLAINTEXT) // FRAME_LENGTH + 1)

    def __repr__(self) -> str:
        return f"SampleMessage(0x{self.suite_id:04x}, {'framed' if self.framed else 'non-framed'})"


@functools.cache
def sample_message(suite_id: int, framed: bool) -> SampleMessage:
    """The sample message of a suite, framed (frame length 16) or not (encrypted once per process)."""
    ciphertext, _ = encrypting_client(suite_id).encrypt(
        source=PLAINTEXT,
        key_provider=aes_master_key(),
        algorithm=suite(suite_id),
        frame_length=FRAME_LENGTH if framed else 0,
        encryption_context=CONTEXT,
    )
    footer = 2 + 103 if suite_id in SIGNED_SUITES else 0
    if framed:
        frames = (len(PLAINTEXT) // FRAME_LENGTH) * REGULAR_FRAME_SIZE
        body = frames + FINAL_FRAME_OVERHEAD + len(PLAINTEXT) % FRAME_LENGTH
    else:
        body = 12 + 8 + len(PLAINTEXT) + 16
    footer_start = len(ciphertext) - footer
    return SampleMessage(suite_id, framed, ciphertext, footer_start - body, footer_start)


def all_sample_messages() -> list[SampleMessage]:
    """Every sample message: each suite family, framed and non-framed."""
    return [sample_message(suite_id, framed) for suite_id in SUITE_FAMILIES for framed in (True, False)]


# Strategies ---------------------------------------------------------------------------------

suite_ids = st.sampled_from(SUITE_FAMILIES)

sample_messages: st.SearchStrategy[SampleMessage] = st.builds(sample_message, suite_ids, st.booleans())

#: Text an encryption context may hold (no lone surrogates; keys never use the reserved prefix).
context_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=16)
encryption_contexts: st.SearchStrategy[dict[str, str]] = st.dictionaries(
    context_text.filter(lambda key: not key.startswith("aws-crypto-")), context_text, max_size=6
)

#: Byte values that tend to matter in length, type and marker fields.
_INTERESTING_BYTES = st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x0C, 0x10, 0x7F, 0x80, 0xFE, 0xFF])
_filler = st.one_of(
    st.binary(min_size=1, max_size=24),
    st.lists(_INTERESTING_BYTES, min_size=1, max_size=8).map(bytes),
    st.sampled_from([b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x01"]),
)


@st.composite
def mutated(draw: st.DrawFn, message: bytes, max_edits: int = 3) -> bytes:
    """Apply 1 to ``max_edits`` random edits to ``message``.

    Edits: overwrite, insert, delete (each of random length and place), splice in a piece of
    another sample message, truncate, append, flip one bit. The result may equal the input.
    """
    data = bytearray(message)
    for _ in range(draw(st.integers(min_value=1, max_value=max_edits))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["overwrite", "insert", "delete", "splice", "truncate", "append", "flip"]))
        if kind == "overwrite":
            filler = draw(_filler)
            data[at : at + len(filler)] = filler
        elif kind == "insert":
            data[at:at] = draw(_filler)
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "splice":
            donor = draw(sample_messages).ciphertext
            start = draw(st.integers(min_value=0, max_value=len(donor)))
            piece = donor[start : start + draw(st.integers(min_value=1, max_value=128))]
            end = at + draw(st.integers(min_value=0, max_value=len(piece)))
            data[at:end] = piece
        elif kind == "truncate":
            del data[at:]
        elif kind == "append":
            data += draw(_filler)
        elif data:
            index = min(at, len(data) - 1)
            data[index] ^= 1 << draw(st.integers(min_value=0, max_value=7))
    return bytes(data)


@dataclass(frozen=True)
class NearValid:
    """A sample message and a mutation of it."""

    original: SampleMessage
    data: bytes

    @property
    def untouched(self) -> bool:
        """Whether the mutation left the message as it was."""
        return self.data == self.original.ciphertext


near_valid_messages: st.SearchStrategy[NearValid] = sample_messages.flatmap(
    lambda original: mutated(original.ciphertext).map(lambda data: NearValid(original, data))
)

#: Arbitrary bytes, half of them opening like a real header (version, type, suite).
_header_openings = st.sampled_from(
    [b"", b"\x01\x80\x00\x14", b"\x01\x80\x00\x78", b"\x01\x80\x03\x78", b"\x02\x04\x78", b"\x02\x05\x78"]
)
arbitrary_messages: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=400),
    st.tuples(_header_openings, st.binary(max_size=400)).map(lambda parts: parts[0] + parts[1]),
)
