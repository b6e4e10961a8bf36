//! Privacy (issue 15, part b): the right of access's export, field by field, and its
//! refusals; administrators' reads with a reason (and that no other route shows them a
//! youth's data); the right of rectification of a youth's identity.
use chrono::Duration;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::referrals::{count, elsewhere, get, id, refer, take, transit};
use crate::relays::{act, ok, receiver, send};
use crate::support::*;

const WHY: &str = "Demande d'accès du jeune, courrier du 2 mars";

/// A server whose access tokens outlive the month the fixture moves the clock through.
async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await
}

/// Percent-encodes a query value (every byte but ASCII letters and digits).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn youth_body(first_name: &str) -> Value {
    json!({
        "youth": {
            "first_name": first_name, "last_name": "Martin", "birth_date": "2000-01-15",
            "phone": "06 12 34 56 78", "email": "lea.martin@example.org",
            "commune_insee": "69123", "contact_channels": ["phone", "email"]
        },
        "reason_code": "ase_exit",
        "exit_date": "2026-05-30",
        "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "consent": {
            "informed_at": "2026-03-01T10:00:00Z", "informed_by": "Paul, éducateur",
            "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]
        }
    })
}

struct Fixture {
    /// The first referral: reached, diagnosed twice, relayed and followed, then closed.
    r1: String,
    /// Its resumed journey.
    r2: String,
    youth: String,
    relay: String,
    service: String,
    prescriber_client: String,
}

async fn put_diagnostic(app: &TestApp, token: &str, rid: &str, body: Value) {
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/referrals/{rid}/diagnostic"),
            Some(token),
        )
        .header("if-match", "*")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

async fn attempt(app: &TestApp, token: &str, rid: &str, body: Value) {
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/contact-attempts"),
            token,
            &body,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// One youth with two referrals (the second resumes the first), two contact attempts with
/// notes, a diagnostic in two versions, a relay started with its J+30 checkpoint answered,
/// two consent records, a contact correction, and reads by the prescriber, its API client,
/// the counsellor and an administrator.
async fn fixture(app: &TestApp, w: &World, first_name: &str, note: &str) -> Fixture {
    let (_, receiver_token, service) = receiver(app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let r = refer(app, &w.prescriber, &youth_body(first_name)).await;
    let r1 = id(&r);
    let youth = r["youth"]["id"].as_str().unwrap().to_string();
    assert_eq!(take(app, &w.counsellor, &r1).await.status(), StatusCode::OK);
    attempt(
        app,
        &w.counsellor,
        &r1,
        json!({"channel": "phone", "outcome": "no_answer", "note": note}),
    )
    .await;
    app.clock.advance(Duration::hours(2));
    attempt(
        app,
        &w.counsellor,
        &r1,
        json!({"channel": "phone", "outcome": "reached", "note": "RDV jeudi."}),
    )
    .await;
    put_diagnostic(
        app,
        &w.counsellor,
        &r1,
        json!({"situation": {"housing": "tiers"}, "shared_summary": "Première version."}),
    )
    .await;
    put_diagnostic(
        app,
        &w.counsellor,
        &r1,
        json!({
            "situation": {"housing": "tiers"},
            "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
            "shared_summary": "Motivé, cherche un emploi dans la logistique."
        }),
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{r1}/consent"),
            &w.counsellor,
            &json!({"informed_at": "2026-03-02T09:30:00Z", "informed_by": "Claire, aiguilleuse",
                    "method": "written", "agreed": ["sas_contact", "share_with_receiver"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let relay = send(app, &w.counsellor, &r1, &service).await;
    let relay = id(&relay);
    ok(app, &receiver_token, &relay, "accept", None).await;
    ok(app, &receiver_token, &relay, "start", None).await;
    app.clock.advance(Duration::days(30));
    let res = act(
        app,
        &receiver_token,
        &format!("/api/v1/relays/{relay}/checkpoints/30/answer"),
        Some(json!({"answer": "still_accompanied"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = transit(
        app,
        &w.counsellor,
        &r1,
        json!({"to": "closed", "outcome": "taken_in_charge"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.clock.advance(Duration::days(60));
    let res = app
        .req(
            Method::POST,
            &format!("/api/v1/referrals/{r1}/resume"),
            Some(&w.counsellor),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let r2 = id(&res.json::<Value>().await.unwrap());
    // A new phone number on the resumed journey: the old one goes to the history.
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/referrals/{r2}/youth-contact"),
            Some(&w.counsellor),
        )
        .header("if-match", "*")
        .json(&json!({"phone": "07 98 76 54 32"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Reads by several actors.
    let (_, client) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    get(app, &w.prescriber, &format!("/api/v1/referrals/{r1}")).await;
    get(app, &client, &format!("/api/v1/referrals/{r1}")).await;
    get(app, &w.counsellor, &format!("/api/v1/referrals/{r2}")).await;
    get(
        app,
        &w.admin,
        &format!("/api/v1/referrals/{r1}?reason={}", enc("Contrôle qualité")),
    )
    .await;
    Fixture {
        r1,
        r2,
        youth,
        relay,
        service,
        prescriber_client: client,
    }
}

async fn export(app: &TestApp, token: &str, youth: &str, query: &str) -> Response {
    app.get(&format!("/api/v1/youths/{youth}/export{query}"), token)
        .await
}

fn header(res: &Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_string())
        .collect()
}

#[actix_web::test]
async fn the_export_holds_everything_sas_knows_about_the_youth_and_who_read_it() {
    let app = spawn().await;
    let w = app.world().await;
    let f = fixture(&app, &w, "Léa", "Messagerie pleine.").await;
    let res = export(&app, &w.admin, &f.youth, &format!("?reason={}", enc(WHY))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "content-type").starts_with("application/json"));
    assert_eq!(
        header(&res, "content-disposition"),
        format!("attachment; filename=\"sas-export-{}.json\"", f.youth),
        "the file name holds the id only"
    );
    assert_eq!(header(&res, "cache-control"), "no-store");
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["reason"], WHY);
    // Identity and contact, as they are now.
    let y = &e["youth"];
    assert_eq!(y["id"], f.youth.as_str());
    assert_eq!(
        (y["first_name"].as_str(), y["last_name"].as_str()),
        (Some("Léa"), Some("Martin"))
    );
    assert_eq!(y["birth_date"], "2000-01-15");
    assert_eq!(y["phone"], "+33798765432");
    assert_eq!(y["email"], "lea.martin@example.org");
    assert_eq!(
        (y["commune_insee"].as_str(), y["commune_name"].as_str()),
        (Some("69123"), Some("Lyon"))
    );
    assert_eq!(y["contact_channels"], json!(["phone", "email"]));
    assert_eq!(y["contact_via_prescriber_only"], false);
    assert!(y["legal_representative"].is_null() && y["anonymised_at"].is_null());
    // The replaced contact details.
    let history = e["contact_history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["phone"], "+33612345678");
    assert_eq!(history[0]["referral_id"], f.r2.as_str());
    // Both referrals, oldest first.
    let refs = e["referrals"].as_array().unwrap();
    assert_eq!(
        strs(&e["referrals"], "id"),
        vec![f.r1.clone(), f.r2.clone()]
    );
    let (r1, r2) = (&refs[0], &refs[1]);
    assert_eq!(
        (r1["status"].as_str(), r1["outcome"].as_str()),
        (Some("closed"), Some("taken_in_charge"))
    );
    assert_eq!(r1["channel"], "institutional");
    assert_eq!(r1["territory"]["id"], w.territory_id.as_str());
    assert_eq!(r1["territory"]["name"], "Territoire test");
    assert_eq!(r1["prescriber_structure"]["name"], "ASE test");
    assert_eq!(r1["reason_code"], "ase_exit");
    assert_eq!(r1["exit_date"], "2026-05-30");
    assert_eq!(
        r1["needs"],
        json!(["trouver-un-emploi--repondre-a-des-offres-demploi"])
    );
    assert_eq!(r1["assigned_counsellor"]["name"], "Test User");
    assert!(r1["submitted_at"].is_string() && r1["closed_at"].is_string());
    assert_eq!(r2["status"], "contacting");
    assert_eq!(r2["previous_referral_id"], f.r1.as_str());
    assert!(r2["closed_at"].is_null());
    // The timeline, every event.
    let kinds = strs(&r1["events"], "kind");
    for k in [
        "created",
        "status_changed",
        "contact_attempt",
        "diagnostic_saved",
        "consent_recorded",
        "relay_requested",
        "relay_accepted",
        "relay_started",
        "checkpoint_answered",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }
    assert_eq!(kinds[0], "created");
    assert_eq!(strs(&r2["events"], "kind")[0], "resumed");
    let corrected: Vec<&Value> = r2["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "contact_corrected")
        .collect();
    assert_eq!(corrected.len(), 1);
    assert_eq!(corrected[0]["fields"], json!(["phone"]));
    let closing = r1["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["to_status"] == "closed")
        .unwrap();
    assert_eq!(closing["code"], "taken_in_charge");
    assert_eq!(closing["actor"]["name"], "Test User");
    let started = r1["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "relay_started")
        .unwrap();
    assert_eq!(started["relay_id"], f.relay.as_str());
    // The consent history: the prescriber's record, then the counsellor's.
    let consent = r1["consent_history"].as_array().unwrap();
    assert_eq!(
        strs(&r1["consent_history"], "informed_by"),
        vec![
            "Paul, éducateur".to_string(),
            "Claire, aiguilleuse".to_string()
        ]
    );
    assert_eq!(consent[1]["method"], "written");
    assert_eq!(
        consent[1]["agreed"],
        json!(["sas_contact", "share_with_receiver"])
    );
    assert_eq!(r2["consent_history"].as_array().unwrap().len(), 1);
    assert_eq!(r2["consent_history"][0]["agreed"], json!(["sas_contact"]));
    // The contact attempts with their notes, oldest first.
    let attempts = r1["contact_attempts"].as_array().unwrap();
    assert_eq!(
        strs(&r1["contact_attempts"], "outcome"),
        vec!["no_answer".to_string(), "reached".to_string()]
    );
    assert_eq!(
        strs(&r1["contact_attempts"], "note"),
        vec!["Messagerie pleine.".to_string(), "RDV jeudi.".to_string()]
    );
    assert_eq!(attempts[0]["channel"], "phone");
    assert_eq!(attempts[0]["author"]["name"], "Test User");
    assert!(r1["prescriber_requests"].as_array().unwrap().is_empty());
    // Both versions of the diagnostic.
    let diag = r1["diagnostics"].as_array().unwrap();
    assert_eq!(diag.len(), 2);
    assert_eq!(
        (diag[0]["version"].as_i64(), diag[1]["version"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(diag[0]["content"]["shared_summary"], "Première version.");
    assert_eq!(
        diag[1]["content"]["shared_summary"],
        "Motivé, cherche un emploi dans la logistique."
    );
    assert_eq!(diag[1]["content"]["situation"]["housing"], "tiers");
    assert_eq!(diag[1]["saved_by"]["name"], "Test User");
    // The relay and its checkpoints.
    let relays = r1["relays"].as_array().unwrap();
    assert_eq!(relays.len(), 1);
    let relay = &relays[0];
    assert_eq!(relay["id"], f.relay.as_str());
    assert_eq!(relay["status"], "started");
    assert_eq!(relay["structure"]["name"], "E2C Lyon");
    assert_eq!(relay["service_id"], f.service.as_str());
    assert_eq!(relay["service_name"], "E2C Lyon — accompagnement");
    assert_eq!(
        relay["shared_summary"],
        "Motivé, cherche un emploi dans la logistique."
    );
    assert!(relay["answered_at"].is_string() && relay["started_at"].is_string());
    let cps = relay["checkpoints"].as_array().unwrap();
    assert_eq!(
        cps.iter()
            .map(|c| c["n"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![30, 90, 180]
    );
    assert_eq!(cps[0]["due_on"], "2026-04-01");
    assert_eq!(cps[0]["answer"], "still_accompanied");
    assert!(cps[1]["answer"].is_null());
    assert!(r2["relays"].as_array().unwrap().is_empty());
    // Who read their data: the prescriber, its API client, the counsellor, the
    // administrator with a reason, oldest first.
    let accesses = e["accesses"].as_array().unwrap();
    let times: Vec<&str> = accesses
        .iter()
        .map(|a| a["occurred_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "oldest first");
    assert_eq!(accesses[0]["action"], "create");
    assert_eq!(accesses[0]["actor"]["roles"], json!(["prescriber"]));
    assert_eq!(accesses[0]["structure"]["name"], "ASE test");
    let reads: Vec<&Value> = accesses
        .iter()
        .filter(|a| a["action"] == "read" && a["route"] == format!("/api/v1/referrals/{}", f.r1))
        .collect();
    let by = |t: &str, role: &str| {
        reads
            .iter()
            .any(|a| a["actor"]["type"] == t && a["actor"]["roles"] == json!([role]))
    };
    assert!(by("user", "prescriber"), "{reads:?}");
    assert!(by("api_client", "prescriber"), "{reads:?}");
    assert!(by("user", "admin"), "{reads:?}");
    let admin_read = reads
        .iter()
        .find(|a| a["actor"]["roles"] == json!(["admin"]))
        .unwrap();
    assert_eq!(admin_read["reason"], "Contrôle qualité");
    assert_eq!(admin_read["referral_id"], f.r1.as_str());
    assert!(accesses.iter().any(|a| a["action"] == "read"
        && a["actor"]["roles"] == json!(["counsellor"])
        && a["structure"]["name"] == "SAS test"
        && a["referral_id"] == f.r2.as_str()));
    assert!(accesses.iter().any(|a| a["action"] == "update"
        && a["route"] == format!("/api/v1/referrals/{}/youth-contact", f.r2)));
    assert!(
        accesses.iter().all(|a| a["action"] != "export"),
        "the export lists the accesses before it"
    );
    // The export itself is logged, with its reason, and audited.
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM access_logs WHERE youth_id = '{}' AND action = 'export' \
                 AND reason = '{}' AND referral_id IS NULL AND route = '/api/v1/youths/{}/export'",
                f.youth,
                WHY.replace('\'', "''"),
                f.youth
            )
        ),
        1
    );
    let audit = get(
        &app,
        &w.admin,
        &format!(
            "/api/v1/admin-audit?target_type=youth&target_id={}",
            f.youth
        ),
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["action"], "youth.export");
    assert_eq!(items[0]["reason"], WHY);
    assert_eq!(items[0]["changes"]["format"]["to"], "json");
    assert_eq!(items[0]["actor"]["email"], ADMIN_EMAIL);
    // A second export lists the first.
    let again: Value = export(&app, &w.admin, &f.youth, &format!("?reason={}", enc(WHY)))
        .await
        .json()
        .await
        .unwrap();
    let exports: Vec<&Value> = again["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "export")
        .collect();
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0]["reason"], WHY);
    assert!(exports[0]["referral_id"].is_null());
    let _ = f.prescriber_client;
}

#[actix_web::test]
async fn the_html_export_is_a_self_contained_french_document_with_every_value_escaped() {
    let app = spawn().await;
    let w = app.world().await;
    let script = "<script>alert('x')</script>";
    let f = fixture(&app, &w, script, "Note <b>grasse</b> & \"citée\"").await;
    let res = export(
        &app,
        &w.admin,
        &f.youth,
        &format!("?reason={}&format=html", enc("Demande <i>urgente</i>")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "text/html; charset=utf-8");
    assert_eq!(
        header(&res, "content-disposition"),
        format!("attachment; filename=\"sas-export-{}.html\"", f.youth)
    );
    let html = res.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
    // Nothing but escaped values: no script, no injected markup.
    assert!(!html.contains("<script"), "no script at all");
    assert!(!html.contains("<i>") && !html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("Note &lt;b&gt;grasse&lt;/b&gt; &amp; &quot;citée&quot;"));
    assert!(html.contains("Demande &lt;i&gt;urgente&lt;/i&gt;"));
    // Self-contained: no external asset.
    for external in [
        "src=", "href=", "http://", "https://", "<link", "@import", "url(",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    // The key facts, in French.
    for fact in [
        "Données personnelles détenues par SAS",
        "Identité et coordonnées",
        "Martin",
        "15/01/2000",
        "+33798765432",
        "lea.martin@example.org",
        "Lyon (69123)",
        "+33612345678",
        "Signalements",
        "Clos",
        "Pris en charge",
        "Prise de contact",
        "ASE test",
        "Territoire test",
        "Sortie de l’Aide sociale à l’enfance",
        "Paul, éducateur",
        "Claire, aiguilleuse",
        "RDV jeudi.",
        "Version 2",
        "Motivé, cherche un emploi dans la logistique.",
        "E2C Lyon — accompagnement",
        "J+30 (01/04/2026) : still_accompanied",
        "Qui a consulté ou modifié ces données",
        "Contrôle qualité",
        "Administrateur",
        "(système partenaire)",
    ] {
        assert!(html.contains(fact), "{fact}");
    }
    // Audited as an HTML export.
    let audit = get(
        &app,
        &w.admin,
        &format!(
            "/api/v1/admin-audit?target_type=youth&target_id={}",
            f.youth
        ),
    )
    .await;
    assert_eq!(audit["items"][0]["changes"]["format"]["to"], "html");
}

#[actix_web::test]
async fn every_refusal_of_the_export_is_a_clear_problem_and_logs_nothing() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &youth_body("Léa")).await;
    let youth = r["youth"]["id"].as_str().unwrap().to_string();
    let logs = |app: &TestApp| {
        count(
            app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'export'",
        )
    };
    for q in ["", "?reason=", "?reason=%20%20%20", "?format=html"] {
        let body = problem(
            export(&app, &w.admin, &youth, q).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
        )
        .await;
        assert_eq!(
            field_codes(&body),
            vec![("reason".to_string(), "reason_required".to_string())],
            "{q}"
        );
    }
    let long = "x".repeat(501);
    let body = problem(
        export(&app, &w.admin, &youth, &format!("?reason={long}")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&body),
        vec![("reason".to_string(), "too_long".to_string())]
    );
    let ok = format!("?reason={}", enc(WHY));
    for (who, token) in w.tokens() {
        if who == "admin" {
            continue;
        }
        problem(
            export(&app, token, &youth, &ok).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    problem(
        export(&app, &w.admin, &uuid::Uuid::new_v4().to_string(), &ok).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        export(&app, &w.admin, &youth, &format!("{ok}&format=pdf")).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    problem(
        export(&app, &w.admin, &youth, &format!("{ok}&motif=x")).await,
        StatusCode::BAD_REQUEST,
        "unknown_parameter",
    )
    .await;
    assert_eq!(logs(&app), 0, "a refused export reads and logs nothing");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM admin_audit WHERE action = 'youth.export'"
        ),
        0
    );
    // An anonymised youth still exports what remains (blank identity, no crash).
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE youths SET first_name = '·', last_name = '·', phone = NULL, email = NULL, \
             contact_channels = '{{}}', anonymised_at = now() WHERE id = '{youth}'"
        )),
        &mut app.db(),
    )
    .unwrap();
    for format in ["json", "html"] {
        let res = export(&app, &w.admin, &youth, &format!("{ok}&format={format}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{format}");
        if format == "json" {
            let e: Value = res.json().await.unwrap();
            assert_eq!(e["youth"]["first_name"], "·");
            assert!(e["youth"]["phone"].is_null());
            assert!(e["youth"]["anonymised_at"].is_string());
            assert_eq!(e["referrals"].as_array().unwrap().len(), 1);
        } else {
            assert!(res.text().await.unwrap().contains("anonymisées le"));
        }
    }
}

#[actix_web::test]
async fn an_administrator_reads_a_referral_only_with_a_reason_logged_and_audited() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &youth_body("Léa")).await;
    let rid = id(&r);
    let path = format!("/api/v1/referrals/{rid}");
    // Without a reason: refused, nothing read.
    for q in ["", "?reason=", "?reason=%09"] {
        problem(
            app.get(&format!("{path}{q}"), &w.admin).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
        )
        .await;
    }
    let admin_logs = |app: &TestApp| {
        count(
            app,
            "SELECT count(*) AS n FROM access_logs l JOIN users u ON u.id = l.actor_user_id \
             WHERE 'admin' = ANY(u.roles)",
        )
    };
    assert_eq!(admin_logs(&app), 0);
    // With one: the SAS team's view, the youth's id to go on to the export.
    let res = app
        .get(
            &format!("{path}?reason={}", enc("Vérification d'un signalement")),
            &w.admin,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("etag").is_some());
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["id"], rid.as_str());
    assert_eq!(v["youth"]["id"], r["youth"]["id"]);
    assert_eq!(v["youth"]["last_name"], "Martin");
    assert_eq!(v["youth"]["phone"], "+33612345678");
    assert!(v["contact"].is_object(), "the SAS team's view");
    assert!(
        v.get("duplicates").is_none(),
        "no duplicate links for an administrator"
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM access_logs WHERE referral_id = '{rid}' \
                 AND action = 'read' AND reason = 'Vérification d''un signalement' \
                 AND route = '{path}'"
            )
        ),
        1
    );
    let audit = get(
        &app,
        &w.admin,
        &format!("/api/v1/admin-audit?target_type=referral&target_id={rid}"),
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["action"], "referral.read");
    assert_eq!(items[0]["reason"], "Vérification d'un signalement");
    assert_eq!(items[0]["target"]["type"], "referral");
    assert_eq!(items[0]["changes"], json!({}));
    // Each read is its own: a second one is logged and audited again.
    get(&app, &w.admin, &format!("{path}?reason=Encore")).await;
    assert_eq!(admin_logs(&app), 2);
    // Too long; unknown referral.
    problem(
        app.get(&format!("{path}?reason={}", "x".repeat(501)), &w.admin)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/referrals/{}?reason=x", uuid::Uuid::new_v4()),
            &w.admin,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Prescribers and counsellors are unchanged: no reason needed, a reason ignored.
    for token in [&w.prescriber, &w.counsellor] {
        get(&app, token, &path).await;
        get(&app, token, &format!("{path}?reason=x")).await;
    }
    // Receivers and pilots never read a referral.
    for token in [&w.receiver, &w.pilot] {
        problem(
            app.get(&format!("{path}?reason=x"), token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM admin_audit WHERE action = 'referral.read'"
        ),
        2
    );
}

#[actix_web::test]
async fn an_administrators_entered_in_error_needs_its_reason_and_is_audited() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &youth_body("Léa")).await;
    let rid = id(&r);
    let res = transit(
        &app,
        &w.admin,
        &rid,
        json!({"to": "closed", "outcome": "entered_in_error"}),
        Some("*"),
    )
    .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(!body.to_string().contains("Martin"), "{body}");
    let res = transit(
        &app,
        &w.admin,
        &rid,
        json!({"to": "closed", "outcome": "entered_in_error", "reason": "Saisi deux fois"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let audit = get(
        &app,
        &w.admin,
        &format!("/api/v1/admin-audit?target_type=referral&target_id={rid}"),
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{audit}");
    assert_eq!(items[0]["action"], "referral.transition");
    assert_eq!(items[0]["reason"], "Saisi deux fois");
    assert_eq!(items[0]["changes"]["outcome"]["to"], "entered_in_error");
    assert_eq!(
        items[0]["changes"]["status"],
        json!({"from": "submitted", "to": "closed"})
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM access_logs WHERE referral_id = '{rid}' \
                 AND action = 'update' AND reason = 'Saisi deux fois'"
            )
        ),
        1
    );
}

#[actix_web::test]
async fn an_administrator_without_a_reason_gets_no_youth_data_from_any_route() {
    let app = spawn().await;
    let w = app.world().await;
    let f = fixture(&app, &w, "Léa", "Messagerie pleine.").await;
    let before = count(&app, "SELECT count(*) AS n FROM access_logs");
    let (r1, r2, relay) = (&f.r1, &f.r2, &f.relay);
    let attempt = sql_text(
        &app,
        &format!("SELECT id::text AS v FROM contact_attempts WHERE referral_id = '{r1}' LIMIT 1"),
    )
    .unwrap();
    let consent = sql_text(
        &app,
        &format!("SELECT id::text AS v FROM consent_records WHERE referral_id = '{r1}' LIMIT 1"),
    )
    .unwrap();
    // Every route that shows a youth's data, and what a pure administrator gets.
    let routes: Vec<(String, StatusCode)> = vec![
        ("/api/v1/referrals".into(), StatusCode::FORBIDDEN),
        ("/api/v1/referrals?q=Martin".into(), StatusCode::FORBIDDEN),
        (
            format!("/api/v1/referrals/{r1}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/api/v1/referrals/{r2}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/api/v1/referrals/{r1}/events"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/contact-attempts"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/contact-attempts/{attempt}"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/consent"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/consent/{consent}"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/diagnostic"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/diagnostic/versions"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/prescriber-requests"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r1}/relays"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r2}/matches"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/referrals/{r2}/matches/exclusions"),
            StatusCode::FORBIDDEN,
        ),
        ("/api/v1/relays".into(), StatusCode::FORBIDDEN),
        (format!("/api/v1/relays/{relay}"), StatusCode::FORBIDDEN),
        (
            format!("/api/v1/youths/{}/export", f.youth),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (path, expected) in &routes {
        let res = app.get(path, &w.admin).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert_eq!(status, *expected, "{path}: {body}");
        for secret in [
            "Martin",
            "Léa",
            "+33",
            "lea.martin",
            "2000-01-15",
            "Messagerie",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret}: {body}");
        }
    }
    // The administrative reads an administrator does have show no youth's data either.
    for path in [
        "/api/v1/admin-audit",
        "/api/v1/jobs",
        "/api/v1/users",
        "/api/v1/me/notifications",
    ] {
        let res = app.get(path, &w.admin).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        for secret in [
            "Martin",
            "+33612",
            "+33798",
            "lea.martin",
            "2000-01-15",
            "Messagerie",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret}: {body}");
        }
    }
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM access_logs"),
        before,
        "nothing was read"
    );
    let _ = f.prescriber_client;
}

// ---------------------------------------------------------------------------------------
// Rectification.

async fn correct(
    app: &TestApp,
    token: &str,
    rid: &str,
    body: &Value,
    if_match: Option<&str>,
) -> Response {
    let mut r = app
        .req(
            Method::PATCH,
            &format!("/api/v1/referrals/{rid}/youth"),
            Some(token),
        )
        .json(body);
    if let Some(v) = if_match {
        r = r.header("if-match", v);
    }
    r.send().await.unwrap()
}

#[actix_web::test]
async fn a_counsellor_corrects_the_identity_and_only_the_fact_of_it_is_kept() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &youth_body("Lea")).await;
    let rid = id(&r);
    let res = take(&app, &w.counsellor, &rid).await;
    let version = header(&res, "etag");
    let body = json!({
        "first_name": "  Léa-Rose ", "last_name": "Martin-Durand", "birth_date": "2001-02-16",
        "legal_representative": {"name": "Mme Durand", "email": "durand@example.org"}
    });
    let res = correct(&app, &w.counsellor, &rid, &body, Some(&version)).await;
    let status = res.status();
    let new_version = header(&res, "etag");
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_ne!(new_version, version);
    assert_eq!(v["youth"]["first_name"], "Léa-Rose");
    assert_eq!(v["youth"]["last_name"], "Martin-Durand");
    assert_eq!(v["youth"]["birth_date"], "2001-02-16");
    assert_eq!(v["youth"]["legal_representative"]["name"], "Mme Durand");
    assert_eq!(v["youth"]["phone"], "+33612345678", "contact untouched");
    // The search finds the new name (the name key follows).
    let page = get(&app, &w.counsellor, "/api/v1/referrals?q=durand").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    // The event names the fields, never a value, old or new.
    let events = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/events"),
    )
    .await;
    let corrected: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "corrected")
        .collect();
    assert_eq!(corrected.len(), 1);
    assert_eq!(corrected[0]["actor"]["name"], "Test User");
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT array_to_string(fields, ',') AS v FROM events \
                 WHERE referral_id = '{rid}' AND kind = 'corrected'"
            )
        )
        .as_deref(),
        Some("first_name,last_name,birth_date,legal_representative")
    );
    for value in ["Lea", "2000-01-15", "Léa-Rose", "Durand", "2001-02-16"] {
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT count(*) AS n FROM events e LEFT JOIN event_notes n ON n.event_id = e.id \
                     WHERE (e::text || coalesce(n.note, '')) ILIKE '%{value}%'"
                )
            ),
            0,
            "{value} in events"
        );
    }
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM youth_contact_history"),
        0,
        "no old identity kept"
    );
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT first_name || ' ' || birth_date::text AS v FROM youths \
                 WHERE id = '{}'",
                r["youth"]["id"].as_str().unwrap()
            )
        )
        .as_deref(),
        Some("Léa-Rose 2001-02-16"),
        "the row holds the corrected values only"
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM access_logs WHERE referral_id = '{rid}' \
                 AND action = 'update' AND route = '/api/v1/referrals/{rid}/youth'"
            )
        ),
        1
    );
    // The same values again: nothing changes, nothing is recorded.
    let res = correct(&app, &w.counsellor, &rid, &body, Some("*")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "etag"), new_version);
    // Removing the legal representative of an adult.
    let res = correct(
        &app,
        &w.counsellor,
        &rid,
        &json!({"legal_representative": null}),
        Some(&new_version),
    )
    .await;
    let v: Value = res.json().await.unwrap();
    assert!(v["youth"]["legal_representative"].is_null(), "{v}");
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM events WHERE referral_id = '{rid}' AND kind = 'corrected'"
            )
        ),
        2
    );
    // A closed referral is corrected too: the right of rectification has no end.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "declined", "reason": "Ne souhaite pas."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = correct(
        &app,
        &w.counsellor,
        &rid,
        &json!({"first_name": "Léa"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn every_refusal_of_a_rectification_is_a_clear_problem_and_changes_nothing() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, c2) = elsewhere(&app).await;
    let r = refer(&app, &w.prescriber, &youth_body("Léa")).await;
    let rid = id(&r);
    let ok_body = json!({"first_name": "Lina"});
    problem(
        correct(&app, &w.counsellor, &rid, &ok_body, None).await,
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    problem(
        correct(&app, &w.counsellor, &rid, &ok_body, Some("\"99\"")).await,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    problem(
        correct(&app, &w.counsellor, &rid, &ok_body, Some("trois")).await,
        StatusCode::BAD_REQUEST,
        "invalid_if_match",
    )
    .await;
    for (body, field, code) in [
        (json!({"first_name": "   "}), "first_name", "required"),
        (
            json!({"last_name": "x".repeat(101)}),
            "last_name",
            "too_long",
        ),
        (
            json!({"birth_date": "1990-01-01"}),
            "birth_date",
            "age_out_of_range",
        ),
        (
            json!({"birth_date": "2015-01-01"}),
            "birth_date",
            "age_out_of_range",
        ),
        (
            json!({"birth_date": "1890-01-01"}),
            "birth_date",
            "date_out_of_range",
        ),
        (
            json!({"birth_date": "2010-06-01"}),
            "legal_representative",
            "legal_representative_required",
        ),
        (
            json!({"birth_date": "2010-06-01", "legal_representative": {"name": "M. Martin", "informed_on": "2026-03-01"}}),
            "legal_representative.phone",
            "no_contact",
        ),
        (
            json!({"legal_representative": {"name": "M. Martin", "phone": "12"}}),
            "legal_representative.phone",
            "invalid_phone",
        ),
        (
            json!({"birth_date": "2010-06-01", "legal_representative": {"name": "M. Martin", "phone": "0611223344", "informed_on": "2026-12-01"}}),
            "legal_representative.informed_on",
            "in_future",
        ),
    ] {
        let b = problem(
            correct(&app, &w.counsellor, &rid, &body, Some("*")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            field_codes(&b).contains(&(field.to_string(), code.to_string())),
            "{body}: {b}"
        );
    }
    problem(
        correct(
            &app,
            &w.counsellor,
            &rid,
            &json!({"phone": "0611223344"}),
            Some("*"),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "unknown_field",
    )
    .await;
    // A minor's correction with everything the rules need goes through.
    let res = correct(
        &app,
        &w.counsellor,
        &rid,
        &json!({"birth_date": "2010-06-01", "legal_representative":
                {"name": "M. Martin", "phone": "0611223344", "informed_on": "2026-03-01"}}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // By role: prescribers (they correct through PATCH /referrals/{id}), receivers, pilots and
    // administrators are refused; a counsellor of another territory does not find it.
    for token in [&w.prescriber, &w.receiver, &w.pilot, &w.admin] {
        problem(
            correct(&app, token, &rid, &ok_body, Some("*")).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    problem(
        correct(&app, &c2, &rid, &ok_body, Some("*")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An anonymised youth has nothing left to correct.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE youths SET anonymised_at = now() WHERE id = '{}'",
            r["youth"]["id"].as_str().unwrap()
        )),
        &mut app.db(),
    )
    .unwrap();
    problem(
        correct(&app, &w.counsellor, &rid, &ok_body, Some("*")).await,
        StatusCode::CONFLICT,
        "youth_anonymised",
    )
    .await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM events WHERE referral_id = '{rid}' AND kind = 'corrected'"
            )
        ),
        1,
        "only the one accepted correction"
    );
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT first_name AS v FROM youths WHERE id = '{}'",
                r["youth"]["id"].as_str().unwrap()
            )
        )
        .as_deref(),
        Some("Léa")
    );
}
