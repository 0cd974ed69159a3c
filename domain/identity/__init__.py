"""Who callers are: staff passwords, and (later) tokens and keys."""
