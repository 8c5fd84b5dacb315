"""The performance budgets of ML Day, measured against floors in the same run.

``python -m bench`` runs every figure and prints one table (see
``docs/PERFORMANCE.md``); ``python -m bench --quick`` is a short run.
"""
