"""A form renderer that writes the common widgets in Python.

Django renders every widget, and every <option> of a select, through a template: a filter form of nine widgets and
a district select cost about a third of a list page. The output here is the same markup as Django's templates
(`django/forms/widgets/input.html`, `select.html`, `select_option.html`, `textarea.html`); anything else falls back
to the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

__all__ = ["FastFormRenderer"]

_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
}
_SELECT = "django/forms/widgets/select.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{conditional_escape(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    value_html = "" if value is None else f' value="{conditional_escape(value)}"'
    name = conditional_escape(widget["name"])
    return f'<input type="{widget["type"]}" name="{name}"{value_html}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return ""  # a custom option template: let Django render the whole select
            parts.append(
                f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


class FastFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in _INPUTS and widget.get("template_name") == template_name:
                return mark_safe(_input(widget))
            if template_name == _SELECT and widget.get("template_name") == _SELECT:
                html = _select(widget)
                if html:
                    return mark_safe(html)
            if template_name == _TEXTAREA and widget.get("template_name") == _TEXTAREA:
                return mark_safe(_textarea(widget))
        return super().render(template_name, context, request)
