"""What the rating workflow announces to the apps above it (reports), which never import back.

`month_closed` is sent inside the close's transaction, once a county's month has been closed
(or closed again after a reopening, or its movement changed by an earlier month's re-close);
a receiver that sends work to the broker does so on commit. `month_reopened` is sent inside
the reopening's transaction, so what a receiver marks is undone if the reopening rolls back.
Both carry `county`, `year` and `month`; `month_reopened` also `reason` and `at`.

`demo_bulletin_out` is the demo county's (ratings/demo.py): its corrected month had a bulletin
out when it was reopened, so the replay announces it just before the reopening, with `by` and
`at` (the month's close); reports makes that bulletin, which the reopening then marks superseded.
"""

from django.dispatch import Signal

month_closed = Signal()
month_reopened = Signal()
demo_bulletin_out = Signal()
