"""The Excel 整改台账: export, and import of what a department filled in."""
