/// `openapi.yaml` is the committed copy of what the code generates: `make openapi` rewrites it.
#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = sas_api::openapi::to_yaml(&sas_api::startup::openapi()).expect("yaml");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).expect("openapi.yaml exists");
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `make openapi` and commit it"
    );
}

#[test]
fn every_operation_documents_its_errors_and_has_a_description() {
    let doc: serde_json::Value = serde_json::to_value(sas_api::startup::openapi()).expect("json");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.contains_key("500"),
                "{method} {path} documents 500"
            );
            assert!(
                responses.keys().any(|k| k.starts_with('4')) || path.starts_with("/health"),
                "{method} {path} documents a 4xx"
            );
            for (code, r) in responses {
                assert!(
                    r.get("$ref").is_some()
                        || r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {code} has a description"
                );
            }
            assert!(op["summary"].is_string(), "{method} {path} has a summary");
        }
    }
}

/// What the server accepts is declared, so that schema-valid requests are accepted
/// (schemathesis' positive checks), and every status it gives is documented.
#[test]
fn cursors_and_if_match_have_a_declared_format_and_their_answers_are_documented() {
    let doc: serde_json::Value = serde_json::to_value(sas_api::startup::openapi()).expect("json");
    let mut cursors = 0;
    let mut if_matches = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            if path.contains('{') {
                assert!(
                    responses.contains_key("404"),
                    "{method} {path} documents 404"
                );
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                match (p["in"].as_str(), p["name"].as_str()) {
                    (Some("query"), Some("cursor")) => {
                        cursors += 1;
                        assert_eq!(
                            p["schema"]["pattern"], "^[A-Za-z0-9_-]*$",
                            "{method} {path}"
                        );
                    }
                    (Some("header"), Some("If-Match")) => {
                        if_matches += 1;
                        assert_eq!(p["required"], true, "{method} {path}");
                        assert!(p["schema"]["pattern"].is_string(), "{method} {path}");
                        for code in ["412", "428"] {
                            assert!(
                                responses.contains_key(code),
                                "{method} {path} documents {code}"
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(cursors >= 7, "{cursors} cursors");
    assert!(if_matches >= 6, "{if_matches} If-Match");
    let demote = &doc["paths"]["/api/v1/users/{id}"]["patch"]["responses"]["409"];
    assert!(
        demote["description"]
            .as_str()
            .is_some_and(|d| d.contains("cannot_demote_self")),
        "{demote}"
    );
}
