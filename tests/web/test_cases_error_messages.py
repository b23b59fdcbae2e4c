"""A refused step on a case page is explained in the page's language (docs/architecture.md
"i18n/errors"): Chinese for the roster users (zh_CN), English with the mh_lang=en cookie."""

from __future__ import annotations

from tests.mediation import conftest as case_world

world = case_world.world


def test_refused_step_on_the_chinese_case_page_shows_the_chinese_reason(client, world):
    cid = world.case_in("TERMINATED")  # routed to the maritime court: no labour arbitration
    form = {"to": "REFERRED_ARBITRATION", "arbitration_body": "舟山市劳动人事争议仲裁委员会"}
    r = client.post(f"/cases/{cid}/transition", data=form, headers=world.coordinator.headers, follow_redirects=False)
    assert r.status_code == 409 and 'id="action-error"' in r.text
    assert "劳动仲裁仅受理登船、在船工作和遣返以外的船员劳动争议" in r.text and "“转诉讼”" in r.text
    assert "labour arbitration takes only" not in r.text
    # The same page in English shows the English reason.
    r = client.post(
        f"/cases/{cid}/transition",
        data=form,
        headers=world.coordinator.headers | {"Cookie": "mh_lang=en"},
        follow_redirects=False,
    )
    assert r.status_code == 409 and "labour arbitration takes only crew labour claims" in r.text


def test_form_field_errors_are_chinese_on_chinese_pages(client, world):
    form = {
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-01T08:00",
        "description": "",
        "applicant_person_id": str(world.make_person(name="郑海生").id),
        "currency": "CNY",
    }
    r = client.post("/cases/new", data=form, headers=world.coordinator.headers, follow_redirects=False)
    assert r.status_code == 422 and "此项为必填项" in r.text and "Field required" not in r.text
    r = client.post(
        "/cases/new", data=form, headers=world.coordinator.headers | {"Cookie": "mh_lang=en"}, follow_redirects=False
    )
    assert r.status_code == 422 and "Field required" in r.text
    # A step's payload error on the case page stands beside its input, in Chinese, the form open again
    # (it used to be "refusing_party_id：此项为必填项" in the alert at the top, the form collapsed).
    cid = world.case_in("REGISTERED")
    r = client.post(
        f"/cases/{cid}/transition", data={"to": "REFUSED"}, headers=world.coordinator.headers, follow_redirects=False
    )
    assert r.status_code == 422 and 'data-field="refusing_party_id">此项为必填项<' in r.text
    assert 'data-to="REFUSED" data-step="REFUSED" open' in r.text and "refusing_party_id：" not in r.text
