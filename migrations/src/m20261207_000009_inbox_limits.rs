//! Inbox limits: an index on `received_activity(received_at)`, so that pruning ids older
//! than the retention period reads only what it deletes; and `peer_backlog`, the actors of
//! a peer that one request's fetch budget did not reach, fetched later by scheduled work.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000009_inbox_limits"
    }
}

#[derive(Iden)]
enum ReceivedActivity {
    Table,
    ReceivedAt,
}

#[derive(Iden)]
enum PeerBacklog {
    Table,
    Id,
    PeerDomain,
    ApId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_received_activity_received_at")
                    .table(ReceivedActivity::Table)
                    .col(ReceivedActivity::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PeerBacklog::Table)
                    .col(
                        ColumnDef::new(PeerBacklog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PeerBacklog::PeerDomain).string().not_null())
                    .col(
                        ColumnDef::new(PeerBacklog::ApId)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(PeerBacklog::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_peer_backlog_peer_domain")
                    .table(PeerBacklog::Table)
                    .col(PeerBacklog::PeerDomain)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PeerBacklog::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_received_activity_received_at")
                    .table(ReceivedActivity::Table)
                    .to_owned(),
            )
            .await
    }
}
