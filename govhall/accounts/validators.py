"""Password rules beyond Django's own (length, common, all digits, like the username)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """A password holds at least one letter and at least one digit."""

    def validate(self, password: str, user: Any = None) -> None:
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError(
                _("The password must contain both letters and digits."),
                code="password_letters_and_digits",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")
