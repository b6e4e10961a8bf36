//! The administrator's import of a data·inclusion file (`/admin/imports`): the form (a file
//! and the motif), how far an import has gone, and its report told in French.
use api_types::{FieldError, ImportStatus, OfferImport};

use super::admin_forms::reason_error;
use super::error::field_message;
use super::form::{Errors, FormField, FormModel};

/// Rejected rows shown at once; "Afficher plus" shows the next ones (the API lists the first
/// 1,000 and counts them all).
pub const REJECTED_PAGE: usize = 50;

/// The fields of the import form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    File,
    Reason,
    Form,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::File => "import-file",
            Field::Reason => "import-reason",
            Field::Form => "formulaire-import",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::File => "Fichier",
            Field::Reason => "Motif",
            Field::Form => "Import",
        }
    }
}

pub const FILE_MISSING: &str = "Choisissez le fichier des structures ou des services à importer.";

/// The form as filled: the chosen file's name (the file itself stays in the page's input).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportForm {
    pub file_name: String,
    pub reason: String,
}

/// What the upload sends besides the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    pub file_name: String,
    pub reason: String,
}

impl FormModel for ImportForm {
    type Field = Field;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<Field> {
        let mut e = Errors::new();
        if self.file_name.is_empty() {
            e.add(Field::File, FILE_MISSING);
        }
        if let Some(m) = reason_error(&self.reason) {
            e.add(Field::Reason, m);
        }
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        match (e.field.as_str(), e.code.as_str()) {
            ("reason", code) => (Field::Reason, field_message(code)),
            ("file", "empty_file") => (Field::File, "Ce fichier est vide.".into()),
            ("file" | "file_name", _) => (
                Field::File,
                "Le nom de ce fichier est trop long (200 caractères au plus).".into(),
            ),
            (_, code) => (Field::Form, field_message(code)),
        }
    }
}

impl ImportForm {
    pub fn to_request(&self, ctx: &()) -> Result<ImportRequest, Errors<Field>> {
        let e = self.validate(ctx);
        if e.is_empty() {
            Ok(ImportRequest {
                file_name: self.file_name.clone(),
                reason: self.reason.trim().to_string(),
            })
        } else {
            Err(e)
        }
    }
}

/// Whether the import is over (its report final).
pub fn finished(i: &OfferImport) -> bool {
    matches!(i.status, ImportStatus::Done | ImportStatus::Failed)
}

/// Where an import stands, in one sentence.
pub fn progress_text(i: &OfferImport) -> String {
    match i.status {
        ImportStatus::Queued => "En attente : l’import va commencer.".into(),
        ImportStatus::Running => format!(
            "Import en cours : {} % du fichier lu, {} lignes traitées.",
            percent(i.bytes_read, i.bytes),
            i.rows
        ),
        ImportStatus::Done => format!("Import terminé : {} lignes lues.", i.rows),
        ImportStatus::Failed => format!(
            "L’import s’est arrêté : {}",
            i.error.clone().unwrap_or_else(|| "raison inconnue.".into())
        ),
    }
}

/// The share of the file read, 0 to 100.
pub fn percent(read: i64, total: i64) -> i64 {
    if total <= 0 {
        return 0;
    }
    (read.clamp(0, total) * 100) / total
}

/// The report's figures, each with its French label.
pub fn figures(i: &OfferImport) -> Vec<(&'static str, i64)> {
    vec![
        ("Créés", i.created),
        ("Mis à jour", i.updated),
        ("Inchangés", i.unchanged),
        ("Refusés", i.rejected),
        ("Suspendus (absents du fichier)", i.suspended),
    ]
}

/// Below the rejected rows shown: what is not listed.
pub fn unlisted_text(i: &OfferImport) -> Option<String> {
    let listed = i.rejected_rows.len() as i64;
    (i.rejected > listed).then(|| {
        format!(
            "{} autres lignes refusées ne sont pas listées (le rapport garde les {} premières).",
            i.rejected - listed,
            listed
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::ImportRejection;

    fn import(status: ImportStatus) -> OfferImport {
        OfferImport {
            id: uuid::Uuid::nil(),
            status,
            file_name: "services.json".into(),
            bytes: 200,
            bytes_read: 50,
            rows: 12,
            created: 3,
            updated: 2,
            unchanged: 1,
            rejected: 4,
            suspended: 0,
            rejected_rows: vec![ImportRejection {
                file: "services.json".into(),
                row: 3,
                id: Some("x".into()),
                reason: "thematiques[0]: unknown_code".into(),
            }],
            error: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            started_at: None,
            finished_at: None,
        }
    }

    #[test]
    fn file_and_reason_are_required() {
        let e = ImportForm::default().validate(&());
        assert_eq!(e.get(Field::File), Some(FILE_MISSING));
        assert!(e.get(Field::Reason).is_some());
        let ok = ImportForm {
            file_name: "s.csv".into(),
            reason: "  édition du 1er décembre ".into(),
        };
        assert_eq!(
            ok.to_request(&()).unwrap(),
            ImportRequest {
                file_name: "s.csv".into(),
                reason: "édition du 1er décembre".into()
            }
        );
    }

    #[test]
    fn api_errors_go_to_their_fields() {
        let f = |field: &str, code: &str| ImportForm::api_error(&FieldError::new(field, code, ""));
        assert_eq!(f("reason", "required").0, Field::Reason);
        assert_eq!(
            f("file", "empty_file"),
            (Field::File, "Ce fichier est vide.".into())
        );
        assert_eq!(f("file_name", "invalid_length").0, Field::File);
        assert_eq!(f("other", "required").0, Field::Form);
    }

    #[test]
    fn progress_is_told_by_status() {
        assert!(!finished(&import(ImportStatus::Queued)));
        assert!(!finished(&import(ImportStatus::Running)));
        assert!(finished(&import(ImportStatus::Done)));
        assert!(finished(&import(ImportStatus::Failed)));
        assert_eq!(
            progress_text(&import(ImportStatus::Running)),
            "Import en cours : 25 % du fichier lu, 12 lignes traitées."
        );
        let mut failed = import(ImportStatus::Failed);
        failed.error = Some("unreadable file".into());
        assert_eq!(
            progress_text(&failed),
            "L’import s’est arrêté : unreadable file"
        );
        assert_eq!(percent(10, 0), 0);
        assert_eq!(percent(300, 200), 100);
    }

    #[test]
    fn unlisted_rejections_are_counted() {
        let i = import(ImportStatus::Done);
        assert_eq!(
            unlisted_text(&i).as_deref(),
            Some(
                "3 autres lignes refusées ne sont pas listées (le rapport garde les 1 premières)."
            )
        );
        let mut all = i.clone();
        all.rejected = 1;
        assert_eq!(unlisted_text(&all), None);
        assert_eq!(figures(&i)[3], ("Refusés", 4));
    }
}
