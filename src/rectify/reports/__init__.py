"""Documents in and out: the evaluation package (JSON), its checker, docx, xlsx."""
