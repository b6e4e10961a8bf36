//! The API serves the built SPA from one origin: files, deep links, never under /api/.
use reqwest::{Method, StatusCode};

use crate::support::*;

fn build_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sas-spa-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>SAS</title>").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log('plain')").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), b"pretend-brotli").unwrap();
    dir
}

#[actix_web::test]
async fn deep_links_get_the_app_and_api_paths_never_do() {
    let dir = build_dir();
    let app = TestApp::spawn_with(&[("SAS_STATIC_DIR", dir.to_str().unwrap())]).await;
    for path in ["/", "/connexion", "/dossiers/123/historique"] {
        let res = app
            .req(Method::GET, path, None)
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let disposition = res
            .headers()
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_string());
        assert!(
            !disposition.unwrap_or_default().starts_with("attachment"),
            "shown, not downloaded"
        );
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-cache");
        assert!(res.text().await.unwrap().contains("<title>SAS</title>"));
    }
    for path in ["/api/v1/nothing", "/api/nothing", "/health/nothing"] {
        problem(
            app.req(Method::GET, path, None).send().await.unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let res = app
        .req(Method::GET, "/../Cargo.toml", None)
        .send()
        .await
        .unwrap();
    assert!(
        !res.text().await.unwrap().contains("[package]"),
        "no escape from the build folder"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[actix_web::test]
async fn hashed_assets_are_immutable_and_precompressed_when_accepted() {
    let dir = build_dir();
    let app = TestApp::spawn_with(&[("SAS_STATIC_DIR", dir.to_str().unwrap())]).await;
    let res = app
        .req(Method::GET, "/app-0123456789abcdef.js", None)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("cache-control").unwrap(),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers().get("content-encoding").unwrap(), "br");
    assert!(
        res.headers().get("content-disposition").is_none(),
        "shown, not downloaded"
    );
    assert!(res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"pretend-brotli");
    let res = app
        .req(Method::GET, "/app-0123456789abcdef.js", None)
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.text().await.unwrap(), "console.log('plain')");
    std::fs::remove_dir_all(dir).ok();
}
