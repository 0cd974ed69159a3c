"""Delivery adapters: email and text transports behind small interfaces."""
