"""KMS faults reach the caller as SDK errors that name the key (issue: hostile input and faults).

moto produces real KMS errors where it can (unknown key, wrong context); it ignores disable_key
and cannot throttle, so those two answers come from botocore's Stubber on a real client. An
unreachable region is a client whose endpoint is a closed local port: its botocore error reaches
the caller as a ``KMSCallError`` that is also that botocore error, and ends the operation, as the
original's raw botocore error did.
"""

from __future__ import annotations

import socket
from typing import Any

import boto3
import pytest
from _moto_kms import MotoKms
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import DecryptKeyError, GenerateKeyError, KMSCallError
from aws_encryption_sdk.key_providers.kms import StrictAwsKmsMasterKeyProvider


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unreachable_client(region: str) -> Any:
    return boto3.client(
        "kms",
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )


def test_throttled_generate_is_a_generate_key_error_naming_key_and_code(moto: MotoKms) -> None:
    arn = moto.create_key()
    client = boto3.client("kms", region_name="us-east-1")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=lambda region: client)
    with Stubber(client) as stubber:
        stubber.add_client_error("generate_data_key", "ThrottlingException", "Rate exceeded", http_status_code=400)
        with pytest.raises(GenerateKeyError, match=f"{arn}.*ThrottlingException"):
            EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)


def test_disabled_key_on_decrypt_is_named_in_the_final_error(moto: MotoKms) -> None:
    arn = moto.create_key()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)
    client = boto3.client("kms", region_name="us-east-1")
    disabled = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=lambda region: client)
    with Stubber(client) as stubber:
        stubber.add_client_error("decrypt", "DisabledException", f"{arn} is disabled.", http_status_code=400)
        with pytest.raises(DecryptKeyError, match=f"Unable to decrypt any data key.*{arn}.*DisabledException"):
            EncryptionSDKClient().decrypt(source=ciphertext, key_provider=disabled)


def test_unknown_key_from_moto_is_a_generate_key_error_naming_it(moto: MotoKms) -> None:
    missing = f"arn:aws:kms:us-east-1:{moto.account_id}:key/00000000-0000-0000-0000-000000000000"
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[missing])
    with pytest.raises(GenerateKeyError, match=f"{missing}.*NotFoundException"):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)


def test_unreachable_region_on_decrypt_ends_the_decryption_as_in_the_original(moto: MotoKms) -> None:
    east, west = moto.create_key("us-east-1"), moto.create_key("us-west-2")
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"payload", key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[east, west])
    )

    def factory(region: str) -> Any:
        return _unreachable_client(region) if region == "us-east-1" else boto3.client("kms", region_name=region)

    provider = StrictAwsKmsMasterKeyProvider(key_ids=[east, west], client_factory=factory)
    # The east key's data key comes first in the header: its botocore error is not skipped.
    with pytest.raises(EndpointConnectionError, match=f"Master Key {east} unable to decrypt data key"):
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=provider)
    assert set(provider._regional_clients) == {"us-west-2"}


def test_unreachable_region_is_an_sdk_error_naming_the_key_that_is_also_the_botocore_error(moto: MotoKms) -> None:
    arn = moto.create_key()
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"x", key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    )
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=_unreachable_client)

    with pytest.raises(KMSCallError) as raised:
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=provider)

    assert str(raised.value).startswith(
        f"Master Key {arn} unable to decrypt data key: AWS KMS could not be called: EndpointConnectionError: "
    )
    assert isinstance(raised.value, EndpointConnectionError)
    assert type(raised.value.__cause__) is EndpointConnectionError
    assert raised.value.kwargs == raised.value.__cause__.kwargs
    assert "us-east-1" not in provider._regional_clients
