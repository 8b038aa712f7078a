//! Command-line arguments: one struct per subcommand.

use std::path::PathBuf;

use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand};

/// Below every help page.
const AFTER_HELP: &str = "\
每个命令的详细用法：pufa 命令 --help，例如 pufa new --help
Each command's options: pufa COMMAND --help, e.g. pufa new --help";

/// Help pages with headings in both languages.
const TEMPLATE: &str = "\
{about-with-newline}
用法 / Usage: {usage}

{all-args}{after-help}";

/// The command line as pufa reads it: clap's help pages with headings and
/// the built-in flags in Chinese and English.
pub fn command() -> clap::Command {
    localize(Cli::command().disable_help_subcommand(true), true)
}

fn localize(cmd: clap::Command, top: bool) -> clap::Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令 / Commands")
        .mut_args(|a| {
            let a = if a.is_positional() {
                a.help_heading("参数 / Arguments")
            } else {
                a.help_heading("选项 / Options")
            };
            say_defaults(a)
        })
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助 / Print help")
                .help_heading("选项 / Options"),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本 / Print version")
                .help_heading("选项 / Options"),
        );
    }
    cmd.mut_subcommands(|sub| localize(sub, false))
}

/// clap notes an argument's default, values and environment variable in
/// English (`[default: .]`, `[possible values: …]`, `[env: PUFA_NOW=]`);
/// pufa writes them into the help text itself, in both languages, and
/// hides clap's.
fn say_defaults(a: Arg) -> Arg {
    let mut notes = Vec::new();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    // A flag's default (`false`) is not a value anyone types.
    if a.get_action().takes_values() && !defaults.is_empty() && !a.is_hide_default_value_set() {
        notes.push(format!("默认 / default: {}", defaults.join(", ")));
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if a.get_action().takes_values() && !values.is_empty() && !a.is_hide_possible_values_set() {
        notes.push(format!("可选 / possible values: {}", values.join(", ")));
    }
    if let Some(env) = a.get_env()
        && !a.is_hide_env_set()
    {
        notes.push(format!("环境变量 / env: {}", env.to_string_lossy()));
    }
    if notes.is_empty() {
        return a;
    }
    let note = format!("[{}]", notes.join("; "));
    let help = match a.get_help() {
        Some(help) => format!("{help} {note}"),
        None => note.clone(),
    };
    let long = a.get_long_help().map(|long| format!("{long}\n\n{note}"));
    let a = a
        .hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
        .help(help);
    match long {
        Some(long) => a.long_help(long),
        None => a,
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "pufa",
    version,
    about = "普法：用 Markdown 写普法网站 / Build a legal-education website from Markdown",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成网站，写入输出文件夹（默认 public/） / Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// 新建一个网站，带一篇示例文章 / Create a new site with a working example article.
    Init(InitArgs),
    /// 发布日历：宣传节点、定时发布、到期下线 / Show what goes out when: awareness days, publications, expiries.
    Schedule(ScheduleArgs),
    /// 新建一篇文章（草稿），栏目不存在时可一并新建 / Start a new article (a draft), and its section if need be.
    New(NewArgs),
    /// 检查网站的全部问题，不写任何文件 / Report everything wrong with the site, without writing anything.
    Check(CheckArgs),
    /// 本机预览：保存后自动刷新 / Preview the site: serve it locally, rebuild and reload on every save.
    Serve(ServeArgs),
    /// 导出文章，粘贴到公众号编辑器 / Export articles for pasting into the WeChat Official Account (公众号) editor.
    Wechat(WechatArgs),
    /// 把生成的网站（public/）上传到 site.yaml 里 `deploy:` 写的地方 / Put the built site (public/) on the targets under `deploy:` in site.yaml.
    Deploy(DeployArgs),
    /// 生成并上传；加 --watch 则按时自动发布 / Build and deploy in one go; with --watch, keep doing it on schedule.
    Publish(PublishArgs),
    /// 法律条文：从官方文本生成 statutes/<key>.yaml / Law texts: make a site's statutes/<key>.yaml from a law's official text.
    Statutes(StatutesArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// 网站文件夹（有 site.yaml 的那个） / The site folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 假装现在是这个时间（`2026-12-04 08:00`，站点时区） / Build as if it were this time (`YYYY-MM-DD HH:MM` in the site's time zone, or RFC 3339).
    #[arg(long, env = "PUFA_NOW")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出文件夹（默认网站文件夹里的 public/） / Output folder (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 包括草稿（只供预览，不要上传） / Include drafts (for previews; never deploy such a build).
    #[arg(long)]
    pub drafts: bool,
    /// 临时换一个网站地址（代替 site.yaml 的 base_url） / Override base_url from site.yaml (e.g. for a staging host).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// 在哪里新建网站（文件夹须为空或不存在） / Where to create the site (must be empty or not exist).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 往后看几天 / How many days ahead to look.
    #[arg(long, default_value_t = 60)]
    pub days: i64,
    /// 只显示网站下一次变化的时刻（RFC 3339） / Print only the next instant the built site changes (RFC 3339).
    #[arg(long)]
    pub next: bool,
    /// 以 JSON 输出 / Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
    /// 同时写一个 iCalendar 文件（导入手机日历） / Also write the plan as an iCalendar file (for phone calendars).
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// 栏目/文件名，例如 `qa/baohuling`（新建 content/qa/baohuling.md） / SECTION/NAME, e.g. `qa/baohuling` (creates content/qa/baohuling.md).
    pub path: String,
    /// 文章标题（默认用文件名） / The article's title (default: NAME).
    #[arg(long)]
    pub title: Option<String>,
    /// 宣传节点（如 11-25）：宣传时段内默认今天发布，否则下一次节点当天 / Awareness day key: dated today while its window is open, else its next day.
    #[arg(long)]
    pub campaign: Option<String>,
    /// 发布时间（`2026-12-04 08:00`），优先于宣传节点的日期 / Publish date (`2026-12-04 08:00`); overrides the campaign's date.
    #[arg(long)]
    pub date: Option<String>,
    /// 栏目不存在时，新建它并用这个中文名称（如 新闻动态） / The title of the section, made if it does not exist.
    #[arg(long, value_name = "TITLE")]
    pub section_title: Option<String>,
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// `text`（逐行文字）或 `json`（给工具用） / `text` (compiler-style lines) or `json` (for tools).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 列出全部提醒，不只是每类的前 3 条 / List every warning, not only the first 3 of each kind.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 监听地址；默认只有本机能看到预览 / Address to listen on; loopback by default, so only this computer sees the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// 端口（0 表示随便找一个空闲的）；12338 是妇女维权热线 / Port (0 picks a free one). 12338 is the women's rights hotline.
    #[arg(long, default_value_t = 12338)]
    pub port: u16,
    /// 显示草稿（带标记） / Show drafts, marked as such.
    #[arg(long)]
    pub drafts: bool,
    /// 显示还没到时间的定时文章（带标记） / Show scheduled (future) articles, marked as such.
    #[arg(long)]
    pub future: bool,
    /// 也接受用这个名字访问（如本机在局域网里的名字） / Also answer requests addressed to this name.
    ///
    /// `localhost` and IP addresses always work. Others are refused, so that
    /// web pages cannot read the preview.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WechatArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 导出到哪里（默认网站文件夹里的 wechat/，不会上传） / Where to write the exports (default: wechat/ in the site folder; not deployed).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 要导出的文章：文件路径、slug 或网址（默认全部） / Articles to export: Markdown paths (content/qa/x.md), slugs or URLs.
    ///
    /// Default: every live article.
    pub articles: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// 网站文件夹（有 site.yaml 的那个） / The site folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// site.yaml 里 `deploy:` 下的目标名（默认全部） / The target's name under `deploy:` in site.yaml (default: every target).
    pub target: Option<String>,
    /// 要上传的网站（默认 public/） / The built site to deploy (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 只列出会上传和删除什么，不做改动 / List what would be uploaded and deleted, and how many bytes; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// 逐个核对存储桶里的文件，不只信上次发布的记录 / List the store and compare every
    /// object, instead of trusting the record the last finished deploy left
    /// (finds objects changed or deleted behind pufa's back).
    #[arg(long)]
    pub verify: bool,
    /// 输出 nginx 配置（`dir` 目标） / Print an nginx server block that serves the `dir` target, and exit.
    #[arg(long)]
    pub nginx_conf: bool,
    /// 配合 --nginx-conf：`listen` 地址 / With --nginx-conf: the `listen` address (e.g. 443 ssl, 127.0.0.1:8080).
    #[arg(long, default_value = "80", requires = "nginx_conf")]
    pub listen: String,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// site.yaml 里 `deploy:` 下的目标名（默认全部） / The target's name under `deploy:` in site.yaml (default: every target).
    pub target: Option<String>,
    /// 输出文件夹（默认网站文件夹里的 public/） / Output folder (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 持续运行，到点自动发布 / Keep running: publish again whenever the site changes.
    ///
    /// Again when an article falls due or expires, when a campaign window
    /// opens or closes, at midnight while the home page counts down, and
    /// when content changes. With --now, the clock starts at that time and runs on.
    #[arg(long)]
    pub watch: bool,
    /// 逐个核对存储桶里的文件，不只信上次发布的记录 / List the store and compare every
    /// object, instead of trusting the record the last finished deploy left
    /// (--watch does so on its first run).
    #[arg(long)]
    pub verify: bool,
}

#[derive(Debug, Args)]
pub struct StatutesArgs {
    #[command(subcommand)]
    pub command: StatutesCommand,
}

#[derive(Debug, Subcommand)]
pub enum StatutesCommand {
    /// 导入法律文本（LawRefBook 格式的 Markdown） / Import a law's text.
    ///
    /// Read a law in the LawRefBook Markdown layout (`# 法律全称`, adoption
    /// lines, `<!-- INFO END -->`, `## 第X章`, `第X条 …`) and write its YAML.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The law's Markdown file; several for a law that comes in parts
    /// (民法典: 总则, 婚姻家庭编, 继承编), merged in the order of their articles.
    #[arg(required = true, value_name = "FILE.md")]
    pub files: Vec<PathBuf>,
    /// The law's key, used in URLs (`minfadian`): the file is statutes/KEY.yaml.
    /// Checked against the name of --output.
    #[arg(long)]
    pub key: Option<String>,
    /// Where to write the YAML (default: standard output). An existing file
    /// is replaced only with --force.
    #[arg(long, short, value_name = "FILE.yaml")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// The short name (default: the full name without 中华人民共和国).
    #[arg(long)]
    pub short: Option<String>,
    /// Another name citations use (`--alias 反家暴法`); repeat for more.
    #[arg(long = "alias", value_name = "NAME")]
    pub aliases: Vec<String>,
    /// The number of the law's last article, when the files hold only some
    /// of its parts (民法典: 1260). Default: the last article of the text.
    #[arg(long)]
    pub articles_total: Option<u32>,
    /// When the law took effect (YYYY-MM-DD), for a text that does not say.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub effective: Option<String>,
}
