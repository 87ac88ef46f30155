"""What the rating workflow announces to the apps above it (reports), which never import back.

`month_closed` is sent inside the close's transaction, once a county's month has been closed
(or closed again after a reopening, or its movement changed by an earlier month's re-close);
a receiver that sends work to the broker does so on commit. `month_reopened` is sent inside
the reopening's transaction, so what a receiver marks is undone if the reopening rolls back.
Both carry `county`, `year` and `month`; `month_reopened` also `reason` and `at`.
"""

from django.dispatch import Signal

month_closed = Signal()
month_reopened = Signal()
