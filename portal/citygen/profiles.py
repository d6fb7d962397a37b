"""What differs between cities: the short name, phone prefix, plate, bounding box and district weights."""

from dataclasses import dataclass, field

from organizations.models import Region

__all__ = ["CityProfile", "PROFILES", "profile_for"]


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
