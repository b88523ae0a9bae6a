"""Encrypt/decrypt rules of the four KMS providers, called directly, against moto (Stubber for MRK replicas)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from _moto_kms import ALGORITHM, OTHER_ACCOUNT_ID, MotoKms, client_of
from botocore.exceptions import InvalidRegionError
from botocore.stub import Stubber

from aws_encryption_sdk.exceptions import (
    DecryptKeyError,
    KMSCallError,
    MalformedArnError,
    MasterKeyProviderError,
    UnknownRegionError,
)
from aws_encryption_sdk.key_providers.kms import (
    DiscoveryAwsKmsMasterKeyProvider,
    DiscoveryFilter,
    KMSMasterKey,
    MRKAwareDiscoveryAwsKmsMasterKeyProvider,
    MRKAwareKMSMasterKey,
    MRKAwareStrictAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo

CONTEXT = {"purpose": "provider-test"}
MRK_EAST = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd"
MRK_WEST = "arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd"


def _edk(data_key: DataKey | EncryptedDataKey) -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key)


def _forged_edk(key_info: bytes | str, ciphertext: bytes = b"blob") -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=MasterKeyInfo("aws-kms", key_info), encrypted_data_key=ciphertext)


def _wrap(provider: Any, context: dict[str, str] = CONTEXT) -> tuple[DataKey, list[EncryptedDataKey]]:
    """Do what the default CMM does: the primary generates, every other key encrypts."""
    primary, master_keys = provider.master_keys_for_encryption(context, None)
    data_key = primary.generate_data_key(ALGORITHM, context)
    edks = [_edk(data_key)] + [key.encrypt_data_key(data_key, ALGORITHM, context) for key in master_keys[1:]]
    return data_key, edks


def _factory(clients: dict[str, Any]) -> Callable[[str], Any]:
    def factory(region_name: str) -> Any:
        return clients[region_name]

    return factory


# Strict --------------------------------------------------------------------------------------------------


def test_strict_provider_encrypts_with_every_key_and_the_first_generates(moto: MotoKms) -> None:
    arns = [moto.create_key("us-east-1"), moto.create_key("us-west-2"), moto.create_key("us-east-1")]
    provider = StrictAwsKmsMasterKeyProvider(key_ids=arns)

    primary, master_keys = provider.master_keys_for_encryption(CONTEXT, None)
    data_key, edks = _wrap(provider)

    assert primary is master_keys[0]
    assert [key.key_id.decode() for key in master_keys] == arns
    assert [edk.key_provider.key_info.decode() for edk in edks] == arns
    for edk in edks:
        assert provider.decrypt_data_key(edk, ALGORITHM, CONTEXT).data_key == data_key.data_key


def test_strict_provider_only_decrypts_with_configured_keys(moto: MotoKms) -> None:
    ours = moto.create_key()
    theirs = moto.create_key()
    _, their_edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[theirs]))
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[ours])

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        provider.decrypt_data_key_from_list(their_edks, ALGORITHM, CONTEXT)


def test_strict_provider_configured_with_an_alias_encrypts_but_cannot_decrypt(moto: MotoKms) -> None:
    moto.create_key(alias="alias/mine")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=["alias/mine"], region_names=["us-east-1"])

    _, edks = _wrap(provider)

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)


def test_strict_provider_skips_a_foreign_edk_and_decrypts_the_next(moto: MotoKms) -> None:
    ours = moto.create_key()
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[moto.create_key(), ours]))

    decrypted = StrictAwsKmsMasterKeyProvider(key_ids=[ours]).decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)

    assert decrypted.data_key == data_key.data_key


# Discovery -------------------------------------------------------------------------------------------------


def test_discovery_provider_cannot_encrypt(moto: MotoKms) -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider()

    with pytest.raises(MasterKeyProviderError, match="No Master Keys available from Master Key Provider"):
        provider.master_keys_for_encryption(CONTEXT, None)


def test_discovery_provider_decrypts_any_key_with_the_client_of_its_region(moto: MotoKms) -> None:
    arn = moto.create_key("eu-west-1")
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = DiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1"])

    decrypted = provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)

    assert decrypted.data_key == data_key.data_key
    master_key = provider.master_key_for_decrypt(arn)
    assert isinstance(master_key, KMSMasterKey)
    assert client_of(master_key) is provider._regional_clients["eu-west-1"]
    assert client_of(master_key).meta.region_name == "eu-west-1"


def test_discovery_provider_keeps_a_bounded_number_of_master_keys_for_forged_key_arns(moto: MotoKms) -> None:
    arn = moto.create_key("us-west-2")
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    account = arn.split(":")[4]
    provider = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(partition="aws", account_ids=[account])
    )

    for number in range(2100):  # key ARNs a message's author may put in its encrypted data keys
        provider.master_key_for_decrypt(f"arn:aws:kms:us-west-2:{account}:key/forged-{number}")

    assert len(provider._decrypt_key_index) <= 1024
    assert list(provider._regional_clients) == ["us-west-2"]
    assert provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT).data_key == data_key.data_key


def test_discovery_filter_allows_its_accounts(moto: MotoKms) -> None:
    arn = moto.create_key()
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=["000000000000", moto.account_id], partition="aws")
    )

    assert provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT).data_key == data_key.data_key


@pytest.mark.parametrize(
    "discovery_filter",
    [
        DiscoveryFilter(account_ids=[OTHER_ACCOUNT_ID], partition="aws"),
        DiscoveryFilter(account_ids=["123456789012"], partition="aws-cn"),
        DiscoveryFilter(account_ids=["9123456789012"], partition="aws"),  # whole ids, not substrings
    ],
    ids=["other-account", "other-partition", "longer-account"],
)
def test_discovery_filter_rejection_is_a_skippable_decrypt_key_error(
    moto: MotoKms, discovery_filter: DiscoveryFilter
) -> None:
    arn = moto.create_key()
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = DiscoveryAwsKmsMasterKeyProvider(discovery_filter=discovery_filter)

    with pytest.raises(DecryptKeyError) as single:
        provider.master_key_for_decrypt(arn)
    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key") as from_list:
        provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)

    assert f"Key {arn.encode()!r} not allowed by this Master Key Provider" in str(single.value)
    assert "outside the discovery filter" in str(single.value)
    assert "not allowed by this Master Key Provider" in str(from_list.value)
    assert provider._regional_clients == {}  # no client was even built for the refused key


@pytest.mark.parametrize("foreign_first", [True, False])
def test_discovery_filter_skips_foreign_edks_in_either_order(moto: MotoKms, foreign_first: bool) -> None:
    # DECISIONS #6: a refused EDK is skipped; the outcome does not depend on the order.
    ours = moto.create_key("us-east-1")
    foreign = moto.create_key("us-west-2", account_id=OTHER_ACCOUNT_ID)
    clients = {"us-east-1": moto.client("us-east-1"), "us-west-2": moto.client("us-west-2", OTHER_ACCOUNT_ID)}
    key_ids = [foreign, ours] if foreign_first else [ours, foreign]
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=key_ids, client_factory=_factory(clients)))
    provider = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[moto.account_id], partition="aws")
    )

    assert provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT).data_key == data_key.data_key


def test_discovery_provider_add_master_key_outside_the_filter_is_a_master_key_provider_error(moto: MotoKms) -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=[OTHER_ACCOUNT_ID], partition="aws")
    )

    with pytest.raises(MasterKeyProviderError, match="not allowed by this Master Key Provider"):
        provider.add_master_key(moto.create_key())


def test_discovery_provider_can_encrypt_with_keys_added_by_hand(moto: MotoKms) -> None:
    arn = moto.create_key()
    provider = DiscoveryAwsKmsMasterKeyProvider()
    provider.add_master_key(arn)

    data_key, edks = _wrap(provider)

    assert provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT).data_key == data_key.data_key


#: Providers that look at the key info of every "aws-kms" encrypted data key they are given.
KEY_INFO_READERS = [
    lambda: DiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1"]),
    lambda: DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=["123456789012"], partition="aws")
    ),
    lambda: MRKAwareDiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1"]),
    lambda: MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[MRK_EAST]),
]


def _provider_with_the_real_key(provider_factory: Callable[[], Any], arn: str) -> Any:
    provider = provider_factory()
    if isinstance(provider, MRKAwareStrictAwsKmsMasterKeyProvider):
        provider.add_master_key(arn)  # a key that can decrypt the real EDK
    return provider


@pytest.mark.parametrize(
    ("key_info", "reason"),
    [
        (b"not-an-arn", "Missing 'arn' string"),
        (b"arn:aws:kms:us-east-1:123456789012", "list index out of range"),
        (b"arn:aws:s3:us-east-1:123456789012:key/abc", "Unknown service"),
        (b"\xff\xfe\xfd", r"not UTF-8 \(invalid start byte\)"),
    ],
)
@pytest.mark.parametrize("provider_factory", KEY_INFO_READERS)
def test_kms_key_info_that_is_no_arn_ends_the_decryption_as_in_the_original(
    moto: MotoKms, key_info: bytes, reason: str, provider_factory: Callable[[], Any]
) -> None:
    arn = moto.create_key()
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = _provider_with_the_real_key(provider_factory, arn)

    with pytest.raises(MalformedArnError, match=f"could not be parsed as an ARN: {reason}$"):
        provider.decrypt_data_key_from_list([_forged_edk(key_info), *edks], ALGORITHM, CONTEXT)
    decrypted = provider.decrypt_data_key_from_list([*edks, _forged_edk(key_info)], ALGORITHM, CONTEXT)

    assert decrypted.data_key == data_key.data_key  # the first key that decrypts wins before the bad one is read


@pytest.mark.parametrize("key_info", [b"a:b:c:", b"a:b:c::d", b"arn:aws:kms::123456789012:key/k"])
def test_key_info_with_an_empty_region_raises_an_sdk_error_that_is_the_original_value_error(
    moto: MotoKms, key_info: bytes
) -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider(region_names=["us-east-1"])

    with pytest.raises(
        KMSCallError, match=r"^Could not create the AWS KMS client of region '': ValueError: "
    ) as raised:
        provider.decrypt_data_key_from_list([_forged_edk(key_info)], ALGORITHM, CONTEXT)

    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("key_info", "provider_factory"),
    [
        (b"a:b:c:bad region!", KEY_INFO_READERS[0]),
        (b"arn:aws:kms:bad region!:123456789012:key/k", KEY_INFO_READERS[0]),
        (b"arn:aws:kms:bad region!:123456789012:key/k", KEY_INFO_READERS[1]),  # passes the filter
    ],
)
def test_key_info_naming_a_region_botocore_refuses_raises_an_sdk_error_that_is_botocores(
    moto: MotoKms, key_info: bytes, provider_factory: Callable[[], Any]
) -> None:
    provider = provider_factory()

    with pytest.raises(KMSCallError, match=r"^Could not create the AWS KMS client of region 'bad region!': ") as raised:
        provider.decrypt_data_key_from_list([_forged_edk(key_info)], ALGORITHM, CONTEXT)

    assert isinstance(raised.value, InvalidRegionError)  # what the original let escape
    assert raised.value.kwargs == {"region_name": "bad region!"}


def test_unfiltered_discovery_without_a_region_refuses_key_info_naming_none_as_the_original(moto: MotoKms) -> None:
    """The original builds the master key, which needs a region, before anything parses the ARN."""
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[moto.create_key()]))

    with pytest.raises(UnknownRegionError, match=r"no region determinable from key id: not-an-arn$"):
        DiscoveryAwsKmsMasterKeyProvider().decrypt_data_key_from_list(
            [_forged_edk(b"not-an-arn"), *edks], ALGORITHM, CONTEXT
        )


def test_mrk_strict_provider_with_a_bare_mrk_id_raises_for_any_other_key_as_the_original(moto: MotoKms) -> None:
    """A bare id is no ARN, so the MRK comparison fails even for the data key of a real key."""
    arn = moto.create_key()
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=["mrk-1234abcd"], region_names=["us-east-1"])

    with pytest.raises(MalformedArnError, match=r"^Resource mrk-1234abcd could not be parsed as an ARN"):
        provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)


@pytest.mark.parametrize("provider_factory", KEY_INFO_READERS)
def test_edk_whose_key_info_is_an_alias_arn_is_skipped(moto: MotoKms, provider_factory: Callable[[], Any]) -> None:
    arn = moto.create_key()
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = _provider_with_the_real_key(provider_factory, arn)
    alias_edk = _forged_edk(b"arn:aws:kms:us-east-1:123456789012:alias/mine")

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        provider.decrypt_data_key_from_list([alias_edk], ALGORITHM, CONTEXT)
    decrypted = provider.decrypt_data_key_from_list([alias_edk, *edks], ALGORITHM, CONTEXT)

    assert decrypted.data_key == data_key.data_key


def test_plain_strict_provider_skips_key_info_that_is_no_arn(moto: MotoKms) -> None:
    """Its master keys own only their own id, so they never read foreign key info (as in the original)."""
    arn = moto.create_key()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    data_key, edks = _wrap(provider)

    decrypted = provider.decrypt_data_key_from_list([_forged_edk(b"not-an-arn"), *edks], ALGORITHM, CONTEXT)

    assert decrypted.data_key == data_key.data_key


# MRK-aware strict ---------------------------------------------------------------------------------------


def test_mrk_strict_provider_decrypts_a_replica_edk_in_the_configured_region(moto: MotoKms) -> None:
    primary, replica = moto.create_mrk("us-east-1", "us-west-2")
    # moto cannot decrypt an MRK ciphertext in any region, so the configured region is stubbed.
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[replica]))
    east = boto3.client("kms", region_name="us-east-1")
    stubber = Stubber(east)
    stubber.add_response(
        "decrypt",
        {"KeyId": primary, "Plaintext": b"k" * 32},
        {"CiphertextBlob": edks[0].encrypted_data_key, "KeyId": primary, "EncryptionContext": CONTEXT},
    )
    provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[primary], client_factory=_factory({"us-east-1": east}))

    with stubber:
        data_key = provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)
        stubber.assert_no_pending_responses()

    assert data_key.data_key == b"k" * 32
    assert data_key.key_provider == MasterKeyInfo("aws-kms", primary)


def _assert_refused_without_asking_kms(error: DecryptKeyError) -> None:
    """The provider turned the data key down as not its own, before any Decrypt call."""
    assert "does not match Master Key provider" in str(error)
    assert "KMS returned" not in str(error)


def test_plain_strict_provider_does_not_decrypt_a_replica_edk(moto: MotoKms) -> None:
    primary, replica = moto.create_mrk("us-east-1", "us-west-2")
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[replica]))

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key") as raised:
        StrictAwsKmsMasterKeyProvider(key_ids=[primary]).decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)
    # The SDK must refuse the replica's data key itself: moto fails every MRK Decrypt, so an error from
    # KMS here would hide a provider that asked KMS to decrypt what it does not own.
    _assert_refused_without_asking_kms(raised.value)


def test_mrk_strict_provider_encrypts_with_multi_region_keys(moto: MotoKms) -> None:
    # moto fails every Decrypt of an MRK ciphertext, so only the encrypt side runs here.
    primary, _ = moto.create_mrk()
    other_primary, _ = moto.create_mrk("us-west-2", "us-east-1")
    provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[primary, other_primary])

    _, edks = _wrap(provider)

    assert all(isinstance(key, MRKAwareKMSMasterKey) for key in provider._members)
    assert [edk.key_provider.key_info.decode() for edk in edks] == [primary, other_primary]


def test_mrk_strict_provider_does_not_decrypt_another_multi_region_key(moto: MotoKms) -> None:
    _, other_replica = moto.create_mrk()
    primary, _ = moto.create_mrk()
    _, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[other_replica]))

    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key") as raised:
        MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[primary]).decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT)
    _assert_refused_without_asking_kms(raised.value)


# MRK-aware discovery -----------------------------------------------------------------------------------


def test_mrk_discovery_provider_decrypts_a_multi_region_key_in_the_discovery_region() -> None:
    west = boto3.client("kms", region_name="us-west-2")
    stubber = Stubber(west)
    stubber.add_response(
        "decrypt",
        {"KeyId": MRK_WEST, "Plaintext": b"k" * 32},
        {"CiphertextBlob": b"blob", "KeyId": MRK_WEST, "EncryptionContext": CONTEXT},
    )
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(discovery_region="us-west-2", region_names=["eu-west-1"])
    provider._regional_clients["us-west-2"] = west

    with stubber:
        data_key = provider.decrypt_data_key_from_list([_forged_edk(MRK_EAST)], ALGORITHM, CONTEXT)
        stubber.assert_no_pending_responses()

    assert data_key.data_key == b"k" * 32
    assert set(provider._regional_clients) == {"us-west-2"}
    master_key = provider.master_key_for_decrypt(MRK_EAST)
    assert isinstance(master_key, MRKAwareKMSMasterKey)
    assert master_key.key_id == MRK_WEST.encode()


def test_mrk_discovery_provider_uses_other_keys_in_their_own_region(moto: MotoKms) -> None:
    arn = moto.create_key("eu-west-1")
    data_key, edks = _wrap(StrictAwsKmsMasterKeyProvider(key_ids=[arn]))
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(discovery_region="us-west-2")

    assert provider.decrypt_data_key_from_list(edks, ALGORITHM, CONTEXT).data_key == data_key.data_key
    assert set(provider._regional_clients) == {"eu-west-1"}


def test_mrk_discovery_provider_applies_the_discovery_filter(moto: MotoKms) -> None:
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(
        discovery_region="us-west-2",
        discovery_filter=DiscoveryFilter(account_ids=[OTHER_ACCOUNT_ID], partition="aws"),
    )

    with pytest.raises(DecryptKeyError, match="not allowed by this Master Key Provider") as excinfo:
        provider.decrypt_data_key_from_list([_forged_edk(MRK_EAST)], ALGORITHM, CONTEXT)

    assert provider._regional_clients == {}
    assert "123456789012" in str(excinfo.value)


def test_mrk_discovery_provider_cannot_encrypt(moto: MotoKms) -> None:
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(discovery_region="us-west-2")

    with pytest.raises(MasterKeyProviderError):
        provider.master_keys_for_encryption(CONTEXT, None)
