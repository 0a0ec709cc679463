//! Black-box tests of the Zhihui service live in `api/`.
