//! Operator commands: migrations, the bootstrap administrator and the demo data of `make run`.
use api_types::{Frais, ServiceStatus, ServiceType};
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

/// Demo services of the receiving structures (indices of `DEMO_STRUCTURES`): what the
/// public directory shows near Villeurbanne.
struct DemoService {
    structure: usize,
    nom: &'static str,
    description: &'static str,
    kind: ServiceType,
    thematiques: &'static [&'static str],
    commune: &'static str,
    modes: &'static [&'static str],
    zone: &'static [&'static str],
    ages: (Option<i32>, Option<i32>),
    places: Option<(i32, i32)>,
    status: ServiceStatus,
}

const DEMO_SERVICES: [DemoService; 6] = [
    DemoService {
        structure: 7,
        nom: "Parcours E2C : remise à niveau et stages en entreprise",
        description: "Une formation de six à neuf mois pour reprendre les savoirs de base, découvrir des métiers en stage et construire un projet professionnel, avec un accompagnement individuel.",
        kind: ServiceType::Formation,
        thematiques: &["choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", "lecture-ecriture-calcul--maitriser-le-francais"],
        commune: "69389",
        modes: &["en-presentiel"],
        zone: &["200046977"],
        ages: (Some(16), Some(25)),
        places: Some((4, 20)),
        status: ServiceStatus::Published,
    },
    DemoService {
        structure: 5,
        nom: "Accompagnement vers l’emploi des jeunes",
        description: "Un conseiller vous suit dans votre recherche d’emploi ou de formation : candidatures, entretiens, aides à la mobilité.",
        kind: ServiceType::Accompagnement,
        thematiques: &["trouver-un-emploi--repondre-a-des-offres-demploi", "mobilite--financer-ma-mobilite"],
        commune: "69266",
        modes: &["en-presentiel"],
        zone: &["69266"],
        ages: (Some(16), Some(25)),
        places: None,
        status: ServiceStatus::Published,
    },
    DemoService {
        structure: 6,
        nom: "Atelier CV et lettre de motivation",
        description: "Un atelier collectif de deux heures pour réaliser ou améliorer son CV et sa lettre de motivation, sur place ou en visio.",
        kind: ServiceType::Atelier,
        thematiques: &["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
        commune: "69383",
        modes: &["a-distance", "en-presentiel"],
        zone: &["69"],
        ages: (Some(18), None),
        places: Some((8, 12)),
        status: ServiceStatus::Published,
    },
    DemoService {
        structure: 8,
        nom: "Contrat EPIDE : internat et insertion",
        description: "Un parcours en internat de huit mois : remise à niveau, sport, citoyenneté et préparation à l’emploi, avec une allocation mensuelle.",
        kind: ServiceType::Accompagnement,
        thematiques: &["trouver-un-emploi--repondre-a-des-offres-demploi", "remobilisation--bien-etre-confiance-en-soi"],
        commune: "69282",
        modes: &["en-presentiel"],
        zone: &["france"],
        ages: (Some(17), Some(25)),
        places: Some((0, 30)),
        status: ServiceStatus::Published,
    },
    DemoService {
        structure: 9,
        nom: "Ateliers numériques pour tous",
        description: "Apprendre à utiliser un ordinateur et un smartphone, créer une adresse électronique, faire ses démarches en ligne.",
        kind: ServiceType::Atelier,
        thematiques: &["numerique--maitriser-les-fondamentaux-du-numerique", "numerique--acceder-a-des-services-en-ligne"],
        commune: "69266",
        modes: &["en-presentiel"],
        zone: &[],
        ages: (None, None),
        places: None,
        status: ServiceStatus::Published,
    },
    DemoService {
        structure: 7,
        nom: "Atelier cuisine (en préparation)",
        description: "Un atelier encore en préparation : il n’est pas publié.",
        kind: ServiceType::Atelier,
        thematiques: &["remobilisation--lien-social"],
        commune: "69389",
        modes: &["en-presentiel"],
        zone: &["200046977"],
        ages: (None, None),
        places: None,
        status: ServiceStatus::Draft,
    },
];

fn demo_service(
    d: &DemoService,
    structure: Uuid,
    position: Option<(f64, f64)>,
    now: DateTime<Utc>,
) -> crate::db::services::ServiceRow {
    let codes = |l: &[&str]| l.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    crate::db::services::ServiceRow {
        id: crate::ids::ServiceId::new(),
        structure_id: crate::ids::StructureId(structure),
        source: "sas".into(),
        source_id: None,
        nom: d.nom.into(),
        description: d.description.into(),
        lien_source: None,
        type_: Some(d.kind),
        thematiques: codes(d.thematiques),
        frais: Some(Frais::Gratuit),
        frais_precisions: None,
        publics: vec!["jeunes".into()],
        publics_precisions: None,
        conditions_acces: None,
        adresse: None,
        complement_adresse: None,
        code_postal: None,
        commune_insee: Some(d.commune.into()),
        telephone: Some("04 72 00 00 00".into()),
        courriel: Some("contact@structure.example.org".into()),
        modes_accueil: codes(d.modes),
        zone_eligibilite: codes(d.zone),
        contact_nom_prenom: None,
        lien_mobilisation: None,
        modes_mobilisation: vec!["telephoner".into()],
        mobilisable_par: vec!["professionnels".into(), "usagers".into()],
        mobilisation_precisions: None,
        volume_horaire_hebdomadaire: None,
        nombre_semaines: None,
        horaires_accueil: Some("Du lundi au vendredi, 9 h – 17 h".into()),
        latitude: position.map(|p| p.0),
        longitude: position.map(|p| p.1),
        age_min: d.ages.0,
        age_max: d.ages.1,
        places_available: d.places.map(|p| p.0),
        places_maximum: d.places.map(|p| p.1),
        places_updated_at: d.places.map(|_| now),
        status: d.status,
        date_maj: crate::routes::services::today(now),
        source_values: None,
        locally_edited: Vec::new(),
        source_seen_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

pub const DEMO_TERRITORY: &str = "Métropole de Lyon";
/// The demo account that is invited rather than given the demo password.
pub const DEMO_INVITED: &str = "nouvelle@sas.demo";
const LYON_EPCI: &str = "200046977";

/// Creates (once) the Métropole de Lyon territory, its structures and one account per role.
/// Refused unless `SAS_ENV=dev`: the demo password is public.
/// Demo youths (first, last, birth date, phone) referred by the ASE and relayed to the E2C:
/// one waiting for the E2C's answer (its mail is in MailDev), one taken in charge.
const DEMO_YOUTHS: [(&str, &str, &str, &str); 2] = [
    ("Léa", "Martin", "2007-05-14", "06 12 34 56 78"),
    ("Yanis", "Benali", "2006-11-02", "06 98 76 54 32"),
];

/// Referrals of the demo prescriber, reached and diagnosed by the demo counsellor, relayed to
/// the E2C (the demo receiver): the first waits for its answer, the second was accepted and
/// started (its checkpoints are due at J+30/90/180). Mails land in the outbox like any.
fn seed_relays(
    conn: &mut PgConnection,
    structures: &[Uuid],
    services: &[crate::ids::ServiceId],
    people: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), String> {
    use crate::db::journal::{Journal, Who};
    use crate::db::referrals::Scope;
    use crate::domain::referral::lifecycle::{By, Capacity, Request};
    use crate::domain::relay::{self, Action, Details};
    use crate::ids::{RelayId, StructureId, UserId};
    use api_types::Status;
    let (Some(&ase), Some(&prescriber), Some(&counsellor), Some(&receiver), Some(&service)) = (
        structures.get(1),
        people.get(1),
        people.get(2),
        people.get(3),
        services.first(),
    ) else {
        return Ok(());
    };
    let team = structures.first().copied().map(StructureId);
    let p = Journal::new(
        Who::User(UserId(prescriber)),
        Some(StructureId(ase)),
        "seed",
        now,
    );
    let c = Journal::new(Who::User(UserId(counsellor)), team, "seed", now);
    let r = Journal::new(
        Who::User(UserId(receiver)),
        structures.get(7).copied().map(StructureId),
        "seed",
        now,
    );
    let by_counsellor = |_: &crate::db::referrals::ReferralRow| By {
        capacity: Capacity::Counsellor,
        user: Some(UserId(counsellor)),
    };
    for (i, (first, last, birth, phone)) in DEMO_YOUTHS.iter().enumerate() {
        let body: api_types::ReferralCreate = serde_json::from_value(serde_json::json!({
            "youth": {"first_name": first, "last_name": last, "birth_date": birth, "phone": phone,
                      "commune_insee": "69388", "contact_channels": ["phone", "sms"]},
            "reason_code": "ase_exit",
            "exit_date": (now + chrono::Duration::days(60)).date_naive(),
            "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
            "consent": {"informed_at": now, "informed_by": "Paul Prescripteur, éducateur",
                        "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]}
        }))
        .map_err(|e| e.to_string())?;
        let parsed = crate::domain::youth::parse(body, now).map_err(|e| format!("{e:?}"))?;
        let id = crate::routes::referrals::create::insert(conn, StructureId(ase), parsed, &p)
            .map_err(|e| e.to_string())?;
        let fail = |e: crate::db::referrals::TransitionError| format!("{e:?}");
        crate::db::referrals::transition(
            conn,
            id,
            Scope::ALL,
            &Request::to(Status::Contacting),
            by_counsellor,
            None,
            &c,
        )
        .map_err(fail)?;
        crate::db::referrals::transition(
            conn,
            id,
            Scope::ALL,
            &Request::to(Status::Diagnosis),
            |_| By::SYSTEM,
            None,
            &c,
        )
        .map_err(fail)?;
        let summary = "Motivé·e, souhaite une formation avec des stages en entreprise.";
        crate::db::diagnostics::insert(
            conn,
            &crate::db::diagnostics::DiagnosticRow {
                referral_id: id,
                version: 1,
                content: serde_json::json!({"needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"]}),
                shared_summary: Some(summary.into()),
                saved_at: now,
                saved_by: Some(UserId(counsellor)),
                blanked_at: None,
            },
        )
        .map_err(|e| e.to_string())?;
        let row = crate::db::relays::RelayRow {
            id: RelayId::new(),
            referral_id: id,
            service_id: service,
            structure_id: structures
                .get(7)
                .copied()
                .map(StructureId)
                .unwrap_or(StructureId(ase)),
            off_platform: false,
            status: api_types::RelayStatus::Requested,
            reason: None,
            reason_text: None,
            outcome: None,
            needs: vec!["trouver-un-emploi--repondre-a-des-offres-demploi".into()],
            shared_summary: Some(summary.into()),
            requested_by_user_id: Some(UserId(counsellor)),
            requested_by_client_id: None,
            requested_at: now,
            answered_at: None,
            started_at: None,
            ended_at: None,
            updated_at: now,
            version: 1,
        };
        let err = |e: crate::db::relays::ActError| format!("{e:?}");
        let row = crate::db::relays::request(conn, &row, &c).map_err(err)?;
        if i == 1 {
            for action in [Action::Accept, Action::Start] {
                crate::db::relays::act(
                    conn,
                    row.id,
                    action,
                    relay::Capacity::Receiver,
                    &Details::default(),
                    None,
                    &r,
                )
                .map_err(err)?;
            }
        }
    }
    Ok(())
}

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
    let mut services = Vec::new();
    for d in &DEMO_SERVICES {
        let structure = ids.get(d.structure).copied().unwrap_or_default();
        let c = communes::get(conn, d.commune).map_err(e)?;
        let row = crate::db::services::insert(
            conn,
            &demo_service(d, structure, c.map(|c| (c.latitude, c.longitude)), now),
        )
        .map_err(e)?;
        services.push(row.id);
    }
    let mut people = Vec::new();
    for u in &DEMO_USERS {
        let territory_id = u.roles.contains(&"pilot").then_some(territory.id);
        let structure_id = u.structure.and_then(|i| ids.get(i).copied());
        let row =
            users::insert(conn, &user_row(u, hash, structure_id, territory_id, now)).map_err(e)?;
        people.push(row.id);
    }
    seed_relays(conn, &ids, &services, &people, now)?;
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
