//! HTTP routes, one module per resource; every route is registered here, in one place.
use utoipa_actix_web::service_config::ServiceConfig;

pub mod admin_audit;
pub mod api_clients;
pub mod auth;
pub mod communes;
pub mod counsellors;
pub mod health;
pub mod idempotency;
pub mod jobs;
pub mod me;
pub mod referrals;
pub mod relays;
pub mod retention_runs;
pub mod services;
pub mod stats;
pub mod structures;
pub mod support;
pub mod territories;
pub mod users;
pub mod vocabularies;
pub mod webhooks;
pub mod youths;

/// Routes under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::token::token)
        .service(auth::logout::logout)
        .service(auth::password_reset::password_reset)
        .service(auth::set_password::set_password)
        .service(me::me)
        .service(me::password::password)
        .service(me::notifications::list)
        .service(me::notifications::get_settings)
        .service(me::notifications::put_settings)
        .service(communes::list)
        .service(communes::get)
        .service(vocabularies::list)
        .service(vocabularies::get)
        .service(territories::create)
        .service(territories::list)
        .service(territories::get)
        .service(territories::update)
        .service(structures::create)
        .service(structures::list)
        .service(structures::get)
        .service(structures::replace)
        .service(users::create::create)
        .service(users::list::list)
        .service(users::get::get)
        .service(users::update::update)
        .service(users::deactivate)
        .service(users::reactivate)
        .service(api_clients::create::create)
        .service(api_clients::list::list)
        .service(api_clients::get::get)
        .service(api_clients::revoke::revoke)
        .service(admin_audit::list::list)
        .service(jobs::overview::overview)
        .service(jobs::retry::retry)
        .service(retention_runs::list::list)
        .service(youths::erase::erase)
        .service(webhooks::create::create)
        .service(webhooks::list::list)
        .service(webhooks::get::get)
        .service(webhooks::delete::delete)
        .service(referrals::create::create)
        .service(referrals::list::list)
        .service(referrals::get::get)
        .service(referrals::update::update)
        .service(referrals::transition::transition)
        .service(referrals::assign::assign)
        .service(referrals::timeline::timeline)
        .service(referrals::consent_create::record_consent)
        .service(referrals::consent_list::consent_history)
        .service(referrals::consent_get::consent_record)
        // Before `/services/{id}`, which would take `search` for an id.
        .service(services::search::search)
        .service(services::imports::create::create_import)
        .service(services::imports::get::get_import)
        .service(services::export::export)
        .service(services::create::create)
        .service(services::list::list)
        .service(services::get::get)
        .service(services::update::update)
        .service(services::publish::publish)
        .service(services::suspend::suspend)
        .service(services::archive::archive)
        .service(referrals::attempt_create::create_attempt)
        .service(referrals::attempt_list::list_attempts)
        .service(referrals::attempt_get::get_attempt)
        .service(referrals::diagnostic_get::get_diagnostic)
        .service(referrals::diagnostic_put::put_diagnostic)
        .service(referrals::diagnostic_versions::diagnostic_versions)
        .service(referrals::matches::list_matches)
        .service(referrals::match_exclusion_list::list_match_exclusions)
        .service(referrals::match_exclusion_create::create_match_exclusion)
        .service(referrals::match_exclusion_delete::delete_match_exclusion)
        .service(referrals::youth_contact::youth_contact)
        .service(referrals::youth_correct::correct_youth)
        .service(referrals::transfer::transfer)
        .service(referrals::resume::resume)
        .service(referrals::request_list::list_requests)
        .service(referrals::request_answer::answer_request)
        .service(relays::create::create_relay)
        .service(relays::of_referral::list_referral_relays)
        .service(relays::inbox::relay_inbox)
        .service(relays::get::get_relay)
        .service(relays::accept::accept_relay)
        .service(relays::refuse::refuse_relay)
        .service(relays::start::start_relay)
        .service(relays::fail::fail_relay)
        .service(relays::complete::complete_relay)
        .service(relays::cancel::cancel_relay)
        .service(relays::checkpoint_answer::answer_checkpoint)
        .service(counsellors::list)
        .service(stats::funnel::get_funnel)
        .service(stats::indicators::get_indicators)
        .service(stats::export::get_export)
        .service(stats::targets_get::get_targets)
        .service(stats::targets_put::put_targets)
        .service(youths::export::export);
}

/// Health probes, outside the versioned API.
pub fn health(cfg: &mut ServiceConfig) {
    cfg.service(health::live).service(health::ready);
}
