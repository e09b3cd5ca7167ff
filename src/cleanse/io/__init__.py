"""Reading inputs, writing outputs and reports: everything that touches files."""
