//! The thematiques picker: data·inclusion codes grouped by family (`famille--besoin`),
//! searchable without accents.
use api_types::VocabularyEntry;

/// French name of a thematique family (the part of the code before `--`).
pub fn family_label(family: &str) -> String {
    let known = match family {
        "choisir-un-metier" => "Choisir un métier",
        "creer-une-entreprise" => "Créer une entreprise",
        "difficultes-administratives-ou-juridiques" => "Démarches administratives et droits",
        "difficultes-financieres" => "Difficultés financières",
        "equipement-et-alimentation" => "Équipement et alimentation",
        "famille" => "Famille",
        "lecture-ecriture-calcul" => "Lecture, écriture, calcul",
        "logement-hebergement" => "Logement et hébergement",
        "mobilite" => "Mobilité",
        "numerique" => "Numérique",
        "preparer-sa-candidature" => "Préparer sa candidature",
        "remobilisation" => "Remobilisation",
        "sante" => "Santé",
        "se-former" => "Se former",
        "souvrir-a-linternational" => "S’ouvrir à l’international",
        "trouver-un-emploi" => "Trouver un emploi",
        _ => "",
    };
    if known.is_empty() {
        let mut s = family.replace('-', " ");
        if let Some(first) = s.get(0..1) {
            s = first.to_uppercase() + s.get(1..).unwrap_or("");
        }
        s
    } else {
        known.to_string()
    }
}

/// One family and its entries, in vocabulary order.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub code: String,
    pub label: String,
    pub items: Vec<VocabularyEntry>,
}

pub fn family_of(code: &str) -> &str {
    code.split_once("--").map(|(f, _)| f).unwrap_or(code)
}

/// Groups the vocabulary by family, keeping the first-seen order.
pub fn group(entries: &[VocabularyEntry]) -> Vec<Family> {
    let mut out: Vec<Family> = Vec::new();
    for e in entries {
        let fam = family_of(&e.value);
        match out.iter_mut().find(|f| f.code == fam) {
            Some(f) => f.items.push(e.clone()),
            None => out.push(Family {
                code: fam.to_string(),
                label: family_label(fam),
                items: vec![e.clone()],
            }),
        }
    }
    out
}

/// Lower case without accents, for matching what people type.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            '’' | '\'' => ' ',
            c => c,
        })
        .collect()
}

/// The needs a young person leaving an accompaniment most often means, first in their family
/// when a filter matches it ("logement" means renting or a temporary roof long before buying).
/// The others keep the vocabulary's order; the least likely at 15–29 come last.
const LIKELY_FIRST: &[&str] = &[
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "logement-hebergement--louer-un-logement",
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
];
const UNLIKELY_LAST: &[&str] = &["logement-hebergement--acheter-un-logement"];

/// Rank of an entry for `q` (lower first): the likely needs first, the unlikely ones last;
/// then entries whose label starts with the query, then those with a word that does, then
/// those that only contain it (or whose family matches).
fn rank(e: &VocabularyEntry, q: &str) -> (usize, u8) {
    let likely = match LIKELY_FIRST.iter().position(|c| *c == e.value) {
        Some(i) => i,
        None if UNLIKELY_LAST.contains(&e.value.as_str()) => usize::MAX,
        None => LIKELY_FIRST.len(),
    };
    let label = fold(&e.label);
    let text = if label.starts_with(q) {
        0
    } else if label.split(' ').any(|w| w.starts_with(q)) {
        1
    } else if label.contains(q) {
        2
    } else {
        3
    };
    (likely, text)
}

/// Families restricted to the entries matching `query` (on the entry or its family's label),
/// best matches first: within a family by [`rank`], families by their best entry.
pub fn filter(families: &[Family], query: &str) -> Vec<Family> {
    let q = fold(query.trim());
    if q.is_empty() {
        return families.to_vec();
    }
    let mut out: Vec<((usize, u8), usize, Family)> = families
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let fam_match = fold(&f.label).contains(&q);
            let mut items: Vec<VocabularyEntry> = f
                .items
                .iter()
                .filter(|e| fam_match || fold(&e.label).contains(&q))
                .cloned()
                .collect();
            // Stable: equal ranks keep the vocabulary's order.
            items.sort_by_key(|e| rank(e, &q));
            let best = items.iter().map(|e| rank(e, &q)).min()?;
            Some((best, i, Family { items, ..f.clone() }))
        })
        .collect();
    out.sort_by_key(|(best, i, _)| (*best, *i));
    out.into_iter().map(|(_, _, f)| f).collect()
}

/// Label of a code, or the code itself when the vocabulary does not have it.
pub fn label_of<'a>(entries: &'a [VocabularyEntry], code: &'a str) -> &'a str {
    entries
        .iter()
        .find(|e| e.value == code)
        .map(|e| e.label.as_str())
        .unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: &str, l: &str) -> VocabularyEntry {
        VocabularyEntry {
            value: v.into(),
            label: l.into(),
        }
    }

    fn vocab() -> Vec<VocabularyEntry> {
        vec![
            entry(
                "logement-hebergement--louer-un-logement",
                "Louer un logement",
            ),
            entry("mobilite--preparer-un-permis", "Préparer un permis"),
            entry(
                "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
                "Rechercher une solution d’hébergement temporaire",
            ),
        ]
    }

    #[test]
    fn entries_are_grouped_by_family_in_order() {
        let g = group(&vocab());
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].label, "Logement et hébergement");
        assert_eq!(g[0].items.len(), 2);
        assert_eq!(g[1].label, "Mobilité");
        assert_eq!(family_label("nouvelle-famille"), "Nouvelle famille");
    }

    #[test]
    fn search_ignores_accents_and_matches_families() {
        let g = group(&vocab());
        let r = filter(&g, "hebergement temp");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].items.len(), 1);
        let r = filter(&g, "MOBILITÉ");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].items[0].label, "Préparer un permis");
        assert_eq!(filter(&g, "").len(), 2);
        assert!(filter(&g, "zzz").is_empty());
        assert_eq!(
            label_of(&vocab(), "mobilite--preparer-un-permis"),
            "Préparer un permis"
        );
        assert_eq!(label_of(&vocab(), "inconnu"), "inconnu");
    }

    #[test]
    fn logement_means_a_roof_before_buying() {
        let lines = include_str!("../../../data/vocab/data-inclusion-v1.txt");
        // The `thematiques` section of the vocabulary file the API serves.
        let v: Vec<VocabularyEntry> = lines
            .lines()
            .skip_while(|l| *l != "## thematiques")
            .skip(1)
            .take_while(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(" :: "))
            .map(|(code, label)| entry(code.trim(), label.trim()))
            .collect();
        assert!(v.len() > 50);
        let g = group(&v);
        let r = filter(&g, "logement");
        assert_eq!(r[0].label, "Logement et hébergement");
        let labels: Vec<&str> = r[0].items.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(
            labels[..2],
            [
                "Rechercher une solution d’hébergement temporaire",
                "Louer un logement"
            ]
        );
        assert_eq!(labels.last(), Some(&"Acheter un logement"));
        let r = filter(&g, "permis");
        assert_eq!(r[0].label, "Mobilité");
    }
}
