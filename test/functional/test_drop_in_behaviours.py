"""One test per "behaviour a drop-in must match" (PUBLIC_API.md §15) that the core covers.

Where DECISIONS.md deliberately changes a behaviour, the test pins our decision and names it.
"""

from __future__ import annotations

import io
import logging
import warnings
from unittest import mock

import attrs
import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag

import aws_encryption_sdk
from aws_encryption_sdk import EncryptionSDKClient, streaming_client
from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    BodyAuthenticationError,
    CustomMaximumValueExceeded,
    DecryptKeyError,
    InvalidParameterError,
    MasterKeyProviderError,
    MaxEncryptedDataKeysExceeded,
    NotSupportedError,
    SerializationError,
    SignatureVerificationError,
)
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    ContentType,
    ObjectType,
    SerializationVersion,
)
from aws_encryption_sdk.internal.crypto.encryption import Decryptor, Encryptor
from aws_encryption_sdk.internal.utils.signature import SignaturePolicy
from aws_encryption_sdk.key_providers.base import MasterKey, MasterKeyProvider, MasterKeyProviderConfig
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.materials_managers import EncryptionMaterials, EncryptionMaterialsRequest
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.streaming_client import DecryptorConfig, EncryptorConfig, StreamDecryptor, StreamEncryptor

from .raw_keys import aes_master_key, key_set, rsa_master_key

FORBID = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
REQUIRE_ALLOW = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
REQUIRE_REQUIRE = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
UNSIGNED_COMMITTING = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
SIGNED_COMMITTING = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384


class UnseekableReader:
    """A source that only has ``read`` and returns at most 7 bytes at a time."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(7 if size is None or size < 0 else min(size, 7))


@pytest.fixture
def key() -> RawMasterKey:
    return aes_master_key()


# 15.1 Defaults -------------------------------------------------------------------------------


def test_suites_are_found_by_id_through_the_class_rlookup_table() -> None:
    assert AlgorithmSuite.__rlookup__ == {suite.algorithm_id: suite for suite in AlgorithmSuite}
    assert AlgorithmSuite.get_by_id(0x0578) is AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    with pytest.raises(KeyError):
        AlgorithmSuite.get_by_id(0x0999)


def test_client_defaults_to_require_require_and_no_key_limit() -> None:
    client = EncryptionSDKClient()
    assert client.config.commitment_policy is REQUIRE_REQUIRE
    assert client.config.max_encrypted_data_keys is None


@pytest.mark.parametrize(
    ("policy", "suite"),
    [
        (FORBID, AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384),
        (REQUIRE_ALLOW, SIGNED_COMMITTING),
        (REQUIRE_REQUIRE, SIGNED_COMMITTING),
    ],
)
def test_default_suite_follows_the_commitment_policy(
    policy: CommitmentPolicy, suite: AlgorithmSuite, key: RawMasterKey
) -> None:
    _, header = EncryptionSDKClient(commitment_policy=policy).encrypt(source=b"x", key_provider=key)
    assert header.algorithm is suite
    assert header.version is SerializationVersion(suite.message_format_version)


def test_frame_length_defaults_to_4096_and_zero_means_non_framed(key: RawMasterKey) -> None:
    client = EncryptionSDKClient()
    _, framed = client.encrypt(source=b"x", key_provider=key)
    _, single = client.encrypt(source=b"x", key_provider=key, frame_length=0)
    assert (framed.frame_length, framed.content_type) == (4096, ContentType.FRAMED_DATA)
    assert (single.frame_length, single.content_type) == (0, ContentType.NO_FRAMING)


def test_iteration_yields_8192_byte_chunks_and_line_length_is_ignored(key: RawMasterKey) -> None:
    plaintext = bytes(range(256)) * 100
    ciphertext, _ = EncryptionSDKClient().encrypt(source=plaintext, key_provider=key)
    decryptor = EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key, line_length=10)
    chunks = list(decryptor)
    assert [len(chunk) for chunk in chunks] == [8192, 8192, 8192, 1024]
    assert b"".join(chunks) == plaintext


def test_config_context_defaults() -> None:
    first = EncryptorConfig(source=b"", commitment_policy=FORBID, key_provider=aes_master_key())
    second = EncryptorConfig(source=b"", commitment_policy=FORBID, key_provider=aes_master_key())
    assert first.encryption_context == {} and first.encryption_context is not second.encryption_context
    assert (
        DecryptorConfig(source=b"", commitment_policy=FORBID, key_provider=aes_master_key()).encryption_context is None
    )


# 15.2 Argument validation ----------------------------------------------------------------------


def test_wrong_types_in_configs_are_type_errors(key: RawMasterKey) -> None:
    with pytest.raises(TypeError):
        EncryptionSDKClient(commitment_policy=2)
    with pytest.raises(TypeError):
        EncryptionSDKClient(max_encrypted_data_keys="3")
    with pytest.raises(TypeError):
        EncryptionSDKClient(unknown=1)
    with pytest.raises(TypeError):
        EncryptionSDKClient().encrypt(source=b"", key_provider=key, frame_length="4096")
    with pytest.raises(TypeError):
        EncryptionSDKClient().encrypt(source=b"", key_provider=key, max_body_length=1)
    with pytest.raises(TypeError):
        EncryptionSDKClient().decrypt(source=b"", key_provider=key, algorithm=SIGNED_COMMITTING)
    with pytest.raises(TypeError):
        StreamEncryptor(source=b"", key_provider=key)  # commitment policy is required on direct construction
    with pytest.raises(TypeError):
        EncryptionSDKClient().encrypt(source=b"", key_provider=object())
    with pytest.raises(TypeError):
        EncryptionSDKClient().encrypt(b"")  # type: ignore[call-arg]


def test_types_are_checked_when_built_not_when_assigned(key: RawMasterKey) -> None:
    # The original's attrs classes validate in __init__ only; assignment is never checked.
    header = EncryptionSDKClient().encrypt(source=b"data", key_provider=key)[1]
    with pytest.raises(TypeError, match="'frame_length' must be <class 'int'>") as error:
        type(header)(**{**attrs.asdict(header, recurse=False), "frame_length": "4096"})
    assert error.value.args[1:] == (attrs.fields(type(header)).frame_length, int, "4096")
    header.frame_length = "4096"  # type: ignore[assignment]
    assert vars(header)["frame_length"] == "4096"
    config = EncryptorConfig(
        source=b"", key_provider=key, commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    config.frame_length = None  # type: ignore[assignment]
    assert config.frame_length is None


def test_exactly_one_of_key_provider_and_materials_manager(key: RawMasterKey) -> None:
    client = EncryptionSDKClient()
    with pytest.raises(TypeError, match="Exactly one of materials_manager or key_provider must be provided"):
        client.encrypt(source=b"")
    with pytest.raises(TypeError, match="Exactly one"):
        client.encrypt(source=b"", key_provider=key, materials_manager=DefaultCryptoMaterialsManager(key))


def test_max_encrypted_data_keys_below_one_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="max_encrypted_data_keys cannot be less than 1"):
        EncryptionSDKClient(max_encrypted_data_keys=0)


def test_stream_modes_are_case_insensitive_and_unknown_mode_is_key_error(key: RawMasterKey) -> None:
    client = EncryptionSDKClient()
    assert isinstance(client.stream(mode="E", source=b"", key_provider=key), StreamEncryptor)
    assert isinstance(client.stream(mode="Encrypt", source=b"", key_provider=key), StreamEncryptor)
    assert isinstance(client.stream(mode="D", source=b"", key_provider=key), StreamDecryptor)
    unsigned = client.stream(mode="Decrypt-Unsigned", source=b"", key_provider=key)
    assert unsigned.config.signature_policy is SignaturePolicy.ALLOW_ENCRYPT_FORBID_DECRYPT
    with pytest.raises(KeyError):
        client.stream(mode="x", source=b"", key_provider=key)
    with pytest.raises(KeyError):
        client.stream(source=b"", key_provider=key)


def test_client_owned_kwargs_warn_and_the_client_value_wins(key: RawMasterKey) -> None:
    client = EncryptionSDKClient(commitment_policy=FORBID)
    with pytest.warns(UserWarning, match="Invalid keyword argument 'commitment_policy' passed to encrypt"):
        _, header = client.encrypt(source=b"x", key_provider=key, commitment_policy=REQUIRE_REQUIRE)
    assert not header.algorithm.is_committing()
    with pytest.warns(UserWarning, match="max_encrypted_data_keys"):
        client.stream(mode="e", source=b"x", key_provider=key, max_encrypted_data_keys=3)


def test_signature_policy_from_caller_is_overridden(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    plaintext, _ = EncryptionSDKClient().decrypt(
        source=ciphertext, key_provider=key, signature_policy=SignaturePolicy.ALLOW_ENCRYPT_FORBID_DECRYPT
    )
    assert plaintext == b"x"


def test_config_object_bypasses_the_client_config(key: RawMasterKey) -> None:
    config = EncryptorConfig(
        source=b"x",
        key_provider=key,
        commitment_policy=FORBID,
        algorithm=AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, header = EncryptionSDKClient(commitment_policy=REQUIRE_REQUIRE).encrypt(config=config)
    assert header.algorithm is AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256


@pytest.mark.parametrize("frame_length", [1, 7, 100, 1000, 4097])
def test_any_positive_frame_length_round_trips_decision_2(frame_length: int, key: RawMasterKey) -> None:
    plaintext = bytes(range(256)) * 9
    ciphertext, header = EncryptionSDKClient().encrypt(source=plaintext, key_provider=key, frame_length=frame_length)
    assert header.frame_length == frame_length
    assert EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)[0] == plaintext


@pytest.mark.parametrize("frame_length", [-1, 2**31])
def test_out_of_range_frame_length_fails_lazily(frame_length: int, key: RawMasterKey) -> None:
    encryptor = EncryptionSDKClient().stream(mode="e", source=b"x", key_provider=key, frame_length=frame_length)
    with pytest.raises(SerializationError, match="Frame size"):
        encryptor.read()


def test_reserved_context_key_is_refused_decision_5(key: RawMasterKey) -> None:
    with pytest.raises(InvalidParameterError, match="aws-crypto-foo"):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=key, encryption_context={"aws-crypto-foo": "b"})
    with pytest.raises(InvalidParameterError, match="aws-crypto-public-key"):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=key, encryption_context={"aws-crypto-public-key": "b"})


def test_bytes_context_is_accepted_and_caller_dict_is_not_mutated(key: RawMasterKey) -> None:
    context = {b"bytes-key": b"bytes-value", "text": "value"}
    ciphertext, header = EncryptionSDKClient().encrypt(source=b"x", key_provider=key, encryption_context=context)
    assert context == {b"bytes-key": b"bytes-value", "text": "value"}
    assert header.encryption_context[b"bytes-key"] == b"bytes-value"
    _, decrypted = EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)
    assert decrypted.encryption_context["bytes-key"] == "bytes-value"
    with pytest.raises(TypeError):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=key, encryption_context=[("a", "b")])


def test_decrypt_with_required_context_decision_14(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"x", key_provider=key, encryption_context={"a": "1", "b": "2"}
    )
    plaintext, _ = EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context={"a": "1"})
    assert plaintext == b"x"
    with pytest.raises(ActionNotAllowedError, match="'a'"):
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context={"a": "2"})
    with pytest.raises(ActionNotAllowedError):
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context={"c": "3"})


@pytest.mark.parametrize(
    "required",
    [{"a": "1", "b": "wrong"}, {"a": "1", "c": "3"}, {"a": "1", "b": "2", "z": "9"}],
    ids=["second-value-differs", "second-key-missing", "third-key-missing"],
)
def test_every_required_pair_is_checked_decision_14(required: dict[str, str], key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"x", key_provider=key, encryption_context={"a": "1", "b": "2"}
    )
    with pytest.raises(ActionNotAllowedError, match="required pair"):
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context=required)


def test_required_context_may_use_bytes_as_on_encrypt_decision_14(key: RawMasterKey) -> None:
    context = {b"purpose": b"test", "caf\u00e9": "cr\u00e8me".encode()}
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key, encryption_context=context)
    plaintext, _ = EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context=context)
    assert plaintext == b"x"
    for required in ({b"purpose": b"other"}, {b"\xff": b"test"}, {b"purpose": b"\xff"}, {b"\xff": b"\xfe"}):
        with pytest.raises(ActionNotAllowedError, match="required pair"):
            EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key, encryption_context=required)


# 15.3 Results and streaming semantics ----------------------------------------------------------


def test_the_client_uses_the_stream_classes_the_package_holds_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Upstream unit tests replace ``aws_encryption_sdk.StreamDecryptor`` with a mock and check what comes back."""
    streams = {name: mock.MagicMock(name=name) for name in ("StreamEncryptor", "StreamDecryptor")}
    for name, stand_in in streams.items():
        monkeypatch.setattr(aws_encryption_sdk, name, stand_in)
        opened = stand_in.return_value.__enter__.return_value
        opened.read.return_value = f"{name} output".encode()
    client = EncryptionSDKClient()

    assert client.encrypt(source=b"x", key_provider=mock.sentinel.provider) == (
        b"StreamEncryptor output",
        streams["StreamEncryptor"].return_value.__enter__.return_value.header,
    )
    assert client.decrypt(source=b"x", key_provider=mock.sentinel.provider) == (
        b"StreamDecryptor output",
        streams["StreamDecryptor"].return_value.__enter__.return_value.header,
    )
    streams["StreamDecryptor"].assert_called_once_with(
        source=b"x",
        key_provider=mock.sentinel.provider,
        commitment_policy=REQUIRE_REQUIRE,
        max_encrypted_data_keys=None,
        signature_policy=SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
    )


def test_results_are_plain_tuples_of_bytes_and_header(key: RawMasterKey) -> None:
    result = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    assert type(result) is tuple and type(result[0]) is bytes
    decrypted = EncryptionSDKClient().decrypt(source=result[0], key_provider=key)
    assert type(decrypted) is tuple and decrypted[0] == b"x"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"plain bytes", b"plain bytes"),
        ("plain text", b"plain text"),
        (bytearray(b"a bytearray"), b"a bytearray"),
        (io.BytesIO(b"a stream"), b"a stream"),
        (UnseekableReader(b"a reader with short reads"), b"a reader with short reads"),
    ],
    ids=["bytes", "str", "bytearray", "BytesIO", "short-reads"],
)
def test_sources_bytes_str_and_any_reader(source: object, expected: bytes, key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=source, key_provider=key)
    assert EncryptionSDKClient().decrypt(source=UnseekableReader(ciphertext), key_provider=key)[0] == expected


def test_source_stream_is_never_closed(key: RawMasterKey) -> None:
    source = io.BytesIO(b"data")
    with EncryptionSDKClient().stream(mode="e", source=source, key_provider=key) as encryptor:
        encryptor.read()
    assert not source.closed


@pytest.mark.parametrize("frame_length", [0, 128])
def test_empty_plaintext_round_trips(frame_length: int, key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"", key_provider=key, frame_length=frame_length)
    assert EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)[0] == b""


def test_streams_are_lazy() -> None:
    class Exploding(MasterKeyProvider):
        provider_id = "exploding"
        _config_class = MasterKeyProviderConfig

        def _new_master_key(self, key_id: bytes) -> MasterKey:
            raise AssertionError("not lazy")

        def master_keys_for_encryption(
            self, encryption_context: object, plaintext_rostream: object, plaintext_length: object = None
        ) -> tuple[MasterKey, list[MasterKey]]:
            raise RuntimeError("keys touched")

    stream = EncryptionSDKClient().stream(mode="e", source=b"x", key_provider=Exploding(), frame_length=-5)
    with pytest.raises(RuntimeError, match="keys touched"):
        _ = stream.header


def test_read_semantics(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"0123456789", key_provider=key, frame_length=4)
    decryptor = EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key)
    assert decryptor.read(0) == b""
    assert decryptor.read(3) == b"012"
    assert decryptor.tell() == 3
    assert decryptor.read(None) == b"3456789"
    assert decryptor.read() == b""
    assert decryptor.readable() and not decryptor.writable() and not decryptor.seekable()
    for call in (lambda: decryptor.write(b"x"), lambda: decryptor.writelines([b"x"]), lambda: decryptor.seek(0)):
        with pytest.raises(NotImplementedError):
            call()
    decryptor.close()
    assert not decryptor.readable()
    with pytest.raises(ValueError):
        decryptor.read()
    assert list(decryptor) == []


def test_readlines_returns_chunks(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x" * 9000, key_provider=key)
    lines = EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key).readlines()
    assert [len(line) for line in lines] == [8192, 808]


def test_close_before_the_end_raises_and_with_block_logs_it(
    key: RawMasterKey, caplog: pytest.LogCaptureFixture
) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x" * 100, key_provider=key, frame_length=10)
    decryptor = EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key)
    decryptor.read(5)
    with pytest.raises(SerializationError, match="Footer not read"):
        decryptor.close()
    assert not decryptor.closed
    with (
        caplog.at_level(logging.ERROR),
        EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key) as second,
    ):
        second.read(5)
    assert "Error on closing" in caplog.text
    caplog.clear()
    with (
        caplog.at_level(logging.ERROR),
        pytest.raises(KeyError, match="from the body"),
        EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=key) as third,
    ):
        third.read(5)
        raise KeyError("from the body")
    assert [record.getMessage() for record in caplog.records] == ["Error on closing"]  # at ERROR, as the original


def test_signed_framed_release_before_signature_but_not_the_final_frame(key: RawMasterKey) -> None:
    plaintext = b"p" * 512
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=plaintext, key_provider=key, frame_length=128, algorithm=SIGNED_COMMITTING
    )
    tampered = bytearray(ciphertext)
    tampered[-1] ^= 1
    decryptor = EncryptionSDKClient().stream(mode="d", source=bytes(tampered), key_provider=key)
    released = b""
    with pytest.raises(SignatureVerificationError) as raised:
        while chunk := decryptor.read(100):
            released += chunk
    assert isinstance(raised.value, InvalidSignature)
    assert released == plaintext[: len(released)] and len(released) <= 512
    with pytest.raises(SignatureVerificationError):
        EncryptionSDKClient().decrypt(source=bytes(tampered), key_provider=key)


def test_signed_final_frame_is_withheld_until_the_signature_verifies(key: RawMasterKey) -> None:
    plaintext = b"q" * 100  # one final frame only
    ciphertext, _ = EncryptionSDKClient().encrypt(source=plaintext, key_provider=key, algorithm=SIGNED_COMMITTING)
    tampered = bytearray(ciphertext)
    tampered[-5] ^= 1
    decryptor = EncryptionSDKClient().stream(mode="d", source=bytes(tampered), key_provider=key)
    with pytest.raises(SignatureVerificationError):
        decryptor.read(1)
    assert decryptor.output_buffer == b""


def test_trailing_bytes_decision_4(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    with pytest.raises(SerializationError, match="after the end of the message"):
        EncryptionSDKClient().decrypt(source=ciphertext + b"garbage", key_provider=key)
    with pytest.raises(SerializationError, match="after the end of the message"):
        EncryptionSDKClient().decrypt_with_details(source=ciphertext + b"garbage", key_provider=key)
    source = io.BytesIO(ciphertext + b"next")
    with EncryptionSDKClient().stream(mode="d", source=source, key_provider=key) as decryptor:
        assert decryptor.read() == b"x"
    assert source.read() == b"next"


def test_encrypt_and_decrypt_headers_compare_equal(key: RawMasterKey) -> None:
    for suite in (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, UNSIGNED_COMMITTING):
        policy = REQUIRE_REQUIRE if suite.is_committing() else FORBID
        client = EncryptionSDKClient(commitment_policy=policy)
        ciphertext, encrypted = client.encrypt(
            source=b"x", key_provider=key, algorithm=suite, encryption_context={"a": "b"}
        )
        _, decrypted = client.decrypt(source=ciphertext, key_provider=key)
        assert encrypted == decrypted
        if suite.message_format_version == 1:
            assert (decrypted.type, decrypted.content_aad_length, decrypted.header_iv_length) == (
                ObjectType.CUSTOMER_AE_DATA,
                0,
                12,
            )
            assert decrypted.commitment_key is None
        else:
            assert decrypted.type is None
            assert decrypted.commitment_key is not None and len(decrypted.commitment_key) == 32


@pytest.mark.parametrize("frame_length", [0, 1, 128, 4096])
@pytest.mark.parametrize("suite", list(AlgorithmSuite))
def test_ciphertext_length_is_exact(suite: AlgorithmSuite, frame_length: int, key: RawMasterKey) -> None:
    policy = REQUIRE_REQUIRE if suite.is_committing() else FORBID
    encryptor = EncryptionSDKClient(commitment_policy=policy).stream(
        mode="e", source=b"z" * 300, key_provider=key, algorithm=suite, frame_length=frame_length
    )
    assert isinstance(encryptor, StreamEncryptor)
    expected = encryptor.ciphertext_length()
    assert len(encryptor.read()) == expected


def test_stream_length_of_unseekable_source_is_not_supported(key: RawMasterKey) -> None:
    encryptor = EncryptionSDKClient().stream(mode="e", source=UnseekableReader(b"abc"), key_provider=key)
    with pytest.raises(NotSupportedError):
        _ = encryptor.stream_length
    assert EncryptionSDKClient().decrypt(source=encryptor.read(), key_provider=key)[0] == b"abc"


class _LengthRecordingManager(DefaultCryptoMaterialsManager):
    """The default manager, remembering the plaintext length of each request."""

    lengths: list[int | None]

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        self.lengths.append(request.plaintext_length)
        return super().get_encryption_materials(request)


def test_the_manager_is_told_the_plaintext_length_left_in_the_source(key: RawMasterKey) -> None:
    manager = _LengthRecordingManager(key)
    manager.lengths = []
    positioned = io.BytesIO(b"0123456789")
    positioned.seek(4)
    for source in (b"abc", positioned, UnseekableReader(b"abcd")):
        EncryptionSDKClient().encrypt(source=source, materials_manager=manager)
    EncryptionSDKClient().encrypt(source=UnseekableReader(b"abcd"), materials_manager=manager, source_length=4)
    assert manager.lengths == [3, 6, None, 4]


def test_source_length_is_enforced_only_with_a_materials_manager(key: RawMasterKey) -> None:
    with pytest.raises(CustomMaximumValueExceeded, match="exceeded stated source length"):
        EncryptionSDKClient().encrypt(
            source=UnseekableReader(b"x" * 50), materials_manager=DefaultCryptoMaterialsManager(key), source_length=10
        )
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=UnseekableReader(b"x" * 50), key_provider=key, source_length=10
    )
    assert EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)[0] == b"x" * 50


def test_non_framed_unseekable_source_and_too_large_declared_length(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=UnseekableReader(b"y" * 70), key_provider=key, frame_length=0)
    assert EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)[0] == b"y" * 70
    with pytest.raises(SerializationError, match="Source too large for non-framed message"):
        EncryptionSDKClient().stream(mode="e", source=b"", key_provider=key, frame_length=0, source_length=2**36)


def test_a_non_framed_source_of_unknown_length_is_measured_against_the_limit(
    key: RawMasterKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unseekable source is read up to one byte past the non-framed limit (2**36 - 32, lowered here to 64)."""
    monkeypatch.setattr(streaming_client, "MAX_NON_FRAMED_SIZE", 64)
    ciphertext, _ = EncryptionSDKClient().encrypt(source=UnseekableReader(b"z" * 64), key_provider=key, frame_length=0)
    assert EncryptionSDKClient().decrypt(source=ciphertext, key_provider=key)[0] == b"z" * 64
    with pytest.raises(SerializationError, match="Source too large for non-framed message"):
        EncryptionSDKClient().encrypt(source=UnseekableReader(b"z" * 65), key_provider=key, frame_length=0)


# 15.4 Error types ---------------------------------------------------------------------------------


def test_policy_violations_are_action_not_allowed(key: RawMasterKey) -> None:
    with pytest.raises(ActionNotAllowedError, match="requiring only non-committed"):
        EncryptionSDKClient(commitment_policy=FORBID).encrypt(
            source=b"x", key_provider=key, algorithm=UNSIGNED_COMMITTING
        )
    with pytest.raises(ActionNotAllowedError, match="requiring only committed"):
        EncryptionSDKClient().encrypt(
            source=b"x", key_provider=key, algorithm=AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
        )
    legacy, _ = EncryptionSDKClient(commitment_policy=FORBID).encrypt(source=b"x", key_provider=key)
    with pytest.raises(ActionNotAllowedError, match="Cannot decrypt"):
        EncryptionSDKClient().decrypt(source=legacy, key_provider=key)
    signed, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    with pytest.raises(ActionNotAllowedError, match="decrypt-unsigned"):
        EncryptionSDKClient().stream(mode="decrypt-unsigned", source=signed, key_provider=key).read()


def test_max_encrypted_data_keys_on_encrypt_and_decrypt() -> None:
    provider = key_set(aes_master_key(b"one"), rsa_master_key())
    client = EncryptionSDKClient(max_encrypted_data_keys=1)
    with pytest.raises(MaxEncryptedDataKeysExceeded, match="2 > 1"):
        client.encrypt(source=b"x", key_provider=provider)
    ciphertext, header = EncryptionSDKClient(max_encrypted_data_keys=2).encrypt(source=b"x", key_provider=provider)
    assert len(header.encrypted_data_keys) == 2
    with pytest.raises(MaxEncryptedDataKeysExceeded):
        client.decrypt(source=ciphertext, key_provider=provider)
    assert EncryptionSDKClient(max_encrypted_data_keys=2).decrypt(source=ciphertext, key_provider=provider)[0] == b"x"


def test_max_body_length(key: RawMasterKey) -> None:
    framed, _ = EncryptionSDKClient().encrypt(source=b"x" * 10, key_provider=key, frame_length=256)
    with pytest.raises(
        CustomMaximumValueExceeded, match="Frame Size in header found larger than custom value: 256 > 255"
    ):
        EncryptionSDKClient().decrypt(source=framed, key_provider=key, max_body_length=255)
    single, _ = EncryptionSDKClient().encrypt(source=b"x" * 10, key_provider=key, frame_length=0)
    with pytest.raises(CustomMaximumValueExceeded, match="content length found larger than custom value: 10 > 9"):
        EncryptionSDKClient().decrypt(source=single, key_provider=key, max_body_length=9)
    # The limit is on lengths larger than it: a body of exactly the limit decrypts.
    assert EncryptionSDKClient().decrypt(source=framed, key_provider=key, max_body_length=256)[0] == b"x" * 10
    assert EncryptionSDKClient().decrypt(source=single, key_provider=key, max_body_length=10)[0] == b"x" * 10


def test_non_framed_encryptor_exposes_its_body_encryptor(key: RawMasterKey) -> None:
    """PUBLIC_API 11.3: ``encryptor`` (non-framed only) is among the stream's public-ish attributes."""
    stream = EncryptionSDKClient().stream(
        mode="e",
        source=b"x" * 10,
        key_provider=key,
        frame_length=0,
        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    )
    assert isinstance(stream, StreamEncryptor)
    ciphertext = stream.read()

    assert isinstance(stream.encryptor, Encryptor)
    assert ciphertext.endswith(stream.encryptor.tag)  # an unsigned non-framed message ends with the body tag
    framed = EncryptionSDKClient().stream(mode="e", source=b"x", key_provider=key)
    framed.read()
    assert not hasattr(framed, "encryptor")


def test_non_framed_decryptor_exposes_its_body_decryptor_and_length(key: RawMasterKey) -> None:
    """PUBLIC_API 11.4: ``body_length`` and ``decryptor`` (non-framed only) are public-ish attributes."""
    single, _ = EncryptionSDKClient().encrypt(source=b"x" * 10, key_provider=key, frame_length=0)
    stream = EncryptionSDKClient().stream(mode="d", source=single, key_provider=key)
    assert isinstance(stream, StreamDecryptor)

    assert stream.read() == b"x" * 10
    assert stream.body_length == 10
    assert isinstance(stream.decryptor, Decryptor)
    framed, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    framed_stream = EncryptionSDKClient().stream(mode="d", source=framed, key_provider=key)
    framed_stream.read()
    assert not hasattr(framed_stream, "decryptor")
    assert not hasattr(framed_stream, "body_length")


def test_non_framed_body_iv_must_be_the_deterministic_one(key: RawMasterKey) -> None:
    """DECISIONS 10: the stored body IV is compared with the one every writer uses."""
    single, _ = EncryptionSDKClient().encrypt(
        source=b"x" * 10, key_provider=key, frame_length=0, algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    )
    iv_at = len(single) - 16 - 10 - 8 - 12  # unsigned: IV, content length, content, tag end the message
    assert single[iv_at : iv_at + 12] == bytes(11) + b"\x01"
    altered = single[:iv_at] + bytes(12) + single[iv_at + 12 :]

    with pytest.raises(SerializationError, match="Non-framed body IV does not match the IV for sequence number 1"):
        EncryptionSDKClient().decrypt(source=altered, key_provider=key)


def test_no_usable_key_and_no_master_keys(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=aes_master_key(key=b"\x22" * 32))

    class Empty(MasterKeyProvider):
        provider_id = "empty"
        _config_class = MasterKeyProviderConfig

        def _new_master_key(self, key_id: bytes) -> MasterKey:
            raise AssertionError

    with pytest.raises(MasterKeyProviderError, match="No Master Keys available from Master Key Provider"):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=Empty())


def test_tampered_body_raises_sdk_error_that_is_also_invalid_tag(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x" * 50, key_provider=key, algorithm=UNSIGNED_COMMITTING)
    tampered = bytearray(ciphertext)
    tampered[-20] ^= 0x80
    with pytest.raises(BodyAuthenticationError) as raised:
        EncryptionSDKClient().decrypt(source=bytes(tampered), key_provider=key)
    assert isinstance(raised.value, InvalidTag)


def test_truncated_messages_raise_serialization_errors(key: RawMasterKey) -> None:
    signed, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=key)
    with pytest.raises(SerializationError):
        EncryptionSDKClient().decrypt(source=signed[:-1], key_provider=key)
    with pytest.raises(SerializationError):
        EncryptionSDKClient().decrypt(source=b"", key_provider=key)
    with pytest.raises(NotSupportedError):
        EncryptionSDKClient().decrypt(source=b"\x07" + signed[1:], key_provider=key)


@pytest.mark.parametrize("frame_length", [0, 16, 4096])
@pytest.mark.parametrize("signed", [False, True])
def test_a_message_cut_anywhere_says_unexpected_deserialization_error_as_the_original(
    key: RawMasterKey, signed: bool, frame_length: int
) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"x" * 40,
        key_provider=key,
        frame_length=frame_length,
        algorithm=None if signed else UNSIGNED_COMMITTING,
    )
    # As in the original, a signed message cut in its footer has "No signature found in message".
    expected = "^(Unexpected deserialization error|No signature found in message$)" if signed else "^Unexpected deser"
    for length in range(1, len(ciphertext)):
        with pytest.raises(SerializationError, match=expected):
            EncryptionSDKClient().decrypt(source=ciphertext[:length], key_provider=key)
    if signed:
        with pytest.raises(SerializationError, match=r"^No signature found in message$"):
            EncryptionSDKClient().decrypt(source=ciphertext[:-1], key_provider=key)


def test_frames_out_of_order(key: RawMasterKey) -> None:
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"a" * 20, key_provider=key, frame_length=10, algorithm=UNSIGNED_COMMITTING
    )
    frame_size = 4 + 12 + 10 + 16
    body_start = len(ciphertext) - 2 * frame_size - (4 + 4 + 12 + 4 + 16)
    first = ciphertext[body_start : body_start + frame_size]
    second = ciphertext[body_start + frame_size : body_start + 2 * frame_size]
    swapped = ciphertext[:body_start] + second + first + ciphertext[body_start + 2 * frame_size :]
    with pytest.raises(SerializationError, match="frames out of order"):
        EncryptionSDKClient().decrypt(source=swapped, key_provider=key)


def test_a_source_is_first_read_on_the_first_read_of_the_stream(key: RawMasterKey) -> None:
    # Streams are lazy: a BytesIO filled after the stream was built is read in full.
    client = EncryptionSDKClient()
    plain = io.BytesIO()
    encryptor = client.stream(mode="e", source=plain, key_provider=key)
    plain.write(b"written after the encryptor was built")
    plain.seek(0)
    ciphertext = encryptor.read()
    sealed = io.BytesIO()
    decryptor = client.stream(mode="d", source=sealed, key_provider=key)
    sealed.write(ciphertext)
    sealed.seek(0)
    assert decryptor.read() == b"written after the encryptor was built"
