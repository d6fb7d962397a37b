"""Chinese by default; a complete English catalogue behind the language switch."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert not catalogue.untranslated_entries()
    assert not [e for e in catalogue.fuzzy_entries() if e.msgid]


def test_every_source_string_in_the_code_is_in_the_catalogue():
    """A gettext("…") or {% translate "…" %} added without `make messages` fails here."""
    import re

    msgids = {e.msgid for e in polib.pofile(str(PO))}
    pattern = re.compile(r"""(?:\b_|gettext|gettext_lazy|translate)\(?\s*["']([^"'\n]*[\u4e00-\u9fff][^"'\n]*)["']""")
    missing = set()
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", base / "api"] + [
        base / app for app in settings.INSTALLED_APPS if (base / app).is_dir()
    ]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix not in {".py", ".html"} or "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":  # "…"\n    "…": one literal, as gettext reads implicit concatenation
                text = re.sub(r'"\s*\n\s*"', "", text)
            for match in pattern.finditer(text):
                if match.group(1) not in msgids:
                    missing.add(f"{path.name}: {match.group(1)}")
    assert not missing, sorted(missing)


def test_pages_default_to_chinese_and_switch_to_english(world, client_for):
    client = client_for(world.admin_a)
    page = client.get("/").content.decode()
    assert "平台首页" in page and 'lang="zh-hans"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Home" in page and "Account maintenance" in page
    assert "平台首页" not in page


def test_english_error_messages(world, client_for):
    client = client_for(world.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/organizations/use_unit/new/", {"credit_code": "123"})
    page = response.content.decode()
    assert "18" in page and "统一社会信用代码应为" not in page
