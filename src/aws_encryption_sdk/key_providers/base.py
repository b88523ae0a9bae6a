"""Base classes for master key providers and master keys.

A :class:`MasterKeyProvider` holds master keys and nested providers. On encrypt it hands the default materials
manager a primary master key (which generates the data key) and the list of every master key (each of which
encrypts it). On decrypt it walks the encrypted data keys and asks each member whose provider id matches to
decrypt them.

A :class:`MasterKey` is a provider that provides only itself and actually generates, encrypts and decrypts
data keys.

Both are configured in ``__new__``, from keyword arguments or from ``config=``, so subclasses may define
``__init__(self, **kwargs)`` without calling ``super().__init__`` and still find ``self.config`` set up.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import attr
import attrs

from aws_encryption_sdk.exceptions import (
    ConfigMismatchError,
    DecryptKeyError,
    IncorrectMasterKeyError,
    InvalidDataKeyError,
    InvalidKeyIdError,
    MasterKeyProviderError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._validators import instance_of
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.internal.utils import source_data_key_length_check
from aws_encryption_sdk.structures import (
    DataKey,
    EncryptedDataKey,
    MasterKeyInfo,
    RawDataKey,
)

if TYPE_CHECKING:
    from typing import Self

__all__ = [
    "ConfigMismatchError",
    "DecryptKeyError",
    "IncorrectMasterKeyError",
    "InvalidDataKeyError",
    "InvalidKeyIdError",
    "MasterKey",
    "MasterKeyConfig",
    "MasterKeyInfo",
    "MasterKeyProvider",
    "MasterKeyProviderConfig",
    "MasterKeyProviderError",
    "to_bytes",
]

_LOGGER = logging.getLogger(__name__)

#: Errors that mean "this master key cannot decrypt this data key": try the next one.
_SKIPPABLE_DECRYPT_ERRORS = (IncorrectMasterKeyError, DecryptKeyError, InvalidDataKeyError)

#: Most master keys a provider keeps for decryption. They are built from the key info of encrypted
#: data keys, which whoever wrote a message chooses, so a long-lived provider fed forged messages
#: must not keep one per distinct key info forever.
_DECRYPT_KEY_INDEX_LIMIT = 1024

_NO_DATA_KEY_FROM_MEMBERS = "Unable to decrypt data key"
_NO_DATA_KEY_FROM_LIST = "Unable to decrypt any data key"


def _key_id_bytes(value: str | bytes) -> bytes:
    result: bytes = to_bytes(value)
    return result


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MasterKeyProviderConfig:
    """Configuration of a master key provider (no fields; subclasses add their own)."""


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MasterKeyConfig:
    """Configuration of a master key.

    Subclasses must supply ``provider_id``, as a class attribute or as a field.

    :param key_id: the master key's id (``str`` is encoded as UTF-8)
    :raises TypeError: when the class has no ``provider_id`` attribute
    """

    key_id: bytes = attrs.field(converter=_key_id_bytes, validator=instance_of(bytes))

    def __attrs_post_init__(self) -> None:
        if not hasattr(self, "provider_id"):
            raise TypeError(
                f'{type(self).__name__} must define a "provider_id" attribute (a class attribute or a field)'
            )


class MasterKeyProvider(metaclass=abc.ABCMeta):
    """Abstract container of master keys and nested master key providers.

    Build a provider with keyword arguments for its config class (``_config_class``) or with ``config=<config
    instance>``; positional arguments are rejected.

    Subclasses set ``provider_id`` (a class attribute string compared with the provider id of encrypted data
    keys) and ``_config_class``, and implement :meth:`_new_master_key`.
    """

    if TYPE_CHECKING:
        provider_id: str
        _config_class: ClassVar[type[MasterKeyProviderConfig | MasterKeyConfig]]
    else:

        @abc.abstractmethod
        def provider_id(self):
            """Provider id of this provider; override with a class attribute string."""

        @abc.abstractmethod
        def _config_class(self):
            """Config class of this provider; override with a class attribute."""

    #: Whether :meth:`~aws_encryption_sdk.key_providers.base.MasterKeyProvider.decrypt_data_key` may ask
    #: nested providers for master keys on demand.
    vend_masterkey_on_decrypt: bool = True

    #: The provider's configuration (an instance of ``_config_class``); subclasses narrow the type.
    config: Any
    _members: list[MasterKeyProvider]
    _encrypt_key_index: dict[bytes, MasterKey]
    _decrypt_key_index: dict[bytes, MasterKey]

    def __new__(cls, **kwargs: Any) -> Self:
        instance = super().__new__(cls)
        config = kwargs.pop("config", None)
        if not isinstance(config, cls._config_class):
            config = cls._config_class(**kwargs)
        instance.config = config
        instance._members = []
        instance._encrypt_key_index = {}
        instance._decrypt_key_index = {}
        return instance

    def __init__(self, **kwargs: Any) -> None:  # noqa: B027 - concrete on purpose: subclasses may call it
        """Nothing to do: configuration happens in ``__new__``."""

    def __repr__(self) -> str:
        # The classic ``attr.asdict`` turns tuples into lists, which the original repr shows.
        fields = attr.asdict(self.config, recurse=True, retain_collection_types=False)
        rendered = ", ".join(f"{name}={value}" for name, value in sorted(fields.items()))
        return f"{type(self).__name__}({rendered})"

    @abc.abstractmethod
    def _new_master_key(self, key_id: bytes) -> MasterKey:
        """Build the master key for a key id.

        :param key_id: the key id
        :returns: the new master key
        :raises InvalidKeyIdError: when this provider does not recognise the key id (ignored on decrypt)
        """

    def master_keys_for_encryption(
        self,
        encryption_context: dict[str, str],
        plaintext_rostream: Any,
        plaintext_length: int | None = None,
    ) -> tuple[MasterKey, list[MasterKey]]:
        """Return the primary master key and every master key to encrypt a message with.

        The primary is the first member's primary; the list concatenates every member's keys, in the order the
        members were added.

        :param encryption_context: the encryption context of the message
        :param plaintext_rostream: a read-only view of the plaintext source
        :param plaintext_length: length of the plaintext if known
        :returns: the primary master key and the list of all master keys
        :raises MasterKeyProviderError: when the provider has no master keys
        """
        primary: MasterKey | None = None
        master_keys: list[MasterKey] = []
        for member in self._members:
            member_primary, member_keys = member.master_keys_for_encryption(
                encryption_context, plaintext_rostream, plaintext_length
            )
            if primary is None:
                primary = member_primary
            master_keys.extend(member_keys)
        if primary is None or not master_keys:
            raise MasterKeyProviderError("No Master Keys available from Master Key Provider")
        return primary, master_keys

    def add_master_key(self, key_id: str | bytes) -> None:
        """Add the master key for ``key_id`` to the members, unless it is already there.

        :param key_id: the key id (``str`` is encoded as UTF-8)
        """
        key_id = _key_id_bytes(key_id)
        if key_id in self._encrypt_key_index:
            return
        master_key = self._new_master_key(key_id)
        self._members.append(master_key)
        self._encrypt_key_index[key_id] = master_key

    def add_master_keys_from_list(self, key_ids: Iterable[str | bytes]) -> None:
        """Add the master key of each key id, in order (see
        :meth:`~aws_encryption_sdk.key_providers.base.MasterKeyProvider.add_master_key`).

        :param key_ids: the key ids
        """
        for key_id in key_ids:
            self.add_master_key(key_id)

    def add_master_key_provider(self, key_provider: MasterKeyProvider) -> None:
        """Add a nested master key provider (or master key) to the members.

        :param key_provider: the provider to add
        """
        self._members.append(key_provider)

    def add_master_key_providers_from_list(self, key_providers: Iterable[MasterKeyProvider]) -> None:
        """Add each provider, in order (see :meth:`add_master_key_provider`).

        :param key_providers: the providers to add
        """
        for key_provider in key_providers:
            self.add_master_key_provider(key_provider)

    def master_key_for_encrypt(self, key_id: str | bytes) -> MasterKey:
        """Return the member master key for ``key_id``, adding it first if needed.

        :param key_id: the key id (``str`` is encoded as UTF-8)
        :returns: the master key
        """
        key_id = _key_id_bytes(key_id)
        self.add_master_key(key_id)
        return self._encrypt_key_index[key_id]

    #: Alias of :meth:`master_key_for_encrypt`.
    master_key = master_key_for_encrypt

    def master_key_for_decrypt(self, key_info: str | bytes) -> MasterKey:
        """Return a master key able to decrypt data keys with this key info.

        Member keys come first, then keys created earlier for decryption; otherwise a new one is created and
        remembered for decryption only (it never becomes a member). At most 1,024 keys are remembered:
        when that many are, they are all forgotten (and rebuilt when next needed), so key info chosen
        by a message's author cannot grow the provider without bound.

        :param key_info: the key info of an encrypted data key (``str`` is encoded as UTF-8)
        :returns: the master key
        :raises InvalidKeyIdError: when this provider does not recognise the key info
        """
        key_info = _key_id_bytes(key_info)
        # One lookup each (never "in" then "[]"): another thread may clear the decrypt index in between.
        master_key = self._encrypt_key_index.get(key_info)
        if master_key is None:
            master_key = self._decrypt_key_index.get(key_info)
        if master_key is not None:
            return master_key
        master_key = self._new_master_key(key_info)
        if len(self._decrypt_key_index) >= _DECRYPT_KEY_INDEX_LIMIT:
            self._decrypt_key_index.clear()  # a single call, so threads sharing the provider see all or nothing
        self._decrypt_key_index[key_info] = master_key
        return master_key

    def _master_key_for_member(
        self, member: MasterKeyProvider, encrypted_data_key: EncryptedDataKey
    ) -> MasterKey | None:
        """Return the master key ``member`` offers for an encrypted data key, or None to skip it."""
        if member.provider_id != encrypted_data_key.key_provider.provider_id:
            return None
        if isinstance(member, MasterKey):
            return member
        if not self.vend_masterkey_on_decrypt:
            return None
        try:
            return member.master_key_for_decrypt(encrypted_data_key.key_provider.key_info)
        except InvalidKeyIdError:
            return None

    def decrypt_data_key(
        self,
        encrypted_data_key: EncryptedDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Decrypt one encrypted data key with the first member that can.

        Only members with the data key's provider id are tried. Nested providers are asked for a master key
        only when this provider's ``vend_masterkey_on_decrypt`` is true. Master keys that fail with
        :class:`~aws_encryption_sdk.exceptions.IncorrectMasterKeyError`,
        :class:`~aws_encryption_sdk.exceptions.DecryptKeyError` or
        :class:`~aws_encryption_sdk.exceptions.InvalidDataKeyError` are skipped; any other error propagates.

        :param encrypted_data_key: the encrypted data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the decrypted data key
        :raises DecryptKeyError: when no member could decrypt it (chained from the failures, if any)
        """
        failures: list[Exception] = []
        for member in [self, *self._members]:
            master_key = self._master_key_for_member(member, encrypted_data_key)
            if master_key is None:
                continue
            try:
                return master_key.decrypt_data_key(encrypted_data_key, algorithm, encryption_context)
            except _SKIPPABLE_DECRYPT_ERRORS as error:
                failures.append(error)
        if failures:
            raise DecryptKeyError(_NO_DATA_KEY_FROM_MEMBERS) from ExceptionGroup(
                f"{len(failures)} master key attempt(s) failed", failures
            )
        raise DecryptKeyError(_NO_DATA_KEY_FROM_MEMBERS)

    def decrypt_data_key_from_list(
        self,
        encrypted_data_keys: Iterable[EncryptedDataKey],
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Decrypt the first encrypted data key that any member can decrypt.

        The keys are tried in iteration order (header order for message headers). Failures that
        :meth:`~aws_encryption_sdk.key_providers.base.MasterKeyProvider.decrypt_data_key` would skip move on
        to the next key; other errors propagate.

        :param encrypted_data_keys: the encrypted data keys
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the first decrypted data key
        :raises DecryptKeyError: when none could be decrypted; the message lists each key tried
            and why it failed
        """
        failures: list[str] = []
        errors: list[Exception] = []
        for encrypted_data_key in encrypted_data_keys:
            try:
                return self.decrypt_data_key(encrypted_data_key, algorithm, encryption_context)
            except _SKIPPABLE_DECRYPT_ERRORS as error:
                failures.append(f"{_describe_edk(encrypted_data_key)}: {_describe_decrypt_failure(error)}")
                errors.append(error)
        if errors:
            raise DecryptKeyError(_no_data_key_message(failures)) from ExceptionGroup(
                f"{len(errors)} encrypted data key(s) could not be decrypted (the first "
                f"{min(len(errors), _MAX_FAILURES_SHOWN)} shown)",
                errors[:_MAX_FAILURES_SHOWN],
            )
        raise DecryptKeyError(_no_data_key_message(failures))


class MasterKey(MasterKeyProvider):
    """Abstract master key: a provider that provides only itself.

    Subclasses set ``provider_id`` (or ``None`` to take it from the config) and ``_config_class`` (a
    :class:`MasterKeyConfig` subclass), and implement :meth:`_generate_data_key`,
    :meth:`_encrypt_data_key` and :meth:`_decrypt_data_key`.
    """

    if TYPE_CHECKING:
        _config_class: ClassVar[type[MasterKeyConfig]]

    config: MasterKeyConfig
    key_id: bytes
    _key_provider_info: MasterKeyInfo | None = None

    def __new__(cls, **kwargs: Any) -> Self:
        instance = super().__new__(cls, **kwargs)
        if not hasattr(instance.config, "provider_id"):
            raise TypeError(f'{type(instance.config).__name__} must define a "provider_id" attribute')
        config_provider_id = instance.config.provider_id
        if config_provider_id is not None:
            if cls.provider_id is None:
                instance.provider_id = config_provider_id
            elif config_provider_id != cls.provider_id:
                raise ConfigMismatchError(
                    "Config provider_id does not match MasterKey provider_id: "
                    f"{config_provider_id} != {cls.provider_id}"
                )
        instance.key_id = instance.config.key_id
        instance._encrypt_key_index = {instance.key_id: instance}
        instance._members = [instance]
        return instance

    @property
    def key_provider(self) -> MasterKeyInfo:
        """The provider id and key id of this master key.

        Built once and reused while ``provider_id`` and ``key_id`` stay the same objects (it is
        read several times per message).
        """
        info = self._key_provider_info
        if info is None or info.provider_id is not self.provider_id or info.key_info is not self.key_id:
            info = self._key_provider_info = MasterKeyInfo(provider_id=self.provider_id, key_info=self.key_id)
        return info

    def owns_data_key(self, data_key: DataKey | RawDataKey | EncryptedDataKey) -> bool:
        """Say whether this master key can decrypt a data key (same provider id and key info).

        :param data_key: the data key
        :returns: True when the data key belongs to this master key
        """
        result: bool = data_key.key_provider == self.key_provider
        return result

    def _key_check(self, data_key: DataKey | RawDataKey | EncryptedDataKey) -> None:
        """Refuse a data key that this master key does not own.

        :param data_key: the data key
        :raises IncorrectMasterKeyError: when its provider id or key info differs from this master key's
        """
        if not self.owns_data_key(data_key):
            raise IncorrectMasterKeyError(
                f"Provided data key provider {data_key.key_provider} does not match "
                f"Master Key provider {self.key_provider}"
            )

    def master_keys_for_encryption(
        self,
        encryption_context: dict[str, str],
        plaintext_rostream: Any,
        plaintext_length: int | None = None,
    ) -> tuple[MasterKey, list[MasterKey]]:
        """Return this master key as both the primary and the only master key.

        :param encryption_context: the encryption context of the message (unused)
        :param plaintext_rostream: a read-only view of the plaintext source (unused)
        :param plaintext_length: length of the plaintext if known (unused)
        :returns: ``(self, [self])``
        """
        return self, [self]

    def _new_master_key(self, key_id: bytes) -> MasterKey:
        """Return this master key if ``key_id`` is its id.

        :param key_id: the requested key id
        :returns: this master key
        :raises InvalidKeyIdError: when ``key_id`` is another id
        """
        if key_id == self.key_id:
            return self
        raise InvalidKeyIdError(
            f"MasterKeys can only provide themselves. Requested {key_id!r} but only {self.key_id!r} is available"
        )

    @abc.abstractmethod
    def _generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> DataKey:
        """Generate a new data key for ``algorithm`` and encrypt it with this master key.

        :param algorithm: the algorithm suite the data key is for
        :param encryption_context: the encryption context of the message
        :returns: the data key, in plaintext and encrypted form
        """

    @abc.abstractmethod
    def _encrypt_data_key(
        self,
        data_key: DataKey | RawDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> EncryptedDataKey:
        """Encrypt a data key with this master key.

        :param data_key: the plaintext data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the encrypted data key
        """

    @abc.abstractmethod
    def _decrypt_data_key(
        self,
        encrypted_data_key: EncryptedDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Decrypt a data key that this master key owns.

        :param encrypted_data_key: the encrypted data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the decrypted data key
        """

    def generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> DataKey:
        """Generate a new data key for ``algorithm``, encrypted with this master key.

        :param algorithm: the algorithm suite the data key is for
        :param encryption_context: the encryption context of the message
        :returns: the data key, in plaintext and encrypted form
        :raises InvalidDataKeyError: when the generated key has the wrong length for the suite
        """
        _LOGGER.info(
            "Master key %s generating a data key with encryption context %s", self.key_provider, encryption_context
        )
        data_key = self._generate_data_key(algorithm, encryption_context)
        source_data_key_length_check(data_key, algorithm)
        return data_key

    def encrypt_data_key(
        self,
        data_key: DataKey | RawDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> EncryptedDataKey:
        """Encrypt a data key with this master key.

        :param data_key: the plaintext data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the encrypted data key
        """
        _LOGGER.info(
            "Master key %s encrypting a data key with encryption context %s", self.key_provider, encryption_context
        )
        return self._encrypt_data_key(data_key, algorithm, encryption_context)

    def decrypt_data_key(
        self,
        encrypted_data_key: EncryptedDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Decrypt a data key that this master key owns.

        :param encrypted_data_key: the encrypted data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context of the message
        :returns: the decrypted data key
        :raises IncorrectMasterKeyError: when this master key does not own the data key
        :raises InvalidDataKeyError: when the decrypted key has the wrong length for the suite
        """
        self._key_check(encrypted_data_key)
        _LOGGER.info(
            "Master key %s decrypting a data key with encryption context %s", self.key_provider, encryption_context
        )
        data_key = self._decrypt_data_key(encrypted_data_key, algorithm, encryption_context)
        source_data_key_length_check(data_key, algorithm)
        return data_key


def _describe_key_info(key_info: bytes) -> str:
    """Render key info as text when it is printable UTF-8, else as hex."""
    try:
        text = key_info.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + key_info.hex()
    return text if text.isprintable() else "0x" + key_info.hex()


def _describe_edk(encrypted_data_key: EncryptedDataKey) -> str:
    """Render the provider id and key info of an encrypted data key (never its ciphertext)."""
    key_provider = encrypted_data_key.key_provider
    return f"({key_provider.provider_id}, {_describe_key_info(key_provider.key_info)})"


def _describe_error(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _describe_decrypt_failure(error: Exception) -> str:
    """Explain why :meth:`MasterKeyProvider.decrypt_data_key` gave up on one encrypted data key."""
    cause = error.__cause__
    if isinstance(error, DecryptKeyError) and error.args == (_NO_DATA_KEY_FROM_MEMBERS,):
        if isinstance(cause, BaseExceptionGroup):
            return ", ".join(_describe_error(attempt) for attempt in cause.exceptions)
        if cause is None:
            return "no master key with this provider id was available to decrypt it"
    return _describe_error(error)


#: The final "no data key" error describes at most this many keys, so a hostile header with
#: thousands of encrypted data keys cannot make an enormous message (or log line).
_MAX_FAILURES_SHOWN = 10


def _no_data_key_message(failures: list[str]) -> str:
    """Build the message of the final "no data key" error from each key's failure."""
    if not failures:
        return f"{_NO_DATA_KEY_FROM_LIST}: no encrypted data keys were given"
    noun = "encrypted data key" if len(failures) == 1 else "encrypted data keys"
    shown = "; ".join(failures[:_MAX_FAILURES_SHOWN])
    hidden = len(failures) - _MAX_FAILURES_SHOWN
    more = f"; and {hidden} more" if hidden > 0 else ""
    return f"{_NO_DATA_KEY_FROM_LIST}: tried {len(failures)} {noun}: {shown}{more}"
