"""The shared helpers of core: a service's refusal shown on a form, names masked for the public."""

from __future__ import annotations

from django import forms

from govhall.core.errors import DomainError, form_error
from govhall.core.text import mask_name


class LeaveForm(forms.Form):
    start_date = forms.DateField()
    reason = forms.CharField()


def test_a_refusal_naming_a_field_is_shown_beside_that_field() -> None:
    # given
    form = LeaveForm({"start_date": "2016-12-08", "reason": "事假"})
    assert form.is_valid()
    # when
    form_error(form, DomainError("开始日期不是工作日。", field="start_date"))
    # then
    assert form.errors["start_date"] == ["开始日期不是工作日。"]
    assert form.non_field_errors() == []


def test_a_refusal_naming_no_field_of_the_form_is_shown_above_the_form() -> None:
    # given
    form = LeaveForm({"start_date": "2016-12-08", "reason": "事假"})
    assert form.is_valid()
    # when
    form_error(form, DomainError("审批单未上传。", field="note_scan"))
    form_error(form, DomainError("该请假已审批。"))
    # then
    assert form.non_field_errors() == ["审批单未上传。", "该请假已审批。"]
    assert set(form.errors) == {"__all__"}


def test_a_name_shows_only_its_first_character() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳明") == "欧**"
    assert mask_name(" 李 ") == "李*"
    assert mask_name("  ") == ""


def test_a_refusal_naming_the_services_field_is_shown_beside_the_forms_field_of_that_alias() -> (
    None
):
    # given: the service says "name" where the form asks for "reason"
    form = LeaveForm({"start_date": "2016-12-08", "reason": "事假"})
    assert form.is_valid()
    # when
    form_error(form, DomainError("请填写事由。", field="name"), aliases={"name": "reason"})
    # then
    assert form.errors["reason"] == ["请填写事由。"]
