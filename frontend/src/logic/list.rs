//! The state of a paged list (rows, next cursor, loading, error) and its transitions. The hook
//! `hooks::use_paged_list` drives it; every list page shares it.

/// One page of a keyset-paginated list, whatever the resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListState<T> {
    pub items: Vec<T>,
    /// Cursor of the next page, `None` on the last one.
    pub next: Option<String>,
    pub loading: bool,
    pub error: Option<String>,
    /// At least one answer arrived (an empty list is then really empty).
    pub loaded: bool,
    /// Number of the latest request: answers to earlier ones are dropped.
    seq: u32,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            items: Vec::new(),
            next: None,
            loading: true,
            error: None,
            loaded: false,
            seq: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ListAction<T> {
    /// Request number `seq` was sent (a first page or the next one).
    Sent {
        seq: u32,
    },
    /// The answer to request `seq`.
    Loaded {
        seq: u32,
        append: bool,
        page: Paged<T>,
    },
    Failed {
        seq: u32,
        message: String,
    },
}

impl<T: Clone> ListState<T> {
    pub fn apply(&self, action: ListAction<T>) -> ListState<T> {
        let mut s = self.clone();
        match action {
            ListAction::Sent { seq } => {
                s.seq = seq;
                s.loading = true;
            }
            ListAction::Loaded { seq, append, page } if seq == s.seq => {
                if !append {
                    s.items.clear();
                }
                s.items.extend(page.items);
                s.next = page.next_cursor;
                s.loading = false;
                s.loaded = true;
                s.error = None;
            }
            ListAction::Failed { seq, message } if seq == s.seq => {
                s.error = Some(message);
                s.loading = false;
                s.loaded = true;
            }
            // The answer of a request that a newer one replaced.
            ListAction::Loaded { .. } | ListAction::Failed { .. } => {}
        }
        s
    }

    /// Nothing to show yet: the first answer is awaited.
    pub fn first_load(&self) -> bool {
        self.loading && self.items.is_empty()
    }

    /// Loaded, without error, and empty.
    pub fn is_empty(&self) -> bool {
        self.loaded && !self.loading && self.items.is_empty() && self.error.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: &[u32], next: Option<&str>) -> Paged<u32> {
        Paged {
            items: items.to_vec(),
            next_cursor: next.map(str::to_string),
        }
    }

    #[test]
    fn a_first_page_replaces_and_a_next_page_appends() {
        let s = ListState::default();
        assert!(s.first_load());
        let s = s.apply(ListAction::Sent { seq: 1 });
        let s = s.apply(ListAction::Loaded {
            seq: 1,
            append: false,
            page: page(&[1, 2], Some("c2")),
        });
        assert_eq!(s.items, vec![1, 2]);
        assert_eq!(s.next.as_deref(), Some("c2"));
        assert!(!s.loading && !s.first_load() && !s.is_empty());
        let s = s.apply(ListAction::Sent { seq: 2 });
        assert!(
            s.loading && !s.first_load(),
            "rows stay on screen while more load"
        );
        let s = s.apply(ListAction::Loaded {
            seq: 2,
            append: true,
            page: page(&[3], None),
        });
        assert_eq!(s.items, vec![1, 2, 3]);
        assert_eq!(s.next, None);
        let s = s.apply(ListAction::Sent { seq: 3 });
        let s = s.apply(ListAction::Loaded {
            seq: 3,
            append: false,
            page: page(&[], None),
        });
        assert!(s.items.is_empty() && s.is_empty());
    }

    #[test]
    fn an_answer_to_a_superseded_request_is_dropped() {
        let s = ListState::default()
            .apply(ListAction::Sent { seq: 1 })
            .apply(ListAction::Sent { seq: 2 });
        // The filters changed while request 1 was out: its answer must not show.
        let s = s.apply(ListAction::Loaded {
            seq: 1,
            append: false,
            page: page(&[9], None),
        });
        assert!(s.items.is_empty() && s.loading);
        let s = s.apply(ListAction::Failed {
            seq: 1,
            message: "old".into(),
        });
        assert_eq!(s.error, None);
        let s = s.apply(ListAction::Loaded {
            seq: 2,
            append: false,
            page: page(&[4], None),
        });
        assert_eq!(s.items, vec![4]);
    }

    #[test]
    fn a_failure_keeps_the_rows_and_the_next_success_clears_it() {
        let s = ListState::default()
            .apply(ListAction::Sent { seq: 1 })
            .apply(ListAction::Loaded {
                seq: 1,
                append: false,
                page: page(&[1], Some("c")),
            })
            .apply(ListAction::Sent { seq: 2 })
            .apply(ListAction::Failed {
                seq: 2,
                message: "Le service ne répond pas.".into(),
            });
        assert_eq!(s.items, vec![1]);
        assert_eq!(s.error.as_deref(), Some("Le service ne répond pas."));
        assert!(!s.loading && !s.is_empty());
        let s = s
            .apply(ListAction::Sent { seq: 3 })
            .apply(ListAction::Loaded {
                seq: 3,
                append: false,
                page: page(&[], None),
            });
        assert_eq!(s.error, None);
        assert!(s.is_empty());
    }
}
