"""The wire format both sides of the sandbox share (and nothing else): plain data, no pickle."""
