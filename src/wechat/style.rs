//! The inline style of every exported element (WECHAT.md §4.5, doocs/md's
//! default theme with its variables resolved), for one primary colour.
//!
//! Every value is a literal: no `var(`, no `position`, no `top:`, no pure
//! black. Text blocks carry an explicit colour because the editor resets
//! inherited ones.

/// Body text colour (doocs, wechat-format); the editor drops pure black.
pub const TEXT: &str = "#3f3f3f";
/// WeChat's own link colour (`--weui-LINK`).
pub const LINK: &str = "#576b95";
pub const DEFAULT_PRIMARY: &str = "#b03a2e";

const FONT: &str = "font-family:-apple-system-font,BlinkMacSystemFont,'Helvetica Neue','PingFang SC','Hiragino Sans GB','Microsoft YaHei UI','Microsoft YaHei',Arial,sans-serif";
const MONO: &str = "font-family:Menlo,Consolas,Monaco,monospace";
const BORDER: &str = "1px solid rgba(63,63,63,0.15)";

pub struct Styles {
    pub wrapper: String,
    pub spacer: String,
    pub p: String,
    pub h2: String,
    pub h3: String,
    pub h4: String,
    pub h5: String,
    pub h6: String,
    pub blockquote: String,
    pub blockquote_p: String,
    pub list: String,
    pub li: String,
    pub li_body: String,
    pub strong: String,
    pub strong_in_heading: String,
    pub em: String,
    pub del: String,
    pub underline: String,
    pub mark: String,
    pub small: String,
    pub code: String,
    pub code_in_heading: String,
    pub pre: String,
    pub pre_code: String,
    pub link: String,
    pub link_in_heading: String,
    pub img: String,
    pub hr: String,
    pub table_wrap: String,
    pub table: String,
    pub caption: String,
    pub th: String,
    pub td: String,
    pub sup: String,
    pub mark_ref: String,
    pub section: String,
    pub figure: String,
    pub figcaption: String,
    pub dt: String,
    pub dd: String,
    pub notes_heading: String,
    pub notes_p: String,
    pub notes_num: String,
    pub url: String,
}

impl Styles {
    /// Styles for `primary`, which must already be a safe colour literal
    /// (see [`safe_color`]).
    pub fn new(primary: &str) -> Styles {
        let p = primary;
        let tint = tint(primary, 0.08).unwrap_or_else(|| "rgba(0,0,0,0.05)".to_string());
        let h4 = format!("margin:2em 8px 0.5em;color:{p};font-size:1em;font-weight:bold");
        Styles {
            wrapper: format!(
                "{FONT};font-size:16px;line-height:1.75;text-align:left;color:{TEXT}"
            ),
            spacer: "font-size:0;line-height:0;margin:0".to_string(),
            p: format!("margin:1.5em 8px;letter-spacing:0.05em;color:{TEXT}"),
            h2: format!(
                "display:table;padding:0 0.2em;margin:4em auto 2em;color:#fff;background:{p};font-size:1.2em;font-weight:bold;text-align:center"
            ),
            h3: format!(
                "padding-left:8px;border-left:3px solid {p};margin:2em 8px 0.75em 0;color:{TEXT};font-size:1.1em;font-weight:bold;line-height:1.2"
            ),
            h5: format!("margin:1.5em 8px 0.5em;color:{p};font-size:1em;font-weight:bold"),
            h6: format!("margin:1.5em 8px 0.5em;color:{TEXT};font-size:1em;font-weight:bold"),
            blockquote: format!(
                "font-style:normal;padding:1em;border-left:4px solid {p};border-radius:6px;color:{TEXT};background:#f7f7f7;margin:0 0 1em"
            ),
            blockquote_p: format!("margin:0;display:block;letter-spacing:0.05em;color:{TEXT}"),
            list: format!("padding-left:1em;margin-left:0;color:{TEXT}"),
            li: format!("display:block;margin:0.2em 8px;color:{TEXT}"),
            li_body: format!("letter-spacing:0.05em;color:{TEXT}"),
            strong: format!("color:{p};font-weight:bold;font-size:inherit"),
            strong_in_heading: "color:inherit;font-weight:bold;font-size:inherit".to_string(),
            em: "font-style:italic".to_string(),
            del: "text-decoration:line-through".to_string(),
            underline: "text-decoration:underline".to_string(),
            mark: "background:#fff2a8".to_string(),
            small: "font-size:0.875em".to_string(),
            code: format!(
                "font-size:90%;color:{p};background:{tint};padding:3px 5px;border-radius:4px;{MONO}"
            ),
            code_in_heading: format!("font-size:90%;color:inherit;{MONO}"),
            pre: format!(
                "margin:1.5em 8px;padding:1em;border-radius:8px;background:#f6f8fa;overflow-x:auto;font-size:90%;line-height:1.5;color:{TEXT}"
            ),
            pre_code: format!(
                "display:block;white-space:nowrap;background:none;padding:0;color:{TEXT};{MONO}"
            ),
            link: format!("color:{LINK};text-decoration:none"),
            link_in_heading: "color:inherit;text-decoration:underline".to_string(),
            img: "display:block;max-width:100%;margin:0.1em auto 0.5em;border-radius:4px"
                .to_string(),
            hr: "border-style:solid;border-width:2px 0 0;border-color:rgba(0,0,0,0.1);transform-origin:0 0;transform:scale(1,0.5);height:0.4em;margin:1.5em 0".to_string(),
            table_wrap: "max-width:100%;overflow-x:auto;margin:1.5em 8px".to_string(),
            table: format!(
                "border-collapse:collapse;width:100%;font-size:14px;line-height:1.6;color:{TEXT}"
            ),
            caption: "padding:0.5em;font-size:14px;color:#888".to_string(),
            th: format!(
                "border:{BORDER};padding:0.25em 0.5em;min-width:4em;background:rgba(0,0,0,0.05);font-weight:bold;color:{TEXT}"
            ),
            td: format!("border:{BORDER};padding:0.25em 0.5em;min-width:4em;color:{TEXT}"),
            sup: "font-size:75%;line-height:0".to_string(),
            mark_ref: format!("font-size:75%;line-height:0;color:{p}"),
            section: format!("color:{TEXT}"),
            figure: format!("margin:1.5em 8px;color:{TEXT}"),
            figcaption: "margin:0.5em 0 0;text-align:center;font-size:14px;color:#888".to_string(),
            dt: format!("margin:1em 8px 0;font-weight:bold;color:{TEXT}"),
            dd: format!("margin:0.25em 8px 0.5em 2em;color:{TEXT}"),
            notes_heading: h4.clone(),
            notes_p: format!("margin:0.5em 8px;font-size:14px;line-height:1.6;color:{TEXT}"),
            notes_num: "font-size:80%;opacity:0.6".to_string(),
            url: "word-break:break-all".to_string(),
            h4,
        }
    }
}

/// True if `c` is a colour literal that is safe to put in a `style`
/// attribute: `#rgb`/`#rrggbb`(`aa`), `rgb()`/`rgba()`/`hsl()`/`hsla()` of
/// plain numbers, or a keyword.
pub fn safe_color(c: &str) -> bool {
    let c = c.trim();
    if let Some(hex) = c.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some((func, args)) = c.split_once('(') {
        return matches!(
            func.to_ascii_lowercase().as_str(),
            "rgb" | "rgba" | "hsl" | "hsla"
        ) && args.strip_suffix(')').is_some_and(|a| {
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.%/+-".contains(c))
        });
    }
    !c.is_empty() && c.len() <= 20 && c.chars().all(|c| c.is_ascii_alphabetic())
}

/// True for the colours the editor swallows (mdnice basic.js).
pub fn is_black(c: &str) -> bool {
    let c: String = c
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        c.as_str(),
        "#000" | "#000000" | "black" | "rgb(0,0,0)" | "rgba(0,0,0,1)" | "#000f" | "#000000ff"
    )
}

/// `rgba()` of a `#rgb`/`#rrggbb` colour at `alpha`.
fn tint(color: &str, alpha: f32) -> Option<String> {
    let hex = color.trim().strip_prefix('#')?;
    let (r, g, b) = match hex.len() {
        3 | 4 => {
            let d = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(|v| v * 17);
            (d(0)?, d(1)?, d(2)?)
        }
        6 | 8 => {
            let d = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            (d(0)?, d(2)?, d(4)?)
        }
        _ => return None,
    };
    Some(format!("rgba({r},{g},{b},{alpha})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tints_hex_colours() {
        assert_eq!(
            tint("#b03a2e", 0.08).as_deref(),
            Some("rgba(176,58,46,0.08)")
        );
        assert_eq!(tint("#fff", 0.5).as_deref(), Some("rgba(255,255,255,0.5)"));
        assert_eq!(tint("red", 0.5), None);
    }

    #[test]
    fn only_plain_colour_literals_are_safe() {
        for ok in [
            "#b03a2e",
            "#FFF",
            "rgb(1, 2, 3)",
            "hsl(5deg 50% 40%)",
            "teal",
        ] {
            assert!(safe_color(ok), "{ok}");
        }
        for bad in [
            "var(--c)",
            "#b03a2e;position:absolute",
            "red\" onload=\"x",
            "url(x)",
            "",
            "#12",
        ] {
            assert!(!safe_color(bad), "{bad}");
        }
    }

    #[test]
    fn no_style_uses_variables_position_or_black() {
        let s = Styles::new(DEFAULT_PRIMARY);
        let all = [
            &s.wrapper,
            &s.p,
            &s.h2,
            &s.h3,
            &s.h4,
            &s.blockquote,
            &s.li,
            &s.th,
            &s.td,
            &s.pre,
        ];
        for style in all {
            assert!(!style.contains("var("), "{style}");
            assert!(!style.contains("position"), "{style}");
            assert!(!style.contains("#000"), "{style}");
            assert!(!style.contains('"'), "{style}");
        }
    }
}
