"""Plans that travel: iCalendar files in and out, built on the ``icalendar`` library.

Qt-free and SQL-free: this package turns blocks into a calendar file and a
calendar file into an :class:`~ml_day.interchange.import_plan.ImportPlan` (what
an import would add, change and skip, and why). The command line and the
window look up the stored blocks, show the plan and apply its one
:class:`~ml_day.core.editing.PlanEdit`.

``icalendar`` is imported only by the modules that need it, never by this
package's ``__init__``, so that the window can start without loading it.
"""
