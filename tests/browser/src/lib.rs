//! Browser tests of coopdir's web interface live in `tests/`; this library is empty.
