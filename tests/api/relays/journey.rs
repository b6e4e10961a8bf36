//! The whole journey across the four roles through the API: the prescriber refers; the
//! counsellor reaches the young person, diagnoses and relays; a receiver refuses (no
//! capacity) and the counsellor relays elsewhere; the other accepts and confirms the start;
//! the J+30 checkpoint is answered once due, and the prescriber sees it all. Also through a
//! receiving structure's API client.
use super::*;

async fn journey(
    app: &TestApp,
    w: &World,
    second: &str,
    second_service: &str,
    second_structure: &str,
) {
    let (_, first, first_service) = receiver(app, "E2C Lyon", "r1@sas.test", json!({})).await;
    // The prescriber refers; the counsellor reaches and diagnoses.
    let rid = diagnosed(app, w, &adult()).await;
    assert_eq!(status_of(app, &w.prescriber, &rid).await, "diagnosis");
    // The counsellor relays to the first structure.
    let r1 = send(app, &w.counsellor, &rid, &first_service).await;
    assert_eq!(r1["status"], "requested");
    assert_eq!(
        r1["shared_summary"],
        "Motivé, cherche un emploi dans la logistique."
    );
    assert_eq!(status_of(app, &w.counsellor, &rid).await, "relaying");
    // It is in the first receiver's inbox, waiting; it reads what DOMAIN.md gives it.
    let inbox = get(app, &first, "/api/v1/relays").await;
    assert_eq!(inbox["items"].as_array().unwrap().len(), 1);
    let seen = get(app, &first, &format!("/api/v1/relays/{}", id(&r1))).await;
    assert_eq!(seen["youth"]["last_name"], "Martin");
    assert_eq!(seen["youth"]["phone"], "+33612345678");
    assert_eq!(
        seen["needs"],
        json!(["trouver-un-emploi--repondre-a-des-offres-demploi"])
    );
    assert_eq!(seen["prescriber"]["name"], "ASE test");
    assert_eq!(seen["overdue"], false);
    // It refuses: no capacity. The counsellor is told.
    let refused = ok(
        app,
        &first,
        &id(&r1),
        "refuse",
        Some(json!({"reason": "no_capacity"})),
    )
    .await;
    assert_eq!(
        (refused["status"].as_str(), refused["reason"].as_str()),
        (Some("refused"), Some("no_capacity"))
    );
    assert_eq!(
        count(
            app,
            "SELECT count(*) AS n FROM notifications WHERE kind = 'relay_refused'"
        ),
        1
    );
    assert_eq!(status_of(app, &w.counsellor, &rid).await, "relaying");
    // The counsellor relays elsewhere; the second structure accepts and starts.
    let r2 = send(app, &w.counsellor, &rid, second_service).await;
    assert_eq!(r2["structure"]["id"], second_structure);
    ok(app, second, &id(&r2), "accept", None).await;
    let started = ok(app, second, &id(&r2), "start", None).await;
    assert_eq!(status_of(app, &w.counsellor, &rid).await, "followed");
    let due: Vec<(i64, String)> = started["checkpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["n"].as_i64().unwrap(),
                c["due_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        due,
        vec![
            (30, "2026-04-01".into()),
            (90, "2026-05-31".into()),
            (180, "2026-08-29".into())
        ],
        "J+30/90/180 in Paris calendar days from 2 March"
    );
    // J+30 is not due yet; once the clock reaches it, it is answered.
    let answer = format!("/api/v1/relays/{}/checkpoints/30/answer", id(&r2));
    let body = json!({"answer": "still_accompanied"});
    problem(
        act(app, second, &answer, Some(body.clone())).await,
        StatusCode::CONFLICT,
        "checkpoint_not_due",
    )
    .await;
    app.clock.advance(Duration::days(30));
    let overdue = get(app, second, &format!("/api/v1/relays/{}", id(&r2))).await;
    assert_eq!(overdue["checkpoints"][0]["overdue"], true);
    let res = act(app, second, &answer, Some(body.clone())).await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        act(app, second, &answer, Some(body)).await,
        StatusCode::CONFLICT,
        "already_answered",
    )
    .await;
    // The prescriber sees the closed loop, and no reason.
    let page = get(
        app,
        &w.prescriber,
        &format!("/api/v1/referrals/{rid}/relays"),
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["status"].as_str(), items[1]["status"].as_str()),
        (Some("refused"), Some("started"))
    );
    assert_eq!(items[0]["structure"]["name"], "E2C Lyon");
    assert!(
        items[0]["reason"].is_null(),
        "a refusal reason never reaches the prescriber"
    );
    assert!(items[1]["youth"].is_null() && items[1]["shared_summary"].is_null());
    assert_eq!(items[1]["checkpoints"][0]["answer"], "still_accompanied");
    assert_eq!(status_of(app, &w.prescriber, &rid).await, "followed");
    // The timeline carries the relay's events with its id.
    let events = get(
        app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/events?limit=100"),
    )
    .await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relay_id"].is_string())
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "relay_requested",
            "relay_refused",
            "relay_requested",
            "relay_accepted",
            "relay_started",
            "checkpoint_answered"
        ]
    );
    // J+90, then J+180: the last answer closes the referral by itself.
    for n in [90, 180] {
        app.clock
            .advance(Duration::days(if n == 90 { 60 } else { 90 }));
        let res = act(
            app,
            second,
            &format!("/api/v1/relays/{}/checkpoints/{n}/answer", id(&r2)),
            Some(json!({"answer": "still_accompanied"})),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "J+{n}");
    }
    let closed = get(app, &w.prescriber, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(
        (closed["status"].as_str(), closed["outcome"].as_str()),
        (Some("closed"), Some("taken_in_charge"))
    );
}

#[actix_web::test]
async fn the_journey_across_the_four_roles() {
    let app = spawn().await;
    let w = app.world().await;
    let (sid, second, svc) = receiver(&app, "Mission locale Est", "r2@sas.test", json!({})).await;
    journey(&app, &w, &second, &svc, &sid).await;
}

#[actix_web::test]
async fn the_journey_through_a_receiving_structure_s_api_client() {
    let app = spawn().await;
    let w = app.world().await;
    // The structure's agent publishes the service; its partner system answers the relays.
    let (sid, agent, svc) = receiver(&app, "Mission locale Est", "r2@sas.test", json!({})).await;
    let (_, client) = app.api_client(&sid, &["receiver"]).await;
    journey(&app, &w, &client, &svc, &sid).await;
    // The agent's inbox shows what the partner system did.
    let inbox = get(&app, &agent, "/api/v1/relays").await;
    assert_eq!(inbox["items"][0]["status"], "started");
    // Its events name the partner system as their actor.
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM events WHERE actor_client_id IS NOT NULL AND relay_id IS NOT NULL"),
        5,
        "accept, start and three answers"
    );
}
