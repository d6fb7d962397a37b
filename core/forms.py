"""Form helpers shared by every app: Bootstrap classes and service errors mapped onto fields."""

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["StyledFormMixin", "apply_service_errors", "DateInput", "keep_errors_only_for"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StyledFormMixin:
    """Give every widget its Bootstrap class and mark invalid ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = (
                    self.fields[name].widget.attrs.get("class", "") + " is-invalid"
                )


def apply_service_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError onto the form: field errors where the field exists. `rename` maps a
    service's field to the form's (the service speaks the API's names: new_password → new_password1)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (rename or {}).get(field, field)
            form.add_error(field if field in form.fields else None, [e for e in errors])
    else:
        form.add_error(None, error)


def keep_errors_only_for(form, names) -> None:
    """Show only the errors of some fields (a multi-step form hides the errors of steps not reached yet)."""
    from django.forms.utils import ErrorDict

    errors = form.errors  # runs validation once
    form._errors = ErrorDict({k: v for k, v in errors.items() if k in names or k == "__all__"})
    for name, field in form.fields.items():  # no red outline on a field whose error is not shown
        if name not in form._errors:
            classes = field.widget.attrs.get("class", "").split()
            field.widget.attrs["class"] = " ".join(c for c in classes if c != "is-invalid")
