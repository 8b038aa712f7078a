#!/usr/bin/env python3
"""Checks pufa's law library (src/statutes/library/*.yaml) against the
official texts it was imported from, with a Markdown parser of its own (it
shares no code with `pufa statutes import`).

    contrib/statutes/verify_library.py DIR [--library src/statutes/library]
    contrib/statutes/verify_library.py DIR --partial statutes

DIR holds the texts in the LawRefBook Markdown layout (the files
contrib/statutes/import_library.sh names). For every law it compares, paragraph
by paragraph, each article's text, and the part (编), chapter (章) and section
(节) each article belongs to; the preamble; the name, the number of articles,
the history (dates and events of the adoption lines) and the date in force.
It prints the count of articles and paragraphs checked and of differences per
law, then a sample of articles with their place in the law, and exits 1 on
any difference.

With --partial, the YAML files of a folder that ships only some articles (a
site's statutes/) are checked instead: only their articles' texts, and any
law the folder does not hold is skipped.

Not run by `cargo test`: the texts are reference material outside the
repository.
"""

import argparse
import datetime
import os
import re
import sys

import yaml

# key → the Markdown files of the law, in the order of their articles.
LAWS = {
    "fanjiabaofa": ["社会法-反家庭暴力法(2015-12-27).md"],
    "funvquanyi": ["社会法-妇女权益保障法(2022-10-30).md"],
    "jiatingjiaoyu": ["社会法-家庭教育促进法(2021-10-23).md"],
    "laonianren": ["社会法-老年人权益保障法(2018-12-29).md"],
    "minfadian": ["民法典-总则.md", "民法典-婚姻家庭编.md", "民法典-继承编.md"],
    "weichengnianren": ["社会法-未成年人保护法(2024-04-26).md"],
    "xianfa": ["宪法-宪法.md"],
}

# The 民法典 numbers its parts; its files name them without the number.
CIVIL_CODE_PARTS = {"总则": "第一编", "物权": "第二编", "合同": "第三编", "人格权": "第四编",
                    "婚姻家庭": "第五编", "侵权责任": "第六编", "继承": "第七编"}

# Known places of articles, from the printed laws: (key, article) → (part, chapter, section).
SAMPLE = {
    ("minfadian", 26): ("第一编 总则", "第二章 自然人", "第二节 监护"),
    ("minfadian", 57): ("第一编 总则", "第三章 法人", "第一节 一般规定"),
    ("minfadian", 1042): ("第五编 婚姻家庭", "第一章 一般规定", None),
    ("minfadian", 1059): ("第五编 婚姻家庭", "第三章 家庭关系", "第一节 夫妻关系"),
    ("minfadian", 1079): ("第五编 婚姻家庭", "第四章 离婚", None),
    ("minfadian", 1093): ("第五编 婚姻家庭", "第五章 收养", "第一节 收养关系的成立"),
    ("minfadian", 1127): ("第七编 继承", "第二章 法定继承", None),
    ("xianfa", 48): (None, "第二章 公民的基本权利和义务", None),
    ("xianfa", 62): (None, "第三章 国家机构", "第一节 全国人民代表大会"),
    ("xianfa", 143): (None, "第四章 国旗、国歌、国徽、首都", None),
    ("fanjiabaofa", 23): (None, "第四章 人身安全保护令", None),
    ("weichengnianren", 22): (None, "第二章 家庭保护", None),
    ("laonianren", 14): (None, "第二章 家庭赡养与扶养", None),
    ("funvquanyi", 23): (None, "第三章 人身和人格权益", None),
    ("jiatingjiaoyu", 16): (None, "第二章 家庭责任", None),
}

ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
NUMERAL = "〇零一二三四五六七八九十百千两"
ARTICLE = re.compile(r"^第([%s]+)条(?:\s+(.*))?$" % NUMERAL)
LABEL = re.compile(r"^(第[%s]+(?:编|章|节))(.*)$" % NUMERAL)
DATE = re.compile(r"^[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日(.*)$")
IN_FORCE = re.compile(r"本法自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")


def number(text):
    """一千零四十二 → 1042 (the numerals law texts use for article numbers)."""
    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    units = {"十": 10, "百": 100, "千": 1000}
    total, digit = 0, None
    for c in text:
        if c in digits:
            digit = digits[c]
        else:
            total += (1 if digit is None else digit) * units[c]
            digit = None
    return total + (digit or 0)


def heading(text):
    """`第一章  总 则` → `第一章 总则`: no spaces inside, one after the label."""
    text = re.sub(r"\s+", "", text)
    m = LABEL.match(text)
    if m and m.group(2):
        return m.group(1) + " " + m.group(2)
    return text


def parse(paths):
    """One law from its files: name, history, in-force dates, preamble, articles."""
    law = {"name": None, "history": [], "in_force_lines": [], "preamble": [],
           "articles": {}, "in_force_articles": []}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        part = chapter = section = None
        info = True
        preamble = False
        current = None
        for raw in lines:
            line = ZERO_WIDTH.sub("", raw).strip()
            if not line or (line.startswith("<!--") and line.endswith("-->") and not info):
                continue
            if info:
                if line == "<!-- INFO END -->":
                    info = False
                elif line.startswith("# ") and law["name"] is None:
                    law["name"] = line[2:].strip()
                elif line.startswith("# ") and line[2:].strip() != law["name"]:
                    bare = re.sub(r"\s+", "", line[2:])
                    bare = bare[:-1] if bare.endswith("编") else bare
                    part = CIVIL_CODE_PARTS[bare] + " " + bare
                else:
                    m = DATE.match(line)
                    if m:
                        date = "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3)))
                        what = m.group(4)
                        for word in ("修订", "修正", "通过", "公布"):
                            # The files of one law's parts repeat its lines.
                            if word in what and (date, word) not in law["history"]:
                                law["history"].append((date, word))
                                break
                        if "施行" in what:
                            law["in_force_lines"].append(date)
                continue
            if line.startswith("#"):
                text = heading(line.lstrip("#"))
                if text == "序言":
                    preamble = True
                    continue
                unit = LABEL.match(text).group(1)[-1]
                if unit == "编":
                    part, chapter, section = text, None, None
                elif unit == "章":
                    chapter, section, preamble = text, None, False
                else:
                    assert unit == "节", line
                    section = text
                continue
            m = ARTICLE.match(line)
            if m:
                preamble = False
                current = number(m.group(1))
                assert current not in law["articles"], (path, current)
                law["articles"][current] = {
                    "part": part, "chapter": chapter, "section": section,
                    "paragraphs": [m.group(2).strip()] if m.group(2) else [],
                }
                continue
            if preamble:
                law["preamble"].append(line)
            else:
                assert current is not None, (path, line)
                law["articles"][current]["paragraphs"].append(line)
    law["history"].sort(key=lambda e: e[0])
    for n, a in law["articles"].items():
        for p in a["paragraphs"]:
            m = IN_FORCE.search(p)
            if m:
                law["in_force_articles"].append(
                    "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3))))
    return law


def lines_of(text):
    return [l.strip() for l in (text or "").split("\n") if l.strip()]


def as_date(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def compare(key, law, data, partial):
    """Prints each difference; returns (articles, paragraphs, differences)."""
    differences = 0

    def differ(what):
        nonlocal differences
        differences += 1
        print("  %s: %s" % (key, what))

    articles = data.get("articles") or {}
    if not partial:
        if data["name"] != law["name"]:
            differ("name %r, the text says %r" % (data["name"], law["name"]))
        if sorted(articles) != sorted(law["articles"]):
            differ("articles %s, the text has %s" % (
                sorted(set(articles) ^ set(law["articles"]))[:10], len(law["articles"])))
        total = 1260 if key == "minfadian" else max(law["articles"])
        if data["articles_total"] != total:
            differ("articles_total %s, expected %s" % (data["articles_total"], total))
        history = [(as_date(e["date"]), e["event"]) for e in data.get("history") or []]
        if history != law["history"]:
            differ("history %s, the text says %s" % (history, law["history"]))
        in_force = (law["in_force_articles"] or law["in_force_lines"])[-1]
        if as_date(data["effective"]) != in_force:
            differ("effective %s, the text says %s" % (data["effective"], in_force))
        preamble = lines_of(data.get("preamble"))
        if preamble != law["preamble"]:
            differ("preamble differs (%d and %d paragraphs)" % (len(preamble), len(law["preamble"])))
    paragraphs = 0
    for n, a in sorted(articles.items()):
        official = law["articles"].get(n)
        if official is None:
            differ("article %d is not in the text" % n)
            continue
        mine = lines_of(a["text"])
        theirs = official["paragraphs"]
        for i in range(max(len(mine), len(theirs))):
            paragraphs += 1
            got = mine[i] if i < len(mine) else None
            want = theirs[i] if i < len(theirs) else None
            if got != want:
                differ("article %d paragraph %d:\n    yaml: %s\n    text: %s" % (n, i + 1, got, want))
        if not partial:
            for field in ("part", "chapter", "section"):
                if a.get(field) != official[field]:
                    differ("article %d %s %r, the text says %r" % (n, field, a.get(field), official[field]))
    return len(articles), paragraphs, differences


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="the folder of the Markdown texts")
    parser.add_argument("--library", default="src/statutes/library")
    parser.add_argument("--partial", help="a folder of YAML files that ship some articles")
    args = parser.parse_args()
    folder = args.partial or args.library
    total_articles = total_paragraphs = total_differences = 0
    laws = {}
    for key, files in LAWS.items():
        yaml_path = os.path.join(folder, key + ".yaml")
        if not os.path.exists(yaml_path):
            if args.partial:
                continue
            print("%s: %s is missing" % (key, yaml_path))
            total_differences += 1
            continue
        with open(yaml_path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        law = parse([os.path.join(args.dir, name) for name in files])
        laws[key] = (law, data)
        articles, paragraphs, differences = compare(key, law, data, bool(args.partial))
        print("%-16s %4d articles, %4d paragraphs checked: %d differences"
              % (key, articles, paragraphs, differences))
        total_articles += articles
        total_paragraphs += paragraphs
        total_differences += differences
    print("%-16s %4d articles, %4d paragraphs checked: %d differences"
          % ("all", total_articles, total_paragraphs, total_differences))
    if not args.partial:
        print("sample of places (the YAML's part / chapter / section, checked against the printed laws):")
        for (key, n), expected in sorted(SAMPLE.items()):
            article = laws[key][1]["articles"][n]
            place = tuple(article.get(f) for f in ("part", "chapter", "section"))
            ok = place == expected
            if not ok:
                total_differences += 1
            print("  %-16s %4d  %s  %s" % (key, n, " / ".join(p for p in place if p),
                                           "ok" if ok else "DIFFERS, expected %s" % (expected,)))
    sys.exit(1 if total_differences else 0)


if __name__ == "__main__":
    main()
