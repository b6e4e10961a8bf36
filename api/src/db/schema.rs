// Diesel table definitions, kept in step with migrations/ (a test checks the columns exist).
// @generated-style: same shape as `diesel print-schema` output.

diesel::table! {
    access_logs (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_user_id -> Nullable<Uuid>,
        actor_client_id -> Nullable<Uuid>,
        structure_id -> Nullable<Uuid>,
        action -> Text,
        youth_id -> Uuid,
        referral_id -> Nullable<Uuid>,
        route -> Text,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    admin_audit (id) {
        id -> Uuid,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
        actor_user_id -> Nullable<Uuid>,
        action -> Text,
        target_type -> Text,
        target_id -> Uuid,
        changes -> Jsonb,
        reason -> Text,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Uuid,
        client_id -> Text,
        name -> Text,
        structure_id -> Uuid,
        roles -> Array<Text>,
        secret_hash -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    communes (insee) {
        insee -> Text,
        name -> Text,
        search_name -> Text,
        kind -> Text,
        parent_insee -> Nullable<Text>,
        postal_codes -> Array<Text>,
        departement -> Text,
        epci -> Nullable<Text>,
        region -> Nullable<Text>,
        population -> Nullable<Int4>,
        latitude -> Float8,
        longitude -> Float8,
        coord_source -> Text,
        retired_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    events (id) {
        id -> Uuid,
        referral_id -> Uuid,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        code -> Nullable<Text>,
        relay_id -> Nullable<Uuid>,
        actor_user_id -> Nullable<Uuid>,
        actor_client_id -> Nullable<Uuid>,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
        territory_id -> Uuid,
        prescriber_kind -> Nullable<Text>,
        prescriber_structure_id -> Nullable<Uuid>,
        channel -> Text,
        exit_date -> Nullable<Date>,
        counsellor_id -> Nullable<Uuid>,
        fields -> Array<Text>,
        attempt_channel -> Nullable<Text>,
        to_territory_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    contact_attempts (id) {
        id -> Uuid,
        referral_id -> Uuid,
        attempted_at -> Timestamptz,
        channel -> Text,
        outcome -> Text,
        note -> Nullable<Text>,
        next_try_on -> Nullable<Date>,
        author_user_id -> Nullable<Uuid>,
        recorded_at -> Timestamptz,
        blanked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    prescriber_requests (id) {
        id -> Uuid,
        referral_id -> Uuid,
        attempt_id -> Uuid,
        message -> Nullable<Text>,
        opened_at -> Timestamptz,
        opened_by -> Nullable<Uuid>,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamptz>,
        answered_by_user -> Nullable<Uuid>,
        answered_by_client -> Nullable<Uuid>,
    }
}

diesel::table! {
    diagnostics (referral_id, version) {
        referral_id -> Uuid,
        version -> Int4,
        content -> Jsonb,
        shared_summary -> Nullable<Text>,
        saved_at -> Timestamptz,
        saved_by -> Nullable<Uuid>,
        blanked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    youth_contact_history (id) {
        id -> Uuid,
        youth_id -> Uuid,
        referral_id -> Uuid,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        contact_channels -> Array<Text>,
        contact_via_prescriber_only -> Bool,
        replaced_at -> Timestamptz,
        replaced_by_user -> Nullable<Uuid>,
        replaced_by_client -> Nullable<Uuid>,
    }
}

diesel::table! {
    event_notes (event_id) {
        event_id -> Uuid,
        referral_id -> Uuid,
        note -> Nullable<Text>,
        blanked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    consent_records (id) {
        id -> Uuid,
        referral_id -> Uuid,
        informed_at -> Timestamptz,
        informed_by -> Text,
        method -> Text,
        agreed -> Array<Text>,
        actor_user_id -> Nullable<Uuid>,
        actor_client_id -> Nullable<Uuid>,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    reference_data (name) {
        name -> Text,
        version -> Text,
        loaded_at -> Timestamptz,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Int8,
        key -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (caller, key) {
        caller -> Text,
        key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Int4>,
        location -> Nullable<Text>,
        response_body -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    referrals (id) {
        id -> Uuid,
        youth_id -> Uuid,
        channel -> Text,
        territory_id -> Uuid,
        prescriber_structure_id -> Nullable<Uuid>,
        created_by_user_id -> Nullable<Uuid>,
        created_by_client_id -> Nullable<Uuid>,
        reason_code -> Text,
        reason_text -> Nullable<Text>,
        exit_date -> Nullable<Date>,
        needs -> Array<Text>,
        status -> Text,
        on_hold_from -> Nullable<Text>,
        on_hold_reason -> Nullable<Text>,
        assigned_counsellor_id -> Nullable<Uuid>,
        outcome -> Nullable<Text>,
        previous_referral_id -> Nullable<Uuid>,
        submitted_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        contacting_since -> Nullable<Timestamptz>,
        last_attempt_at -> Nullable<Timestamptz>,
        next_try_on -> Nullable<Date>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        family_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Text,
        issued_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        session_started_at -> Timestamptz,
    }
}

diesel::table! {
    stat_targets (territory_id, indicator) {
        territory_id -> Uuid,
        indicator -> Text,
        value -> Float8,
        updated_at -> Timestamptz,
        updated_by_user_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    structures (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        siret -> Nullable<Text>,
        address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        commune_insee -> Nullable<Text>,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        opening_hours -> Nullable<Text>,
        reseaux_porteurs -> Array<Text>,
        prescriber -> Bool,
        receiver -> Bool,
        sas_team -> Bool,
        sensitive -> Bool,
        territory_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        source -> Nullable<Text>,
        source_id -> Nullable<Text>,
    }
}

diesel::table! {
    territories (id) {
        id -> Uuid,
        name -> Text,
        time_zone -> Text,
        unreachable_min_attempts -> Int4,
        unreachable_min_days -> Int4,
        unreachable_min_channels -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    territory_communes (commune_insee) {
        commune_insee -> Text,
        territory_id -> Uuid,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        first_name -> Text,
        last_name -> Text,
        password_hash -> Text,
        roles -> Array<Text>,
        structure_id -> Nullable<Uuid>,
        territory_id -> Nullable<Uuid>,
        active -> Bool,
        deactivated_at -> Nullable<Timestamptz>,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        session_version -> Int4,
        password_change_required -> Bool,
    }
}

diesel::table! {
    youths (id) {
        id -> Uuid,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        name_key -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        commune_insee -> Text,
        contact_channels -> Array<Text>,
        contact_via_prescriber_only -> Bool,
        legal_rep_name -> Nullable<Text>,
        legal_rep_phone -> Nullable<Text>,
        legal_rep_email -> Nullable<Text>,
        legal_rep_informed_on -> Nullable<Date>,
        anonymised_at -> Nullable<Timestamptz>,
        name_prefixes -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    service_events (id) {
        id -> Int8,
        service_id -> Uuid,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_user_id -> Nullable<Uuid>,
        actor_client_id -> Nullable<Uuid>,
        occurred_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::joinable!(admin_audit -> users (actor_user_id));
diesel::joinable!(api_clients -> structures (structure_id));
diesel::joinable!(territory_communes -> communes (commune_insee));
diesel::joinable!(territory_communes -> territories (territory_id));
diesel::joinable!(structures -> territories (territory_id));
diesel::joinable!(users -> structures (structure_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(referrals -> youths (youth_id));
diesel::joinable!(referrals -> territories (territory_id));
diesel::joinable!(events -> referrals (referral_id));
diesel::joinable!(event_notes -> events (event_id));
diesel::joinable!(consent_records -> referrals (referral_id));
diesel::joinable!(youths -> communes (commune_insee));
diesel::joinable!(contact_attempts -> referrals (referral_id));
diesel::joinable!(contact_attempts -> users (author_user_id));
diesel::joinable!(prescriber_requests -> contact_attempts (attempt_id));
diesel::joinable!(diagnostics -> referrals (referral_id));
diesel::joinable!(diagnostics -> users (saved_by));

diesel::joinable!(relays -> referrals (referral_id));
diesel::joinable!(relay_checkpoints -> relays (relay_id));

diesel::allow_tables_to_appear_in_same_query!(
    stat_targets,
    relays,
    relay_checkpoints,
    access_logs,
    admin_audit,
    api_clients,
    communes,
    consent_records,
    contact_attempts,
    diagnostics,
    event_notes,
    events,
    idempotency_keys,
    login_attempts,
    prescriber_requests,
    reference_data,
    referrals,
    refresh_tokens,
    service_events,
    structures,
    territories,
    territory_communes,
    users,
    youth_contact_history,
    youths,
);

diesel::table! {
    offer_imports (id) {
        id -> Uuid,
        status -> Text,
        file_name -> Text,
        file_path -> Nullable<Text>,
        bytes -> Int8,
        requested_by -> Nullable<Uuid>,
        bytes_read -> Int8,
        rows_read -> Int8,
        created -> Int8,
        updated -> Int8,
        unchanged -> Int8,
        rejected -> Int8,
        suspended -> Int8,
        report -> Jsonb,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    relays (id) {
        id -> Uuid,
        referral_id -> Uuid,
        service_id -> Uuid,
        structure_id -> Uuid,
        off_platform -> Bool,
        status -> Text,
        reason -> Nullable<Text>,
        reason_text -> Nullable<Text>,
        outcome -> Nullable<Text>,
        needs -> Array<Text>,
        shared_summary -> Nullable<Text>,
        requested_by_user_id -> Nullable<Uuid>,
        requested_by_client_id -> Nullable<Uuid>,
        requested_at -> Timestamptz,
        answered_at -> Nullable<Timestamptz>,
        started_at -> Nullable<Timestamptz>,
        ended_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    relay_checkpoints (relay_id, n) {
        relay_id -> Uuid,
        n -> Int4,
        due_on -> Date,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamptz>,
        answered_by_user_id -> Nullable<Uuid>,
        answered_by_client_id -> Nullable<Uuid>,
    }
}
