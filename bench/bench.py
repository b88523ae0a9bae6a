"""Benchmarks of the AWS Encryption SDK, each figure beside its floor measured in the same run.

Run ``python bench/bench.py --quick`` (3 runs per figure, 200 small messages, a 64 MiB stream:
a minute or two) or without ``--quick`` for the quoted figures (5 runs, 1,000 small messages, a
256 MiB stream). Every figure is the median of ``--runs`` runs, and each ratio the median of
per-run ratios, every run of an operation paired with a floor timed just before it. The table
goes to stdout, the figures to ``--json`` (default ``bench/results.json``).

Floors:

* throughput: ``AESGCM.encrypt`` over the whole plaintext in one call (the most any framing can do);
* 1 KiB messages: only the ``cryptography`` calls a message cannot avoid, for each direction
  (encrypt: random data key, message id and IV, the wrap, HKDF extract and expands, header tag,
  one frame; decrypt: the unwrap, HKDF extract and expands, header tag check, one frame);
  beside them, the same encrypt floor against a valid message built from those calls and
  ``struct`` alone (no SDK objects), which shows what the message format itself costs, and against
  that message plus the objects the public API must build, which bounds any implementation of it;
* streaming: MB/s and peak traced memory over the baseline while a file streams through;
* import: a fresh interpreter, with the package's bytecode compiled first (as ``pip install`` does).

``bench/instructions.py`` counts the instructions and simulated cache misses of a small message and
of its floor under valgrind, where this file's clocks are blurred by the machine.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import hmac
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    ContentType,
    EncryptionKeyType,
    SerializationVersion,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.structures import EncryptedData
from aws_encryption_sdk.internal.utils.signature import SignaturePolicy
from aws_encryption_sdk.internal.utils.streams import ROStream
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.materials_managers import EncryptionMaterials, EncryptionMaterialsRequest
from aws_encryption_sdk.streaming_client import EncryptorConfig, StreamEncryptor
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo, MessageHeader, RawDataKey

KIB = 1024
MIB = 1024 * KIB
SUITES = {
    "0x0478": AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    "0x0578": AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    "0x0014": AlgorithmSuite.AES_128_GCM_IV12_TAG16,
    "0x0078": AlgorithmSuite.AES_256_GCM_IV12_TAG16,
}


def median_seconds(operation: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``operation``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def repeated(operation: Callable[[], Any], times: int) -> Callable[[], None]:
    """Return a function that calls ``operation`` ``times`` times."""

    def run() -> None:
        for _ in range(times):
            operation()

    return run


def median_seconds_after(before: Callable[[], Any], operation: Callable[[], Any], runs: int) -> float:
    """Median time of one call of ``operation`` made straight after a call of ``before`` (not timed).

    Timed after one of our messages, the floor's calls show what they cost when the processor's caches
    hold other code, as they do inside a message.
    """
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def aes_key(key_bytes: bytes | None = None) -> RawMasterKey:
    return RawMasterKey(
        provider_id="bench",
        key_id=b"aes",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key_bytes if key_bytes is not None else os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def rsa_key() -> tuple[RawMasterKey, rsa.RSAPrivateKey]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = RawMasterKey(
        provider_id="bench",
        key_id=b"rsa",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
            wrapping_key=pem,
            wrapping_key_type=EncryptionKeyType.PRIVATE,
        ),
    )
    return key, private


def client_for(suite: AlgorithmSuite) -> aws_encryption_sdk.EncryptionSDKClient:
    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    return aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy)


def paired_medians(runs: int, floor: Callable[[], Any], operations: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Time the floor and then each operation, back to back, ``runs`` rounds.

    Returns the floor's median seconds under ``"floor"`` and, per operation, ``(median seconds,
    median ratio)``, where each round's ratio is that round's floor time over the operation's time.
    Pairing every measurement with a floor taken moments before keeps the machine's drift out of
    the ratios.
    """
    floors: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in operations}
    ratios: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(runs):
        for name, operation in operations.items():
            floor_seconds = median_seconds(floor, 1)
            seconds = median_seconds(operation, 1)
            floors.append(floor_seconds)
            times[name].append(seconds)
            ratios[name].append(floor_seconds / seconds)
    result: dict[str, Any] = {"floor": statistics.median(floors)}
    for name in operations:
        result[name] = (statistics.median(times[name]), statistics.median(ratios[name]))
    return result


def throughput(sizes: list[int], frames: list[int], runs: int) -> list[dict[str, Any]]:
    """One-shot encrypt/decrypt MB/s per suite, frame length and size, as a ratio to one-call AES-GCM."""
    key = aes_key()
    rows = []
    for size in sizes:
        plaintext = os.urandom(size)
        floor_aead = AESGCM(os.urandom(32))
        # Small sizes are timed in batches so that one timing is not lost in the timer's resolution.
        batch = max(1, MIB // size)

        def floor() -> None:
            for _ in range(batch):
                floor_aead.encrypt(bytes(12), plaintext, None)

        for suite_name, suite in SUITES.items():
            client = client_for(suite)
            for frame_length in frames:
                ciphertext, _ = client.encrypt(
                    source=plaintext, key_provider=key, algorithm=suite, frame_length=frame_length
                )

                def encrypt(
                    client: Any = client, suite: AlgorithmSuite = suite, frame_length: int = frame_length
                ) -> None:
                    for _ in range(batch):
                        client.encrypt(source=plaintext, key_provider=key, algorithm=suite, frame_length=frame_length)

                def decrypt(client: Any = client, ciphertext: bytes = ciphertext) -> None:
                    for _ in range(batch):
                        client.decrypt(source=ciphertext, key_provider=key)

                measured = paired_medians(runs, floor, {"encrypt": encrypt, "decrypt": decrypt})
                (encrypt_seconds, encrypt_ratio), (decrypt_seconds, decrypt_ratio) = (
                    measured["encrypt"],
                    measured["decrypt"],
                )
                rows.append(
                    {
                        "size": size,
                        "suite": suite_name,
                        "frame_length": frame_length,
                        "encrypt_mb_s": batch * size / encrypt_seconds / MIB,
                        "decrypt_mb_s": batch * size / decrypt_seconds / MIB,
                        "floor_mb_s": batch * size / measured["floor"] / MIB,
                        "encrypt_ratio": encrypt_ratio,
                        "decrypt_ratio": decrypt_ratio,
                    }
                )
    return rows


_FLOOR_IV = bytes(12)
_FLOOR_HEADER_AAD = b"h" * 200
_FLOOR_FRAME_AAD = b"a" * 80


def _floor_message_keys(data_key: bytes, message_id: bytes) -> tuple[AESGCM, bytes]:
    """HKDF extract and both expands of a committing suite; the message's AES-GCM key and commitment key."""
    prk = hmac.new(message_id, data_key, hashlib.sha512).digest()
    key = HKDFExpand(hashes.SHA512(), 32, b"\x04\x78DERIVEKEY").derive(prk)
    return AESGCM(key), HKDFExpand(hashes.SHA512(), 32, b"COMMITKEY").derive(prk)


def aes_floor_wrapping() -> tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]:
    """The wrap and unwrap of the raw AES floor: AES-GCM under a random 12-byte IV, kept with the result."""
    wrapping = AESGCM(os.urandom(32))

    def wrap(data_key: bytes) -> bytes:
        iv = os.urandom(12)
        return iv + wrapping.encrypt(iv, data_key, b"")

    def unwrap(wrapped: bytes) -> bytes:
        return wrapping.decrypt(wrapped[:12], wrapped[12:], b"")

    return wrap, unwrap


def _floor_encrypt(wrap: Callable[[bytes], bytes], plaintext: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """The calls an encrypt cannot avoid: a data key and message id, the wrap, the keys, header tag, one frame."""
    data_key = os.urandom(32)
    message_id = os.urandom(32)
    wrapped = wrap(data_key)
    aead, _ = _floor_message_keys(data_key, message_id)
    header_tag = aead.encrypt(_FLOOR_IV, b"", _FLOOR_HEADER_AAD)
    return wrapped, message_id, header_tag, aead.encrypt(_FLOOR_IV, plaintext, _FLOOR_FRAME_AAD)


def _floor_decrypt(unwrap: Callable[[bytes], bytes], sealed: tuple[bytes, bytes, bytes, bytes]) -> bytes:
    """The calls a decrypt cannot avoid: the unwrap, the keys, the header tag, one frame."""
    wrapped, message_id, header_tag, frame = sealed
    aead, _ = _floor_message_keys(unwrap(wrapped), message_id)
    aead.decrypt(_FLOOR_IV, header_tag, _FLOOR_HEADER_AAD)
    return aead.decrypt(_FLOOR_IV, frame, _FLOOR_FRAME_AAD)


def _hand_built_message(
    plaintext: bytes, data_key: bytes, message_id: bytes, key_info: bytes, wrapped: bytes
) -> tuple[bytes, bytes]:
    """The bytes of a one-frame 0x0478 message of one raw AES data key; returns it and its commitment key."""
    aead, commitment = _floor_message_keys(data_key, message_id)
    header = b"".join(
        (
            b"\x02\x04\x78" + message_id + b"\x00\x00\x00\x01",  # version, suite, id, empty context, 1 key
            struct.pack(">H5sH", 5, b"bench", len(key_info)) + key_info,
            struct.pack(">H", len(wrapped)) + wrapped,
            struct.pack(">BI", 2, 4096) + commitment,  # framed, frame length, commitment key
        )
    )
    frame_iv = struct.pack(">8xI", 1)
    aad = message_id + b"AWSKMSEncryptionClient Final Frame" + struct.pack(">IQ", 1, len(plaintext))
    message = b"".join(
        (
            header,
            aead.encrypt(_FLOOR_IV, b"", header),
            struct.pack(">II", 0xFFFFFFFF, 1) + frame_iv + struct.pack(">I", len(plaintext)),
            aead.encrypt(frame_iv, plaintext, aad),
        )
    )
    return message, commitment


def hand_built_encrypt(wrapping: AESGCM, plaintext: bytes) -> bytes:
    """A whole 0x0478 message made of the floor's calls and ``struct``, with none of the SDK's objects.

    Empty encryption context, one encrypted data key of the raw AES key ``bench``/``aes`` (whose
    wrapping key ``wrapping`` holds), one final frame of a 4096-byte frame length (``plaintext``
    must fit in it). What it costs beyond the floor is what the message format itself costs.
    """
    data_key, message_id, wrap_iv = os.urandom(32), os.urandom(32), os.urandom(12)
    wrapped = wrapping.encrypt(wrap_iv, data_key, b"")
    key_info = b"aes" + struct.pack(">II", 128, 12) + wrap_iv
    return _hand_built_message(plaintext, data_key, message_id, key_info, wrapped)[0]


def objects_built_encrypt(wrapping: AESGCM, key: RawMasterKey, plaintext: bytes) -> tuple[bytes, MessageHeader]:
    """:func:`hand_built_encrypt` plus the SDK objects an encrypt must build, and nothing else.

    Every object a drop-in ``client.encrypt(source=..., key_provider=key)`` hands to code a caller
    may replace or read (the config and its default materials manager, the stream, the materials
    request and its read-only view of the source, the raw key's ``RawDataKey``, ``EncryptedData``,
    ``MasterKeyInfo``, ``EncryptedDataKey`` and ``DataKey``, the materials, the header), built once
    with the message's real values and with their type checks, but no other check, call or state
    of the SDK. What it costs beyond the hand-built message is what the public object model costs
    on its own: a bound no implementation of this API can beat. Returns the message and the header.
    """
    suite, policy = SUITES["0x0478"], CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    config = EncryptorConfig(
        source=plaintext,
        key_provider=key,
        algorithm=suite,
        commitment_policy=policy,
        signature_policy=SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
        max_encrypted_data_keys=None,
    )
    StreamEncryptor(config=config)
    EncryptionMaterialsRequest(
        encryption_context={},
        frame_length=4096,
        plaintext_rostream=ROStream(plaintext),
        plaintext_length=len(plaintext),
        algorithm=suite,
        commitment_policy=policy,
    )
    data_key, message_id, wrap_iv = os.urandom(32), os.urandom(32), os.urandom(12)
    RawDataKey(key_provider=key.key_provider, data_key=data_key)
    wrapped = wrapping.encrypt(wrap_iv, data_key, b"")
    EncryptedData(iv=wrap_iv, ciphertext=wrapped[:-16], tag=wrapped[-16:])
    key_info = b"aes" + struct.pack(">II", 128, 12) + wrap_iv
    provider = MasterKeyInfo(provider_id="bench", key_info=key_info)
    encrypted_data_key = EncryptedDataKey(key_provider=provider, encrypted_data_key=wrapped)
    materials = EncryptionMaterials(
        algorithm=suite,
        data_encryption_key=DataKey(key_provider=provider, data_key=data_key, encrypted_data_key=wrapped),
        encrypted_data_keys={encrypted_data_key},
        encryption_context={},
        signing_key=None,
    )
    message, commitment = _hand_built_message(plaintext, data_key, message_id, key_info, wrapped)
    header = MessageHeader(
        version=SerializationVersion.V2,
        algorithm=suite,
        message_id=message_id,
        encryption_context=materials.encryption_context,
        encrypted_data_keys=materials.encrypted_data_keys,
        content_type=ContentType.FRAMED_DATA,
        frame_length=4096,
        commitment_key=commitment,
    )
    return message, header


def _message_row(
    name: str, direction: str, runs: int, count: int, floor: Callable[[], Any], ours: Callable[[], Any]
) -> dict[str, Any]:
    """Time ``ours`` (one message) against ``floor`` (its floor's calls), ``count`` messages a run."""
    measured = paired_medians(runs, repeated(floor, count), {direction: repeated(ours, count)})
    seconds, ratio = measured[direction]
    return {
        "key": name,
        "direction": direction,
        "messages_per_s": count / seconds,
        "floor_messages_per_s": count / measured["floor"],
        "ratio": ratio,
        "floor_us_alone": 1e6 * median_seconds_after(lambda: None, floor, count),
        "floor_us_after_ours": 1e6 * median_seconds_after(ours, floor, count),
    }


def hand_built_rows(runs: int, count: int, plaintext: bytes) -> list[dict[str, Any]]:
    """1 KiB messages built by :func:`hand_built_encrypt` and :func:`objects_built_encrypt`, against the floor.

    One message of each is decrypted by the SDK first, so the figures are those of real messages.
    """
    key_bytes = os.urandom(32)
    wrapping, key = AESGCM(key_bytes), aes_key(key_bytes)
    client = client_for(SUITES["0x0478"])
    assert client.decrypt(source=hand_built_encrypt(wrapping, plaintext), key_provider=key)[0] == plaintext
    message, header = objects_built_encrypt(wrapping, key, plaintext)
    assert client.decrypt(source=message, key_provider=key) == (plaintext, header)
    floor = partial(_floor_encrypt, aes_floor_wrapping()[0], plaintext)
    built: dict[str, Callable[[], Any]] = {
        "raw AES, hand-built (no SDK objects)": partial(hand_built_encrypt, wrapping, plaintext),
        "raw AES, hand-built + API objects": partial(objects_built_encrypt, wrapping, key, plaintext),
    }
    return [_message_row(name, "encrypt", runs, count, floor, ours) for name, ours in built.items()]


def small_messages(runs: int, count: int) -> list[dict[str, Any]]:
    """1 KiB unsigned (0x0478) messages per second with raw AES and raw RSA-4096 keys, vs their floors."""
    suite = SUITES["0x0478"]
    client = client_for(suite)
    plaintext = os.urandom(KIB)
    rows = []
    rsa_master, rsa_private = rsa_key()
    rsa_public = rsa_private.public_key()
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    floors: dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]] = {
        "raw AES": aes_floor_wrapping(),
        "raw RSA-4096": (
            lambda data_key: rsa_public.encrypt(data_key, oaep),
            lambda wrapped: rsa_private.decrypt(wrapped, oaep),
        ),
    }
    for name, key in (("raw AES", aes_key()), ("raw RSA-4096", rsa_master)):
        n = count if name == "raw AES" else max(count // 20, 20)
        ciphertext, _ = client.encrypt(source=plaintext, key_provider=key, algorithm=suite)
        wrap, unwrap = floors[name]
        sealed = _floor_encrypt(wrap, plaintext)  # what the decrypt floor opens

        floor_once: dict[str, Callable[[], Any]] = {
            "encrypt": partial(_floor_encrypt, wrap, plaintext),
            "decrypt": partial(_floor_decrypt, unwrap, sealed),
        }
        ours_once: dict[str, Callable[[], Any]] = {
            "encrypt": partial(client.encrypt, source=plaintext, key_provider=key, algorithm=suite),
            "decrypt": partial(client.decrypt, source=ciphertext, key_provider=key),
        }
        for direction in ("encrypt", "decrypt"):
            rows.append(_message_row(name, direction, runs, n, floor_once[direction], ours_once[direction]))
    rows.extend(hand_built_rows(runs, count, plaintext))
    return rows


def streaming(size: int, runs: int) -> list[dict[str, Any]]:
    """Stream a file of ``size`` bytes both ways: MB/s (timed runs) and peak traced memory (one extra run)."""
    key = aes_key()
    client = aws_encryption_sdk.EncryptionSDKClient()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "plain"
        sealed = Path(scratch) / "sealed"
        opened = Path(scratch) / "opened"
        with plain.open("wb") as handle:
            for _ in range(size // MIB):
                handle.write(os.urandom(MIB))

        def run(mode: str, source: Path, target: Path) -> None:
            options = {"frame_length": 64 * KIB} if mode == "e" else {}
            with (
                source.open("rb") as reader,
                target.open("wb") as writer,
                client.stream(mode=mode, source=reader, key_provider=key, **options) as stream,
            ):
                for chunk in stream:
                    writer.write(chunk)

        for mode, source, target in (("e", plain, sealed), ("d", sealed, opened)):
            seconds = median_seconds(lambda: run(mode, source, target), runs)
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            run(mode, source, target)
            peak = tracemalloc.get_traced_memory()[1] - baseline
            tracemalloc.stop()
            rows.append(
                {
                    "direction": "encrypt" if mode == "e" else "decrypt",
                    "size": size,
                    "mb_s": size / seconds / MIB,
                    "peak_memory_over_baseline_mib": peak / MIB,
                }
            )
        assert plain.read_bytes() == opened.read_bytes()
    return rows


def import_time(runs: int) -> dict[str, Any]:
    """Seconds to ``import aws_encryption_sdk`` in a fresh interpreter, and whether boto3 came along.

    The package's bytecode is compiled first, as ``pip install`` does: in an editable install run
    with ``PYTHONDONTWRITEBYTECODE=1`` every import would otherwise compile the sources again, which
    measures the compiler rather than the import.
    """
    compileall.compile_dir(Path(aws_encryption_sdk.__file__).parent, quiet=1)
    code = (
        "import sys, time; s = time.perf_counter(); import aws_encryption_sdk; "
        "print(time.perf_counter() - s, 'boto3' in sys.modules or 'botocore' in sys.modules)"
    )
    seconds, loaded = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        seconds.append(float(out[0]))
        loaded = loaded or out[1] == "True"
    return {"seconds": statistics.median(seconds), "boto3_imported": loaded}


def _print_table(results: dict[str, Any]) -> None:
    print("One-shot throughput (MB/s; ratio to one-call AES-GCM in the same run)")
    print(f"{'size':>9} {'suite':>7} {'frame':>8} {'encrypt':>9} {'ratio':>6} {'decrypt':>9} {'ratio':>6} {'floor':>8}")
    for row in results["throughput"]:
        print(
            f"{row['size']:>9} {row['suite']:>7} {row['frame_length']:>8} {row['encrypt_mb_s']:>9.1f} "
            f"{row['encrypt_ratio']:>6.2f} {row['decrypt_mb_s']:>9.1f} {row['decrypt_ratio']:>6.2f} "
            f"{row['floor_mb_s']:>8.1f}"
        )
    print("\n1 KiB messages, suite 0x0478 (messages/s; ratio to the minimal cryptography floor)")
    for row in results["small_messages"]:
        print(
            f"{row['key']:>36} {row['direction']:>8} {row['messages_per_s']:>9.0f} "
            f"floor {row['floor_messages_per_s']:>9.0f} ratio {row['ratio']:.2f}; the floor's calls take "
            f"{row['floor_us_alone']:.0f} us alone, {row['floor_us_after_ours']:.0f} us after one of our messages"
        )
    print("\nStreaming a file (frame length 64 KiB, default suite)")
    for row in results["streaming"]:
        print(
            f"{row['direction']:>8} {row['size'] // MIB} MiB: {row['mb_s']:.1f} MB/s, "
            f"peak memory over baseline {row['peak_memory_over_baseline_mib']:.2f} MiB"
        )
    imp = results["import"]
    print(f"\nimport aws_encryption_sdk: {imp['seconds']:.3f} s, boto3 imported: {imp['boto3_imported']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and messages, a smaller stream")
    parser.add_argument("--runs", type=int, help="runs per figure, median reported (default 5; 3 with --quick)")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_name("results.json"))
    args = parser.parse_args()
    if args.runs is None:
        args.runs = 3 if args.quick else 5
    sizes = [KIB, MIB, 64 * MIB]
    results = {
        "python": sys.version.split()[0],
        "runs": args.runs,
        "throughput": throughput(sizes, [4 * KIB, MIB], args.runs),
        "small_messages": small_messages(args.runs, 200 if args.quick else 1000),
        "streaming": streaming(64 * MIB if args.quick else 256 * MIB, 1 if args.quick else args.runs),
        "import": import_time(args.runs),
    }
    _print_table(results)
    args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
