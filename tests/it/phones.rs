//! Hotline numbers in article text become `tel:` links at build time (pages
//! say `format-detection=telephone=no`, so nothing else makes them tappable).

use crate::support::{Site, article};

const BODY: &str = "\
遇到家暴请拨打12338或110，青少年求助拨打 12355。

编号123380、2012338、第110条、110元、1.110 都不是电话。

## 热线 12338

[打 12338](tel:12338) 已经是链接，<a href=\"https://x.example.cn/\">网站上的12338</a>也是。

`12338` 在代码里。

```
12338
```

当地法律援助：0357-5221234。
";

fn prose(site: &Site) -> String {
    let page = site.read("public/news/a/index.html");
    let prose = page.split("<div class=\"prose\">").nth(1).unwrap();
    prose.split("<footer").next().unwrap().to_string()
}

#[test]
fn hotline_numbers_in_text_are_tel_links_and_nothing_else_is() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nhotline:\n  number: \"12338\"\n  label: 妇女维权公益服务热线\n  also: [\"0357-5221234\"]\n",
    );
    site.write(
        "content/news/a.md",
        &article("热线", "2026-11-01 08:00", "", BODY),
    );
    site.build_ok();
    let html = prose(&site);

    assert!(html.contains("拨打<a class=\"tel\" href=\"tel:12338\">12338</a>或<a class=\"tel\" href=\"tel:110\">110</a>，"), "{html}");
    assert!(
        html.contains("拨打 <a class=\"tel\" href=\"tel:12355\">12355</a>。"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"tel\" href=\"tel:0357-5221234\">0357-5221234</a>"),
        "{html}"
    );
    // Parts of longer numbers, article numbers and amounts stay text.
    assert!(
        html.contains("编号123380、2012338、第110条、110元、1.110 都不是电话。"),
        "{html}"
    );
    // Headings, links, code and code blocks are left as they are.
    assert!(html.contains("热线 12338</h2>"), "{html}");
    assert!(
        html.contains("<a href=\"tel:12338\">打 12338</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://x.example.cn/\">网站上的12338</a>"),
        "{html}"
    );
    assert!(html.contains("<code>12338</code>"), "{html}");
    assert!(html.contains("<pre><code>12338\n</code></pre>"), "{html}");
    assert_eq!(html.matches("class=\"tel\"").count(), 4, "{html}");
}

#[test]
fn a_hotline_that_is_not_a_phone_number_is_an_error_at_its_line() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nhotline:\n  number: \"12338\"\n  label: 热线\n  also: [\"找妇联\"]\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("site.yaml:3:1: error: `找妇联` under `hotline` is not a phone number"),
        "{err}"
    );
}
