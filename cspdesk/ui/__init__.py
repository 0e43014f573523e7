"""The desktop interface (PySide6 lives only here)."""
