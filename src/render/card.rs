//! Article cards on list pages, each made once per build.
//!
//! One article shows on many list pages (its section, every tag and law it
//! has, the home page): a 10,000-article site has about 100,000 cards across
//! its lists but only 10,000 distinct ones. So each card's data is
//! serialised once ([`Cards`]) and, for themes that show cards with the
//! `card` filter (`{{ a | card }}`), its HTML from `card.html` is rendered
//! once and then reused by every list page.

use std::sync::{Arc, OnceLock};

use minijinja::value::{Enumerator, Object};
use minijinja::{Error, State, Value, context};

use super::views;
use crate::site::Site;

/// The cards of a site's articles, by article index, made when first needed.
#[derive(Clone)]
pub(super) struct Cards<'s> {
    site: &'s Site,
    made: Arc<Vec<OnceLock<Value>>>,
}

impl<'s> Cards<'s> {
    pub(super) fn new(site: &'s Site) -> Self {
        let made = (0..site.articles.len()).map(|_| OnceLock::new()).collect();
        Cards {
            site,
            made: Arc::new(made),
        }
    }

    pub(super) fn get(&self, i: usize) -> Value {
        self.made[i]
            .get_or_init(|| {
                Value::from_object(Card {
                    fields: Value::from_serialize(views::card(self.site, &self.site.articles[i])),
                    html: OnceLock::new(),
                })
            })
            .clone()
    }

    /// The cards made so far, to free them elsewhere (see `crate::free::later`).
    pub(super) fn values(&self) -> Arc<Vec<OnceLock<Value>>> {
        Arc::clone(&self.made)
    }

    pub(super) fn of(&self, articles: &[usize]) -> Vec<Value> {
        articles.iter().map(|&i| self.get(i)).collect()
    }
}

/// One card as templates see it: the fields of [`views::ArticleCard`], and
/// its HTML once the `card` filter has rendered it.
#[derive(Debug)]
struct Card {
    fields: Value,
    html: OnceLock<Value>,
}

impl Object for Card {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.fields.get_attr(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // The keys as a list, so `length` and iteration work as on a map.
        Enumerator::Values(
            self.fields
                .try_iter()
                .map(Iterator::collect)
                .unwrap_or_default(),
        )
    }
}

/// The `card` filter: `{{ a | card }}` shows article card `a` with the
/// theme's `card.html`, which sees `a` and `site`. Cards of the site's
/// articles are rendered once per build; anything else is rendered each time.
pub(super) fn card_filter(state: &State<'_, '_>, a: Value) -> Result<Value, Error> {
    let cached = a.downcast_object_ref::<Card>();
    if let Some(html) = cached.and_then(|c| c.html.get()) {
        return Ok(html.clone());
    }
    let html = Value::from_safe_string(
        state
            .env()
            .get_template("card.html")?
            .render(context! { a => &a, site => state.lookup("site") })?,
    );
    Ok(match cached {
        Some(card) => card.html.get_or_init(|| html).clone(),
        None => html,
    })
}
