//! RFC 9421 signatures, Ed25519 keys and the Fediscovery provider:
//! - `actor_ed25519_key`: each local actor's Ed25519 key (PKCS#8 v1 DER in base64; the
//!   public key as a FEP-521a multibase `z6Mk…`), made lazily when first needed, like the
//!   RSA key, and used for FEP-8b32 proofs;
//! - `rfc9421_host`: hosts known to accept RFC 9421 signatures (they signed to this node
//!   with one that verified), so deliveries to them are signed that way;
//! - `fasp_registration`: one row per Fediverse server this node registered with as a
//!   FASP, with the key pair of that registration and the server's public key.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000014_fasp_signatures"
    }
}

#[derive(Iden)]
enum Actor {
    Table,
    Id,
}

#[derive(Iden)]
enum ActorEd25519Key {
    Table,
    ActorId,
    PrivateKey,
    PublicKey,
}

#[derive(Iden)]
enum Rfc9421Host {
    Table,
    Host,
    VerifiedAt,
}

#[derive(Iden)]
enum FaspRegistration {
    Table,
    Id,
    ServerBase,
    ServerId,
    FaspId,
    ServerPublicKey,
    PrivateKey,
    PublicKey,
    CompletionUri,
    Status,
    Capabilities,
    RegisteredAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActorEd25519Key::Table)
                    .col(
                        ColumnDef::new(ActorEd25519Key::ActorId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ActorEd25519Key::PrivateKey)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ActorEd25519Key::PublicKey)
                            .string()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActorEd25519Key::Table, ActorEd25519Key::ActorId)
                            .to(Actor::Table, Actor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Rfc9421Host::Table)
                    .col(
                        ColumnDef::new(Rfc9421Host::Host)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Rfc9421Host::VerifiedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FaspRegistration::Table)
                    .col(
                        ColumnDef::new(FaspRegistration::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(FaspRegistration::ServerBase)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FaspRegistration::ServerId)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(FaspRegistration::FaspId).string().not_null())
                    .col(
                        ColumnDef::new(FaspRegistration::ServerPublicKey)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(FaspRegistration::PrivateKey).text().null())
                    .col(
                        ColumnDef::new(FaspRegistration::PublicKey)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FaspRegistration::CompletionUri)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(FaspRegistration::Status).string().not_null())
                    .col(
                        ColumnDef::new(FaspRegistration::Capabilities)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FaspRegistration::RegisteredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(FaspRegistration::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FaspRegistration::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Rfc9421Host::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ActorEd25519Key::Table).to_owned())
            .await
    }
}
