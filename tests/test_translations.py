"""The Chinese catalogue is whole: every message translated, none fuzzy, and the compiled catalogue the pages read
is the one in the .po file (a forgotten compilemessages would show English on the pages)."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parent.parent / "gaizao" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext tools are not installed")


def _entries(*flags: str) -> list[str]:
    """The msgid lines msgattrib keeps with these flags, the header's (always kept) left out."""
    out = subprocess.run(["msgattrib", *flags, "--no-wrap", str(PO)], capture_output=True, text=True, check=True)
    blocks = [block for block in out.stdout.split("\n\n") if "msgid " in block]
    return [block for block in blocks if '"Project-Id-Version:' not in block]


def test_every_message_is_translated_and_none_is_fuzzy():
    assert _entries("--untranslated") == []
    assert _entries("--only-fuzzy") == []


def test_the_compiled_catalogue_is_the_po_file(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    with open(fresh, "rb") as new, open(PO.with_suffix(".mo"), "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog


def test_status_words_are_each_models_own():
    from django.utils import translation

    from gaizao.feedback.models import Feedback
    from gaizao.works.models import Project

    with translation.override("zh-hans"):
        assert str(Feedback.Status.OPEN.label) == "待处理" and str(Feedback.Status.CLOSED.label) == "已办结"
        assert translation.pgettext("vote", "Open") == "表决中"
        assert str(Project.Status.UNDER_CONSTRUCTION.label) == "在建"
        assert str(Project.Status.COMPLETED.label) == "已完工" and str(Project.Status.ACCEPTED.label) == "已验收"
        assert translation.gettext("Status") == "状态" and translation.pgettext("community", "Status") == "改造状态"
