"""The floors: the least a process can do for each figure, measured in the same run.

Each floor is a tiny script (run as its own process) or a bare widget (driven
in the benchmark's process), so that a budget is a ratio against what Qt and
Python cost on this machine, not a number in milliseconds.
"""
