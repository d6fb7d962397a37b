"""Limit/offset pagination of the API's lists, with both numbers bounded: a limit beyond MAX_LIMIT or an offset
beyond the database's integer range is a 422 on that parameter, never an overflow in the SQL."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

from core.filters import DB_ID_MAX

__all__ = ["LimitOffsetPagination", "DEFAULT_LIMIT", "MAX_LIMIT"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=DB_ID_MAX)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
