//! Operator commands: migrations, the bootstrap administrator and the demo data of `make run`.
use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection};
use uuid::Uuid;

use crate::auth::password;
use crate::config::{Env, Settings};
use crate::db::{admin_audit, communes, migrations, structures, territories, users};

/// Password of every demo account (printed by `make run`; dev only).
pub const DEMO_PASSWORD: &str = "demo-sas-2026!";

pub fn migrate(database_url: &str) -> Result<(), String> {
    let mut conn = PgConnection::establish(database_url).map_err(|e| e.to_string())?;
    let applied = migrations::run_pending(&mut conn).map_err(|e| e.to_string())?;
    log::info!("{} migration(s) applied", applied.len());
    Ok(())
}

struct DemoUser {
    email: &'static str,
    first: &'static str,
    last: &'static str,
    roles: &'static [&'static str],
    /// Index into `DEMO_STRUCTURES`.
    structure: Option<usize>,
}

fn user_row(
    u: &DemoUser,
    hash: &str,
    structure_id: Option<Uuid>,
    territory_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> users::UserRow {
    users::UserRow {
        id: Uuid::now_v7(),
        email: u.email.to_lowercase(),
        first_name: u.first.into(),
        last_name: u.last.into(),
        password_hash: hash.into(),
        roles: u.roles.iter().map(|r| r.to_string()).collect(),
        structure_id,
        territory_id,
        active: true,
        deactivated_at: None,
        last_login_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
        session_version: 1,
        // Demo accounts (dev only) and the bootstrap admin (whose password the operator chose)
        // are not temporary.
        password_change_required: false,
    }
}

/// Why `seed-demo` refuses to run outside dev.
pub const SEED_DEMO_REFUSED: &str = "seed-demo creates accounts whose password is published \
    in the README: it only runs with SAS_ENV=dev";

/// Reason recorded in the administrative audit for the bootstrap administrator.
const BOOTSTRAP_REASON: &str = "Bootstrap administrator (SAS_BOOTSTRAP_ADMIN_EMAIL at start-up)";

/// Creates the first administrator when no active one exists.
pub fn bootstrap_admin(
    conn: &mut PgConnection,
    email: &str,
    pw: &str,
    now: DateTime<Utc>,
) -> Result<(), String> {
    if users::any_admin(conn).map_err(|e| e.to_string())? {
        return Ok(());
    }
    let email = email.trim().to_lowercase();
    if !crate::domain::text::is_email(&email) {
        return Err("SAS_BOOTSTRAP_ADMIN_EMAIL is not an email address".into());
    }
    if pw.chars().count() < password::MIN_LENGTH {
        return Err("SAS_BOOTSTRAP_ADMIN_PASSWORD needs at least 12 characters".into());
    }
    if users::by_email(conn, &email)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("{email} exists but is not an active admin"));
    }
    let hash = password::hash(pw).map_err(|e| e.to_string())?;
    let mut row = user_row(&BOOTSTRAP, &hash, None, None, now);
    row.email = email.clone();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let user = users::insert(conn, &row)?;
        admin_audit::insert(
            conn,
            &admin_audit::NewAuditRow {
                id: Uuid::now_v7(),
                occurred_at: now,
                actor_user_id: None,
                action: "user.create".into(),
                target_type: "user".into(),
                target_id: user.id,
                changes: serde_json::json!({
                    "email": {"to": user.email},
                    "roles": {"to": user.roles},
                    "password": "password_set",
                }),
                reason: BOOTSTRAP_REASON.into(),
            },
        )?;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    // Not the email: logs never hold personal data.
    log::info!("bootstrap administrator created");
    Ok(())
}

struct DemoStructure {
    name: &'static str,
    kind: &'static str,
    commune: &'static str,
    postal: &'static str,
    address: &'static str,
    prescriber: bool,
    receiver: bool,
    sas_team: bool,
}

const DEMO_STRUCTURES: [DemoStructure; 10] = [
    DemoStructure {
        name: "SAS Métropole de Lyon",
        kind: "ASSO",
        commune: "69383",
        postal: "69003",
        address: "20 rue de la Part-Dieu",
        prescriber: false,
        receiver: false,
        sas_team: true,
    },
    DemoStructure {
        name: "ASE du Rhône – Maison de la Métropole Lyon 8e",
        kind: "ASE",
        commune: "69388",
        postal: "69008",
        address: "12 avenue des Frères Lumière",
        prescriber: true,
        receiver: false,
        sas_team: false,
    },
    DemoStructure {
        name: "SPIP du Rhône",
        kind: "SPIP",
        commune: "69387",
        postal: "69007",
        address: "3 rue Pierre Bourdan",
        prescriber: true,
        receiver: false,
        sas_team: false,
    },
    DemoStructure {
        name: "PJJ – Direction territoriale Rhône-Ain",
        kind: "PJJ",
        commune: "69383",
        postal: "69003",
        address: "8 rue Garibaldi",
        prescriber: true,
        receiver: false,
        sas_team: false,
    },
    DemoStructure {
        name: "Mission Locale de Lyon",
        kind: "ML",
        commune: "69387",
        postal: "69007",
        address: "4 rue Sala",
        prescriber: true,
        receiver: true,
        sas_team: false,
    },
    DemoStructure {
        name: "Mission Locale de Villeurbanne",
        kind: "ML",
        commune: "69266",
        postal: "69100",
        address: "22 rue Francis de Pressensé",
        prescriber: true,
        receiver: true,
        sas_team: false,
    },
    DemoStructure {
        name: "France Travail Lyon Part-Dieu",
        kind: "FT",
        commune: "69383",
        postal: "69003",
        address: "45 boulevard Vivier-Merle",
        prescriber: true,
        receiver: true,
        sas_team: false,
    },
    DemoStructure {
        name: "E2C Lyon Métropole",
        kind: "E2C",
        commune: "69389",
        postal: "69009",
        address: "18 rue de Bourgogne",
        prescriber: false,
        receiver: true,
        sas_team: false,
    },
    DemoStructure {
        name: "EPIDE de Meyzieu",
        kind: "EPIDE",
        commune: "69282",
        postal: "69330",
        address: "Chemin de la Ferrière",
        prescriber: false,
        receiver: true,
        sas_team: false,
    },
    DemoStructure {
        name: "Association Prado Rhône-Alpes – prévention spécialisée",
        kind: "ASSO",
        commune: "69266",
        postal: "69100",
        address: "5 rue du Docteur Rollet",
        prescriber: true,
        receiver: true,
        sas_team: false,
    },
];

const BOOTSTRAP: DemoUser = DemoUser {
    email: "",
    first: "Admin",
    last: "SAS",
    roles: &["admin"],
    structure: None,
};

/// One demo account per role, and a Mission locale agent who both refers and receives.
const DEMO_USERS: [DemoUser; 6] = [
    DemoUser {
        email: "admin@sas.demo",
        first: "Alix",
        last: "Administratrice",
        roles: &["admin"],
        structure: None,
    },
    DemoUser {
        email: "prescripteur@sas.demo",
        first: "Paul",
        last: "Prescripteur",
        roles: &["prescriber"],
        structure: Some(1),
    },
    DemoUser {
        email: "aiguilleur@sas.demo",
        first: "Awa",
        last: "Aiguilleuse",
        roles: &["counsellor"],
        structure: Some(0),
    },
    DemoUser {
        email: "accueil@sas.demo",
        first: "Rémi",
        last: "Accueil",
        roles: &["receiver"],
        structure: Some(7),
    },
    DemoUser {
        email: "pilote@sas.demo",
        first: "Inès",
        last: "Pilote",
        roles: &["pilot"],
        structure: None,
    },
    DemoUser {
        email: "mission-locale@sas.demo",
        first: "Marc",
        last: "Conseiller",
        roles: &["prescriber", "receiver"],
        structure: Some(4),
    },
];

pub const DEMO_TERRITORY: &str = "Métropole de Lyon";
/// The demo account that is invited rather than given the demo password.
pub const DEMO_INVITED: &str = "nouvelle@sas.demo";
const LYON_EPCI: &str = "200046977";

/// Creates (once) the Métropole de Lyon territory, its structures and one account per role.
/// Refused unless `SAS_ENV=dev`: the demo password is public.
pub fn seed_demo(settings: &Settings) -> Result<(), String> {
    if settings.env != Env::Dev {
        return Err(SEED_DEMO_REFUSED.into());
    }
    let mut conn = PgConnection::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let hash = password::hash(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    let now = Utc::now();
    conn.transaction::<_, Box<dyn std::error::Error + Send + Sync>, _>(|conn| {
        Ok(seed_demo_in(conn, &hash, now)?)
    })
    .map_err(|e| e.to_string())?;
    println!("Demo territory: {DEMO_TERRITORY} (58 communes of EPCI {LYON_EPCI} and the 9 arrondissements of Lyon)");
    println!("Demo accounts (password: {DEMO_PASSWORD}):");
    for u in &DEMO_USERS {
        println!("  {:<28} {}", u.email, u.roles.join(" + "));
    }
    println!("Invited (no password yet; open the link of its mail): {DEMO_INVITED}");
    Ok(())
}

fn seed_demo_in(conn: &mut PgConnection, hash: &str, now: DateTime<Utc>) -> Result<(), String> {
    let e = |e: diesel::result::Error| e.to_string();
    if users::by_email(conn, DEMO_USERS[0].email)
        .map_err(e)?
        .is_some()
    {
        log::info!("demo data already present");
        return Ok(());
    }
    let territory = territories::insert(
        conn,
        &territories::TerritoryRow {
            id: Uuid::now_v7(),
            name: DEMO_TERRITORY.into(),
            time_zone: "Europe/Paris".into(),
            unreachable_min_attempts: 5,
            unreachable_min_days: 21,
            unreachable_min_channels: 2,
            created_at: now,
            updated_at: now,
            version: 1,
        },
    )
    .map_err(e)?;
    let (codes, _) = communes::expand(conn, &[], &[LYON_EPCI.to_string()], &[]).map_err(e)?;
    territories::add_communes(conn, territory.id, &codes).map_err(e)?;
    let mut ids = Vec::new();
    for s in &DEMO_STRUCTURES {
        let c = communes::get(conn, s.commune).map_err(e)?;
        let row = structures::insert(
            conn,
            &structures::StructureRow {
                id: Uuid::now_v7(),
                name: s.name.into(),
                kind: s.kind.into(),
                siret: None,
                address: Some(s.address.into()),
                postal_code: Some(s.postal.into()),
                commune_insee: Some(s.commune.into()),
                latitude: c.as_ref().map(|c| c.latitude),
                longitude: c.as_ref().map(|c| c.longitude),
                phone: None,
                email: None,
                website: None,
                opening_hours: None,
                reseaux_porteurs: Vec::new(),
                prescriber: s.prescriber,
                receiver: s.receiver,
                sas_team: s.sas_team,
                sensitive: crate::domain::vocab::SENSITIVE_KINDS.contains(&s.kind),
                territory_id: (s.sas_team || s.receiver || s.prescriber).then_some(territory.id),
                created_at: now,
                updated_at: now,
                version: 1,
            },
        )
        .map_err(e)?;
        ids.push(row.id);
    }
    for u in &DEMO_USERS {
        let territory_id = u.roles.contains(&"pilot").then_some(territory.id);
        let structure_id = u.structure.and_then(|i| ids.get(i).copied());
        users::insert(conn, &user_row(u, hash, structure_id, territory_id, now)).map_err(e)?;
    }
    // One account is only invited: its mail (in the local mail catcher of `make run`) shows
    // the invitation, and its link sets the password.
    let invited = DemoUser {
        email: DEMO_INVITED,
        first: "Nina",
        last: "Nouvelle",
        roles: &["admin"],
        structure: None,
    };
    let row = user_row(&invited, password::UNUSABLE, None, None, now);
    let id = users::insert(conn, &row).map_err(e)?.id;
    crate::db::password_tokens::issue_and_mail(conn, id, "invitation", now).map_err(e)?;
    Ok(())
}
