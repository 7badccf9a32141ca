//! What every refused form shows above everything else: an error summary (the GOV.UK
//! pattern, <https://design-system.service.gov.uk/components/error-summary/>) that takes
//! the focus when the page loads, with one link per message to the field it is about.
//! The macro in `frontend/templates/forms.html` renders it.

use std::collections::BTreeMap;

/// The field-level key of messages about the whole form rather than one field.
pub const FORM: &str = "form";

/// One line of an error summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    /// The field's name, which is its element id after the form's prefix; empty for a
    /// message about the whole form (no link).
    pub field: &'static str,
    pub message: String,
}

/// The lines of a summary: messages about the whole form first, then one per field.
pub fn summary(errors: &BTreeMap<&'static str, String>) -> Vec<SummaryItem> {
    let whole = errors.get(FORM).map(|m| SummaryItem {
        field: "",
        message: m.clone(),
    });
    whole
        .into_iter()
        .chain(
            errors
                .iter()
                .filter(|(k, _)| **k != FORM)
                .map(|(k, m)| SummaryItem {
                    field: k,
                    message: m.clone(),
                }),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_form_comes_first_and_fields_link() {
        let mut e = BTreeMap::new();
        e.insert("name", "Give a name.".to_string());
        e.insert(FORM, "Wrong username or password.".to_string());
        e.insert("amount", "Write a whole number.".to_string());
        let s = summary(&e);
        assert_eq!(s[0].field, "");
        assert_eq!(s[0].message, "Wrong username or password.");
        assert_eq!(
            s[1..].iter().map(|i| i.field).collect::<Vec<_>>(),
            ["amount", "name"]
        );
    }
}
