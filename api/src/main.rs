//! `sas`: serve | migrate | openapi [PATH] | seed-demo
use std::process::ExitCode;
use std::sync::Arc;

use sas_api::clock::SystemClock;
use sas_api::config::Settings;
use sas_api::startup::{openapi, Application};

const USAGE: &str = "usage: sas <serve | migrate | openapi [PATH] | seed-demo>
  serve       run pending migrations, then serve the API (SAS_BIND)
  migrate     run pending migrations and exit
  openapi     write the OpenAPI document (YAML) to PATH, or stdout
  seed-demo   create the demo territory (Métropole de Lyon), structures and accounts
              (SAS_ENV=dev only: their password is public)";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("migrate") => with_settings(|s| sas_api::seed::migrate(&s.database_url)),
        Some("openapi") => write_openapi(args.get(1).map(String::as_str)),
        Some("seed-demo") => seed_demo(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn with_settings(f: impl FnOnce(Settings) -> Result<(), String>) -> Result<(), String> {
    let s = Settings::from_env().map_err(|e| e.to_string())?;
    f(s)
}

/// Refused before anything else unless SAS_ENV=dev (even without a JWT secret, which a
/// production configuration would require first).
fn seed_demo() -> Result<(), String> {
    if std::env::var("SAS_ENV").ok().as_deref() != Some("dev") {
        return Err(sas_api::seed::SEED_DEMO_REFUSED.into());
    }
    with_settings(|s| sas_api::seed::seed_demo(&s))
}

fn serve() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind;
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?;
        log::info!("SAS listening on http://{}:{}", bind.ip(), app.port());
        app.server().await.map_err(|e| e.to_string())
    })
}

fn write_openapi(path: Option<&str>) -> Result<(), String> {
    let yaml = sas_api::openapi::to_yaml(&openapi())?;
    match path {
        Some(p) => std::fs::write(p, yaml).map_err(|e| format!("{p}: {e}")),
        None => {
            print!("{yaml}");
            Ok(())
        }
    }
}
