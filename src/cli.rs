//! Command-line arguments: one struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "pufa",
    version,
    about = "普法: build a legal-education website from Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Create a new site with a working example article.
    Init(InitArgs),
    /// Show what goes out when: awareness days, publications, expiries.
    Schedule(ScheduleArgs),
    /// Start a new article (a draft with complete front matter).
    New(NewArgs),
    /// Report everything wrong with the site, without writing anything.
    Check(CheckArgs),
    /// Preview the site: serve it locally, rebuild and reload on every save.
    Serve(ServeArgs),
    /// Export articles for pasting into the WeChat Official Account (公众号) editor.
    Wechat(WechatArgs),
    /// Put the built site (public/) on the targets under `deploy:` in site.yaml.
    Deploy(DeployArgs),
    /// Build and deploy in one go; with --watch, keep doing it on schedule.
    Publish(PublishArgs),
    /// Law texts: make a site's statutes/<key>.yaml from a law's official text.
    Statutes(StatutesArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Build as if it were this time (RFC 3339 or `YYYY-MM-DD HH:MM` in the site's time zone).
    #[arg(long, env = "PUFA_NOW")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include drafts (for previews; never deploy such a build).
    #[arg(long)]
    pub drafts: bool,
    /// Override base_url from site.yaml (e.g. for a staging host).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the site (must be empty or not exist).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How many days ahead to look.
    #[arg(long, default_value_t = 60)]
    pub days: i64,
    /// Print only the next instant the built site changes (RFC 3339), or nothing.
    #[arg(long)]
    pub next: bool,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the plan as an iCalendar file (for phone calendars).
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// SECTION/NAME, e.g. `qa/baohuling` (creates content/qa/baohuling.md).
    pub path: String,
    /// The article's title (default: NAME).
    #[arg(long)]
    pub title: Option<String>,
    /// Awareness day key; the date becomes its next occurrence at the publish time.
    #[arg(long)]
    pub campaign: Option<String>,
    /// Publish date (`2026-12-04 08:00`); overrides the campaign's date.
    #[arg(long)]
    pub date: Option<String>,
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
    /// `text` (compiler-style lines) or `json` (for tools).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// List every warning, not only the first 3 of each kind.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address to listen on; loopback by default, so only this computer sees the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port (0 picks a free one). 12338 is the women's rights hotline.
    #[arg(long, default_value_t = 12338)]
    pub port: u16,
    /// Show drafts, marked as such.
    #[arg(long)]
    pub drafts: bool,
    /// Show scheduled (future) articles, marked as such.
    #[arg(long)]
    pub future: bool,
    /// Also answer requests addressed to this name (e.g. a name for this
    /// computer on the local network); `localhost` and IP addresses always work.
    /// Others are refused, so that web pages cannot read the preview.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WechatArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the exports (default: wechat/ in the site folder; not deployed).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Articles to export: Markdown paths (content/qa/x.md), slugs or URLs.
    /// Default: every live article.
    pub articles: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The site folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The target's name under `deploy:` in site.yaml (default: every target).
    pub target: Option<String>,
    /// The built site to deploy (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// List what would be uploaded and deleted, and how many bytes; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print an nginx server block that serves the `dir` target, and exit.
    #[arg(long)]
    pub nginx_conf: bool,
    /// With --nginx-conf: the `listen` address (e.g. 443 ssl, 127.0.0.1:8080).
    #[arg(long, default_value = "80", requires = "nginx_conf")]
    pub listen: String,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The target's name under `deploy:` in site.yaml (default: every target).
    pub target: Option<String>,
    /// Output folder (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Keep running: publish again when an article falls due or expires,
    /// at midnight while the home page counts down, and when content changes.
    /// With --now, the clock starts at that time and runs on.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct StatutesArgs {
    #[command(subcommand)]
    pub command: StatutesCommand,
}

#[derive(Debug, Subcommand)]
pub enum StatutesCommand {
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
