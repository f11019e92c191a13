"""Authoring: outline + reference solutions -> source notebook -> release (stock generate_assignment)."""
