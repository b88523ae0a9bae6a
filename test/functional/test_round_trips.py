"""Hypothesis round trips over suites, frame lengths, plaintext sizes, contexts and key sets."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.key_providers.base import MasterKeyProvider

from .raw_keys import aes_master_key, key_set, rsa_master_key

FRAME_LENGTHS = st.sampled_from([0, 1, 17, 4096, 65537])
CONTEXTS: st.SearchStrategy[dict[str, str]] = st.one_of(
    st.just({}),
    st.just({"ключ": "значение", "emoji 🔑": "😀", "日本": "語"}),
    st.dictionaries(
        st.text(min_size=1, max_size=12).filter(lambda key: not key.startswith("aws-crypto-")),
        st.text(max_size=20),
        min_size=20,
        max_size=40,
    ),
)


def _key_set(choice: str) -> MasterKeyProvider:
    if choice == "aes":
        return aes_master_key()
    if choice == "rsa":
        return rsa_master_key()
    provider = key_set(aes_master_key(), rsa_master_key())
    return provider


@st.composite
def plaintexts(draw: st.DrawFn, frame_length: int) -> bytes:
    unit = frame_length or 4096
    size = draw(st.sampled_from([0, 1, max(unit - 1, 0), unit, unit + 1, 2 * unit + 3]))
    if frame_length == 1:
        size = min(size, 40)
    return draw(st.binary(min_size=size, max_size=size))


@settings(max_examples=150)
@given(data=st.data(), suite=st.sampled_from(list(AlgorithmSuite)), frame_length=FRAME_LENGTHS)
def test_encrypt_then_decrypt_returns_the_plaintext(
    data: st.DataObject, suite: AlgorithmSuite, frame_length: int
) -> None:
    plaintext = data.draw(plaintexts(frame_length))
    context = data.draw(CONTEXTS)
    keys = _key_set(data.draw(st.sampled_from(["aes", "rsa", "aes+rsa"])))
    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    client = EncryptionSDKClient(commitment_policy=policy)
    ciphertext, header = client.encrypt(
        source=plaintext, key_provider=keys, algorithm=suite, frame_length=frame_length, encryption_context=context
    )
    decrypted, decrypted_header = client.decrypt(source=ciphertext, key_provider=keys)
    assert decrypted == plaintext
    assert decrypted_header == header
    for key, value in context.items():
        assert decrypted_header.encryption_context[key] == value
    read_size = data.draw(st.integers(min_value=1, max_value=5000))
    with client.stream(mode="d", source=io.BytesIO(ciphertext), key_provider=keys) as decryptor:
        pieces = []
        while piece := decryptor.read(read_size):
            pieces.append(piece)
    assert b"".join(pieces) == plaintext
