//! Campaigns: the live articles of each awareness day.

use super::*;

pub(super) fn campaigns(config: &Config, articles: &[Article]) -> Vec<Campaign> {
    config
        .calendar
        .iter()
        .map(|day| Campaign {
            day: day.clone(),
            url: config.url(&format!("campaigns/{}/", day.key)),
            articles: articles
                .iter()
                .enumerate()
                .filter(|(_, a)| a.front.campaign.as_deref() == Some(day.key.as_str()))
                .map(|(i, _)| i)
                .collect(),
        })
        .collect()
}
