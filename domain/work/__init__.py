"""Booking and doing the work: dumpster tasks and jobs, their prices, their
statuses, and the charges they leave to be invoiced.

``tasks`` books and moves tasks, ``task_pricing`` prices them at booking,
``completion`` completes them into charges, ``jobs`` does the same for
project work; ``common`` holds what they share (problem codes, the hold
rule, amounts). Each module's docstring states its rules.
"""
