"""Writing a batch of generated elevators: COPY on PostgreSQL (psycopg 3), bulk_create elsewhere."""

from django.db import connection, transaction
from django.utils import timezone

from elevators.models import Component, Elevator, LandingDoor
from organizations.models import ServiceRelation

__all__ = ["flush_batch", "flush_orm", "flush_postgres"]

COMPONENT_COLUMNS = (
    "elevator_id",
    "name",
    "brand",
    "serial_number",
    "installed_on",
    "lifespan_months",
    "expires_on",
    "notes",
)
DOOR_COLUMNS = ("elevator_id", "position", "floor_label", "door_type", "width_mm", "height_mm", "lock_model", "notes")


def flush_batch(flush, buffer, relations, known_relations, result, city):
    with transaction.atomic():
        new_relations = relations - known_relations
        if new_relations:
            since = timezone.localdate()
            ServiceRelation.objects.bulk_create(
                [ServiceRelation(use_unit_id=u, maintenance_company_id=c, since=since) for u, c in new_relations],
                ignore_conflicts=True,
                batch_size=1000,
            )
            known_relations |= new_relations
            result.created_service_relations += len(new_relations)
        components, doors = flush(buffer)
    result.created_elevators += len(buffer)
    result.created_components += components
    result.created_landing_doors += doors
    buffer.clear()


def _elevator_fields():
    return [f for f in Elevator._meta.concrete_fields]


def flush_postgres(buffer) -> tuple[int, int]:
    quote = connection.ops.quote_name
    fields = _elevator_fields()
    columns = ", ".join(quote(f.column) for f in fields)
    n_components = n_doors = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Elevator._meta.db_table, len(buffer)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        pg = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with pg.copy(f"COPY {quote(Elevator._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, (values, *_rest) in zip(ids, buffer, strict=True):
                values["id"] = pk
                copy.write_row([values[f.attname] if f.attname in values else f.get_default() for f in fields])
        with pg.copy(f"COPY {quote(Component._meta.db_table)} ({', '.join(COMPONENT_COLUMNS)}) FROM STDIN") as copy:
            for pk, (_values, parts, _doors, brand) in zip(ids, buffer, strict=True):
                for name, installed, months, expires in parts:
                    copy.write_row((pk, name, brand, "", installed, months, expires, ""))
                n_components += len(parts)
        with pg.copy(f"COPY {quote(LandingDoor._meta.db_table)} ({', '.join(DOOR_COLUMNS)}) FROM STDIN") as copy:
            for pk, (_values, _parts, doors, _brand) in zip(ids, buffer, strict=True):
                if doors is None:
                    continue
                door_type, width, height, lock, stops = doors
                for position in range(1, stops + 1):
                    copy.write_row((pk, position, str(position), door_type, width, height, lock, ""))
                n_doors += stops
    return n_components, n_doors


def flush_orm(buffer) -> tuple[int, int]:
    objs = Elevator.objects.bulk_create([Elevator(**values) for values, *_rest in buffer], batch_size=500)
    if any(obj.pk is None for obj in objs):  # a backend that cannot return ids from a bulk insert
        ids = dict(
            Elevator.objects.filter(register_code__in=[o.register_code for o in objs]).values_list(
                "register_code", "pk"
            )
        )
        for obj in objs:
            obj.pk = ids[obj.register_code]
    components, doors = [], []
    for obj, (_values, parts, door_spec, brand) in zip(objs, buffer, strict=True):
        components += [
            Component(
                elevator_id=obj.pk,
                name=name,
                brand=brand,
                installed_on=installed,
                lifespan_months=months,
                expires_on=expires,
            )
            for name, installed, months, expires in parts
        ]
        if door_spec is not None:
            door_type, width, height, lock, stops = door_spec
            doors += [
                LandingDoor(
                    elevator_id=obj.pk,
                    position=n,
                    floor_label=str(n),
                    door_type=door_type,
                    width_mm=width,
                    height_mm=height,
                    lock_model=lock,
                )
                for n in range(1, stops + 1)
            ]
    Component.objects.bulk_create(components, batch_size=1000)
    LandingDoor.objects.bulk_create(doors, batch_size=1000)
    return len(components), len(doors)
