"""One script per schema revision, oldest first."""
