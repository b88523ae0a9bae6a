"""Instructions and simulated cache misses per 1 KiB message, counted by valgrind's cachegrind.

``bench.py`` measures time, which this shared machine blurs; this counts work, which it cannot:
the same code and inputs give the same instruction count run after run. It runs each workload
(1 KiB, suite 0x0478, raw AES key) ``--count`` times under ``valgrind --tool=cachegrind``, after
a warm-up that is also counted alone, and prints the difference per message. The simulated caches
are those of one core of the development machine (32 KiB L1 instruction and data caches, a 512 KiB
L2 as the last level), so the last column counts what falls out of L2.

The ``... then floor`` workloads run one of our messages and then the floor's calls; subtracting
the message alone gives the floor's cost straight after one of our messages. ``hand-built`` and
``API objects`` count ``bench.py``'s message built from the floor's calls and ``struct``, without
and with the objects the public API must build.

Needs valgrind (Debian: ``apt-get install valgrind``). Run ``python bench/instructions.py``
(about two minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench import (
    KIB,
    SUITES,
    _floor_decrypt,
    _floor_encrypt,
    aes_floor_wrapping,
    aes_key,
    client_for,
    hand_built_encrypt,
    objects_built_encrypt,
)

#: The cachegrind summary lines read, and what they count.
EVENTS = {"I refs": "instructions", "I1 misses": "L1i misses", "D1 misses": "L1d misses", "LL misses": "L2 misses"}
CACHES = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=524288,8,64"]
WARM_UP = 20


def workloads() -> dict[str, Callable[[], Any]]:
    """The operations counted, by name."""
    suite = SUITES["0x0478"]
    client = client_for(suite)
    key = aes_key()
    plaintext = os.urandom(KIB)
    ciphertext, _ = client.encrypt(source=plaintext, key_provider=key, algorithm=suite)
    wrap, unwrap = aes_floor_wrapping()
    floor_encrypt = partial(_floor_encrypt, wrap, plaintext)
    floor_decrypt = partial(_floor_decrypt, unwrap, floor_encrypt())
    encrypt = partial(client.encrypt, source=plaintext, key_provider=key, algorithm=suite)
    decrypt = partial(client.decrypt, source=ciphertext, key_provider=key)
    wrapping = AESGCM(os.urandom(32))
    return {
        "floor encrypt": floor_encrypt,
        "floor decrypt": floor_decrypt,
        "encrypt": encrypt,
        "decrypt": decrypt,
        "encrypt then floor": lambda: (encrypt(), floor_encrypt()),
        "decrypt then floor": lambda: (decrypt(), floor_decrypt()),
        "hand-built encrypt": partial(hand_built_encrypt, wrapping, plaintext),
        "API objects encrypt": partial(objects_built_encrypt, wrapping, key, plaintext),
    }


def child(name: str, count: int) -> None:
    """Warm every workload up, then run ``name`` ``count`` times (the process valgrind watches)."""
    operations = workloads()
    for _ in range(WARM_UP):
        for operation in operations.values():
            operation()
    operation = operations[name]
    for _ in range(count):
        operation()


def counted(name: str, count: int) -> dict[str, int]:
    """Run the child under cachegrind and return its event totals."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=yes",
            *CACHES,
            f"--cachegrind-out-file={os.path.join(scratch, 'out')}",
            sys.executable,
            __file__,
            "--child",
            name,
            str(count),
        ]
        summary = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    totals = {}
    for event in EVENTS:
        label, kind = event.split()
        match = re.search(rf"^==\d+== {label}\s+{kind}:\s+([\d,]+)", summary, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no {event} total in cachegrind's summary:\n{summary}")
        totals[event] = int(match.group(1).replace(",", ""))
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500, help="messages per workload (default 500)")
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 1
    print(f"{'per message':<20}" + "".join(f"{label:>14}" for label in EVENTS.values()))
    base = counted("encrypt", 0)  # the warm-up alone, the same for every workload
    for name in workloads():
        loaded = counted(name, args.count)
        print(f"{name:<20}" + "".join(f"{(loaded[e] - base[e]) / args.count:>14,.0f}" for e in EVENTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
