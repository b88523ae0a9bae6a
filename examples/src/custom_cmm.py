"""Write your own crypto materials manager: one that insists on signed algorithm suites.

A crypto materials manager (CMM) sits between the client and the master key provider and decides
the materials of each message. Wrapping the default CMM is the easy way to add a rule. This one
refuses algorithm suites without a digital signature, on both paths: it will not write an unsigned
message, and it will not decrypt one. With a signed suite, someone who may decrypt a message's data
key but not create new data keys cannot alter the message or forge one that other readers accept.
"""

from __future__ import annotations

from aws_encryption_sdk import CommitmentPolicy, EncryptionSDKClient
from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager


def _require_signing(algorithm: AlgorithmSuite, action: str) -> None:
    if not algorithm.is_signing():
        raise ActionNotAllowedError(f"Refusing to {action} with unsigned algorithm suite {algorithm.name}")


class SignedSuitesOnlyCryptoMaterialsManager(CryptoMaterialsManager):
    """Materials manager that only lets messages with signed algorithm suites through.

    :param master_key_provider: where data keys come from
    """

    def __init__(self, master_key_provider: MasterKeyProvider) -> None:
        self.wrapped = DefaultCryptoMaterialsManager(master_key_provider)

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        """Refuse a requested unsigned suite, else return the default manager's materials.

        :param request: the encryption request
        :returns: the encryption materials
        :raises ActionNotAllowedError: when the request or the materials name an unsigned suite
        """
        if request.algorithm is not None:
            _require_signing(request.algorithm, "encrypt")
        materials = self.wrapped.get_encryption_materials(request)
        # The default manager picks a signed suite when none is requested; check anyway.
        _require_signing(materials.algorithm, "encrypt")
        return materials

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        """Refuse messages of unsigned suites, else return the default manager's materials.

        :param request: the decryption request
        :returns: the decryption materials
        :raises ActionNotAllowedError: when the message's suite is unsigned
        """
        _require_signing(request.algorithm, "decrypt")
        return self.wrapped.decrypt_materials(request)


def run(master_key_provider: MasterKeyProvider, plaintext: bytes = b"signed, sealed, delivered") -> bytes:
    """Encrypt and decrypt through the signed-suites-only manager; return the ciphertext.

    :param master_key_provider: where data keys come from (any provider: KMS, raw keys...)
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    cmm = SignedSuitesOnlyCryptoMaterialsManager(master_key_provider)
    ciphertext, header = client.encrypt(source=plaintext, materials_manager=cmm)
    assert header.algorithm.is_signing()
    decrypted, _header = client.decrypt(source=ciphertext, materials_manager=cmm)
    assert decrypted == plaintext
    return ciphertext


if __name__ == "__main__":
    import os

    from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
    from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
    from aws_encryption_sdk.key_providers.raw import RawMasterKey

    demo_key = RawMasterKey(
        provider_id="example",
        key_id=b"custom-cmm-demo",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    run(demo_key)
    print("encrypted and decrypted a signed message through the custom materials manager")
