//! Peers: other coopdir nodes whose co-ops and offerings this node follows.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_peering"
    }
}

#[derive(Iden)]
enum Peer {
    Table,
    Id,
    Domain,
    BaseUrl,
    InstanceApId,
    Software,
    AddedAt,
    SyncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Peer::Table)
                    .col(
                        ColumnDef::new(Peer::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Peer::Domain)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Peer::BaseUrl).string().not_null())
                    .col(ColumnDef::new(Peer::InstanceApId).string().not_null())
                    .col(ColumnDef::new(Peer::Software).string().not_null())
                    .col(
                        ColumnDef::new(Peer::AddedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Peer::SyncedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Peer::Table).to_owned())
            .await
    }
}
