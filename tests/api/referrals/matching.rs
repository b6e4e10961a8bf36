//! Matching through the API (issue 12): the hard filters (zone, age bounds, full, drafts and
//! suspended services, the radius, remote always in), the score (needs by priority, distance
//! against mobility), a deterministic order, exclusions kept once and undone, and who may
//! read them. Ends with a young person of Lyon matched against the imported fixtures.
use std::path::PathBuf;
use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::*;
use crate::services::{json_of, service, CV, EMPLOI, NUMERIQUE};

/// A referral of Léa (26 on t0; lives in Lyon 3e) reached, with a diagnostic saying
/// `needs` and `situation`.
async fn diagnosed(app: &TestApp, w: &World, needs: &[&str], situation: Value) -> String {
    let r = refer(app, &w.prescriber, &adult()).await;
    let id = id(&r);
    assert_eq!(take(app, &w.counsellor, &id).await.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("/api/v1/referrals/{id}/contact-attempts"),
            &w.counsellor,
            &json!({"channel": "phone", "outcome": "reached"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/referrals/{id}/diagnostic"),
            Some(&w.counsellor),
        )
        .header("if-match", "*")
        .json(&json!({"situation": situation, "needs": needs}))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::OK);
    id
}

async fn matches(app: &TestApp, token: &str, id: &str, query: &str) -> Value {
    json_of(
        app.get(&format!("/api/v1/referrals/{id}/matches?{query}"), token)
            .await,
        StatusCode::OK,
    )
    .await
}

fn noms(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["service"]["nom"].as_str().unwrap_or("").to_string())
        .collect()
}

fn item<'a>(page: &'a Value, nom: &str) -> &'a Value {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["service"]["nom"] == nom)
        .unwrap_or_else(|| panic!("{nom} not in {page}"))
}

fn criterion<'a>(m: &'a Value, code: &str) -> &'a Value {
    m["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {m}"))
}

#[actix_web::test]
async fn hard_filters_keep_only_what_the_youth_can_get() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = &w.receiver;
    let s = |nom: &str, commune: &str, extra: Value| service(nom, commune, extra);
    for (nom, commune, extra) in [
        ("Lyon, Rhône", "69123", json!({"zone_eligibilite": ["69"]})),
        ("Lyon, zone inconnue", "69123", json!({})),
        (
            "Villeurbanne seulement",
            "69266",
            json!({"zone_eligibilite": ["69266"]}),
        ),
        (
            "Isère seulement",
            "38544",
            json!({"zone_eligibilite": ["38"]}),
        ),
        ("Région ARA", "69123", json!({"zone_eligibilite": ["R84"]})),
        ("Jusqu’à 26 ans", "69123", json!({"age_max": 26})),
        ("Jusqu’à 25 ans", "69123", json!({"age_max": 25})),
        ("Dès 26 ans", "69123", json!({"age_min": 26})),
        ("Dès 27 ans", "69123", json!({"age_min": 27})),
        (
            "Complet",
            "69123",
            json!({"capacity": {"available": 0, "maximum": 10}}),
        ),
        (
            "Deux places",
            "69123",
            json!({"capacity": {"available": 2, "maximum": 10}}),
        ),
        (
            "Grenoble sur place",
            "38185",
            json!({"zone_eligibilite": ["france"]}),
        ),
        (
            "Grenoble à distance",
            "38185",
            json!({"zone_eligibilite": ["france"], "modes_accueil": ["a-distance"]}),
        ),
        ("Autre besoin", "69123", json!({"thematiques": [NUMERIQUE]})),
    ] {
        app.published(r, s(nom, commune, extra)).await;
    }
    json_of(
        app.post("/api/v1/services", r, &s("Brouillon", "69123", json!({})))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let sus = app.published(r, s("Suspendu", "69123", json!({}))).await;
    json_of(
        app.action(
            &format!(
                "/api/v1/services/{}/suspend",
                sus["id"].as_str().expect("id")
            ),
            r,
            "*",
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let id = diagnosed(&app, &w, &[EMPLOI], json!({"mobility": ["vehicule"]})).await;
    let page = matches(&app, &w.counsellor, &id, "limit=50").await;
    assert_eq!(page["age"], 26);
    assert_eq!(page["commune"], "69383");
    let mut got = noms(&page);
    got.sort();
    let mut want = vec![
        "Lyon, Rhône",
        "Lyon, zone inconnue",
        "Région ARA",
        "Jusqu’à 26 ans",
        "Dès 26 ans",
        "Deux places",
        "Grenoble à distance",
    ];
    want.sort();
    assert_eq!(got, want, "{page}");
    let unknown = item(&page, "Lyon, zone inconnue");
    assert_eq!(criterion(unknown, "zone")["met"], false);
    assert!(criterion(unknown, "zone")["text"]
        .as_str()
        .expect("text")
        .contains("non renseignée"));
    assert_eq!(unknown["service"]["eligibility"], "zone_unknown");
    assert_eq!(criterion(item(&page, "Lyon, Rhône"), "zone")["met"], true);
    let places = item(&page, "Deux places");
    assert_eq!(criterion(places, "places")["text"], "2 places disponibles");
    // Known places outrank unknown ones, everything else equal.
    assert!(places["score"].as_i64() > item(&page, "Lyon, Rhône")["score"].as_i64());
    let remote = item(&page, "Grenoble à distance");
    assert_eq!(criterion(remote, "distance")["met"], true);
    assert!(remote["distance_km"].as_f64().expect("km") > 80.0);
    let text = page.to_string();
    assert!(
        !text.contains("Claire Dubois") && !text.contains("Martin"),
        "{text}"
    );
}

#[actix_web::test]
async fn needs_by_priority_then_distance_against_mobility_in_a_stable_order() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = &w.receiver;
    for (nom, commune, th) in [
        ("Numérique Lyon", "69123", vec![NUMERIQUE]),
        ("Emploi Villeurbanne", "69266", vec![EMPLOI]),
        ("Emploi et CV Vienne", "38544", vec![EMPLOI, CV]),
        ("Jumeau A", "69123", vec![CV]),
        ("Jumeau B", "69123", vec![CV]),
    ] {
        app.published(
            r,
            service(
                nom,
                commune,
                json!({"thematiques": th, "zone_eligibilite": ["france"]}),
            ),
        )
        .await;
    }
    let id = diagnosed(
        &app,
        &w,
        &[EMPLOI, CV, NUMERIQUE],
        json!({"mobility": ["velo"]}),
    )
    .await;
    let page = matches(&app, &w.counsellor, &id, "").await;
    let vienne = item(&page, "Emploi et CV Vienne");
    let d = criterion(vienne, "distance");
    assert_eq!(d["met"], false, "{vienne}");
    assert!(d["text"].as_str().expect("text").contains("10 km"), "{d}");
    assert_eq!(
        criterion(item(&page, "Numérique Lyon"), "distance")["met"],
        true
    );
    // Emploi + CV (30 + 20) beats emploi (30) even far; the twins tie and go by id.
    let order = noms(&page);
    assert_eq!(
        &order[..2],
        ["Emploi et CV Vienne", "Emploi Villeurbanne"],
        "{page}"
    );
    assert_eq!(order[4], "Numérique Lyon");
    let twins: Vec<String> = page["items"].as_array().expect("items")[2..4]
        .iter()
        .map(|i| i["service"]["id"].as_str().expect("id").to_string())
        .collect();
    let mut sorted = twins.clone();
    sorted.sort();
    assert_eq!(twins, sorted);
    let needs: Vec<bool> = vienne["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .filter(|c| c["code"] == "need")
        .map(|c| c["met"].as_bool().expect("met"))
        .collect();
    assert_eq!(needs, [true, true, false]);
    // With a car, Vienne is within reach: it gains the distance points.
    let car = diagnosed(
        &app,
        &w,
        &[EMPLOI, CV, NUMERIQUE],
        json!({"mobility": ["vehicule"]}),
    )
    .await;
    let page2 = matches(&app, &w.counsellor, &car, "").await;
    assert_eq!(
        criterion(item(&page2, "Emploi et CV Vienne"), "distance")["met"],
        true
    );
    assert_eq!(
        item(&page2, "Emploi et CV Vienne")["score"]
            .as_i64()
            .expect("score"),
        vienne["score"].as_i64().expect("score") + 15
    );
    // Same data, same list; a smaller page is its head.
    assert_eq!(matches(&app, &w.counsellor, &id, "").await, page);
    let two = matches(&app, &w.counsellor, &id, "limit=2").await;
    assert_eq!(noms(&two), order[..2]);
    for bad in ["limit=0", "limit=51"] {
        problem(
            app.get(
                &format!("/api/v1/referrals/{id}/matches?{bad}"),
                &w.counsellor,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "invalid_limit",
        )
        .await;
    }
}

#[actix_web::test]
async fn without_a_diagnostic_matching_says_so() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = id(&r);
    problem(
        app.get(&format!("/api/v1/referrals/{id}/matches"), &w.counsellor)
            .await,
        StatusCode::CONFLICT,
        "diagnostic_required",
    )
    .await;
    let empty = diagnosed(&app, &w, &[], json!({})).await;
    problem(
        app.get(&format!("/api/v1/referrals/{empty}/matches"), &w.counsellor)
            .await,
        StatusCode::CONFLICT,
        "diagnostic_required",
    )
    .await;
}

#[actix_web::test]
async fn an_exclusion_is_kept_once_leaves_the_list_and_is_undone() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let a = app
        .published(&w.receiver, service("Emploi A", "69123", json!({})))
        .await;
    app.published(&w.receiver, service("Emploi B", "69123", json!({})))
        .await;
    let sid = a["id"].as_str().expect("id").to_string();
    let id = diagnosed(&app, &w, &[EMPLOI], json!({})).await;
    let path = format!("/api/v1/referrals/{id}/matches/exclusions");
    for (body, code) in [
        (json!({"service_id": sid, "reason": "other"}), "required"),
        (
            json!({"service_id": sid, "reason": "other", "note": " "}),
            "required",
        ),
        (
            json!({"service_id": sid, "reason": "other", "note": "x".repeat(501)}),
            "too_long",
        ),
        (
            json!({"service_id": uuid::Uuid::new_v4(), "reason": "too_far"}),
            "unknown_service",
        ),
    ] {
        let p = problem(
            app.post(&path, &w.counsellor, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_codes(&p)[0].1, code, "{p}");
    }
    problem(
        app.post(
            &path,
            &w.counsellor,
            &json!({"service_id": sid, "reason": "bof"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    let body = json!({"service_id": sid, "reason": "already_tried", "note": "Y est allée en 2025"});
    let first = json_of(
        app.post(&path, &w.counsellor, &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["reason"], "already_tried");
    assert_eq!(first["service_nom"], "Emploi A");
    // A second click (even with another reason) answers the standing one.
    let again = json_of(
        app.post(
            &path,
            &w.counsellor,
            &json!({"service_id": sid, "reason": "too_far"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again, first);
    let list = json_of(app.get(&path, &w.counsellor).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    assert_eq!(
        noms(&matches(&app, &w.counsellor, &id, "").await),
        ["Emploi B"]
    );
    let all = matches(&app, &w.counsellor, &id, "include_excluded=true").await;
    assert_eq!(item(&all, "Emploi A")["excluded"], true);
    assert_eq!(item(&all, "Emploi B")["excluded"], false);
    let events = |kind: &str| {
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = '{kind}'"
            ),
        )
    };
    assert_eq!(events("match_excluded"), 1);
    // Undo: back in the list; undoing twice is 404.
    let del = |t: &str| {
        app.req(Method::DELETE, &format!("{path}/{sid}"), Some(t))
            .send()
    };
    assert_eq!(
        del(&w.counsellor).await.expect("delete").status(),
        StatusCode::NO_CONTENT
    );
    problem(
        del(&w.counsellor).await.expect("delete"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(events("match_exclusion_removed"), 1);
    let back = matches(&app, &w.counsellor, &id, "").await;
    assert_eq!(back["items"].as_array().expect("items").len(), 2);
    assert!(
        json_of(app.get(&path, &w.counsellor).await, StatusCode::OK).await["items"]
            .as_array()
            .expect("items")
            .is_empty()
    );
    // The prescriber's timeline never shows them.
    let tl = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{id}/events"),
    )
    .await;
    assert!(!tl.to_string().contains("match_"), "{tl}");
}

#[actix_web::test]
async fn only_the_territory_s_counsellors_read_and_exclude() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let s = app
        .published(&w.receiver, service("Emploi", "69123", json!({})))
        .await;
    let sid = s["id"].as_str().expect("id").to_string();
    let id = diagnosed(&app, &w, &[EMPLOI], json!({})).await;
    let (_, c2) = elsewhere(&app).await;
    let base = format!("/api/v1/referrals/{id}/matches");
    for token in [&w.prescriber, &w.receiver, &w.pilot, &w.admin] {
        for res in [
            app.get(&base, token).await,
            app.get(&format!("{base}/exclusions"), token).await,
            app.post(
                &format!("{base}/exclusions"),
                token,
                &json!({"service_id": sid, "reason": "too_far"}),
            )
            .await,
            app.req(
                Method::DELETE,
                &format!("{base}/exclusions/{sid}"),
                Some(token),
            )
            .send()
            .await
            .expect("delete"),
        ] {
            problem(res, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    for res in [
        app.get(&base, &c2).await,
        app.get(&format!("{base}/exclusions"), &c2).await,
        app.post(
            &format!("{base}/exclusions"),
            &c2,
            &json!({"service_id": sid, "reason": "too_far"}),
        )
        .await,
    ] {
        problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let logs = count(
        &app,
        &format!("SELECT count(*) AS n FROM access_logs WHERE referral_id = '{id}' AND route LIKE '%/matches%'"),
    );
    assert_eq!(logs, 0);
    matches(&app, &w.counsellor, &id, "").await;
    let logs = count(
        &app,
        &format!("SELECT count(*) AS n FROM access_logs WHERE referral_id = '{id}' AND route LIKE '%/matches%' AND action = 'read'"),
    );
    assert_eq!(logs, 1);
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/offer")).join(name)
}

/// Done when: a counsellor gets relevant, explained matches for a real-looking young
/// person in Lyon from an imported offer (the committed data·inclusion fixtures).
#[actix_web::test]
async fn a_youth_in_lyon_gets_explained_matches_from_the_imported_offer() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let files: Vec<PathBuf> = [
        "structures-inclusion-2026-11-24.json",
        "structures-inclusion-2026-11-24.csv",
        "services-inclusion-2026-11-24.json",
        "services-inclusion-2026-11-24.csv",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    sas_api::jobs::import::import_files(
        &mut app.db(),
        &files,
        sas_api::clock::Clock::now(&app.clock),
        None,
        Arc::new(|_: &str, _: u64, _: u64| {}),
        &mut |_, _| Ok(()),
    )
    .expect("import");
    // Léa, 26, Lyon 3e: wants a job first, then to be at ease with computers; takes the
    // tram, has a phone and a laptop.
    let id = diagnosed(
        &app,
        &w,
        &[EMPLOI, NUMERIQUE],
        json!({"mobility": ["transports_en_commun"], "digital_access": "autonome", "housing": "tiers"}),
    )
    .await;
    let page = matches(&app, &w.counsellor, &id, "").await;
    // Remobilisation (Lyon, Rhône) answers her first need; the remote workshops of the
    // Métropole her second; Garantie jeunes is for Villeurbanne's residents only, the
    // driving licence and the homework help answer none of her needs.
    assert_eq!(
        noms(&page),
        [
            "Remobilisation vers l’emploi",
            "Ateliers numériques à distance"
        ],
        "{page}"
    );
    let first = &page["items"][0];
    let texts: Vec<(String, bool)> = first["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| {
            (
                c["text"].as_str().expect("text").to_string(),
                c["met"].as_bool().expect("met"),
            )
        })
        .collect();
    assert_eq!(
        texts[0],
        (
            "Répond au besoin n° 1 : Répondre à des offres d’emploi".to_string(),
            true
        )
    );
    assert!(!texts[1].1, "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|(t, m)| *m && t.starts_with("Zone d’éligibilité : couvre")),
        "{texts:?}"
    );
    let second = &page["items"][1];
    assert_eq!(
        criterion(second, "distance")["text"],
        "À distance : pas de déplacement"
    );
    assert_eq!(criterion(second, "reception")["met"], true);
    assert!(first["score"].as_i64() > second["score"].as_i64());
}
