use super::*;

async fn search(app: &TestApp, query: &str) -> Value {
    json_of(
        app.anon(&format!("/api/v1/services/search?{query}")).await,
        StatusCode::OK,
    )
    .await
}

fn noms(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["nom"].as_str().unwrap_or("").to_string())
        .collect()
}

#[actix_web::test]
async fn a_visitor_finds_services_near_villeurbanne_nearest_first_never_drafts_nor_personal_data() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = &w.receiver;
    app.published(
        r,
        service(
            "Emploi Villeurbanne",
            "69266",
            json!({"capacity": {"available": 4, "maximum": 10}}),
        ),
    )
    .await;
    app.published(r, service("Emploi Lyon 3e", "69383", json!({})))
        .await;
    app.published(
        r,
        service(
            "Grenoble en personne",
            "38185",
            json!({"zone_eligibilite": ["france"]}),
        ),
    )
    .await;
    app.published(
        r,
        service(
            "Grenoble à distance",
            "38185",
            json!({"zone_eligibilite": ["france"], "modes_accueil": ["a-distance"]}),
        ),
    )
    .await;
    app.published(
        r,
        service(
            "Vienne, Isère seulement",
            "38544",
            json!({"zone_eligibilite": ["38"]}),
        ),
    )
    .await;
    json_of(
        app.post(
            "/api/v1/services",
            r,
            &service("Brouillon", "69266", json!({})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let s = app
        .published(r, service("Suspendu", "69266", json!({})))
        .await;
    json_of(
        app.action(
            &format!("/api/v1/services/{}/suspend", s["id"].as_str().expect("id")),
            r,
            "*",
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let page = search(&app, "commune=69266").await;
    assert_eq!(
        noms(&page),
        [
            "Emploi Villeurbanne",
            "Emploi Lyon 3e",
            "Grenoble à distance"
        ]
    );
    let items = page["items"].as_array().expect("items");
    assert_eq!(items[0]["distance_km"], 0.0);
    let d = items[1]["distance_km"].as_f64().expect("distance");
    assert!((1.0..6.0).contains(&d), "Lyon 3e is a few km away: {d}");
    assert!(items[2]["distance_km"].as_f64().expect("distance") > 80.0);
    assert_eq!(items[0]["eligibility"], "zone_unknown");
    assert_eq!(items[2]["eligibility"], "eligible");
    assert_eq!(items[0]["capacity"]["available"], 4);
    assert!(items[1]["capacity"].is_null());
    assert_eq!(items[0]["date_maj"], "2026-03-02");
    assert_eq!(items[0]["structure"]["nom"], "E2C test");
    let text = page.to_string();
    assert!(
        !text.contains("Claire Dubois") && !text.contains("contact_nom_prenom"),
        "{text}"
    );
    assert!(!text.contains("\"status\""));
    // A wider radius reaches Grenoble in person; a point near Villeurbanne works too.
    let wide = search(&app, "commune=69266&radius_km=120").await;
    assert!(noms(&wide).contains(&"Grenoble en personne".to_string()));
    let point = search(&app, "lat=45.7667&lon=4.8803").await;
    assert_eq!(point["commune"], "69266");
    assert_eq!(noms(&point), noms(&page));
}

#[actix_web::test]
async fn the_zone_covers_the_commune_its_parent_epci_departement_region_and_france_only() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for (nom, zone) in [
        ("Arrondissement", json!(["69383"])),
        ("Commune parente", json!(["69123"])),
        ("Métropole", json!(["200046977"])),
        ("Rhône", json!(["69"])),
        ("Région", json!(["R84"])),
        ("France", json!(["france"])),
        ("Sans zone", json!([])),
        ("Autre arrondissement", json!(["69384"])),
        ("Vaucluse", json!(["84"])),
        ("Autre région", json!(["R11"])),
        ("Villeurbanne seulement", json!(["69266"])),
    ] {
        app.published(
            &w.receiver,
            service(nom, "69383", json!({"zone_eligibilite": zone})),
        )
        .await;
    }
    let page = search(&app, "commune=69383&limit=100").await;
    let mut got = noms(&page);
    got.sort();
    assert_eq!(
        got,
        [
            "Arrondissement",
            "Commune parente",
            "France",
            "Métropole",
            "Rhône",
            "Région",
            "Sans zone"
        ]
    );
    for i in page["items"].as_array().expect("items") {
        let want = if i["nom"] == "Sans zone" {
            "zone_unknown"
        } else {
            "eligible"
        };
        assert_eq!(i["eligibility"], want, "{}", i["nom"]);
    }
}

#[actix_web::test]
async fn age_bounds_are_inclusive_and_absent_bounds_open() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    app.published(
        &w.receiver,
        service("16-25", "69266", json!({"age_min": 16, "age_max": 25})),
    )
    .await;
    app.published(
        &w.receiver,
        service("Dès 18 ans", "69266", json!({"age_min": 18})),
    )
    .await;
    app.published(&w.receiver, service("Tous âges", "69266", json!({})))
        .await;
    let sorted = |p: &Value| {
        let mut n = noms(p);
        n.sort();
        n
    };
    assert_eq!(
        sorted(&search(&app, "commune=69266&age=16").await),
        ["16-25", "Tous âges"]
    );
    assert_eq!(
        sorted(&search(&app, "commune=69266&age=25").await),
        ["16-25", "Dès 18 ans", "Tous âges"]
    );
    assert_eq!(
        sorted(&search(&app, "commune=69266&age=26").await),
        ["Dès 18 ans", "Tous âges"]
    );
    assert_eq!(
        sorted(&search(&app, "commune=69266&age=15").await),
        ["Tous âges"]
    );
}

#[actix_web::test]
async fn free_text_ignores_accents_case_and_plurals_and_ranks_before_distance() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    app.published(
        &w.receiver,
        service(
            "Atelier numérique",
            "69266",
            json!({"description": "Apprendre à se servir d’un ordinateur."}),
        ),
    )
    .await;
    app.published(
        &w.receiver,
        service(
            "Accompagnement",
            "69383",
            json!({"description": "Des ateliers numériques chaque semaine, et un accompagnement."}),
        ),
    )
    .await;
    app.published(
        &w.receiver,
        service(
            "Cuisine",
            "69266",
            json!({"description": "Cuisine solidaire."}),
        ),
    )
    .await;
    let page = search(&app, "commune=69266&q=ATELIERS%20numeriques").await;
    // The name weighs more than the description: the better match comes first.
    assert_eq!(noms(&page), ["Atelier numérique", "Accompagnement"]);
    assert!(page["items"][0]["distance_km"].as_f64() < page["items"][1]["distance_km"].as_f64());
    let page = search(&app, "commune=69383&q=ordinateurs").await;
    assert_eq!(noms(&page), ["Atelier numérique"]);
    assert_eq!(
        noms(&search(&app, "commune=69266&q=plomberie").await),
        Vec::<String>::new()
    );
}

#[actix_web::test]
async fn filters_combine_with_and_and_codes_within_a_filter_with_or() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    app.published(&w.receiver, service("Emploi gratuit", "69266", json!({})))
        .await;
    app.published(
        &w.receiver,
        service(
            "CV payant",
            "69266",
            json!({"thematiques": [CV], "frais": "payant", "type": "atelier"}),
        ),
    )
    .await;
    app.published(&w.receiver, service("Numérique à distance", "69266", json!({"thematiques": [NUMERIQUE], "modes_accueil": ["a-distance"], "publics": ["tous-publics"]}))).await;
    let q = |s: &str| format!("commune=69266&{s}");
    let sorted = |p: &Value| {
        let mut n = noms(p);
        n.sort();
        n
    };
    assert_eq!(
        sorted(&search(&app, &q(&format!("thematiques={EMPLOI},{CV}"))).await),
        ["CV payant", "Emploi gratuit"]
    );
    assert_eq!(
        noms(&search(&app, &q(&format!("thematiques={EMPLOI},{CV}&frais=payant"))).await),
        ["CV payant"]
    );
    assert_eq!(noms(&search(&app, &q("type=atelier")).await), ["CV payant"]);
    assert_eq!(
        noms(&search(&app, &q("modes_accueil=a-distance")).await),
        ["Numérique à distance"]
    );
    assert_eq!(
        noms(&search(&app, &q("publics=jeunes&frais=gratuit")).await),
        ["Emploi gratuit"]
    );
    // Out of the declared bounds: 400; unknown codes, a missing place, an unknown commune:
    // 422; each said precisely.
    let (bad, invalid) = (StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY);
    for (query, field, status, code) in [
        (
            format!("commune=69266&q={}", "a".repeat(201)),
            "q",
            bad,
            "invalid_query",
        ),
        (
            "commune=69266&radius_km=500".into(),
            "radius_km",
            bad,
            "invalid_query",
        ),
        (
            "commune=69266&thematiques=emploi".into(),
            "thematiques",
            invalid,
            "validation_failed",
        ),
        (
            "thematiques=x".into(),
            "commune",
            invalid,
            "validation_failed",
        ),
        (
            "commune=00000".into(),
            "commune",
            invalid,
            "validation_failed",
        ),
        ("lat=45.7".into(), "commune", invalid, "validation_failed"),
    ] {
        let res = app.anon(&format!("/api/v1/services/search?{query}")).await;
        let p = problem(res, status, code).await;
        assert_eq!(p["errors"][0]["field"], field, "{query}");
    }
    problem(
        app.anon("/api/v1/services/search?commune=69266&limit=101")
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
}

#[actix_web::test]
async fn pages_follow_the_distance_order_and_stay_stable_when_services_are_added() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for (n, c) in [
        ("Service A", "69266"),
        ("Service B", "69383"),
        ("Service C", "69123"),
        ("Service D", "69256"),
        ("Service E", "69266"),
    ] {
        app.published(&w.receiver, service(n, c, json!({}))).await;
    }
    let all = noms(&search(&app, "commune=69266&limit=100").await);
    assert_eq!(all.len(), 5);
    let first = search(&app, "commune=69266&limit=2").await;
    let cursor = first["next_cursor"].as_str().expect("more").to_string();
    // A service added meanwhile lands where it sorts; nothing is repeated or skipped.
    app.published(&w.receiver, service("Service F", "69266", json!({})))
        .await;
    let mut seen = noms(&first);
    let mut next = Some(cursor);
    while let Some(c) = next {
        let p = search(&app, &format!("commune=69266&limit=2&cursor={c}")).await;
        seen.extend(noms(&p));
        next = p["next_cursor"].as_str().map(str::to_string);
    }
    let after = noms(&search(&app, "commune=69266&limit=100").await);
    assert_eq!(after.len(), 6);
    assert_eq!(seen, after);
    assert_eq!(&seen[..2], &all[..2]);
}

#[actix_web::test]
async fn anonymous_callers_are_rate_limited_per_address_with_retry_after() {
    let app = TestApp::spawn_with(&[("SAS_PUBLIC_RATE_PER_MINUTE", "3")]).await;
    let admin = app.admin().await;
    for path in [
        "/api/v1/vocabularies/thematiques",
        "/api/v1/communes?q=lyon",
        "/api/v1/services/search?commune=69266",
    ] {
        json_of(app.anon(path).await, StatusCode::OK).await;
    }
    let res = app.anon("/api/v1/services/export").await;
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry));
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // A caller with a token is not counted; a bad token is no way around the limit.
    json_of(
        app.get("/api/v1/services/search?commune=69266", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    problem(
        app.get("/api/v1/services/search?commune=69266", "forged")
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // The next minute starts afresh.
    app.clock.advance(chrono::Duration::seconds(61));
    json_of(app.anon("/api/v1/communes/69266").await, StatusCode::OK).await;
}

#[actix_web::test]
async fn remote_services_follow_their_edits_in_a_search_by_thematique() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let body = |zone: Value| {
        service(
            "Emploi en visio",
            "38185",
            json!({"modes_accueil": ["a-distance"], "zone_eligibilite": zone}),
        )
    };
    let s = app.published(&w.receiver, body(json!(["38"]))).await;
    let path = format!("/api/v1/services/{}", s["id"].as_str().expect("id"));
    let q = format!("commune=69266&thematiques={EMPLOI}");
    assert_eq!(
        noms(&search(&app, &q).await),
        Vec::<String>::new(),
        "Isère only"
    );
    json_of(
        app.put_json(&path, &w.receiver, "*", &body(json!(["69"])))
            .await,
        StatusCode::OK,
    )
    .await;
    let page = search(&app, &q).await;
    assert_eq!(noms(&page), ["Emploi en visio"]);
    assert!(
        page["items"][0]["distance_km"].as_f64().expect("distance") > 80.0,
        "remote: any distance"
    );
    json_of(
        app.action(&format!("{path}/suspend"), &w.receiver, "*")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        noms(&search(&app, &q).await),
        Vec::<String>::new(),
        "suspended"
    );
}

#[actix_web::test]
async fn a_search_by_place_and_thematiques_pages_as_the_general_statement_does() {
    // Place + thematiques alone is answered from the search tables (the common statement);
    // a filter every published service meets (`modes_accueil`: each has one) forces the general
    // statement. Same pages, same order, same distances: in person within the radius,
    // remote whatever the distance, a service both in person and remote once.
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for (n, c, extra) in [
        ("Proche", "69266", json!({})),
        ("Lyon 3e", "69383", json!({})),
        ("Loin en personne", "38185", json!({})),
        (
            "Loin à distance",
            "38185",
            json!({"modes_accueil": ["a-distance"], "zone_eligibilite": ["69"]}),
        ),
        (
            "Les deux",
            "69123",
            json!({"modes_accueil": ["a-distance", "en-presentiel"]}),
        ),
        ("Hors zone", "69266", json!({"zone_eligibilite": ["38"]})),
        ("Proche bis", "69266", json!({"thematiques": [EMPLOI, CV]})),
    ] {
        app.published(&w.receiver, service(n, c, extra)).await;
    }
    let walk = |extra: &'static str| {
        let app = &app;
        async move {
            let mut seen: Vec<(String, String)> = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let c = cursor
                    .as_deref()
                    .map(|c| format!("&cursor={c}"))
                    .unwrap_or_default();
                let p = search(
                    app,
                    &format!(
                        "commune=69266&thematiques={EMPLOI},{CV}&radius_km=30&limit=2{extra}{c}"
                    ),
                )
                .await;
                for i in p["items"].as_array().expect("items") {
                    seen.push((i["nom"].to_string(), i["distance_km"].to_string()));
                }
                cursor = p["next_cursor"].as_str().map(str::to_string);
                if cursor.is_none() {
                    return seen;
                }
            }
        }
    };
    let common = walk("").await;
    let general = walk("&modes_accueil=a-distance,en-presentiel").await;
    let names: Vec<&str> = common.iter().map(|(n, _)| n.trim_matches('"')).collect();
    assert_eq!(common, general);
    for n in [
        "Proche",
        "Proche bis",
        "Lyon 3e",
        "Les deux",
        "Loin à distance",
    ] {
        assert_eq!(
            names.iter().filter(|m| **m == n).count(),
            1,
            "{n} once: {names:?}"
        );
    }
    assert!(!names.contains(&"Loin en personne"), "{names:?}");
    assert!(!names.contains(&"Hors zone"), "{names:?}");
}
