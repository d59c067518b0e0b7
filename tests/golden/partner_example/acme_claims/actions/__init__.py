"""Action nodes, one class per file; the class name is the Design Studio Command."""
