"""Import jobs as plain functions: accept an upload, run it in the background, report every rejected row.

The runner moves the status only through core.workflow.transition (which locks the row and writes the
audit event); the counters in between are plain UPDATEs so the progress page can poll them.
"""

import io
import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from core import audit, background
from core.uploads import CheckedUpload, save_attachment
from core.workflow import TransitionError, transition

from .models import ImportJob, ImportMode, ImportStatus
from .parsing import MAX_CELL_CHARS, FormulaCell, OversizedCell
from .registry import importer_for

__all__ = [
    "ImportFailed",
    "MAX_DATA_ROWS",
    "jobs_visible_to",
    "active_job",
    "fail_if_stale",
    "create_job",
    "confirm_job",
    "apply_changes",
    "launch",
    "run_job",
    "read_rows",
    "rejected_rows_workbook",
]

logger = logging.getLogger(__name__)

MAX_DATA_ROWS = 20_000
# Excel files often carry formatting far below the data: stop after this many blank rows in a row.
MAX_TRAILING_BLANK_ROWS = 1_000
INSTRUCTION_SHEETS = {"说明", "填写说明", "instructions"}
# A running job writes its progress every few seconds; one silent for this long has lost its runner.
STALE_RUNNING = timedelta(minutes=10)
STALE_QUEUED = timedelta(hours=6)

CONFIRM = {ImportStatus.PENDING: {ImportStatus.QUEUED}}
START = {ImportStatus.QUEUED: {ImportStatus.RUNNING}}
FINISH = {ImportStatus.RUNNING: {ImportStatus.DONE, ImportStatus.REVIEW}}
APPLY = {ImportStatus.REVIEW: {ImportStatus.QUEUED}}
FAIL = {ImportStatus.QUEUED: {ImportStatus.FAILED}, ImportStatus.RUNNING: {ImportStatus.FAILED}}
CANCEL = {ImportStatus.PENDING: {ImportStatus.FAILED}, ImportStatus.REVIEW: {ImportStatus.FAILED}}


class ImportFailed(Exception):
    """The file as a whole cannot be imported; the message is for people."""


def jobs_visible_to(user):
    """The import jobs a user may see: those of the user's unit (the operator: all), through the gate."""
    return ImportJob.objects.visible_to(user)


def active_job(user, kind: str) -> ImportJob | None:
    """A job of this kind of the user's unit that is still queued or running (one at a time per unit)."""
    jobs = ImportJob.objects.filter(kind=kind, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
    jobs = jobs.filter(organization_id=user.organization_id) if user.organization_id else jobs.filter(created_by=user)
    for job in jobs.order_by("-created_at")[:5]:
        if not fail_if_stale(job):
            return job
    return None


def fail_if_stale(job: ImportJob) -> bool:
    """A job whose runner stopped (a restart) without finishing is marked failed; True if it was."""
    if job.is_finished or job.status == ImportStatus.PENDING:  # a pending job waits for a person, not a runner
        return False
    limit = STALE_RUNNING if job.status == ImportStatus.RUNNING else STALE_QUEUED
    if timezone.now() - job.updated_at < limit:
        return False
    _fail(
        job,
        _("导入已中断（已处理 %(done)s / %(total)s 行）。已导入的行已保存；请核对台账后，将其余的行重新导入。")
        % {"done": job.processed_rows, "total": job.total_rows},
    )
    job.refresh_from_db()
    return True


def create_job(
    *, kind: str, user, checked: CheckedUpload, request=None, pending: bool = False, mode: str = ImportMode.CREATE
) -> ImportJob:
    """Store the checked file with a new queued job; the work starts once the transaction has committed.

    pending: the job waits for its column mapping to be confirmed (confirm_job) instead of starting.
    """
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            organization_id=user.organization_id,
            created_by=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            status=ImportStatus.PENDING if pending else ImportStatus.QUEUED,
            mode=mode,
        )
        job.file = save_attachment(checked, owner=job, purpose="import", user=user)
        job.save(update_fields=["file"])
        audit.record(user, "create", job, changes={"file": [None, checked.name]}, request=request)
        if not pending:
            transaction.on_commit(partial(launch, job.pk))
    return job


def confirm_job(job: ImportJob, user, *, header_row=None, mapping=None, request=None) -> None:
    """A pending job's column mapping confirmed (none: the sheet reads as the template, or the runner says why it
    cannot be read): it is queued and starts."""
    with transaction.atomic():
        transition(
            job,
            ImportStatus.QUEUED,
            allowed=CONFIRM,
            actor=user,
            reason=_("确认列对应关系，开始导入") if mapping else _("开始导入"),
            also={
                "header_row": header_row,
                "mapping": {str(i): name for i, name in (mapping or {}).items()},
                "updated_at": timezone.now(),
            },
            request=request,
        )
        transaction.on_commit(partial(launch, job.pk))


def apply_changes(job: ImportJob, user, request=None) -> None:
    """The changes an update showed are confirmed: the job runs again and writes them (each row rechecked)."""
    now = timezone.now()
    with transaction.atomic():
        transition(
            job,
            ImportStatus.QUEUED,
            allowed=APPLY,
            actor=user,
            reason=_("确认更改，开始更新"),
            also={
                "confirmed_at": now,
                "updated_at": now,
                "finished_at": None,
                **dict.fromkeys(
                    ("processed_rows", "accepted_rows", "rejected_rows", "unchanged_rows", "changed_total"), 0
                ),
                "report": [],
                "changes": [],
            },
            request=request,
        )
        transaction.on_commit(partial(launch, job.pk))


def cancel_job(job: ImportJob, user, request=None) -> None:
    """取消: a job waiting for its mapping or for its changes to be confirmed ends without writing anything."""
    message = _("已取消，没有导入或更改任何数据。")
    transition(
        job,
        ImportStatus.FAILED,
        allowed=CANCEL,
        actor=user,
        reason=message,
        also={"error": message, "finished_at": timezone.now(), "updated_at": timezone.now()},
        request=request,
    )


def launch(job_id: int) -> None:
    """Start the runner: a thread in the embedded mode (eager Celery), the Celery worker otherwise."""
    from .tasks import run_import

    background.launch(job_id, runner=run_job, task=run_import, fail=_could_not_start)


def _could_not_start(job_id: int, exc: Exception) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        _fail(job, _("无法启动后台任务（%(error)s），请稍后重新上传。") % {"error": exc})


def run_job(job_id: int) -> ImportJob | None:
    """Run one queued job to its end; every failure ends as a failed job with the reason, never an exception."""
    try:
        job = ImportJob.objects.select_related("created_by", "file").get(pk=job_id)
    except ImportJob.DoesNotExist:
        logger.warning("import job %s does not exist", job_id)
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        now = timezone.now()
        try:
            transition(
                job,
                ImportStatus.RUNNING,
                allowed=START,
                actor=job.created_by,
                reason=_("开始导入"),
                also={"started_at": now, "updated_at": now},
            )
        except TransitionError:
            logger.info("import job %s is already %s", job_id, job.status)
            return job
        try:
            importer = importer_for(job.kind)
            if job.created_by is None or not importer.can_import(job.created_by):
                raise ImportFailed(_("导入人已没有导入权限。"))
            rows = read_rows(job)
            importer.import_rows(job, rows)
            job.processed_rows = job.total_rows
            job.save_progress()
            now = timezone.now()
            counts = {"total": job.total_rows, "accepted": job.accepted_rows, "rejected": job.rejected_rows}
            if job.computes_changes_only:
                transition(
                    job,
                    ImportStatus.REVIEW,
                    allowed=FINISH,
                    actor=job.created_by,
                    reason=_("共 %(total)s 行：%(accepted)s 台电梯有更改，%(rejected)s 行不能更新；待确认。") % counts,
                    also={"reviewed_at": now, "finished_at": now, "updated_at": now},
                )
            else:
                transition(
                    job,
                    ImportStatus.DONE,
                    allowed=FINISH,
                    actor=job.created_by,
                    reason=_("共 %(total)s 行：导入 %(accepted)s 行，未导入 %(rejected)s 行。") % counts,
                    also={"finished_at": now, "updated_at": now},
                )
        except ImportFailed as exc:
            _fail(job, str(exc))
        except Exception as exc:
            logger.exception("import job %s failed", job_id)
            _fail(job, _("导入时发生错误：%(error)s") % {"error": str(exc) or type(exc).__name__})
    return job


def _fail(job: ImportJob, message: str) -> None:
    now = timezone.now()
    also = {
        "error": message[:2000],
        "finished_at": now,
        "updated_at": now,
        **{name: getattr(job, name) for name in ("total_rows", "processed_rows", "accepted_rows", "rejected_rows")},
        "report": job.report,
        "warnings": job.warnings,
        "columns": job.columns,
    }
    try:
        transition(job, ImportStatus.FAILED, allowed=FAIL, actor=job.created_by, reason=message[:2000], also=also)
    except TransitionError:
        pass  # it finished meanwhile
    except Exception:
        logger.exception("could not mark import job %s failed", job.pk)


def _cell_value(cell):
    """A cell's value; a formula as a FormulaCell (refused by the row import), a huge text cut short."""
    if cell.data_type == "f":
        return FormulaCell(str(cell.value))
    value = cell.value
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return OversizedCell(value[:MAX_CELL_CHARS])
    return value


def read_rows(job: ImportJob, limit: int | None = None) -> list[tuple]:
    """The rows of the workbook's data sheet (the first sheet that is not an instruction sheet), from row 1.

    limit: read the first rows only (the mapping step's header and preview).
    """
    if job.file_id is None:
        raise ImportFailed(_("导入文件已不存在，请重新上传。"))
    with job.file.file.open("rb") as handle:
        data = handle.read()
    try:
        # data_only=False: a formula reads as its formula, so that it can be refused, not as a cached result
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise ImportFailed(_("无法读取这个 Excel 文件：文件可能已损坏，请重新保存后再上传。")) from None
    try:
        sheets = [ws for ws in workbook.worksheets if ws.title.strip().lower() not in INSTRUCTION_SHEETS]
        if not sheets:
            raise ImportFailed(_("文件中没有可导入的工作表。"))
        sheet = sheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some programs write a wrong size; read what is there
        rows, blank_run, data_rows = [], 0, 0
        for row in sheet.iter_rows(min_row=1):
            values = tuple(_cell_value(cell) for cell in row)
            if is_blank(values):
                blank_run += 1
                if blank_run > MAX_TRAILING_BLANK_ROWS:
                    break
            else:
                blank_run = 0
                data_rows += 1
                if data_rows > MAX_DATA_ROWS + 20:  # the header and a title or two above it
                    raise ImportFailed(
                        _("文件行数过多：一次最多导入 %(max)s 行，请分成几个文件导入。") % {"max": MAX_DATA_ROWS}
                    )
            rows.append(values)
            if limit is not None and len(rows) >= limit:
                break
    finally:
        workbook.close()
    while rows and is_blank(rows[-1]):
        rows.pop()
    return rows


def is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def rejected_rows_workbook(job: ImportJob) -> bytes:
    """The rejected rows with their original values and a 错误原因 column, to fix and import again."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("未导入的行")
    reason_header = _("错误原因")
    columns = [c if c is not None else "" for c in (job.columns or [])]
    sheet.append([*columns, reason_header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.cell(row=1, column=len(columns) + 1).fill = PatternFill("solid", fgColor="F8D7DA")
    for entry in job.report:
        values = list(entry.get("values") or [])
        values += [None] * (len(columns) - len(values))
        sheet.append([*values[: len(columns)], "；".join(entry.get("errors", []))])
    reason_column = sheet.cell(row=1, column=len(columns) + 1).column_letter
    sheet.column_dimensions[reason_column].width = 60
    for row in sheet.iter_rows(min_row=2, min_col=len(columns) + 1, max_col=len(columns) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18
        for row in sheet.iter_rows(min_row=1, min_col=index, max_col=index):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
                    cell.data_type = "s"  # text stays text: a value starting with "=" is never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
