"""Unit tests for ``aws_encryption_sdk.key_providers.base``.

The providers and master keys here are small user-style subclasses (the way applications
extend the base classes); their "wrapping" is a reversible toy so the tests can focus on the
provider mechanics: construction, members, primary selection and the decrypt loops.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable
from typing import Any, ClassVar

import attr
import attrs
import pytest

from aws_encryption_sdk.exceptions import (
    ConfigMismatchError,
    DecryptKeyError,
    IncorrectMasterKeyError,
    InvalidDataKeyError,
    InvalidKeyIdError,
    MasterKeyProviderError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.key_providers.base import (
    _DECRYPT_KEY_INDEX_LIMIT,
    MasterKey,
    MasterKeyConfig,
    MasterKeyProvider,
    MasterKeyProviderConfig,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo, RawDataKey

SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
CONTEXT = {"purpose": "test"}


# --- toy collaborators ------------------------------------------------------------------------


@attrs.define(slots=False, unsafe_hash=True)
class ToyKeyConfig(MasterKeyConfig):
    provider_id = "toy"


class ToyMasterKey(MasterKey):
    """Wraps a data key as ``b"wrapped:" + key_id + b":" + reversed key``.

    ``fail_with`` (instance attribute) makes ``_decrypt_data_key`` raise; ``calls`` records every
    decrypt attempt (shared list, so tests can see the order across keys).
    """

    provider_id = "toy"
    _config_class = ToyKeyConfig
    data_key_length: int | None = None
    fail_with: Exception | None = None
    calls: list[bytes] | None = None

    def _wrap(self, plaintext: bytes) -> bytes:
        return b"wrapped:" + self.key_id + b":" + plaintext[::-1]

    def _generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> DataKey:
        length = self.data_key_length if self.data_key_length is not None else algorithm.kdf_input_len
        plaintext = bytes(range(length))
        return DataKey(key_provider=self.key_provider, data_key=plaintext, encrypted_data_key=self._wrap(plaintext))

    def _encrypt_data_key(
        self, data_key: DataKey | RawDataKey, algorithm: AlgorithmSuite, encryption_context: dict[str, str]
    ) -> EncryptedDataKey:
        return EncryptedDataKey(key_provider=self.key_provider, encrypted_data_key=self._wrap(data_key.data_key))

    def _decrypt_data_key(
        self, encrypted_data_key: EncryptedDataKey, algorithm: AlgorithmSuite, encryption_context: dict[str, str]
    ) -> DataKey:
        if self.calls is not None:
            self.calls.append(self.key_id)
        if self.fail_with is not None:
            raise self.fail_with
        prefix = b"wrapped:" + self.key_id + b":"
        if not encrypted_data_key.encrypted_data_key.startswith(prefix):
            raise DecryptKeyError("toy key cannot unwrap this")
        plaintext = encrypted_data_key.encrypted_data_key[len(prefix) :][::-1]
        return DataKey(
            key_provider=self.key_provider,
            data_key=plaintext,
            encrypted_data_key=encrypted_data_key.encrypted_data_key,
        )


class ToyProvider(MasterKeyProvider):
    """Vends a :class:`ToyMasterKey` for any id except those starting with ``unknown``."""

    provider_id = "toy"
    _config_class: ClassVar[type[MasterKeyProviderConfig]] = MasterKeyProviderConfig

    def _new_master_key(self, key_id: bytes) -> MasterKey:
        if key_id.startswith(b"unknown"):
            raise InvalidKeyIdError(f"no key {key_id!r}")
        return ToyMasterKey(key_id=key_id)


class NonVendingToyProvider(ToyProvider):
    vend_masterkey_on_decrypt = False


def _edk(key_id: bytes, plaintext: bytes = b"\x01" * 32, provider_id: str = "toy") -> EncryptedDataKey:
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=provider_id, key_info=key_id),
        encrypted_data_key=b"wrapped:" + key_id + b":" + plaintext[::-1],
    )


# --- construction protocol --------------------------------------------------------------------


def _tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.define(slots=False, unsafe_hash=True)
class CountingConfig(MasterKeyProviderConfig):
    count: int = attrs.field(validator=attrs.validators.instance_of(int))
    names: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)


class CountingProvider(ToyProvider):
    _config_class = CountingConfig


def test_provider_is_configured_from_keyword_arguments() -> None:
    provider = CountingProvider(count=3)
    assert provider.config == CountingConfig(count=3)
    assert provider._members == []
    assert provider._encrypt_key_index == {}
    assert provider._decrypt_key_index == {}


def test_provider_uses_a_given_config_object_as_is() -> None:
    config = CountingConfig(count=3)
    assert CountingProvider(config=config).config is config


def test_provider_rejects_positional_arguments() -> None:
    with pytest.raises(TypeError):
        CountingProvider(CountingConfig(count=3))  # type: ignore[call-arg]


def test_provider_rejects_keywords_its_config_does_not_know() -> None:
    with pytest.raises(TypeError):
        ToyProvider(count=3)


def test_provider_config_validators_apply_to_keyword_construction() -> None:
    with pytest.raises(TypeError):
        CountingProvider(count="3")


def test_subclass_init_without_super_sees_config_and_empty_members() -> None:
    seen: dict[str, Any] = {}

    class InitProvider(CountingProvider):
        def __init__(self, **kwargs: Any) -> None:
            seen["count"] = self.config.count
            seen["kwargs"] = kwargs
            self.add_master_key(b"from-init")

    provider = InitProvider(count=7)
    assert seen == {"count": 7, "kwargs": {"count": 7}}
    assert [member.key_id for member in provider._members] == [b"from-init"]  # type: ignore[attr-defined]


def test_classic_attr_s_config_subclass_with_extra_field_works() -> None:
    @attr.s(hash=True)
    class ClassicConfig(MasterKeyProviderConfig):
        region: str = attr.ib(validator=attr.validators.instance_of(str))

    class ClassicProvider(ToyProvider):
        _config_class = ClassicConfig

    assert ClassicProvider(region="eu-west-1").config.region == "eu-west-1"


def test_provider_without_provider_id_cannot_be_instantiated() -> None:
    class NoId(MasterKeyProvider):
        _config_class = MasterKeyProviderConfig

        def _new_master_key(self, key_id: bytes) -> MasterKey:
            raise NotImplementedError

    with pytest.raises(TypeError, match="abstract"):
        NoId()


def test_provider_config_eq_and_hash_are_field_based() -> None:
    assert MasterKeyProviderConfig() == MasterKeyProviderConfig()
    assert hash(MasterKeyProviderConfig()) == hash(MasterKeyProviderConfig())
    assert CountingConfig(count=1) != CountingConfig(count=2)
    assert hash(CountingConfig(count=1, names=["a"])) == hash(CountingConfig(count=1, names=("a",)))


def test_master_key_config_converts_str_key_id_to_bytes() -> None:
    assert ToyKeyConfig(key_id="k1").key_id == b"k1"
    assert ToyKeyConfig("k1") == ToyKeyConfig(key_id=b"k1")


def test_master_key_config_rejects_non_text_key_id() -> None:
    with pytest.raises(TypeError):
        ToyKeyConfig(key_id=5)  # type: ignore[arg-type]


def test_master_key_config_requires_a_provider_id_attribute() -> None:
    with pytest.raises(TypeError, match="provider_id"):
        MasterKeyConfig(key_id=b"k1")


def test_master_key_config_eq_and_hash_are_field_based() -> None:
    assert hash(ToyKeyConfig(key_id=b"a")) == hash(ToyKeyConfig(key_id="a"))
    assert ToyKeyConfig(key_id=b"a") != ToyKeyConfig(key_id=b"b")


def test_non_attrs_master_key_config_subclass_calling_super_init_works() -> None:
    class HandWrittenConfig(MasterKeyConfig):
        provider_id = "toy"

        def __init__(self, name: str) -> None:
            super().__init__(key_id=name)

    assert HandWrittenConfig("k9").key_id == b"k9"


# --- members, primary selection ---------------------------------------------------------------


def test_add_master_key_converts_str_and_is_idempotent() -> None:
    provider = ToyProvider()
    provider.add_master_key("k1")
    first = provider._members[0]
    provider.add_master_key(b"k1")
    assert provider._members == [first]
    assert provider._encrypt_key_index == {b"k1": first}


def test_add_master_keys_from_list_keeps_order() -> None:
    provider = ToyProvider()
    provider.add_master_keys_from_list(["b", "a", "c", "a"])
    assert [member.key_id for member in provider._members] == [b"b", b"a", b"c"]  # type: ignore[attr-defined]


def test_add_master_key_provider_appends_without_deduplication() -> None:
    outer, inner = ToyProvider(), ToyProvider()
    outer.add_master_key_providers_from_list([inner, inner])
    assert outer._members == [inner, inner]


def test_master_key_is_the_same_function_as_master_key_for_encrypt() -> None:
    assert MasterKeyProvider.master_key is MasterKeyProvider.master_key_for_encrypt


def test_master_key_for_encrypt_adds_the_key_and_returns_it() -> None:
    provider = ToyProvider()
    master_key = provider.master_key_for_encrypt("k1")
    assert master_key.key_id == b"k1"
    assert provider._members == [master_key]
    assert provider.master_key(b"k1") is master_key


def test_master_key_for_decrypt_prefers_member_keys() -> None:
    provider = ToyProvider()
    member = provider.master_key_for_encrypt(b"k1")
    assert provider.master_key_for_decrypt("k1") is member
    assert provider._decrypt_key_index == {}


def test_master_key_for_decrypt_creates_and_remembers_decrypt_only_keys() -> None:
    provider = ToyProvider()
    master_key = provider.master_key_for_decrypt(b"k2")
    assert provider._members == []
    assert provider._decrypt_key_index == {b"k2": master_key}
    assert provider.master_key_for_decrypt(b"k2") is master_key


def test_decrypt_only_keys_are_bounded_whatever_key_info_messages_carry() -> None:
    provider = ToyProvider()
    member = provider.master_key_for_encrypt(b"member")
    first = provider.master_key_for_decrypt(b"forged-0")
    for number in range(1, 3 * _DECRYPT_KEY_INDEX_LIMIT):
        provider.master_key_for_decrypt(f"forged-{number}")
        assert len(provider._decrypt_key_index) <= _DECRYPT_KEY_INDEX_LIMIT
    # Forgotten keys are rebuilt on demand; member keys are never forgotten.
    rebuilt = provider.master_key_for_decrypt(b"forged-0")
    assert rebuilt is not first and rebuilt.key_id == first.key_id
    assert provider.master_key_for_decrypt(b"forged-0") is rebuilt
    assert provider.master_key_for_decrypt(b"member") is member
    assert provider.decrypt_data_key(_edk(b"forged-1"), SUITE, CONTEXT).data_key == b"\x01" * 32


def _read_while_the_index_is_cleared(pause_on_line: int) -> tuple[object, bool]:
    """Look up a decrypt-only key, pausing on the n-th line of ``master_key_for_decrypt`` while this thread
    fills the index to its limit (which clears it); return what the lookup gave and whether it paused."""
    provider = ToyProvider()
    provider.master_key_for_decrypt(b"hot")
    paused, resume, lines = threading.Event(), threading.Event(), [0]
    result: list[object] = []

    def on_line(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            lines[0] += 1
            if lines[0] == pause_on_line:
                paused.set()
                resume.wait(5)
        return on_line

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return on_line if frame.f_code is MasterKeyProvider.master_key_for_decrypt.__code__ else None

    def reader() -> None:
        sys.settrace(tracer)
        try:
            result.append(provider.master_key_for_decrypt(b"hot"))
        except Exception as error:
            result.append(error)
        finally:
            sys.settrace(None)

    thread = threading.Thread(target=reader)
    thread.start()
    while not paused.is_set() and thread.is_alive():
        thread.join(0.01)
    for number in range(_DECRYPT_KEY_INDEX_LIMIT):  # fills the index: reaching the limit clears it
        provider.master_key_for_decrypt(f"other-{number}")
    resume.set()
    thread.join(5)
    return result[0], paused.is_set()


def test_a_decrypt_only_key_is_returned_whatever_line_another_threads_clearing_lands_on() -> None:
    """A check-then-index read (``in`` then ``[]``) fails when the clearing lands between the two."""
    line, paused = 0, True
    while paused:
        line += 1
        found, paused = _read_while_the_index_is_cleared(line)
        assert isinstance(found, MasterKey) and found.key_id == b"hot", f"paused on line {line}: {found!r}"
    assert line > 2


def test_master_keys_for_encryption_takes_primary_from_first_member_and_concatenates_keys() -> None:
    inner = ToyProvider()
    inner.add_master_keys_from_list([b"i1", b"i2"])
    outer = ToyProvider()
    outer.add_master_key_provider(inner)
    outer.add_master_key(b"o1")

    primary, keys = outer.master_keys_for_encryption(CONTEXT, None)
    assert primary.key_id == b"i1"
    assert [key.key_id for key in keys] == [b"i1", b"i2", b"o1"]


def test_master_keys_for_encryption_without_members_raises() -> None:
    with pytest.raises(MasterKeyProviderError, match=r"^No Master Keys available from Master Key Provider$"):
        ToyProvider().master_keys_for_encryption(CONTEXT, None, 10)


# --- decrypt_data_key -------------------------------------------------------------------------


def test_decrypt_data_key_uses_the_member_key_with_matching_provider_id() -> None:
    provider = NonVendingToyProvider()
    provider.add_master_key(b"k1")
    data_key = provider.decrypt_data_key(_edk(b"k1", b"\x07" * 32), SUITE, CONTEXT)
    assert data_key.data_key == b"\x07" * 32
    assert data_key.key_provider == MasterKeyInfo("toy", b"k1")


def test_decrypt_data_key_ignores_members_of_other_provider_ids() -> None:
    provider = ToyProvider()
    provider.add_master_key(b"k1")
    with pytest.raises(DecryptKeyError, match=r"^Unable to decrypt data key$") as excinfo:
        provider.decrypt_data_key(_edk(b"k1", provider_id="other"), SUITE, CONTEXT)
    assert excinfo.value.__cause__ is None


@pytest.mark.parametrize(
    "error",
    [IncorrectMasterKeyError("nope"), DecryptKeyError("nope"), InvalidDataKeyError("nope")],
    ids=lambda error: type(error).__name__,
)
def test_decrypt_data_key_skips_keys_failing_with_skippable_errors(error: Exception) -> None:
    calls: list[bytes] = []
    provider = NonVendingToyProvider()
    failing = ToyMasterKey(key_id=b"k1")
    failing.fail_with, failing.calls = error, calls
    working = ToyMasterKey(key_id=b"k1")
    working.calls = calls
    provider.add_master_key_providers_from_list([failing, working])

    data_key = provider.decrypt_data_key(_edk(b"k1"), SUITE, CONTEXT)
    assert data_key.data_key == b"\x01" * 32
    assert calls == [b"k1", b"k1"]


@pytest.mark.parametrize(
    "error",
    [MasterKeyProviderError("filter"), SerializationError("malformed"), ValueError("raw")],
    ids=lambda error: type(error).__name__,
)
def test_decrypt_data_key_propagates_other_errors_at_once(error: Exception) -> None:
    calls: list[bytes] = []
    provider = NonVendingToyProvider()
    failing = ToyMasterKey(key_id=b"k1")
    failing.fail_with, failing.calls = error, calls
    working = ToyMasterKey(key_id=b"k1")
    working.calls = calls
    provider.add_master_key_providers_from_list([failing, working])

    with pytest.raises(type(error)) as excinfo:
        provider.decrypt_data_key(_edk(b"k1"), SUITE, CONTEXT)
    assert excinfo.value is error
    assert calls == [b"k1"]


def test_decrypt_data_key_failure_is_chained_from_every_attempt() -> None:
    provider = NonVendingToyProvider()
    first, second = ToyMasterKey(key_id=b"k1"), ToyMasterKey(key_id=b"k1")
    first.fail_with = DecryptKeyError("first")
    second.fail_with = InvalidDataKeyError("second")
    provider.add_master_key_providers_from_list([first, second])

    with pytest.raises(DecryptKeyError, match=r"^Unable to decrypt data key$") as excinfo:
        provider.decrypt_data_key(_edk(b"k1"), SUITE, CONTEXT)
    cause = excinfo.value.__cause__
    assert isinstance(cause, ExceptionGroup)
    assert list(cause.exceptions) == [first.fail_with, second.fail_with]


class InnerProvider(ToyProvider):
    """A nested provider with its own provider id."""

    provider_id = "inner"

    def _new_master_key(self, key_id: bytes) -> MasterKey:
        return ConfiguredIdMasterKey(key_id=key_id, provider_id="inner")


class OuterVendingProvider(ToyProvider):
    provider_id = "outer"


class OuterNonVendingProvider(NonVendingToyProvider):
    provider_id = "outer"


def test_nested_provider_is_asked_for_a_master_key_when_outer_provider_vends() -> None:
    inner = InnerProvider()
    outer = OuterVendingProvider()
    outer.add_master_key_provider(inner)
    data_key = outer.decrypt_data_key(_edk(b"never-added", provider_id="inner"), SUITE, CONTEXT)
    assert data_key.key_provider == MasterKeyInfo("inner", b"never-added")
    assert list(inner._decrypt_key_index) == [b"never-added"]
    assert outer._decrypt_key_index == {}


def test_nested_provider_is_not_consulted_when_outer_provider_does_not_vend() -> None:
    inner = InnerProvider()
    inner.add_master_key(b"k1")
    outer = OuterNonVendingProvider()
    outer.add_master_key_provider(inner)
    with pytest.raises(DecryptKeyError, match=r"^Unable to decrypt data key$"):
        outer.decrypt_data_key(_edk(b"k1", provider_id="inner"), SUITE, CONTEXT)


def test_nested_master_key_is_used_even_when_outer_provider_does_not_vend() -> None:
    outer = NonVendingToyProvider()
    outer.add_master_key_provider(ToyMasterKey(key_id=b"k1"))
    assert outer.decrypt_data_key(_edk(b"k1"), SUITE, CONTEXT).data_key == b"\x01" * 32


def test_invalid_key_id_from_nested_provider_skips_that_provider() -> None:
    outer = ToyProvider()
    outer.add_master_key_provider(ToyProvider())
    with pytest.raises(DecryptKeyError):
        outer.decrypt_data_key(_edk(b"unknown-1"), SUITE, CONTEXT)


def test_vending_provider_decrypts_with_keys_created_on_demand_for_itself() -> None:
    provider = ToyProvider()
    assert provider.decrypt_data_key(_edk(b"fresh"), SUITE, CONTEXT).data_key == b"\x01" * 32
    assert provider._members == []


# --- decrypt_data_key_from_list ---------------------------------------------------------------


def _provider_with_recording_keys(calls: list[bytes], failing: dict[bytes, Exception]) -> MasterKeyProvider:
    provider = NonVendingToyProvider()
    for key_id in (b"k1", b"k2", b"k3"):
        master_key = ToyMasterKey(key_id=key_id)
        master_key.calls = calls
        master_key.fail_with = failing.get(key_id)
        provider.add_master_key_provider(master_key)
    return provider


def test_decrypt_from_list_tries_keys_in_iteration_order_and_returns_first_success() -> None:
    calls: list[bytes] = []
    provider = _provider_with_recording_keys(calls, {b"k3": DecryptKeyError("no")})
    edks = OrderedSet([_edk(b"k3", b"\x03" * 32), _edk(b"k2", b"\x02" * 32), _edk(b"k1", b"\x01" * 32)])

    data_key = provider.decrypt_data_key_from_list(edks, SUITE, CONTEXT)
    assert data_key.data_key == b"\x02" * 32
    assert calls == [b"k3", b"k2"]


@pytest.mark.parametrize("error", [IncorrectMasterKeyError("x"), InvalidDataKeyError("x"), DecryptKeyError("x")])
def test_decrypt_from_list_moves_on_after_skippable_errors(error: Exception) -> None:
    calls: list[bytes] = []
    provider = _provider_with_recording_keys(calls, {b"k1": error})
    edks = OrderedSet([_edk(b"k1"), _edk(b"k2", b"\x02" * 32)])
    assert provider.decrypt_data_key_from_list(edks, SUITE, CONTEXT).data_key == b"\x02" * 32


def test_decrypt_from_list_aborts_on_other_errors() -> None:
    calls: list[bytes] = []
    provider = _provider_with_recording_keys(calls, {b"k1": MasterKeyProviderError("not allowed")})
    edks = OrderedSet([_edk(b"k1"), _edk(b"k2")])
    with pytest.raises(MasterKeyProviderError, match="not allowed"):
        provider.decrypt_data_key_from_list(edks, SUITE, CONTEXT)
    assert calls == [b"k1"]


def test_decrypt_from_list_failure_lists_every_key_and_error_without_key_material() -> None:
    secret = b"\xee" * 32
    calls: list[bytes] = []
    provider = _provider_with_recording_keys(
        calls, {b"k1": DecryptKeyError("bad tag"), b"k2": InvalidDataKeyError("length 3")}
    )
    edks = OrderedSet(
        [
            _edk(b"k1", secret),
            _edk(b"k2", secret),
            _edk(b"\x00\xff", secret),
            _edk(b"k1", secret, provider_id="elsewhere"),
        ]
    )

    with pytest.raises(DecryptKeyError) as excinfo:
        provider.decrypt_data_key_from_list(edks, SUITE, CONTEXT)
    message = str(excinfo.value)
    prefix = "Unable to decrypt any data key: tried 4 encrypted data keys: "
    assert message.startswith(prefix)
    segments = message[len(prefix) :].split("; ")
    assert [segment.split(": ", 1)[0] for segment in segments] == [
        "(toy, k1)",
        "(toy, k2)",
        "(toy, 0x00ff)",
        "(elsewhere, k1)",
    ]
    # every member with the provider id was tried, in member order
    assert segments[0].startswith("(toy, k1): DecryptKeyError: bad tag, IncorrectMasterKeyError: ")
    assert segments[1].startswith("(toy, k2): IncorrectMasterKeyError: ")
    assert ", InvalidDataKeyError: length 3, IncorrectMasterKeyError: " in segments[1]
    assert segments[2].count("IncorrectMasterKeyError") == 3
    assert segments[3] == "(elsewhere, k1): no master key with this provider id was available to decrypt it"
    assert secret.hex() not in message
    assert repr(secret) not in message


def test_decrypt_from_list_failure_reports_master_key_errors_when_a_master_key_is_the_provider() -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    with pytest.raises(DecryptKeyError) as excinfo:
        master_key.decrypt_data_key_from_list([_edk(b"k2")], SUITE, CONTEXT)
    assert str(excinfo.value) == (
        "Unable to decrypt any data key: tried 1 encrypted data key: (toy, k2): IncorrectMasterKeyError: "
        "Provided data key provider MasterKeyInfo(provider_id='toy', key_info=b'k2') does not match "
        "Master Key provider MasterKeyInfo(provider_id='toy', key_info=b'k1')"
    )


@pytest.mark.parametrize("count", [11, 200])
def test_decrypt_from_list_failure_shows_ten_keys_and_chains_ten_errors_whatever_the_header_holds(count: int) -> None:
    # A message's author chooses how many encrypted data keys it carries: the error stays small.
    edks = [_edk(f"other-{index}".encode()) for index in range(count)]

    with pytest.raises(DecryptKeyError) as excinfo:
        ToyMasterKey(key_id=b"k1").decrypt_data_key_from_list(edks, SUITE, CONTEXT)

    message = str(excinfo.value)
    assert message.startswith(f"Unable to decrypt any data key: tried {count} encrypted data keys: ")
    assert message.endswith(f"; and {count - 10} more")
    assert "(toy, other-9)" in message and "(toy, other-10)" not in message
    cause = excinfo.value.__cause__
    assert isinstance(cause, ExceptionGroup)
    assert len(cause.exceptions) == 10
    assert all(isinstance(error, IncorrectMasterKeyError) for error in cause.exceptions)


@pytest.mark.parametrize("key_info", [b"line\nbreak", b"\x1b[31mred", b"nul\x00byte", "bidi\u202eoverride".encode()])
def test_decrypt_from_list_failure_shows_utf8_key_info_that_is_not_printable_as_hex(key_info: bytes) -> None:
    # Key info comes from the message: control characters must not reach a log line.
    with pytest.raises(DecryptKeyError) as excinfo:
        ToyMasterKey(key_id=b"k1").decrypt_data_key_from_list([_edk(key_info)], SUITE, CONTEXT)

    message = str(excinfo.value)
    assert f"(toy, 0x{key_info.hex()}): " in message
    assert message.isprintable()


def test_decrypt_from_list_with_no_keys_says_so() -> None:
    with pytest.raises(DecryptKeyError, match=r"^Unable to decrypt any data key: no encrypted data keys were given$"):
        ToyProvider().decrypt_data_key_from_list([], SUITE, CONTEXT)


# --- MasterKey --------------------------------------------------------------------------------


@attrs.define(slots=False, unsafe_hash=True)
class ConfiguredIdConfig(MasterKeyConfig):
    provider_id: str = attrs.field(validator=attrs.validators.instance_of(str))


class ConfiguredIdMasterKey(ToyMasterKey):
    provider_id = None  # type: ignore[assignment]
    _config_class = ConfiguredIdConfig  # type: ignore[assignment]


def test_master_key_takes_provider_id_from_config_when_class_has_none() -> None:
    master_key = ConfiguredIdMasterKey(key_id=b"k1", provider_id="from-config")
    assert master_key.provider_id == "from-config"
    assert ConfiguredIdMasterKey.provider_id is None


def test_master_key_rejects_config_provider_id_that_differs_from_class() -> None:
    class Fixed(ToyMasterKey):
        _config_class = ConfiguredIdConfig  # type: ignore[assignment]

    with pytest.raises(
        ConfigMismatchError, match=r"^Config provider_id does not match MasterKey provider_id: other != toy$"
    ):
        Fixed(key_id=b"k1", provider_id="other")
    assert Fixed(key_id=b"k1", provider_id="toy").provider_id == "toy"


def test_master_key_state_after_construction() -> None:
    master_key = ToyMasterKey(key_id="k1")
    assert master_key.key_id == b"k1"
    assert master_key._members == [master_key]
    assert master_key._encrypt_key_index == {b"k1": master_key}
    assert master_key._decrypt_key_index == {}
    assert master_key.key_provider == MasterKeyInfo(provider_id="toy", key_info=b"k1")


def test_master_key_config_object_path() -> None:
    config = ToyKeyConfig(key_id=b"k1")
    assert ToyMasterKey(config=config).config is config


def test_master_key_provides_only_itself() -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    assert master_key.master_keys_for_encryption(CONTEXT, None) == (master_key, [master_key])
    assert master_key.master_key(b"k1") is master_key
    master_key.add_master_key(b"k1")
    assert master_key._members == [master_key]


def test_master_key_refuses_to_provide_other_ids() -> None:
    with pytest.raises(
        InvalidKeyIdError,
        match=r"^MasterKeys can only provide themselves\. Requested b'k2' but only b'k1' is available$",
    ):
        ToyMasterKey(key_id=b"k1").master_key_for_decrypt(b"k2")


def test_master_key_owns_only_data_keys_with_its_key_provider() -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    assert master_key.owns_data_key(_edk(b"k1"))
    assert not master_key.owns_data_key(_edk(b"k2"))
    assert not master_key.owns_data_key(_edk(b"k1", provider_id="other"))


def test_generate_data_key_returns_key_of_suite_length() -> None:
    data_key = ToyMasterKey(key_id=b"k1").generate_data_key(SUITE, CONTEXT)
    assert len(data_key.data_key) == SUITE.kdf_input_len


def test_generate_data_key_rejects_wrong_length() -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    master_key.data_key_length = 16
    with pytest.raises(InvalidDataKeyError, match=r"^Invalid Source Data Key length 16 for algorithm required: 32$"):
        master_key.generate_data_key(SUITE, CONTEXT)


def test_encrypt_then_decrypt_data_key_round_trips() -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    plaintext = RawDataKey(key_provider=master_key.key_provider, data_key=b"\x09" * 32)
    encrypted = master_key.encrypt_data_key(plaintext, SUITE, CONTEXT)
    assert master_key.decrypt_data_key(encrypted, SUITE, CONTEXT).data_key == b"\x09" * 32


def test_decrypt_data_key_rejects_data_keys_it_does_not_own() -> None:
    with pytest.raises(IncorrectMasterKeyError, match=r"^Provided data key provider MasterKeyInfo"):
        ToyMasterKey(key_id=b"k1").decrypt_data_key(_edk(b"k2"), SUITE, CONTEXT)


def test_key_check_accepts_own_data_keys_and_refuses_others() -> None:
    master_key = ToyMasterKey(key_id=b"k1")

    master_key._key_check(_edk(b"k1"))  # its own: no error
    with pytest.raises(IncorrectMasterKeyError, match=r"^Provided data key provider MasterKeyInfo"):
        master_key._key_check(_edk(b"k2"))


def test_decrypt_data_key_asks_key_check_which_a_subclass_may_override() -> None:
    class TrustingMasterKey(ToyMasterKey):
        def _key_check(self, data_key: Any) -> None:
            """Accept every data key (what the base class refuses)."""

    foreign = EncryptedDataKey(  # named for key k2, wrapped as key k1 wraps
        key_provider=MasterKeyInfo(provider_id="toy", key_info=b"k2"), encrypted_data_key=_edk(b"k1").encrypted_data_key
    )

    assert TrustingMasterKey(key_id=b"k1").decrypt_data_key(foreign, SUITE, CONTEXT).data_key == b"\x01" * 32


def test_decrypt_data_key_rejects_decrypted_key_of_wrong_length() -> None:
    with pytest.raises(InvalidDataKeyError, match=r"^Invalid Source Data Key length 5 for algorithm required: 32$"):
        ToyMasterKey(key_id=b"k1").decrypt_data_key(_edk(b"k1", b"short"), SUITE, CONTEXT)


def test_master_key_logs_each_operation_with_its_context_at_info_but_never_the_data_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    master_key = ToyMasterKey(key_id=b"k1")
    with caplog.at_level(logging.INFO, logger="aws_encryption_sdk"):
        data_key = master_key.generate_data_key(SUITE, {"visible": "context"})
        master_key.encrypt_data_key(data_key, SUITE, {"visible": "context"})
        master_key.decrypt_data_key(
            EncryptedDataKey(key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key),
            SUITE,
            {"visible": "context"},
        )
    messages = [record.getMessage() for record in caplog.records if record.levelno == logging.INFO]
    assert [message.split(" a data key ")[0].rsplit(" ", 1)[1] for message in messages] == [
        "generating",
        "encrypting",
        "decrypting",
    ]
    assert all("{'visible': 'context'}" in message for message in messages)
    assert data_key.data_key.hex() not in caplog.text
    assert repr(data_key.data_key) not in caplog.text


# --- repr -------------------------------------------------------------------------------------


def test_provider_repr_lists_sorted_config_fields_with_tuples_as_lists() -> None:
    assert repr(CountingProvider(count=2, names=("x", "y"))) == "CountingProvider(count=2, names=['x', 'y'])"


def test_provider_repr_with_field_less_config() -> None:
    assert repr(ToyProvider()) == "ToyProvider()"


def test_master_key_repr_shows_config_fields() -> None:
    assert repr(ConfiguredIdMasterKey(key_id=b"k1", provider_id="p")) == (
        "ConfiguredIdMasterKey(key_id=b'k1', provider_id=p)"
    )


def test_providers_hash_and_compare_by_identity() -> None:
    first, second = ToyProvider(), ToyProvider()
    assert first != second
    assert len({first, second, first}) == 2
