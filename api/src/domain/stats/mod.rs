//! Steering (issue 14): the rules of the statistics, apart from the queries. Periods and
//! cohorts (`period`), what of a figure may be shown (`disclosure`), the verdict against a
//! target (`verdict`), and the indicators' definitions, written once (`definitions`).
pub mod definitions;
pub mod disclosure;
pub mod indicators;
pub mod period;
pub mod verdict;
