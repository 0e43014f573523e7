"""ISA rules: summary line, chase list, workflow tasks, SPOC email, party edits and audit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from cspdesk import clock
from cspdesk.errors import ConflictError, UserError, ValidationError
from cspdesk.services import isa, isa_dashboard, isa_history, isa_parties, isa_rules


def _csp(db) -> isa.AgreementRow:
    return isa.find_agreement(db, "CSP ISA")


def _party(db, name: str) -> isa.PartyRow:
    a = _csp(db)
    return next(p for p in isa.list_parties(db, a.id) if p.organisation == name)


def test_summary_line_of_the_demo_register(demo_db, fixed_today):
    s = isa_rules.summary(demo_db, _csp(demo_db).id)
    assert s.text == ("0 of 40 signed · 12 awaiting details · 2 awaiting a case · "
                      "16 without a SPOC · next review 1 Feb 2022")


def test_review_due_within_90_days_then_overdue(demo_db):
    a = _csp(demo_db)
    soon = isa_rules.chase_list(demo_db, a.id, dt.date(2021, 12, 3))
    assert soon[0].kind == "review" and "review due in 60 days" in soon[0].text
    late = isa_rules.chase_list(demo_db, a.id, dt.date(2022, 3, 1))
    assert late[0].severity == "overdue" and "overdue by 28 days" in late[0].text
    far = isa_rules.chase_list(demo_db, a.id, dt.date(2020, 2, 20))
    assert not [i for i in far if i.kind == "review"]
    kinds = {i.kind for i in far}
    assert {"form", "spoc"} <= kinds
    assert sum(i.kind == "form" for i in far) == 40


def test_countywide_agreement_review_overdue_on_dashboard(demo_db, fixed_today):
    lines = isa_dashboard.dashboard_lines(demo_db, None, fixed_today)
    texts = [line.text for line in lines]
    assert "CSA 2017-20: review overdue by 325 days (1 Apr 2019)" in texts
    assert "CSA 2017-20: 23 of 23 partners have not returned a signature form" in texts
    assert all(line.card == "ISA: reviews due and signatures outstanding" for line in lines)


def test_notice_of_withdrawal_creates_the_7_day_task(demo_db, fixed_today):
    romsey = _party(demo_db, "Romsey Mill")
    with pytest.raises(ValidationError, match="earliest leaving date is 20 Mar 2020"):
        isa_rules.give_notice(demo_db, romsey.id, fixed_today, dt.date(2020, 3, 1))
    result = isa_rules.give_notice(demo_db, romsey.id, fixed_today)
    party = isa.get_party(demo_db, romsey.id)
    assert party.withdrawal_effective == dt.date(2020, 3, 20)
    assert party.state_label(fixed_today) == "Leaving 20 Mar 2020"
    tasks = isa_rules.list_tasks(demo_db, romsey.agreement_id)
    notify = next(t for t in tasks if t.kind == "notify_withdrawal")
    assert notify.due == dt.date(2020, 2, 27)
    destroy = next(t for t in tasks if t.kind == "destroy_material")
    assert destroy.due == dt.date(2020, 3, 20) and "destroy" in destroy.title
    lines = isa_dashboard.dashboard_lines(demo_db, romsey and None, fixed_today)
    assert any("Notify every SPOC that Romsey Mill is leaving" in line.text
               and line.record_id == romsey.id for line in lines)
    with pytest.raises(UserError, match="already gave notice"):
        isa_rules.give_notice(demo_db, romsey.id, fixed_today)
    # after the leaving date the party no longer counts
    assert isa_rules.summary(demo_db, romsey.agreement_id, dt.date(2020, 3, 21)).total == 39
    isa_rules.undo_event(demo_db, result)
    assert isa.get_party(demo_db, romsey.id).withdrawal_effective is None
    assert isa_rules.list_tasks(demo_db, romsey.agreement_id) == []


def test_join_and_breach_tasks_and_marking_done(demo_db, fixed_today):
    a = _csp(demo_db)
    mind = _party(demo_db, "MIND")
    isa_rules.record_join(demo_db, mind.id, fixed_today)
    isa_rules.record_breach(demo_db, a.id, "Email sent to the wrong partner")
    tasks = isa_rules.list_tasks(demo_db, a.id)
    assert [t.kind for t in tasks] == ["notify_breach", "notify_join"]
    assert tasks[0].due == fixed_today and "wrong partner" in tasks[0].title
    assert tasks[1].due == dt.date(2020, 2, 27)
    done = isa_rules.set_task_done(demo_db, tasks[0].id, True)
    assert done.state(fixed_today) == "Done 20 Feb 2020"
    assert len(isa_rules.list_tasks(demo_db, a.id)) == 1
    assert len(isa_rules.list_tasks(demo_db, a.id, include_done=True)) == 2
    with pytest.raises(ValidationError):
        isa_rules.record_breach(demo_db, a.id, "  ")


def test_edit_party_validates_records_spoc_change_and_audit(demo_db, fixed_today):
    accent = _party(demo_db, "Accent Housing")
    data = isa_parties.party_input(accent)
    data.spocs[0].email = "not-an-email"
    with pytest.raises(ValidationError, match="'not-an-email' is not an email address"):
        isa_parties.update_party(demo_db, accent.id, data, accent.version)
    data.spocs[0].email = "toyah.thomas@accentgroup.org"
    data.spocs.append(isa_parties.SpocInput("Sam Field", "Tenancy Officer",
                                            "sam.field@accentgroup.org"))
    data.status, data.status_date = "form_returned", dt.date(2020, 2, 18)
    saved = isa_parties.update_party(demo_db, accent.id, data, accent.version)
    assert saved.signed and [s.name for s in saved.spocs] == ["Toyah Thomas", "Sam Field"]
    assert saved.spoc_changed_on == fixed_today
    with pytest.raises(ConflictError):
        isa_parties.update_party(demo_db, accent.id, data, accent.version)
    future = isa_parties.party_input(saved)
    future.status_date = dt.date(2020, 3, 1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        isa_parties.update_party(demo_db, accent.id, future, saved.version)
    history = isa_history.party_history(demo_db, accent.id)
    fields = {(h.field, h.old, h.new) for h in history}
    assert ("status", "Form not sent", "Form returned") in fields
    assert ("email", None, "toyah.thomas@accentgroup.org") in fields
    assert any(h.what == "SPOC Sam Field" and h.action == "added" for h in history)
    assert all(h.user for h in history)
    # undo puts the old values back
    isa_parties.update_party(demo_db, accent.id, isa_parties.party_input(accent))
    back = isa.get_party(demo_db, accent.id)
    assert back.status == "not_sent" and [s.name for s in back.spocs] == ["Toyah Thomas"]


def test_email_spocs_builds_a_bcc_mailto(demo_db, fixed_today):
    a = _csp(demo_db)
    with pytest.raises(UserError, match="No SPOC"):
        isa_rules.email_spocs(demo_db, a.id)
    for name, email in (("Accent Housing", "toyah@accent.example"),
                        ("Romsey Mill", "jon@romseymill.example")):
        p = _party(demo_db, name)
        data = isa_parties.party_input(p)
        data.spocs[0].email = email
        isa_parties.update_party(demo_db, p.id, data)
    mail = isa_rules.email_spocs(demo_db, a.id)
    parts = urlsplit(mail.url)
    query = parse_qs(parts.query)
    assert parts.scheme == "mailto" and parts.path == ""
    assert query["bcc"] == ["toyah@accent.example,jon@romseymill.example"]
    assert query["subject"][0].startswith("South Cambridgeshire Community Safety Partnership")
    assert "Cambridgeshire County Council" in mail.missing


def test_add_and_delete_party(demo_db, fixed_today):
    a = _csp(demo_db)
    with pytest.raises(ValidationError, match="already a party"):
        isa_parties.add_party(demo_db, a.id, isa_parties.PartyInput("Romsey Mill"))
    with pytest.raises(ValidationError, match="no organisation called"):
        isa_parties.add_party(demo_db, a.id, isa_parties.PartyInput("Nowhere Trust"))
    added = isa_parties.add_party(demo_db, a.id, isa_parties.PartyInput(
        "Cambridge City Council", lead_name="Insp. Paul Rogerson", lead_role="Inspector"))
    assert added.position == 41 and added.lead_name == "Paul Rogerson"
    isa_parties.delete_party(demo_db, added.id)
    restored = isa_parties.restore_party(demo_db, a.id, added)
    assert restored.position == 41 and restored.organisation == "Cambridge City Council"
    clock.set_clock(None)


def test_a_new_party_joining_now_gets_the_notify_task_and_an_old_join_does_not(demo_db,
                                                                              fixed_today):
    a = _csp(demo_db)
    added = isa_parties.add_party(demo_db, a.id, isa_parties.PartyInput(
        "Cambridge City Council", joined_on=fixed_today))
    tasks = isa_rules.list_tasks(demo_db, a.id)
    assert [(t.kind, t.title, t.due) for t in tasks] == [
        ("notify_join", "Notify every SPOC that Cambridge City Council has joined CSP ISA",
         dt.date(2020, 2, 27))]
    # the form's date moves the open task; clearing it (or undoing the edit) removes it
    moved = isa_parties.update_party(demo_db, added.id, dataclasses.replace(
        isa_parties.party_input(added), joined_on=dt.date(2020, 2, 24)))
    assert [t.due for t in isa_rules.list_tasks(demo_db, a.id)] == [dt.date(2020, 3, 2)]
    isa_parties.update_party(demo_db, added.id, dataclasses.replace(
        isa_parties.party_input(moved), joined_on=None))
    assert isa_rules.list_tasks(demo_db, a.id) == []
    # history being typed in (joined years ago) is not news to pass on
    old = isa_parties.add_party(demo_db, a.id, isa_parties.PartyInput(
        "Cambridgeshire Police Authority", joined_on=dt.date(2016, 5, 1)))
    assert old.joined_on == dt.date(2016, 5, 1)
    assert isa_rules.list_tasks(demo_db, a.id) == []
