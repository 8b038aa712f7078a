#!/bin/sh
# Makes src/statutes/library/*.yaml, pufa's built-in law library, from the
# official texts in the LawRefBook Markdown layout, with `pufa statutes import`.
# The names citations use (short, aliases) are the ones the sample site's
# statutes/*.yaml had before the library existed.
#
#   contrib/statutes/import_library.sh DIR [PUFA]
#
# DIR holds the Markdown files (社会法-反家庭暴力法(2015-12-27).md, …);
# PUFA is the binary (default: target/debug/pufa). Run from the repository
# root; the files are replaced (--force). Then check them with
# contrib/statutes/verify_library.py DIR.
set -eu
dir=${1:?usage: $0 DIR-OF-MARKDOWN-LAWS [PUFA]}
pufa=${2:-target/debug/pufa}
out=src/statutes/library

import() {
    key=$1
    shift
    "$pufa" statutes import --force --key "$key" --output "$out/$key.yaml" "$@"
}

import fanjiabaofa "$dir/社会法-反家庭暴力法(2015-12-27).md" --alias 反家暴法
import funvquanyi "$dir/社会法-妇女权益保障法(2022-10-30).md"
import jiatingjiaoyu "$dir/社会法-家庭教育促进法(2021-10-23).md"
import laonianren "$dir/社会法-老年人权益保障法(2018-12-29).md"
# The 民法典's parts pufa carries: 总则 (1–204), 婚姻家庭 (1040–1118) and
# 继承 (1119–1163) of its 1,260 articles.
import minfadian "$dir/民法典-总则.md" "$dir/民法典-婚姻家庭编.md" "$dir/民法典-继承编.md" \
    --articles-total 1260
import weichengnianren "$dir/社会法-未成年人保护法(2024-04-26).md"
import xianfa "$dir/宪法-宪法.md"
