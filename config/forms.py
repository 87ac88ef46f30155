"""Form helpers shared by the apps' page forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def bootstrap(form: forms.BaseForm, *, small: bool = False) -> None:
    """Give every widget of the form Bootstrap's class (a class already set is kept)."""
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select" + size
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs.setdefault("class", css)


class BootstrapFormMixin:
    """Small Bootstrap widgets, and fields with errors marked invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the page's form: each field's messages on that field
    (a field the form does not have, or none, on the whole form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
