"""Parsing and comparison of AWS KMS key ARNs."""

from __future__ import annotations

import attrs

from aws_encryption_sdk.exceptions import MalformedArnError

__all__ = ["Arn", "arn_from_str", "is_valid_mrk_arn_str", "is_valid_mrk_identifier"]


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class Arn:
    """The parts of an AWS KMS ARN: ``arn:partition:service:region:account:type/id``."""

    partition: str
    service: str
    region: str
    account_id: str
    resource_type: str
    resource_id: str

    def to_string(self) -> str:
        """Return the ARN as a string."""
        return ":".join(
            [
                "arn",
                self.partition,
                self.service,
                self.region,
                self.account_id,
                f"{self.resource_type}/{self.resource_id}",
            ]
        )

    def indicates_multi_region_key(self) -> bool:
        """Say whether the ARN names a multi-Region key (``key/mrk-...``)."""
        return self.resource_type == "key" and self.resource_id.startswith("mrk-")


def _malformed(arn_str: str, reason: str) -> MalformedArnError:
    return MalformedArnError(f"Resource {arn_str} could not be parsed as an ARN: {reason}")


def _part(arn_str: str, parts: list[str], index: int) -> str:
    """Return one ``:``-separated part, or refuse the ARN as the original does when it is missing."""
    if index >= len(parts):
        raise _malformed(arn_str, "list index out of range")
    return parts[index]


def arn_from_str(arn_str: str) -> Arn:
    """Parse an AWS KMS ARN.

    The checks run in the original's order, each part read when its check needs it, so a string
    gives the same reason as there.

    :param arn_str: the ARN
    :returns: its parts
    :raises MalformedArnError: when the string is not a valid AWS KMS key or alias ARN
    """
    parts = arn_str.split(":", 5)
    if parts[0] != "arn":
        raise _malformed(arn_str, "Missing 'arn' string")
    partition = _part(arn_str, parts, 1)
    if not partition:
        raise _malformed(arn_str, "Missing partition")
    account = _part(arn_str, parts, 4)
    if not account:
        raise _malformed(arn_str, "Missing account")
    region = _part(arn_str, parts, 3)
    if not region:
        raise _malformed(arn_str, "Missing region")
    service = _part(arn_str, parts, 2)
    if service != "kms":
        raise _malformed(arn_str, "Unknown service")
    resource = _part(arn_str, parts, 5)
    if not resource:
        raise _malformed(arn_str, "Missing resource")
    if "/" not in resource:
        raise _malformed(arn_str, "list index out of range")
    resource_type, resource_id = resource.split("/", 1)
    if resource_type not in ("alias", "key"):
        raise _malformed(arn_str, "Unknown resource type")
    if not resource_id:
        raise _malformed(arn_str, "Missing resource id")
    return Arn(partition, service, region, account, resource_type, resource_id)


def is_valid_mrk_arn_str(arn_str: str) -> bool:
    """Say whether a string is an ARN of a multi-Region key.

    :raises MalformedArnError: when the string is not a valid ARN
    """
    return arn_from_str(arn_str).indicates_multi_region_key()


def is_valid_mrk_identifier(id_str: str) -> bool:
    """Say whether a key identifier (ARN, alias or bare id) names a multi-Region key.

    :raises MalformedArnError: when the identifier starts with ``arn:`` but is not a valid ARN
    """
    if id_str.startswith("arn:"):
        return is_valid_mrk_arn_str(id_str)
    if id_str.startswith("alias/"):
        return False
    return id_str.startswith("mrk-")
