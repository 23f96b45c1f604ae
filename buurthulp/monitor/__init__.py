"""The monitor: each initiative's figures, the national monitor, open data, the registry."""
