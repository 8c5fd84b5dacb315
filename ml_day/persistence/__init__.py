"""Everything that touches the database file.

This is the only package that imports sqlmodel (and SQLAlchemy). It takes and
returns domain values from :mod:`ml_day.core`, never ORM rows. The module
:mod:`ml_day.persistence.quick_read` reads a day with the standard library
alone, so the window can paint before the ORM has even been imported.
"""
