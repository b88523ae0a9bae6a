"""KMSCallError stands in for every botocore error that is not a KMS answer, and is still that error."""

from __future__ import annotations

import inspect

import botocore.exceptions
import pytest

from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError, KMSCallError
from aws_encryption_sdk.key_providers._kms_master_key import _kms_call_error_class

BOTOCORE_ERRORS = sorted(
    (
        value
        for value in vars(botocore.exceptions).values()
        if inspect.isclass(value) and issubclass(value, botocore.exceptions.BotoCoreError)
    ),
    key=lambda value: value.__name__,
)


@pytest.mark.parametrize("botocore_error", BOTOCORE_ERRORS, ids=lambda value: value.__name__)
def test_every_botocore_error_class_gets_a_kms_call_error_that_is_also_it(botocore_error: type[Exception]) -> None:
    error_class = _kms_call_error_class(botocore_error)
    error = error_class("Master Key k unable to decrypt data key: AWS KMS could not be called", {"endpoint_url": "x"})

    assert isinstance(error, botocore_error)
    assert isinstance(error, KMSCallError)
    assert isinstance(error, AWSEncryptionSDKClientError)
    assert str(error) == "Master Key k unable to decrypt data key: AWS KMS could not be called"
    assert error.kwargs == {"endpoint_url": "x"}
    assert error_class.__name__ == f"KMS{botocore_error.__name__}"
    assert _kms_call_error_class(botocore_error) is error_class


def test_there_are_botocore_errors_to_check() -> None:
    assert len(BOTOCORE_ERRORS) > 50


def test_kms_call_error_without_kwargs_has_empty_kwargs() -> None:
    assert KMSCallError("no call").kwargs == {}
