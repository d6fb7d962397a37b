"""导入 pages: the start page with the template and the upload, the job's progress and report, the job list."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.generic import ObjectListView, object_view
from core.uploads import XLSX_CONTENT_TYPE
from core.workflow import TransitionError

from . import mapping, services
from .columns import Header
from .forms import UploadForm
from .models import ImportJob, ImportMode, ImportStatus
from .registry import importer_for
from .tables import ImportJobTable

RECENT_ON_START_PAGE = 5
REJECTED_ON_PAGE = 500
CHANGES_ON_PAGE = 500  # an update keeps this many rows of changes to show; its counts cover every row


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename + '.xlsx')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _importer_for_user(request, kind):
    importer = importer_for(kind)
    if not importer.can_import(request.user):
        raise PermissionDenied(_("您没有导入%(what)s的权限。") % {"what": importer.LABEL})
    return importer


def _job(request, pk):
    """404 for a job outside the user's reach; a running job that stopped long ago is marked failed."""
    job = get_object_or_404(services.jobs_visible_to(request.user).select_related("created_by", "file"), pk=pk)
    services.fail_if_stale(job)
    return job


@login_required
def start(request, kind):
    importer = _importer_for_user(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None, updates=hasattr(importer, "UPDATE_ROWS"))
    if request.method == "POST" and form.is_valid():
        running = services.active_job(request.user, kind)
        if running is not None:
            form.add_error(
                None, _("本单位已有一个导入任务正在进行（#%(id)s），请等它完成后再上传。") % {"id": running.pk}
            )
        else:
            mode = form.cleaned_data.get("mode") or ImportMode.CREATE
            job = services.create_job(
                kind=kind,
                user=request.user,
                checked=form.cleaned_data["file"],
                request=request,
                pending=True,
                mode=mode,
            )
            try:
                straight = mode == ImportMode.CREATE and mapping.goes_straight_through(
                    importer.ROWS, request.user, kind, mapping.read_head(job)
                )
            except services.ImportFailed:
                straight = True  # the runner says what is wrong with the file, on the job's page
            if not straight:
                return redirect("imports:mapping", pk=job.pk)
            services.confirm_job(job, request.user, request=request)
            return redirect(job)
    recent = services.jobs_visible_to(request.user).filter(kind=kind).select_related("created_by", "file")
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "kind": kind,
            "importer": importer,
            "steps": importer.STEPS,
            "recent": recent[:RECENT_ON_START_PAGE],
        },
    )


@login_required
def template(request, kind):
    importer = _importer_for_user(request, kind)
    return _xlsx_response(importer.build_template(), str(importer.TEMPLATE_FILENAME))


@login_required
@object_view(ImportJob)
def job_detail(request, pk):
    job = _job(request, pk)
    if job.status == ImportStatus.PENDING:
        return redirect("imports:mapping", pk=job.pk)
    importer = importer_for(job.kind)
    return render(request, "imports/job_detail.html", _job_context(job, importer))


@login_required
@object_view(ImportJob)
def job_mapping(request, pk):
    """The mapping step of a pending job: their header row, our columns with theirs chosen, the first rows."""
    job = _job(request, pk)
    importer = _importer_for_user(request, job.kind)
    if job.status != ImportStatus.PENDING:  # confirmed already: the page says so and links to the job
        return render(request, "imports/mapping.html", {"job": job, "importer": importer, "closed": True})
    rows_class = importer.UPDATE_ROWS if job.is_update else importer.ROWS
    try:
        rows = mapping.read_head(job)
        found = mapping.suggest(rows_class, request.user, job.kind, rows)
    except services.ImportFailed:
        services.confirm_job(job, request.user, request=request)  # the runner reports why, on the job's page
        return redirect(job)
    data = request.POST if request.method == "POST" else None
    header_rows = mapping.header_choices(rows)
    if data is not None:
        picked, shown = _row_index(data.get("header_row")), _row_index(data.get("shown_header_row"))
        if picked is not None and picked in dict(header_rows):
            found = mapping.header_of_row(rows_class, request.user, job.kind, rows, picked)
        if picked != shown:  # another header row: its columns are new, so the suggestions, not the old choices
            data = None
    choices, chosen, problems = mapping.choices_from(rows_class, found, data)
    header = Header(index=found.index, cells=found.cells, mapping=chosen)
    if data is not None and request.POST.get("action") == "confirm" and not problems:
        try:
            problems = mapping.confirm(job, request.user, rows_class, header, request=request)
        except TransitionError:  # confirmed meanwhile (a second click, another tab): that one runs
            return redirect(job)
        if not problems:
            return redirect(job)
    fields, preview_rows = mapping.preview(rows_class, request.user, rows, header)
    theirs = [
        (index, mapping.header_text(found, index))
        for index, cell in enumerate(found.cells)
        if cell is not None and str(cell).strip()
    ]
    unmapped = [text for index, text in theirs if index not in chosen]
    return render(
        request,
        "imports/mapping.html",
        {
            "job": job,
            "importer": importer,
            "header_row_number": found.index + 1,
            "header_row": found.index,
            "header_rows": header_rows,
            "choices": choices,
            "theirs": theirs,
            "unmapped": unmapped,
            "problems": problems,
            "preview_labels": [rows_class.label(name) for name in fields],
            "preview_rows": preview_rows,
            "preview_limit": mapping.PREVIEW_ROWS,
        },
    )


@login_required
@require_POST
@object_view(ImportJob)
def job_apply(request, pk):
    """Confirm the changes an update showed: they are made in the background, each row checked again."""
    job = _job(request, pk)
    _importer_for_user(request, job.kind)
    if job.status == ImportStatus.REVIEW:
        try:
            services.apply_changes(job, request.user, request=request)
        except TransitionError:
            pass  # confirmed twice: the first one runs
    return redirect(job)


@login_required
@require_POST
@object_view(ImportJob)
def job_cancel(request, pk):
    """取消 a job that waits for its mapping or for its changes to be confirmed."""
    job = _job(request, pk)
    _importer_for_user(request, job.kind)
    try:
        services.cancel_job(job, request.user, request=request)
    except TransitionError:
        messages.warning(request, _("这个导入已经开始或结束，不能取消。"))
        return redirect(job)
    messages.success(request, _("已取消这次导入，没有导入或更改任何数据。"))
    return redirect("imports:list")


@login_required
@object_view(ImportJob)
def job_progress(request, pk):
    job = _job(request, pk)
    importer = importer_for(job.kind)
    return render(request, "imports/_progress.html", _job_context(job, importer))


@login_required
@object_view(ImportJob)
def job_rejected(request, pk):
    job = _job(request, pk)
    importer = importer_for(job.kind)
    filename = _("%(what)s未导入的行-%(id)s") % {"what": importer.LABEL, "id": job.pk}
    return _xlsx_response(services.rejected_rows_workbook(job), filename)


class ImportJobListView(ObjectListView):
    """导入记录: the jobs of the user's unit, newest first."""

    model = ImportJob
    table_class = ImportJobTable
    sorts = {"-created_at": (["-created_at", "-id"], gettext_lazy("最新"))}
    related = ("created_by", "file")
    title = gettext_lazy("导入记录")
    empty_message = gettext_lazy("还没有导入记录")


def _row_index(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def _job_context(job, importer) -> dict:
    return {
        "job": job,
        "importer": importer,
        "rejected": job.report[:REJECTED_ON_PAGE],
        "rejected_truncated": len(job.report) > REJECTED_ON_PAGE,
        "rejected_limit": REJECTED_ON_PAGE,
        "changes_limit": CHANGES_ON_PAGE,
    }
