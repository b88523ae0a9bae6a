"""Streaming encryption and decryption: file-like objects over AWS Encryption SDK messages.

:class:`StreamEncryptor` and :class:`StreamDecryptor` are the engine behind
:meth:`aws_encryption_sdk.EncryptionSDKClient.encrypt`, ``decrypt`` and ``stream``. They are lazy:
nothing is read, and no key is touched, until the first ``read``, iteration or ``header`` access.
"""

from __future__ import annotations

import contextlib
import hmac
import io
import logging
import math
from collections.abc import Iterator
from enum import Enum
from types import TracebackType
from typing import Any, ClassVar, Optional

import attrs

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    AWSEncryptionSDKClientError,
    CustomMaximumValueExceeded,
    MasterKeyProviderError,
    MaxEncryptedDataKeysExceeded,
    NotSupportedError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    ContentAADString,
    ContentType,
    SerializationVersion,
)
from aws_encryption_sdk.internal._background_hash import MIN_BACKGROUND_BYTES, BackgroundDigest
from aws_encryption_sdk.internal._frames import (
    FINAL_FRAME_MARKER,
    IV_LENGTH,
    REGULAR_FRAME_OVERHEAD,
    TAG_LENGTH,
    FrameOpener,
    FrameSealer,
    frame_iv,
    parse_u32,
    sealed_length,
)
from aws_encryption_sdk.internal._message_source import MessageSource
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of, optional_non_negative
from aws_encryption_sdk.internal.crypto.authentication import Signer, Verifier
from aws_encryption_sdk.internal.crypto.data_keys import derive_message_keys
from aws_encryption_sdk.internal.crypto.encryption import Decryptor, Encryptor
from aws_encryption_sdk.internal.defaults import (
    ENCODED_SIGNER_KEY,
    FRAME_LENGTH,
    LINE_LENGTH,
    MAX_NON_FRAMED_SIZE,
    TYPE,
)
from aws_encryption_sdk.internal.formatting import ciphertext_length as _ciphertext_length
from aws_encryption_sdk.internal.formatting.deserialize import (
    deserialize_footer,
    deserialize_header,
    deserialize_header_auth,
    deserialize_non_framed_values,
    validate_header,
)
from aws_encryption_sdk.internal.formatting.encryption_context import assemble_content_aad
from aws_encryption_sdk.internal.formatting.serialize import (
    serialize_footer,
    serialize_header,
    serialize_header_auth,
    serialize_non_framed_close,
    serialize_non_framed_open,
)
from aws_encryption_sdk.internal.structures import MessageFooter, MessageHeaderAuthentication
from aws_encryption_sdk.internal.utils import (
    content_type,
    exactly_one_arg_is_not_none,
    message_id,
    prep_stream_data,
    source_data_key_length_check,
    validate_frame_length,
)
from aws_encryption_sdk.internal.utils._context_rules import missing_required_keys, reject_reserved_keys
from aws_encryption_sdk.internal.utils.commitment import (
    validate_commitment_policy_on_decrypt,
    validate_commitment_policy_on_encrypt,
)
from aws_encryption_sdk.internal.utils.signature import SignaturePolicy, validate_signature_policy_on_decrypt
from aws_encryption_sdk.internal.utils.streams import ROStream, length_to_end
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.structures import MasterKeyInfo, MessageHeader

__all__ = ("DecryptorConfig", "EncryptorConfig", "StreamDecryptor", "StreamEncryptor")

_LOGGER = logging.getLogger(__name__)

#: Plaintext bytes the encryptor pulls from its source per batch when asked for everything.
_BATCH_BYTES = 1 << 20


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class _ClientConfig:
    """Settings shared by the encryptor and the decryptor.

    :param source: the message source: ``bytes`` (or another bytes-like object), ``str`` or any
        object with ``read``. A ``str`` is data, encoded as UTF-8, never a file name (as in the
        original); open the file and pass the file object instead. A stream's short reads are not
        taken as its end, and the SDK never closes it.
    :param commitment_policy: which suites may be used
    :param signature_policy: whether signed messages may be decrypted
    :param max_encrypted_data_keys: most encrypted data keys a message may carry (None: no limit)
    :param materials_manager: the crypto materials manager (exactly one of this and ``key_provider``)
    :param key_provider: a master key provider, wrapped in a default crypto materials manager
    :param source_length: length of the source, when known and not discoverable by seeking
    :param line_length: accepted for compatibility; has no effect
    """

    source: Any = attrs.field(converter=prep_stream_data)
    commitment_policy: CommitmentPolicy = attrs.field(validator=instance_of(CommitmentPolicy))
    signature_policy: SignaturePolicy = attrs.field(
        default=SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT, validator=instance_of(SignaturePolicy)
    )
    max_encrypted_data_keys: Optional[int] = attrs.field(default=None, validator=optional_instance_of(int))
    materials_manager: Optional[CryptoMaterialsManager] = attrs.field(
        default=None,
        validator=optional_instance_of(CryptoMaterialsManager),
    )
    key_provider: Optional[MasterKeyProvider] = attrs.field(
        default=None,
        validator=optional_instance_of(MasterKeyProvider),
    )
    source_length: Optional[int] = attrs.field(
        default=None, validator=[optional_instance_of(int), optional_non_negative]
    )
    line_length: int = attrs.field(default=LINE_LENGTH, validator=instance_of(int))

    def __attrs_post_init__(self) -> None:
        if not exactly_one_arg_is_not_none(self.materials_manager, self.key_provider):
            raise TypeError("Exactly one of materials_manager or key_provider must be provided")
        if self.key_provider is not None:
            self.materials_manager = DefaultCryptoMaterialsManager(master_key_provider=self.key_provider)


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptorConfig(_ClientConfig):
    """Settings of a :class:`StreamEncryptor`.

    :param encryption_context: the encryption context (a new empty dict by default)
    :param algorithm: the suite to encrypt with (None: the policy's default)
    :param frame_length: plaintext bytes per frame; 0 writes a non-framed message
    """

    encryption_context: dict[Any, Any] = attrs.field(factory=dict, hash=False, validator=instance_of(dict))
    algorithm: Optional[AlgorithmSuite] = attrs.field(default=None, validator=optional_instance_of(AlgorithmSuite))
    frame_length: int = attrs.field(default=FRAME_LENGTH, validator=instance_of(int))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class DecryptorConfig(_ClientConfig):
    """Settings of a :class:`StreamDecryptor`.

    :param max_body_length: largest frame length (framed) or body length (non-framed) accepted
    :param encryption_context: pairs that must all be present in the message's encryption
        context (checked after the header is authenticated)
    :param max_header_size: largest header body accepted, in bytes (None: no limit)

    .. versionadded:: 4.1.0
       ``max_header_size``; ``encryption_context`` works with master key providers.
    """

    max_body_length: Optional[int] = attrs.field(default=None, validator=optional_instance_of(int))
    encryption_context: Optional[dict[Any, Any]] = attrs.field(
        default=None, hash=False, validator=optional_instance_of(dict)
    )
    max_header_size: Optional[int] = attrs.field(default=None, validator=optional_instance_of(int))


#: Plaintext sealed between hand-overs to the hashing thread in a large signed one-shot encrypt.
_HASH_CHUNK_BYTES = 8 << 20


def _sized_buffer(size: int) -> io.BytesIO:
    """Return a ``BytesIO`` holding ``size`` zero bytes, to fill through ``getbuffer()``.

    Once the view is released, ``getvalue()`` hands back the buffer as ``bytes`` without copying
    it (CPython gives away its own buffer), which saves a copy of the whole message in one-shot
    calls.
    """
    buffer = io.BytesIO()
    if size:
        buffer.seek(size - 1)
        buffer.write(b"\0")
    return buffer


_ENCODED_SIGNER_KEY_BYTES = ENCODED_SIGNER_KEY.encode("ascii")


def _signer_for(materials: EncryptionMaterials) -> Optional[Signer]:
    """Return the signer of a message of a signing suite (None for other suites).

    The materials come from a crypto materials manager, possibly a caller's: a message whose
    signing key, suite and ``aws-crypto-public-key`` disagree could never be decrypted, so it is
    refused before anything is written.

    :raises ActionNotAllowedError: when they disagree
    """
    algorithm = materials.algorithm
    context = materials.encryption_context
    public_key = context.get(ENCODED_SIGNER_KEY, context.get(_ENCODED_SIGNER_KEY_BYTES))  # a CMM may use bytes
    if not algorithm.is_signing():
        if materials.signing_key is not None or public_key is not None:
            raise ActionNotAllowedError(
                f"Cryptographic materials manager provided a signing key or {ENCODED_SIGNER_KEY} for algorithm "
                f"suite {algorithm.name}, which does not sign"
            )
        return None
    if materials.signing_key is None:
        raise ActionNotAllowedError(
            f"Cryptographic materials manager provided no signing key for signing algorithm suite {algorithm.name}"
        )
    signer = Signer.from_key_bytes(algorithm=algorithm, key_bytes=materials.signing_key)
    expected = signer.encoded_public_key()
    if public_key not in (expected, expected.decode("ascii")):  # the context may hold str or bytes
        raise ActionNotAllowedError(
            f"The encryption context's {ENCODED_SIGNER_KEY} is not the public key of the signing key the "
            "cryptographic materials manager provided"
        )
    return signer


class _State(Enum):
    """Where a stream is in its message."""

    NEW = "new"
    BODY = "body"
    DONE = "done"
    FAILED = "failed"


class _EncryptionStream(io.IOBase):
    """File-like behaviour shared by :class:`StreamEncryptor` and :class:`StreamDecryptor`."""

    _config_class: ClassVar[type[_ClientConfig]]
    line_length: ClassVar[int] = LINE_LENGTH
    config: Any
    bytes_read: int
    output_buffer: bytearray
    source_stream: Any
    _stream_length: Optional[int]
    _state: _State
    _header: MessageHeader

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(f"{cls.__name__} takes keyword arguments only")
        instance = super().__new__(cls)
        config = kwargs.pop("config", None)
        if not isinstance(config, cls._config_class):
            config = cls._config_class(**kwargs)
        instance.config = config
        instance.bytes_read = 0
        instance.output_buffer = bytearray()
        instance.source_stream = config.source
        instance._stream_length = config.source_length
        instance._state = _State.NEW
        return instance

    def __del__(self) -> None:
        """Do nothing: the source is never closed by the SDK, and there is nothing else to free."""

    @property
    def _message_prepped(self) -> bool:
        return self._state is not _State.NEW

    @property
    def header(self) -> MessageHeader:
        """The message header (reads or builds it first if needed)."""
        self._prep_if_needed()
        return self._header

    @property
    def stream_length(self) -> int:
        """Bytes left in the source: ``source_length`` if given, else found by seeking.

        :raises NotSupportedError: when the source cannot tell its length
        :raises SerializationError: when measuring it moved the source and it could not be put back;
            the stream is then unusable, since reading on would skip data
        """
        if self._stream_length is None:
            try:
                self._stream_length = length_to_end(self.source_stream)
            except SerializationError:
                self._state = _State.FAILED
                raise
        return self._stream_length

    def _prep_if_needed(self) -> None:
        if self._state is _State.FAILED:
            raise SerializationError("This stream failed earlier and cannot be used; start a new one")
        if self._state is _State.NEW:
            self._run(self._prep_message)

    def _run(self, step: Any, *args: Any) -> Any:
        """Run one step of the message and return its result; any failure leaves the stream unusable."""
        try:
            return step(*args)
        except BaseException:
            self._state = _State.FAILED
            raise

    def _prep_message(self) -> None:
        raise NotImplementedError

    def _read_bytes(self, b: int) -> None:
        raise NotImplementedError

    def read(self, b: Optional[int] = -1) -> bytes:
        """Read ``b`` bytes of output (all of it when ``b`` is None or negative).

        :raises ValueError: when the stream is closed
        """
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if b == 0:
            return b""
        self._prep_if_needed()
        if b is None or b < 0:
            output: bytes = self._run(self._read_all)
        else:
            self._run(self._read_bytes, b)
            output = bytes(self.output_buffer[:b])
            del self.output_buffer[:b]
        self.bytes_read += len(output)
        return output

    def _read_all(self) -> bytes:
        """Process the rest of the message and return all pending output."""
        return b"".join(self._drain())

    def _drain(self) -> list[bytearray]:
        """Process the rest of the message; return all pending output, in order, without copying it."""
        pieces = [self.output_buffer]
        self.output_buffer = bytearray()
        while self._state is _State.BODY:
            self._run(self._read_bytes, _BATCH_BYTES)
            pieces.append(self.output_buffer)
            self.output_buffer = bytearray()
        return pieces

    def _emit(self, data: bytearray) -> None:
        """Queue output (taking ownership of ``data``, which the caller must not touch again)."""
        if self.output_buffer:
            self.output_buffer += data
        else:
            self.output_buffer = data

    def readline(self) -> bytes:  # type: ignore[override]
        """Read the next chunk of ``line_length`` bytes (not newline-delimited)."""
        return self.read(self.line_length)

    def readlines(self) -> list[bytes]:  # type: ignore[override]
        """Read the rest of the output as a list of ``line_length``-byte chunks."""
        return list(self)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self.closed:
            raise StopIteration
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def next(self) -> bytes:
        """Return the next chunk (alias of ``__next__``)."""
        return self.__next__()

    def tell(self) -> int:
        """Return the number of output bytes returned so far."""
        return self.bytes_read

    def readable(self) -> bool:
        """Say whether the stream can be read (it is open)."""
        return not self.closed

    def writable(self) -> bool:
        """SDK streams are never writable."""
        return False

    def write(self, b: Any) -> int:
        """Not available.

        :raises NotImplementedError: always
        """
        raise NotImplementedError("write is not available for this object")

    def writelines(self, lines: Any) -> None:
        """Not available.

        :raises NotImplementedError: always
        """
        raise NotImplementedError("writelines is not available for this object")

    def seek(self, offset: int, whence: int = 0) -> int:
        """Not available.

        :raises NotImplementedError: always
        """
        raise NotImplementedError("seek is not available for this object")

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        try:
            self.close()
        except AWSEncryptionSDKClientError:
            _LOGGER.exception("Error on closing")  # as the original; an error from the block propagates unchanged


class StreamEncryptor(_EncryptionStream):
    """A file-like object that reads plaintext from ``source`` and returns an encrypted message.

    Takes the keyword arguments of :class:`EncryptorConfig` (or ``config=``).
    """

    _config_class = EncryptorConfig
    config: EncryptorConfig
    signer: Optional[Signer]
    #: The body encryptor of a non-framed message (set when the message is prepared).
    encryptor: Encryptor
    _non_framed_length: int
    _non_framed_remaining: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.sequence_number = 1
        self.content_type = content_type(self.config.frame_length)
        self.signer = None
        self._bytes_encrypted = 0
        if (
            self.content_type is ContentType.NO_FRAMING
            and self.config.source_length is not None
            and self.config.source_length > MAX_NON_FRAMED_SIZE
        ):
            raise SerializationError("Source too large for non-framed message")

    @staticmethod
    def _message_id_factory(size: int) -> bytes:
        """Return a new message id (an override seam for known-answer tests)."""
        return message_id(size)

    def ciphertext_length(self) -> int:
        """Return the exact length of the whole encrypted message.

        :raises NotSupportedError: when the source length cannot be determined
        """
        return _ciphertext_length(self.header, self.stream_length)

    def _plaintext_length(self) -> Optional[int]:
        if self._stream_length is None:
            self._stream_length = self._plaintext_source.remaining()
        try:
            return self.stream_length
        except NotSupportedError:
            return None

    def _prep_message(self) -> None:
        config = self.config
        self._plaintext_source = MessageSource(self.source_stream)  # first look at the source: streams are lazy
        validate_commitment_policy_on_encrypt(config.commitment_policy, config.algorithm)
        reject_reserved_keys(config.encryption_context)
        request = EncryptionMaterialsRequest(
            encryption_context=dict(config.encryption_context),
            frame_length=config.frame_length,
            plaintext_rostream=ROStream(self.source_stream),
            plaintext_length=self._plaintext_length(),
            algorithm=config.algorithm,
            commitment_policy=config.commitment_policy,
        )
        assert config.materials_manager is not None
        materials = config.materials_manager.get_encryption_materials(request)
        self._check_materials(materials)
        self._encryption_materials = materials
        algorithm = materials.algorithm
        self.signer = _signer_for(materials)
        validate_frame_length(config.frame_length, algorithm)
        new_message_id = self._message_id_factory(algorithm.message_id_length())
        derived_key, self._commitment_key = derive_message_keys(
            materials.data_encryption_key.data_key, algorithm, new_message_id
        )
        self._derived_data_key = derived_key
        self._header = self.generate_header(new_message_id)
        raw_header = serialize_header(header=self._header, signer=self.signer)
        self.output_buffer += raw_header
        self.output_buffer += serialize_header_auth(
            version=self._header.version,
            algorithm=algorithm,
            header=raw_header,
            data_encryption_key=derived_key,
            signer=self.signer,
        )
        self._sealer = FrameSealer(derived_key, new_message_id)
        self._state = _State.BODY
        if self.content_type is ContentType.NO_FRAMING:
            self._open_non_framed()

    def _check_materials(self, materials: EncryptionMaterials) -> None:
        config = self.config
        validate_commitment_policy_on_encrypt(config.commitment_policy, materials.algorithm)
        if config.algorithm is not None and materials.algorithm != config.algorithm:
            raise ActionNotAllowedError(
                "Cryptographic materials manager provided algorithm suite differs from algorithm suite in request.\n"
                f"Required: {config.algorithm}\nProvided: {materials.algorithm}"
            )
        source_data_key_length_check(materials.data_encryption_key, materials.algorithm)
        edk_count = len(materials.encrypted_data_keys)
        if config.max_encrypted_data_keys and edk_count > config.max_encrypted_data_keys:  # 0: no limit, as decrypt
            raise MaxEncryptedDataKeysExceeded(edk_count, config.max_encrypted_data_keys)

    def generate_header(self, message_id: bytes) -> MessageHeader:
        """Build the header of the message being encrypted.

        :param message_id: the message id to use
        """
        materials = self._encryption_materials
        algorithm = materials.algorithm
        fields: dict[str, Any] = {
            "version": SerializationVersion(algorithm.message_format_version),
            "algorithm": algorithm,
            "message_id": message_id,
            "encryption_context": materials.encryption_context,
            "encrypted_data_keys": materials.encrypted_data_keys,
            "content_type": self.content_type,
            "frame_length": self.config.frame_length,
        }
        if algorithm.message_format_version == 1:
            fields.update(type=TYPE, content_aad_length=0, header_iv_length=algorithm.iv_len)
        else:
            fields.update(commitment_key=self._commitment_key)
        return MessageHeader(**fields)

    def _count_plaintext(self, count: int) -> None:
        self._bytes_encrypted += count
        config = self.config
        if (
            config.key_provider is None
            and config.source_length is not None
            and self._bytes_encrypted > config.source_length
        ):
            raise CustomMaximumValueExceeded(
                "Bytes encrypted has exceeded stated source length estimate:\n"
                f"{self._bytes_encrypted} > {config.source_length}"
            )

    def _read_bytes(self, b: int) -> None:
        if self._state is not _State.BODY:
            return
        if self.content_type is ContentType.NO_FRAMING:
            self._encrypt_non_framed(b)
        else:
            self._encrypt_frames(b)

    def _encrypt_frames(self, b: int) -> None:
        frame_length = self.config.frame_length
        while self._state is _State.BODY and len(self.output_buffer) < b:
            frames = max(1, math.ceil((b - len(self.output_buffer)) / frame_length))
            plaintext = self._plaintext_source.read_up_to(frames * frame_length)
            self._count_plaintext(len(plaintext))
            final = len(plaintext) < frames * frame_length
            sealed = self._sealer.seal_frames(self.sequence_number, plaintext, frame_length, final)
            self.sequence_number += len(plaintext) // frame_length
            if self.signer is not None:
                self.signer.update(sealed)
            self._emit(sealed)
            if final:
                self._finish()

    def _finish(self) -> None:
        self.output_buffer += serialize_footer(self.signer)
        self._plaintext_source.release()
        self._state = _State.DONE

    def _read_all(self) -> bytes:
        """Encrypt the rest of an in-memory framed source straight into the returned ``bytes``."""
        plaintext = self._plaintext_source.in_memory() if self._state is _State.BODY else None
        if plaintext is None or self.content_type is ContentType.NO_FRAMING:
            return super()._read_all()
        frame_length = self.config.frame_length
        with plaintext:
            body_length = sealed_length(len(plaintext), frame_length, True)
            footer_length = 0 if self.signer is None else 2 + self._encryption_materials.algorithm.signature_len
            pending = len(self.output_buffer)
            buffer = _sized_buffer(pending + body_length + footer_length)
            self._count_plaintext(len(plaintext))
            with buffer.getbuffer() as out:
                out[:pending] = self.output_buffer
                with out[pending : pending + body_length] as body:
                    self._seal_body_into(plaintext, frame_length, body)
                if self.signer is not None:
                    out[pending + body_length :] = serialize_footer(self.signer)
            self.sequence_number += len(plaintext) // frame_length
            self._plaintext_source.skip(len(plaintext))
        self.output_buffer = bytearray()
        self._plaintext_source.release()
        self._state = _State.DONE
        return buffer.getvalue()

    def _seal_body_into(self, plaintext: memoryview, frame_length: int, body: memoryview) -> None:
        """Seal all of ``plaintext`` as the rest of the body into ``body``, and hash it when signed.

        A large signed body is sealed in chunks, each hashed on a worker thread while the next is
        sealed.
        """
        signer = self.signer
        if signer is None or len(body) < MIN_BACKGROUND_BYTES:
            self._sealer.seal_frames_into(self.sequence_number, plaintext, frame_length, True, body)
            if signer is not None:
                signer.update(body)
            return
        chunk = max(1, _HASH_CHUNK_BYTES // frame_length) * frame_length
        sequence_number, start, written = self.sequence_number, 0, 0
        with BackgroundDigest(signer) as background:
            while True:
                final = start + chunk >= len(plaintext)
                with plaintext[start : len(plaintext) if final else start + chunk] as piece:
                    sealed = self._sealer.seal_frames_into(sequence_number, piece, frame_length, final, body[written:])
                    sequence_number += len(piece) // frame_length
                background.add(body[written : written + sealed])
                written += sealed
                start += chunk
                if final:
                    return

    def _open_non_framed(self) -> None:
        """Write the IV and length that open a non-framed body, and start its encryptor.

        A source that cannot tell its length is read whole first (its length goes in the header).
        """
        algorithm = self._encryption_materials.algorithm
        length = self._plaintext_length()
        self._unsized_plaintext: Optional[bytes | memoryview] = None
        if length is None:
            self._unsized_plaintext = self._plaintext_source.read_up_to(MAX_NON_FRAMED_SIZE + 1)
            length = len(self._unsized_plaintext)
        if length > MAX_NON_FRAMED_SIZE:
            raise SerializationError("Source too large for non-framed message")
        iv = frame_iv(1)
        self.output_buffer += serialize_non_framed_open(
            algorithm=algorithm, iv=iv, plaintext_length=length, signer=self.signer
        )
        aad = assemble_content_aad(self._header.message_id, ContentAADString.NON_FRAMED_STRING_ID.value, 1, length)
        self.encryptor = Encryptor(algorithm, self._derived_data_key, aad, iv)
        self._non_framed_length = self._non_framed_remaining = length

    def _encrypt_non_framed(self, b: int) -> None:
        """Encrypt a non-framed body until ``b`` bytes of output are pending or the body is done."""
        while self._state is _State.BODY and len(self.output_buffer) < b:
            remaining = self._non_framed_remaining
            if remaining == 0:
                self._close_non_framed()
                return
            chunk = self._unsized_plaintext
            self._unsized_plaintext = None
            if chunk is None:
                chunk = self._plaintext_source.read_up_to(min(_BATCH_BYTES, remaining))
            if not chunk:
                raise SerializationError(
                    f"The source ended {remaining} bytes before the {self._non_framed_length} bytes its length promised"
                )
            self._non_framed_remaining = remaining - len(chunk)
            ciphertext = self.encryptor.update(chunk)
            if self.signer is not None:
                self.signer.update(ciphertext)
            self.output_buffer += ciphertext

    def _close_non_framed(self) -> None:
        """Check that the source ended with the body, then write the tag and the footer.

        :raises CustomMaximumValueExceeded: when, with a materials manager and a ``source_length``,
            the source holds more than that length (as for framed messages)
        :raises SerializationError: when the source holds more than the length in the header
            otherwise (a ``source_length`` or a ``tell()`` that said too little): the rest could not
            be encrypted
        """
        if self._source_holds_more():
            problem = (
                f"the source holds more than the {self._non_framed_length} bytes its length promised; a "
                "non-framed message holds exactly the length written in its header"
            )
            if self.config.key_provider is None and self.config.source_length is not None:
                raise CustomMaximumValueExceeded(
                    f"Bytes encrypted has exceeded stated source length estimate: {problem}"
                )
            raise SerializationError(problem[0].upper() + problem[1:])
        final_block = self.encryptor.finalize()
        if self.signer is not None:
            self.signer.update(final_block)
        self.output_buffer += final_block
        self.output_buffer += serialize_non_framed_close(tag=self.encryptor.tag, signer=self.signer)
        self._finish()

    def _source_holds_more(self) -> bool:
        """Say whether the source holds bytes after a non-framed body, asking only where that cannot block.

        An in-memory source, or one whose length was measured by seeking (or that was read to its
        end), is asked. A stream of a stated ``source_length`` is measured if it can seek and
        otherwise taken at its word: a socket or pipe may stay open after the data.
        """
        source = self._plaintext_source
        if source.remaining() is not None or self.config.source_length is None:
            return source.has_more()
        try:
            return length_to_end(self.source_stream) > 0
        except NotSupportedError:
            return False

    def close(self) -> None:
        """Close the stream (the source is left open)."""
        super().close()


class StreamDecryptor(_EncryptionStream):
    """A file-like object that reads an encrypted message from ``source`` and returns plaintext.

    Takes the keyword arguments of :class:`DecryptorConfig` (or ``config=``). Plaintext is released
    only after its frame authenticates; the final frame of a signed message only after the
    signature verifies.
    """

    _config_class = DecryptorConfig
    config: DecryptorConfig
    verifier: Optional[Verifier]
    header_auth: MessageHeaderAuthentication
    footer: MessageFooter
    #: The body length of a non-framed message (set once its body is about to be read).
    body_length: int
    #: The body decryptor of a non-framed message (set once the body is being decrypted).
    decryptor: Decryptor

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.last_sequence_number = 0
        self.verifier = None

    def _prep_message(self) -> None:
        self._source = MessageSource(self.source_stream)  # first look at the source: streams are lazy
        self._read_header()
        self._state = _State.BODY
        if self._header.content_type is ContentType.NO_FRAMING:
            self._prep_non_framed()
        self._source.verifier = self.verifier

    def _read_header(self) -> None:
        config = self.config
        header, raw_header = deserialize_header(
            self._source.parse_stream(),
            max_encrypted_data_keys=config.max_encrypted_data_keys,
            max_header_size=config.max_header_size,
        )
        self._source.resync()
        algorithm = header.algorithm
        validate_commitment_policy_on_decrypt(config.commitment_policy, algorithm)
        validate_signature_policy_on_decrypt(config.signature_policy, algorithm)
        if (
            header.content_type is ContentType.FRAMED_DATA
            and config.max_body_length is not None
            and header.frame_length > config.max_body_length
        ):
            raise CustomMaximumValueExceeded(
                "Frame Size in header found larger than custom value: "
                f"{header.frame_length:d} > {config.max_body_length:d}"
            )
        materials = self._decryption_materials(header)
        self._decrypted_by = materials.data_key.key_provider
        if materials.verification_key is not None:
            self.verifier = Verifier.from_key_bytes(algorithm=algorithm, key_bytes=materials.verification_key)
            self.verifier.update(raw_header)
        elif algorithm.is_signing():
            raise SerializationError(
                f"The message is signed (algorithm suite {algorithm.algorithm_id:#06x}) but the crypto "
                "materials manager returned no verification key"
            )
        self.header_auth = deserialize_header_auth(
            version=header.version, stream=self._source.parse_stream(), algorithm=algorithm, verifier=self.verifier
        )
        self._source.resync()
        derived_key, commitment_key = derive_message_keys(materials.data_key.data_key, algorithm, header.message_id)
        if algorithm.is_committing() and not hmac.compare_digest(commitment_key or b"", header.commitment_key or b"-"):
            raise MasterKeyProviderError(
                "Key commitment validation failed. Key identity does not match the identity asserted in the "
                "message. Halting processing of this message."
            )
        validate_header(header=header, header_auth=self.header_auth, raw_header=raw_header, data_key=derived_key)
        self._check_required_context(header)
        self._header = header
        self._derived_data_key = derived_key
        self._opener = FrameOpener(derived_key, header.message_id)

    @property
    def decrypted_by(self) -> MasterKeyInfo:
        """The master key (provider id and key info) whose encrypted data key opened this message.

        Reads and authenticates the header first if needed.

        .. versionadded:: 4.1.0
        """
        self._prep_if_needed()
        return self._decrypted_by

    def _decryption_materials(self, header: MessageHeader) -> DecryptionMaterials:
        request = DecryptionMaterialsRequest(
            encrypted_data_keys=header.encrypted_data_keys,
            algorithm=header.algorithm,
            encryption_context=header.encryption_context,
            commitment_policy=self.config.commitment_policy,
        )
        assert self.config.materials_manager is not None
        return self.config.materials_manager.decrypt_materials(request)

    def _check_required_context(self, header: MessageHeader) -> None:
        required = self.config.encryption_context
        if not required:
            return
        missing = missing_required_keys(header.encryption_context, required)
        if missing:
            raise ActionNotAllowedError(
                f"The message's encryption context does not contain the required pair for key {missing[0]!r}"
            )

    def _prep_non_framed(self) -> None:
        iv, body_length = deserialize_non_framed_values(
            stream=self._source.parse_stream(), header=self._header, verifier=self.verifier
        )
        self._source.resync()
        max_body_length = self.config.max_body_length
        if max_body_length is not None and body_length > max_body_length:
            raise CustomMaximumValueExceeded(
                "Non-framed message content length found larger than custom value: "
                f"{body_length:d} > {max_body_length:d}"
            )
        self._non_framed_iv = iv
        self.body_length = body_length

    def _read_bytes(self, b: int) -> None:
        if self._state is not _State.BODY:
            return
        if self._header.content_type is ContentType.NO_FRAMING:
            self._decrypt_non_framed()
        else:
            self._decrypt_frames(b)

    def _decrypt_frames(self, b: int) -> None:
        frame_length = self._header.frame_length
        while self._state is _State.BODY and len(self.output_buffer) < b:
            if not self._decrypt_buffered_frames(b, frame_length):
                self._decrypt_one_frame(frame_length)

    def _read_all(self) -> bytes:
        """Decrypt the rest of an in-memory framed message straight into the returned ``bytes``."""
        data = self._source.in_memory() if self._state is _State.BODY else None
        if data is None or self._header.content_type is ContentType.NO_FRAMING:
            return super()._read_all()
        with data:
            capacity = len(self.output_buffer) + len(data)  # plaintext is never longer than its frames
        if self.verifier is None:
            buffer, position = self._output_buffer_for(capacity)
        else:
            with self._regular_run_hashed_alongside() as run:
                buffer, position = self._output_buffer_for(capacity)  # allocating overlaps the hashing
                with buffer.getbuffer() as out:
                    position = self._open_run_into(run, out, position)
        with buffer.getbuffer() as out:
            while self._state is _State.BODY:
                position = self._decrypt_into(out, position)
        buffer.truncate(position)
        return buffer.getvalue()

    def _output_buffer_for(self, capacity: int) -> tuple[io.BytesIO, int]:
        """Return a buffer of ``capacity`` bytes that starts with the pending output, and that output's length."""
        buffer = _sized_buffer(capacity)
        pending = len(self.output_buffer)
        if pending:
            with buffer.getbuffer() as out:
                out[:pending] = self.output_buffer
            self.output_buffer = bytearray()
        return buffer, pending

    @contextlib.contextmanager
    def _regular_run_hashed_alongside(self) -> Iterator[int]:
        """Hash the run of regular frames next in an in-memory signed message on a worker thread.

        Yields the number of frames in the run, which the block must open; they are consumed,
        already hashed, when the block exits. The rest of the message is hashed in order on this
        thread.
        """
        data = self._source.in_memory()
        assert self.verifier is not None and data is not None
        frame_length = self._header.frame_length
        with data:
            count = self._opener.count_regular_frames(data, self.last_sequence_number + 1, frame_length)
            with data[: count * (frame_length + REGULAR_FRAME_OVERHEAD)] as run:
                if len(run) < MIN_BACKGROUND_BYTES:
                    self.verifier.update(run)
                    yield count
                else:
                    with BackgroundDigest(self.verifier) as background:
                        background.add(run)
                        yield count
        self._source.skip(count * (frame_length + REGULAR_FRAME_OVERHEAD), hashed=True)

    def _open_run_into(self, count: int, out: memoryview, position: int) -> int:
        """Open the next ``count`` regular frames of an in-memory message into ``out`` without consuming them."""
        if not count:
            return position
        frame_length = self._header.frame_length
        first = self.last_sequence_number + 1
        data = self._source.in_memory()
        assert data is not None
        with data, out[position:] as target:
            frames, _ = self._opener.open_regular_frames_into(data, first, frame_length, count, target)
        if frames != count:  # only a regular frame numbered 0xFFFFFFFF stops early, and it is never valid
            raise SerializationError(f"Malformed message: frame {first + frames} is not a valid regular frame")
        self.last_sequence_number += count
        return position + count * frame_length

    def _decrypt_into(self, out: memoryview, position: int) -> int:
        """Decrypt the next run of regular frames (or the next single frame) into ``out`` at ``position``."""
        frame_length = self._header.frame_length
        data = self._source.in_memory()
        assert data is not None
        with data, out[position:] as target:
            frames, used = self._opener.open_regular_frames_into(
                data, self.last_sequence_number + 1, frame_length, len(data), target
            )
        if used:
            self._source.skip(used)
            self.last_sequence_number += frames
            return position + frames * frame_length
        self._decrypt_one_frame(frame_length)
        produced = len(self.output_buffer)
        out[position : position + produced] = self.output_buffer
        self.output_buffer = bytearray()
        return position + produced

    def _decrypt_buffered_frames(self, b: int, frame_length: int) -> bool:
        """Decrypt a run of regular frames straight from an in-memory source; say whether any was."""
        data = self._source.in_memory()
        if data is None:
            return False
        with data:
            max_frames = max(1, math.ceil((b - len(self.output_buffer)) / max(frame_length, 1)))
            plaintext, used = self._opener.open_regular_frames(
                data, self.last_sequence_number + 1, frame_length, max_frames
            )
        if not used:
            return False
        self._source.skip(used)
        self.last_sequence_number += used // (frame_length + REGULAR_FRAME_OVERHEAD)
        self._emit(plaintext)
        return True

    def _decrypt_one_frame(self, frame_length: int) -> None:
        source = self._source
        first = source.read_exact(4, "frame sequence number")
        final = first == FINAL_FRAME_MARKER
        if final:
            sequence_number = parse_u32(source.read_exact(4, "final frame sequence number"))
            iv = source.read_exact(IV_LENGTH, "final frame IV")
            length = parse_u32(source.read_exact(4, "final frame content length"))
            if length > frame_length:
                raise SerializationError(f"Invalid final frame length: {length} > {frame_length}")
        else:
            sequence_number = parse_u32(first)
            iv = source.read_exact(IV_LENGTH, f"frame {sequence_number} IV")
            length = frame_length
        if sequence_number != self.last_sequence_number + 1:
            raise SerializationError("Malformed message: frames out of order")
        content = source.read_exact(length + TAG_LENGTH, f"frame {sequence_number} content and tag")
        if final and self.verifier is not None:
            held = bytearray()
            self._opener.open_frame(sequence_number, final, iv, content, held)
            self._read_footer()
            self.output_buffer += held
        else:
            self._opener.open_frame(sequence_number, final, iv, content, self.output_buffer)
        self.last_sequence_number = sequence_number
        if final:
            self._finish()

    def _decrypt_non_framed(self) -> None:
        content = self._source.read_exact(self.body_length + TAG_LENGTH, "non-framed body content and tag")
        header = self._header
        aad = assemble_content_aad(header.message_id, ContentAADString.NON_FRAMED_STRING_ID.value, 1, self.body_length)
        decryptor = self.decryptor = Decryptor(
            header.algorithm, self._derived_data_key, aad, self._non_framed_iv, content[self.body_length :]
        )
        plaintext = decryptor.update(content[: self.body_length])
        plaintext += decryptor.finalize()  # raises before any of the plaintext is released
        if self.verifier is not None:
            self._read_footer()
        self.output_buffer += plaintext
        self._finish()

    def _read_footer(self) -> None:
        self._source.verifier = None
        self.footer = deserialize_footer(stream=self._source.parse_stream(), verifier=self.verifier)
        self._source.resync()

    def _finish(self) -> None:
        self._state = _State.DONE
        self._source.release()

    def _source_has_trailing_bytes(self) -> bool:
        return self._source.has_more()

    def close(self) -> None:
        """Close the stream (the source is left open).

        :raises SerializationError: when the message was not read to its end
        """
        if self._state is not _State.DONE:
            raise SerializationError("Footer not read")
        super().close()
