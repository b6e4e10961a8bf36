//! Prints the statement `GET /api/v1/services/search` sends for a search near a commune with
//! thematiques, values written in, so `scripts/bench-offer.py` can EXPLAIN it
//! (docs/PERFORMANCE.md).
//!
//! Usage: offer_sql LAT LON RADIUS_KM ZONE_KEYS THEMATIQUES [general]   (comma-separated
//! lists; `general`: the statement of any search, which the common one replaced)
use sas_api::db::services::{general_search_sql, search_sql, Search};
use sas_api::domain::service::geo::bounding_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = |i: usize| -> Vec<String> {
        args.get(i)
            .map(|s| {
                s.split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let num = |i: usize| args.get(i).and_then(|s| s.parse::<f64>().ok());
    let (Some(lat), Some(lon), Some(radius_km)) = (num(0), num(1), num(2)) else {
        eprintln!("usage: offer_sql LAT LON RADIUS_KM ZONE_KEYS THEMATIQUES [general]");
        std::process::exit(2);
    };
    let p = Search {
        lat,
        lon,
        radius_km,
        bbox: bounding_box(lat, lon, radius_km),
        zone_keys: list(3),
        thematiques: list(4),
        publics: vec![],
        types: vec![],
        frais: vec![],
        modes: vec![],
        age: None,
        q: None,
        not_full: false,
        exclude: vec![],
        after: None,
        limit: 21,
    };
    let sql = if args.get(5).map(String::as_str) == Some("general") {
        general_search_sql(&p)
    } else {
        search_sql(&p)
    };
    println!("{}", sql.inline(|_| None));
}
