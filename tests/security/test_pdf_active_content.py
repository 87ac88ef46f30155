"""A PDF is judged on the parsed document: names written with #xx escapes and objects inside a
compressed object stream are read as a viewer reads them, and any script, launch, embedded file,
form script or action other than a go-to or a link is refused at every upload."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from config.uploads import MSG_UPLOAD_ACTIVE, upload_verify
from tests.uploads import pdf_with_page, upload

JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def _verify(data: bytes):
    return upload_verify(upload("会议记录.pdf", data, "application/pdf"))


def test_a_plain_pdf_one_with_a_web_link_and_one_with_an_outline_are_accepted():
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S /URI /URI (https://example.org/) >> >>"
    outline = {4: b"<< /Type /Outlines /First 5 0 R /Last 6 0 R /Count 2 >>",
               5: b"<< /Title (a) /Parent 4 0 R /Next 6 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
               6: b"<< /Title (b) /Parent 4 0 R /Prev 5 0 R /Dest [3 0 R /Fit] >>"}
    for data in (pdf_with_page(), pdf_with_page(b"/Annots [4 0 R]", more={4: link}, in_object_stream=frozenset({4})),
                 pdf_with_page(catalog_extra=b"/Outlines 4 0 R", more=outline, in_object_stream=frozenset({5, 6}))):
        assert _verify(data).mime == "application/pdf"


CASES = {
    # A page's open action, every name escaped: /AA, /O, /S /JavaScript, /JS.
    "escaped page action": pdf_with_page(b"/#41#41 << /#4f << /#53 /J#61v#61Script /J#53 (app.alert(1)) >> >>"),
    # A link whose action is JavaScript, the link inside a compressed object stream.
    "javascript in an object stream": pdf_with_page(
        b"/Annots [4 0 R]", in_object_stream=frozenset({4, 5}),
        more={4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A 5 0 R >>", 5: JS_ACTION}),
    "escaped launch action in an object stream": pdf_with_page(
        b"/Annots [4 0 R]", in_object_stream=frozenset({4, 5}),
        more={4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A 5 0 R >>",
              5: b"<< /S /L#61unch /F (cmd.exe) >>"}),
    "document script name tree": pdf_with_page(
        catalog_extra=b"/Names << /J#61vaScript 4 0 R >>", in_object_stream=frozenset({4}),
        more={4: b"<< /Names [(a) 5 0 R] >>", 5: JS_ACTION}),
    "embedded file": pdf_with_page(
        catalog_extra=b"/Names << /Embedd#65dFiles << /Names [(x.exe) 4 0 R] >> >>", in_object_stream=frozenset({4}),
        more={4: b"<< /Type /Filespec /F (x.exe) /EF << /F 5 0 R >> >>", 5: b"<< /Length 0 >>"}),
    "form field script": pdf_with_page(
        catalog_extra=b"/AcroForm << /Fields [4 0 R] >>", in_object_stream=frozenset({4}),
        more={4: b"<< /FT /Tx /T (a) /#41A << /K 5 0 R >> >>", 5: JS_ACTION}),
    "submit form action chained after a link": pdf_with_page(
        b"/Annots [4 0 R]", in_object_stream=frozenset({4}),
        more={4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S /URI /URI (https://example.org/) "
                 b"/Next << /S /SubmitForm /F (https://example.org/) >> >> >>"}),
    "open action running a script": pdf_with_page(catalog_extra=b"/OpenAction 4 0 R", more={4: JS_ACTION},
                                                  in_object_stream=frozenset({4})),
}


@pytest.mark.parametrize("case", CASES)
def test_active_content_is_refused_however_it_is_written(case):
    data = CASES[case]
    with pytest.raises(ValidationError) as refused:
        _verify(data)
    assert refused.value.messages == [MSG_UPLOAD_ACTIVE]


def test_the_escaped_and_compressed_cases_hide_from_a_byte_search():
    """What the raw-bytes check sees: nothing (so only the parsed walk can refuse them)."""
    from config.uploads import _PDF_SCRIPT

    assert not _PDF_SCRIPT.search(CASES["escaped page action"])
    assert not _PDF_SCRIPT.search(CASES["javascript in an object stream"])
