//! When an article is in the output: a pure function of its dates and `now`.
//!
//! An article is live when it is not a draft, its `date` has come
//! (`date <= now`) and it has not expired (`now < expires`). Comparisons are
//! between instants, so the offset `now` was written in does not matter.

use jiff::Timestamp;

use crate::content::FrontMatter;

/// What the build includes beyond live articles (serve's preview switches).
#[derive(Debug, Clone, Copy, Default)]
pub struct Visibility {
    pub drafts: bool,
    pub future: bool,
}

/// Why an article is or is not in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Live,
    Draft,
    Scheduled,
    Expired,
}

pub fn status(front: &FrontMatter, now: Timestamp) -> Status {
    if front.draft {
        return Status::Draft;
    }
    match (&front.date, &front.expires) {
        (Some(date), _) if date.timestamp() > now => Status::Scheduled,
        (_, Some(expires)) if expires.timestamp() <= now => Status::Expired,
        (None, _) => Status::Draft,
        _ => Status::Live,
    }
}

/// True when the article goes into this build's output.
pub fn is_visible(status: Status, visibility: Visibility) -> bool {
    match status {
        Status::Live => true,
        Status::Draft => visibility.drafts,
        Status::Scheduled => visibility.future,
        Status::Expired => false,
    }
}
