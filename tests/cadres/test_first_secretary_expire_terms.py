import datetime as dt

import pytest

from cadres.models import FirstSecretary, FirstSecretaryStatus
from cadres.services import first_secretary_expire_terms
from cadres.tasks import expire_first_secretary_terms
from tests.factories import FirstSecretaryFactory


def _two_secretaries(village, other_village):
    ended = FirstSecretaryFactory(village=village, term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31))
    serving = FirstSecretaryFactory(village=other_village, term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31))
    return ended, serving


def test_expire_terms_ends_only_past_terms_and_is_idempotent(village, other_village):
    ended, serving = _two_secretaries(village, other_village)

    assert first_secretary_expire_terms(today=dt.date(2026, 11, 23)) == 1
    assert first_secretary_expire_terms(today=dt.date(2026, 11, 23)) == 0

    ended.refresh_from_db()
    serving.refresh_from_db()
    assert ended.status == FirstSecretaryStatus.ENDED
    assert serving.status == FirstSecretaryStatus.SERVING


@pytest.mark.worker
def test_expire_terms_task_runs_on_a_real_worker(celery_worker_process, village, other_village):
    ended, serving = _two_secretaries(village, other_village)

    result = expire_first_secretary_terms.delay()

    assert result.get(timeout=60) == 1
    assert FirstSecretary.objects.get(pk=ended.pk).status == FirstSecretaryStatus.ENDED
    assert FirstSecretary.objects.get(pk=serving.pk).status == FirstSecretaryStatus.SERVING
