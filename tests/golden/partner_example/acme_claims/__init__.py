"""The AcmeClaims Pypestream solution: Braze action nodes and their settings."""
