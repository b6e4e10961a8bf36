//! Who sees what: a prescriber never learns SAS-side reasons, notes, the counsellor's name or
//! that another structure referred the same youth; possible duplicates are computed when read.
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;

/// Every route that shows a prescriber this referral, as JSON text.
async fn everything_the_prescriber_reads(app: &TestApp, token: &str, rid: &str) -> String {
    let one = get(app, token, &format!("/api/v1/referrals/{rid}")).await;
    let list = get(app, token, "/api/v1/referrals").await;
    let events = get(app, token, &format!("/api/v1/referrals/{rid}/events")).await;
    let consent = get(app, token, &format!("/api/v1/referrals/{rid}/consent")).await;
    format!("{one}\n{list}\n{events}\n{consent}")
}

#[actix_web::test]
async fn a_prescriber_reads_duplicate_as_closed_by_sas_and_never_a_sas_side_reason_or_note() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    take(&app, &w.counsellor, &rid).await;
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "on_hold", "reason": "youth_request"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // On hold: the prescriber sees the status, not the reason.
    let seen = get(&app, &w.prescriber, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(seen["status"], "on_hold");
    assert!(seen["on_hold_reason"].is_null(), "{seen}");
    let text = everything_the_prescriber_reads(&app, &w.prescriber, &rid).await;
    assert!(!text.contains("youth_request"), "{text}");
    let by_counsellor = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(by_counsellor["on_hold_reason"], "youth_request");

    let secret = "Le jeune est suivi par un autre service du département";
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "duplicate", "reason": secret}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let seen = get(&app, &w.prescriber, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(seen["outcome"], "closed_by_sas");
    let text = everything_the_prescriber_reads(&app, &w.prescriber, &rid).await;
    for leak in ["duplicate", secret, "assigned_counsellor", "youth_request"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    let events = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{rid}/events"),
    )
    .await;
    let actors: Vec<bool> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].is_object())
        .collect();
    assert_eq!(
        actors,
        [true, false, false, false],
        "only its own action names who acted"
    );
    let codes: Vec<Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            json!("ase_exit"),
            Value::Null,
            Value::Null,
            json!("closed_by_sas")
        ]
    );
    // The counsellor sees everything: the outcome, the hold reason, the note.
    let events = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/events"),
    )
    .await;
    let items = events["items"].as_array().unwrap();
    assert_eq!(items[2]["code"], "youth_request");
    assert_eq!(items[3]["code"], "duplicate");
    assert_eq!(items[3]["note"], secret);
    // The free text is not in the events table: codes only.
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM events WHERE code = '{secret}'")
        ),
        0
    );
}

#[actix_web::test]
async fn a_prescriber_sees_its_own_withdrawal_reason_but_no_one_elses() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let res = transit(
        &app,
        &w.prescriber,
        &rid,
        json!({"to": "closed", "outcome": "withdrawn", "reason": "Entrée en formation"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let events = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{rid}/events"),
    )
    .await;
    assert_eq!(events["items"][1]["note"], "Entrée en formation");
    assert!(events["items"][1]["actor"].is_object());
}

#[actix_web::test]
async fn possible_duplicates_are_flagged_on_both_sides_while_open_and_linked_only_inside_the_territory(
) {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (p2, c2) = elsewhere(&app).await;
    let a = id(&refer(&app, &w.prescriber, &adult()).await);
    // Same name (accents and case aside) and birth date, other phone, other structure.
    let b = id(&refer(
        &app,
        &p2,
        &referral("LEA", "martin", "2000-01-15", "0699999999", None),
    )
    .await);
    // Same phone, other name, in another territory (Saint-Étienne).
    let mut far = referral("Zoé", "Durand", "2001-02-02", "+33612345678", None);
    far["youth"]["commune_insee"] = json!("42218");
    let c = id(&refer(&app, &p2, &far).await);
    let unrelated = id(&refer(
        &app,
        &p2,
        &referral("Max", "Roux", "2001-02-02", "0688888888", None),
    )
    .await);

    let seen = |token: String, rid: String| {
        let app = &app;
        async move { get(app, &token, &format!("/api/v1/referrals/{rid}")).await }
    };
    let va = seen(w.counsellor.clone(), a.clone()).await;
    assert_eq!(va["possible_duplicate"], true);
    assert_eq!(
        va["duplicates"],
        json!([{"scope": "this_territory", "referral_id": b}, {"scope": "other_territory"}])
    );
    let vb = seen(w.counsellor.clone(), b.clone()).await;
    assert_eq!(
        vb["duplicates"],
        json!([{"scope": "this_territory", "referral_id": a}])
    );
    let vc = seen(c2.clone(), c.clone()).await;
    assert_eq!(vc["possible_duplicate"], true);
    assert_eq!(
        vc["duplicates"],
        json!([{"scope": "other_territory"}]),
        "no id elsewhere"
    );
    let vu = seen(w.counsellor.clone(), unrelated.clone()).await;
    assert_eq!(
        (vu["possible_duplicate"].clone(), vu["duplicates"].clone()),
        (json!(false), json!([]))
    );
    // The queue shows the same.
    let queue = get(&app, &w.counsellor, "/api/v1/referrals").await;
    let flagged: Vec<bool> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["possible_duplicate"].as_bool().unwrap())
        .collect();
    assert_eq!(flagged.iter().filter(|f| **f).count(), 2, "{queue}");
    // Never to a prescriber, by any route.
    for (token, rid) in [(&w.prescriber, &a), (&p2, &b), (&p2, &c)] {
        let text = everything_the_prescriber_reads(&app, token, rid).await;
        assert!(!text.contains("duplicate"), "{text}");
    }
    // The flag clears when the other closes.
    let res = transit(
        &app,
        &w.prescriber,
        &a,
        json!({"to": "closed", "outcome": "withdrawn", "reason": "Erreur"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let vb = seen(w.counsellor.clone(), b.clone()).await;
    assert_eq!(
        (vb["possible_duplicate"].clone(), vb["duplicates"].clone()),
        (json!(false), json!([]))
    );
    let va = seen(w.counsellor.clone(), a.clone()).await;
    assert_eq!(
        va["possible_duplicate"], false,
        "a closed referral is no one's duplicate"
    );
    // Nothing of it is stored.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM information_schema.columns \
             WHERE table_name = 'referrals' AND column_name LIKE '%duplicate%'"
        ),
        0
    );
}

#[actix_web::test]
async fn receivers_and_pilots_never_see_a_sensitive_structure_and_the_referral_side_does() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let spip = app
        .structure(
            json!({"name": "SPIP du Rhône", "kind": "SPIP", "prescriber": true, "sensitive": true}),
        )
        .await;
    let sid = id(&spip);
    let ml = app
        .structure(
            json!({"name": "Mission locale", "kind": "ML", "prescriber": true, "receiver": true}),
        )
        .await;
    let both = app
        .user_token(
            "ml@sas.test",
            &["prescriber", "receiver"],
            Some(&id(&ml)),
            None,
        )
        .await;
    for (role, token, sees) in [
        ("admin", w.admin.as_str(), true),
        ("prescriber", w.prescriber.as_str(), true),
        ("counsellor", w.counsellor.as_str(), true),
        ("prescriber+receiver", both.as_str(), true),
        ("receiver", w.receiver.as_str(), false),
        ("pilot", w.pilot.as_str(), false),
    ] {
        let res = app.get(&format!("/api/v1/structures/{sid}"), token).await;
        if sees {
            assert_eq!(res.status(), StatusCode::OK, "{role}");
        } else {
            problem(res, StatusCode::NOT_FOUND, "not_found").await;
        }
        let list = get(&app, token, "/api/v1/structures?limit=100").await;
        let listed = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == json!(sid));
        assert_eq!(listed, sees, "{role} lists it");
        let by_name = get(&app, token, "/api/v1/structures?q=SPIP").await;
        assert_eq!(
            !by_name["items"].as_array().unwrap().is_empty(),
            sees,
            "{role} finds it"
        );
    }
    // Receivers still see the other structures.
    let list = get(&app, &w.receiver, "/api/v1/structures?limit=100").await;
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == json!(w.receiver_id)));
}
