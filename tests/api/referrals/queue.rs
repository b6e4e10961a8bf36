//! The queue: open referrals only on demand, one time-zone rule for the `urgent` field and
//! filter, cursors of the declared format.
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

fn names(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["youth"]["first_name"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn open_true_leaves_closed_referrals_out_of_every_view() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let done = id(&refer(
        &app,
        &w.prescriber,
        &referral("Clos", "A", "2000-01-01", "0611000001", Some("2026-03-10")),
    )
    .await);
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Ouvert",
            "B",
            "2000-01-01",
            "0611000002",
            Some("2026-03-20"),
        ),
    )
    .await;
    let mine = id(&refer(
        &app,
        &w.prescriber,
        &referral("Pris", "C", "2000-01-01", "0611000003", Some("2026-03-15")),
    )
    .await);
    take(&app, &w.counsellor, &mine).await;
    let res = transit(
        &app,
        &w.prescriber,
        &done,
        json!({"to": "closed", "outcome": "withdrawn", "reason": "Retiré"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    for token in [&w.counsellor, &w.prescriber] {
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals").await),
            ["Clos", "Pris", "Ouvert"]
        );
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals?open=true").await),
            ["Pris", "Ouvert"]
        );
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals?open=false").await),
            ["Clos"]
        );
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals?open=true&urgent=true").await),
            ["Pris", "Ouvert"]
        );
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals?open=true&status=submitted").await),
            ["Ouvert"]
        );
        assert_eq!(
            names(&get(&app, token, "/api/v1/referrals?open=false&status=submitted").await),
            Vec::<String>::new()
        );
    }
    assert_eq!(
        names(
            &get(
                &app,
                &w.counsellor,
                "/api/v1/referrals?open=true&assigned_to_me=true"
            )
            .await
        ),
        ["Pris"]
    );
}

#[actix_web::test]
async fn urgency_counts_days_in_each_referral_s_territory_for_the_field_and_the_filter_alike() {
    let app = TestApp::spawn().await;
    let _w = app.world().await;
    // An overseas territory: La Réunion (UTC+4), with its own SAS team.
    let reunion = app
        .create(
            "/api/v1/territories",
            json!({"name": "La Réunion", "communes": ["97411"], "time_zone": "Indian/Reunion"}),
        )
        .await;
    let team = app
        .structure(json!({"name": "SAS 974", "kind": "ASSO", "sas_team": true, "territory_id": reunion["id"]}))
        .await;
    let c974 = app
        .user_token("c974@sas.test", &["counsellor"], Some(&id(&team)), None)
        .await;
    // 23:30 in Paris on 2 March is 02:30 on 3 March in Réunion.
    app.clock.set("2026-03-02T22:30:00Z".parse().unwrap());
    let token = app.login("p@sas.test", PASSWORD).await;
    let at = |first: &str, insee: &str, exit: &str| {
        let mut b = referral(first, "Test", "2000-01-01", "0611000009", Some(exit));
        b["youth"]["commune_insee"] = json!(insee);
        b["consent"]["informed_at"] = json!("2026-03-02T22:00:00Z");
        b
    };
    let lyon_30 = refer(&app, &token, &at("Lyon30", "69383", "2026-04-01")).await;
    let lyon_31 = refer(&app, &token, &at("Lyon31", "69383", "2026-04-02")).await;
    let reunion_30 = refer(&app, &token, &at("Reunion30", "97411", "2026-04-02")).await;
    let reunion_31 = refer(&app, &token, &at("Reunion31", "97411", "2026-04-03")).await;
    for (r, days, urgent) in [
        (&lyon_30, 30, true),
        (&lyon_31, 31, false),
        (&reunion_30, 30, true),
        (&reunion_31, 31, false),
    ] {
        assert_eq!(
            (r["days_to_exit"].as_i64(), r["urgent"].as_bool()),
            (Some(days), Some(urgent)),
            "{}",
            r["youth"]["first_name"]
        );
    }
    // The prescriber's filter spans both territories, each in its own calendar.
    assert_eq!(
        names(&get(&app, &token, "/api/v1/referrals?urgent=true").await),
        ["Lyon30", "Reunion30"]
    );
    assert_eq!(
        names(&get(&app, &token, "/api/v1/referrals?urgent=false").await),
        ["Lyon31", "Reunion31"]
    );
    let c = app.login("c@sas.test", PASSWORD).await;
    assert_eq!(
        names(&get(&app, &c, "/api/v1/referrals?urgent=true").await),
        ["Lyon30"]
    );
    let c974 = {
        let _ = c974;
        app.login("c974@sas.test", PASSWORD).await
    };
    assert_eq!(
        names(&get(&app, &c974, "/api/v1/referrals?urgent=true").await),
        ["Reunion30"]
    );
    let listed = get(&app, &c974, "/api/v1/referrals").await;
    assert_eq!(
        listed["items"][0]["days_to_exit"], 30,
        "the list shows what the single read shows"
    );
}

#[actix_web::test]
async fn any_cursor_of_the_declared_format_is_a_position_and_others_are_a_400() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for i in 0..3 {
        refer(
            &app,
            &w.prescriber,
            &referral(
                "J",
                &format!("N{i}"),
                "2000-01-01",
                &format!("061100000{i}"),
                None,
            ),
        )
        .await;
    }
    let first = get(&app, &w.counsellor, "/api/v1/referrals?limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    assert!(cursor
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    let second = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals?limit=1&cursor={cursor}"),
    )
    .await;
    assert_ne!(second["items"][0]["id"], first["items"][0]["id"]);
    for forged in [
        "A",
        "garbage",
        "____________________________________________",
        "zz-_09",
    ] {
        for path in [
            "/api/v1/referrals",
            &format!("/api/v1/referrals/{}/events", id(&second["items"][0])),
        ] {
            let res = app
                .get(&format!("{path}?cursor={forged}"), &w.counsellor)
                .await;
            assert_eq!(res.status(), StatusCode::OK, "{path} {forged}");
        }
    }
    problem(
        app.get("/api/v1/referrals?cursor=not%20base64!", &w.counsellor)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
}
