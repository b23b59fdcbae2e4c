"""Dispute cases: intake, the declarative lifecycle (states.py), access, deadlines on the case page."""
