"""The units and districts a sheet's rows name, found among those the importer may use.

imports/ does not import organizations: the importer hands over the querysets to look in (units for each
column, every district, every region), so the dependency stays one way (elevators → imports).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .parsing import Memo, find_organisation, nfkc, plain_text

__all__ = ["Lookups"]


class Lookups:
    """Finds the unit or the district a cell names; every answer, refusals too, is kept for the rest of the file.

    units(field): the units a column may name (a queryset); None when no column names units.
    districts: every district (a queryset of regions); a district's parent is its city.
    regions: every region, so that a code of a city or a province is refused with its name.
    own: the importer's own unit, None for the platform operator.
    own_unit_fields: {field: unit kind}: a blank cell of that column is the importer's own unit when it is of
    that kind (维保单位 of a maintenance company, 使用单位 of a use unit).
    city: the city every district must lie in, None for anywhere.
    """

    def __init__(self, *, units=None, districts=None, regions=None, own=None, own_unit_fields=None, city=None):
        self.units = units
        self.districts = districts
        self.regions = regions
        self.own = own
        self.own_unit_fields = own_unit_fields or {}
        self.city = city
        self.memo = Memo()

    def default(self, field: str):
        """The importer's own unit where a blank cell of the column means it, else None."""
        if self.own is not None and self.own_unit_fields.get(field) == self.own.kind:
            return self.own
        return None

    def organisation(self, field: str, value):
        """The unit a cell names by its name or its credit code, among those the column may name."""
        text = plain_text(value)
        return self.memo.get((field, text), lambda: self._find_organisation(field, text))

    def _find_organisation(self, field: str, text: str):
        found = find_organisation(self.units(field), text)
        if found is None:
            raise ValidationError(self.unit_not_found(field, text))
        return found

    def unit_not_found(self, field: str, text: str) -> str:
        """What to do when no unit the column may name is called so: an importer says where to register it."""
        return _("未找到“%(name)s”。") % {"name": text}

    def region(self, value):
        """The district a cell names: its name (with or without 区/县, after its province and city) or its code."""
        text = re.sub(r"\s+", "", nfkc(plain_text(value)))
        return self.memo.get(("region", text), lambda: self._find_region(text))

    def _districts(self):
        districts = self.districts.select_related("parent")
        return districts.filter(parent=self.city) if self.city else districts

    def _find_region(self, text: str):
        if re.fullmatch(r"\d{6}", text):
            region = self.districts.select_related("parent").filter(code=text).first()
            if region is None:
                other = self.regions.filter(code=text).first()
                if other is None:
                    raise ValidationError(_("没有行政区划代码为 %(code)s 的区县。") % {"code": text})
                raise ValidationError(_("请填写区县，而不是“%(name)s”。") % {"name": other.name})
            self._check_city(region)
            return region
        parts = [p for p in re.split(r"[/／,，、\-]+", text) if p]
        candidates = [text, *(parts[-1:] if parts else [])]
        stripped = re.sub(r"^.*?(省|自治区|市)", "", text)
        if stripped and stripped != text:
            candidates.append(stripped)
        for candidate in candidates:
            names = {candidate, candidate + "区", candidate + "县"}
            found = list(self._districts().filter(name__in=names)[:2])
            if len(found) > 1:
                raise ValidationError(_("有多个名为“%(name)s”的区县，请改填 6 位行政区划代码。") % {"name": candidate})
            if found:
                return found[0]
        if self.city is not None:  # a district of another city says so, not "unknown"
            elsewhere = self.districts.filter(name__in=candidates).first()
            if elsewhere is not None:
                self._check_city(elsewhere)
        raise ValidationError(
            _("无法识别区县“%(value)s”：请填写区县名称（如 渝北区）或 6 位行政区划代码（如 500112）。")
            % {"value": text}
        )

    def _check_city(self, region) -> None:
        if self.city is not None and region.parent_id != self.city.pk:
            raise ValidationError(self.outside_city(region))

    def outside_city(self, region) -> str:
        """Why a district of another city is refused: an importer may say what it imports."""
        return _("“%(name)s”不在本单位所在的%(city)s。") % {"name": region.name, "city": self.city.name}
