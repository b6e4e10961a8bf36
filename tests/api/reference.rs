use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::*;

async fn names(app: &TestApp, q: &str) -> Vec<String> {
    let admin = app.admin().await;
    let v: Value = app
        .get(&format!("/api/v1/communes?q={q}&limit=5"), &admin)
        .await
        .json()
        .await
        .unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn communes_are_found_by_name_without_accents_best_match_first() {
    let app = TestApp::spawn().await;
    assert_eq!(names(&app, "saint%20etienne").await[0], "Saint-Étienne");
    assert_eq!(names(&app, "SAINT-ÉTIENNE").await[0], "Saint-Étienne");
    assert_eq!(
        names(&app, "lyon").await[0],
        "Lyon",
        "the exact name comes first"
    );
    assert!(names(&app, "villeurb")
        .await
        .contains(&"Villeurbanne".to_string()));
    assert_eq!(names(&app, "zzzzqqq").await, Vec::<String>::new());
}

#[actix_web::test]
async fn communes_are_found_by_postal_code_and_insee_code() {
    let app = TestApp::spawn().await;
    assert_eq!(names(&app, "69003").await[0], "Lyon 3e Arrondissement");
    assert_eq!(names(&app, "69100").await[0], "Villeurbanne");
    assert_eq!(names(&app, "2A004").await[0], "Ajaccio");
    let some = names(&app, "690").await;
    assert_eq!(some.len(), 5, "a postal prefix lists several communes");
}

#[actix_web::test]
async fn the_reference_table_is_complete() {
    use diesel::{QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Counts {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        communes: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        arrondissements: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        lyon_epci: i64,
    }
    let app = TestApp::spawn().await;
    let c: Counts = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE kind = 'commune') AS communes, \
                count(*) FILTER (WHERE kind = 'arrondissement') AS arrondissements, \
                count(*) FILTER (WHERE epci = '200046977' AND kind = 'commune') AS lyon_epci FROM communes",
    )
    .get_result(&mut app.db())
    .unwrap();
    assert!(c.communes > 34_000, "{} communes", c.communes);
    assert_eq!(c.arrondissements, 20 + 9 + 16);
    assert_eq!(c.lyon_epci, 58);
}

#[actix_web::test]
async fn vocabularies_carry_the_data_inclusion_codes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let v: Value = app
        .get("/api/v1/vocabularies/typologies-de-structures", &admin)
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    for c in [
        "ASE", "SPIP", "PJJ", "ML", "FT", "E2C", "EPIDE", "CD", "CCAS", "CHRS", "ASSO",
    ] {
        assert!(codes.contains(&c), "{c}");
    }
    problem(
        app.get("/api/v1/vocabularies/nope", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[actix_web::test]
async fn the_spec_and_its_documentation_page_are_served() {
    let app = TestApp::spawn().await;
    let spec: Value = app
        .req(Method::GET, "/api/openapi.json", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let res = app
        .req(Method::GET, "/api/docs", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    let res = app
        .req(Method::GET, "/api/docs/", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger"), "bundled Swagger UI");
    assert!(!html.contains("https://"), "no asset from a CDN");
}
