"""What the region tree and the records kept on its villages tell the apps above them, which
connect to these signals in their AppConfig.ready() (the lower app never imports them).
Receivers run synchronously, inside the sender's transaction."""

from django.dispatch import Signal

# Regions were deactivated (left out of a county's complete list, a township merged away):
# `region_ids`, `by`. cadres ends the posts held over them and answers how many it ended.
regions_deactivated = Signal()

# Records a star reads changed for a village on a day (a branch meeting, a weak-and-lax listing,
# a community's need done): `village_id`, `day`. ratings scores that month and the running one
# again, once the change is committed.
village_records_changed = Signal()

# Many villages' records of one month were written at once (an import of meetings, cooperatives
# and bindings): `village_ids`, `year`, `month`. ratings scores them again, once committed.
villages_records_imported = Signal()
