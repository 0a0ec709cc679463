//! Client-side checks with the service's own parsers (`zhihui-domain`): what the form says
//! beside a field as it is typed is exactly what the service would answer.

use zhihui_domain::{
    CreditCode, FieldError, LoginName, MobilePhone, Password, PersonName, ProblemCode, RegionCode,
    ResidentIdNumber,
};

/// What kind of value a form field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IdNumber,
    Phone,
    CreditCode,
    RegionCode,
    Login,
    Password,
    PersonName,
    /// Anything non-empty.
    Required,
    /// Free text that may be empty.
    Free,
}

/// The domain's verdict on `value`: `None` when it is acceptable. An empty optional field is
/// acceptable; an empty required field is `required`.
pub fn check(kind: Kind, value: &str, required: bool) -> Option<FieldError> {
    if value.trim().is_empty() {
        return required.then(|| FieldError::new(ProblemCode::Required, "this field is required"));
    }
    let verdict = match kind {
        Kind::IdNumber => ResidentIdNumber::parse(value).map(drop),
        Kind::Phone => MobilePhone::parse(value).map(drop),
        Kind::CreditCode => CreditCode::parse(value).map(drop),
        Kind::RegionCode => RegionCode::parse(value).map(drop),
        Kind::Login => LoginName::parse(value).map(drop),
        Kind::Password => Password::parse(value).map(drop),
        Kind::PersonName => PersonName::parse(value).map(drop),
        Kind::Required | Kind::Free => Ok(()),
    };
    verdict.err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_same_codes_as_the_service() {
        assert_eq!(check(Kind::IdNumber, "11010519491231002X", true), None);
        assert_eq!(
            check(Kind::IdNumber, "110105194912310021", true).map(|e| e.code.as_str()),
            Some("id_number_checksum")
        );
        assert_eq!(
            check(Kind::IdNumber, "1101051949", true).map(|e| e.code.as_str()),
            Some("id_number_length")
        );
        assert_eq!(check(Kind::Phone, "139 1234 5678", true), None);
        assert_eq!(
            check(Kind::Phone, "12345", true).map(|e| e.code.as_str()),
            Some("phone_format")
        );
        assert_eq!(check(Kind::CreditCode, "91350100M000100Y43", true), None);
        assert_eq!(
            check(Kind::CreditCode, "91350100M000100Y44", true).map(|e| e.code.as_str()),
            Some("credit_code_checksum")
        );
        assert_eq!(
            check(Kind::Password, "short1", true).map(|e| e.code.as_str()),
            Some("password_too_short")
        );
    }

    #[wasm_bindgen_test]
    fn empty_is_required_only_when_required() {
        assert_eq!(check(Kind::Phone, "  ", false), None);
        assert_eq!(
            check(Kind::Phone, "", true).map(|e| e.code.as_str()),
            Some("required")
        );
        assert_eq!(check(Kind::Free, "", false), None);
    }
}
