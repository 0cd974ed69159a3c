"""What a client does from its own dashboard: answers to estimates, payments,
preferences, documents, service requests and rentals from the shop.

Each operation reuses the staff side's rule for the same change and adds
only what the client's side needs: who may act (``access``), and the
client's records being the only ones it can name.
"""
