"""Tallywire: news figures, reconciled across sources, alerted to chat."""

__version__ = "0.1.0"
