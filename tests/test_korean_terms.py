"""One Korean spelling per term: the one the Korean editions of HOML and DLwP use.

The lecture's colloquial forms may appear only as quotes of the lecture: inside double
quotes, in a parenthesis that names the lecture ("(lecture: 에폭)", "(강의: …)"), or in the
glossary's "Lecture" column.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
# the form to use -> forms not to use outside a quote of the lecture
TERMS = {
    "에포크": ["에폭"],
    "과대적합": ["과적합"],
    "가중치": ["웨이트"],
    "초깃값": ["초기값"],
    "훈련 데이터": ["학습 데이터", "학습데이터"],
    "학습 기록": ["학습 이력"],
    "드롭아웃": ["드랍아웃"],
    "이진 크로스 엔트로피": ["이진 교차 엔트로피"],
    "체크포인트": ["체크 포인트"],
    "텐서보드": ["텐서 보드"],
    "원-핫": ["원핫"],
    "오차 행렬": ["혼동 행렬"],
    "특성 공학": ["피처 엔지니어링"],
}
QUOTES = re.compile(r'"[^"\n]*"|“[^”\n]*”|\([^()\n]*(?:lecture|강의)[^()\n]*\)')


def texts():
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.name == "glossary.md":  # its third column is the lecture's own words
            text = "\n".join("|".join(row.split("|")[:3] + row.split("|")[4:])
                             for row in text.splitlines())
        yield path.relative_to(ROOT), text
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
            (ROOT / "notebooks" / "ko").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        yield path.relative_to(ROOT), "\n".join(c.source for c in nb.cells)


def test_colloquial_forms_appear_only_as_quotes_of_the_lecture():
    found = []
    for name, text in texts():
        unquoted = QUOTES.sub("", text)
        for use, avoid in TERMS.items():
            for form in avoid:
                for line in unquoted.splitlines():
                    if form in line:
                        found.append(f"{name}: '{form}' (use '{use}'): {line.strip()[:90]}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("text", "flagged"), [
    ("한 에폭이 끝나면", True),
    ('강의는 "에폭"이라고 부른다', False),
    ("에포크 (lecture: 에폭)", False),
    ("epoch (에포크; lecture: 에폭)", False),
    ("epoch (에폭)", True),
    ("과대적합과 과소적합", False),
])
def test_the_check_tells_a_quote_from_a_use(text, flagged):
    assert ("에폭" in QUOTES.sub("", text) or "과적합" in QUOTES.sub("", text)) is flagged
