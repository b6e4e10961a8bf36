//! Reusable pieces of the interface, in DSFR markup.
pub mod badges;
pub mod charts;
pub mod commune;
pub mod feedback;
pub mod fields;
pub mod layout;
pub mod link;
pub mod list;
pub mod table;
pub mod thematiques;
