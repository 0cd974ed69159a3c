"""What a signed-in client can change from its dashboard (``actions``), and
the one error vocabulary of those changes (``errors``)."""
