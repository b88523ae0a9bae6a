"""Internal implementation details.

The public functions of these modules keep the original library's names and call shapes, because
application code reaches them (for example ``deserialize_header`` to read a header); everything
else here may change between releases.
"""

from __future__ import annotations

from aws_encryption_sdk.internal import arn, crypto, defaults, formatting, str_ops, structures, utils

__all__ = ["arn", "crypto", "defaults", "formatting", "str_ops", "structures", "utils"]
