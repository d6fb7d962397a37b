"""Generic views: a list, a detail page, an edit form and a status action are declarations, not pages.

- ObjectListView: gate → filter set → sort → keyset page → one table for the page and the CSV/XLSX export →
  htmx partial; shows how many rows match (exact up to a bound, then the planner's estimate).
- ObjectDetailView: the object for `view` (404 outside the gate), with the buttons the user may use.
- ObjectEditView: create (`add`, 403 otherwise) and edit (`change`: 404 outside the gate, 403 when visible but not
  the user's), through the app's service functions, with a reason on edits; services write the audit trail.
- ObjectActionView: a status change: GET asks for confirmation (and a reason), POST performs it through a service.

Every view declares its `model`; the isolation sweep (tests/test_isolation.py) reads it to try each URL as
another tenant. Function views that name an object declare it with `@object_view(Model)`.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .audit import CHANGE_REASON_MAX_LENGTH
from .export import EXPORT_FORMATS, export_response, query_without
from .forms import StyledFormMixin, apply_service_errors
from .pagination import BadCursor, count_rows, keyset_page
from .panels import panels_for
from .policies import can, get_for, require
from .workflow import TransitionError

__all__ = [
    "Button",
    "ObjectListView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectActionView",
    "ReasonForm",
    "object_view",
]


def object_view(model):
    """Declare the model of a function view whose URL names an object by pk (for the isolation sweep)."""

    def wrap(view):
        view.model = model
        return view

    return wrap


@dataclass(frozen=True)
class Button:
    """A toolbar or page button, shown only when the user may do `action` on the model (or the object).

    kind: "link" (href), "row" (acts on the checked row: url with /0/ for the pk), "post" (a form button).
    """

    label: str
    url_name: str
    action: str = "view"
    kind: str = "link"
    style: str = "outline-primary"
    testid: str = ""
    url_kwargs: dict = field(default_factory=dict)

    def url(self, obj=None):
        if self.kind == "row":
            return reverse(self.url_name, args=[0])
        if obj is not None:
            return reverse(self.url_name, args=[obj.pk])
        return reverse(self.url_name, kwargs=self.url_kwargs or None)


def allowed_buttons(user, buttons, target, obj=None):
    """The buttons this user may use, with their URLs resolved."""
    return [{"button": b, "url": b.url(obj)} for b in buttons if can(user, b.action, target)]


class ObjectListView(LoginRequiredMixin, View):
    model = None
    table_class = None
    filterset_class = None
    # sort key -> (ordering ending with a unique column, label); each backed by an index for big tables
    sorts: dict = {"id": (["-id"], gettext_lazy("最新"))}
    default_sort = None
    page_size = 25
    related: tuple = ()
    only: tuple | None = None  # the columns the page shows (export fetches whole rows)
    count_bound = 1000
    title = None
    export_name = None
    toolbar: tuple = ()  # Buttons above the table (新增, 编辑 the checked row, …)
    template_name = "generic/object_list.html"
    partial_template_name = "generic/_object_table.html"
    empty_message = gettext_lazy("没有符合条件的记录")
    action = "list"

    def get_queryset(self):
        return self.model._default_manager.visible_to(self.request.user)

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)

    def get_title(self):
        return self.title or self.model._meta.verbose_name_plural

    def get_toolbar(self):
        return allowed_buttons(self.request.user, self.toolbar, self.model)

    def get_extra_context(self) -> dict:
        return {}

    def get_sort(self):
        sort = self.request.GET.get("sort") or self.default_sort or next(iter(self.sorts))
        if sort not in self.sorts:
            sort = self.default_sort or next(iter(self.sorts))
        return sort, self.sorts[sort][0]

    def get(self, request, *args, **kwargs):
        require(request.user, self.action, self.model)
        base = self.get_queryset()
        filterset = self.get_filterset(base)
        queryset = base
        if filterset is not None and filterset.is_bound:
            queryset = filterset.qs if filterset.is_valid() else base.none()
        sort, ordering = self.get_sort()
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return self.export(queryset, ordering, fmt)
        page_queryset = queryset.select_related(*self.related)
        if self.only:
            page_queryset = page_queryset.only(*self.only)
        try:
            page = keyset_page(page_queryset, ordering, request.GET.get("cursor"), size=self.page_size)
        except BadCursor:
            messages.warning(request, _("分页链接已失效，已回到第一页。"))
            page = keyset_page(page_queryset, ordering, None, size=self.page_size)
        table = self.table_class(page.items, request=request)
        toolbar = self.get_toolbar()
        context = {
            "view": self,
            "title": self.get_title(),
            "filter": filterset,
            "table": table,
            "table_body": table.tbody_html(self.empty_message),
            "page": page,
            "object_list": page.items,
            "count": count_rows(queryset, self.count_bound),
            "sorts": [(key, label) for key, (_ordering, label) in self.sorts.items()] if len(self.sorts) > 1 else [],
            "sort": sort,
            "query": query_without(request, "cursor", "export"),
            "toolbar": toolbar,
            "row_buttons": [item for item in toolbar if item["button"].kind == "row"],
            "empty_message": self.empty_message,
            **self.get_extra_context(),
        }
        partial = request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "object-list"
        return render(request, self.partial_template_name if partial else self.template_name, context)

    def export(self, queryset, ordering, fmt):
        table = self.table_class([], request=self.request)
        rows = queryset.select_related(*self.related).order_by(*ordering).iterator(chunk_size=2000)
        return export_response(rows, table.export_columns(), fmt, str(self.export_name or self.get_title()))


class ObjectDetailView(LoginRequiredMixin, View):
    model = None
    template_name = None
    related: tuple = ()
    buttons: tuple = ()
    action = "view"  # what seeing the page takes (account pages: "change", only their managers see them)

    def get_queryset(self):
        return self.model._default_manager.select_related(*self.related)

    def get_object(self):
        return get_for(self.request.user, self.model, self.kwargs["pk"], self.action, queryset=self.get_queryset())

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        name = self.model._meta.model_name
        context = {
            "view": self,
            "object": obj,
            # never shadow the template's own names (a User's page would lose `user`, the person looking)
            **({} if name in ("user", "request", "view", "perms", "messages") else {name: obj}),
            "buttons": allowed_buttons(request.user, self.buttons, obj, obj),
            "panels": panels_for(request, obj),
            **self.get_extra_context(obj),
        }
        return render(request, self.template_name, context)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200})
    )


class ObjectEditView(LoginRequiredMixin, View):
    """Create (no pk in the URL) or edit (pk) through services; an edit asks for a reason (修改原因)."""

    model = None
    form_class = None
    template_name = "generic/object_edit.html"
    related: tuple = ()
    reason_required = False
    success_message_create = gettext_lazy("已保存。")
    success_message_update = gettext_lazy("已保存。")

    def success_message(self, obj, created: bool) -> str:
        """The message after saving; override to name the object (e.g. the new account's username)."""
        return self.success_message_create if created else self.success_message_update

    # services: create(actor=, data=, request=) -> obj ; update(obj, actor=, data=, reason=, request=) -> obj
    def create(self, data, request):
        raise ImproperlyConfigured(f"{type(self).__name__} must define create()")

    def update(self, obj, data, reason, request):
        raise ImproperlyConfigured(f"{type(self).__name__} must define update()")

    def new_object(self):
        """An unsaved object that carries what the `add` check needs (e.g. the kind of unit to add)."""
        return self.model()

    def get_object(self):
        if "pk" not in self.kwargs:
            obj = self.new_object()
            require(self.request.user, "add", obj)
            return None
        queryset = self.model._default_manager.select_related(*self.related)
        return get_for(self.request.user, self.model, self.kwargs["pk"], "change", queryset=queryset)

    def get_form_kwargs(self, obj) -> dict:
        return {"instance": obj}

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        form = self.form_class(data, files, **self.get_form_kwargs(obj))
        if obj is not None and "reason" not in form.fields:
            form.fields["reason"] = forms.CharField(
                label=_("修改原因"),
                max_length=CHANGE_REASON_MAX_LENGTH,
                required=self.reason_required,
                widget=forms.TextInput(attrs={"class": "form-control", "maxlength": CHANGE_REASON_MAX_LENGTH}),
            )
        return form

    def get_success_url(self, obj):
        return obj.get_absolute_url()

    def get_extra_context(self, obj, form) -> dict:
        return {}

    def render_form(self, obj, form):
        context = {
            "view": self,
            "form": form,
            "object": obj,
            "creating": obj is None,
            "title": self.get_title(obj),
            **self.get_extra_context(obj, form),
        }
        return render(self.request, self.template_name, context)

    def get_title(self, obj):
        if obj is None:
            return _("新增%(what)s") % {"what": self.model._meta.verbose_name}
        return _("编辑%(what)s") % {"what": self.model._meta.verbose_name}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason", "")
            try:
                if obj is None:
                    saved = self.create(data, request)
                else:
                    # a fresh row: the form's validation already wrote the new values onto `obj`, and the service
                    # needs the stored ones to record what changed
                    saved = self.update(self.model._default_manager.get(pk=obj.pk), data, reason, request)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, self.success_message(saved, created=obj is None))
                return HttpResponseRedirect(self.get_success_url(saved))
        return self.render_form(obj, form)


class ObjectActionView(LoginRequiredMixin, View):
    """A change of state on one object: GET shows what will happen and asks for the form, POST does it."""

    model = None
    action = "change"
    form_class = ReasonForm
    template_name = "generic/object_action.html"
    title = None
    confirm_text = None
    submit_label = gettext_lazy("确定")
    success_message = gettext_lazy("已保存。")

    def perform(self, obj, data, request):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform()")

    def get_queryset(self):
        return self.model._default_manager.all()

    def get_object(self):
        return get_for(self.request.user, self.model, self.kwargs["pk"], self.action, queryset=self.get_queryset())

    def get_form(self, obj):
        return self.form_class(self.request.POST if self.request.method == "POST" else None)

    def get_success_url(self, obj):
        return obj.get_absolute_url()

    def get_cancel_url(self, obj):
        return self.get_success_url(obj)

    def render_form(self, obj, form, status=200):
        context = {
            "view": self,
            "object": obj,
            "form": form,
            "title": self.title,
            "confirm_text": self.confirm_text,
            "submit_label": self.submit_label,
            "cancel_url": self.get_cancel_url(obj),
            **self.get_extra_context(obj),
        }
        return render(self.request, self.template_name, context, status=status)

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        if not form.is_valid():
            return self.render_form(obj, form)
        try:
            self.perform(obj, form.cleaned_data, request)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.render_form(obj, form)
        except TransitionError as exc:
            form.add_error(None, str(exc))
            return self.render_form(obj, form)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url(obj))
