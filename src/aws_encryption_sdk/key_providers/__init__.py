"""Master key providers and master keys (base classes, raw keys and AWS KMS)."""
