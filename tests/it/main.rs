//! Integration tests: each builds a small fixture site through the real
//! `pufa` binary and checks what a user would see (files, feeds, messages).

mod s3;
mod support;

mod aliases;
mod browser;
mod build;
mod campaigns;
mod catalogue;
mod confine;
mod cost;
mod deploy_dir;
mod deploy_s3;
mod errors;
mod feeds;
mod first_hour;
mod golden;
mod hostile;
mod init;
mod law_checks;
mod links;
mod markdown;
mod modules;
mod output;
mod phones;
mod print;
mod properties;
mod schedule;
mod search;
mod serve;
mod statutes;
mod statutes_import;
mod subscribe;
mod wechat;
mod xss;
