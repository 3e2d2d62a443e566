"""The password rules speak Chinese, every one of them (Django's own length message stayed
English, and its similarity message read "密码跟 用户名 太相似了")."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("password", ["abc", "12345678901", "password123", "wangwu12345", "a" * 12])
def test_every_refusal_of_a_password_is_chinese(password: str) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="wangwu"))
    for message in refused.value.messages:
        assert not ENGLISH_WORD.search(message), message


def test_the_length_and_likeness_messages_name_the_rule() -> None:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as short:
            validate_password("ab1", User(username="zhangsan"))
        with pytest.raises(ValidationError) as alike:
            validate_password("wangwu12345", User(username="wangwu"))
        texts = password_validators_help_texts()
    assert "至少需要 10 个字符" in " ".join(short.value.messages)
    assert alike.value.messages == ["密码与您的用户名过于相似。"]
    assert all(not ENGLISH_WORD.search(text) for text in texts)
