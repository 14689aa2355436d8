"""What people read: evidence records and software versions."""
