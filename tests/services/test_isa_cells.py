"""Cell rules of the Appendix 1 importer, one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.services import isa_cells as c


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Neil Moloney \u2013 Chief Executive", "Neil Moloney", "Chief Executive"),
    ("Adrian Chapman- Service Director", "Adrian Chapman", "Service Director"),
    ("Mike Oldfield\u2013 Director & Secretary", "Mike Oldfield", "Director & Secretary"),
    ("Philippa Spratley-Head of Governance", "Philippa Spratley", "Head of Governance"),
    ("\u2013 Area Commander", None, "Area Commander"),
    ("- Head of Service", None, "Head of Service"),
    ("Mike Farrington", "Mike Farrington", None),
    ("Ann Smith-Jones", "Ann Smith-Jones", None),
    ("Ali Williamson- (SSA&CP)", "Ali Williamson", "SSA&CP"),
    ("Stephen Rosser- Head of Legal & Governance)", "Stephen Rosser", "Head of Legal & Governance"),
    ("Community Safety Officer", None, "Community Safety Officer"),
])
def test_name_and_role(text, name, role):
    got = c.split_name_role(text)
    assert (got.name, got.role) == (name, role)


def test_spoc_cells():
    cell = c.split_spocs("Kirstie Banham/ Christine Brown (job share)")
    assert [s.name for s in cell.spocs] == ["Kirstie Banham", "Christine Brown"]
    assert cell.note == "job share"
    assert len(c.split_spocs("A - One; B - Two").spocs) == 2
    assert len(c.split_spocs("A - One\nB - Two").spocs) == 2
    assert c.split_spocs("Awaiting details").status == "awaiting_details"
    assert c.split_spocs("Awaiting details").spocs == ()


def test_headings_prefixes_and_values():
    assert c.heading_field("2018 Signature form returned") == "signature"
    assert c.heading_field("Cambridgeshire ECINS users") == "ecins"
    assert c.heading_field("Peterborough E-CINS Users") == "ecins"
    assert c.heading_field("SPOC e-mail") == "spoc_email"
    assert c.heading_field("Specific Point of Contact (SPOC) for this agreement") == "spoc"
    assert c.heading_field("ORGANISATION") == "organisation"
    assert c.split_organisation("RSL: Abbeyfield") == ("Abbeyfield", "rsl")
    assert c.split_organisation("SSL: Papworth Trust") == ("Papworth Trust", "rsl")
    assert c.split_organisation("Support Agency: MIND") == ("MIND", "support_agency")
    assert c.split_organisation("R\u03bfmsey  Mill ") == ("Romsey Mill", None)
    assert c.split_organisation("\u0421\u0430mbridge") == ("Cambridge", None)
    assert c.parse_yes_no("yes") == (True, None) and c.parse_yes_no("NO") == (False, None)
    assert c.parse_yes_no("") == (None, None) and c.parse_yes_no("maybe")[1]
    assert c.status_word("AWAIT APPROPRIATE CASE BEFORE SIGNING") == "awaiting_case"
    assert c.parse_signature("Returned 3 Feb 2020") == ("form_returned", dt.date(2020, 2, 3),
                                                         None)
    assert c.parse_signature("sent 12/02/2020") == ("form_sent", dt.date(2020, 2, 12), None)
    assert c.parse_signature("Yes") == ("form_returned", None, None)
    assert c.parse_signature(dt.datetime(2020, 1, 5)) == ("form_returned", dt.date(2020, 1, 5),
                                                          None)
