"""The `rectify` command: argument parsing and the composition root (bootstrap)."""
