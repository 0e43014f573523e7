"""PDF and XLSX builders: pure functions of data from services. No Qt, no database session."""
