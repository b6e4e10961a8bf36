//! `sas`: serve | migrate | openapi [PATH] | seed-demo
use sas_api::config::Settings;
use sas_api::startup::{openapi, Application};
use std::process::ExitCode;

const USAGE: &str =
    "usage: sas <serve | worker | migrate | openapi [PATH] | import-offer FILE… | seed-demo>
  serve       run pending migrations, then serve the API (SAS_BIND) and run the jobs
              (unless SAS_JOBS=off)
  worker      run pending migrations, then run the jobs only (as many as wanted)
  migrate     run pending migrations and exit
  openapi     write the OpenAPI document (YAML) to PATH, or stdout
  import-offer FILE…
              import data·inclusion structures and services files (JSON or CSV) as one
              edition, with a progress bar and a report
  seed-demo   create the demo territory (Métropole de Lyon), structures and accounts
              (SAS_ENV=dev only: their password is public)";

/// glibc raises its mmap threshold to the size of the largest block freed (up to 32 MiB): after
/// the first Argon2 check, the ~19 MiB of each check come from the heap of the thread that ran
/// it and stay there, so a burst of logins left ~19 MiB per blocking thread (1.5 GiB after 500
/// logins, docs/PERFORMANCE.md). A fixed threshold keeps large blocks in their own mappings,
/// returned to the system when freed. Set before any thread starts.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("worker") => worker(),
        Some("migrate") => with_settings(|s| sas_api::seed::migrate(&s.database_url)),
        Some("openapi") => write_openapi(args.get(1).map(String::as_str)),
        Some("seed-demo") => seed_demo(),
        Some("import-offer") if args.len() > 1 => import_offer(&args[1..]),
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
    let clock = sas_api::clock::for_settings(&settings)?;
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind;
        let app = Application::build(settings, clock)
            .await
            .map_err(|e| e.to_string())?;
        log::info!("SAS listening on http://{}:{}", bind.ip(), app.port());
        app.server().await.map_err(|e| e.to_string())
    })
}

/// The job runner alone: sweeps and one-off jobs, coordinated with every other runner
/// through Postgres.
fn worker() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let clock = sas_api::clock::for_settings(&settings)?;
    sas_api::seed::migrate(&settings.database_url)?;
    let ctx = sas_api::jobs::Context::new(settings, clock)?;
    let runner = sas_api::jobs::Runner::new(ctx);
    log::info!("SAS job runner {} started", runner.id());
    runner.spawn().map_err(|e| e.to_string())?.join();
    Ok(())
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

/// `sas import-offer FILE…`: a progress bar on stderr, the report on stdout.
fn import_offer(files: &[String]) -> Result<(), String> {
    use diesel::Connection;
    use std::io::Write;
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    sas_api::seed::migrate(&settings.database_url)?;
    let mut conn =
        diesel::PgConnection::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let files: Vec<std::path::PathBuf> = files.iter().map(Into::into).collect();
    let bar = |name: &str, read: u64, total: u64| {
        let share = if total == 0 {
            1.0
        } else {
            read as f64 / total as f64
        };
        let filled = (share * 30.0).round() as usize;
        eprint!(
            "\r{name} [{}{}] {:>3.0}% {:.1}/{:.1} MiB",
            "#".repeat(filled.min(30)),
            "-".repeat(30 - filled.min(30)),
            share * 100.0,
            read as f64 / 1048576.0,
            total as f64 / 1048576.0
        );
        if read >= total {
            eprintln!();
        }
        let _ = std::io::stderr().flush();
    };
    // More connections write the services meanwhile (`jobs::import::Writers`).
    let mut extra = sas_api::jobs::import::writer_connections(&settings.database_url);
    let mut writers: Vec<&mut diesel::PgConnection> = extra.iter_mut().collect();
    let report = sas_api::jobs::import::import_files_with(
        &mut conn,
        &mut writers,
        &files,
        chrono::Utc::now(),
        None,
        std::sync::Arc::new(bar),
        &mut |_, _| Ok(()),
    )
    .map_err(|e| e.to_string())?;
    println!(
        "{} rows: {} created, {} updated, {} unchanged, {} rejected; {} services suspended (missing from this edition)",
        report.rows, report.created, report.updated, report.unchanged, report.rejected, report.suspended
    );
    for r in &report.rejected_rows {
        println!(
            "rejected {} row {} ({}): {}",
            r.file,
            r.row,
            r.id.as_deref().unwrap_or("-"),
            r.reason
        );
    }
    Ok(())
}
