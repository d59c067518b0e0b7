"""The solution on disk: its generation state, all-or-nothing writes and regeneration."""
