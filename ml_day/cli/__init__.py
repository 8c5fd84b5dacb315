"""The command line: ``ml-day agenda``, edits for scripts, and their exit codes."""
