#!/usr/bin/env bash
# Render every document rectify writes (问题清单, 整改通知书, 整改情况报告, 评分表, 整改台账)
# to PDF and PNG with LibreOffice, so a person can look at the pages.
#
#   scripts/render-documents.sh [OUTPUT_DIR]        (default: ./rendered)
#
# Installs LibreOffice (no GUI), CJK fonts and poppler from the Debian packages when
# they are missing (needs root, as on the project's machines). Not part of CI.
# The GB/T 9704 fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are not free;
# a fontconfig alias maps them to Noto Serif/Sans CJK SC and AR PL UKai for the render.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/rendered}" && cd "${1:-$ROOT/rendered}" && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
RECTIFY=${RECTIFY:-$ROOT/.venv/bin/rectify}

if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list | grep "Noto Serif CJK" >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-arphic-ukai \
        poppler-utils fontconfig
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME="$WORK/config" HOME="$WORK/home"
mkdir -p "$XDG_CONFIG_HOME/fontconfig" "$HOME"
alias_font() { printf '  <alias binding="same"><family>%s</family><prefer><family>%s</family></prefer></alias>\n' "$1" "$2"; }
{
    echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
    alias_font "方正小标宋简体" "Noto Serif CJK SC"
    alias_font "仿宋_GB2312" "Noto Serif CJK SC"
    alias_font "宋体" "Noto Serif CJK SC"
    alias_font "黑体" "Noto Sans CJK SC"
    alias_font "楷体_GB2312" "AR PL UKai CN"
    echo '</fontconfig>'
} > "$XDG_CONFIG_HOME/fontconfig/fonts.conf"
fc-cache -f >/dev/null 2>&1 || true

export RECTIFY_DB="sqlite:///$WORK/rectify.db" RECTIFY_SESSION_FILE="$WORK/session.json"
export RECTIFY_BLOB_DIR="$WORK/blobs" RECTIFY_USER=render RECTIFY_PASSWORD=render-secret-1
export RECTIFY_TODAY=2025-12-15
printf '%s\n' "$RECTIFY_PASSWORD" | "$RECTIFY" init --user render --password-stdin >/dev/null
for package in "$ROOT"/src/rectify/examples/*.evaluation.json; do
    "$RECTIFY" import evaluation "$package" >/dev/null
done
# The real findings, plus repeats of their text under new refs, so the 问题清单 runs
# over several pages (repeated header row, odd and even page numbers).
"$PY" - <<'PYTHON'
from datetime import date
from decimal import Decimal

from rectify.bootstrap import open_house
from rectify.domain.finding import RectificationClass

with open_house() as house, house.acting(house.principal_from_environment()):
    app = house.findings
    base = [app.get_finding(ref) for ref in ("WB-GXJ/2024/01", "WB-GXJ/2024/02")]
    refs = [f.ref for f in base]
    for n in range(3, 41):
        model = base[n % 2]
        ref = f"WB-GXJ/2024/{n:02d}"
        app.record_finding(
            ref=ref, department_code="WB-GXJ", fiscal_year=2024, category=model.category,
            title=model.title, description=model.description, evaluation_key=model.evaluation_key,
            amount=Decimal(n * 10) if n % 3 else None, amount_unit="万元",
        )
        refs.append(ref)
    for n, ref in enumerate(refs):
        klass = (RectificationClass.IMMEDIATE, RectificationClass.PHASED, RectificationClass.LONG_TERM)[n % 3]
        app.issue_finding(ref, rectification_class=klass, requirements="细化预算测算，完善绩效目标",
                          issued_on=date(2025, 9, 1))
PYTHON
"$RECTIFY" export problem-list --year 2024 -o "$OUT/问题清单.docx"
"$RECTIFY" export notice --department WB-GXJ --year 2024 --date 2025-09-01 -o "$OUT/整改通知书.docx"
"$RECTIFY" export report --year 2024 -o "$OUT/整改情况报告.docx"
"$RECTIFY" export scorecard WB-GXJ/2024/department -o "$OUT/评分表.docx"
"$RECTIFY" export ledger --year 2024 -o "$OUT/整改台账.xlsx"

cd "$OUT"
soffice --headless --norestore --convert-to pdf --outdir "$OUT" ./*.docx ./*.xlsx >/dev/null
mkdir -p png
for pdf in ./*.pdf; do
    pdftoppm -png -r 70 "$pdf" "png/$(basename "$pdf" .pdf)"
done
echo "PDF: $OUT/*.pdf"
echo "PNG: $OUT/png/"
ls -1 "$OUT"/png
