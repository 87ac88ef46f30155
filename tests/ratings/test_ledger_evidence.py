"""Evidence where values are typed: the cell's dialog (grid and village page), the refusal that
names every missing item with a link, and evidence asked only for a non-zero incident count."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings.models import Evidence, LedgerStatus
from ratings.services.ledger import (
    EvidenceMissing,
    evidence_attach,
    ledger_entries_approve,
    ledger_entries_submit,
    ledger_entry_save,
)
from tests.uploads import png_bytes

PNG = png_bytes()


def _save(village, indicator, value, clerk, this_month):
    return ledger_entry_save(village=village, indicator=indicator, year=this_month[0], month=this_month[1],
                             value=value, by=clerk)


def _evidence_url(village, indicator, this_month):
    return (f"{reverse('ratings:ledger_evidence')}?village={village.pk}&indicator={indicator.pk}"
            f"&year={this_month[0]}&month={this_month[1]}")


def test_township_submit_refusal_lists_all_three_missing_items_with_links(
        client_for, village, other_village, indicator_of, township, township_clerk, this_month):
    four_two, affairs = indicator_of("branch.four_two"), indicator_of("branch.three_affairs")
    entries = [_save(village, four_two, "100", township_clerk, this_month),
               _save(village, affairs, "1", township_clerk, this_month),
               _save(other_village, four_two, "90", township_clerk, this_month)]
    year, month = this_month
    response = client_for(township_clerk).post(reverse("ratings:ledger_submit"), {
        "township": township.code, "year": year, "month": month, "star": "branch", "kind": "rural"}, follow=True)
    page = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" data-testid="missing-evidence">([^<]+)</a>', page)
    assert [text for _, text in links] == ["东风村 · “四议两公开”执行率", "东风村 · 党务村务财务按时公开",
                                           "红旗村 · “四议两公开”执行率"]
    assert "以下 3 项须上传佐证材料后才能提交" in page
    for (href, _), entry in zip(links, entries, strict=True):
        assert href.endswith(f"&amp;star=branch#cell-{entry.village_id}-{entry.indicator_id}")
        assert f'id="cell-{entry.village_id}-{entry.indicator_id}"' in client_for(township_clerk).get(
            href.replace("&amp;", "&").split("#")[0]).content.decode()
    # Nothing was submitted: the whole batch waits for its evidence.
    assert {e.status for e in type(entries[0]).objects.filter(pk__in=[e.pk for e in entries])} == {LedgerStatus.DRAFT}


def test_service_refusal_names_every_missing_item(village, other_village, indicator_of, township_clerk, this_month):
    four_two = indicator_of("branch.four_two")
    entries = [_save(v, four_two, "100", township_clerk, this_month) for v in (village, other_village)]
    with pytest.raises(EvidenceMissing) as refused:
        ledger_entries_submit(entries=entries, by=township_clerk)
    assert [e.village.name for e in refused.value.entries] == ["东风村", "红旗村"]
    assert "东风村 · “四议两公开”执行率；红旗村 · “四议两公开”执行率" in refused.value.messages[0]


def test_incident_count_of_zero_needs_no_evidence_but_one_incident_does(
        village, other_village, indicator_of, township_clerk, this_month):
    veto = indicator_of("branch.discipline_veto")
    assert veto.evidence_required and veto.evidence_only_nonzero
    none = _save(village, veto, "0", township_clerk, this_month)
    assert ledger_entries_submit(entries=[none], by=township_clerk) == 1
    one = _save(other_village, veto, "1", township_clerk, this_month)
    with pytest.raises(ValidationError, match="须上传佐证材料"):
        ledger_entries_submit(entries=[one], by=township_clerk)


def test_indicator_without_the_option_still_needs_evidence_for_zero(village, indicator_of, township_clerk, this_month):
    four_two = indicator_of("branch.four_two")
    assert not four_two.evidence_only_nonzero
    with pytest.raises(EvidenceMissing):
        ledger_entries_submit(entries=[_save(village, four_two, "0", township_clerk, this_month)], by=township_clerk)


def test_grid_cell_shows_its_file_count_and_opens_the_dialog(client_for, village, indicator_of, township,
                                                             township_clerk, this_month):
    four_two = indicator_of("branch.four_two")
    entry = _save(village, four_two, "100", township_clerk, this_month)
    client = client_for(township_clerk)
    grid = client.get(reverse("ratings:ledger_grid"), {"township": township.code, "star": "branch"}).content.decode()
    button = re.search(rf'<button type="button" id="evbtn-{village.pk}-{four_two.pk}"[^>]*>', grid).group(0)
    assert "text-danger" in button and _evidence_url(village, four_two, this_month).replace("&", "&amp;") in button
    assert 'id="evidence-dialog"' in grid
    evidence_attach(entry=entry, upload=SimpleUploadedFile("a.png", PNG), by=township_clerk)
    grid = client.get(reverse("ratings:ledger_grid"), {"township": township.code, "star": "branch"}).content.decode()
    assert re.search(rf'id="evbtn-{village.pk}-{four_two.pk}" class="[^"]*evidence-btn"', grid)
    assert "佐证 1" in grid


def test_dialog_uploads_for_draft_and_submitted_entries_and_refreshes_the_count(
        client_for, village, indicator_of, township_clerk, this_month):
    four_two = indicator_of("branch.four_two")
    entry = _save(village, four_two, "100", township_clerk, this_month)
    client = client_for(township_clerk)
    panel = client.get(_evidence_url(village, four_two, this_month)).content.decode()
    assert 'capture="environment"' in panel and "暂无佐证材料" in panel
    data = {"village": village.pk, "indicator": four_two.pk, "year": this_month[0], "month": this_month[1]}
    answer = client.post(reverse("ratings:ledger_evidence"), {**data, "photo": SimpleUploadedFile("现场.png", PNG)})
    text = answer.content.decode()
    assert answer.status_code == 200 and "已上传“现场.png”" in text
    assert re.search(rf'id="evbtn-{village.pk}-{four_two.pk}"[^>]*hx-swap-oob="true"', text) and "佐证 1" in text
    assert ledger_entries_submit(entries=[entry], by=township_clerk) == 1
    client.post(reverse("ratings:ledger_evidence"), {**data, "file": SimpleUploadedFile("b.png", PNG)})
    assert Evidence.objects.filter(entry=entry).count() == 2


def test_dialog_refuses_upload_before_a_value_and_after_approval(
        client_for, village, indicator_of, township_clerk, branch_reviewer, this_month):
    four_two = indicator_of("branch.four_two")
    client = client_for(township_clerk)
    data = {"village": village.pk, "indicator": four_two.pk, "year": this_month[0], "month": this_month[1]}
    text = client.post(reverse("ratings:ledger_evidence"), {**data, "file": SimpleUploadedFile("a.png", PNG)}
                       ).content.decode()
    assert "请先填写本项数值" in text and not Evidence.objects.exists()
    entry = _save(village, four_two, "100", township_clerk, this_month)
    evidence_attach(entry=entry, upload=SimpleUploadedFile("a.png", PNG), by=township_clerk)
    ledger_entries_submit(entries=[entry], by=township_clerk)
    ledger_entries_approve(entries=[entry], by=branch_reviewer)
    panel = client.get(_evidence_url(village, four_two, this_month)).content.decode()
    assert "已审核通过，不能再上传" in panel and 'type="file"' not in panel
    text = client.post(reverse("ratings:ledger_evidence"), {**data, "file": SimpleUploadedFile("b.png", PNG)}
                       ).content.decode()
    assert "已审核通过的台账不能再上传佐证材料" in text and Evidence.objects.count() == 1


def test_village_page_cells_carry_the_evidence_button(client_for, village, indicator_of, township_clerk, this_month):
    four_two = indicator_of("branch.four_two")
    _save(village, four_two, "100", township_clerk, this_month)
    page = client_for(township_clerk).get(reverse("ratings:ledger_village", args=[village.code])).content.decode()
    assert f'id="evbtn-{village.pk}-{four_two.pk}"' in page and 'id="evidence-dialog"' in page


def test_dialog_scope_other_township_404_read_only_403_wrong_method_405(
        client_for, village, indicator_of, township_clerk, other_township_clerk, village_secretary, this_month):
    four_two = indicator_of("branch.four_two")
    _save(village, four_two, "100", township_clerk, this_month)
    url = _evidence_url(village, four_two, this_month)
    assert client_for(other_township_clerk).get(url).status_code == 404
    secretary = client_for(village_secretary)
    panel = secretary.get(url)
    assert panel.status_code == 200 and 'type="file"' not in panel.content.decode()
    data = {"village": village.pk, "indicator": four_two.pk, "year": this_month[0], "month": this_month[1],
            "file": SimpleUploadedFile("a.png", PNG)}
    assert secretary.post(reverse("ratings:ledger_evidence"), data).status_code == 403
    assert secretary.put(url).status_code == 405
    assert not Evidence.objects.exists()
