"""KMSMasterKey and MRKAwareKMSMasterKey against moto (and botocore's Stubber for exact requests)."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from _moto_kms import ALGORITHM, MotoKms, client_of
from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError
from botocore.stub import Stubber

from aws_encryption_sdk.exceptions import (
    ArnDecodeError,
    DecryptKeyError,
    EncryptKeyError,
    GenerateKeyError,
    IncorrectMasterKeyError,
    KMSCallError,
    MalformedArnError,
)
from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX
from aws_encryption_sdk.key_providers.kms import (
    KMSMasterKey,
    KMSMasterKeyConfig,
    MRKAwareKMSMasterKey,
    MRKAwareKMSMasterKeyConfig,
)
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, RawDataKey

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
OTHER_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
MRK_EAST = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd"
MRK_WEST = "arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd"
CONTEXT = {"purpose": "test", "tenant": "a"}


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    """A us-east-1 KMS client whose calls are answered (and checked) by a Stubber."""
    client = boto3.client("kms", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _edk(key_arn: str, ciphertext: bytes = b"ciphertext") -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=MasterKeyInfo("aws-kms", key_arn), encrypted_data_key=ciphertext)


# Round trips against moto ---------------------------------------------------------------------


def test_generate_then_decrypt_round_trips_through_kms(moto: MotoKms) -> None:
    arn = moto.create_key()
    master_key = KMSMasterKey(key_id=arn, client=moto.client("us-east-1"))

    data_key = master_key.generate_data_key(ALGORITHM, CONTEXT)
    decrypted = master_key.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, dict(CONTEXT))

    assert len(data_key.data_key) == ALGORITHM.kdf_input_len
    assert decrypted.data_key == data_key.data_key
    assert decrypted.key_provider == MasterKeyInfo("aws-kms", arn)


def test_encrypt_data_key_wraps_an_existing_key_that_kms_can_decrypt(moto: MotoKms) -> None:
    arn = moto.create_key()
    master_key = KMSMasterKey(key_id=arn, client=moto.client("us-east-1"))
    plaintext_key = bytes(range(32))

    edk = master_key.encrypt_data_key(RawDataKey(MasterKeyInfo("other", b"k"), plaintext_key), ALGORITHM, CONTEXT)

    assert edk.key_provider == MasterKeyInfo("aws-kms", arn)
    assert master_key.decrypt_data_key(edk, ALGORITHM, CONTEXT).data_key == plaintext_key


@pytest.mark.parametrize("configured", ["alias", "alias_arn", "bare_id"])
def test_key_info_is_the_key_arn_kms_returns_whatever_id_was_configured(moto: MotoKms, configured: str) -> None:
    arn = moto.create_key(alias="alias/my-key")
    key_id = {
        "alias": "alias/my-key",
        "alias_arn": "arn:aws:kms:us-east-1:123456789012:alias/my-key",
        "bare_id": arn.split("/", 1)[1],
    }[configured]
    master_key = KMSMasterKey(key_id=key_id, client=moto.client("us-east-1"))

    generated = master_key.generate_data_key(ALGORITHM, {})
    encrypted = master_key.encrypt_data_key(generated, ALGORITHM, {})

    assert generated.key_provider.key_info == arn.encode()
    assert encrypted.key_provider.key_info == arn.encode()


def test_master_key_configured_with_alias_does_not_own_the_data_keys_it_wrote(moto: MotoKms) -> None:
    moto.create_key(alias="alias/mine")
    master_key = KMSMasterKey(key_id="alias/mine", client=moto.client("us-east-1"))
    data_key = master_key.generate_data_key(ALGORITHM, {})

    with pytest.raises(IncorrectMasterKeyError):
        master_key.decrypt_data_key(
            _edk(data_key.key_provider.key_info.decode(), data_key.encrypted_data_key), ALGORITHM, {}
        )


# KMS failures -----------------------------------------------------------------------------------


def test_wrong_encryption_context_is_a_decrypt_key_error_naming_key_and_kms_code(moto: MotoKms) -> None:
    arn = moto.create_key()
    master_key = KMSMasterKey(key_id=arn, client=moto.client("us-east-1"))
    data_key = master_key.generate_data_key(ALGORITHM, CONTEXT)

    with pytest.raises(DecryptKeyError) as excinfo:
        master_key.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, {"purpose": "other"})

    assert str(excinfo.value).startswith(f"Master Key {arn} unable to decrypt data key: KMS returned ")
    assert "InvalidCiphertextException" in str(excinfo.value)
    assert isinstance(excinfo.value.__cause__, ClientError)


def test_unknown_key_fails_generate_with_generate_key_error(moto: MotoKms) -> None:
    master_key = KMSMasterKey(key_id=KEY_ARN, client=moto.client("us-east-1"))

    with pytest.raises(
        GenerateKeyError, match=r"unable to generate data key: KMS returned NotFoundException"
    ) as excinfo:
        master_key.generate_data_key(ALGORITHM, {})

    assert KEY_ARN in str(excinfo.value)
    assert isinstance(excinfo.value.__cause__, ClientError)


def test_unknown_key_fails_encrypt_with_encrypt_key_error(moto: MotoKms) -> None:
    master_key = KMSMasterKey(key_id=KEY_ARN, client=moto.client("us-east-1"))

    with pytest.raises(EncryptKeyError, match=r"unable to encrypt data key: KMS returned NotFoundException"):
        master_key.encrypt_data_key(RawDataKey(MasterKeyInfo("p", b"k"), bytes(32)), ALGORITHM, {})


def test_ciphertext_of_another_key_is_refused_by_kms_with_access_denied(moto: MotoKms) -> None:
    arn = moto.create_key()
    other_arn = moto.create_key()
    client = moto.client("us-east-1")
    foreign = KMSMasterKey(key_id=other_arn, client=client).generate_data_key(ALGORITHM, {})
    master_key = KMSMasterKey(key_id=arn, client=client)

    with pytest.raises(DecryptKeyError, match="KMS returned AccessDeniedException"):
        master_key.decrypt_data_key(_edk(arn, foreign.encrypted_data_key), ALGORITHM, {})


@pytest.mark.parametrize(
    ("operation", "call", "error_class", "action"),
    [
        ("generate_data_key", lambda key: key.generate_data_key(ALGORITHM, {}), GenerateKeyError, "generate"),
        (
            "encrypt",
            lambda key: key.encrypt_data_key(RawDataKey(MasterKeyInfo("p", b"k"), bytes(32)), ALGORITHM, {}),
            EncryptKeyError,
            "encrypt",
        ),
        ("decrypt", lambda key: key.decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {}), DecryptKeyError, "decrypt"),
    ],
)
def test_disabled_key_error_names_the_key_and_kms_code(
    stubbed: tuple[Any, Stubber], operation: str, call: Any, error_class: type[Exception], action: str
) -> None:
    # moto 5 ignores disable_key, so KMS's DisabledException is stubbed.
    client, stubber = stubbed
    stubber.add_client_error(operation, "DisabledException", f"{KEY_ARN} is disabled.", http_status_code=400)
    master_key = KMSMasterKey(key_id=KEY_ARN, client=client)

    with pytest.raises(error_class) as excinfo:
        call(master_key)

    assert str(excinfo.value) == (
        f"Master Key {KEY_ARN} unable to {action} data key: KMS returned DisabledException: {KEY_ARN} is disabled."
    )
    assert isinstance(excinfo.value.__cause__, ClientError)


def test_botocore_error_other_than_a_kms_response_is_an_sdk_error_naming_the_key_and_still_the_botocore_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = botocore.session.Session().create_client("kms", region_name="us-east-1")
    master_key = KMSMasterKey(key_id=KEY_ARN, client=client)

    # Code written for the original caught botocore's exception, which it let through.
    with pytest.raises(NoCredentialsError) as raised:
        master_key.generate_data_key(ALGORITHM, {})

    assert isinstance(raised.value, KMSCallError)
    assert str(raised.value) == (
        f"Master Key {KEY_ARN} unable to generate data key: AWS KMS could not be called: "
        "NoCredentialsError: Unable to locate credentials"
    )
    assert type(raised.value.__cause__) is NoCredentialsError
    failure = next(record for record in caplog.records if record.levelno == logging.ERROR)
    assert (failure.name, failure.getMessage()) == ("aws_encryption_sdk.key_providers.kms", str(raised.value))
    assert failure.exc_info is not None


def test_kms_error_is_logged_at_error_with_its_traceback_as_in_the_original(
    stubbed: tuple[Any, Stubber], caplog: pytest.LogCaptureFixture
) -> None:
    client, stubber = stubbed
    stubber.add_client_error("decrypt", "AccessDeniedException", "no", http_status_code=400)
    master_key = KMSMasterKey(key_id=KEY_ARN, client=client)

    with pytest.raises(DecryptKeyError):
        master_key.decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {})

    (failure,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert failure.name == "aws_encryption_sdk.key_providers.kms"
    assert failure.getMessage().startswith(f"Master Key {KEY_ARN} unable to decrypt data key: KMS returned")
    assert failure.exc_info is not None
    assert failure.exc_info[0] is ClientError


# Exact request shapes (Stubber) ---------------------------------------------------------------------


def test_generate_request_sends_context_even_when_empty_and_no_grant_tokens(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "generate_data_key",
        {"KeyId": KEY_ARN, "Plaintext": bytes(32), "CiphertextBlob": b"blob"},
        {"KeyId": KEY_ARN, "NumberOfBytes": 32, "EncryptionContext": {}},
    )

    KMSMasterKey(key_id=KEY_ARN, client=client).generate_data_key(ALGORITHM, {})


def test_generate_request_carries_context_and_grant_tokens(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "generate_data_key",
        {"KeyId": KEY_ARN, "Plaintext": bytes(32), "CiphertextBlob": b"blob"},
        {"KeyId": KEY_ARN, "NumberOfBytes": 32, "EncryptionContext": CONTEXT, "GrantTokens": ("t1", "t2")},
    )

    data_key = KMSMasterKey(key_id=KEY_ARN, client=client, grant_tokens=["t1", "t2"]).generate_data_key(
        ALGORITHM, CONTEXT
    )

    assert data_key.encrypted_data_key == b"blob"


def test_encrypt_request_omits_empty_context_and_grant_tokens(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "encrypt", {"KeyId": KEY_ARN, "CiphertextBlob": b"blob"}, {"KeyId": KEY_ARN, "Plaintext": bytes(32)}
    )

    edk = KMSMasterKey(key_id=KEY_ARN, client=client).encrypt_data_key(
        RawDataKey(MasterKeyInfo("p", b"k"), bytes(32)), ALGORITHM, {}
    )

    assert edk == _edk(KEY_ARN, b"blob")


def test_encrypt_request_carries_context_and_grant_tokens(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "encrypt",
        {"KeyId": KEY_ARN, "CiphertextBlob": b"blob"},
        {"KeyId": KEY_ARN, "Plaintext": bytes(32), "EncryptionContext": CONTEXT, "GrantTokens": ("t",)},
    )

    KMSMasterKey(key_id=KEY_ARN, client=client, grant_tokens=("t",)).encrypt_data_key(
        RawDataKey(MasterKeyInfo("p", b"k"), bytes(32)), ALGORITHM, CONTEXT
    )


def test_decrypt_request_always_names_the_configured_key(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "decrypt", {"KeyId": KEY_ARN, "Plaintext": bytes(32)}, {"CiphertextBlob": b"blob", "KeyId": KEY_ARN}
    )
    stubber.add_response(
        "decrypt",
        {"KeyId": KEY_ARN, "Plaintext": bytes(32)},
        {"CiphertextBlob": b"blob", "KeyId": KEY_ARN, "EncryptionContext": CONTEXT, "GrantTokens": ("t",)},
    )

    KMSMasterKey(key_id=KEY_ARN, client=client).decrypt_data_key(_edk(KEY_ARN, b"blob"), ALGORITHM, {})
    KMSMasterKey(key_id=KEY_ARN, client=client, grant_tokens=["t"]).decrypt_data_key(
        _edk(KEY_ARN, b"blob"), ALGORITHM, CONTEXT
    )


# Validation of KMS responses and EDKs ------------------------------------------------------------


@pytest.mark.parametrize("returned_key_id", ["alias/not-an-arn", "11111111-2222-3333-4444-555555555555"])
def test_generate_refuses_a_response_key_id_that_is_not_an_arn(
    stubbed: tuple[Any, Stubber], returned_key_id: str
) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "generate_data_key", {"KeyId": returned_key_id, "Plaintext": bytes(32), "CiphertextBlob": b"b"}
    )

    with pytest.raises(
        GenerateKeyError, match=f"Retrieved an unexpected KeyID in response from KMS: {returned_key_id}"
    ):
        KMSMasterKey(key_id=KEY_ARN, client=client).generate_data_key(ALGORITHM, {})


def test_encrypt_refuses_a_response_key_id_that_is_not_an_arn(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("encrypt", {"KeyId": "alias/x", "CiphertextBlob": b"b"})

    with pytest.raises(EncryptKeyError, match="Retrieved an unexpected KeyID in response from KMS: alias/x"):
        KMSMasterKey(key_id=KEY_ARN, client=client).encrypt_data_key(
            RawDataKey(MasterKeyInfo("p", b"k"), bytes(32)), ALGORITHM, {}
        )


def test_generate_response_without_plaintext_is_a_generate_key_error(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("generate_data_key", {"KeyId": KEY_ARN, "CiphertextBlob": b"b"})

    with pytest.raises(GenerateKeyError, match=f"Master Key {KEY_ARN} unable to generate data key: .*Plaintext"):
        KMSMasterKey(key_id=KEY_ARN, client=client).generate_data_key(ALGORITHM, {})


def test_decrypt_refuses_a_response_for_another_key(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("decrypt", {"KeyId": OTHER_KEY_ARN, "Plaintext": bytes(32)})

    with pytest.raises(
        DecryptKeyError, match=f"AWS KMS returned unexpected key_id {OTHER_KEY_ARN} \\(expected {KEY_ARN}\\)"
    ):
        KMSMasterKey(key_id=KEY_ARN, client=client).decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {})


def test_decrypt_refuses_plaintext_of_the_wrong_length(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("decrypt", {"KeyId": KEY_ARN, "Plaintext": bytes(16)})

    with pytest.raises(
        DecryptKeyError, match=r"Plaintext length \(16\) does not match algorithm's expected length \(32\)"
    ):
        KMSMasterKey(key_id=KEY_ARN, client=client).decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {})


def test_decrypt_skips_edk_key_info_that_is_an_alias_arn_without_calling_kms(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed  # no stubbed responses: any KMS call would fail the test
    alias = "arn:aws:kms:us-east-1:123456789012:alias/mine"
    master_key = KMSMasterKey(key_id=alias, client=client)

    with pytest.raises(DecryptKeyError, match="AWS KMS Provider EDK contains unexpected key_id: " + alias):
        master_key.decrypt_data_key(_edk(alias), ALGORITHM, {})


@pytest.mark.parametrize(
    ("key_info", "reason"),
    [("not-an-arn", "Missing 'arn' string"), ("arn:aws:kms:us-east-1:123456789012", "list index out of range")],
)
def test_decrypt_of_edk_key_info_that_is_no_arn_raises_malformed_arn_without_calling_kms(
    stubbed: tuple[Any, Stubber], key_info: str, reason: str
) -> None:
    client, _ = stubbed  # no stubbed responses: any KMS call would fail the test
    master_key = KMSMasterKey(key_id=key_info, client=client)

    with pytest.raises(MalformedArnError, match=f"^Resource {key_info} could not be parsed as an ARN: {reason}$"):
        master_key.decrypt_data_key(_edk(key_info), ALGORITHM, {})


# Configs and default clients ---------------------------------------------------------------------


def test_default_client_uses_the_key_arn_region_and_the_sdk_user_agent(default_region: str) -> None:
    master_key = KMSMasterKey(key_id="arn:aws:kms:eu-central-1:123456789012:key/abc")

    assert client_of(master_key).meta.region_name == "eu-central-1"
    assert client_of(master_key).meta.config.user_agent_extra == USER_AGENT_SUFFIX


def test_default_client_for_a_bare_key_id_uses_the_default_region(default_region: str) -> None:
    master_key = KMSMasterKey(key_id="alias/mine")

    assert client_of(master_key).meta.region_name == default_region


def test_default_client_for_a_bare_key_id_without_any_region_fails_like_boto3() -> None:
    with pytest.raises(NoRegionError):
        KMSMasterKey(key_id="alias/mine")


def test_config_requires_a_botocore_client() -> None:
    with pytest.raises(TypeError, match="client"):
        KMSMasterKeyConfig(key_id=KEY_ARN, client=object())  # type: ignore[arg-type]


def test_mrk_config_requires_a_client() -> None:
    with pytest.raises(TypeError):
        MRKAwareKMSMasterKeyConfig(key_id=MRK_EAST)  # type: ignore[call-arg]


def test_config_converts_key_id_to_bytes_and_grant_tokens_to_tuple(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed
    config = KMSMasterKeyConfig(KEY_ARN, client, ["t"])

    assert config.key_id == KEY_ARN.encode()
    assert config.grant_tokens == ("t",)
    assert config.provider_id == "aws-kms"
    assert KMSMasterKey(config=config).key_provider == MasterKeyInfo("aws-kms", KEY_ARN)


def test_master_key_repr_names_key_and_grant_tokens(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed
    text = repr(KMSMasterKey(key_id=KEY_ARN, client=client, grant_tokens=["tok"]))

    assert text.startswith("KMSMasterKey(client=")
    assert f"key_id=b'{KEY_ARN}'" in text


def test_data_keys_are_never_logged(moto: MotoKms, caplog: pytest.LogCaptureFixture) -> None:
    arn = moto.create_key()
    master_key = KMSMasterKey(key_id=arn, client=moto.client("us-east-1"))
    caplog.set_level(logging.DEBUG)

    data_key = master_key.generate_data_key(ALGORITHM, CONTEXT)
    master_key.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, CONTEXT)
    with pytest.raises(DecryptKeyError):
        master_key.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, {})

    logged = caplog.text
    assert data_key.data_key.hex() not in logged
    assert repr(data_key.data_key)[2:-1] not in logged


@pytest.mark.parametrize("cls", [KMSMasterKey, MRKAwareKMSMasterKey])
def test_decrypting_another_keys_edk_is_refused_without_calling_kms(stubbed: tuple[Any, Stubber], cls: type) -> None:
    """The check behind owns_data_key, for subclasses and callers of _decrypt_data_key (nothing is queued)."""
    client, _ = stubbed
    ours = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    theirs = "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
    with pytest.raises(DecryptKeyError, match="does not match this provider's key_id"):
        cls(key_id=ours, client=client)._decrypt_data_key(_edk(theirs), ALGORITHM, {"a": "b"})


# MRK-aware master keys --------------------------------------------------------------------------------


def test_mrk_master_key_owns_data_keys_of_its_replicas_only(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed
    master_key = MRKAwareKMSMasterKey(key_id=MRK_EAST, client=client)

    assert master_key.owns_data_key(_edk(MRK_WEST))
    assert master_key.owns_data_key(_edk(MRK_EAST))
    assert not master_key.owns_data_key(_edk(MRK_WEST.replace("mrk-1234abcd", "mrk-other")))
    assert not master_key.owns_data_key(_edk(MRK_WEST.replace("123456789012", "210987654321")))
    assert not master_key.owns_data_key(_edk("arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd"))
    assert not master_key.owns_data_key(_edk("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd"))
    assert not master_key.owns_data_key(EncryptedDataKey(MasterKeyInfo("other", MRK_EAST), b"x"))
    assert not master_key.owns_data_key(EncryptedDataKey(MasterKeyInfo("other", b"not-an-arn"), b"x"))


@pytest.mark.parametrize(
    ("key_info", "message"),
    [
        (b"not-an-arn", "^Resource not-an-arn could not be parsed as an ARN: Missing 'arn' string$"),
        (b"\xff\xfe", r"^Resource 0xfffe could not be parsed as an ARN: not UTF-8 \(invalid start byte\)$"),
    ],
)
def test_mrk_master_key_asked_about_kms_key_info_that_is_no_arn_raises_malformed_arn(
    stubbed: tuple[Any, Stubber], key_info: bytes, message: str
) -> None:
    client, _ = stubbed
    master_key = MRKAwareKMSMasterKey(key_id=MRK_EAST, client=client)

    with pytest.raises(MalformedArnError, match=message):
        master_key.owns_data_key(EncryptedDataKey(MasterKeyInfo("aws-kms", key_info), encrypted_data_key=b"x"))


def test_mrk_master_key_with_a_bare_mrk_id_owns_that_id_and_raises_for_any_other(
    stubbed: tuple[Any, Stubber],
) -> None:
    """As in the original: only identical ids match without parsing, and a bare id is no ARN."""
    client, _ = stubbed
    master_key = MRKAwareKMSMasterKey(key_id="mrk-1234abcd", client=client)

    assert master_key.owns_data_key(_edk("mrk-1234abcd"))
    with pytest.raises(MalformedArnError, match=r"^Resource mrk-1234abcd could not be parsed as an ARN: Missing 'arn'"):
        master_key.owns_data_key(_edk(MRK_EAST))


def test_non_utf8_key_info_is_also_a_unicode_decode_error(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed
    master_key = MRKAwareKMSMasterKey(key_id=MRK_EAST, client=client)

    with pytest.raises(UnicodeDecodeError) as raised:
        master_key.owns_data_key(EncryptedDataKey(MasterKeyInfo("aws-kms", b"ab\xff"), encrypted_data_key=b"x"))

    assert isinstance(raised.value, ArnDecodeError)
    assert (raised.value.object, raised.value.start, raised.value.end) == (b"ab\xff", 2, 3)
    assert str(raised.value) == "Resource 0x6162ff could not be parsed as an ARN: not UTF-8 (invalid start byte)"
    assert pickle.loads(pickle.dumps(raised.value)).args == raised.value.args


def test_plain_master_key_does_not_own_data_keys_of_mrk_replicas(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed

    assert not KMSMasterKey(key_id=MRK_EAST, client=client).owns_data_key(_edk(MRK_WEST))


def test_mrk_master_key_decrypts_a_replica_edk_with_its_own_arn(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response(
        "decrypt",
        {"KeyId": MRK_EAST, "Plaintext": bytes(32)},
        {"CiphertextBlob": b"blob", "KeyId": MRK_EAST, "EncryptionContext": CONTEXT},
    )

    data_key = MRKAwareKMSMasterKey(key_id=MRK_EAST, client=client).decrypt_data_key(
        _edk(MRK_WEST, b"blob"), ALGORITHM, CONTEXT
    )

    assert data_key.key_provider == MasterKeyInfo("aws-kms", MRK_EAST)


def test_mrk_master_key_refuses_a_malformed_arn_at_construction(stubbed: tuple[Any, Stubber]) -> None:
    client, _ = stubbed

    with pytest.raises(MalformedArnError):
        MRKAwareKMSMasterKey(key_id="arn:aws:kms:us-east-1:123456789012", client=client)
