"""Configuration of the KMS providers: validation errors, defaults, regions, repr and helpers."""

from __future__ import annotations

import inspect
from typing import Any

import boto3
import botocore.session
import pytest
from _moto_kms import ALGORITHM, client_of
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import ConfigMismatchError, DecryptKeyError, MalformedArnError, UnknownRegionError
from aws_encryption_sdk.key_providers.kms import (
    _PROVIDER_ID,
    BaseKMSMasterKeyProvider,
    DiscoveryAwsKmsMasterKeyProvider,
    DiscoveryFilter,
    KMSMasterKeyConfig,
    KMSMasterKeyProviderConfig,
    MRKAwareDiscoveryAwsKmsMasterKeyProvider,
    MRKAwareKMSMasterKey,
    MRKAwareKMSMasterKeyConfig,
    MRKAwareStrictAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
    _check_mrk_arns_equal,
    _key_resource_match,
    _region_from_key_id,
)
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
MRK_EAST = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd"
MRK_WEST = "arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd"
GOOD_FILTER = DiscoveryFilter(account_ids=["123456789012"], partition="aws")

STRICT_ERRORS = [
    ({}, "To enable strict mode you must provide key ids"),
    ({"key_ids": [KEY_ARN, ""]}, "Key ids must be valid AWS KMS ARNs"),
    (
        {"key_ids": [KEY_ARN], "discovery_filter": GOOD_FILTER},
        "To enable discovery mode, use a DiscoveryAwsKmsMasterKeyProvider",
    ),
    (
        {"key_ids": [KEY_ARN], "discovery_region": "us-east-1"},
        "To enable MRK-aware discovery mode, use a MRKAwareDiscoveryAwsKmsMasterKeyProvider",
    ),
]
DISCOVERY_ERRORS = [
    (
        {"key_ids": [KEY_ARN]},
        "To explicitly identify which keys should be used, use a StrictAwsKmsMasterKeyProvider.",
    ),
    (
        {"discovery_filter": DiscoveryFilter(account_ids=["123456789012"])},
        "When specifying a discovery filter you must include both account ids and partition",
    ),
    (
        {"discovery_filter": DiscoveryFilter(partition="aws")},
        "When specifying a discovery filter you must include both account ids and partition",
    ),
    (
        {"discovery_filter": DiscoveryFilter(account_ids=["123456789012", ""], partition="aws")},
        "When specifying a discovery filter, account ids must be non-empty strings",
    ),
]


@pytest.mark.parametrize("provider_class", [StrictAwsKmsMasterKeyProvider, MRKAwareStrictAwsKmsMasterKeyProvider])
@pytest.mark.parametrize(("kwargs", "message"), STRICT_ERRORS)
def test_strict_providers_refuse_invalid_configuration(
    provider_class: type[BaseKMSMasterKeyProvider], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigMismatchError) as excinfo:
        provider_class(region_names=["us-east-1"], **kwargs)

    assert str(excinfo.value) == message


@pytest.mark.parametrize("provider_class", [DiscoveryAwsKmsMasterKeyProvider, MRKAwareDiscoveryAwsKmsMasterKeyProvider])
@pytest.mark.parametrize(("kwargs", "message"), DISCOVERY_ERRORS)
def test_discovery_providers_refuse_invalid_configuration(
    provider_class: type[BaseKMSMasterKeyProvider], kwargs: dict[str, Any], message: str
) -> None:
    # DECISIONS #13: the MRK-aware discovery provider applies the same checks.
    with pytest.raises(ConfigMismatchError) as excinfo:
        provider_class(region_names=["us-east-1"], **kwargs)

    assert str(excinfo.value) == message


def test_discovery_provider_refuses_a_discovery_region() -> None:
    with pytest.raises(ConfigMismatchError) as excinfo:
        DiscoveryAwsKmsMasterKeyProvider(discovery_region="us-east-1")

    assert str(excinfo.value) == "To enable MRK-aware discovery mode, use a MRKAwareDiscoveryAwsKmsMasterKeyProvider."


def test_mrk_discovery_provider_needs_a_region() -> None:
    with pytest.raises(ConfigMismatchError) as excinfo:
        MRKAwareDiscoveryAwsKmsMasterKeyProvider()

    assert str(excinfo.value) == (
        "Failed to determine default discovery region; please provide an explicit discovery_region"
    )


def test_mrk_discovery_region_defaults_to_the_first_region_name() -> None:
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(region_names=["eu-west-1", "us-east-1"])

    assert provider.config.discovery_region == "eu-west-1"


def test_mrk_discovery_region_defaults_to_the_session_region(default_region: str) -> None:
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider()

    assert provider.config.discovery_region == default_region


def test_explicit_discovery_region_wins_over_the_default_region(default_region: str) -> None:
    provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(discovery_region="ap-south-1")

    assert provider.config.discovery_region == "ap-south-1"


@pytest.mark.parametrize(
    ("key_ids", "related"),
    [
        ([MRK_EAST, MRK_WEST], f"{MRK_EAST}, {MRK_WEST}"),
        ([MRK_EAST, KEY_ARN, "mrk-1234abcd"], f"{MRK_EAST}, mrk-1234abcd"),
        ([MRK_EAST, MRK_EAST], MRK_EAST),
    ],
)
def test_mrk_strict_provider_refuses_related_multi_region_keys(key_ids: list[str], related: str) -> None:
    with pytest.raises(ConfigMismatchError) as excinfo:
        MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=key_ids, region_names=["us-east-1"])

    assert str(excinfo.value) == f"Configured key ids must be unique. Found related MRKs: {related}"


def test_mrk_strict_provider_accepts_distinct_keys_and_alias_arns() -> None:
    alias_arn = "arn:aws:kms:us-west-2:123456789012:alias/mrk-1234abcd"
    provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[MRK_EAST, alias_arn, KEY_ARN])

    assert [type(key) for key in provider._members] == [MRKAwareKMSMasterKey] * 3


def test_mrk_strict_provider_refuses_a_malformed_arn() -> None:
    with pytest.raises(MalformedArnError):
        MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=["arn:aws:kms:us-east-1:123456789012"])


# Config classes ------------------------------------------------------------------------------------------


def test_provider_config_defaults_and_conversions() -> None:
    config = KMSMasterKeyProviderConfig(key_ids=[KEY_ARN], region_names=["us-east-1"], grant_tokens=["t"])

    assert isinstance(config.botocore_session, botocore.session.Session)
    assert config.key_ids == (KEY_ARN,)
    assert config.region_names == ("us-east-1",)
    assert config.grant_tokens == ("t",)
    assert config.discovery_filter is None
    assert config.discovery_region is None
    assert config.client_factory is None


def test_provider_config_refuses_a_boto3_session() -> None:
    with pytest.raises(TypeError, match="botocore_session"):
        KMSMasterKeyProviderConfig(botocore_session=boto3.session.Session())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"discovery_filter": {"account_ids": ["1"], "partition": "aws"}},
        {"discovery_region": b"us-east-1"},
        {"client_factory": "not callable"},
    ],
)
def test_provider_config_refuses_wrong_types(kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        KMSMasterKeyProviderConfig(**kwargs)


def test_provider_config_fields_keep_the_original_positional_order() -> None:
    session = botocore.session.Session()
    config = KMSMasterKeyProviderConfig(session, [KEY_ARN], ["us-east-1"], ["t"], None, "us-east-1")

    assert config == KMSMasterKeyProviderConfig(
        botocore_session=session,
        key_ids=(KEY_ARN,),
        region_names=("us-east-1",),
        grant_tokens=("t",),
        discovery_region="us-east-1",
    )
    assert hash(config) == hash(
        KMSMasterKeyProviderConfig(session, (KEY_ARN,), ("us-east-1",), ("t",), None, "us-east-1")
    )


def test_client_factory_is_keyword_only() -> None:
    def factory(region_name: str) -> Any:
        return boto3.client("kms", region_name=region_name)

    with pytest.raises(TypeError):
        KMSMasterKeyProviderConfig(botocore.session.Session(), (), (), (), None, None, factory)  # type: ignore[call-arg]


def test_discovery_filter_converts_account_ids_to_a_tuple() -> None:
    assert DiscoveryFilter(account_ids=["1", "2"], partition="aws").account_ids == ("1", "2")
    assert DiscoveryFilter(account_ids="12").account_ids == ("1", "2")
    assert DiscoveryFilter() == DiscoveryFilter(account_ids=(), partition=None)


def test_discovery_filter_refuses_a_bytes_partition() -> None:
    with pytest.raises(TypeError):
        DiscoveryFilter(account_ids=["1"], partition=b"aws")  # type: ignore[arg-type]


def test_providers_accept_a_config_object() -> None:
    config = KMSMasterKeyProviderConfig(key_ids=[KEY_ARN])
    provider = StrictAwsKmsMasterKeyProvider(config=config)

    assert provider.config is config
    assert list(provider._encrypt_key_index) == [KEY_ARN.encode()]


def test_providers_refuse_unknown_keywords() -> None:
    with pytest.raises(TypeError):
        StrictAwsKmsMasterKeyProvider(key_ids=[KEY_ARN], region="us-east-1")


def test_provider_repr_lists_sorted_config_fields_with_lists_and_hides_unset_client_factory() -> None:
    session = botocore.session.Session()
    provider = StrictAwsKmsMasterKeyProvider(botocore_session=session, key_ids=[KEY_ARN], grant_tokens=["t"])

    assert repr(provider) == (
        f"StrictAwsKmsMasterKeyProvider(botocore_session={session!r}, discovery_filter=None, "
        f"discovery_region=None, grant_tokens=['t'], key_ids=['{KEY_ARN}'], region_names=[])"
    )


def test_provider_repr_shows_a_client_factory_when_set() -> None:
    def factory(region_name: str) -> Any:
        return boto3.client("kms", region_name=region_name)

    provider = DiscoveryAwsKmsMasterKeyProvider(client_factory=factory, discovery_filter=GOOD_FILTER)

    assert f"client_factory={factory!r}" in repr(provider)
    assert "discovery_filter={'account_ids': ['123456789012'], 'partition': 'aws'}" in repr(provider)


def test_provider_classes_expose_the_original_class_attributes() -> None:
    assert StrictAwsKmsMasterKeyProvider.provider_id == _PROVIDER_ID == "aws-kms"
    assert StrictAwsKmsMasterKeyProvider.vend_masterkey_on_decrypt is True  # the instances say False
    assert MRKAwareStrictAwsKmsMasterKeyProvider.vend_masterkey_on_decrypt is True
    assert DiscoveryAwsKmsMasterKeyProvider.vend_masterkey_on_decrypt is True
    assert MRKAwareDiscoveryAwsKmsMasterKeyProvider.vend_masterkey_on_decrypt is True
    assert MRKAwareStrictAwsKmsMasterKeyProvider.master_key_class is MRKAwareKMSMasterKey
    assert MRKAwareDiscoveryAwsKmsMasterKeyProvider.master_key_class is MRKAwareKMSMasterKey


@pytest.mark.usefixtures("moto")  # a provider that vended would call KMS: keep that call local
@pytest.mark.parametrize("strict_class", [StrictAwsKmsMasterKeyProvider, MRKAwareStrictAwsKmsMasterKeyProvider])
def test_strict_providers_never_vend_master_keys_on_decrypt_even_when_a_subclass_asks(strict_class: type[Any]) -> None:
    class Vending(strict_class):  # type: ignore[misc]
        vend_masterkey_on_decrypt = True

    provider = Vending(key_ids=[KEY_ARN])
    other_key = EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id="aws-kms", key_info=KEY_ARN.replace("11111111", "99999999")),
        encrypted_data_key=b"blob",
    )

    assert provider.vend_masterkey_on_decrypt is False
    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        provider.decrypt_data_key_from_list([other_key], ALGORITHM, {})
    assert provider._decrypt_key_index == {}


@pytest.mark.parametrize(
    ("config_class", "fields"),
    [
        (DiscoveryFilter, ["account_ids"]),
        (KMSMasterKeyConfig, ["grant_tokens"]),
        (MRKAwareKMSMasterKeyConfig, ["grant_tokens"]),
        (KMSMasterKeyProviderConfig, ["key_ids", "region_names", "grant_tokens"]),
    ],
)
def test_tuple_fields_show_an_empty_tuple_default_in_their_signature(config_class: Any, fields: list[str]) -> None:
    parameters = inspect.signature(config_class).parameters

    assert [parameters[name].default for name in fields] == [()] * len(fields)


def test_base_provider_is_abstract() -> None:
    with pytest.raises(TypeError, match="abstract"):
        BaseKMSMasterKeyProvider()  # type: ignore[abstract]


# Regions ------------------------------------------------------------------------------------------------


def test_default_region_is_the_first_region_name(default_region: str) -> None:
    provider = DiscoveryAwsKmsMasterKeyProvider(region_names=["eu-west-1", "us-east-1"])

    assert provider.default_region == "eu-west-1"


def test_default_region_falls_back_to_the_session_region(default_region: str) -> None:
    assert DiscoveryAwsKmsMasterKeyProvider().default_region == default_region


def test_bare_key_id_without_any_region_is_an_unknown_region_error() -> None:
    with pytest.raises(UnknownRegionError) as excinfo:
        StrictAwsKmsMasterKeyProvider(key_ids=["alias/mine"])

    assert str(excinfo.value) == "No default region found and no region determinable from key id: alias/mine"


def test_bare_key_id_uses_the_default_region_client() -> None:
    provider = StrictAwsKmsMasterKeyProvider(key_ids=["alias/mine"], region_names=["eu-west-1"])

    assert client_of(provider.master_key("alias/mine")).meta.region_name == "eu-west-1"


@pytest.mark.parametrize(
    ("key_id", "default", "region"),
    [
        (KEY_ARN, None, "us-east-1"),
        ("arn:aws:kms:eu-west-1:123456789012:alias/x", "us-east-1", "eu-west-1"),
        ("alias/x", "us-east-1", "us-east-1"),
        ("11111111-2222-3333-4444-555555555555", "ap-south-1", "ap-south-1"),
    ],
)
def test_region_from_key_id(key_id: str, default: str | None, region: str) -> None:
    assert _region_from_key_id(key_id, default) == region


# ARN helpers -------------------------------------------------------------------------------------------

_regions = st.sampled_from(["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"])
_key_ids = st.sampled_from(["mrk-1234abcd", "mrk-9876fedc", "11111111-2222-3333-4444-555555555555"])


def _arn(region: str, key: str, account: str = "123456789012") -> str:
    return f"arn:aws:kms:{region}:{account}:key/{key}"


@settings(max_examples=100, deadline=None)
@given(region1=_regions, region2=_regions, key1=_key_ids, key2=_key_ids)
def test_mrk_arns_match_across_regions_only_for_the_same_multi_region_key(
    region1: str, region2: str, key1: str, key2: str
) -> None:
    same = _check_mrk_arns_equal(_arn(region1, key1), _arn(region2, key2))

    expected = (key1 == key2) and (key1.startswith("mrk-") or region1 == region2)
    assert same is expected
    assert _check_mrk_arns_equal(_arn(region2, key2), _arn(region1, key1)) is same


def test_mrk_arns_of_different_accounts_do_not_match() -> None:
    assert not _check_mrk_arns_equal(MRK_EAST, _arn("us-west-2", "mrk-1234abcd", "210987654321"))


def test_mrk_arn_comparison_raises_for_a_malformed_arn() -> None:
    with pytest.raises(MalformedArnError):
        _check_mrk_arns_equal(MRK_EAST, "mrk-1234abcd")
    assert _check_mrk_arns_equal("mrk-1234abcd", "mrk-1234abcd")


@pytest.mark.parametrize(
    ("key1", "key2", "expected"),
    [
        (MRK_EAST, MRK_WEST, True),
        (MRK_EAST, "mrk-1234abcd", True),
        ("mrk-1234abcd", "mrk-1234abcd", True),
        (MRK_EAST, "arn:aws:kms:us-east-1:123456789012:alias/mrk-1234abcd", False),
        (MRK_EAST, KEY_ARN, False),
    ],
)
def test_key_resource_match(key1: str, key2: str, expected: bool) -> None:
    assert _key_resource_match(key1, key2) is expected
