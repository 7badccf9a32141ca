//! The stored records that are also the domain's records: an actor row is the actor, an
//! announcement row the announcement. Code outside the domain names them from here rather
//! than from the database entities.

pub use crate::db::entities::account::Model as Account;
pub use crate::db::entities::activity::Model as Activity;
pub use crate::db::entities::actor::Model as Actor;
pub use crate::db::entities::announcement::Model as Announcement;
pub use crate::db::entities::report::Model as Report;
pub use crate::db::entities::transfer_proposal::Model as TransferProposal;
