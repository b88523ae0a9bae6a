"""Whole encrypt/decrypt flows through EncryptionSDKClient with KMS providers, against moto."""

from __future__ import annotations

import filecmp
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from _moto_kms import OTHER_ACCOUNT_ID, MotoKms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import (
    DecryptKeyError,
    GenerateKeyError,
    MalformedArnError,
    MasterKeyProviderError,
)
from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter, MRKAwareStrictAwsKmsMasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider

PLAINTEXT = b"This is some super secret data! Yup, sure is!"
CONTEXT = {"not really": "a secret", "but adds": "some authentication"}


@pytest.fixture
def client() -> aws_encryption_sdk.EncryptionSDKClient:
    return aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def test_strict_provider_with_two_keys_round_trips_with_context(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    key_ids = [moto.create_key(), moto.create_key("us-west-2")]
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=key_ids)

    ciphertext, encryptor_header = client.encrypt(source=PLAINTEXT, key_provider=provider, encryption_context=CONTEXT)
    plaintext, decryptor_header = client.decrypt(source=ciphertext, key_provider=provider)

    assert plaintext == PLAINTEXT
    assert encryptor_header.encryption_context == decryptor_header.encryption_context
    assert set(CONTEXT.items()) <= set(decryptor_header.encryption_context.items())
    assert {edk.key_provider.key_info.decode() for edk in decryptor_header.encrypted_data_keys} == set(key_ids)


def test_each_configured_key_can_decrypt_the_message_alone(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    key_ids = [moto.create_key(), moto.create_key("eu-west-1")]
    ciphertext, _ = client.encrypt(
        source=PLAINTEXT, key_provider=aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=key_ids)
    )

    for key_id in key_ids:
        provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[key_id])
        assert client.decrypt(source=ciphertext, key_provider=provider)[0] == PLAINTEXT


def test_kms_binds_the_data_key_to_the_encryption_context(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    arn = moto.create_key()
    _, header = client.encrypt(
        source=PLAINTEXT,
        key_provider=aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[arn]),
        encryption_context=CONTEXT,
    )
    (edk,) = header.encrypted_data_keys
    kms = moto.client("us-east-1")

    kms.decrypt(CiphertextBlob=edk.encrypted_data_key, KeyId=arn, EncryptionContext=header.encryption_context)
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=edk.encrypted_data_key, KeyId=arn, EncryptionContext=CONTEXT | {"x": "y"})


def test_discovery_provider_decrypts_and_cannot_encrypt(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    arn = moto.create_key()
    ciphertext, _ = client.encrypt(
        source=PLAINTEXT, key_provider=aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    )
    discovery = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[moto.account_id], partition="aws")
    )

    assert client.decrypt(source=ciphertext, key_provider=discovery)[0] == PLAINTEXT
    with pytest.raises(MasterKeyProviderError, match="No Master Keys available from Master Key Provider"):
        client.encrypt(source=PLAINTEXT, key_provider=discovery)


class _ImpostorKeys(RawMasterKeyProvider):
    """Raw RSA keys that call themselves "aws-kms": their encrypted data keys carry the bare key id."""

    provider_id = "aws-kms"

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        return WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
            wrapping_key=_RSA_KEY,
            wrapping_key_type=EncryptionKeyType.PRIVATE,
        )


_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


def test_kms_key_info_that_is_no_arn_ends_a_decryption_before_a_good_key_as_in_the_original(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    keys = _ImpostorKeys()
    keys.add_master_key(b"not-an-arn")
    keys.add_master_key_provider(aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[moto.create_key()]))
    ciphertext, header = client.encrypt(source=PLAINTEXT, key_provider=keys)
    key_infos = [edk.key_provider.key_info for edk in header.encrypted_data_keys]
    assert key_infos[0] == b"not-an-arn"
    assert key_infos[1].startswith(b"arn:aws:kms:us-east-1:")  # a key the discovery provider could use
    discovery = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1"])

    with pytest.raises(
        MalformedArnError, match=r"^Resource not-an-arn could not be parsed as an ARN: Missing 'arn' string$"
    ):
        client.decrypt(source=ciphertext, key_provider=discovery)


def test_discovery_filter_for_another_account_fails_with_decrypt_key_error(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    arn = moto.create_key()
    ciphertext, _ = client.encrypt(
        source=PLAINTEXT, key_provider=aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    )
    discovery = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[OTHER_ACCOUNT_ID], partition="aws")
    )

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key") as excinfo:
        client.decrypt(source=ciphertext, key_provider=discovery)

    assert "not allowed by this Master Key Provider" in str(excinfo.value)


@pytest.mark.parametrize("foreign_first", [True, False])
def test_message_with_a_foreign_account_key_decrypts_with_a_filtered_discovery_provider(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient, foreign_first: bool
) -> None:
    # DECISIONS #6: the foreign EDK is skipped wherever it sits in the header.
    ours = moto.create_key("us-east-1")
    foreign = moto.create_key("us-west-2", account_id=OTHER_ACCOUNT_ID)
    clients = {"us-east-1": moto.client("us-east-1"), "us-west-2": moto.client("us-west-2", OTHER_ACCOUNT_ID)}
    encryptor = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
        key_ids=[foreign, ours] if foreign_first else [ours, foreign], client_factory=clients.__getitem__
    )
    ciphertext, header = client.encrypt(source=PLAINTEXT, key_provider=encryptor)
    discovery = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[moto.account_id], partition="aws")
    )

    first_edk = next(iter(header.encrypted_data_keys))
    assert first_edk.key_provider.key_info.decode() == (foreign if foreign_first else ours)
    assert client.decrypt(source=ciphertext, key_provider=discovery)[0] == PLAINTEXT


def test_unknown_key_fails_encrypt_with_generate_key_error(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    missing = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[missing])

    with pytest.raises(
        GenerateKeyError, match=f"Master Key {missing} unable to generate data key: KMS returned NotFoundException"
    ):
        client.encrypt(source=PLAINTEXT, key_provider=provider)


def test_strict_provider_configured_with_an_alias_cannot_decrypt(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    moto.create_key(alias="alias/readme")
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=["alias/readme"], region_names=["us-east-1"])
    ciphertext, _ = client.encrypt(source=PLAINTEXT, key_provider=provider)

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        client.decrypt(source=ciphertext, key_provider=provider)


def test_key_of_another_region_decrypts_through_its_own_client(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    arn = moto.create_key("ap-northeast-1")
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[arn], region_names=["us-east-1"])

    ciphertext, _ = client.encrypt(source=PLAINTEXT, key_provider=provider)

    assert client.decrypt(source=ciphertext, key_provider=provider)[0] == PLAINTEXT
    assert set(provider._regional_clients) == {"ap-northeast-1"}


def test_mrk_strict_provider_encrypts_messages_with_its_multi_region_key(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient
) -> None:
    primary, _ = moto.create_mrk()
    provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[primary])

    _, header = client.encrypt(source=PLAINTEXT, key_provider=provider)

    assert [edk.key_provider.key_info.decode() for edk in header.encrypted_data_keys] == [primary]


def test_streaming_files_with_the_readme_code(
    moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient, tmp_path: Path
) -> None:
    kms_key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[moto.create_key(), moto.create_key()])
    plaintext_filename = tmp_path / "my-secret-data.dat"
    ciphertext_filename = tmp_path / "my-encrypted-data.ct"
    new_plaintext_filename = tmp_path / "my-decrypted-data.dat"
    plaintext_filename.write_bytes(os.urandom(100_000))

    # The README's code, nested ``with`` blocks included.
    with open(plaintext_filename, "rb") as pt_file, open(ciphertext_filename, "wb") as ct_file:  # noqa: SIM117
        with client.stream(mode="e", source=pt_file, key_provider=kms_key_provider) as encryptor:
            for chunk in encryptor:
                ct_file.write(chunk)
    with open(ciphertext_filename, "rb") as ct_file, open(new_plaintext_filename, "wb") as pt_file:  # noqa: SIM117
        with client.stream(mode="d", source=ct_file, key_provider=kms_key_provider) as decryptor:
            for chunk in decryptor:
                pt_file.write(chunk)

    assert filecmp.cmp(plaintext_filename, new_plaintext_filename, shallow=False)
    assert encryptor.header.encryption_context == decryptor.header.encryption_context


def test_one_provider_shared_by_eight_threads(moto: MotoKms, client: aws_encryption_sdk.EncryptionSDKClient) -> None:
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
        key_ids=[moto.create_key(), moto.create_key("us-west-2")]
    )
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []
    mismatches: list[tuple[int, int]] = []
    done: list[int] = []

    def worker(thread_index: int) -> None:
        try:
            barrier.wait()
            for round_index in range(25):
                plaintext = f"thread {thread_index} round {round_index} ".encode() * (round_index + 1)
                context = {"thread": str(thread_index), "round": str(round_index)}
                ciphertext, _ = client.encrypt(source=plaintext, key_provider=provider, encryption_context=context)
                decrypted, header = client.decrypt(source=ciphertext, key_provider=provider)
                if decrypted != plaintext or header.encryption_context["round"] != str(round_index):
                    mismatches.append((thread_index, round_index))
                done.append(1)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert mismatches == []
    assert len(done) == 8 * 25


def test_importing_the_sdk_does_not_reach_kms_names_until_asked(moto: MotoKms) -> None:
    provider_class: Any = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider
    from aws_encryption_sdk.key_providers import kms

    assert provider_class is kms.StrictAwsKmsMasterKeyProvider
    assert aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider is kms.DiscoveryAwsKmsMasterKeyProvider
    assert aws_encryption_sdk.KMSMasterKeyProviderConfig is kms.KMSMasterKeyProviderConfig
