//! Lists of rows that work on a phone: a table on wide screens, one card per row below
//! 48em (each cell then shows its column's name). The row's title cell comes first on the
//! card and its action spans the card's width, so nothing scrolls sideways.
use yew::prelude::*;

/// What a column holds; it decides the cell's place on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The row's name (a link to it): the card's title.
    Title,
    /// A value, shown on the card after its column's name.
    Value,
    /// The row's action (a button): full width at the bottom of the card.
    Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub kind: Kind,
}

pub const fn title(header: &'static str) -> Column {
    Column {
        header,
        kind: Kind::Title,
    }
}

pub const fn value(header: &'static str) -> Column {
    Column {
        header,
        kind: Kind::Value,
    }
}

pub const fn action(header: &'static str) -> Column {
    Column {
        header,
        kind: Kind::Action,
    }
}

/// One row: its cells, in the order of the columns.
pub struct Row {
    pub key: String,
    pub class: Classes,
    pub cells: Vec<Html>,
}

impl Row {
    pub fn new(key: impl ToString, cells: Vec<Html>) -> Row {
        Row {
            key: key.to_string(),
            class: Classes::new(),
            cells,
        }
    }

    pub fn with_class(mut self, class: impl Into<Classes>) -> Row {
        self.class = class.into();
        self
    }
}

/// The table. The explicit roles keep the table's semantics when the cards restyle it.
pub fn data_table(id: &str, caption: String, columns: &[Column], rows: Vec<Row>) -> Html {
    html! {
        <div class="sas-table">
            <table id={id.to_string()} role="table">
                <caption>{ caption }</caption>
                <thead role="rowgroup">
                    <tr role="row">
                        { for columns.iter().map(|c| html! { <th scope="col" role="columnheader">{ c.header }</th> }) }
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    { for rows.into_iter().map(|r| html! {
                        <tr key={r.key} class={r.class} role="row">
                            { for columns.iter().zip(r.cells).map(|(c, cell)| cell_of(c, cell)) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn cell_of(c: &Column, cell: Html) -> Html {
    let class = match c.kind {
        Kind::Title => "sas-cell sas-cell--title",
        Kind::Value => "sas-cell",
        Kind::Action => "sas-cell sas-cell--action",
    };
    html! {
        <td class={class} role="cell">
            if c.kind == Kind::Value {
                <span class="sas-cell__label" aria-hidden="true">{ c.header }</span>
            }
            <div class="sas-cell__value">{ cell }</div>
        </td>
    }
}
