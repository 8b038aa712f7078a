//! The preview page: the fragment shown as in a WeChat article, the fields
//! the editor fills in by hand, and a "复制全文" button.
//!
//! The page's own styles target only its classes, so the fragment renders
//! from its inline styles alone, as it will in the editor. The copy button
//! writes `text/html` and `text/plain` through the Clipboard API and falls
//! back to copying a selection of the rendered fragment (WECHAT.md §4.1
//! step 8: a plain-text paste loses every style).

use super::dom::escape_text;
use super::{Export, LintLevel, MAX_CHARS};

const CSS: &str = r#"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#ededed;color:#1f1f1f;font:15px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif}
.tools,.article{max-width:677px;margin:0 auto;box-sizing:border-box}
.tools{padding:16px}
.tools-kicker{margin:0;font-size:13px;color:#666}
.tools-help{margin:4px 0 12px;font-size:14px;color:#444}
.field{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;background:#fff;border-radius:8px;padding:10px 12px;margin:8px 0}
.field-label{flex:1 1 100%;font-size:13px;color:#666}
.field-value{flex:1 1 12em;min-width:0;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:14px 0 8px}
.button{font:inherit;font-size:16px;padding:10px 20px;border:0;border-radius:6px;background:#07c160;color:#fff;cursor:pointer}
.button-small{font-size:14px;padding:4px 12px;background:#fff;color:#06ad56;border:1px solid #06ad56}
.status{font-size:14px;color:#06ad56}
.status-failed{color:#c0392b}
.stats{margin:4px 0;font-size:13px;color:#666}
.lints{margin:8px 0;padding:0;list-style:none;font-size:14px}
.lint{margin:4px 0;padding:8px 12px;border-radius:6px;background:#fff7e6;color:#6b4b00;overflow-wrap:anywhere}
.lint-error{background:#fdecea;color:#8a1f11}
.article{background:#fff;padding:20px 16px 32px;margin-bottom:32px}
.article-title{margin:0 0 16px;font-size:22px;line-height:1.4;font-weight:normal;color:rgba(0,0,0,.9)}
"#;

const SCRIPT: &str = r#"(function () {
  var content = document.getElementById('wx-content');
  var status = document.getElementById('copy-status');
  function say(message, ok) {
    status.textContent = message;
    status.className = ok ? 'status' : 'status status-failed';
  }
  // Copies through a selection of `node`; the copy event carries both
  // formats where the browser allows, else the selection is copied as is.
  function copyBySelection(node, html, text) {
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
    function onCopy(event) {
      if (event.clipboardData) {
        event.clipboardData.setData('text/html', html);
        event.clipboardData.setData('text/plain', text);
        event.preventDefault();
      }
    }
    document.addEventListener('copy', onCopy);
    var done = false;
    try { done = document.execCommand('copy'); } catch (e) { done = false; }
    document.removeEventListener('copy', onCopy);
    selection.removeAllRanges();
    return done;
  }
  function copy(node, html, text, done, failed) {
    function fallback() {
      if (copyBySelection(node, html, text)) { done(); } else { failed(); }
    }
    if (navigator.clipboard && window.ClipboardItem) {
      var parts = { 'text/plain': new Blob([text], { type: 'text/plain' }) };
      if (html !== null) { parts['text/html'] = new Blob([html], { type: 'text/html' }); }
      navigator.clipboard.write([new ClipboardItem(parts)]).then(done, fallback);
    } else {
      fallback();
    }
  }
  document.getElementById('copy-all').addEventListener('click', function () {
    copy(content, content.innerHTML, content.innerText, function () {
      say('已复制全文。到公众号编辑器的正文里粘贴，保存草稿后再预览一遍。', true);
    }, function () {
      say('没能自动复制：请在下面的正文里长按或拖动选中全部内容，再复制。', false);
    });
  });
  var buttons = document.querySelectorAll('[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var node = document.getElementById(button.getAttribute('data-copy'));
      var label = button.textContent;
      copy(node, null, node.textContent, function () {
        button.textContent = '已复制';
        setTimeout(function () { button.textContent = label; }, 1500);
      }, function () {
        say('没能自动复制：请选中文字后手动复制。', false);
      });
    });
  });
})();"#;

/// A standalone preview page for one article: the fragment shown as WeChat
/// would, a "复制全文" button that copies the fragment as rich text
/// (text/html + text/plain via the Clipboard API with a selection-based
/// fallback, per WECHAT.md §4.1 step 8), the title, the digest, and the
/// article's canonical URL labelled for the editor to paste into 阅读原文 (META-4).
/// Must be valid HTML5 (it will be checked with the Nu HTML Checker), work at
/// 375 px width, and keep its own styles/scripts outside the fragment.
pub fn preview_page(title: &str, digest: &str, canonical_url: &str, export: &Export) -> String {
    let mut page = String::with_capacity(export.fragment.len() + 8_000);
    let title_html = escape_text(title);
    page.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n");
    page.push_str("<meta name=\"color-scheme\" content=\"light\">\n<meta name=\"robots\" content=\"noindex\">\n");
    page.push_str(&format!("<title>{title_html} · 公众号导出</title>\n"));
    page.push_str(&format!("<style>\n{CSS}</style>\n</head>\n<body>\n"));

    page.push_str("<header class=\"tools\">\n<p class=\"tools-kicker\">公众号导出预览</p>\n");
    page.push_str("<p class=\"tools-help\">标题、摘要和原文链接分别填进编辑器的对应栏；正文点“复制全文”，再到编辑器正文里粘贴。</p>\n");
    field(
        &mut page,
        "wx-title",
        "标题",
        title,
        title.chars().count(),
        64,
    );
    field(
        &mut page,
        "wx-digest",
        "摘要",
        digest,
        digest.chars().count(),
        120,
    );
    field(
        &mut page,
        "wx-url",
        "原文链接（填进“阅读原文”）",
        canonical_url,
        0,
        0,
    );
    page.push_str("<div class=\"actions\"><button class=\"button\" id=\"copy-all\" type=\"button\">复制全文</button>");
    page.push_str("<span class=\"status\" id=\"copy-status\" role=\"status\" aria-live=\"polite\"></span></div>\n");

    let chars = export.fragment.chars().count();
    page.push_str(&format!(
        "<p class=\"stats\">正文 {chars} 字符（含标签，接口上限 {MAX_CHARS}）· 引用链接 {} 条</p>\n",
        export.references.len()
    ));
    if !export.lints.is_empty() {
        page.push_str("<ul class=\"lints\">\n");
        for lint in &export.lints {
            let (class, word) = match lint.level {
                LintLevel::Error => ("lint lint-error", "错误"),
                LintLevel::Warning => ("lint", "提醒"),
            };
            // The Chinese halves of "English · 中文" only; what is left
            // quoted in `backticks` is shown as code, never raw.
            let chinese = |text: &str| {
                let zh = text.split_once(" · ").map_or(text, |(_, zh)| zh);
                crate::html::with_code(zh)
            };
            let hint = match lint.hint.as_deref() {
                Some(h) => format!("（提示：{}）", chinese(h)),
                None => String::new(),
            };
            page.push_str(&format!(
                "<li class=\"{class}\">{word}：{}{hint}</li>\n",
                chinese(&lint.message)
            ));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</header>\n");

    page.push_str("<main class=\"article\">\n");
    page.push_str(&format!("<h1 class=\"article-title\">{title_html}</h1>\n"));
    page.push_str("<div id=\"wx-content\">");
    page.push_str(&export.fragment);
    page.push_str("</div>\n</main>\n");
    page.push_str(&format!(
        "<script>\n{SCRIPT}\n</script>\n</body>\n</html>\n"
    ));
    page
}

/// One labelled value with its own copy button; `count`/`limit` show the
/// length against the editor's limit when `limit` is not 0.
fn field(page: &mut String, id: &str, label: &str, value: &str, count: usize, limit: usize) {
    let label = if limit > 0 {
        format!("{label}（{count}/{limit} 字）")
    } else {
        label.to_string()
    };
    page.push_str(&format!(
        "<div class=\"field\"><span class=\"field-label\">{}</span><span class=\"field-value\" id=\"{id}\">{}</span><button class=\"button button-small\" type=\"button\" data-copy=\"{id}\">复制</button></div>\n",
        escape_text(&label),
        escape_text(value)
    ));
}
