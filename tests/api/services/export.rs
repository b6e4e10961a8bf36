use super::*;

/// The fields of data·inclusion schema v1 (1.0.10), the only keys an export may carry.
const V1_SERVICE: [&str; 33] = [
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "modes_accueil",
    "zone_eligibilite",
    "contact_nom_prenom",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    "horaires_accueil",
];
const V1_STRUCTURE: [&str; 20] = [
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
];

#[actix_web::test]
async fn the_export_holds_published_services_in_v1_shape_only() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let s = app
        .published(&w.receiver, service("Région", "69266", json!({"zone_eligibilite": ["R84", "200046977"], "age_min": 16, "capacity": {"available": 1}})))
        .await;
    app.published(&w.receiver, service("Autre", "69383", json!({})))
        .await;
    json_of(
        app.post(
            "/api/v1/services",
            &w.receiver,
            &service("Brouillon", "69266", json!({})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let page = json_of(
        app.anon("/api/v1/services/export?limit=1").await,
        StatusCode::OK,
    )
    .await;
    let mut services = page["services"].as_array().expect("services").clone();
    let next = page["next_cursor"].as_str().expect("a second page");
    let rest = json_of(
        app.anon(&format!("/api/v1/services/export?limit=1&cursor={next}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(rest["next_cursor"].is_null());
    services.extend(rest["services"].as_array().expect("services").clone());
    assert_eq!(services.len(), 2, "drafts are not exported");
    for o in &services {
        for k in o.as_object().expect("object").keys() {
            assert!(V1_SERVICE.contains(&k.as_str()), "unknown key {k}");
        }
        assert!(o["contact_nom_prenom"].is_null());
        assert_eq!(o["source"], "sas");
        assert_eq!(o["structure_id"], w.receiver_id.as_str());
    }
    let region = services
        .iter()
        .find(|o| o["id"] == s["id"])
        .expect("exported");
    let zone: Vec<&str> = region["zone_eligibilite"]
        .as_array()
        .expect("zone")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        zone.contains(&"69") && zone.contains(&"38") && zone.contains(&"200046977"),
        "{zone:?}"
    );
    assert!(!zone.iter().any(|z| z.starts_with('R')));
    let structures = page["structures"].as_array().expect("structures");
    assert_eq!(structures.len(), 1);
    for k in structures[0].as_object().expect("object").keys() {
        assert!(V1_STRUCTURE.contains(&k.as_str()), "unknown key {k}");
    }
}
