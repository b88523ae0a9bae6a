"""The README's KMS flows over real HTTP against a moto server.

Providers reach the server two ways: a ``client_factory`` (4.1.0), and the original's custom-client
pattern (a botocore session plus an ``add_regional_client`` override).
"""

from __future__ import annotations

import filecmp
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from _moto_server import free_port
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError, KMSCallError
from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX, CommitmentPolicy
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter, StrictAwsKmsMasterKeyProvider

MY_PLAINTEXT = b"This is some super secret data! Yup, sure is!"


def _factory(endpoint_url: str) -> Callable[[str], Any]:
    def client_factory(region_name: str) -> Any:
        return boto3.client(
            "kms",
            region_name=region_name,
            endpoint_url=endpoint_url,
            config=Config(user_agent_extra=USER_AGENT_SUFFIX, retries={"max_attempts": 1}),
        )

    return client_factory


def _create_keys(endpoint_url: str, *regions: str) -> list[str]:
    arns = []
    for region in regions:
        kms = boto3.client("kms", region_name=region, endpoint_url=endpoint_url)
        arns.append(kms.create_key(Description="esdk integration")["KeyMetadata"]["Arn"])
    return arns


class EndpointKmsProvider(StrictAwsKmsMasterKeyProvider):
    """The original's custom KMS client example, pointed at the moto server."""

    endpoint_url = ""

    def add_regional_client(self, region_name: str) -> None:
        if region_name not in self._regional_clients:
            session = boto3.session.Session(botocore_session=self.config.botocore_session)
            client = session.client(
                "kms",
                region_name=region_name,
                endpoint_url=self.endpoint_url,
                config=self._user_agent_adding_config.merge(Config(connect_timeout=5, read_timeout=10)),
            )
            self._register_client(client, region_name)
            self._regional_clients[region_name] = client


@pytest.fixture(params=["client_factory", "add_regional_client"])
def make_provider(request: pytest.FixtureRequest, endpoint_url: str) -> Callable[[list[str]], Any]:
    """Build strict providers whose clients call the moto server, one way or the other."""

    def build(key_ids: list[str]) -> Any:
        if request.param == "client_factory":
            return aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
                key_ids=key_ids, client_factory=_factory(endpoint_url)
            )
        provider_class = type("ServerProvider", (EndpointKmsProvider,), {"endpoint_url": endpoint_url})
        return provider_class(key_ids=key_ids, botocore_session=botocore.session.Session())

    return build


def test_encrypt_and_decrypt_with_two_keys(endpoint_url: str, make_provider: Callable[[list[str]], Any]) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    kms_key_provider = make_provider(_create_keys(endpoint_url, "us-east-1", "us-east-1"))

    my_ciphertext, encryptor_header = client.encrypt(source=MY_PLAINTEXT, key_provider=kms_key_provider)
    decrypted_plaintext, decryptor_header = client.decrypt(source=my_ciphertext, key_provider=kms_key_provider)

    assert decrypted_plaintext == MY_PLAINTEXT
    assert encryptor_header.encryption_context == decryptor_header.encryption_context
    assert len(decryptor_header.encrypted_data_keys) == 2
    assert set(kms_key_provider._regional_clients) == {"us-east-1"}


def test_encrypt_and_decrypt_with_an_encryption_context(
    endpoint_url: str, make_provider: Callable[[list[str]], Any]
) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    kms_key_provider = make_provider(_create_keys(endpoint_url, "us-east-1", "us-west-2"))

    my_ciphertext, encryptor_header = client.encrypt(
        source=MY_PLAINTEXT,
        key_provider=kms_key_provider,
        encryption_context={"not really": "a secret", "but adds": "some authentication"},
    )
    decrypted_plaintext, decryptor_header = client.decrypt(source=my_ciphertext, key_provider=kms_key_provider)

    assert decrypted_plaintext == MY_PLAINTEXT
    assert encryptor_header.encryption_context == decryptor_header.encryption_context
    assert decryptor_header.encryption_context["but adds"] == "some authentication"


def test_streaming_files(
    endpoint_url: str, make_provider: Callable[[list[str]], Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("my-secret-data.dat").write_bytes(os.urandom(300_000))
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    kms_key_provider = make_provider(_create_keys(endpoint_url, "us-east-1", "us-east-1"))

    # The README's code as written, nested ``with`` blocks included.
    plaintext_filename = "my-secret-data.dat"
    ciphertext_filename = "my-encrypted-data.ct"
    with open(plaintext_filename, "rb") as pt_file, open(ciphertext_filename, "wb") as ct_file:  # noqa: SIM117
        with client.stream(mode="e", source=pt_file, key_provider=kms_key_provider) as encryptor:
            for chunk in encryptor:
                ct_file.write(chunk)
    new_plaintext_filename = "my-decrypted-data.dat"
    with open(ciphertext_filename, "rb") as ct_file, open(new_plaintext_filename, "wb") as pt_file:  # noqa: SIM117
        with client.stream(mode="d", source=ct_file, key_provider=kms_key_provider) as decryptor:
            for chunk in decryptor:
                pt_file.write(chunk)

    assert filecmp.cmp(plaintext_filename, new_plaintext_filename, shallow=False)
    assert encryptor.header.encryption_context == decryptor.header.encryption_context


def test_discovery_provider_decrypts_within_its_filter(endpoint_url: str) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient()
    (arn,) = _create_keys(endpoint_url, "eu-west-1")
    ciphertext, _ = client.encrypt(
        source=MY_PLAINTEXT,
        key_provider=aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
            key_ids=[arn], client_factory=_factory(endpoint_url)
        ),
    )
    allowed = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=["123456789012"], partition="aws"),
        client_factory=_factory(endpoint_url),
    )
    refused = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=["111111111111"], partition="aws"),
        client_factory=_factory(endpoint_url),
    )

    assert client.decrypt(source=ciphertext, key_provider=allowed)[0] == MY_PLAINTEXT
    with pytest.raises(DecryptKeyError, match="not allowed by this Master Key Provider"):
        client.decrypt(source=ciphertext, key_provider=refused)


def test_unreachable_endpoint_is_an_sdk_error_naming_the_key_and_drops_the_client(endpoint_url: str) -> None:
    (arn,) = _create_keys(endpoint_url, "us-east-1")
    dead_endpoint = f"http://127.0.0.1:{free_port()}"
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=_factory(dead_endpoint))
    client = aws_encryption_sdk.EncryptionSDKClient()

    with pytest.raises(KMSCallError, match=f"Master Key {arn} unable to generate data key") as raised:
        client.encrypt(source=MY_PLAINTEXT, key_provider=provider)
    assert isinstance(raised.value, EndpointConnectionError)  # what the original let through
    assert type(raised.value.__cause__) is EndpointConnectionError

    assert provider._regional_clients == {}
