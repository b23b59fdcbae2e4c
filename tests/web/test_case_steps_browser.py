"""In Debian's chromium, on the demo data: the mediator records the agreement of a case in 组织调解
with its obligations as rows (a row added and one removed in the page), sees a refused form come back
open with what was typed and the errors beside their inputs in Chinese, then takes the case to 回访反馈
and records a payment there. Screenshots go to test-artifacts/ (case-agreement-error.png,
case-followup-forms.png)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_the_agreement_form_rows_errors_and_the_follow_up_forms(page, live_server):
    sign_in(page, live_server, "mediator")
    page.goto(f"{live_server}/cases?q=船员落水身亡赔偿")
    page.locator("#results tbody tr[data-case] a").first.click()
    page.wait_for_selector("#case-state:has-text('组织调解')")
    page.click("#agreement summary")
    form = page.locator("#agreement-form")
    future = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    form.locator("input[name=effective_at]").evaluate("(el, v) => { el.removeAttribute('max'); el.value = v; }", future)
    form.locator("textarea[name=terms_summary]").fill("船东一次性赔偿死者家属，分两期支付")
    form.locator("input[name=ob0_what]").fill("支付死亡赔偿金")
    form.locator("input[name=ob0_amount]").fill("0")
    # Add two rows, remove the first added one, fill the other: the server numbers the rows again.
    form.locator("button.add-row").click()
    form.locator("button.add-row").click()
    assert form.locator(".obligation-row").count() == 3
    form.locator(".obligation-row").nth(1).locator("button.remove-row").click()
    extra = form.locator(".obligation-row").nth(1)
    assert extra.get_attribute("data-index") == "2"
    extra.locator("input[name=ob2_what]").fill("支付丧葬费")
    extra.locator("input[name=ob2_amount]").fill("20000")
    extra.locator("button.add-instalment").click()
    extra.locator("input[name=ob2_in0_amount]").fill("20000")
    form.locator("button.primary").click()

    page.wait_for_selector("#agreement[open] .field-error")
    form = page.locator("#agreement-form")
    errors = {e.get_attribute("data-field"): e.inner_text() for e in form.locator(".field-error").all()}
    assert "是未来的日期" in errors["effective_at"]
    assert errors["obligations.0.amount"] == "应大于 0"
    assert errors["obligations.1.instalments.0.due_on"] == "此项为必填项"
    assert form.locator("input[name=ob1_what]").input_value() == "支付丧葬费"
    assert form.locator("textarea[name=terms_summary]").input_value() == "船东一次性赔偿死者家属，分两期支付"
    assert "Input should" not in page.content()
    form.locator(".obligation-row").first.scroll_into_view_if_needed()
    shot(page, "case-agreement-error")

    # Corrected: the agreement is recorded with both obligations.
    today = form.locator("input[name=effective_at]").get_attribute("max")  # the day in China
    form.locator("input[name=effective_at]").fill(today)
    form.locator("input[name=ob0_amount]").fill("800000")
    form.locator("input[name=ob0_due_on]").fill(today)
    form.locator("input[name=ob1_in0_due_on]").fill(today)
    form.locator("button.primary").click()
    page.wait_for_selector("#case-state:has-text('签订协议')")
    assert page.locator("#followup tr.obligation").count() == 2

    # 回访反馈, then a payment with its proof.
    page.click("details[data-to=FOLLOW_UP] summary")
    page.click("details[data-to=FOLLOW_UP] button.primary")
    page.wait_for_selector("#case-state:has-text('回访反馈')")
    first = page.locator("#followup details[id^=payment-]").first
    first.locator("summary").click()
    first.locator("input[name=amount]").fill("300000")
    first.locator("select[name=method]").select_option("bank_transfer")
    first.locator("input[name=file]").set_input_files(
        files=[{"name": "转账回单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 proof"}]
    )
    first.locator("button.primary").click()
    page.wait_for_selector("#followup tr.payment")
    assert "转账回单.pdf" in page.locator("#evidence").inner_text()
    page.locator("#visit summary").click()
    page.locator("#followup details[id^=payment-]").last.locator("summary").click()
    page.locator("#followup").scroll_into_view_if_needed()
    shot(page, "case-followup-forms")
