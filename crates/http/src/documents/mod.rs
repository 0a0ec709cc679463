//! The printed documents: each layout turns a document's view into pages for `pdf`, so what
//! is printed is exactly what the API answers.

pub mod certificate;
pub mod letter;
