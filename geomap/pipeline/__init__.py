"""The one path: request, incidents, line(s), distances, intervals, verdicts, result."""
