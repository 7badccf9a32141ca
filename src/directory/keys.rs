//! Key pairs of local actors, made off the import's hot path. An RSA-2048 key takes tens
//! of milliseconds; a document of thousands of offerings would spend minutes on them. So a
//! large import stores its new actors without a key, and the key is made before the actor
//! is first served or signs anything ([`ensure`], called where actor documents are built
//! and signers are made), or earlier by the running node's worker (`scheduler::keys`).

use crate::{
    crypto::{KeyPairPem, generate_keypair},
    db::entities::actor,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    sea_query::Expr,
};

/// Imports with at most this many new actors make their keys at once (in parallel);
/// larger ones leave them to [`ensure`] and [`run`].
pub const INLINE_KEYS: usize = 16;

/// Whether a local actor still waits for its key pair.
pub fn missing(a: &actor::Model) -> bool {
    a.local && a.public_key_pem.is_empty()
}

/// `n` key pairs, made in parallel on the blocking pool.
pub async fn generate(n: usize) -> anyhow::Result<Vec<KeyPairPem>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| tokio::task::spawn_blocking(generate_keypair))
        .collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await??);
    }
    Ok(out)
}

/// Store a key pair for an actor that has none; a concurrent winner's key is kept.
async fn store<C: ConnectionTrait>(db: &C, id: i64, key: KeyPairPem) -> Result<(), sea_orm::DbErr> {
    actor::Entity::update_many()
        .col_expr(actor::Column::PublicKeyPem, Expr::value(key.public_pem))
        .col_expr(actor::Column::PrivateKeyPem, Expr::value(key.private_pem))
        .filter(actor::Column::Id.eq(id))
        .filter(actor::Column::PublicKeyPem.eq(""))
        .exec(db)
        .await?;
    Ok(())
}

/// The actor with its key pair, made now if it has none.
pub async fn ensure(db: &DatabaseConnection, a: &actor::Model) -> anyhow::Result<actor::Model> {
    if !missing(a) {
        return Ok(a.clone());
    }
    let key = tokio::task::spawn_blocking(generate_keypair).await??;
    store(db, a.id, key).await?;
    actor::Entity::find_by_id(a.id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("actor {} vanished while its key was made", a.ap_id))
}

/// Make the keys of every local actor that has none, a batch at a time, one per core.
/// Returns how many were made.
pub async fn fill(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let batch = std::thread::available_parallelism().map_or(2, |n| n.get()) * 4;
    let mut made = 0;
    loop {
        let ids: Vec<i64> = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Local.eq(true))
            .filter(actor::Column::PublicKeyPem.eq(""))
            .limit(batch as u64)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(made);
        }
        let keys = generate(ids.len()).await?;
        for (id, key) in ids.into_iter().zip(keys) {
            store(db, id, key).await?;
            made += 1;
        }
    }
}
