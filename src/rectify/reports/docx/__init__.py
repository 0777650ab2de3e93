"""Word documents in the official layout of GB/T 9704-2012, and reading their tables."""
