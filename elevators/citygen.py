"""City-scale data generator (`manage.py generate_city`): a realistic city of elevators on top of what exists.

It creates maintenance companies (about one per 300 elevators), use units (about one per 25 elevators), a dozen
manufacturers, sites (residential estates, office towers, malls, hospitals, hotels, low-rise buildings) and their
elevators with components and landing doors. Everything is drawn from a `random.Random` seeded with `--seed` and the
number of elevators already in the city, so a run is reproducible and a second run adds new, non-clashing rows.

Generated organisations are recognisable by their credit code: `91` + district code + `GC` + a kind letter
(M maintenance company, U use unit, F manufacturer) + a six-digit serial + the GB 32100 check character.

PostgreSQL gets COPY (psycopg 3) for elevators, components and landing doors, with elevator ids reserved from the
sequence first; other databases get `bulk_create` in batches. Bulk paths bypass `save()`, so `city_id` and
`expires_on` are computed here.
"""

import bisect
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.utils import timezone

from core.validators import credit_code_check_char
from organizations.models import Organization, Region, RegionLevel, ServiceRelation

from .catalogue import COMPONENT_CATALOGUE, DEFAULT_COMPONENT_LIFESPAN_MONTHS, ParameterGroup, group_of
from .models import CodeScheme, Component, Elevator, ElevatorStatus, LandingDoor, new_qr_token

__all__ = ["CityProfile", "GenerationResult", "generate_city", "generated_organizations", "profile_for"]

ELEVATORS_PER_COMPANY = 300
ELEVATORS_PER_USE_UNIT = 25
MANUFACTURERS = 12
KIND_LETTER = {"maintenance_company": "M", "use_unit": "U", "manufacturer": "F"}
GENERATED_CODE = re.compile(r"^91\d{6}GC([MUF])(\d{6})[0-9A-Z]$")


# --- the cities -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityProfile:
    short: str  # 重庆
    phone_prefix: str  # landline prefix, completed with digits up to 8 local digits
    plate: str  # the province's one-character abbreviation, used in use registration numbers
    box: tuple[float, float, float, float] | None  # lat_min, lat_max, lng_min, lng_max
    weights: dict[str, float] = field(default_factory=dict)  # district code -> weight (others: default_weight)
    default_weight: float = 1.0
    centers: dict[str, tuple[float, float]] = field(default_factory=dict)  # district code -> (lat, lng)


PROFILES = {
    "500000": CityProfile(
        short="重庆",
        phone_prefix="023-6",
        plate="渝",
        box=(29.3, 29.9, 106.2, 106.9),
        # the main urban districts hold most of the elevators (渝北, 九龙坡, 南岸, 江北, 沙坪坝, 渝中, 巴南)
        weights={
            "500112": 20,
            "500107": 12,
            "500108": 10,
            "500105": 10,
            "500106": 10,
            "500103": 8,
            "500113": 7,
            "500109": 4,
            "500104": 3,
            "500101": 2.5,
            "500116": 2.5,
            "500120": 2,
            "500102": 1.5,
            "500117": 1.5,
            "500118": 1.5,
            "500115": 1,
            "500110": 1,
            "500111": 0.8,
            "500151": 0.8,
            "500153": 0.6,
            "500119": 0.6,
            "500154": 0.6,
            "500152": 0.5,
        },
        default_weight=0.25,
        centers={
            "500103": (29.556, 106.568),
            "500105": (29.606, 106.574),
            "500106": (29.541, 106.457),
            "500107": (29.502, 106.511),
            "500108": (29.523, 106.644),
            "500112": (29.660, 106.600),
            "500113": (29.402, 106.540),
            "500109": (29.825, 106.437),
            "500104": (29.485, 106.482),
            "500120": (29.592, 106.227),
            "500116": (29.320, 106.260),
            "500117": (29.880, 106.270),
        },
    ),
    "440300": CityProfile(
        short="深圳",
        phone_prefix="0755-2",
        plate="粤",
        box=(22.45, 22.80, 113.78, 114.40),
        weights={"440304": 15, "440305": 15, "440306": 15, "440307": 15, "440309": 12, "440303": 10},
        default_weight=3,
        centers={
            "440303": (22.548, 114.131),
            "440304": (22.541, 114.055),
            "440305": (22.533, 113.930),
            "440306": (22.555, 113.883),
            "440307": (22.721, 114.247),
            "440308": (22.557, 114.236),
            "440309": (22.656, 114.045),
            "440310": (22.690, 114.346),
            "440311": (22.749, 113.936),
        },
    ),
}


def profile_for(city: Region) -> CityProfile:
    if city.code in PROFILES:
        return PROFILES[city.code]
    return CityProfile(short=city.name.removesuffix("市"), phone_prefix="010-6", plate="京", box=None)


# --- words --------------------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏建林波宁辉斌俊峰飞雪琳晶欣颖婷浩宇轩然博文凯川渝"
TRADE_CHARS = (
    "安达通顺恒泰华兴盛鑫隆信诚宏远捷迅博睿智优邦正和润晟瑞丰汇广宇峰川江海山城巴嘉升腾凯力科创航卓越永康福祥吉昌盈方"
)
COMPANY_SUFFIXES = (
    "电梯工程有限公司",
    "电梯维保有限公司",
    "机电设备有限公司",
    "电梯安装维修有限公司",
    "电梯技术服务有限公司",
    "电梯有限公司",
    "机电工程有限公司",
)
USE_UNIT_SUFFIXES = (
    "物业服务有限公司",
    "物业管理有限公司",
    "物业发展有限公司",
    "商业管理有限公司",
    "酒店管理有限公司",
    "置业有限公司",
)
MANUFACTURER_NAMES = (  # 字号, Latin code for models, suffix
    ("迅升", "XS", "电梯有限公司"),
    ("通力达", "TLD", "电梯有限公司"),
    ("巴山", "BS", "电梯制造有限公司"),
    ("嘉陵", "JL", "电梯有限公司"),
    ("长江", "CJ", "电梯股份有限公司"),
    ("西南", "XN", "电梯有限公司"),
    ("渝升", "YS", "电梯有限公司"),
    ("华岩", "HY", "机电设备制造有限公司"),
    ("朝天", "CT", "电梯有限公司"),
    ("缙云", "JY", "电梯科技有限公司"),
    ("两江", "LJ", "电梯制造有限公司"),
    ("山城", "SC", "扶梯有限公司"),
    ("奥捷", "AJ", "电梯有限公司"),
    ("永升", "YSH", "电梯有限公司"),
    ("康达", "KD", "电梯有限公司"),
    ("恒通", "HT", "电梯有限公司"),
)
DEVELOPERS = (
    "龙湖",
    "融创",
    "金科",
    "华宇",
    "万科",
    "保利",
    "招商",
    "中海",
    "旭辉",
    "金辉",
    "东原",
    "协信",
    "鲁能",
    "华润",
    "绿地",
    "新城",
    "阳光城",
    "美的",
    "蓝光",
    "首创",
    "中建",
    "碧桂园",
    "龙光",
    "远洋",
)
ESTATE_WORDS = (
    "星悦",
    "江山",
    "天元",
    "御景",
    "锦绣",
    "翡翠",
    "云端",
    "滨江",
    "紫御",
    "蓝湖",
    "春森",
    "时代",
    "香山",
    "悦府",
    "观澜",
    "九里",
    "澜庭",
    "半岛",
    "上城",
    "金域",
    "公园",
    "紫云",
    "玺院",
    "御湖",
    "峰景",
    "瑞府",
    "新城",
    "雅居",
    "怡园",
    "嘉园",
    "龙湾",
    "盛景",
    "观邸",
    "和府",
    "溪岸",
    "江岸",
    "晴川",
    "映月",
    "长岛",
    "春江",
    "北城",
    "南山",
    "东原",
    "西城",
    "鹿山",
    "桃源",
    "书香",
    "水岸",
    "龙庭",
    "尚城",
)
ESTATE_SUFFIXES = (
    "荟",
    "府",
    "苑",
    "台",
    "园",
    "里",
    "城",
    "郡",
    "湾",
    "庭",
    "居",
    "邸",
    "花园",
    "小区",
    "名邸",
    "雅苑",
    "华府",
    "天地",
    "公馆",
    "一号",
    "首府",
    "印象",
    "御园",
    "世家",
)
OFFICE_WORDS = (
    "环球",
    "世贸",
    "英利",
    "嘉华",
    "扬子江",
    "长江",
    "联合",
    "创意",
    "科技",
    "新华",
    "北城",
    "阳光",
    "金源",
    "茂业",
    "鹏润",
    "国贸",
    "帝都",
    "中环",
    "瑞安",
    "汇金",
    "华夏",
    "同景",
    "财富",
    "盛世",
)
OFFICE_SUFFIXES = ("大厦", "国际中心", "金融中心", "商务中心", "国际大厦", "中心", "广场", "财富中心")
MALL_SUFFIXES = ("天街", "购物中心", "万象城", "广场", "商业中心", "星光汇", "百货", "购物公园")
HOTEL_SUFFIXES = ("大酒店", "酒店", "国际酒店", "宾馆")
ROAD_WORDS = {
    "500000": (
        "金开",
        "新南",
        "红锦",
        "龙溪",
        "民族",
        "解放",
        "科园",
        "杨家坪",
        "南坪",
        "观音桥",
        "建新",
        "大石坝",
        "三峡",
        "天星桥",
        "石桥铺",
        "渝州",
        "五里店",
        "黄泥磅",
        "松牌",
        "花卉园",
        "龙头寺",
        "人和",
        "礼嘉",
        "大竹林",
        "照母山",
        "茶园",
        "西永",
        "大学城",
        "白市驿",
        "中梁山",
        "李家沱",
        "鱼洞",
        "龙洲湾",
        "界石",
    ),
    "440300": (
        "深南",
        "滨海",
        "北环",
        "红荔",
        "彩田",
        "宝安",
        "前海",
        "科苑",
        "沙河",
        "布吉",
        "民治",
        "梅林",
        "福华",
        "新洲",
        "泥岗",
        "华强",
        "桃园",
        "南海",
        "创业",
        "龙岗",
        "龙华",
        "坂田",
        "西乡",
        "福永",
        "沙井",
        "松岗",
    ),
}
DEFAULT_ROADS = ("人民", "解放", "建设", "中山", "和平", "新华", "胜利", "文化", "工业", "滨江", "学府", "光明")
ROAD_SUFFIXES = ("路", "大道", "街", "一路", "二路", "支路", "东路", "西路", "北路", "南路")
JACKING_TYPES = ("直顶式", "侧顶式", "间接顶升（1:2）")
LOCK_MODELS = ("MS-01", "MS-2B", "DS-100", "HL-8", "JS-300", "KM-60")


# --- state ---------------------------------------------------------------------------------------------------------


@dataclass
class GenerationResult:
    city: str
    created_elevators: int = 0
    created_components: int = 0
    created_landing_doors: int = 0
    created_organizations: dict[str, int] = field(default_factory=dict)
    created_service_relations: int = 0
    elevators_in_city: int = 0
    seconds: float = 0.0


@dataclass
class Manufacturer:
    id: int
    short: str
    code: str


@dataclass
class Site:
    kind: str
    name: str
    district: Region
    address: str
    lat: Decimal | None
    lng: Decimal | None
    use_unit_id: int
    company_id: int
    manufacturer: Manufacturer
    installed: date
    floors: int  # above ground
    basements: int


def generated_organizations(kind: str, city: Region | None = None):
    """The organisations the generator made (of one kind, optionally inside a city)."""
    qs = Organization.objects.filter(kind=kind, credit_code__regex=rf"^91[0-9]{{6}}GC{KIND_LETTER[kind]}")
    if city is not None:
        qs = qs.filter(region__path__startswith=city.path)
    return qs


class Generator:
    def __init__(self, city: Region, *, seed: int, existing: int, log: Callable[[str], None]):
        self.city = city
        self.profile = profile_for(city)
        self.rng = random.Random(f"citygen:{city.code}:{seed}:{existing}")
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.districts = list(Region.objects.filter(parent=city, level=RegionLevel.DISTRICT).order_by("code"))
        if not self.districts:
            self.districts = [city]
        self.district_weights = [self.profile.weights.get(d.code, self.profile.default_weight) for d in self.districts]
        self._cum_district = _cumulative(self.district_weights)
        self.roads = ROAD_WORDS.get(city.code, DEFAULT_ROADS)
        self.used_names = set(Organization.objects.values_list("name", flat=True))
        self.used_buildings: set[str] = set()
        self.expires_cache: dict[date, date] = {}
        self.factory_serial = 0

    # -- small draws ------------------------------------------------------------------------------------------------

    def district(self) -> Region:
        return self.districts[_pick(self.rng, self._cum_district)]

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def landline(self) -> str:
        digits = 8 - len(self.profile.phone_prefix.split("-", 1)[1])
        return self.profile.phone_prefix + "".join(str(self.rng.randrange(10)) for _ in range(digits))

    def mobile(self) -> str:
        return self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randrange(10**9):09d}"

    def location(self, district: Region, spread: float = 0.03) -> tuple[Decimal | None, Decimal | None]:
        box = self.profile.box
        if box is None:
            return None, None
        lat_min, lat_max, lng_min, lng_max = box
        center = self.profile.centers.get(district.code)
        if center:
            lat, lng = self.rng.gauss(center[0], spread), self.rng.gauss(center[1], spread)
        else:
            lat, lng = self.rng.uniform(lat_min, lat_max), self.rng.uniform(lng_min, lng_max)
        lat = min(max(lat, lat_min), lat_max)
        lng = min(max(lng, lng_min), lng_max)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")

    def address(self, district: Region) -> str:
        r = self.rng
        road = r.choice(self.roads) + r.choice(ROAD_SUFFIXES)
        return f"{self.city.name}{district.name}{road}{r.randint(1, 399)}号"

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        base = make()
        n = 2
        while f"{base}（{n}）" in self.used_names:
            n += 1
        self.used_names.add(f"{base}（{n}）")
        return f"{base}（{n}）"

    def trade_name(self) -> str:
        return self.rng.choice(TRADE_CHARS) + self.rng.choice(TRADE_CHARS)

    # -- organisations ---------------------------------------------------------------------------------------------

    def make_organizations(self, kind: str, count: int, serial_start: int, names: list[str] | None = None):
        objs = []
        for i in range(count):
            district = self.district()
            if names is not None:
                name = names[i]
                self.used_names.add(name)
            elif kind == "maintenance_company":
                name = self.unique_name(
                    lambda: f"{self.profile.short}{self.trade_name()}{self.rng.choice(COMPANY_SUFFIXES)}"
                )
            else:

                def use_unit_name(district=district):
                    suffix = self.rng.choices(USE_UNIT_SUFFIXES, weights=(40, 30, 10, 8, 4, 8))[0]
                    name = f"{self.profile.short}{self.trade_name()}{suffix}"
                    if self.rng.random() < 0.3:
                        name += f"{district.name.removesuffix('区').removesuffix('县')}分公司"
                    return name

                name = self.unique_name(use_unit_name)
            first17 = f"91{district.code}GC{KIND_LETTER[kind]}{serial_start + i:06d}"
            lat, lng = self.location(district)
            phone = self.landline()
            objs.append(
                Organization(
                    kind=kind,
                    name=name,
                    credit_code=first17 + credit_code_check_char(first17),
                    region=district,
                    address=self.address(district),
                    legal_representative=self.person(),
                    legal_representative_phone=self.mobile(),
                    contact_name=self.person(),
                    contact_phone=phone,
                    latitude=lat,
                    longitude=lng,
                )
            )
        return Organization.objects.bulk_create(objs, batch_size=500)

    # -- sites and elevators ---------------------------------------------------------------------------------------

    def install_date(self) -> date:
        r = self.rng
        year = r.choices(
            range(1998, 2026), weights=[1 + 3 * math.exp(-(((y - 2015) / 6.0) ** 2)) for y in range(1998, 2026)]
        )[0]
        day = date(year, 1, 1) + timedelta(days=r.randrange(365))
        return min(day, self.today - timedelta(days=30))

    def estate_name(self) -> str:
        r = self.rng
        words = r.choice(ESTATE_WORDS) + r.choice(ESTATE_SUFFIXES)
        return f"{r.choice(DEVELOPERS)}·{words}" if r.random() < 0.65 else words

    def site_name(self, kind: str, district: Region) -> str:
        r = self.rng
        for _ in range(20):
            if kind == "residential":
                name = self.estate_name()
            elif kind == "retrofit":
                name = r.choice(
                    (
                        f"{r.choice(self.roads)}{r.choice(('小区', '新村', '宿舍', '花园'))}",
                        f"{r.choice(self.roads)}{r.choice(('路', '街'))}{r.randint(1, 300)}号院",
                    )
                )
            elif kind == "office":
                name = r.choice(OFFICE_WORDS) + r.choice(OFFICE_SUFFIXES)
            elif kind == "mall":
                name = r.choice(DEVELOPERS + OFFICE_WORDS) + r.choice(MALL_SUFFIXES)
            elif kind == "hospital":
                name = r.choice(
                    (
                        f"{district.name}人民医院",
                        f"{district.name}中医院",
                        f"{district.name}妇幼保健院",
                        f"{self.profile.short}市第{r.randint(1, 30)}人民医院",
                    )
                )
            elif kind == "hotel":
                name = r.choice(OFFICE_WORDS + ESTATE_WORDS) + r.choice(HOTEL_SUFFIXES)
            else:
                name = r.choice(
                    (
                        f"{district.name}第{r.randint(1, 60)}中学",
                        f"{self.profile.short}{self.trade_name()}工业园",
                        f"{district.name}政务服务中心",
                        f"{district.name}{r.choice(self.roads)}社区卫生服务中心",
                    )
                )
            if name not in self.used_buildings:
                break
        self.used_buildings.add(name)
        return name

    def new_site(
        self, use_unit_id: int, company_id: int, manufacturers: list[Manufacturer], manufacturer_cum: list[float]
    ) -> Site:
        r = self.rng
        kind = r.choices(
            ("residential", "retrofit", "office", "mall", "hospital", "hotel", "lowrise"),
            weights=(56, 22, 6, 4, 3, 3, 6),
        )[0]
        district = self.district()
        lat, lng = self.location(district)
        if kind == "residential":
            floors = r.choices((9, 11, 15, 18, 24, 26, 30, 32, 33), weights=(8, 24, 8, 18, 8, 8, 8, 9, 9))[0]
        elif kind == "retrofit":  # 老旧小区加装电梯: walk-up blocks of six or seven storeys
            floors = r.choice((6, 6, 7, 7, 8))
        elif kind == "office":
            floors = r.randint(18, 56)
        elif kind == "mall":
            floors = r.randint(3, 7)
        elif kind in ("hospital", "hotel"):
            floors = r.randint(8, 28)
        else:
            floors = r.randint(3, 6)
        basements = 0 if kind in ("lowrise", "retrofit") else r.choice((1, 1, 1, 2, 2, 3))
        return Site(
            kind=kind,
            name=self.site_name(kind, district),
            district=district,
            address=self.address(district),
            lat=lat,
            lng=lng,
            use_unit_id=use_unit_id,
            company_id=company_id,
            manufacturer=manufacturers[_pick(r, manufacturer_cum)],
            installed=self.install_date(),
            floors=floors,
            basements=basements,
        )

    def site_plan(self, site: Site) -> list[tuple[str, str, str, int]]:
        """(building label, device category, internal number, building floors) for each elevator of a site."""
        r = self.rng
        plan = []
        if site.kind == "residential":
            for block in range(1, r.randint(2, 14) + 1):
                label = f"{site.name}{block}栋"
                for k in range(1, r.choice((2, 2, 2, 3, 3, 4)) + 1):
                    plan.append((label, "3110", f"{block}栋{k}号梯", site.floors))
        elif site.kind == "retrofit":
            for block in range(1, r.randint(3, 12) + 1):
                for unit in range(1, r.choice((1, 2, 2, 3)) + 1):
                    plan.append((f"{site.name}{block}栋", "3110", f"{block}栋{unit}单元梯", site.floors))
        elif site.kind == "office":
            towers = r.choice(("", "", "A座", "AB"))
            for tower in ("A座", "B座") if towers == "AB" else (towers,):
                label = f"{site.name}{tower}"
                cats = ["3110"] * r.randint(4, 14) + ["3120"] * r.randint(1, 2) + ["3430"] * r.choice((0, 0, 1))
                plan += [(label, cat, f"{tower}{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        elif site.kind == "mall":
            cats = (
                ["3310"] * (2 * (site.floors - 1) + r.randint(0, 6))
                + ["3320"] * r.choice((0, 0, 2, 4))
                + ["3110"] * r.randint(2, 6)
                + ["3120"] * r.randint(1, 3)
                + ["3430"] * r.randint(0, 2)
            )
            plan += [
                (site.name, cat, f"{k}号{'扶梯' if cat in ('3310', '3320') else '梯'}", site.floors)
                for k, cat in enumerate(cats, 1)
            ]
        elif site.kind == "hospital":
            for part in r.sample(("门诊楼", "住院楼", "医技楼"), r.randint(1, 3)):
                cats = ["3110"] * r.randint(3, 8) + ["3120"] * r.randint(0, 2) + ["3210"] * r.choice((0, 0, 0, 1))
                cats += ["3430"] * r.choice((0, 1))
                plan += [(f"{site.name}{part}", cat, f"{part}{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        elif site.kind == "hotel":
            cats = ["3110"] * r.randint(3, 8) + ["3120"] + ["3430"] * r.randint(1, 2)
            plan += [(site.name, cat, f"{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        else:
            cats = [
                r.choices(("3110", "3210", "3120", "3430"), weights=(5, 3, 2, 2))[0] for _ in range(r.randint(1, 3))
            ]
            plan += [(site.name, cat, f"{k}号梯", site.floors) for k, cat in enumerate(cats, 1)]
        return plan

    def parameters(self, category: str, site: Site, building_floors: int) -> dict:
        r = self.rng
        group = group_of(category)
        p = dict(
            drive_type="",
            control_type="",
            rated_load=None,
            rated_speed=None,
            floors=None,
            stops=None,
            doors=None,
            cylinder_count=None,
            jacking_type="",
            inclination=None,
            step_width=None,
            rise=None,
            motor_power=None,
            usable_length=None,
        )
        if group == ParameterGroup.ESCALATOR:
            rise = r.uniform(4.2, 6.5) if r.random() < 0.9 else r.uniform(6.5, 12)
            if category == "3310":
                inclination = 35 if (rise <= 6 and r.random() < 0.35) else 30
                p.update(
                    inclination=Decimal(f"{inclination}.0"),
                    step_width=r.choice((600, 800, 1000, 1000, 1000)),
                    rated_speed=Decimal(r.choice(("0.50", "0.50", "0.50", "0.65"))),
                )
            else:
                inclination = r.choice((10, 11, 12, 12))
                p.update(
                    inclination=Decimal(f"{inclination}.0"),
                    step_width=r.choice((800, 1000, 1000)),
                    rated_speed=Decimal(r.choice(("0.50", "0.50", "0.65"))),
                    usable_length=Decimal(f"{rise / math.sin(math.radians(inclination)) + 4:.2f}"),
                )
            p["rise"] = Decimal(f"{rise:.2f}")
            p["motor_power"] = Decimal(f"{5.5 + rise * 1.1 + r.choice((0, 1.5, 3)):.1f}")
            return p
        if category == "3430":
            floors = r.randint(2, min(max(site.floors, 2), 8))
            p.update(
                drive_type=r.choice(("traction", "traction", "forced")),
                control_type="button",
                rated_load=r.choice((100, 200, 250, 300)),
                rated_speed=Decimal("0.40"),
            )
        elif category == "3210":
            floors = r.randint(2, min(max(site.floors, 2), 6))
            p.update(
                control_type=r.choice(("collective", "button")),
                rated_load=r.choice((630, 1000, 1600, 2000)),
                rated_speed=Decimal(r.choice(("0.40", "0.50", "0.63", "1.00"))),
                cylinder_count=r.choice((1, 1, 2)),
                jacking_type=r.choice(JACKING_TYPES),
            )
        elif category == "3120":
            floors = r.randint(2, min(max(building_floors + site.basements, 2), 12))
            p.update(
                drive_type="traction",
                control_type=r.choice(("button", "signal", "collective")),
                rated_load=r.choice((1000, 1600, 2000, 3000, 5000)),
                rated_speed=Decimal(r.choice(("0.50", "1.00", "1.00", "1.50"))),
            )
        else:
            floors = building_floors + site.basements
            if floors <= 8:
                speed = "1.00"
            elif floors <= 14:
                speed = "1.50"
            elif floors <= 22:
                speed = r.choice(("1.75", "1.75", "2.00"))
            elif floors <= 36:
                speed = r.choice(("2.00", "2.50", "2.50"))
            else:
                speed = r.choice(("3.00", "4.00", "5.00"))
            loads = {
                "residential": (800, 1000, 1000, 1050),
                "retrofit": (450, 630, 630, 800),
                "office": (1150, 1350, 1600),
                "mall": (1000, 1350, 1600),
                "hospital": (1600, 1600, 2000),
                "hotel": (1000, 1150, 1350),
            }.get(site.kind, (630, 800, 1000))
            control = {
                "residential": ("collective", "parallel"),
                "retrofit": ("collective",),
                "office": ("group", "group", "parallel"),
            }.get(site.kind, ("collective", "parallel", "group"))
            p.update(
                drive_type="traction",
                control_type=r.choice(control),
                rated_load=r.choice(loads),
                rated_speed=Decimal(speed),
            )
        floors = max(2, floors)
        stops = max(2, floors - r.choice((0, 0, 0, 0, 1, 2)))
        doors = stops * 2 if r.random() < 0.05 else stops
        p.update(floors=floors, stops=stops, doors=doors)
        return p

    def status(self, installed: date) -> str:
        r = self.rng.random()
        if installed.year < 2006 and r < 0.12:
            return ElevatorStatus.SCRAPPED
        if r < 0.04:
            return ElevatorStatus.SUSPENDED
        if r < 0.09:
            return ElevatorStatus.PENDING_REGISTRATION
        if r < 0.10:
            return ElevatorStatus.SCRAPPED
        return ElevatorStatus.IN_USE

    def expires(self, installed: date) -> date:
        value = self.expires_cache.get(installed)
        if value is None:
            value = self.expires_cache[installed] = installed + relativedelta(months=DEFAULT_COMPONENT_LIFESPAN_MONTHS)
        return value


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _max_serial(kind: str) -> int:
    serials = [
        int(m.group(2))
        for code in generated_organizations(kind).values_list("credit_code", flat=True)
        if (m := GENERATED_CODE.match(code))
    ]
    return max(serials, default=0)


def _register_counters() -> dict[str, int]:
    """Highest 4-digit sequence already used under each 16-character prefix (category + district + YYYYMM)."""
    counters: dict[str, int] = {}
    for code in Elevator.objects.values_list("register_code", flat=True).iterator(chunk_size=20000):
        if len(code) == 20 and code.isdigit():
            prefix, seq = code[:16], int(code[16:])
            if seq > counters.get(prefix, 0):
                counters[prefix] = seq
    return counters


CATEGORY_SHORT = {
    "3110": "11",
    "3120": "12",
    "3130": "13",
    "3210": "21",
    "3220": "22",
    "3310": "31",
    "3320": "32",
    "3410": "41",
    "3420": "42",
    "3430": "43",
}
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


def generate_city(
    elevators: int, *, city_code: str = "500000", seed: int = 1, batch: int = 5000, log: Callable[[str], None] = print
) -> GenerationResult:
    """Add `elevators` elevators (and the organisations they need) to the city with code `city_code`."""
    started = time.perf_counter()
    city = Region.objects.get(code=city_code)
    if city.level != RegionLevel.CITY:
        raise ValueError(f"{city_code} ({city.name}) is not a city")
    existing = Elevator.objects.filter(city=city).count()
    gen = Generator(city, seed=seed, existing=existing, log=log)
    rng = gen.rng
    total = existing + elevators
    result = GenerationResult(city=f"{city.code} {city.name}")
    rescue_used = set(Elevator.objects.filter(city=city).values_list("rescue_code", flat=True))
    if len(rescue_used) + elevators > 900_000:
        raise ValueError("96333 rescue codes are 6 digits: a city holds at most 900,000 elevators")

    # organisations: create what the grown city lacks
    made = {}
    with transaction.atomic():
        for kind, target in (
            ("manufacturer", MANUFACTURERS),
            ("maintenance_company", max(2, round(total / ELEVATORS_PER_COMPANY))),
            ("use_unit", max(1, round(total / ELEVATORS_PER_USE_UNIT))),
        ):
            have = generated_organizations(kind, city).count()
            missing = max(0, target - have)
            names = None
            if kind == "manufacturer":
                names = [
                    f"{city.name.removesuffix('市')}{short}{suffix}" for short, _code, suffix in MANUFACTURER_NAMES
                ]
                taken = set(generated_organizations(kind, city).values_list("name", flat=True))
                names = [n for n in names if n not in taken and n not in gen.used_names][:missing]
                missing = len(names)
            made[kind] = gen.make_organizations(kind, missing, _max_serial(kind) + 1, names=names) if missing else []
            result.created_organizations[kind] = missing
    log(f"organisations: +{result.created_organizations} ({time.perf_counter() - started:.1f} s)")
    if elevators <= 0:
        result.elevators_in_city = existing
        result.seconds = time.perf_counter() - started
        return result

    code_of = {short: code for short, code, _suffix in MANUFACTURER_NAMES}
    manufacturers = []
    for org in generated_organizations("manufacturer", city).order_by("credit_code"):
        short = next((s for s in code_of if s in org.name), org.name[2:4])
        manufacturers.append(Manufacturer(id=org.pk, short=short, code=code_of.get(short, "GC")))
    manufacturer_cum = _cumulative([1.0 / (i + 1) ** 0.6 for i in range(len(manufacturers))])

    # company sizes follow a power law: the oldest companies are the biggest, as in real cities
    company_ids = [
        pk
        for pk, _code in sorted(
            generated_organizations("maintenance_company", city).values_list("pk", "credit_code"),
            key=lambda t: t[1][11:],
        )
    ]
    company_cum = _cumulative([1.0 / (i + 1) ** 0.7 for i in range(len(company_ids))])
    use_units = list(generated_organizations("use_unit", city).order_by("pk").values_list("pk", flat=True))
    primary: dict[int, int] = {}
    for use_unit_id, company_id in (
        ServiceRelation.objects.filter(use_unit_id__in=use_units)
        .order_by("-id")
        .values_list("use_unit_id", "maintenance_company_id")
    ):
        primary[use_unit_id] = company_id
    new_companies = [o.pk for o in made["maintenance_company"]]
    for org in made["use_unit"]:
        primary[org.pk] = new_companies.pop(0) if new_companies else company_ids[_pick(rng, company_cum)]
    for pk in use_units:  # a use unit left without a company (an interrupted run) gets one now
        primary.setdefault(pk, company_ids[_pick(rng, company_cum)])
    unused_use_units = [o.pk for o in made["use_unit"]]

    counters = _register_counters()
    relations: set[tuple[int, int]] = set()
    known_relations = set(
        ServiceRelation.objects.filter(use_unit_id__in=use_units).values_list("use_unit_id", "maintenance_company_id")
    )

    postgres = connection.vendor == "postgresql"
    flush = _flush_postgres if postgres else _flush_orm
    log(
        f"generating {elevators:,} elevators in {city.name} (already {existing:,}), "
        f"{'COPY' if postgres else 'bulk_create'} in batches of {batch:,}"
    )

    buffer: list[tuple] = []  # (elevator values, component names, door spec, brand, expires_on)
    done = 0
    while done < elevators:
        use_unit_id = unused_use_units.pop() if unused_use_units else rng.choice(use_units)
        company_id = primary[use_unit_id]
        if rng.random() < 0.05 and len(company_ids) > 1:  # some sites are maintained by a second company
            company_id = company_ids[_pick(rng, company_cum)]
        relations.add((use_unit_id, company_id))
        site = gen.new_site(use_unit_id, company_id, manufacturers, manufacturer_cum)
        building_dates: dict[str, date] = {}
        for label, category, internal_number, building_floors in gen.site_plan(site):
            if done >= elevators:
                break
            installed = building_dates.setdefault(label, site.installed + timedelta(days=rng.randrange(0, 120)))
            installed = min(installed, gen.today)
            values = _elevator_values(
                gen, site, label, category, internal_number, building_floors, installed, counters, rescue_used
            )
            buffer.append(values)
            done += 1
            if len(buffer) >= batch:
                _flush(flush, buffer, relations, known_relations, result, city)
                log(
                    f"  {existing + done:>9,} elevators in the city  (+{done:,}/{elevators:,}, "
                    f"{time.perf_counter() - started:.1f} s)"
                )
    if buffer:
        _flush(flush, buffer, relations, known_relations, result, city)
        log(
            f"  {existing + done:>9,} elevators in the city  (+{done:,}/{elevators:,}, "
            f"{time.perf_counter() - started:.1f} s)"
        )
    if postgres:
        with connection.cursor() as cursor:
            for model in (Elevator, Component, LandingDoor, Organization, ServiceRelation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    result.elevators_in_city = existing + done
    result.seconds = time.perf_counter() - started
    log(
        f"done: +{result.created_elevators:,} elevators, +{result.created_components:,} components, "
        f"+{result.created_landing_doors:,} landing doors, +{result.created_service_relations:,} service relations "
        f"in {result.seconds:.1f} s"
    )
    return result


def _elevator_values(
    gen: Generator,
    site: Site,
    label: str,
    category: str,
    internal_number: str,
    building_floors: int,
    installed: date,
    counters: dict[str, int],
    rescue_used: set[str],
):
    rng = gen.rng
    # register code: category + district + YYYYMM + 4-digit sequence (a full month moves on to the next one)
    while True:
        prefix = f"{category}{site.district.code}{installed:%Y%m}"
        seq = counters.get(prefix, 0) + 1
        if seq <= 9999:
            counters[prefix] = seq
            break
        installed = installed.replace(day=1) + relativedelta(months=1)
    while True:
        rescue = f"{rng.randrange(100000, 1000000)}"
        if rescue not in rescue_used:
            rescue_used.add(rescue)
            break
    params = gen.parameters(category, site, building_floors)
    status = gen.status(installed)
    gen.factory_serial += 1
    mf = site.manufacturer
    if group_of(category) == ParameterGroup.ESCALATOR:
        model = f"{mf.code}-{'E' if category == '3310' else 'W'}{params['step_width']}/{int(params['inclination'])}"
    else:
        model = f"{mf.code}-{rng.choice('KGFHM')}{params['rated_load']}/{params['rated_speed']}"
    registration = ""
    if status != ElevatorStatus.PENDING_REGISTRATION:
        registration = (
            f"梯{CATEGORY_SHORT.get(category, '11')}{gen.profile.plate}{rng.choice('ABCDEFG')}"
            f"{rng.randrange(100000):05d}({installed:%y})"
        )
    if status == ElevatorStatus.IN_USE:
        next_inspection = gen.today + timedelta(days=rng.randint(1, 365))
    elif status == ElevatorStatus.SUSPENDED:
        next_inspection = gen.today - timedelta(days=rng.randint(1, 200))
    else:
        next_inspection = None
    lat, lng = site.lat, site.lng
    if lat is not None:
        lat += Decimal(rng.randint(-300, 300)) / 1_000_000
        lng += Decimal(rng.randint(-300, 300)) / 1_000_000
        lat_min, lat_max, lng_min, lng_max = gen.profile.box
        lat = min(max(lat, Decimal(str(lat_min))), Decimal(str(lat_max)))
        lng = min(max(lng, Decimal(str(lng_min))), Decimal(str(lng_max)))
    created = gen.now - timedelta(seconds=rng.randrange(30 * 86400, 730 * 86400))
    updated = created + (gen.now - created) * rng.random()
    values = dict(
        register_code=f"{prefix}{seq:04d}",
        code_scheme=CodeScheme.CATALOGUE_2014,
        rescue_code=rescue,
        device_category=category,
        use_unit_id=site.use_unit_id,
        maintenance_company_id=site.company_id,
        manufacturer_id=mf.id,
        product_model=model,
        factory_number=f"{mf.code}{installed:%y}{gen.factory_serial:07d}",
        installation_date=installed,
        building=label,
        internal_number=internal_number,
        use_registration_number=registration,
        region_id=site.district.pk,
        city_id=gen.city.pk,
        address=site.address,
        latitude=lat,
        longitude=lng,
        next_inspection_date=next_inspection,
        status=status,
        qr_token=new_qr_token(),
        created_at=created,
        updated_at=updated,
        created_by_id=None,
        **params,
    )
    components = COMPONENT_CATALOGUE[group_of(category)]
    doors = None
    if group_of(category) != ParameterGroup.ESCALATOR:
        load = params["rated_load"] or 0
        door_type = {"3120": "side", "3430": "vertical", "3210": "side"}.get(category, "center")
        width = 700 if category == "3430" else min(2500, 800 + max(0, load - 800) // 250 * 100)
        height = 1000 if category == "3430" else (2100 if load < 1600 else 2400)
        doors = (door_type, width, height, rng.choice(LOCK_MODELS), params["stops"])
    return values, components, doors, mf.short, gen.expires(installed)


def _flush(flush, buffer, relations, known_relations, result, city):
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


def _flush_postgres(buffer) -> tuple[int, int]:
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
            for pk, (values, names, _doors, brand, expires) in zip(ids, buffer, strict=True):
                installed = values["installation_date"]
                for name in names:
                    copy.write_row((pk, name, brand, "", installed, DEFAULT_COMPONENT_LIFESPAN_MONTHS, expires, ""))
                n_components += len(names)
        with pg.copy(f"COPY {quote(LandingDoor._meta.db_table)} ({', '.join(DOOR_COLUMNS)}) FROM STDIN") as copy:
            for pk, (_values, _names, doors, _brand, _expires) in zip(ids, buffer, strict=True):
                if doors is None:
                    continue
                door_type, width, height, lock, stops = doors
                for position in range(1, stops + 1):
                    copy.write_row((pk, position, str(position), door_type, width, height, lock, ""))
                n_doors += stops
    return n_components, n_doors


def _flush_orm(buffer) -> tuple[int, int]:
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
    for obj, (values, names, door_spec, brand, expires) in zip(objs, buffer, strict=True):
        installed = values["installation_date"]
        components += [
            Component(
                elevator_id=obj.pk,
                name=name,
                brand=brand,
                installed_on=installed,
                lifespan_months=DEFAULT_COMPONENT_LIFESPAN_MONTHS,
                expires_on=expires,
            )
            for name in names
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
