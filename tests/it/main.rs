//! The integration tests: real coopdir nodes on loopback (named `localhost:PORT`), on
//! SQLite by default and on PostgreSQL when `COOPDIR_TEST_POSTGRES` names a server.

mod admin;
mod api_tokens;
mod attacks_http;
mod attacks_inbox;
mod common;
mod decide;
mod delivery;
mod fasp;
mod foundation;
mod handover;
mod hardening;
mod interchange;
mod interop;
mod languages;
mod lifecycle;
mod moderation;
mod openapi;
mod peering;
mod probes;
mod replies;
mod rfc9421;
mod scaleout;
mod search;
mod security;
mod ssrf;
mod states;
mod web;
