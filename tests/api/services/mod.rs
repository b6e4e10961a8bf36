//! The offer, end to end: a receiving structure edits and publishes its services; anyone
//! searches and exports the published ones.
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

mod editing;
mod export;
mod import;
mod search;

pub const EMPLOI: &str = "trouver-un-emploi--repondre-a-des-offres-demploi";
pub const CV: &str = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation";
pub const NUMERIQUE: &str = "numerique--maitriser-les-fondamentaux-du-numerique";

/// A complete in-person service in `commune` (overridden by `extra`).
pub fn service(nom: &str, commune: &str, extra: Value) -> Value {
    let mut b = json!({
        "nom": nom,
        "description": "Un accompagnement vers l’emploi pour les jeunes.",
        "type": "accompagnement",
        "thematiques": [EMPLOI],
        "frais": "gratuit",
        "publics": ["jeunes"],
        "code_insee": commune,
        "modes_accueil": ["en-presentiel"],
        "telephone": "04 72 00 00 00",
        "courriel": "contact@e2c-test.fr",
        "contact_nom_prenom": "Claire Dubois",
    });
    merge(&mut b, extra);
    b
}

impl TestApp {
    pub async fn put_json(&self, path: &str, token: &str, version: &str, body: &Value) -> Response {
        self.req(Method::PUT, path, Some(token))
            .header("If-Match", version)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// POSTs an action with `If-Match`.
    pub async fn action(&self, path: &str, token: &str, version: &str) -> Response {
        self.req(Method::POST, path, Some(token))
            .header("If-Match", version)
            .send()
            .await
            .expect("request")
    }

    /// A GET without any token.
    pub async fn anon(&self, path: &str) -> Response {
        self.req(Method::GET, path, None)
            .send()
            .await
            .expect("request")
    }

    /// Creates a service as `token` and publishes it; returns it.
    pub async fn published(&self, token: &str, body: Value) -> Value {
        let res = self.post("/api/v1/services", token, &body).await;
        let status = res.status();
        let v: Value = res.json().await.expect("json");
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let id = v["id"].as_str().expect("id");
        let res = self
            .action(
                &format!("/api/v1/services/{id}/publish"),
                token,
                &format!("\"{}\"", v["version"]),
            )
            .await;
        let status = res.status();
        let v: Value = res.json().await.expect("json");
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }
}

pub async fn json_of(res: Response, status: StatusCode) -> Value {
    let got = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{v}");
    v
}
