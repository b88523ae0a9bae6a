"""Abstract base class of crypto materials managers."""

from __future__ import annotations

import abc

from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)

__all__ = ["CryptoMaterialsManager"]


class CryptoMaterialsManager(metaclass=abc.ABCMeta):
    """Turns encryption and decryption requests into the materials that the client needs.

    Subclass it to build a custom manager; the client accepts only instances of this class.
    """

    @abc.abstractmethod
    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        """Return the materials to encrypt one message.

        :param request: the encryption request
        :returns: the encryption materials
        """

    @abc.abstractmethod
    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        """Return the materials to decrypt one message.

        :param request: the decryption request
        :returns: the decryption materials
        """
