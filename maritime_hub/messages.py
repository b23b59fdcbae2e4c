"""Translatable messages: what errors, warnings and pages say, in the reader's language.

A message is a ``str`` holding its English rendering (API clients, logs, tests), that can also
render itself in another locale with ``.localised(locale)``. Templates are msgids marked with
``N_`` for extraction (babel.cfg); ``{name}`` placeholders are filled after translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self

from maritime_hub.catalogues import gettext_for


def N_(message: str) -> str:
    """Marks a message template for extraction; translated where it is shown."""
    return message


def localise(value: Any, locale: str | None) -> str:
    """``value`` in ``locale``: messages and labels translate, anything else is ``str()``."""
    render = getattr(value, "localised", None)
    return render(locale) if callable(render) else str(value)


def _english(locale: str | None) -> bool:
    return locale is not None and locale.startswith("en")


def translate(locale: str | None, msgid: str) -> str:
    return msgid if not msgid or _english(locale) else gettext_for(locale, msgid)


class Msg(str):
    """``Msg(N_("a case in {state} cannot go to {target}"), state=..., target=...)``."""

    template: str
    params: dict[str, Any]
    code: str  # only when a rule's refusal has a code of its own (mediation.cases.errors.coded); read by getattr

    def __new__(cls, template: str, /, **params: Any) -> Self:
        self = super().__new__(cls, cls._render(template, params, "en"))
        self.template, self.params = template, params
        return self

    @staticmethod
    def _render(template: str, params: dict[str, Any], locale: str | None) -> str:
        text = translate(locale, template)
        if not params:
            return text
        try:
            return text.format(**{k: localise(v, locale) for k, v in params.items()})
        except (KeyError, IndexError, ValueError):  # a translation with wrong placeholders: English, never a 500
            return template.format(**{k: localise(v, "en") for k, v in params.items()})

    def localised(self, locale: str | None) -> str:
        return self._render(self.template, self.params, locale)


class Bilingual(Msg):
    """A message whose plain text (API default, logs) was Chinese and English together before
    localisation existed: ``str()`` keeps "中文 / English"; ``.localised()`` gives one language."""

    def __new__(cls, template: str, /, **params: Any) -> Self:
        self = super().__new__(cls, template, **params)
        both = f"{self.localised('zh_CN')} / {self._render(template, params, 'en')}"
        out = str.__new__(cls, both)
        out.template, out.params = template, params
        return out


class Label(str):
    """A word or phrase used inside a message (a dispute type, " or "), translated in the same locale."""

    def localised(self, locale: str | None) -> str:
        return translate(locale, str(self))


class ByLocale(str):
    """A value with its own rendering per locale, e.g. a state: ``ByLocale("AGREED (达成协议)", zh_CN="达成协议")``."""

    forms: dict[str, str]

    def __new__(cls, english: str, /, **forms: str) -> Self:
        self = super().__new__(cls, english)
        self.forms = forms
        return self

    def localised(self, locale: str | None) -> str:
        return str(self) if _english(locale) else self.forms.get(locale or "zh_CN", str(self))


class Joined(str):
    """Items joined per locale: ", " in English, "、" in Chinese (or a given separator pair)."""

    items: tuple[Any, ...]
    sep: str
    sep_zh: str

    def __new__(cls, items: Iterable[Any], sep: str = ", ", sep_zh: str = "、") -> Self:
        items = tuple(items)
        self = super().__new__(cls, sep.join(str(i) for i in items))  # each item's plain text (Bilingual keeps both)
        self.items, self.sep, self.sep_zh = items, sep, sep_zh
        return self

    def localised(self, locale: str | None) -> str:
        sep = self.sep if _english(locale) else self.sep_zh
        return sep.join(localise(i, locale) for i in self.items)


# pydantic error type → a template filled with the error's ctx (the English text stays pydantic's own).
PYDANTIC_MESSAGES = {
    "missing": N_("this field is required"),
    "extra_forbidden": N_("this field is not expected here"),
    "int_parsing": N_("enter a whole number"),
    "int_type": N_("enter a whole number"),
    "int_from_float": N_("enter a whole number"),
    "float_parsing": N_("enter a number"),
    "decimal_parsing": N_("enter a number"),
    "bool_parsing": N_("choose yes or no"),
    "date_parsing": N_("enter a date as YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("enter a date as YYYY-MM-DD"),
    "datetime_parsing": N_("enter a date and time"),
    "datetime_from_date_parsing": N_("enter a date and time"),
    "string_too_short": N_("enter at least {min_length} characters"),
    "string_too_long": N_("enter at most {max_length} characters"),
    "too_short": N_("give at least {min_length} items"),
    "too_long": N_("give at most {max_length} items"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "enum": N_("choose one of: {expected}"),
    "literal_error": N_("choose one of: {expected}"),
    "string_pattern_mismatch": N_("the format is not valid"),
    "decimal_max_places": N_("use at most {decimal_places} decimal places"),
    "json_invalid": N_("the request body is not valid JSON"),
    # An itemised row (an obligation, an instalment) that arrived as something else than its fields.
    "model_type": N_("fill in this item's fields"),
    "model_attributes_type": N_("fill in this item's fields"),
    "dict_type": N_("fill in this item's fields"),
    "list_type": N_("give a list of items"),
    "decimal_max_digits": N_("enter at most {max_digits} digits"),
}


def validation_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a message: pydantic's English text, and a translation for the common types.
    A validator's ``ValueError`` is looked up as a msgid (mark it with ``N_``), or, when it carries a
    ``Msg`` (a template with parameters), rendered from that in the reader's language."""
    english = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, ValueError) and raised.args and hasattr(raised.args[0], "localised"):
        # A validator's own message with parameters: ``raise ValueError(Msg(N_("... {x} ..."), x=...))``.
        return raised.args[0]
    template = PYDANTIC_MESSAGES.get(str(error.get("type")))
    if template is None:
        return Label(english)
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        zh = gettext_for("zh_CN", template).format(**ctx)
    except (KeyError, IndexError, ValueError):
        return Label(english)
    return ByLocale(english, zh_CN=zh)
