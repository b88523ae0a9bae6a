"""Hypothesis strategies for message-format structures, shared by the formatting tests."""

from __future__ import annotations

from hypothesis import strategies as st

from aws_encryption_sdk.identifiers import AlgorithmSuite, ContentType, ObjectType, SerializationVersion
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

SUITES = list(AlgorithmSuite)
MAX_FRAME = 2**31 - 1

#: Short text, including characters outside the Basic Multilingual Plane.
texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
encryption_contexts = st.dictionaries(texts, texts, max_size=5)

encrypted_data_keys = st.builds(
    lambda provider_id, key_info, ciphertext: EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=provider_id, key_info=key_info),
        encrypted_data_key=ciphertext,
    ),
    texts,
    st.binary(max_size=40),
    st.binary(max_size=80),
)
edk_sets = st.lists(encrypted_data_keys, min_size=1, max_size=4, unique=True).map(OrderedSet)


@st.composite
def message_headers(draw: st.DrawFn, suites: list[AlgorithmSuite] = SUITES) -> MessageHeader:
    """Draw a valid message header of any suite, version matching the suite."""
    suite = draw(st.sampled_from(suites))
    framed = draw(st.booleans())
    frame_length = draw(st.integers(min_value=1, max_value=MAX_FRAME)) if framed else 0
    message_id = draw(st.binary(min_size=suite.message_id_length(), max_size=suite.message_id_length()))
    encryption_context = draw(encryption_contexts)
    keys = draw(edk_sets)
    content_type = ContentType.FRAMED_DATA if framed else ContentType.NO_FRAMING
    if suite.message_format_version == 1:
        return MessageHeader(
            version=SerializationVersion.V1,
            algorithm=suite,
            message_id=message_id,
            encryption_context=encryption_context,
            encrypted_data_keys=keys,
            content_type=content_type,
            frame_length=frame_length,
            type=ObjectType.CUSTOMER_AE_DATA,
            content_aad_length=0,
            header_iv_length=12,
        )
    return MessageHeader(
        version=SerializationVersion.V2,
        algorithm=suite,
        message_id=message_id,
        encryption_context=encryption_context,
        encrypted_data_keys=keys,
        content_type=content_type,
        frame_length=frame_length,
        commitment_key=draw(st.binary(min_size=32, max_size=32)),
    )
