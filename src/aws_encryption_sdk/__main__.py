"""``python -m aws_encryption_sdk``: the SDK's main job, a round trip a newcomer can run.

See :mod:`aws_encryption_sdk._demo`.
"""

from __future__ import annotations

import sys

from aws_encryption_sdk._demo import main

sys.exit(main())
