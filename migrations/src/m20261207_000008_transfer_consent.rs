//! Transfers between co-ops need the successor's consent: a `transfer_proposal` is kept on
//! both sides (proposed, accepted or declined, expired, moved). A sunset or transfer can
//! carry a staff note and pinned alternatives: `lifecycle_plan`, one row per actor.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000008_transfer_consent"
    }
}

#[derive(Iden)]
enum TransferProposal {
    Table,
    Id,
    OfferApId,
    Direction,
    OriginApId,
    SuccessorApId,
    OriginName,
    SuccessorName,
    Note,
    Map,
    State,
    Reason,
    ProposedBy,
    AnsweredBy,
    CreatedAt,
    ExpiresAt,
    AnsweredAt,
    MovedAt,
}

#[derive(Iden)]
enum LifecyclePlan {
    Table,
    ActorId,
    Note,
    Alternatives,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use TransferProposal as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(
                        ColumnDef::new(T::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(T::OfferApId)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(T::Direction).string().not_null())
                    .col(ColumnDef::new(T::OriginApId).string().not_null())
                    .col(ColumnDef::new(T::SuccessorApId).string().not_null())
                    .col(ColumnDef::new(T::OriginName).string().not_null())
                    .col(ColumnDef::new(T::SuccessorName).string().not_null())
                    .col(ColumnDef::new(T::Note).text().not_null())
                    .col(ColumnDef::new(T::Map).text().not_null())
                    .col(ColumnDef::new(T::State).string().not_null())
                    .col(ColumnDef::new(T::Reason).text().null())
                    .col(ColumnDef::new(T::ProposedBy).string().not_null())
                    .col(ColumnDef::new(T::AnsweredBy).string().null())
                    .col(
                        ColumnDef::new(T::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(T::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(T::AnsweredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(T::MovedAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("transfer_proposal_origin")
                    .table(T::Table)
                    .col(T::OriginApId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("transfer_proposal_successor")
                    .table(T::Table)
                    .col(T::SuccessorApId)
                    .to_owned(),
            )
            .await?;
        use LifecyclePlan as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(
                        ColumnDef::new(P::ActorId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(P::Note).text().not_null())
                    .col(ColumnDef::new(P::Alternatives).text().not_null())
                    .col(
                        ColumnDef::new(P::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LifecyclePlan::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TransferProposal::Table).to_owned())
            .await
    }
}
