"""Programs that run the real app in a state to be measured (idle, hidden or shown)."""
