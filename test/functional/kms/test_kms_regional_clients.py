"""Regional KMS clients of the providers: laziness, sharing, user agent, overrides, factory, eviction."""

from __future__ import annotations

import threading
import time
from typing import Any
from unittest import mock

import boto3
import botocore.session
import pytest
from _moto_kms import ALGORITHM, MotoKms, client_of
from botocore.config import Config
from botocore.exceptions import NoCredentialsError

import aws_encryption_sdk
import aws_encryption_sdk.key_providers.kms
from aws_encryption_sdk.exceptions import DecryptKeyError, KMSCallError
from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX
from aws_encryption_sdk.key_providers import _kms_providers
from aws_encryption_sdk.key_providers.kms import (
    DiscoveryAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
WEST_KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555"


def _edk(key_arn: str, ciphertext: bytes = b"blob") -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=MasterKeyInfo("aws-kms", key_arn), encrypted_data_key=ciphertext)


class CountingFactory:
    """A ``client_factory`` that records the regions it was asked for."""

    def __init__(self, delay: float = 0.0) -> None:
        self.regions: list[str] = []
        self.delay = delay

    def __call__(self, region_name: str) -> Any:
        self.regions.append(region_name)
        time.sleep(self.delay)
        return boto3.client("kms", region_name=region_name, config=Config(user_agent_extra=USER_AGENT_SUFFIX))


def test_no_client_is_built_until_a_region_is_needed() -> None:
    factory = CountingFactory()
    provider = DiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1", "eu-west-1"], client_factory=factory)

    assert provider._regional_clients == {}
    assert factory.regions == []
    provider._client(WEST_KEY_ARN)
    assert factory.regions == ["us-west-2"]


def test_keys_of_one_region_share_one_client() -> None:
    other = KEY_ARN.replace("11111111", "22222222")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[KEY_ARN, other, WEST_KEY_ARN])

    east_1, east_2, west = (client_of(provider.master_key(key_id)) for key_id in (KEY_ARN, other, WEST_KEY_ARN))

    assert east_1 is east_2 is provider._regional_clients["us-east-1"]
    assert west is provider._regional_clients["us-west-2"]
    assert west is not east_1


def test_created_clients_carry_the_sdk_user_agent_suffix_on_the_wire(moto: MotoKms) -> None:
    arn = moto.create_key()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    client: Any = provider._regional_clients["us-east-1"]
    seen: list[str] = []
    client.meta.events.register(
        "before-sign.kms.GenerateDataKey", lambda request, **_: seen.append(request.headers["User-Agent"])
    )

    provider.master_key(arn).generate_data_key(ALGORITHM, {})

    assert client.meta.config.user_agent_extra == USER_AGENT_SUFFIX
    assert provider._user_agent_adding_config.user_agent_extra == USER_AGENT_SUFFIX
    assert len(seen) == 1
    assert USER_AGENT_SUFFIX in seen[0]


def test_clients_come_from_the_configured_botocore_session() -> None:
    session = botocore.session.Session()
    session.set_config_variable("region", "eu-north-1")
    provider = StrictAwsKmsMasterKeyProvider(botocore_session=session, key_ids=["alias/mine"])

    assert provider.default_region == "eu-north-1"
    assert client_of(provider.master_key("alias/mine")).meta.region_name == "eu-north-1"


def test_client_factory_builds_each_region_client_once(moto: MotoKms) -> None:
    arn = moto.create_key()
    factory = CountingFactory()
    provider = StrictAwsKmsMasterKeyProvider(
        key_ids=[arn, moto.create_key("us-west-2"), moto.create_key()], client_factory=factory
    )

    primary, _ = provider.master_keys_for_encryption({}, None)
    data_key = primary.generate_data_key(ALGORITHM, {})
    provider.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, {})

    assert factory.regions == ["us-east-1", "us-west-2"]


def test_client_factory_client_is_what_the_master_keys_call(moto: MotoKms) -> None:
    client = moto.client("us-east-1")
    calls: list[str] = []
    client.meta.events.register("before-call.kms.*", lambda model, **_: calls.append(model.name))
    arn = moto.create_key()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=lambda region_name: client)

    provider.master_key(arn).generate_data_key(ALGORITHM, {})

    assert client_of(provider.master_key(arn)) is client
    assert calls == ["GenerateDataKey"]


def test_overridden_add_regional_client_is_used_as_in_the_original_custom_client_example(moto: MotoKms) -> None:
    class CustomClientProvider(StrictAwsKmsMasterKeyProvider):
        def add_regional_client(self, region_name: str) -> None:
            if region_name not in self._regional_clients:
                session = boto3.session.Session(botocore_session=self.config.botocore_session)
                client = session.client(
                    "kms",
                    region_name=region_name,
                    config=self._user_agent_adding_config.merge(Config(read_timeout=7)),
                )
                self._register_client(client, region_name)
                self._regional_clients[region_name] = client

    arn = moto.create_key()
    provider = CustomClientProvider(key_ids=[arn])
    client: Any = provider._regional_clients["us-east-1"]

    data_key = provider.master_key(arn).generate_data_key(ALGORITHM, {})
    decrypted = provider.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, {})

    assert decrypted.data_key == data_key.data_key
    assert client.meta.config.read_timeout == 7
    assert client.meta.config.user_agent_extra == USER_AGENT_SUFFIX


def test_client_injected_into_regional_clients_is_used(moto: MotoKms) -> None:
    arn = moto.create_key()
    data_key = StrictAwsKmsMasterKeyProvider(key_ids=[arn]).master_key(arn).generate_data_key(ALGORITHM, {})
    provider = DiscoveryAwsKmsMasterKeyProvider()
    injected = moto.client("us-east-1")
    provider._regional_clients["us-east-1"] = injected

    decrypted = provider.decrypt_data_key(_edk(arn, data_key.encrypted_data_key), ALGORITHM, {})

    assert decrypted.data_key == data_key.data_key
    assert client_of(provider.master_key_for_decrypt(arn)) is injected


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS credentials anywhere, so every KMS call fails in botocore with ``NoCredentialsError``."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
def test_botocore_error_evicts_the_region_client_and_ends_the_decryption() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()
    first = provider._client(KEY_ARN)

    with pytest.raises(NoCredentialsError, match=f"Master Key {KEY_ARN} unable to decrypt data key") as raised:
        provider.decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {})
    assert isinstance(raised.value, KMSCallError)

    assert "us-east-1" not in provider._regional_clients
    assert provider._client(KEY_ARN) is not first


@pytest.mark.usefixtures("no_credentials")
def test_botocore_error_also_forgets_the_master_key_built_with_that_client() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()
    failed = provider.master_key_for_decrypt(KEY_ARN)

    with pytest.raises(NoCredentialsError):
        provider.decrypt_data_key(_edk(KEY_ARN), ALGORITHM, {})

    rebuilt = provider.master_key_for_decrypt(KEY_ARN)
    assert rebuilt is not failed and client_of(rebuilt) is not client_of(failed)
    assert client_of(rebuilt) is provider._regional_clients["us-east-1"]


@pytest.mark.usefixtures("no_credentials")
def test_regions_named_by_forged_key_arns_leave_no_clients_or_master_keys_behind() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()

    for number in range(20):  # each call fails with a botocore error, as a made-up region's would
        forged = f"arn:aws:kms:forged-{number}:111122223333:key/k"
        with pytest.raises(KMSCallError):
            provider.decrypt_data_key(_edk(forged), ALGORITHM, {})

    assert provider._regional_clients == {}
    assert provider._decrypt_key_index == {}


@pytest.mark.usefixtures("no_credentials")
def test_botocore_error_on_encrypt_evicts_the_region_client() -> None:
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[KEY_ARN, WEST_KEY_ARN])

    with pytest.raises(
        KMSCallError, match="unable to generate data key: AWS KMS could not be called: NoCredentialsError"
    ):
        provider.master_key(KEY_ARN).generate_data_key(ALGORITHM, {})

    assert set(provider._regional_clients) == {"us-west-2"}


@pytest.mark.usefixtures("no_credentials")
def test_eviction_leaves_a_replacement_client_alone() -> None:
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[KEY_ARN])
    replacement = boto3.client("kms", region_name="us-east-1")
    provider._regional_clients["us-east-1"] = replacement

    with pytest.raises(
        KMSCallError, match="unable to generate data key: AWS KMS could not be called: NoCredentialsError"
    ):
        provider.master_key(KEY_ARN).generate_data_key(ALGORITHM, {})

    assert provider._regional_clients["us-east-1"] is replacement


@pytest.mark.usefixtures("no_credentials")
def test_wrap_client_drops_the_region_client_after_a_botocore_error() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()
    client: Any = provider._client(KEY_ARN)

    with pytest.raises(NoCredentialsError):
        provider._wrap_client("us-east-1", client.list_keys)

    assert "us-east-1" not in provider._regional_clients


@pytest.mark.usefixtures("no_credentials")
def test_wrap_client_drops_the_region_client_whatever_method_it_was_given() -> None:
    class CallingProvider(DiscoveryAwsKmsMasterKeyProvider):
        def decrypt_in_the_west(self) -> Any:
            return self._regional_clients["us-west-2"].decrypt(CiphertextBlob=b"blob")

    provider = CallingProvider()
    provider._client(WEST_KEY_ARN)

    with pytest.raises(NoCredentialsError):
        provider._wrap_client("us-west-2", provider.decrypt_in_the_west)

    assert "us-west-2" not in provider._regional_clients


def test_wrap_client_returns_what_the_call_returns_and_keeps_the_client(moto: MotoKms) -> None:
    arn = moto.create_key()
    provider = DiscoveryAwsKmsMasterKeyProvider()
    client: Any = provider._client(arn)

    described = provider._wrap_client("us-east-1", client.describe_key, KeyId=arn)

    assert described["KeyMetadata"]["Arn"] == arn
    assert provider._regional_clients["us-east-1"] is client


def test_boto3_patched_in_the_kms_module_builds_the_clients() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()

    with mock.patch("aws_encryption_sdk.key_providers.kms.boto3") as boto3_module:
        client = provider._client(KEY_ARN)

    boto3_module.session.Session.assert_called_once_with(botocore_session=provider.config.botocore_session)
    assert client is boto3_module.session.Session.return_value.client.return_value


def test_boto3_session_patched_through_the_kms_module_builds_the_clients() -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()

    with mock.patch("aws_encryption_sdk.key_providers.kms.boto3.session.Session") as session_class:
        client = provider._client(KEY_ARN)

    session_class.assert_called_once_with(botocore_session=provider.config.botocore_session)
    assert client is session_class.return_value.client.return_value
    assert aws_encryption_sdk.key_providers.kms.botocore.session.Session is botocore.session.Session


def test_forged_regions_whose_calls_fail_with_kms_errors_leave_a_bounded_number_of_clients(
    moto: MotoKms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_kms_providers, "_REGIONAL_CLIENT_LIMIT", 4)
    arn = moto.create_key()
    message, _ = aws_encryption_sdk.EncryptionSDKClient().encrypt(
        source=b"still readable", key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    )
    # Every region goes to one endpoint, so a forged region's call fails with a KMS error, not a botocore one.
    provider = DiscoveryAwsKmsMasterKeyProvider(
        client_factory=lambda region_name: boto3.client("kms", region_name="us-east-1")
    )

    for number in range(10):
        with pytest.raises(DecryptKeyError):
            provider.decrypt_data_key(_edk(f"arn:aws:kms:forged-{number}:123456789012:key/k"), ALGORITHM, {})
        assert len(provider._regional_clients) <= 4
        assert len(provider._decrypt_key_index) <= 4

    plaintext, _ = aws_encryption_sdk.EncryptionSDKClient().decrypt(source=message, key_provider=provider)
    assert plaintext == b"still readable"


def test_concurrent_first_use_builds_exactly_one_client_per_region() -> None:
    factory = CountingFactory(delay=0.05)
    provider = DiscoveryAwsKmsMasterKeyProvider(client_factory=factory)
    barrier = threading.Barrier(16)
    results: list[Any] = []
    errors: list[BaseException] = []

    def use(key_arn: str) -> None:
        try:
            barrier.wait()
            results.append(provider._client(key_arn))
        except BaseException as error:  # reported by the assertion below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=use, args=(KEY_ARN if i % 2 else WEST_KEY_ARN,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 16
    assert sorted(factory.regions) == ["us-east-1", "us-west-2"]
    assert len({id(client) for client in results}) == 2
