"""Administrative divisions loaded with the platform (GB/T 2260 codes).

Chongqing: all 26 districts and 12 counties. Shenzhen: its 9 districts.
PILOT_DEMO marks the districts flagged as pilot districts on a new installation: the
official list of 渝市监发〔2020〕84号 was not found, so the operator maintains the flag.
"""

REGIONS = [
    # (code, name, level, parent_code)
    ("500000", "重庆市", "city", None),
    ("500101", "万州区", "district", "500000"),
    ("500102", "涪陵区", "district", "500000"),
    ("500103", "渝中区", "district", "500000"),
    ("500104", "大渡口区", "district", "500000"),
    ("500105", "江北区", "district", "500000"),
    ("500106", "沙坪坝区", "district", "500000"),
    ("500107", "九龙坡区", "district", "500000"),
    ("500108", "南岸区", "district", "500000"),
    ("500109", "北碚区", "district", "500000"),
    ("500110", "綦江区", "district", "500000"),
    ("500111", "大足区", "district", "500000"),
    ("500112", "渝北区", "district", "500000"),
    ("500113", "巴南区", "district", "500000"),
    ("500114", "黔江区", "district", "500000"),
    ("500115", "长寿区", "district", "500000"),
    ("500116", "江津区", "district", "500000"),
    ("500117", "合川区", "district", "500000"),
    ("500118", "永川区", "district", "500000"),
    ("500119", "南川区", "district", "500000"),
    ("500120", "璧山区", "district", "500000"),
    ("500151", "铜梁区", "district", "500000"),
    ("500152", "潼南区", "district", "500000"),
    ("500153", "荣昌区", "district", "500000"),
    ("500154", "开州区", "district", "500000"),
    ("500155", "梁平区", "district", "500000"),
    ("500156", "武隆区", "district", "500000"),
    ("500229", "城口县", "district", "500000"),
    ("500230", "丰都县", "district", "500000"),
    ("500231", "垫江县", "district", "500000"),
    ("500233", "忠县", "district", "500000"),
    ("500235", "云阳县", "district", "500000"),
    ("500236", "奉节县", "district", "500000"),
    ("500237", "巫山县", "district", "500000"),
    ("500238", "巫溪县", "district", "500000"),
    ("500240", "石柱土家族自治县", "district", "500000"),
    ("500241", "秀山土家族苗族自治县", "district", "500000"),
    ("500242", "酉阳土家族苗族自治县", "district", "500000"),
    ("500243", "彭水苗族土家族自治县", "district", "500000"),
    ("440000", "广东省", "province", None),
    ("440300", "深圳市", "city", "440000"),
    ("440303", "罗湖区", "district", "440300"),
    ("440304", "福田区", "district", "440300"),
    ("440305", "南山区", "district", "440300"),
    ("440306", "宝安区", "district", "440300"),
    ("440307", "龙岗区", "district", "440300"),
    ("440308", "盐田区", "district", "440300"),
    ("440309", "龙华区", "district", "440300"),
    ("440310", "坪山区", "district", "440300"),
    ("440311", "光明区", "district", "440300"),
]

# English names for the English UI (pinyin, as the regions are proper names).
ENGLISH_NAMES = {
    "500000": "Chongqing",
    "500101": "Wanzhou",
    "500102": "Fuling",
    "500103": "Yuzhong",
    "500104": "Dadukou",
    "500105": "Jiangbei",
    "500106": "Shapingba",
    "500107": "Jiulongpo",
    "500108": "Nan'an",
    "500109": "Beibei",
    "500110": "Qijiang",
    "500111": "Dazu",
    "500112": "Yubei",
    "500113": "Banan",
    "500114": "Qianjiang",
    "500115": "Changshou",
    "500116": "Jiangjin",
    "500117": "Hechuan",
    "500118": "Yongchuan",
    "500119": "Nanchuan",
    "500120": "Bishan",
    "500151": "Tongliang",
    "500152": "Tongnan",
    "500153": "Rongchang",
    "500154": "Kaizhou",
    "500155": "Liangping",
    "500156": "Wulong",
    "500229": "Chengkou",
    "500230": "Fengdu",
    "500231": "Dianjiang",
    "500233": "Zhongxian",
    "500235": "Yunyang",
    "500236": "Fengjie",
    "500237": "Wushan",
    "500238": "Wuxi",
    "500240": "Shizhu",
    "500241": "Xiushan",
    "500242": "Youyang",
    "500243": "Pengshui",
    "440000": "Guangdong",
    "440300": "Shenzhen",
    "440303": "Luohu",
    "440304": "Futian",
    "440305": "Nanshan",
    "440306": "Bao'an",
    "440307": "Longgang",
    "440308": "Yantian",
    "440309": "Longhua",
    "440310": "Pingshan",
    "440311": "Guangming",
}

PILOT_DEMO = {"500103", "500107", "500112"}  # 渝中区, 九龙坡区, 渝北区


def load_regions(Region) -> int:
    """Create or update the regions; works with the real model and a migration's historical one."""
    by_code = {}
    created = 0
    for code, name, level, parent_code in REGIONS:
        parent = by_code.get(parent_code)
        path = (parent.path if parent else "/") + f"{code}/"
        region, was_created = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent": parent, "path": path, "name_en": ENGLISH_NAMES[code]},
            create_defaults={
                "name": name,
                "level": level,
                "parent": parent,
                "path": path,
                "name_en": ENGLISH_NAMES[code],
                "in_pilot": code in PILOT_DEMO,
            },
        )
        by_code[code] = region
        created += was_created
    return created
