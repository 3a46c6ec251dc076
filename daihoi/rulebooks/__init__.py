"""Rulebooks: the organization's rules for a congress cycle as versioned, validated data."""
