"""What the people's workflows announce to the campaign above them (ratings/campaign), which
connects to it in RatingsConfig.ready(); cadres never imports ratings.

- `visit_problems_raised`: a contact visit (`visit`) raised `problems`, a list of (star, title),
  recorded `by` a user: each becomes a problem-ledger item already reported to the township,
  linked to the visit (`visit.problems`).
- `consultation_measures_decided`: a joint consultation (`meeting`) decided `measures` (a list
  of `services_taskforce.Measure`), recorded `by` a user: each becomes a task item of its
  village, linked to the meeting (`meeting.measures`).

Both are sent inside the recording's transaction, so the items are written or undone with it.
The links themselves are the campaign's (declared on its `ChecklistItem`).
"""

from django.dispatch import Signal

visit_problems_raised = Signal()
consultation_measures_decided = Signal()
